// The Adaptive tier kind (CurveKind.Adaptive), mirroring CurvePrice.adaptiveAnchor / CollateralAuction
// `_priceNow` and `_liveTop` to the wei: an Exponential curve whose anchor follows the live mark down,
// never up, and no faster than `top / followSeconds` per second (the tier's `periodSeconds`). The redo
// rule reads only the fixed curve; a live auction's price is the curve started at the anchor, never
// below the floor `top × floorWad` (rounded up). See docs/liquidations.md, "Adaptive tiers".
import { rmulDown, rpowHalfUp } from './curves.ts';
import { mulDivUp, mulWadUp } from './math.ts';
import { BPS, MAX_UINT256 } from './units.ts';

/** Shortest follow period `addTier` accepts for an Adaptive tier (`MIN_FOLLOW_SECONDS`). */
export const MIN_FOLLOW_SECONDS = 300n;

/** What the house's mark price source answered (`IMarkPriceSource.peek()`). */
export interface MarkReading {
  readonly price: bigint;
  readonly valid: boolean;
}

const U128_MAX = (1n << 128n) - 1n;

/**
 * `_liveTop`: what a restart would start at now, `mark × startPremiumBps / BPS` rounded UP (the mark
 * capped at 2^128 − 1), or `MAX_UINT256` without a usable mark (none given, invalid, or 0): then the
 * anchor stays at `top` and the price is the fixed curve.
 */
export function liveTop(mark: MarkReading | undefined, startPremiumBps: bigint | number): bigint {
  if (!mark || !mark.valid || mark.price === 0n) return MAX_UINT256;
  const capped = mark.price < U128_MAX ? mark.price : U128_MAX;
  return mulDivUp(capped, BigInt(startPremiumBps), BPS);
}

/** `CurvePrice.anchorGuard`: `top × (followSeconds − dur) / followSeconds` rounded UP; 0 from `followSeconds` on. */
export function anchorGuard(top: bigint, dur: bigint, followSeconds: bigint): bigint {
  if (dur >= followSeconds) return 0n;
  return mulDivUp(top, followSeconds - dur, followSeconds);
}

/** `CurvePrice.adaptiveAnchor`: `min(top, max(liveTop, anchorGuard(top, dur, followSeconds)))`. */
export function adaptiveAnchor(top: bigint, dur: bigint, followSeconds: bigint, live: bigint): bigint {
  const guard = anchorGuard(top, dur, followSeconds);
  const up = live > guard ? live : guard;
  return up < top ? up : top;
}

/**
 * The live price of an Adaptive auction that needs no redo (`_priceNow` past its redo check):
 * `fixedPrice` (the Exponential curve at `top`) while the anchor is `top`; otherwise the Exponential
 * curve started at the anchor, `rmulDown(anchor, rpowHalfUp(cutRay, dur))`, never below
 * `mulWadUp(top, floorWad)`. Throws `RayMathOverflowError` where the contract reverts.
 */
export function adaptivePrice(
  t: { readonly cutRay: bigint; readonly periodSeconds: number; readonly floorWad: bigint; readonly startPremiumBps: number },
  top: bigint,
  dur: bigint,
  fixedPrice: bigint,
  mark: MarkReading | undefined,
): bigint {
  const anchor = adaptiveAnchor(top, dur, BigInt(t.periodSeconds), liveTop(mark, t.startPremiumBps));
  if (anchor === top) return fixedPrice;
  const price = rmulDown(anchor, rpowHalfUp(t.cutRay, dur));
  const floor = mulWadUp(top, t.floorWad);
  return price > floor ? price : floor;
}
