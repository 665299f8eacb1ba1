// Auction rules, mirroring CollateralAuction (contracts/src/CollateralAuction.sol) to the wei: a tier's
// price curve (CurvePrice.price: one rule for every kind and period, period 0 included), an auction's
// status (price, redo due, takeover due), what a take delivers and costs (`quote`), the redo incentive
// and the start price of a kick or redo.
import { MIN_FOLLOW_SECONDS, type MarkReading, adaptivePrice } from './adaptive.ts';
import { rmulDown, rpowHalfUp, type Curve } from './curves.ts';
import { mulDiv, mulDivUp, mulWad, mulWadUp } from './math.ts';
import { BPS, MAX_UINT256, RAY, WAD } from './units.ts';

/** `ICollateralAuction.CurveKind` as stored on chain. */
export const CurveKind = { None: 0, Linear: 1, StairstepExponential: 2, Exponential: 3, Adaptive: 4 } as const;
export type CurveKindValue = (typeof CurveKind)[keyof typeof CurveKind];

/** `ICollateralAuction.Tier` as read from the chain (`tier(id)`). */
export interface Tier {
  readonly kind: number;
  readonly cutRay: bigint;
  readonly periodSeconds: number;
  readonly tailSeconds: number;
  readonly floorWad: bigint;
  readonly startPremiumBps: number;
}

/** The fields of `ICollateralAuction.Sale` (`sale(id)`) the pricing rules read. */
export interface Sale {
  /** Stablecoin still to raise, WAD, penalty included. */
  readonly tab: bigint;
  /** Collateral still for sale, native units; 0 means over. */
  readonly lot: bigint;
  /** Start price, WAD per whole token. */
  readonly top: bigint;
  /** Timestamp of the kick or the last redo. */
  readonly startedAt: bigint;
  /** Smallest tab a partial take may leave, WAD. */
  readonly minTab: bigint;
  /** Redos so far. */
  readonly redos: number;
}

/** Shortest tail a tier may have (`MIN_TAIL_SECONDS`). */
export const MIN_TAIL_SECONDS = 60n;
/** Largest start premium (`MAX_START_PREMIUM_BPS`: 5× the mark). */
export const MAX_START_PREMIUM_BPS = 50_000n;

/** A tier `addTier` rejects: `InvalidTier(code, value)` with the contract's codes 0–5. */
export class InvalidTierError extends RangeError {
  override readonly name = 'InvalidTierError';
  constructor(
    readonly code: bigint,
    readonly value: bigint,
  ) {
    super(`InvalidTier(${code}, ${value})`);
  }
}

/** `_validateTier`: throws {@link InvalidTierError} exactly where `addTier` reverts. */
export function validateTier(t: Tier): void {
  const period = BigInt(t.periodSeconds);
  if (t.kind === CurveKind.None) throw new InvalidTierError(0n, 0n);
  if (t.kind !== CurveKind.Linear && (t.cutRay === 0n || t.cutRay > RAY)) throw new InvalidTierError(1n, t.cutRay);
  if (t.kind !== CurveKind.Exponential && period === 0n) throw new InvalidTierError(2n, period);
  // An Adaptive anchor that could fall to 0 within minutes would let one low mark read sell cheap.
  if (t.kind === CurveKind.Adaptive && period < MIN_FOLLOW_SECONDS) throw new InvalidTierError(2n, period);
  if (BigInt(t.tailSeconds) < MIN_TAIL_SECONDS) throw new InvalidTierError(3n, BigInt(t.tailSeconds));
  // A zero floor would let a curve that reaches 0 give the lot away: every tier has one above 0.
  if (t.floorWad === 0n || t.floorWad >= WAD) throw new InvalidTierError(4n, t.floorWad);
  const premium = BigInt(t.startPremiumBps);
  if (premium === 0n || premium > MAX_START_PREMIUM_BPS) throw new InvalidTierError(5n, premium);
}

/**
 * The standalone curve contract equal to a tier's curve (for display and the curve contracts' own
 * rules). Throws {@link InvalidTierError} for a tier `addTier` rejects: one rule, so a period of 0 is
 * refused for Linear and Stairstep and ignored for Exponential, as on chain.
 */
export function tierCurve(t: Tier): Curve {
  validateTier(t);
  const period = BigInt(t.periodSeconds);
  // An Adaptive tier's fixed curve (its price while the mark is at or above the kick's).
  if (t.kind === CurveKind.Exponential || t.kind === CurveKind.Adaptive) return { kind: 'ExponentialDecrease', cut: t.cutRay };
  if (t.kind === CurveKind.StairstepExponential) return { kind: 'StairstepExponentialDecrease', cut: t.cutRay, step: period };
  return { kind: 'LinearDecrease', tau: period };
}

/** Solidity `Panic(uint256)`: 0x11 arithmetic overflow, 0x12 division by zero. */
export class PanicError extends RangeError {
  override readonly name = 'PanicError';
  constructor(readonly code: bigint) {
    super(`Panic(0x${code.toString(16)})`);
  }
}

/**
 * `CurvePrice.price(kind, cutRay, period, top, dur)`: the price `dur` seconds after the auction started
 * at `top`: the tier's FIXED curve. Exponential and Adaptive are `top × cut ^ dur`; anything below
 * Stairstep is priced linearly (as the contract dispatches). An Adaptive auction's live price can be
 * lower (see {@link livePrice}). Throws `RayMathOverflowError` (curves.ts) or {@link PanicError} where
 * the contract reverts.
 */
export function tierPrice(t: Pick<Tier, 'kind' | 'cutRay' | 'periodSeconds'>, top: bigint, dur: bigint): bigint {
  const period = BigInt(t.periodSeconds);
  if (t.kind >= CurveKind.Exponential) return rmulDown(top, rpowHalfUp(t.cutRay, dur));
  if (t.kind === CurveKind.StairstepExponential) {
    if (period === 0n) throw new PanicError(0x12n);
    return rmulDown(top, rpowHalfUp(t.cutRay, dur / period));
  }
  if (dur >= period) return 0n;
  const factor = (period - dur) * RAY;
  if (factor > MAX_UINT256) throw new PanicError(0x11n);
  return rmulDown(top, factor / period);
}

/** Seconds since the auction (re)started at chain time `now`; 0 before it. */
export function auctionAge(startedAt: bigint, now: bigint): bigint {
  return now > startedAt ? now - startedAt : 0n;
}

/**
 * `_priceNow`: the price of an auction `age` seconds old and whether it needs a redo. The redo rule
 * reads the fixed curve only ({@link tierPrice}); a live Adaptive auction is then priced from the
 * house's mark (`mark`, what `priceSource.peek()` answers; without one, the fixed curve, which is the
 * most an Adaptive auction ever asks).
 */
export function livePrice(t: Tier, top: bigint, age: bigint, mark?: MarkReading): { readonly price: bigint; readonly needsRedo: boolean } {
  const fixed = tierPrice(t, top, age);
  const redo = needsRedo(t, top, fixed, age);
  if (redo || t.kind !== CurveKind.Adaptive) return { price: fixed, needsRedo: redo };
  return { price: adaptivePrice(t, top, age, fixed, mark), needsRedo: false };
}

/** `_floorPrice`: the price below which the auction needs a redo, `top × floorWad` rounded up (at least 1 for a live auction: no live price is 0). */
export function floorPrice(t: Pick<Tier, 'floorWad'>, top: bigint): bigint {
  return mulWadUp(top, t.floorWad);
}

/** `_needsRedo`: older than the tail, or priced below the floor. */
export function needsRedo(t: Pick<Tier, 'tailSeconds' | 'floorWad'>, top: bigint, price: bigint, age: bigint): boolean {
  return age > BigInt(t.tailSeconds) || price < floorPrice(t, top);
}

/** `_takeoverPrice`'s condition: below the floor, or past the tail again after a redo. */
export function takeoverDue(t: Pick<Tier, 'tailSeconds' | 'floorWad'>, top: bigint, price: bigint, age: bigint, redos: number): boolean {
  return price < floorPrice(t, top) || (redos > 0 && age > BigInt(t.tailSeconds));
}

/** Why a kick, redo or takeover cannot price its start: `_markPrice` (`NoMarkPrice`: the oracle's `peek` invalid or 0) and `_startPrice` (`StartPriceZero`; `AmountTooLarge(top, 2^96 − 1)`). */
export type StartPriceRefusal =
  | { readonly error: 'NoMarkPrice' }
  | { readonly error: 'StartPriceZero' }
  | { readonly error: 'AmountTooLarge'; readonly value: bigint; readonly max: bigint };

/** Largest start price a sale record holds (`uint96`). */
export const MAX_TOP = (1n << 96n) - 1n;

/** `_startPrice(_markPrice(), startPremiumBps)` with its refusals; `markPrice` 0 stands for an invalid `peek` (`NoMarkPrice`). */
export function checkedStartPrice(markPrice: bigint, startPremiumBps: bigint | number): { readonly ok: true; readonly top: bigint } | ({ readonly ok: false } & StartPriceRefusal) {
  if (markPrice === 0n) return { ok: false, error: 'NoMarkPrice' };
  const top = startPrice(markPrice, startPremiumBps);
  if (top === 0n) return { ok: false, error: 'StartPriceZero' };
  if (top > MAX_TOP) return { ok: false, error: 'AmountTooLarge', value: top, max: MAX_TOP };
  return { ok: true, top };
}

/** Why `takeover` refuses, or the price it pays. */
export type TakeoverPrice =
  | { readonly ok: true; readonly price: bigint; readonly curvePrice: bigint; readonly fairFloor: boolean }
  | ({ readonly ok: false } & ({ readonly error: 'TakeoverNotAllowed' } | StartPriceRefusal));

/**
 * `_takeoverPrice` at chain time `now` with mark price `markPrice` (0: `peek` invalid): refused unless
 * the curve price is below the floor or the auction passed its tail again after a redo; then the curve
 * price, but never below the fair floor `floorPrice(startPrice(mark, startPremiumBps))` (rounded up),
 * what a restart now would sell at its lowest (`fairFloor`: that floor set the price).
 */
export function takeoverPrice(t: Tier, sale: Pick<Sale, 'top' | 'startedAt' | 'redos'>, markPrice: bigint, now: bigint): TakeoverPrice {
  const age = auctionAge(sale.startedAt, now);
  const curvePrice = tierPrice(t, sale.top, age);
  if (!takeoverDue(t, sale.top, curvePrice, age, sale.redos)) return { ok: false, error: 'TakeoverNotAllowed' };
  const start = checkedStartPrice(markPrice, t.startPremiumBps);
  if (!start.ok) return start;
  const fair = floorPrice(t, start.top);
  return curvePrice < fair ? { ok: true, price: fair, curvePrice, fairFloor: true } : { ok: true, price: curvePrice, curvePrice, fairFloor: false };
}

/** What `takeover` does at `price` (from {@link takeoverPrice}): the fund buys the whole lot, or just what raises the tab (`_quote(tab, lot, 0, lot, price)`); `returned` goes back to the owner's vault. */
export function quoteTakeover(sale: Pick<Sale, 'tab' | 'lot'>, price: bigint, scale: bigint): TakeQuote & ({ readonly ok: false } | { readonly ok: true; readonly returned: bigint }) {
  const q = quoteTake({ tab: sale.tab, lot: sale.lot, minTab: 0n }, sale.lot, price, scale);
  return q.ok ? { ...q, returned: sale.lot - q.collateralOut } : q;
}

/** What `redo` pays and restarts at, or why it reverts (after the breaker guard and the live check). */
export type RedoOutcome = { readonly ok: true; readonly top: bigint; readonly incentive: bigint } | ({ readonly ok: false } & ({ readonly error: 'AuctionDoesNotNeedRedo' } | StartPriceRefusal));

/**
 * `redo(id)` of a live auction at chain time `now`, mark `markPrice` (0: `peek` invalid): refused unless
 * the auction needs a redo (`AuctionDoesNotNeedRedo`); the new top is `startPrice(mark, startPremiumBps)`
 * (checked), the incentive {@link redoIncentive} at the mark. Throws where the curve reverts on chain.
 */
export function redoOutcome(t: Tier, sale: Pick<Sale, 'tab' | 'lot' | 'minTab' | 'top' | 'startedAt' | 'redos'>, markPrice: bigint, now: bigint, scale: bigint, redoTip: bigint, redoChipWad: bigint): RedoOutcome {
  if (!auctionStatus(t, sale, now).needsRedo) return { ok: false, error: 'AuctionDoesNotNeedRedo' };
  const start = checkedStartPrice(markPrice, t.startPremiumBps);
  if (!start.ok) return start;
  return { ok: true, top: start.top, incentive: redoIncentive(sale, markPrice, scale, redoTip, redoChipWad) };
}

/** An auction's state at one instant, as `getStatus` and the take/redo/takeover guards see it. */
export interface AuctionStatus {
  readonly price: bigint;
  readonly age: bigint;
  /** Takes revert `AuctionNeedsRedo`; `redo` is allowed. */
  readonly needsRedo: boolean;
  /** The insurance fund may take it over (`takeover` does not revert `TakeoverNotAllowed`). */
  readonly takeoverDue: boolean;
}

/**
 * `getStatus(id)` at chain time `now`, plus the takeover rule. `mark` is the house's mark reading
 * (only Adaptive tiers use it; without it their price is the fixed curve, an upper bound).
 */
export function auctionStatus(t: Tier, sale: Pick<Sale, 'top' | 'startedAt' | 'redos'>, now: bigint, mark?: MarkReading): AuctionStatus {
  const age = auctionAge(sale.startedAt, now);
  const { price, needsRedo: redo } = livePrice(t, sale.top, age, mark);
  // Takeover is due only when a redo is, and then `price` is the fixed curve's.
  return { price, age, needsRedo: redo, takeoverDue: redo && takeoverDue(t, sale.top, price, age, sale.redos) };
}

/** The first chain second at which the auction needs a redo: past the tail or below the floor. */
export function redoAt(t: Tier, sale: Pick<Sale, 'top' | 'startedAt'>): bigint {
  const tail = BigInt(t.tailSeconds) + 1n;
  const floor = floorPrice(t, sale.top);
  // The price does not rise with age: binary search the first age below the floor, before the tail.
  if (tierPrice(t, sale.top, tail) >= floor) return sale.startedAt + tail;
  let lo = 0n;
  let hi = tail;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (tierPrice(t, sale.top, mid) < floor) hi = mid;
    else lo = mid + 1n;
  }
  return sale.startedAt + lo;
}

/** Why a take (or `quote`) reverts, named as the contract's custom error. */
export type TakeRefusal =
  | { readonly error: 'ZeroAmount' }
  | { readonly error: 'PartialTakeBelowMinimum'; readonly tab: bigint; readonly minTab: bigint }
  | { readonly error: 'ZeroCollateralOut'; readonly amount: bigint; readonly price: bigint }
  | { readonly error: 'Panic'; readonly code: bigint };

export type TakeQuote =
  | { readonly ok: true; readonly collateralOut: bigint; readonly owe: bigint; readonly capped: 'none' | 'tab' | 'minTab' }
  | ({ readonly ok: false } & TakeRefusal);

/**
 * `_quote`: what a take of up to `amount` (native units) at `price` (WAD per whole token) delivers and
 * costs. The bidder pays rounded up and receives rounded down; a take may not leave a tab below
 * `minTab` (it is cut to leave exactly `minTab`); taking the whole tab or lot is always allowed.
 * `scale` is `10 ** (18 - decimals)`.
 */
export function quoteTake(sale: Pick<Sale, 'tab' | 'lot' | 'minTab'>, amount: bigint, price: bigint, scale: bigint): TakeQuote {
  if (amount === 0n) return { ok: false, error: 'ZeroAmount' };
  let collateralOut = amount < sale.lot ? amount : sale.lot;
  let owe = mulDivUp(collateralOut * scale, price, WAD);
  let capped: 'none' | 'tab' | 'minTab' = 'none';
  const collateralForDown = (value: bigint): bigint | undefined => (price * scale === 0n ? undefined : mulDiv(value, WAD, price * scale));
  if (owe > sale.tab) {
    owe = sale.tab;
    const c = collateralForDown(sale.tab);
    if (c === undefined) return { ok: false, error: 'Panic', code: 0x12n };
    collateralOut = c;
    capped = 'tab';
  } else if (owe < sale.tab && collateralOut < sale.lot && sale.tab - owe < sale.minTab) {
    if (sale.tab <= sale.minTab) return { ok: false, error: 'PartialTakeBelowMinimum', tab: sale.tab, minTab: sale.minTab };
    owe = sale.tab - sale.minTab;
    const c = collateralForDown(owe);
    if (c === undefined) return { ok: false, error: 'Panic', code: 0x12n };
    collateralOut = c;
    capped = 'minTab';
  }
  if (collateralOut === 0n) return { ok: false, error: 'ZeroCollateralOut', amount, price };
  return { ok: true, collateralOut, owe, capped };
}

/** Stablecoin value of `amount` collateral at `price`, rounded up (`_valueUp`): what a take pays. */
export function collateralValueUp(amount: bigint, price: bigint, scale: bigint): bigint {
  return mulDivUp(amount * scale, price, WAD);
}

/** Value of a lot at a (market) price, WAD, rounded down: what a bidder receives in value. */
export function lotValue(lot: bigint, price: bigint, scale: bigint): bigint {
  return (lot * scale * price) / WAD;
}

/**
 * `_redoIncentive`: `tip + mulWad(tab, chipWad)` for auctions worth restarting (tab and lot value at
 * the mark at least the minimum tab), else 0.
 */
export function redoIncentive(
  sale: Pick<Sale, 'tab' | 'lot' | 'minTab'>,
  markPrice: bigint,
  scale: bigint,
  redoTip: bigint,
  redoChipWad: bigint,
): bigint {
  if ((redoTip | redoChipWad) === 0n || sale.tab < sale.minTab || mulWad(sale.lot * scale, markPrice) < sale.minTab) return 0n;
  return redoTip + mulWad(sale.tab, redoChipWad);
}

/** `_startPrice`: the top of a kick or redo, `mulDiv(markPrice, startPremiumBps, BPS)`. */
export function startPrice(markPrice: bigint, startPremiumBps: bigint | number): bigint {
  return mulDiv(markPrice, BigInt(startPremiumBps), BPS);
}

/** A house's tier table (`setTiers`): `tierIds[i]` applies to tabs up to `maxTabs[i]`, ascending. */
export interface TierTable {
  readonly tierIds: readonly bigint[];
  readonly maxTabs: readonly bigint[];
}

/** The largest bound the house stores (`type(uint240).max`): a larger `maxTab` means any tab. */
export const MAX_STORED_TAB = (1n << 240n) - 1n;

/** The table `tierFor` reverts on: governance has set no tiers (`NoTiers`). */
export class NoTiersError extends RangeError {
  override readonly name = 'NoTiersError';
  constructor() {
    super('NoTiers()');
  }
}

/**
 * `tierFor(tab)`: the tier id of the first entry whose bound (saturated at {@link MAX_STORED_TAB})
 * is at least `tab`; the last entry applies to any larger tab. Throws {@link NoTiersError} on an
 * empty table, as the contract reverts.
 */
export function tierFor(table: TierTable, tab: bigint): bigint {
  const n = table.tierIds.length;
  if (n === 0) throw new NoTiersError();
  for (let i = 0; i < n; i++) {
    const bound = table.maxTabs[i] ?? 0n;
    if (tab <= (bound < MAX_STORED_TAB ? bound : MAX_STORED_TAB)) return table.tierIds[i] ?? 0n;
  }
  return table.tierIds[n - 1] ?? 0n;
}

/**
 * Tier 1 of the seed's three: a tier whose auctions start below the mark (`startPremiumBps` <
 * 10,000), so `liquidateAndTake` can buy the lot in the kick's own transaction at a discount to the
 * mark bounded by the premium, and leave no auction behind. (A tier starting at the mark offers no
 * discount: nothing to gain from buying at once.)
 */
export function startsBelowMark(t: Pick<Tier, 'startPremiumBps'>): boolean {
  return BigInt(t.startPremiumBps) < BPS;
}

/** An auction id is `nonce << 32 | slot`. */
export function auctionSlot(id: bigint): bigint {
  return id & 0xffff_ffffn;
}

/** The kick counter value in an auction id (its high bits). */
export function auctionNonce(id: bigint): bigint {
  return id >> 32n;
}

/**
 * The auction price relative to a market price in basis points (negative: a discount); undefined
 * without a market price. Display helper.
 */
export function premiumBps(price: bigint, market: bigint): bigint | undefined {
  if (market === 0n) return undefined;
  return ((price - market) * BPS) / market;
}

/** What `quote(id, amount)` returns, or the custom error it reverts with. */
export type AuctionQuote =
  | { readonly ok: true; readonly collateralOut: bigint; readonly owe: bigint; readonly price: bigint; readonly capped: 'none' | 'tab' | 'minTab' }
  | ({ readonly ok: false } & (TakeRefusal | { readonly error: 'AuctionNotActive' } | { readonly error: 'AuctionNeedsRedo' }));

/**
 * `CollateralAuction.quote(id, amount)` at chain time `now`: the live price, then what a take of up to
 * `amount` delivers and costs, in the contract's order of checks (`AuctionNotActive`, `ZeroAmount`,
 * `AuctionNeedsRedo`, then the take's own refusals). Throws `RayMathOverflowError`/{@link PanicError}
 * where pricing reverts on chain. A bidder prices locally with this and sends `take` with `maxPrice`.
 * `mark`: the house's mark reading, for Adaptive tiers (see {@link auctionStatus}).
 */
export function quoteAuction(
  t: Tier,
  sale: Pick<Sale, 'tab' | 'lot' | 'top' | 'startedAt' | 'minTab'>,
  amount: bigint,
  now: bigint,
  scale: bigint,
  mark?: MarkReading,
): AuctionQuote {
  if (sale.lot === 0n) return { ok: false, error: 'AuctionNotActive' };
  if (amount === 0n) return { ok: false, error: 'ZeroAmount' };
  const age = auctionAge(sale.startedAt, now);
  const { price, needsRedo: redo } = livePrice(t, sale.top, age, mark);
  if (redo) return { ok: false, error: 'AuctionNeedsRedo' };
  const q = quoteTake(sale, amount, price, scale);
  return q.ok ? { ...q, price } : q;
}
