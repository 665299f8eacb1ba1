import { curvePrice, RAY, WAD } from '@gavel/contracts';
import { describe, expect, it } from 'vitest';
import { auctionTick, CurveKind, needsRedo, priceAt, quoteTake, redoAt, scaleOf, tierCurve, premiumBps, type Tier } from './auction.ts';
import { chainNow } from './clock.ts';

const tier = (kind: number, over: Partial<Tier> = {}): Tier => ({
  kind,
  cutRay: (RAY * 99n) / 100n,
  periodSeconds: 600,
  tailSeconds: 3600,
  floorWad: (WAD * 3n) / 10n,
  startPremiumBps: 11_000,
  ...over,
});

describe('local auction price ticker', () => {
  const top = 2_000n * WAD;
  const start = 1_700_000_000n;

  it('agrees with curvePrice to the wei for every curve kind and second', () => {
    for (const kind of [CurveKind.Linear, CurveKind.StairstepExponential, CurveKind.Exponential]) {
      const t = tier(kind, { periodSeconds: kind === CurveKind.StairstepExponential ? 30 : 7200 });
      const curve = tierCurve(t);
      expect(curve).toBeDefined();
      if (!curve) continue;
      for (const dur of [0n, 1n, 2n, 29n, 30n, 31n, 599n, 3600n, 7199n, 7200n, 9000n]) {
        expect(priceAt(t, top, start, start + dur)).toBe(curvePrice(curve, top, dur));
      }
    }
  });

  it('computes known values', () => {
    // Linear over 100 s: a quarter of the way down after 25 s.
    expect(priceAt(tier(CurveKind.Linear, { periodSeconds: 100 }), 100n * WAD, start, start + 25n)).toBe(75n * WAD);
    // Exponential: one second of a 1% cut.
    expect(priceAt(tier(CurveKind.Exponential), 100n * WAD, start, start + 1n)).toBe(99n * WAD);
    // Stairstep: nothing changes within a step.
    const s = tier(CurveKind.StairstepExponential, { periodSeconds: 60 });
    expect(priceAt(s, 100n * WAD, start, start + 59n)).toBe(100n * WAD);
    expect(priceAt(s, 100n * WAD, start, start + 60n)).toBe(99n * WAD);
  });

  it('falls every second as the clock ticks from the latest block', () => {
    const t = tier(CurveKind.Exponential);
    const stamp = { timestamp: start + 10n, seenAtMs: 1_000_000 };
    const a = auctionTick(t, { top, startedAt: start }, chainNow(stamp, 1_000_000));
    const b = auctionTick(t, { top, startedAt: start }, chainNow(stamp, 1_002_400));
    expect(chainNow(stamp, 1_002_400)).toBe(start + 12n);
    expect(b.price < a.price).toBe(true);
    expect(b.age).toBe(12n);
    // A clock before the block never goes backwards.
    expect(chainNow(stamp, 0)).toBe(start + 10n);
  });

  it('flags redo past the tail or below the floor, and finds when', () => {
    const t = tier(CurveKind.Linear, { periodSeconds: 1000, tailSeconds: 900, floorWad: WAD / 2n });
    expect(needsRedo(t, 100n * WAD, 60n * WAD, 100n)).toBe(false);
    expect(needsRedo(t, 100n * WAD, 49n * WAD, 100n)).toBe(true);
    expect(needsRedo(t, 100n * WAD, 90n * WAD, 901n)).toBe(true);
    // Linear to 0 in 1000 s with a 50% floor: below the floor from second 501.
    const at = redoAt(t, { top: 100n * WAD, startedAt: start });
    expect(at).toBe(start + 501n);
    expect(auctionTick(t, { top: 100n * WAD, startedAt: start }, at).needsRedo).toBe(true);
    expect(auctionTick(t, { top: 100n * WAD, startedAt: start }, at - 1n).needsRedo).toBe(false);
  });

  it('returns 0 for a tier with no curve', () => {
    expect(priceAt(tier(CurveKind.None), top, start, start)).toBe(0n);
  });
});

describe('quoteTake (mirror of _quote)', () => {
  const sale = { tab: 1_000n * WAD, lot: 10n * 10n ** 8n, minTab: 100n * WAD }; // 10 tokens of 8 decimals
  const scale = scaleOf(8);

  it('charges rounded up for a partial take', () => {
    const q = quoteTake(sale, 10n ** 8n, 50n * WAD, scale); // 1 token at 50
    expect(q).toEqual({ ok: true, collateralOut: 10n ** 8n, owe: 50n * WAD, capped: 'none' });
    const odd = quoteTake(sale, 1n, 3n, scale);
    // 1e10 × 3 / 1e18 rounds up to 1 wei.
    expect(odd).toEqual({ ok: true, collateralOut: 1n, owe: 1n, capped: 'none' });
  });

  it('caps at the tab and sells just enough collateral', () => {
    const q = quoteTake(sale, sale.lot, 200n * WAD, scale); // lot worth 2000 > tab 1000
    expect(q).toEqual({ ok: true, collateralOut: 5n * 10n ** 8n, owe: 1_000n * WAD, capped: 'tab' });
  });

  it('cuts a take that would leave less than minTab', () => {
    const q = quoteTake(sale, 9n * 10n ** 8n, 100n * WAD, scale); // owe 900, leaves 100... exactly minTab: allowed
    expect(q.ok && q.capped).toBe('none');
    const q2 = quoteTake(sale, 95n * 10n ** 7n, 100n * WAD, scale); // owe 950 leaves 50 < 100
    expect(q2).toEqual({ ok: true, collateralOut: 9n * 10n ** 8n, owe: 900n * WAD, capped: 'minTab' });
    const small = quoteTake({ ...sale, tab: 90n * WAD }, 10n ** 7n, 100n * WAD, scale);
    expect(small).toEqual({ ok: false, error: 'PartialTakeBelowMinimum' });
  });

  it('refuses zero', () => {
    expect(quoteTake(sale, 0n, WAD, scale)).toEqual({ ok: false, error: 'ZeroAmount' });
    expect(quoteTake(sale, 1n, 0n, scale)).toEqual({ ok: false, error: 'ZeroPrice' });
  });

  it('reports the price against the market', () => {
    expect(premiumBps(95n * WAD, 100n * WAD)).toBe(-500n);
    expect(premiumBps(WAD, 0n)).toBeUndefined();
  });
});
