import { describe, expect, it } from 'vitest';
import { PortfolioRuleError, RAY, WAD, isPortfolioSafe } from '@gavel/sdk';
import type { AssetRisk } from '@gavel/sdk';
import { PortfolioIndex } from './portfolioIndex.ts';
import type { PortfolioChange } from './portfolioIndex.ts';
import { SAFE, UNSAFE, UNSURE, classifyApprox } from './portfolioBounds.ts';

const ETH = 'ETH-A';
const WBTC = 'WBTC-A';
const eth: AssetRisk = { spotWad: 2000n * WAD, liquidationRatioWad: (15n * WAD) / 10n, scale: 1n };
const wbtc: AssetRisk = { spotWad: 40_000n * WAD, liquidationRatioWad: (15n * WAD) / 10n, scale: 10n ** 10n };
// Single-asset rows, a joint crash at 60%.
const table = { assets: [ETH, WBTC], shocksWad: [[WAD, 0n], [0n, WAD], [(6n * WAD) / 10n, (6n * WAD) / 10n]] };
const BTC = 10n ** 8n;

function fresh(): PortfolioIndex {
  return new PortfolioIndex({ table, risks: [eth, wbtc], initialCapacity: 16 });
}

function sorted(xs: readonly string[]): string[] {
  return [...xs].sort();
}

describe('PortfolioIndex', () => {
  it('classifies on upsert; an ETH move re-checks ETH holders and reports who crossed', () => {
    const idx = fresh();
    // 1 ETH alone: its worst scenario is the isolated value, 2000.
    expect(idx.upsertPortfolio('a', { [ETH]: WAD }, 2000n * WAD)).toEqual({ becameUnsafe: [], becameSafe: [] });
    expect(idx.upsertPortfolio('b', { [ETH]: WAD }, 2000n * WAD + 1n).becameUnsafe).toEqual(['b']);
    // Only WBTC: untouched by ETH moves.
    idx.upsertPortfolio('c', { [WBTC]: BTC }, 30_000n * WAD);
    // Both: the ETH-only scenario values ETH at spot and WBTC at its mark (60,000).
    idx.upsertPortfolio('d', { [ETH]: 10n * WAD, [WBTC]: BTC }, 56_000n * WAD); // worst: WBTC's row, 30,000 + 40,000
    expect(idx.unsafe()).toEqual(['b']);
    expect(idx.size()).toBe(4);

    const drop = idx.setSpot(ETH, 1000n * WAD); // d's WBTC row: 15,000 + 40,000 < 56,000
    expect(sorted(drop.becameUnsafe)).toEqual(['a', 'd']);
    expect(drop.becameSafe).toEqual([]);
    expect(idx.isUnsafe('c')).toBe(false);
    expect(idx.unsafeCount()).toBe(3);
    const back = idx.setSpot(ETH, 2000n * WAD);
    expect(sorted(back.becameSafe)).toEqual(['a', 'd']);
    expect(idx.unsafe()).toEqual(['b']);
  });

  it('is exact at the line: safe at the critical spot, unsafe one wei below', () => {
    const idx = fresh();
    idx.upsertPortfolio('p', { [ETH]: 7n * WAD + 3n, [WBTC]: 123_456_789n }, 60_000n * WAD + 17n);
    const line = idx.criticalSpot('p', ETH);
    if (line === undefined) throw new Error('expected a line');
    expect(line).toBeGreaterThan(0n);
    expect(idx.setSpot(ETH, line).becameUnsafe).toEqual([]);
    expect(idx.setSpot(ETH, line - 1n).becameUnsafe).toEqual(['p']);
    expect(idx.setSpot(ETH, line).becameSafe).toEqual(['p']);
    // Both verdicts at the line came from the bigint rule (the floats cannot separate one wei).
    expect(idx.exactChecks()).toBeGreaterThanOrEqual(3);
    const risks = [idx.risk(ETH), idx.risk(WBTC)];
    expect(isPortfolioSafe(risks, [7n * WAD + 3n, 123_456_789n], table.shocksWad, 60_000n * WAD + 17n)).toBe(true);
    // The WBTC line moves with the ETH spot.
    const wbtcLine = idx.criticalSpot('p', WBTC);
    idx.setSpot(ETH, 2000n * WAD);
    const lower = idx.criticalSpot('p', WBTC);
    expect(lower === undefined || wbtcLine === undefined ? false : lower < wbtcLine).toBe(true);
  });

  it('follows collateral, debt and rate changes; (0, 0) removes', () => {
    const idx = fresh();
    const seen: PortfolioChange[] = [];
    const off = idx.onChange((c) => seen.push(c));
    expect(idx.setDebt('o', 1000n * WAD).becameUnsafe).toEqual(['o']); // debt, no collateral
    expect(idx.setCollateral('o', ETH, WAD).becameSafe).toEqual(['o']);
    expect(idx.portfolio('o')).toEqual({ collaterals: { [ETH]: WAD, [WBTC]: 0n }, normalizedDebt: 1000n * WAD });
    // Fees: rate 2.5 makes the debt 2,500 > 2,000.
    expect(idx.setRate((5n * RAY) / 2n).becameUnsafe).toEqual(['o']);
    expect(idx.setRate(RAY).becameSafe).toEqual(['o']);
    expect(idx.currentRate()).toBe(RAY);
    idx.setRate(3n * RAY);
    expect(idx.removePortfolio('o').becameSafe).toEqual(['o']);
    expect(idx.size()).toBe(0);
    idx.setRate(RAY);
    idx.upsertPortfolio('z', { [ETH]: WAD }, 0n);
    expect(idx.upsertPortfolio('z', {}, 0n)).toEqual({ becameUnsafe: [], becameSafe: [] });
    expect(idx.portfolio('z')).toBeUndefined();
    // Withdrawing the last collateral of a portfolio with debt.
    idx.upsertPortfolio('w', { [ETH]: WAD, [WBTC]: BTC }, 100n * WAD);
    expect(idx.setCollateral('w', WBTC, 0n).becameUnsafe).toEqual([]);
    expect(idx.setCollateral('w', ETH, 0n).becameUnsafe).toEqual(['w']);
    off();
    expect(seen.map((c) => [...c.becameUnsafe, ...c.becameSafe])).toEqual([['o'], ['o'], ['o'], ['o'], ['o'], ['o'], ['w']]);
  });

  it('lists unsafe owners most under-collateralized first', () => {
    const idx = fresh();
    idx.upsertPortfolio('mild', { [ETH]: WAD }, 2100n * WAD);
    idx.upsertPortfolio('deep', { [ETH]: WAD }, 4000n * WAD);
    idx.upsertPortfolio('mid', { [ETH]: WAD }, 3000n * WAD);
    idx.upsertPortfolio('ok', { [ETH]: WAD }, 1000n * WAD);
    expect(idx.unsafe()).toEqual(['deep', 'mid', 'mild']);
  });

  it('a ratio change re-checks holders; refuses what the engine refuses, changing nothing', () => {
    const idx = fresh();
    // Worst: WBTC's row, ETH at its mark 3,000 + WBTC at spot 40,000.
    idx.upsertPortfolio('p', { [ETH]: WAD, [WBTC]: BTC }, 42_500n * WAD);
    expect(idx.isUnsafe('p')).toBe(false);
    // A ratio of 1 puts ETH's mark at its spot: 2,000 + 40,000 < 42,500.
    expect(idx.setRisk(ETH, { ...eth, liquidationRatioWad: WAD }).becameUnsafe).toEqual(['p']);
    expect(() => idx.setSpot(ETH, 1n << 128n)).toThrow(PortfolioRuleError);
    expect(() => idx.setRisk(ETH, { ...eth, liquidationRatioWad: WAD - 1n })).toThrow(/LiquidationRatioOutOfRange/);
    expect(() => idx.setRisk(ETH, { ...eth, scale: 10n })).toThrow(/scale/);
    expect(() => idx.setSpot('LINK-A', WAD)).toThrow(/not in the scenario table/);
    expect(() => idx.upsertPortfolio('q', { 'LINK-A': 1n }, 0n)).toThrow(/not in the scenario table/);
    expect(() => idx.upsertPortfolio('q', { [WBTC]: 1n << 100n }, 0n)).toThrow(/CollateralOutOfRange/);
    expect(() => idx.setDebt('q', -1n)).toThrow(RangeError);
    expect(() => idx.setRate(0n)).toThrow(/positive/);
    expect(() => idx.criticalSpot('nobody', ETH)).toThrow(RangeError);
    expect(idx.risk(ETH)).toEqual({ ...eth, liquidationRatioWad: WAD });
    expect(idx.size()).toBe(1);
  });

  it('checks the table and the risks with the SDK rule', () => {
    expect(() => new PortfolioIndex({ table: { assets: [ETH], shocksWad: [] }, risks: [eth] })).toThrow(/NoScenarios/);
    expect(() => new PortfolioIndex({ table: { assets: [ETH], shocksWad: [[WAD + 1n]] }, risks: [eth] })).toThrow(/ShockOutOfRange/);
    expect(() => new PortfolioIndex({ table: { assets: [ETH, ETH], shocksWad: [[WAD, WAD]] }, risks: [eth, eth] })).toThrow(/twice/);
    expect(() => new PortfolioIndex({ table, risks: [eth] })).toThrow(/risks/);
    expect(() => new PortfolioIndex({ table, risks: [eth, wbtc], rate: 0n })).toThrow(/positive/);
  });

  it('grows past its initial capacity and reuses freed slots', () => {
    const idx = fresh();
    for (let i = 0; i < 100; i++) idx.upsertPortfolio(`o${i}`, { [ETH]: WAD, [WBTC]: i % 2 === 0 ? BTC : 0n }, BigInt(1500 + 10 * i) * WAD);
    for (let i = 0; i < 100; i += 3) idx.removePortfolio(`o${i}`);
    for (let i = 100; i < 130; i++) idx.upsertPortfolio(`o${i}`, { [WBTC]: BTC }, 30_000n * WAD);
    expect(idx.size()).toBe(100 - 34 + 30);
    idx.setSpot(ETH, 1500n * WAD);
    idx.setSpot(WBTC, 10_000n * WAD);
    for (const owner of idx.ownerList()) {
      const p = idx.portfolio(owner);
      if (!p) throw new Error('missing');
      const safe = isPortfolioSafe([idx.risk(ETH), idx.risk(WBTC)], [p.collaterals[ETH] ?? 0n, p.collaterals[WBTC] ?? 0n], table.shocksWad, p.normalizedDebt);
      expect(idx.isUnsafe(owner), owner).toBe(!safe);
    }
  });
});

describe('classifyApprox', () => {
  it('certain far from the line, unsure within the tolerance', () => {
    expect(classifyApprox(2e21, 10, 1e21)).toBe(SAFE);
    expect(classifyApprox(1e21, 10, 2e21)).toBe(UNSAFE);
    expect(classifyApprox(1e21 * (1 + 1e-13), 0, 1e21)).toBe(UNSURE);
    expect(classifyApprox(1e21, 0, 1e21 * (1 + 1e-13))).toBe(UNSURE);
    // What the floors can take off keeps tiny values unsure.
    expect(classifyApprox(100, 60, 50)).toBe(UNSURE);
    expect(classifyApprox(1.5, 1, 1)).toBe(UNSURE);
  });
});
