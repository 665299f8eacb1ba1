// Local mirror of the auction house's pricing: the curve of a tier, the price at any second, the
// redo rule and what a take would deliver and cost. Pure bigint math; it must agree with the
// contract (and with @gavel/contracts' curvePrice) to the wei, so the price can tick every second
// in the browser without a call per tick.
import { curvePrice, type Curve, WAD } from '@gavel/contracts';

/** `ICollateralAuction.CurveKind` as stored on chain. */
export const CurveKind = { None: 0, Linear: 1, StairstepExponential: 2, Exponential: 3 } as const;

/** `ICollateralAuction.Tier` as read from the chain. */
export interface Tier {
  kind: number;
  cutRay: bigint;
  periodSeconds: number;
  tailSeconds: number;
  floorWad: bigint;
  startPremiumBps: number;
}

/** The parts of `ICollateralAuction.Sale` pricing needs. */
export interface SaleCore {
  tab: bigint;
  lot: bigint;
  top: bigint;
  startedAt: bigint;
  minTab: bigint;
}

/** The `@gavel/contracts` curve of a tier; undefined for `None` or parameters the contract rejects. */
export function tierCurve(tier: Tier): Curve | undefined {
  const period = BigInt(tier.periodSeconds);
  switch (tier.kind) {
    case CurveKind.Linear:
      return period > 0n ? { kind: 'LinearDecrease', tau: period } : undefined;
    case CurveKind.StairstepExponential:
      return period > 0n && tier.cutRay > 0n ? { kind: 'StairstepExponentialDecrease', cut: tier.cutRay, step: period } : undefined;
    case CurveKind.Exponential:
      return tier.cutRay > 0n ? { kind: 'ExponentialDecrease', cut: tier.cutRay } : undefined;
    default:
      return undefined;
  }
}

/** Seconds since the auction (re)started at chain time `now`; 0 before it. */
export function auctionAge(startedAt: bigint, now: bigint): bigint {
  return now > startedAt ? now - startedAt : 0n;
}

/** Price at chain time `now`, exactly as `CurvePrice.price(kind, cut, period, top, now - startedAt)`. */
export function priceAt(tier: Tier, top: bigint, startedAt: bigint, now: bigint): bigint {
  const curve = tierCurve(tier);
  if (!curve) return 0n;
  // The contract dispatches anything that is not Exponential or Stairstep to linear; tierCurve
  // returns undefined only for parameters the contract would never accept in a tier.
  return curvePrice(curve, top, auctionAge(startedAt, now));
}

/** `mulWad` rounded down, as solady's FixedPointMathLib. */
export function mulWad(x: bigint, y: bigint): bigint {
  return (x * y) / WAD;
}

/** `mulDivUp(x, y, d)`. */
export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  const p = x * y;
  return p === 0n ? 0n : (p - 1n) / d + 1n;
}

/** The price below which the auction needs a redo. */
export function floorPrice(tier: Tier, top: bigint): bigint {
  return mulWad(top, tier.floorWad);
}

/** `_needsRedo`: older than the tail, or priced below the floor. */
export function needsRedo(tier: Tier, top: bigint, price: bigint, age: bigint): boolean {
  return age > BigInt(tier.tailSeconds) || price < floorPrice(tier, top);
}

/** Everything the UI shows about an auction at one instant. */
export interface AuctionTick {
  price: bigint;
  age: bigint;
  needsRedo: boolean;
}

export function auctionTick(tier: Tier, sale: Pick<SaleCore, 'top' | 'startedAt'>, now: bigint): AuctionTick {
  const age = auctionAge(sale.startedAt, now);
  const price = priceAt(tier, sale.top, sale.startedAt, now);
  return { price, age, needsRedo: needsRedo(tier, sale.top, price, age) };
}

/** When the auction will need a redo, in chain seconds: the tail or the floor, whichever is first. */
export function redoAt(tier: Tier, sale: Pick<SaleCore, 'top' | 'startedAt'>): bigint {
  const tailEnd = sale.startedAt + BigInt(tier.tailSeconds) + 1n;
  // The price is non-increasing: binary search the first second below the floor, before the tail.
  const floor = floorPrice(tier, sale.top);
  let lo = sale.startedAt;
  let hi = tailEnd;
  if (priceAt(tier, sale.top, sale.startedAt, hi) >= floor) return tailEnd;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (priceAt(tier, sale.top, sale.startedAt, mid) < floor) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

export type TakeQuote =
  | { ok: true; collateralOut: bigint; owe: bigint; capped: 'none' | 'tab' | 'minTab' }
  | { ok: false; error: 'PartialTakeBelowMinimum' | 'ZeroCollateralOut' | 'ZeroAmount' | 'ZeroPrice' };

/**
 * `_quote`: what a take of up to `amount` (collateral base units) at `price` (WAD per whole token)
 * delivers and costs. `scale` is `10 ** (18 - decimals)`. The bidder pays rounded up and receives
 * rounded down; a take may not leave a tab below `minTab`.
 */
export function quoteTake(sale: Pick<SaleCore, 'tab' | 'lot' | 'minTab'>, amount: bigint, price: bigint, scale: bigint): TakeQuote {
  if (amount === 0n) return { ok: false, error: 'ZeroAmount' };
  if (price === 0n) return { ok: false, error: 'ZeroPrice' };
  let collateralOut = amount < sale.lot ? amount : sale.lot;
  let owe = mulDivUp(collateralOut * scale, price, WAD);
  let capped: 'none' | 'tab' | 'minTab' = 'none';
  if (owe > sale.tab) {
    owe = sale.tab;
    collateralOut = (sale.tab * WAD) / (price * scale);
    capped = 'tab';
  } else if (owe < sale.tab && collateralOut < sale.lot && sale.tab - owe < sale.minTab) {
    if (sale.tab <= sale.minTab) return { ok: false, error: 'PartialTakeBelowMinimum' };
    owe = sale.tab - sale.minTab;
    collateralOut = (owe * WAD) / (price * scale);
    capped = 'minTab';
  }
  if (collateralOut === 0n) return { ok: false, error: 'ZeroCollateralOut' };
  return { ok: true, collateralOut, owe, capped };
}

/** `10 ** (18 - decimals)`: collateral base units to WAD. */
export function scaleOf(decimals: number): bigint {
  return 10n ** BigInt(18 - decimals);
}

/**
 * The auction price relative to the market (mark) price in basis points: negative is a discount.
 * Undefined without a market price.
 */
export function premiumBps(price: bigint, mark: bigint): bigint | undefined {
  if (mark === 0n) return undefined;
  return ((price - mark) * 10_000n) / mark;
}

/** Collateral the whole lot is worth to a bidder at `price`, in stablecoin (WAD). */
export function lotValue(lot: bigint, price: bigint, scale: bigint): bigint {
  return (lot * scale * price) / WAD;
}
