import { describe, expect, it } from 'vitest';
import { MarketPath, crashShape, defaultMarkets, toWad } from './path.ts';

const WAD = 10n ** 18n;
const timeline = { calmBlocks: 20, crashBlocks: 100, aftermathBlocks: 50 };
const markets = defaultMarkets(new Map());

function run(seed: string) {
  const path = new MarketPath(seed, timeline, markets);
  const steps = [];
  while (!path.done()) steps.push(path.next());
  return steps;
}

describe('MarketPath', () => {
  it('is deterministic: the same seed gives the same market', () => {
    const a = run('s1');
    const b = run('s1');
    expect(a.map((s) => s.truth.get('ETH-A'))).toEqual(b.map((s) => s.truth.get('ETH-A')));
    expect(run('s2').map((s) => s.truth.get('ETH-A'))).not.toEqual(a.map((s) => s.truth.get('ETH-A')));
  });

  it('runs the three phases for the configured number of blocks', () => {
    const steps = run('s1');
    expect(steps).toHaveLength(170);
    expect(steps.filter((s) => s.phase === 'calm')).toHaveLength(20);
    expect(steps.filter((s) => s.phase === 'crash')).toHaveLength(100);
    expect(steps.filter((s) => s.phase === 'aftermath')).toHaveLength(50);
  });

  it('crashes ETH by about 40% and the stablecoin collateral by about 3%', () => {
    const steps = run('s1');
    const bottom = steps[119];
    const eth = Number((bottom?.truth.get('ETH-A') ?? 0n) / 10n ** 15n) / 1000;
    const usdc = Number((bottom?.truth.get('USDC-A') ?? 0n) / 10n ** 12n) / 1e6;
    expect(eth).toBeGreaterThan(2000 * 0.6 * 0.97);
    expect(eth).toBeLessThan(2000 * 0.6 * 1.03);
    expect(usdc).toBeGreaterThan(0.96);
    expect(usdc).toBeLessThan(0.98);
  });

  it('pushes every block in the crash, on a heartbeat when calm, and the stale feed stops for good', () => {
    const steps = run('s1');
    const calmPushes = steps.filter((s) => s.phase === 'calm' && s.pushes.get('ETH-A')?.[0] !== undefined).length;
    expect(calmPushes).toBe(7); // blocks 0, 3, ..., 18
    const crash = steps.filter((s) => s.phase === 'crash');
    expect(crash.every((s) => s.pushes.get('ETH-A')?.[0] !== undefined)).toBe(true);
    const staleFrom = crash.findIndex((s) => s.stale.get('ETH-A')?.[2] === true);
    expect(staleFrom).toBe(20);
    expect(crash.slice(staleFrom).every((s) => s.pushes.get('ETH-A')?.[2] === undefined)).toBe(true);
    expect(steps.at(-1)?.stale.get('ETH-A')).toEqual([false, false, true]);
  });

  it('feeds disagree with the true price by their bias', () => {
    const steps = run('s1');
    const s = steps[21];
    const truth = s?.truth.get('ETH-A') ?? 0n;
    const low = s?.pushes.get('ETH-A')?.[0] ?? 0n;
    expect(low < truth).toBe(true);
  });
});

describe('crashShape', () => {
  it('falls to 65%, bounces, then reaches the bottom', () => {
    expect(crashShape(0)).toBe(0);
    expect(crashShape(0.35)).toBeCloseTo(0.65);
    expect(crashShape(0.5)).toBeCloseTo(0.57);
    expect(crashShape(0.85)).toBe(1);
    expect(crashShape(1)).toBe(1);
  });
});

describe('toWad', () => {
  it('converts a price to WAD and rejects nonsense', () => {
    expect(toWad(2000)).toBe(2000n * WAD);
    expect(toWad(0.5)).toBe(WAD / 2n);
    expect(() => toWad(0)).toThrow(RangeError);
    expect(() => toWad(Number.NaN)).toThrow(RangeError);
  });
});
