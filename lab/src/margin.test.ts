import { describe, expect, it } from 'vitest';
import { WAD } from '@gavel/sdk';
import { readBaseConfig, seedPrices } from './deploy.ts';
import { type MarginCell, type ModelMetrics, drawFor, marginRows, marginTable, planHoldings } from './margin.ts';
import { loadMarginBook, marginBookSchema, type MarginBook } from './schema.ts';

const ilks = [
  { name: 'ETH-A', decimals: 18 },
  { name: 'WBTC-A', decimals: 8 },
  { name: 'USDC-A', decimals: 6 },
];
const prices = new Map([['ETH-A', 2000], ['WBTC-A', 60000], ['USDC-A', 1]]);

describe('margin book', () => {
  it('the shipped book parses and holds only portfolio-table assets of the demo config', () => {
    const book = loadMarginBook();
    const demo = readBaseConfig('demo') as { portfolio?: { assets: string[] } };
    const assets = demo.portfolio?.assets ?? [];
    for (const b of book.borrowers) for (const name of Object.keys(b.mix)) expect(assets).toContain(name);
    expect(() => planHoldings(book, ilks, seedPrices(readBaseConfig('demo')))).not.toThrow();
  });

  it('refuses shares that do not sum to 1 and repeated borrower names', () => {
    const ok = { utilization: 0.9, borrowers: [{ name: 'a', valueGusd: 1, mix: { 'ETH-A': 0.5, 'USDC-A': 0.5 } }] };
    expect(marginBookSchema.safeParse(ok).success).toBe(true);
    expect(marginBookSchema.safeParse({ ...ok, borrowers: [{ name: 'a', valueGusd: 1, mix: { 'ETH-A': 0.5 } }] }).success).toBe(false);
    expect(marginBookSchema.safeParse({ ...ok, borrowers: [...ok.borrowers, ...ok.borrowers] }).success).toBe(false);
    expect(marginBookSchema.safeParse({ ...ok, utilization: 1 }).success).toBe(false);
  });

  it('plans holdings in native units from the value, the shares and the seed prices', () => {
    const book: MarginBook = { utilization: 0.9, borrowers: [{ name: 'x', valueGusd: 600_000, utilization: 0.95, mix: { 'ETH-A': 0.45, 'WBTC-A': 0.3, 'USDC-A': 0.25 } }, { name: 'y', valueGusd: 1000, mix: { 'ETH-A': 1 } }] };
    const [x, y] = planHoldings(book, ilks, prices);
    expect(x?.holdings.get('ETH-A')).toBe(135n * WAD); // 270,000 / 2,000
    expect(x?.holdings.get('WBTC-A')).toBe(300_000_000n); // 3 WBTC, 8 decimals
    expect(x?.holdings.get('USDC-A')).toBe(150_000_000_000n); // 150,000 USDC, 6 decimals
    expect(x?.utilization).toBe(0.95);
    expect(y?.utilization).toBe(0.9);
    expect([...(y?.holdings.keys() ?? [])]).toEqual(['ETH-A']);
    expect(() => planHoldings({ ...book, borrowers: [{ name: 'z', valueGusd: 1, mix: { 'LUNA-A': 1 } }] }, ilks, prices)).toThrow(/LUNA-A/);
  });

  it('draws the share of the capacity rounded down, to the basis point', () => {
    expect(drawFor(1000n * WAD, 0.9)).toBe(900n * WAD);
    expect(drawFor(999n, 0.9)).toBe(899n);
    expect(drawFor(10_000n, 0.95)).toBe(9_500n);
  });
});

describe('margin table', () => {
  const metrics = (scenario: string, model: 'isolated' | 'portfolio', capacity: number): ModelMetrics => ({
    scenario, mechanism: 'm', model, positions: [], markValue: 1000, capacity, capacityOther: 0, drawn: capacity * 0.9,
    liquidations: 1, lots: model === 'portfolio' ? 3 : 1, positionsHit: 1, sold: 1, takenOver: 0, left: 0, debtLiquidated: 10,
    badDebt: 5, badDebtLive: 0, incentives: 5, collateralReturned: 0, ownersLost: 2, openShortfall: 0, debtLeft: 0, lotsList: [],
  });
  const cell = (m: ModelMetrics): MarginCell => ({ metrics: m, reconciliation: { attributedRad: 0n, booksRad: 0n, lots: 0, ok: true }, seconds: 1 });

  it('pairs each scenario’s isolated and portfolio runs into one row, both models side by side', () => {
    const cells = [cell(metrics('a', 'isolated', 700)), cell(metrics('b', 'portfolio', 780)), cell(metrics('a', 'portfolio', 750)), cell(metrics('b', 'isolated', 720))];
    const rows = marginRows(cells);
    expect(rows.map((r) => [r.iso.metrics.scenario, r.iso.metrics.capacity, r.pf.metrics.capacity])).toEqual([['a', 700, 750], ['b', 720, 780]]);
    const md = marginTable(rows, true).split('\n');
    expect(md).toHaveLength(4);
    expect(md[2]).toContain('700 / 750');
    expect(md[2]).toContain('70.0% / 75.0%');
    expect(md[2]).toContain('1 (1) / 1 (3)');
  });
});
