// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMedianOracle} from "../interfaces/IMedianOracle.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {LibSort} from "solady/utils/LibSort.sol";

/// @title MedianOracle
/// @notice Mark price of one collateral asset: median of N feed adapters, quorum of fresh feeds,
/// staleness bound, max change per poke (clamped), optional OSM-style delay `hop` (0 = real time).
/// @dev Rules and rationale in contracts/src/oracles/README.md. Governance is the owner (solady
/// `OwnableRoles`). Two storage slots are read by `peek` (prices, then timing), one is written by `poke`
/// besides the timing slot.
contract MedianOracle is IMedianOracle, OwnableRoles {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Maximum number of feeds (bits of `freshMask`; insertion sort stays cheap).
    uint256 public constant MAX_FEEDS = 16;

    /// @notice Minimum number of feeds, and of fresh feeds for the first value ever: with fewer, one
    /// feed decides (README, "One feed cannot move the mark").
    uint256 public constant MIN_FEEDS = 3;

    /// @notice Gas given to each feed's `read()`. A feed that needs more is skipped, deterministically.
    uint256 public constant FEED_READ_GAS = 100_000;

    /// @notice Gas that must be left before each feed read: enough that the feed gets its full
    /// `FEED_READ_GAS` after the 63/64 rule (EIP-150) and the call's own cost.
    uint256 public constant FEED_READ_GAS_REQUIRED = FEED_READ_GAS * 64 / 63 + 5000;

    /// @notice Lowest allowed staleness bound, seconds.
    uint256 public constant MIN_MAX_AGE = 60;

    /// @notice Highest allowed staleness bound, seconds (7 days).
    uint256 public constant MAX_MAX_AGE = 7 days;

    /// @notice Lowest allowed max change per poke, bps (0.1%).
    uint256 public constant MIN_MAX_CHANGE_BPS = 10;

    /// @notice Highest allowed max change per poke, bps (100%: down to any positive value, up to 2x).
    uint256 public constant MAX_MAX_CHANGE_BPS = 10_000;

    /// @notice Highest allowed delay, seconds (1 day).
    uint256 public constant MAX_HOP = 1 days;

    /// @notice Largest price a feed may report, WAD (prices are stored in 128 bits).
    uint256 public constant MAX_PRICE = type(uint128).max;

    /// @dev Basis points in one.
    uint256 internal constant _BPS = 10_000;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Mark price in force (slot 0, with `_nxt`).
    uint128 internal _cur;

    /// @dev Value queued for the next hop; the reference of the max-change clamp.
    uint128 internal _nxt;

    /// @dev Time of the last accepted poke, floored to a multiple of `hop` when `hop > 0` (slot 1).
    uint40 internal _zzz;

    /// @dev Delay, seconds.
    uint32 internal _hop;

    /// @dev Staleness bound, seconds.
    uint32 internal _maxAge;

    /// @dev Max change per poke, bps.
    uint16 internal _maxChangeBps;

    /// @dev Minimum number of fresh feeds.
    uint8 internal _quorum;

    /// @dev The feed adapters (slot 2).
    address[] internal _feeds;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param owner_ Governance.
    /// @param feeds_ Feed adapters (`MIN_FEEDS` to `MAX_FEEDS`, distinct contracts).
    /// @param quorum_ Minimum number of fresh feeds: a strict majority of `feeds_.length`, at most all.
    /// @param maxAgeSeconds_ Staleness bound, [`MIN_MAX_AGE`, `MAX_MAX_AGE`].
    /// @param maxChangeBps_ Max change per poke, [`MIN_MAX_CHANGE_BPS`, `MAX_MAX_CHANGE_BPS`].
    /// @param hop_ Delay, seconds, at most `MAX_HOP`; 0 = real time.
    constructor(
        address owner_,
        address[] memory feeds_,
        uint256 quorum_,
        uint256 maxAgeSeconds_,
        uint256 maxChangeBps_,
        uint256 hop_
    ) {
        if (owner_ == address(0)) revert ZeroAddress();
        _initializeOwner(owner_);
        _setFeeds(feeds_, quorum_);
        _setMaxAge(maxAgeSeconds_);
        _setMaxChange(maxChangeBps_);
        _setHop(hop_);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IMedianOracle
    function poke() external returns (uint256 currentWad, uint256 nextWad) {
        uint256 hop_ = _hop;
        uint256 ready = _readyAt(_zzz, hop_);
        // forge-lint: disable-next-line(block-timestamp) -- oracle timekeeping; a validator's seconds of drift are within every bound.
        if (block.timestamp < ready) revert PokeTooEarly(ready);

        uint256 prevNext = _nxt;
        (uint256 medianWad, uint256 fresh, uint256 mask) = _compute(_maxAge, prevNext);
        uint256 required = _required(prevNext);
        if (fresh < required) revert QuorumNotMet(fresh, required);

        // Clamp to the max change from the last accepted value. Clamp, not reject: a real crash larger
        // than the bound must still reach the engine (one bounded step per poke), or liquidations
        // would stop exactly when they are needed (README, "Clamp, not reject"). The clamp moves the
        // median toward `prevNext`, so it keeps the one-bad-feed bound of `_compute`.
        nextWad = medianWad;
        bool clamped;
        if (prevNext != 0) {
            uint256 delta = prevNext * _maxChangeBps / _BPS; // <= prevNext: maxChangeBps <= 10_000.
            if (medianWad > prevNext + delta) {
                nextWad = prevNext + delta;
                clamped = true;
            } else if (medianWad < prevNext - delta) {
                nextWad = prevNext - delta;
                clamped = true;
            }
        }
        currentWad = hop_ == 0 ? nextWad : prevNext;

        // Both fit: nextWad <= max(medianWad, prevNext) <= MAX_PRICE = type(uint128).max.
        // forge-lint: disable-next-line(unsafe-typecast) -- <= MAX_PRICE, see above.
        _cur = uint128(currentWad);
        // forge-lint: disable-next-line(unsafe-typecast) -- <= MAX_PRICE, see above.
        _nxt = uint128(nextWad);
        _zzz = uint40(hop_ == 0 ? block.timestamp : block.timestamp - block.timestamp % hop_);
        emit MarkPriceUpdated(currentWad, nextWad, medianWad, mask, clamped);
    }

    /// @inheritdoc IMedianOracle
    function peek() external view returns (uint256 priceWad, bool valid) {
        priceWad = _cur;
        valid = priceWad != 0 && _isFresh();
    }

    /// @inheritdoc IMedianOracle
    function peep() external view returns (uint256 priceWad, bool valid) {
        priceWad = _nxt;
        valid = priceWad != 0 && _isFresh();
    }

    /// @inheritdoc IMedianOracle
    function compute() external view returns (uint256 medianWad, uint256 freshCount, uint256 freshMask) {
        uint256 prevNext = _nxt;
        (medianWad, freshCount, freshMask) = _compute(_maxAge, prevNext);
        if (freshCount < _required(prevNext)) medianWad = 0;
    }

    /// @inheritdoc IMedianOracle
    function readyAt() external view returns (uint256) {
        return _readyAt(_zzz, _hop);
    }

    /// @inheritdoc IMedianOracle
    function lastPokeAt() external view returns (uint256) {
        return _zzz;
    }

    /// @inheritdoc IMedianOracle
    function feeds() external view returns (address[] memory) {
        return _feeds;
    }

    /// @inheritdoc IMedianOracle
    function quorum() external view returns (uint256) {
        return _quorum;
    }

    /// @inheritdoc IMedianOracle
    function maxAgeSeconds() external view returns (uint256) {
        return _maxAge;
    }

    /// @inheritdoc IMedianOracle
    function maxChangeBps() external view returns (uint256) {
        return _maxChangeBps;
    }

    /// @inheritdoc IMedianOracle
    function hop() external view returns (uint256) {
        return _hop;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         GOVERNANCE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IMedianOracle
    function setFeeds(address[] calldata newFeeds, uint256 newQuorum) external onlyOwner {
        _setFeeds(newFeeds, newQuorum);
    }

    /// @inheritdoc IMedianOracle
    function setQuorum(uint256 newQuorum) external onlyOwner {
        _checkQuorum(newQuorum, _feeds.length);
        // forge-lint: disable-next-line(unsafe-typecast) -- newQuorum <= feed count <= MAX_FEEDS = 16.
        _quorum = uint8(newQuorum);
        emit QuorumSet(newQuorum);
    }

    /// @inheritdoc IMedianOracle
    function setMaxAge(uint256 newMaxAgeSeconds) external onlyOwner {
        _setMaxAge(newMaxAgeSeconds);
    }

    /// @inheritdoc IMedianOracle
    function setMaxChange(uint256 newMaxChangeBps) external onlyOwner {
        _setMaxChange(newMaxChangeBps);
    }

    /// @inheritdoc IMedianOracle
    function setHop(uint256 newHop) external onlyOwner {
        _setHop(newHop);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     INTERNAL FUNCTIONS                     */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Median of the fresh feeds (0 when none), their count and bitmap. Does not apply the quorum.
    /// Odd count: the middle value. Even count: of the two middle values `[lo, hi]`, the one nearest
    /// `prevWad` (the last accepted value), or `prevWad` itself when it lies between them; `lo` when
    /// there is no previous value. Any value in `[lo, hi]` is a median; choosing the one nearest the
    /// previous mark means one dishonest feed among two fresh ones can hold or slow the mark, never
    /// push it (with one dishonest feed among f >= 3 fresh, `lo` and `hi` are both within the honest
    /// values): README, "One feed cannot move the mark".
    function _compute(uint256 maxAge, uint256 prevWad)
        internal
        view
        returns (uint256 medianWad, uint256 fresh, uint256 mask)
    {
        uint256 n = _feeds.length;
        uint256[] memory prices = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            address feed = _feeds[i];
            uint256 g = gasleft();
            if (g < FEED_READ_GAS_REQUIRED) revert InsufficientGas(g, FEED_READ_GAS_REQUIRED);
            (bool ok, uint256 p, uint256 t) = _readFeed(feed);
            // `t <= block.timestamp` first, so the subtraction cannot underflow.
            // forge-lint: disable-next-line(block-timestamp) -- staleness check; seconds of validator drift are within the bound.
            if (ok && p != 0 && p <= MAX_PRICE && t <= block.timestamp && block.timestamp - t <= maxAge) {
                prices[fresh] = p;
                unchecked {
                    ++fresh;
                    // forge-lint: disable-next-line(incorrect-shift) -- sets bit i of the mask: `1 << i` is meant.
                    mask |= 1 << i;
                }
            }
        }
        if (fresh == 0) return (0, 0, 0);
        /// @solidity memory-safe-assembly
        assembly {
            mstore(prices, fresh) // Shrink to the fresh values only.
        }
        LibSort.insertionSort(prices);
        uint256 mid = fresh >> 1;
        medianWad = fresh & 1 == 1 ? prices[mid] : FixedPointMathLib.clamp(prevWad, prices[mid - 1], prices[mid]);
    }

    /// @dev `feed.read()` with `FEED_READ_GAS` gas, copying at most 64 bytes of return data (no return
    /// bomb). `ok` is false when the call reverted or returned fewer than 64 bytes.
    function _readFeed(address feed) internal view returns (bool ok, uint256 priceWad, uint256 updatedAt) {
        /// @solidity memory-safe-assembly
        assembly {
            mstore(0x00, 0x57de26a4) // `IFeed.read.selector`.
            ok := staticcall(FEED_READ_GAS, feed, 0x1c, 0x04, 0x00, 0x40)
            ok := and(ok, gt(returndatasize(), 0x3f))
            priceWad := mload(0x00)
            updatedAt := mload(0x20)
        }
    }

    /// @dev Fresh feeds a poke needs: the quorum, and at least `MIN_FEEDS` for the first value ever
    /// (`prevWad == 0`: no previous mark for an even count to lean on).
    function _required(uint256 prevWad) internal view returns (uint256) {
        uint256 quorum_ = _quorum;
        return prevWad == 0 && quorum_ < MIN_FEEDS ? MIN_FEEDS : quorum_;
    }

    /// @dev Reverts unless `quorum_` is a strict majority of `n` feeds and at most `n`.
    function _checkQuorum(uint256 quorum_, uint256 n) internal pure {
        if (quorum_ == 0 || quorum_ > n) revert QuorumOutOfRange(quorum_, n);
        if (quorum_ * 2 <= n) revert QuorumNotMajority(quorum_, n);
    }

    /// @dev Earliest time of the next poke: the next timestamp when `hop == 0`, else `zzz + hop`.
    function _readyAt(uint256 zzz, uint256 hop_) internal pure returns (uint256) {
        return hop_ == 0 ? zzz + 1 : zzz + hop_;
    }

    /// @dev True while the last poke is at most `hop + maxAge` old.
    function _isFresh() internal view returns (bool) {
        // forge-lint: disable-next-line(block-timestamp) -- oracle timekeeping; a validator's seconds of drift are within every bound.
        return block.timestamp <= uint256(_zzz) + _hop + _maxAge;
    }

    /// @dev Validates and stores the feed list and quorum; emits `FeedsSet`.
    function _setFeeds(address[] memory newFeeds, uint256 newQuorum) internal {
        uint256 n = newFeeds.length;
        if (n < MIN_FEEDS) revert TooFewFeeds(n, MIN_FEEDS);
        if (n > MAX_FEEDS) revert FeedCountOutOfRange(n, MAX_FEEDS);
        _checkQuorum(newQuorum, n);
        for (uint256 i; i < n; ++i) {
            address feed = newFeeds[i];
            if (feed == address(0)) revert ZeroAddress();
            if (feed.code.length == 0) revert FeedNotContract(feed);
            for (uint256 j; j < i; ++j) {
                if (newFeeds[j] == feed) revert DuplicateFeed(feed);
            }
        }
        _feeds = newFeeds;
        // forge-lint: disable-next-line(unsafe-typecast) -- newQuorum <= n <= MAX_FEEDS = 16.
        _quorum = uint8(newQuorum);
        emit FeedsSet(newFeeds, newQuorum);
    }

    /// @dev Validates and stores the staleness bound; emits `MaxAgeSet`.
    function _setMaxAge(uint256 newMaxAgeSeconds) internal {
        if (newMaxAgeSeconds < MIN_MAX_AGE || newMaxAgeSeconds > MAX_MAX_AGE) {
            revert MaxAgeOutOfRange(newMaxAgeSeconds, MIN_MAX_AGE, MAX_MAX_AGE);
        }
        // forge-lint: disable-next-line(unsafe-typecast) -- bounded by MAX_MAX_AGE above.
        _maxAge = uint32(newMaxAgeSeconds);
        emit MaxAgeSet(newMaxAgeSeconds);
    }

    /// @dev Validates and stores the max change per poke; emits `MaxChangeSet`.
    function _setMaxChange(uint256 newMaxChangeBps) internal {
        if (newMaxChangeBps < MIN_MAX_CHANGE_BPS || newMaxChangeBps > MAX_MAX_CHANGE_BPS) {
            revert MaxChangeOutOfRange(newMaxChangeBps, MIN_MAX_CHANGE_BPS, MAX_MAX_CHANGE_BPS);
        }
        // forge-lint: disable-next-line(unsafe-typecast) -- bounded by MAX_MAX_CHANGE_BPS above.
        _maxChangeBps = uint16(newMaxChangeBps);
        emit MaxChangeSet(newMaxChangeBps);
    }

    /// @dev Validates and stores the delay; emits `HopSet`.
    function _setHop(uint256 newHop) internal {
        if (newHop > MAX_HOP) revert HopOutOfRange(newHop, MAX_HOP);
        // forge-lint: disable-next-line(unsafe-typecast) -- bounded by MAX_HOP above.
        _hop = uint32(newHop);
        emit HopSet(newHop);
    }
}
