import { describe, expect, it } from 'vitest';
import type { Metrics } from './ledger.ts';
import { loadMechanisms } from './schema.ts';
import { loadSweep, scorePoints, sweepMechanisms } from './sweep.ts';

const row = (mechanism: string, scenario: string, over: Partial<Metrics>): Metrics => ({
  scenario, mechanism, badDebt: 0, badDebtFromEvents: 0, incentives: 0, debtLeft: 0, debtLeftFromEvents: 0, openShortfall: 0,
  liquidations: 0, kicked: 0, sold: 0, takenOver: 0, left: 0, redos: 0, takes: 0, zeroBidSales: 0, ownerLossBeyondTab: 0,
  ownerLossTotal: 0, preLiquidations: 0, preLiquidationLoss: 0, preLiquidationRepaid: 0, gasUsed: 0n, gasCostGusd: 0,
  revertedTxs: 0, crowdedOut: 0, simulatedReverts: 0, infraReverts: 0, takesList: [], auctions: [], ...over,
});

const take = (owe: number) => ({ ilk: 'ETH-A', id: 1n, step: 0, timestamp: 0, price: 0n, market: 0n, owe: BigInt(owe) * 10n ** 18n, collateralOut: 0n, byFund: false });

describe('the adaptive sweep', () => {
  it('every point is the template with one tier per ilk, the point over the defaults', () => {
    const sweep = loadSweep('adaptive');
    const template = loadMechanisms().find((m) => m.name === sweep.template);
    expect(template).toBeDefined();
    const mechanisms = sweepMechanisms(sweep, template as NonNullable<typeof template>);
    expect(mechanisms).toHaveLength(sweep.points.length);
    const premium = mechanisms.find((m) => m.name === 'adaptive-b-premium-100');
    const eth = (premium?.ilks['ETH-A']?.auction ?? {}) as { tiers: Record<string, string>[]; redoTip: string };
    expect(eth.tiers).toEqual([{ ...sweep.defaults['ETH-A'], maxTab: 'max', startPremiumBps: '10000' }]);
    expect(eth.redoTip).toBe((template?.ilks['ETH-A']?.auction as { redoTip: string }).redoTip);
  });

  it('scores a point against the baseline scenario by scenario, and clearing pooled by value', () => {
    const rows = [
      row('base', 'a', { badDebt: 100, ownerLossBeyondTab: 10 }),
      row('base', 'b', { badDebt: 100, ownerLossBeyondTab: 0 }),
      // 97 paid for 100 of value, and 90 for 100: pooled 93.5%.
      row('p', 'a', { badDebt: 50, ownerLossBeyondTab: 3, clearingMean: 0.97, takesList: [take(97)] }),
      row('p', 'b', { badDebt: 101.5, ownerLossBeyondTab: 10, clearingMean: 0.9, takesList: [take(90)] }),
    ];
    const [s] = scorePoints(rows, ['p'], 'base', 0.9);
    expect(s?.clearingPooled).toBeCloseTo(0.935);
    expect(s?.badDebtOk).toBe(1);
    expect(s?.ownerLossOk).toBe(1);
    expect(s?.meetsAll).toBe(false);
  });

  it('a mechanism that extends another takes its tiers and adds its own sections', () => {
    const all = loadMechanisms();
    const pre = all.find((m) => m.name === 'adaptive-tuned-preliq');
    const parent = all.find((m) => m.name === pre?.extends);
    expect(pre?.preLiquidation?.optInShare).toBeGreaterThan(0);
    expect(pre?.ilks).toEqual(parent?.ilks);
  });
});
