import { describe, expect, it } from 'vitest';
import { buildMarket, toWad } from './market.ts';
import { type Scenario, scenarioSchema } from './schema.ts';

const base = (market: unknown): Scenario =>
  scenarioSchema.parse({
    name: 't', title: 't', sources: ['a synthetic test scenario'], modelling: 'm', seed: 's', vaults: 3, steps: 30, stepSeconds: 12,
    chain: { blockSeconds: 12, blockGasLimit: 30_000_000, otherTrafficShare: [[0, 0]], gasPriceGwei: [[0, 1]], gasTokenPriceGusd: 2000 },
    market, keeper: { kickDelaySteps: 0, maxFeeGwei: 10 },
    bidders: [{ name: 'b', count: 1, reactionSteps: 0, capitalGusd: 0, marginBps: 0, flash: true, maxFeeGwei: 10 }],
  });
const prices = new Map([['ETH-A', 2000]]);

describe('buildMarket', () => {
  it('is a pure function of the seed', () => {
    const sc = base({ 'ETH-A': { path: [[0, 1], [29, 0.5]], volatilityBps: 50, oracle: { feeds: [{ noiseBps: 20 }] } } });
    const a = buildMarket(sc, prices);
    const b = buildMarket(sc, prices);
    expect(a.map((s) => s.ilks.get('ETH-A'))).toEqual(b.map((s) => s.ilks.get('ETH-A')));
    const c = buildMarket({ ...sc, seed: 'other' }, prices);
    expect(c[10]?.ilks.get('ETH-A')?.truth).not.toBe(a[10]?.ilks.get('ETH-A')?.truth);
  });

  it('follows the path, lags, floors at minAnswer, applies faults and never lets the pool deepen again', () => {
    const sc = base({
      'ETH-A': {
        path: [[0, 1], [20, 0.01]],
        dexDepth: [[0, 1], [10, 0.2], [20, 1]],
        oracle: { lagSteps: 2, floorMultiple: 0.1, faults: [{ feeds: [2], multiple: 0.5, fromStep: 5, toStep: 5, pool: true, why: 'test' }] },
      },
    });
    const m = buildMarket(sc, prices);
    const at = (k: number) => m[k]?.ilks.get('ETH-A');
    expect(at(0)?.truth).toBe(toWad(2000));
    expect(at(25)?.truth).toBe(toWad(20));
    expect(at(6)?.reports[0]).toBe(at(4)?.truth); // two steps late
    expect(at(25)?.reports[0]).toBe(toWad(200)); // the floor: 0.1 × 2000
    expect(at(5)?.reports[2]).toBe(toWad(Number(at(5)?.truth) / 1e18 * 0.5));
    expect(at(5)?.poolTarget).toBe(at(5)?.reports[2]);
    expect(at(6)?.poolTarget).toBe(at(6)?.truth);
    expect(at(25)?.depth).toBeCloseTo(0.2);
  });

  it('refuses a market for an ilk the base config does not have', () => {
    expect(() => buildMarket(base({ 'DOGE-A': { path: [[0, 1]] } }), prices)).toThrow(/DOGE-A/);
  });
});
