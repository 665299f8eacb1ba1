// The auction rules on hand-checked values (auction.diff.test.ts checks them against the contract).
import { describe, expect, it } from 'vitest';
import { CurveKind, InvalidTierError, auctionStatus, floorPrice, needsRedo, premiumBps, quoteAuction, quoteTake, quoteTakeover, redoAt, takeoverPrice, tierCurve, tierPrice, validateTier, type Tier } from './auction.ts';
import { curvePrice } from './curves.ts';
import { scaleForDecimals } from './vault.ts';
import { RAY, WAD } from './units.ts';

const priceAt = (t: Tier, top: bigint, startedAt: bigint, now: bigint): bigint => tierPrice(t, top, now - startedAt);
const auctionTick = (t: Tier, sale: { top: bigint; startedAt: bigint }, now: bigint) => auctionStatus(t, { ...sale, redos: 0 }, now);

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

  it('one rule for every tier: tierCurve refuses what addTier refuses, tierPrice prices as CurvePrice dispatches', () => {
    expect(() => tierCurve(tier(CurveKind.None))).toThrow(InvalidTierError);
    expect(() => tierCurve(tier(CurveKind.Linear, { periodSeconds: 0 }))).toThrow('InvalidTier(2, 0)');
    expect(() => tierCurve(tier(CurveKind.StairstepExponential, { periodSeconds: 0 }))).toThrow('InvalidTier(2, 0)');
    // Exponential ignores its period: 0 is valid.
    expect(tierCurve(tier(CurveKind.Exponential, { periodSeconds: 0 }))).toEqual({ kind: 'ExponentialDecrease', cut: (RAY * 99n) / 100n });
    // The contract prices anything not Exponential or Stairstep linearly; a linear period of 0 is 0 at once.
    expect(priceAt(tier(CurveKind.None), top, start, start)).toBe(top);
    expect(priceAt(tier(CurveKind.Linear, { periodSeconds: 0 }), top, start, start)).toBe(0n);
  });
});

describe('quoteTake (mirror of _quote)', () => {
  const sale = { tab: 1_000n * WAD, lot: 10n * 10n ** 8n, minTab: 100n * WAD }; // 10 tokens of 8 decimals
  const scale = scaleForDecimals(8);

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
    expect(small).toEqual({ ok: false, error: 'PartialTakeBelowMinimum', tab: 90n * WAD, minTab: 100n * WAD });
  });

  it('refuses zero', () => {
    expect(quoteTake(sale, 0n, WAD, scale)).toEqual({ ok: false, error: 'ZeroAmount' });
    // At a price of 0 the contract's quote gives collateral for nothing (issue 12: a floor above 0 closes it);
    // the SDK says what the contract does, and where capping divides by the price, the contract panics.
    expect(quoteTake(sale, 1n, 0n, scale)).toEqual({ ok: true, collateralOut: 1n, owe: 0n, capped: 'none' });
    expect(quoteTake({ ...sale, tab: 50n * WAD, minTab: 60n * WAD }, 1n, 0n, scale)).toEqual({ ok: false, error: 'PartialTakeBelowMinimum', tab: 50n * WAD, minTab: 60n * WAD });
  });

  it('reports the price against the market', () => {
    expect(premiumBps(95n * WAD, 100n * WAD)).toBe(-500n);
    expect(premiumBps(WAD, 0n)).toBeUndefined();
  });
});

describe('price floor and takeover (CollateralAuction: floor above 0, rounded up; takeover at least the fair floor)', () => {
  const t = tier(CurveKind.Linear, { periodSeconds: 1000, tailSeconds: 5000, floorWad: (WAD * 3n) / 10n, startPremiumBps: 12_000 });

  it('refuses a tier without a floor (InvalidTier(4, 0)) and accepts the smallest one', () => {
    expect(() => { validateTier({ ...t, floorWad: 0n }); }).toThrow(new InvalidTierError(4n, 0n));
    expect(() => { validateTier({ ...t, floorWad: 1n }); }).not.toThrow();
  });

  it('rounds the floor up, so a live price is never 0', () => {
    expect(floorPrice({ floorWad: 1n }, 1n)).toBe(1n);
    expect(floorPrice({ floorWad: WAD / 3n }, 10n)).toBe(4n);
    // A linear curve reaches 0 at its period: the auction needs a redo before that, and quote refuses.
    const sale = { tab: 100n * WAD, lot: 10n * WAD, top: 3n, startedAt: 0n, minTab: 0n };
    const st = auctionStatus({ ...t, floorWad: 1n }, { ...sale, redos: 0 }, 1000n);
    expect(st.price).toBe(0n);
    expect(st.needsRedo).toBe(true);
    expect(quoteAuction({ ...t, floorWad: 1n }, sale, 10n * WAD, 1000n, 1n)).toEqual({ ok: false, error: 'AuctionNeedsRedo' });
  });

  it('takes over at the curve price or the fair floor mark × premium × floor (rounded up), whichever is higher', () => {
    const top = 2_000n * WAD;
    // Floor 2000 × 0.3 = 600: at age 700 the curve price is 600 (not below), at 800 it is 400 — takeover due.
    const sale = { top, startedAt: 0n, redos: 0 };
    expect(takeoverPrice(t, sale, 1_000n * WAD, 700n)).toEqual({ ok: false, error: 'TakeoverNotAllowed' });
    const cheapMark = takeoverPrice(t, sale, 1_000n * WAD, 800n);
    // fair = 1000 × 1.2 × 0.3 = 360 < 400: the curve price stands.
    expect(cheapMark).toEqual({ ok: true, price: 400n * WAD, curvePrice: 400n * WAD, fairFloor: false });
    // A mark of 2000: fair = 720 > 400: the fund pays the fair floor.
    expect(takeoverPrice(t, sale, 2_000n * WAD, 800n)).toEqual({ ok: true, price: 720n * WAD, curvePrice: 400n * WAD, fairFloor: true });
    // fair rounds up: mark 1 wei × 1.2 × 0.3 → 1.
    expect(takeoverPrice(t, sale, 1n, 800n)).toMatchObject({ ok: true, price: 400n * WAD });
    // Second tail after a redo, above the floor.
    expect(takeoverPrice(t, { ...sale, redos: 1 }, 1_000n * WAD, 5001n)).toMatchObject({ ok: true });
    expect(takeoverPrice(t, { ...sale, top: 10n ** 40n, redos: 0 }, 1_000n * WAD, 100n)).toEqual({ ok: false, error: 'TakeoverNotAllowed' });
  });

  it('buys just what raises the tab and returns the rest of the lot to the owner', () => {
    // Lot 10 at 720: worth 7200, tab 3600 — the fund takes 5 and 5 go back.
    expect(quoteTakeover({ tab: 3_600n * WAD, lot: 10n * WAD }, 720n * WAD, 1n)).toEqual({ ok: true, collateralOut: 5n * WAD, owe: 3_600n * WAD, capped: 'tab', returned: 5n * WAD });
    // Lot worth less than the tab: all of it, nothing returned.
    expect(quoteTakeover({ tab: 10_000n * WAD, lot: 10n * WAD }, 720n * WAD, 1n)).toEqual({ ok: true, collateralOut: 10n * WAD, owe: 7_200n * WAD, capped: 'none', returned: 0n });
  });
});
