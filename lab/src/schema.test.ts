import { describe, expect, it } from 'vitest';
import { readBaseConfig, mechanismConfig, seedPrices } from './deploy.ts';
import { loadMechanisms, loadScenarios, seriesAt, seriesAtLog } from './schema.ts';

describe('lab data files', () => {
  it('every scenario and mechanism parses, cites sources, and names only ilks of its base config', () => {
    const scenarios = loadScenarios();
    const mechanisms = loadMechanisms();
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['black-thursday-2020', 'luna-freeze-2022', 'usdc-depeg-2023', 'flash-crash-2025', 'fake-drop', 'demo-crash']));
    expect(mechanisms.map((m) => m.name)).toEqual(expect.arrayContaining(['liq2-baseline', 'gavel-demo']));
    for (const s of scenarios) {
      const ilks = [...seedPrices(readBaseConfig(s.baseConfig)).keys()];
      for (const name of Object.keys(s.market)) expect(ilks).toContain(name);
      expect(s.sources.length).toBeGreaterThan(0);
    }
    for (const m of mechanisms) {
      for (const s of scenarios) expect(() => mechanismConfig(readBaseConfig(s.baseConfig), m)).not.toThrow();
    }
  });

  it('gavel-demo is the demo config, but for its first tiers starting at the mark (before tier 1 got its discount)', () => {
    const base = readBaseConfig('demo');
    const m = loadMechanisms().find((x) => x.name === 'gavel-demo');
    expect(m).toBeDefined();
    const atMark = structuredClone(base);
    for (const ilk of atMark.ilks) {
      const tiers = (ilk.auction as { tiers: { startPremiumBps: string }[] }).tiers;
      const first = tiers[0];
      expect(Number(first?.startPremiumBps)).toBeLessThan(10_000);
      if (first) first.startPremiumBps = '10000';
    }
    expect(mechanismConfig(base, m as NonNullable<typeof m>)).toEqual(atMark);
  });

  it('contracts/config/adaptive.json is the lab\'s chosen mechanism (adaptive-tuned) over local.json', () => {
    const m = loadMechanisms().find((x) => x.name === 'adaptive-tuned');
    expect(m).toBeDefined();
    expect(readBaseConfig('adaptive')).toEqual(mechanismConfig(readBaseConfig('local'), m as NonNullable<typeof m>));
  });

  it('a mechanism replaces the named sections wholesale and nothing else', () => {
    const base = readBaseConfig('demo');
    const m = loadMechanisms().find((x) => x.name === 'liq2-baseline');
    const cfg = mechanismConfig(base, m as NonNullable<typeof m>);
    const eth = cfg.ilks.find((i) => i.name === 'ETH-A') as Record<string, unknown>;
    expect((eth.auction as { tiers: unknown[] }).tiers).toHaveLength(1);
    expect(eth.vault).toEqual((base.ilks.find((i) => i.name === 'ETH-A') as Record<string, unknown>).vault);
  });

  it('series interpolate linearly (log-linearly for prices) and hold flat past the ends', () => {
    const s: [number, number][] = [[10, 1], [20, 0.25]];
    expect(seriesAt(s, 0)).toBe(1);
    expect(seriesAt(s, 15)).toBeCloseTo(0.625);
    expect(seriesAt(s, 99)).toBe(0.25);
    expect(seriesAtLog(s, 15)).toBeCloseTo(0.5);
  });
});
