// Mark-price rules, mirroring MedianOracle (contracts/src/oracles/MedianOracle.sol): which feed reads
// count as fresh, the median of the fresh ones (`compute`), the quorum and the per-poke change clamp
// (`poke`), and the feed-set checks of the constructor and `setFeeds`/`setQuorum`. The differential
// test (oracle.diff.test.ts) fails the day this copy and the contract disagree.

/** Fewest feeds an oracle may have (`MIN_FEEDS`); also the fresh feeds the first value ever needs. */
export const MIN_FEEDS = 3n;

/** Most feeds an oracle may have (`MAX_FEEDS`). */
export const MAX_FEEDS = 16n;

/** Highest price a feed may report (`MAX_PRICE`, uint128). */
export const MAX_PRICE = (1n << 128n) - 1n;

/** One `IFeed.read()` result; `ok: false` when the call reverted or returned too little data. */
export interface FeedRead {
  readonly ok: boolean;
  readonly priceWad: bigint;
  readonly updatedAt: bigint;
}

/** A read counts when it succeeded, is in (0, MAX_PRICE], not from the future and at most `maxAgeSeconds` old. */
export function isFreshRead(r: FeedRead, now: bigint, maxAgeSeconds: bigint): boolean {
  return r.ok && r.priceWad !== 0n && r.priceWad <= MAX_PRICE && r.updatedAt <= now && now - r.updatedAt <= maxAgeSeconds;
}

/** `compute()`: the median of the fresh reads (0 when none or below the quorum), their count and bitmap (bit i = feed i). */
export interface MedianResult {
  readonly medianWad: bigint;
  readonly freshCount: bigint;
  readonly freshMask: bigint;
}

/**
 * `MedianOracle._compute`: median of the fresh feeds, no quorum applied. Odd count: the middle value.
 * Even count: of the middle two `[lo, hi]`, the one nearest `previousNextWad` (the last accepted value,
 * `_nxt`), or `previousNextWad` itself when it lies between them; `lo` when there is none (0).
 */
export function medianOf(reads: readonly FeedRead[], now: bigint, maxAgeSeconds: bigint, previousNextWad = 0n): MedianResult {
  const prices: bigint[] = [];
  let mask = 0n;
  reads.forEach((r, i) => {
    if (isFreshRead(r, now, maxAgeSeconds)) {
      prices.push(r.priceWad);
      mask |= 1n << BigInt(i);
    }
  });
  if (prices.length === 0) return { medianWad: 0n, freshCount: 0n, freshMask: 0n };
  prices.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = prices.length >> 1;
  const hi = prices[mid] ?? 0n;
  const lo = prices[mid - 1] ?? 0n;
  // solady `clamp(prev, lo, hi)`.
  const medianWad = prices.length % 2 === 1 ? hi : previousNextWad < lo ? lo : previousNextWad > hi ? hi : previousNextWad;
  return { medianWad, freshCount: BigInt(prices.length), freshMask: mask };
}

/** `MedianOracle._required`: fresh feeds a poke needs, the quorum, and at least `MIN_FEEDS` for the first value (`previousNextWad == 0`). */
export function requiredFresh(quorum: bigint, previousNextWad: bigint): bigint {
  return previousNextWad === 0n && quorum < MIN_FEEDS ? MIN_FEEDS : quorum;
}

/** `MedianOracle.compute()`: `medianOf`, with the median 0 when fewer fresh feeds than `requiredFresh` (a poke would revert `QuorumNotMet`). */
export function computeMedian(reads: readonly FeedRead[], now: bigint, maxAgeSeconds: bigint, previousNextWad: bigint, quorum: bigint): MedianResult {
  const r = medianOf(reads, now, maxAgeSeconds, previousNextWad);
  return r.freshCount < requiredFresh(quorum, previousNextWad) ? { ...r, medianWad: 0n } : r;
}

/** Why the oracle refuses a feed set or quorum (`setFeeds`, `setQuorum`, constructor), in the contract's order. */
export type FeedConfigRefusal =
  | { readonly error: 'TooFewFeeds'; readonly count: bigint; readonly min: bigint }
  | { readonly error: 'FeedCountOutOfRange'; readonly count: bigint; readonly max: bigint }
  | { readonly error: 'QuorumOutOfRange'; readonly quorum: bigint; readonly feedCount: bigint }
  | { readonly error: 'QuorumNotMajority'; readonly quorum: bigint; readonly feedCount: bigint };

/** `_setFeeds`' count checks and `_checkQuorum`: 3 to 16 feeds and a strict-majority quorum; undefined when accepted. */
export function checkFeedConfig(feedCount: bigint, quorum: bigint): FeedConfigRefusal | undefined {
  if (feedCount < MIN_FEEDS) return { error: 'TooFewFeeds', count: feedCount, min: MIN_FEEDS };
  if (feedCount > MAX_FEEDS) return { error: 'FeedCountOutOfRange', count: feedCount, max: MAX_FEEDS };
  return checkQuorum(quorum, feedCount);
}

/** `_checkQuorum` (`setQuorum`): 1 <= quorum <= feedCount and quorum * 2 > feedCount; undefined when accepted. */
export function checkQuorum(quorum: bigint, feedCount: bigint): FeedConfigRefusal | undefined {
  if (quorum === 0n || quorum > feedCount) return { error: 'QuorumOutOfRange', quorum, feedCount };
  if (quorum * 2n <= feedCount) return { error: 'QuorumNotMajority', quorum, feedCount };
  return undefined;
}

/** The next mark of a `poke`: the median clamped to `maxChangeBps` of the previous next value (none when 0). */
export function clampChange(medianWad: bigint, previousNextWad: bigint, maxChangeBps: bigint): { nextWad: bigint; clamped: boolean } {
  if (previousNextWad === 0n) return { nextWad: medianWad, clamped: false };
  const delta = (previousNextWad * maxChangeBps) / 10_000n;
  if (medianWad > previousNextWad + delta) return { nextWad: previousNextWad + delta, clamped: true };
  if (medianWad < previousNextWad - delta) return { nextWad: previousNextWad - delta, clamped: true };
  return { nextWad: medianWad, clamped: false };
}

/** What `poke()` accepts, or why it reverts. */
export type PokeOutcome =
  | { readonly ok: true; readonly currentWad: bigint; readonly nextWad: bigint; readonly medianWad: bigint; readonly freshMask: bigint; readonly clamped: boolean }
  | { readonly ok: false; readonly error: 'PokeTooEarly'; readonly readyAt: bigint }
  | { readonly ok: false; readonly error: 'QuorumNotMet'; readonly fresh: bigint; readonly required: bigint };

/**
 * `MedianOracle.poke()` at time `now`: not before `lastPokeAt + hop` (`lastPokeAt + 1` with no hop:
 * one poke per second), at least {@link requiredFresh} fresh feeds, then the median clamped to
 * `maxChangeBps` of the last accepted value ({@link clampChange}). With a hop (OSM-style delay) the
 * value in force becomes the previous next value and the new one waits a hop; with none it is in force at once.
 */
export function pokeOutcome(
  reads: readonly FeedRead[],
  now: bigint,
  o: { readonly maxAgeSeconds: bigint; readonly previousNextWad: bigint; readonly quorum: bigint; readonly maxChangeBps: bigint; readonly hopSeconds: bigint; readonly lastPokeAt: bigint },
): PokeOutcome {
  const readyAt = o.hopSeconds === 0n ? o.lastPokeAt + 1n : o.lastPokeAt + o.hopSeconds;
  if (now < readyAt) return { ok: false, error: 'PokeTooEarly', readyAt };
  const m = medianOf(reads, now, o.maxAgeSeconds, o.previousNextWad);
  const required = requiredFresh(o.quorum, o.previousNextWad);
  if (m.freshCount < required) return { ok: false, error: 'QuorumNotMet', fresh: m.freshCount, required };
  const { nextWad, clamped } = clampChange(m.medianWad, o.previousNextWad, o.maxChangeBps);
  return { ok: true, currentWad: o.hopSeconds === 0n ? nextWad : o.previousNextWad, nextWad, medianWad: m.medianWad, freshMask: m.freshMask, clamped };
}
