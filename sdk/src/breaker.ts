// Circuit-breaker levels of an auction house (CollateralAuction `breakerLevel()`, set by the
// CircuitBreaker): named, so no client compares with a bare 1, 2 or 3. Each level forbids what the
// one below allows, as the house's guards do (`kick`: level < 1; `redo`: level < 2; `take` and
// `takeover`: level < 3).

/** The breaker levels by name. */
export const BreakerLevel = {
  /** Everything allowed. */
  Normal: 0,
  /** No new auctions (`kick` reverts `BreakerLevelTooHigh(level, 0)`). */
  NoNewAuctions: 1,
  /** Also no redos: the level the permissionless `trip` raises a house to (`TRIP_LEVEL`). */
  NoRedo: 2,
  /** Also no takes and no takeovers (`MAX_LEVEL`). */
  TakesPaused: 3,
} as const;

export type BreakerLevelValue = (typeof BreakerLevel)[keyof typeof BreakerLevel];

/** The level `CircuitBreaker.trip` raises a house to. */
export const TRIP_LEVEL: BreakerLevelValue = BreakerLevel.NoRedo;
/** The highest level. */
export const MAX_LEVEL: BreakerLevelValue = BreakerLevel.TakesPaused;

/** A new auction (`kick`, and so `liquidate`) is allowed at this level. */
export function kickAllowed(level: number | bigint): boolean {
  return Number(level) < BreakerLevel.NoNewAuctions;
}

/** `redo` is allowed at this level. */
export function redoAllowed(level: number | bigint): boolean {
  return Number(level) < BreakerLevel.NoRedo;
}

/** `take` (and `takeover`) is allowed at this level. */
export function takeAllowed(level: number | bigint): boolean {
  return Number(level) < BreakerLevel.TakesPaused;
}

/** `takeover` by the insurance fund is allowed at this level. */
export function takeoverAllowed(level: number | bigint): boolean {
  return Number(level) < BreakerLevel.TakesPaused;
}

/** The name of a level, for logs and the UI; `Level<n>` for a value outside 0–3. */
export function breakerLevelName(level: number | bigint): string {
  const n = Number(level);
  const entry = Object.entries(BreakerLevel).find(([, v]) => v === n);
  return entry ? entry[0] : `Level${n}`;
}

/* ------------------------- trips (CircuitBreaker) ------------------------- */

/** `BPS` of the breaker's move arithmetic. */
const MOVE_BPS = 10_000n;
/** Largest price the breaker records (`uint128`): a larger `peek` is not a fresh update. */
const MAX_OBSERVED_PRICE = (1n << 128n) - 1n;

/** A registered house as the breaker sees it: its registry entry (`houseInfo`), its rise hold and the house's own level. */
export interface BreakerHouseState {
  readonly toleranceBps: bigint;
  /** No permissionless trip before this time (`RearmPending`). */
  readonly rearmAt: bigint;
  /** The oracle's `lastPokeAt()` of the last observed update. */
  readonly pokedAt: bigint;
  /** The observed update before the last one, WAD (`referencePrice`). */
  readonly referencePrice: bigint;
  /** The last observed update, WAD (`price`). */
  readonly price: bigint;
  /** `riseHeld(house)`: rises of the ilk's spot are held. */
  readonly riseHeld: boolean;
  /** The house's `breakerLevel()`. */
  readonly level: bigint;
}

/** What the breaker reads from the house's oracle: `lastPokeAt()` and `peek()`. */
export interface BreakerOracleRead {
  readonly lastPokeAt: bigint;
  readonly peekWad: bigint;
  readonly peekValid: boolean;
}

/** `_move` (`_drop` / `_rise`): the move from `referencePrice` to `price` in bps of the reference, rounded down, and whether it is strictly above the tolerance (`|ref − price| × 10 000 > ref × toleranceBps`). */
export function breakerMove(referencePrice: bigint, price: bigint, toleranceBps: bigint): { readonly moveBps: bigint; readonly rose: boolean; readonly exceeds: boolean } {
  if (price === referencePrice) return { moveBps: 0n, rose: false, exceeds: false };
  // A reference of 0 with a price above it divides by zero on chain (unreachable: the first observation is its own reference).
  if (referencePrice === 0n) throw new RangeError('Panic(0x12): breaker move from a zero reference');
  const rose = price > referencePrice;
  const moved = (rose ? price - referencePrice : referencePrice - price) * MOVE_BPS;
  return { moveBps: moved / referencePrice, rose, exceeds: moved > referencePrice * toleranceBps };
}

/** `pendingDrop(house)`: the drop the next observation would judge (the oracle's new update shifted in when there is one), and whether it trips. */
export function pendingDrop(h: BreakerHouseState, o: BreakerOracleRead): { readonly dropBps: bigint; readonly exceeds: boolean } {
  const { referencePrice, price } = observeUpdate(h, o);
  if (price >= referencePrice) return { dropBps: 0n, exceeds: false };
  const m = breakerMove(referencePrice, price, h.toleranceBps);
  return { dropBps: m.moveBps, exceeds: m.exceeds };
}

/** `_observe`: the oracle's update is new (`lastPokeAt` moved since `pokedAt`) and valid (`peek` valid, in (0, 2^128)): the pair shifts, `reference ← price ← peek` (the first observation is its own reference). */
export function observeUpdate(h: BreakerHouseState, o: BreakerOracleRead): BreakerHouseState & { readonly shifted: boolean } {
  const fresh = o.lastPokeAt !== h.pokedAt && o.peekValid && o.peekWad !== 0n && o.peekWad <= MAX_OBSERVED_PRICE;
  if (!fresh) return { ...h, shifted: false };
  return { ...h, referencePrice: h.price === 0n ? o.peekWad : h.price, price: o.peekWad, pokedAt: o.lastPokeAt, shifted: true };
}

/** A trip the breaker makes: a drop raises the house to {@link TRIP_LEVEL}; a rise also holds the spot's rises. */
export type BreakerTrip = 'drop' | 'rise' | undefined;

/** `_judge` of an observed pair at time `now`: no trip while re-arming or within the tolerance; a drop trips a house below the trip level; a rise trips unless a hold is already in force at or above it. */
export function judgeUpdate(h: BreakerHouseState, now: bigint): { readonly house: BreakerHouseState; readonly trip: BreakerTrip; readonly moveBps: bigint } {
  if (now < h.rearmAt) return { house: h, trip: undefined, moveBps: 0n };
  const m = breakerMove(h.referencePrice, h.price, h.toleranceBps);
  if (!m.exceeds) return { house: h, trip: undefined, moveBps: m.moveBps };
  const trip = BigInt(TRIP_LEVEL);
  if (m.rose) {
    if (h.riseHeld && h.level >= trip) return { house: h, trip: undefined, moveBps: m.moveBps };
    return { house: { ...h, riseHeld: true, level: h.level < trip ? trip : h.level }, trip: 'rise', moveBps: m.moveBps };
  }
  if (h.level >= trip) return { house: h, trip: undefined, moveBps: m.moveBps };
  return { house: { ...h, level: trip }, trip: 'drop', moveBps: m.moveBps };
}

/** `observe(house)`: records a new update and judges it (nothing to judge when none). */
export function observeOutcome(h: BreakerHouseState, o: BreakerOracleRead, now: bigint): { readonly house: BreakerHouseState; readonly shifted: boolean; readonly trip: BreakerTrip } {
  const { shifted, ...seen } = observeUpdate(h, o);
  if (!shifted) return { house: seen, shifted: false, trip: undefined };
  const j = judgeUpdate(seen, now);
  return { house: j.house, shifted: true, trip: j.trip };
}

/** `checkRise(ilk)` for an ilk with a registered house (the Spotter's question before a spot rises): observes as {@link observeOutcome}, then whether rises are held (`holdRises`). */
export function checkRiseOutcome(h: BreakerHouseState, o: BreakerOracleRead, now: bigint): { readonly house: BreakerHouseState; readonly shifted: boolean; readonly trip: BreakerTrip; readonly holdRises: boolean } {
  const r = observeOutcome(h, o, now);
  return { ...r, holdRises: r.house.riseHeld };
}

/** Why the permissionless `trip(house)` reverts, named as the breaker's custom error. */
export type TripRefusal =
  | { readonly error: 'AlreadyTripped'; readonly level: bigint }
  | { readonly error: 'RearmPending'; readonly rearmAt: bigint }
  | { readonly error: 'RiseWithinTolerance'; readonly moveBps: bigint; readonly toleranceBps: bigint }
  | { readonly error: 'DropWithinTolerance'; readonly moveBps: bigint; readonly toleranceBps: bigint };

/**
 * `trip(house)` at time `now`: observes, then refuses a house already at the trip level (unless a rise
 * not yet held trips it again), a house re-arming, or a move within the tolerance; else trips (a drop or
 * a rise, see {@link judgeUpdate}) and returns the move in bps.
 */
export function tripOutcome(
  h: BreakerHouseState,
  o: BreakerOracleRead,
  now: bigint,
): ({ readonly ok: true; readonly house: BreakerHouseState; readonly trip: 'drop' | 'rise'; readonly moveBps: bigint }) | ({ readonly ok: false } & TripRefusal) {
  const { shifted: _shifted, ...seen } = observeUpdate(h, o);
  const rose = seen.price > seen.referencePrice;
  if (seen.level >= BigInt(TRIP_LEVEL) && (!rose || seen.riseHeld)) return { ok: false, error: 'AlreadyTripped', level: seen.level };
  if (now < seen.rearmAt) return { ok: false, error: 'RearmPending', rearmAt: seen.rearmAt };
  const m = breakerMove(seen.referencePrice, seen.price, seen.toleranceBps);
  if (!m.exceeds) return { ok: false, error: rose ? 'RiseWithinTolerance' : 'DropWithinTolerance', moveBps: m.moveBps, toleranceBps: seen.toleranceBps };
  const trip = BigInt(TRIP_LEVEL);
  const house: BreakerHouseState = rose ? { ...seen, riseHeld: true, level: seen.level < trip ? trip : seen.level } : { ...seen, level: trip };
  return { ok: true, house, trip: rose ? 'rise' : 'drop', moveBps: m.moveBps };
}
