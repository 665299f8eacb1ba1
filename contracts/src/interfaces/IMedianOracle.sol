// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IMedianOracle
/// @notice The mark price of one collateral asset: the median of N `IFeed` adapters, with a quorum of
/// fresh feeds, a staleness bound, a maximum change per update (a larger move is CLAMPED to the
/// bound, never rejected) and an optional OSM-style delay of `hop` seconds (0 = real time).
/// @dev Units: prices WAD (quote per whole collateral token), `maxChangeBps` basis points, times in
/// seconds. `poke` is permissionless. Rules (contracts/src/oracles/README.md):
/// - a feed counts as fresh when its `read()` succeeds within `FEED_READ_GAS`, returns 64 bytes,
///   `0 < price <= type(uint128).max` and `block.timestamp - maxAgeSeconds <= updatedAt <= block.timestamp`;
/// - median of the fresh values; with an even count, of the two middle values the one nearest the last
///   accepted value `next` (`next` itself when it lies between them; the lower one before any value):
///   one dishonest feed can hold or slow the mark, never push it outside the honest reports;
/// - at least `MIN_FEEDS` (3) feeds, `quorum` a strict majority of them;
/// - fewer fresh feeds than `quorum` (than `MIN_FEEDS` for the first value ever): `poke` reverts
///   `QuorumNotMet` and nothing changes;
/// - the accepted value moves from the last accepted one (`next`) by at most `maxChangeBps`
///   (`|accepted - next| * 10_000 <= next * maxChangeBps`); the first accepted value is not bounded;
/// - `hop == 0`: `current = next = accepted`, at most one poke per block timestamp;
///   `hop > 0`: `current = next; next = accepted`, at most one poke per `hop` (OSM: the epoch start is
///   `block.timestamp - block.timestamp % hop`);
/// - `peek` is valid while `current != 0` and `block.timestamp <= lastPoke + hop + maxAgeSeconds`.
interface IMedianOracle {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A zero address was given for the owner or a feed.
    error ZeroAddress();

    /// @notice The feed list has `count` entries; it must have at most `max`.
    error FeedCountOutOfRange(uint256 count, uint256 max);

    /// @notice The feed list has `count` entries; at least `min` are needed so that one feed cannot
    /// decide the mark.
    error TooFewFeeds(uint256 count, uint256 min);

    /// @notice `feed` appears more than once in the feed list.
    error DuplicateFeed(address feed);

    /// @notice `feed` has no code.
    error FeedNotContract(address feed);

    /// @notice `quorum` must be between 1 and the number of feeds, `feedCount`.
    error QuorumOutOfRange(uint256 quorum, uint256 feedCount);

    /// @notice `quorum` is not a strict majority of `feedCount` feeds (`2 × quorum <= feedCount`): a
    /// minority of the configured sources could set the mark.
    error QuorumNotMajority(uint256 quorum, uint256 feedCount);

    /// @notice `maxAgeSeconds` is outside [`min`, `max`].
    error MaxAgeOutOfRange(uint256 maxAgeSeconds, uint256 min, uint256 max);

    /// @notice `maxChangeBps` is outside [`min`, `max`].
    error MaxChangeOutOfRange(uint256 maxChangeBps, uint256 min, uint256 max);

    /// @notice `hop` is above `max` seconds.
    error HopOutOfRange(uint256 hop, uint256 max);

    /// @notice Only `fresh` feeds gave a usable value; `quorum` are required (`MIN_FEEDS` for the first
    /// value ever).
    error QuorumNotMet(uint256 fresh, uint256 quorum);

    /// @notice A poke is not allowed before `readyAt` (one per block timestamp when `hop == 0`, one per
    /// `hop` otherwise).
    error PokeTooEarly(uint256 readyAt);

    /// @notice `gasLeft` is below `required`, the gas a full `FEED_READ_GAS` feed read needs. Reverting
    /// (instead of letting the feed run out of gas and be skipped) stops a caller from choosing which
    /// feeds count by choosing the transaction's gas.
    error InsufficientGas(uint256 gasLeft, uint256 required);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The feed list and quorum were set (constructor or governance). Feed `i` of `feeds` is bit
    /// `i` of `MarkPriceUpdated.freshMask`.
    event FeedsSet(address[] feeds, uint256 quorum);

    /// @notice The quorum was set to `quorum`.
    event QuorumSet(uint256 quorum);

    /// @notice The staleness bound was set to `maxAgeSeconds`.
    event MaxAgeSet(uint256 maxAgeSeconds);

    /// @notice The maximum change per update was set to `maxChangeBps`.
    event MaxChangeSet(uint256 maxChangeBps);

    /// @notice The delay was set to `hop` seconds (0 = real time).
    event HopSet(uint256 hop);

    /// @notice A poke accepted a new value.
    /// @param currentWad The mark price now in force (`peek`).
    /// @param nextWad The value queued for the next hop (`peep`); equals `currentWad` when `hop == 0`.
    /// @param medianWad The median of the fresh feeds (even count: the middle value nearest the previous
    /// `next`), before the max-change clamp.
    /// @param freshMask Bit `i` set when feed `i` (order of the last `FeedsSet`) was fresh and counted.
    /// @param clamped True when `medianWad` moved more than `maxChangeBps` and `nextWad` was clamped.
    event MarkPriceUpdated(uint256 currentWad, uint256 nextWad, uint256 medianWad, uint256 freshMask, bool clamped);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Recomputes the median of the fresh feeds, clamps it to the max change from `next`, and
    /// shifts it in (`hop == 0`: current and next at once; `hop > 0`: current = next, next = new).
    /// Permissionless. Reverts `PokeTooEarly`, `QuorumNotMet` or `InsufficientGas`, changing nothing.
    /// Emits `MarkPriceUpdated`.
    /// @return currentWad The mark price now in force.
    /// @return nextWad The value queued for the next hop (equal to `currentWad` when `hop == 0`).
    function poke() external returns (uint256 currentWad, uint256 nextWad);

    /// @notice The mark price in force and whether it may be used.
    /// @return priceWad Current mark price, WAD (0 before the first value took effect).
    /// @return valid True when `priceWad != 0` and the last poke is at most `hop + maxAgeSeconds` old.
    function peek() external view returns (uint256 priceWad, bool valid);

    /// @notice The value queued to take effect at the next hop (equal to `peek`'s when `hop == 0`).
    /// @return priceWad Next mark price, WAD.
    /// @return valid Same freshness rule as `peek`, for the queued value.
    function peep() external view returns (uint256 priceWad, bool valid);

    /// @notice What a poke now would compute, without the clamp and without changing state.
    /// @return medianWad Median of the fresh feeds (even count: the middle value nearest `next`, see
    /// `poke`); 0 when fewer than `quorum` are fresh.
    /// @return freshCount Number of fresh feeds.
    /// @return freshMask Bit `i` set when feed `i` is fresh.
    function compute() external view returns (uint256 medianWad, uint256 freshCount, uint256 freshMask);

    /// @notice Earliest unix time the next `poke` is allowed.
    function readyAt() external view returns (uint256);

    /// @notice Unix time of the last accepted poke (floored to a multiple of `hop` when `hop > 0`, as the
    /// OSM's `zzz`); 0 before the first.
    function lastPokeAt() external view returns (uint256);

    /// @notice The feed adapters, in the order of `freshMask` bits.
    function feeds() external view returns (address[] memory);

    /// @notice Minimum number of fresh feeds a poke needs.
    function quorum() external view returns (uint256);

    /// @notice Staleness bound, seconds: a feed value older than this is skipped, and the mark price
    /// stops being valid this long after the poke that should have replaced it.
    function maxAgeSeconds() external view returns (uint256);

    /// @notice Maximum change of the accepted value per poke, basis points of the previous one.
    function maxChangeBps() external view returns (uint256);

    /// @notice Delay in seconds between a value's acceptance and its use (0 = real time).
    function hop() external view returns (uint256);

    /// @notice Replaces the feed list and the quorum. Only the owner (governance). Emits `FeedsSet`.
    /// @param newFeeds `MIN_FEEDS` (3) to `MAX_FEEDS` distinct contracts implementing `IFeed`.
    /// @param newQuorum A strict majority of `newFeeds.length`, at most all of them.
    function setFeeds(address[] calldata newFeeds, uint256 newQuorum) external;

    /// @notice Sets the quorum. Only the owner. Emits `QuorumSet`.
    /// @param newQuorum A strict majority of the number of feeds, at most all of them.
    function setQuorum(uint256 newQuorum) external;

    /// @notice Sets the staleness bound. Only the owner. Emits `MaxAgeSet`.
    /// @param newMaxAgeSeconds Between `MIN_MAX_AGE` and `MAX_MAX_AGE`.
    function setMaxAge(uint256 newMaxAgeSeconds) external;

    /// @notice Sets the maximum change per poke. Only the owner. Emits `MaxChangeSet`.
    /// @param newMaxChangeBps Between `MIN_MAX_CHANGE_BPS` and `MAX_MAX_CHANGE_BPS`.
    function setMaxChange(uint256 newMaxChangeBps) external;

    /// @notice Sets the delay. Only the owner. Emits `HopSet`. Takes effect from the next poke.
    /// @param newHop Seconds, at most `MAX_HOP`; 0 = real time.
    function setHop(uint256 newHop) external;
}
