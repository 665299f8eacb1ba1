import { describe, expect, it } from 'vitest';
import { MIN_FOLLOW_SECONDS, adaptiveAnchor, adaptivePrice, anchorGuard, liveTop } from './adaptive.ts';
import { CurveKind, InvalidTierError, type Tier, auctionStatus, livePrice, quoteAuction, tierPrice, validateTier } from './auction.ts';
import { exponentialDecreasePrice } from './curves.ts';
import { MAX_UINT256, RAY, WAD } from './units.ts';

const tier: Tier = { kind: CurveKind.Adaptive, cutRay: (999n * RAY) / 1000n, periodSeconds: 1800, tailSeconds: 3600, floorWad: WAD / 2n, startPremiumBps: 11_000 };
const top = 60_500n * WAD; // kicked at a mark of 55,000
const kickMark = { price: 55_000n * WAD, valid: true };

describe('liveTop', () => {
  it('is mark × premium rounded up', () => {
    expect(liveTop({ price: 3n, valid: true }, 11_000)).toBe(4n); // 3.3 → 4
    expect(liveTop(kickMark, 11_000)).toBe(top);
  });
  it('is MAX_UINT256 without a usable mark', () => {
    expect(liveTop(undefined, 11_000)).toBe(MAX_UINT256);
    expect(liveTop({ price: 1n, valid: false }, 11_000)).toBe(MAX_UINT256);
    expect(liveTop({ price: 0n, valid: true }, 11_000)).toBe(MAX_UINT256);
  });
  it('caps the mark at 2^128 − 1', () => {
    expect(liveTop({ price: MAX_UINT256, valid: true }, 10_000)).toBe((1n << 128n) - 1n);
  });
});

describe('anchorGuard', () => {
  it('falls linearly to 0 at followSeconds, rounded up', () => {
    expect(anchorGuard(1000n, 0n, 300n)).toBe(1000n);
    expect(anchorGuard(1000n, 1n, 300n)).toBe(997n); // 996.67 → 997
    expect(anchorGuard(1000n, 299n, 300n)).toBe(4n); // 3.33 → 4
    expect(anchorGuard(1000n, 300n, 300n)).toBe(0n);
  });
});

describe('adaptiveAnchor', () => {
  it('follows the mark down, never up, never below the guard', () => {
    expect(adaptiveAnchor(1000n, 60n, 600n, 950n)).toBe(950n);
    expect(adaptiveAnchor(1000n, 60n, 600n, 2000n)).toBe(1000n);
    expect(adaptiveAnchor(1000n, 60n, 600n, 1n)).toBe(900n);
  });
});

describe('adaptivePrice / livePrice', () => {
  it('is the fixed curve while the mark is at or above the kick’s, or missing', () => {
    for (const mark of [kickMark, { price: kickMark.price * 2n, valid: true }, undefined, { price: 1n, valid: false }]) {
      expect(livePrice(tier, top, 200n, mark)).toEqual({ price: exponentialDecreasePrice(top, 200n, tier.cutRay), needsRedo: false });
    }
  });
  it('follows a falling mark: the curve started at the live top', () => {
    const mark = { price: 53_000n * WAD, valid: true }; // live top 58,300, above the guard (56,467 at 120 s)
    const want = exponentialDecreasePrice(58_300n * WAD, 120n, tier.cutRay);
    expect(livePrice(tier, top, 120n, mark).price).toBe(want);
  });
  it('bounds a fake drop by the guard and the floor', () => {
    const fake = { price: 1n, valid: true };
    expect(livePrice(tier, top, 60n, fake).price).toBe(exponentialDecreasePrice(anchorGuard(top, 60n, 1800n), 60n, tier.cutRay));
    // At 600 s the guard's curve (0.667 × 0.549 of top) is below the floor: the floor holds.
    expect(adaptivePrice(tier, top, 600n, tierPrice(tier, top, 600n), fake)).toBe(top / 2n);
  });
  it('decides redo from the fixed curve only; a redo-due auction reports the fixed curve', () => {
    const st = auctionStatus(tier, { top, startedAt: 0n, redos: 0 }, 1000n, { price: 1n, valid: true });
    expect(st.needsRedo).toBe(true);
    expect(st.price).toBe(tierPrice(tier, top, 1000n));
    const live = auctionStatus(tier, { top, startedAt: 0n, redos: 0 }, 300n, { price: 1n, valid: true });
    expect(live.needsRedo).toBe(false);
    expect(live.takeoverDue).toBe(false);
  });
  it('quotes at the adaptive price', () => {
    const mark = { price: 53_000n * WAD, valid: true }; // live top 58,300, above the guard (56,467 at 120 s)
    const q = quoteAuction(tier, { tab: 10n ** 30n, lot: 10n ** 18n, top, startedAt: 0n, minTab: 0n }, 10n ** 18n, 120n, 1n, mark);
    expect(q.ok && q.price).toBe(exponentialDecreasePrice(58_300n * WAD, 120n, tier.cutRay));
  });
});

describe('validateTier (Adaptive)', () => {
  it(`refuses a follow period below ${MIN_FOLLOW_SECONDS} s, a zero cut and a zero floor`, () => {
    expect(() => { validateTier({ ...tier, periodSeconds: 299 }); }).toThrow(new InvalidTierError(2n, 299n));
    expect(() => { validateTier({ ...tier, periodSeconds: 300 }); }).not.toThrow();
    expect(() => { validateTier({ ...tier, cutRay: 0n }); }).toThrow(new InvalidTierError(1n, 0n));
    expect(() => { validateTier({ ...tier, floorWad: 0n }); }).toThrow(new InvalidTierError(4n, 0n));
  });
});
