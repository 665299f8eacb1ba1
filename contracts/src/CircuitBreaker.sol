// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeCastLib} from "solady/utils/SafeCastLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {ICircuitBreaker} from "./interfaces/ICircuitBreaker.sol";
import {ICollateralAuction} from "./interfaces/ICollateralAuction.sol";
import {IMedianOracle} from "./interfaces/IMedianOracle.sol";
import {IRiseGuard} from "./interfaces/IRiseGuard.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";

/// @title CircuitBreaker
/// @notice Governance sets auction houses' breaker levels; anyone trips a house to level 2 on a
/// mark-price drop beyond its tolerance in one oracle update, or pauses every house when uncovered
/// bad debt grows too fast. A rise beyond the tolerance in one update trips too, and also holds rises of
/// the ilk's spot (the Spotter asks `checkRise`), so nobody borrows against an inflated mark.
/// See {ICircuitBreaker} and contracts/src/CircuitBreaker.md.
/// @dev Owner = governance. The breaker must hold each registered house's `BREAKER` role.
contract CircuitBreaker is ICircuitBreaker, IRiseGuard, OwnableRoles {
    using SafeCastLib for uint256;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Level the permissionless `trip` raises a house to: no kicks, no redos.
    uint8 public constant TRIP_LEVEL = 2;
    /// @notice Highest breaker level (no takes).
    uint8 public constant MAX_LEVEL = 3;
    /// @notice Smallest drop tolerance, bps (1%): below it ordinary volatility would trip.
    uint256 public constant MIN_TOLERANCE_BPS = 100;
    /// @notice Largest drop tolerance, bps (90%).
    uint256 public constant MAX_TOLERANCE_BPS = 9000;
    /// @notice Longest re-arm delay after a lowering.
    uint256 public constant MAX_REARM_DELAY = 30 days;
    /// @notice Smallest bad-debt bound per window (WAD): one stablecoin.
    uint256 public constant MIN_MAX_BAD_DEBT = 1e18;
    /// @notice Shortest bad-debt window.
    uint256 public constant MIN_WINDOW = 5 minutes;
    /// @notice Longest bad-debt window.
    uint256 public constant MAX_WINDOW = 30 days;
    /// @notice Most registered houses: `checkBadDebt` reads every one.
    uint256 public constant MAX_HOUSES = 32;

    uint256 internal constant BPS = 10_000;
    uint256 internal constant RAY = 1e27;

    /*//////////////////////////////////////////////////////////////
                               IMMUTABLES
    //////////////////////////////////////////////////////////////*/

    /// @dev Vault engine whose `badDebtRad` is watched.
    IVaultEngine internal immutable _vaultEngine;
    /// @dev The system stablecoin: proceeds a house holds before `settle`.
    address internal immutable _stablecoin;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Registry entry, one slot: read by every trip.
    struct House {
        IMedianOracle oracle; // zero when not registered
        uint16 toleranceBps;
        uint40 rearmAt;
        uint40 pokedAt; // oracle lastPokeAt() of the last observed update
    }

    /// @dev The last two observed updates, one slot.
    struct Observation {
        uint128 referencePrice;
        uint128 price;
    }

    /// @dev Parameters, one slot.
    struct Config {
        uint128 maxBadDebtPerWindow;
        uint32 windowSeconds;
        uint32 rearmDelaySeconds;
        uint8 pauseLevel;
    }

    mapping(address => House) internal _houses;
    mapping(address => Observation) internal _observations;
    address[] internal _houseList;
    Config internal _config;
    /// @dev Houses whose spot rises are held (a rise trip in force, until governance lowers the level).
    mapping(address => bool) internal _riseHeld;
    /// @dev The registered house of each ilk (`house.ilk()` at registration): what `checkRise` watches.
    mapping(bytes32 => address) internal _houseOfIlk;
    /// @dev Lowest uncovered bad debt seen since `_windowStart` (WAD).
    uint256 internal _checkpoint;
    uint256 internal _windowStart;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param governance Owner.
    /// @param vaultEngine_ The vault engine whose bad debt is watched.
    /// @param rearmDelaySeconds_ See `setRearmDelay`.
    /// @param maxBadDebtPerWindow_ See `setBadDebtLimit`.
    /// @param windowSeconds_ See `setBadDebtLimit`.
    /// @param pauseLevel_ See `setBadDebtLimit`.
    constructor(
        address governance,
        IVaultEngine vaultEngine_,
        uint256 rearmDelaySeconds_,
        uint256 maxBadDebtPerWindow_,
        uint256 windowSeconds_,
        uint8 pauseLevel_
    ) {
        _initializeOwner(governance);
        _vaultEngine = vaultEngine_;
        _stablecoin = vaultEngine_.stablecoin();
        _setRearmDelay(rearmDelaySeconds_);
        _setBadDebtLimit(maxBadDebtPerWindow_, windowSeconds_, pauseLevel_);
    }

    /*//////////////////////////////////////////////////////////////
                               OPERATIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICircuitBreaker
    function trip(ICollateralAuction house) external returns (uint256 moveBps) {
        House memory h = _known(address(house));
        (uint256 ref, uint256 price,) = _observe(address(house), h);
        uint256 level = house.breakerLevel();
        bool rose = price > ref;
        // A rise trip also holds the spot: a house already at the trip level can still be rise-tripped.
        if (level >= TRIP_LEVEL && (!rose || _riseHeld[address(house)])) revert AlreadyTripped(address(house), level);
        // forge-lint: disable-next-line(block-timestamp) a delay of minutes to days; seconds of drift do not matter.
        if (block.timestamp < h.rearmAt) revert RearmPending(address(house), h.rearmAt);
        bool exceeds;
        (moveBps, exceeds) = _move(ref, price, h.toleranceBps);
        if (!exceeds) {
            if (rose) revert RiseWithinTolerance(moveBps, h.toleranceBps);
            revert DropWithinTolerance(moveBps, h.toleranceBps);
        }
        if (rose) _holdRises(house, level, ref, price, moveBps);
        else _raise(house, ref, price, moveBps);
    }

    /// @inheritdoc ICircuitBreaker
    function observe(ICollateralAuction house) external returns (bool tripped) {
        House memory h = _known(address(house));
        (uint256 ref, uint256 price, bool shifted) = _observe(address(house), h);
        if (!shifted) return false;
        return _judge(house, h, ref, price);
    }

    /// @inheritdoc IRiseGuard
    function checkRise(bytes32 ilk) external returns (bool holdRises) {
        address house = _houseOfIlk[ilk];
        if (house == address(0)) return false;
        House memory h = _houses[house];
        (uint256 ref, uint256 price, bool shifted) = _observe(house, h);
        if (shifted) _judge(ICollateralAuction(house), h, ref, price);
        return _riseHeld[house];
    }

    /// @inheritdoc ICircuitBreaker
    function checkBadDebt() external returns (bool paused) {
        uint256 uncovered = _uncovered();
        uint256 checkpoint = _checkpoint;
        uint256 start = _windowStart;
        Config memory c = _config;
        uint256 growth = uncovered > checkpoint ? uncovered - checkpoint : 0;
        if (growth > c.maxBadDebtPerWindow) {
            uint256 n = _houseList.length;
            for (uint256 i; i < n; ++i) {
                address house = _houseList[i];
                // forge-lint: disable-next-line(block-timestamp) a delay of minutes to days; seconds of drift do not matter.
                if (block.timestamp < _houses[house].rearmAt) continue;
                if (ICollateralAuction(house).breakerLevel() >= c.pauseLevel) continue;
                ICollateralAuction(house).setBreakerLevel(c.pauseLevel);
            }
            _setCheckpoint(uncovered, block.timestamp);
            emit BadDebtPaused(msg.sender, growth, c.maxBadDebtPerWindow, c.pauseLevel);
            return true;
        }
        // forge-lint: disable-next-line(block-timestamp) a window of minutes to days; seconds of drift do not matter.
        if (block.timestamp >= start + c.windowSeconds) _setCheckpoint(uncovered, block.timestamp);
        else if (uncovered < checkpoint) _setCheckpoint(uncovered, start);
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICircuitBreaker
    function setHouse(ICollateralAuction house, IMedianOracle oracle, uint256 toleranceBps) external onlyOwner {
        if (address(house).code.length == 0) revert InvalidHouse(address(house));
        if (address(oracle).code.length == 0) revert InvalidOracle(address(oracle));
        if (toleranceBps < MIN_TOLERANCE_BPS || toleranceBps > MAX_TOLERANCE_BPS) {
            revert ToleranceOutOfRange(toleranceBps, MIN_TOLERANCE_BPS, MAX_TOLERANCE_BPS);
        }
        uint256 maxChange = oracle.maxChangeBps();
        if (toleranceBps >= maxChange) revert ToleranceNotBelowMaxChange(toleranceBps, maxChange);
        House storage h = _houses[address(house)];
        if (address(h.oracle) == address(0)) {
            if (_houseList.length >= MAX_HOUSES) revert TooManyHouses(MAX_HOUSES);
            _houseList.push(address(house));
        }
        h.oracle = oracle;
        _houseOfIlk[house.ilk()] = address(house);
        // forge-lint: disable-next-line(unsafe-typecast) toleranceBps <= MAX_TOLERANCE_BPS < 2^16, checked above
        h.toleranceBps = uint16(toleranceBps);
        emit HouseSet(address(house), address(oracle), toleranceBps);
        // A fresh first observation: a new oracle's history says nothing about the old one's.
        h.pokedAt = 0;
        delete _observations[address(house)];
        _observe(address(house), h);
        _setCheckpoint(_uncovered(), block.timestamp);
    }

    /// @inheritdoc ICircuitBreaker
    function removeHouse(ICollateralAuction house) external onlyOwner {
        _known(address(house));
        uint256 n = _houseList.length;
        for (uint256 i; i < n; ++i) {
            if (_houseList[i] == address(house)) {
                _houseList[i] = _houseList[n - 1];
                _houseList.pop();
                break;
            }
        }
        delete _houses[address(house)];
        delete _observations[address(house)];
        delete _riseHeld[address(house)];
        bytes32 ilk = house.ilk();
        if (_houseOfIlk[ilk] == address(house)) delete _houseOfIlk[ilk];
        emit HouseRemoved(address(house));
        _setCheckpoint(_uncovered(), block.timestamp);
    }

    /// @inheritdoc ICircuitBreaker
    function setLevel(ICollateralAuction house, uint8 level) external onlyOwner {
        House memory h = _known(address(house));
        if (level > MAX_LEVEL) revert LevelOutOfRange(level, MAX_LEVEL);
        uint256 previous = house.breakerLevel();
        house.setBreakerLevel(level);
        uint256 rearmAt = h.rearmAt;
        if (level < previous) {
            rearmAt = block.timestamp + _config.rearmDelaySeconds;
            // forge-lint: disable-next-line(unsafe-typecast) now + at most 30 days fits 40 bits for millennia
            _houses[address(house)].rearmAt = uint40(rearmAt);
            // Acknowledge the update in force (observed first, so an unobserved crash poke is
            // acknowledged too): it cannot trip the house again once the delay has passed.
            (, uint256 price,) = _observe(address(house), h);
            // forge-lint: disable-next-line(unsafe-typecast) an observed price, stored as uint128
            _observations[address(house)].referencePrice = uint128(price);
            // Lowering is governance's acknowledgement of a rise trip too: the spot may rise again.
            if (_riseHeld[address(house)]) {
                delete _riseHeld[address(house)];
                emit RiseReleased(address(house));
            }
        }
        emit LevelSet(address(house), previous, level, rearmAt);
    }

    /// @inheritdoc ICircuitBreaker
    function setRearmDelay(uint256 rearmDelaySeconds_) external onlyOwner {
        _setRearmDelay(rearmDelaySeconds_);
    }

    /// @inheritdoc ICircuitBreaker
    function setBadDebtLimit(uint256 maxBadDebtPerWindow_, uint256 windowSeconds_, uint8 pauseLevel_)
        external
        onlyOwner
    {
        _setBadDebtLimit(maxBadDebtPerWindow_, windowSeconds_, pauseLevel_);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICircuitBreaker
    function houseInfo(ICollateralAuction house) external view returns (HouseInfo memory info) {
        House memory h = _houses[address(house)];
        Observation memory o = _observations[address(house)];
        info = HouseInfo({
            oracle: h.oracle,
            toleranceBps: h.toleranceBps,
            rearmAt: h.rearmAt,
            pokedAt: h.pokedAt,
            referencePrice: o.referencePrice,
            price: o.price
        });
    }

    /// @inheritdoc ICircuitBreaker
    function houses() external view returns (address[] memory) {
        return _houseList;
    }

    /// @inheritdoc ICircuitBreaker
    function pendingDrop(ICollateralAuction house) external view returns (uint256 dropBps, bool exceeds) {
        House memory h = _known(address(house));
        Observation memory o = _observations[address(house)];
        (uint256 ref, uint256 price) = (o.referencePrice, o.price);
        (uint256 next, bool fresh,) = _newUpdate(h);
        if (fresh) (ref, price) = (price == 0 ? next : price, next);
        (dropBps, exceeds) = _drop(ref, price, h.toleranceBps);
    }

    /// @inheritdoc ICircuitBreaker
    function riseHeld(ICollateralAuction house) external view returns (bool) {
        return _riseHeld[address(house)];
    }

    /// @inheritdoc ICircuitBreaker
    function houseOf(bytes32 ilk) external view returns (address) {
        return _houseOfIlk[ilk];
    }

    /// @inheritdoc ICircuitBreaker
    function uncoveredBadDebt() external view returns (uint256) {
        return _uncovered();
    }

    /// @inheritdoc ICircuitBreaker
    function badDebtWindow() external view returns (uint256 checkpoint, uint256 windowStart) {
        return (_checkpoint, _windowStart);
    }

    /// @inheritdoc ICircuitBreaker
    function rearmDelaySeconds() external view returns (uint256) {
        return _config.rearmDelaySeconds;
    }

    /// @inheritdoc ICircuitBreaker
    function maxBadDebtPerWindow() external view returns (uint256) {
        return _config.maxBadDebtPerWindow;
    }

    /// @inheritdoc ICircuitBreaker
    function windowSeconds() external view returns (uint256) {
        return _config.windowSeconds;
    }

    /// @inheritdoc ICircuitBreaker
    function pauseLevel() external view returns (uint8) {
        return _config.pauseLevel;
    }

    /// @inheritdoc ICircuitBreaker
    function vaultEngine() external view returns (address) {
        return address(_vaultEngine);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev The registry entry of `house`; reverts `UnknownHouse`.
    function _known(address house) internal view returns (House memory h) {
        h = _houses[house];
        if (address(h.oracle) == address(0)) revert UnknownHouse(house);
    }

    /// @dev The oracle's price when it was poked since the last observation and `peek` is valid.
    function _newUpdate(House memory h) internal view returns (uint256 price, bool fresh, uint256 pokedAt) {
        pokedAt = h.oracle.lastPokeAt();
        if (pokedAt == h.pokedAt) return (0, false, pokedAt);
        bool valid;
        (price, valid) = h.oracle.peek();
        fresh = valid && price != 0 && price <= type(uint128).max;
    }

    /// @dev Shifts in the oracle's update when it is new (`reference ← price ← peek()`; the first
    /// observation is its own reference). Returns the pair after the call.
    function _observe(address house, House memory h) internal returns (uint256 ref, uint256 price, bool shifted) {
        Observation memory o = _observations[house];
        (ref, price) = (o.referencePrice, o.price);
        (uint256 next, bool fresh, uint256 pokedAt) = _newUpdate(h);
        if (!fresh) return (ref, price, false);
        ref = price == 0 ? next : price;
        price = next;
        _houses[house].pokedAt = pokedAt.toUint40();
        // Both <= type(uint128).max: `next` was checked in _newUpdate, `ref` is `next` or a stored uint128.
        // forge-lint: disable-next-line(unsafe-typecast) bounded, see above
        _observations[house] = Observation(uint128(ref), uint128(price));
        emit Observed(house, ref, price, pokedAt);
        shifted = true;
    }

    /// @dev The drop from `ref` to `price` in bps (rounded down) and whether it is above the
    /// tolerance, compared exactly: `(ref − price) × 10_000 > ref × toleranceBps`.
    function _drop(uint256 ref, uint256 price, uint256 toleranceBps)
        internal
        pure
        returns (uint256 dropBps, bool exceeds)
    {
        if (price >= ref) return (0, false);
        // Prices are < 2^128, so neither product overflows.
        uint256 fall = (ref - price) * BPS;
        dropBps = fall / ref;
        exceeds = fall > ref * toleranceBps;
    }

    /// @dev The move from `ref` to `price` in bps of `ref` (rounded down), either way, and whether it is
    /// above the tolerance: `|ref − price| × 10_000 > ref × toleranceBps`.
    function _move(uint256 ref, uint256 price, uint256 toleranceBps)
        internal
        pure
        returns (uint256 moveBps, bool exceeds)
    {
        if (price >= ref) return _rise(ref, price, toleranceBps);
        return _drop(ref, price, toleranceBps);
    }

    /// @dev The rise from `ref` to `price` in bps (rounded down) and whether it is above the tolerance,
    /// compared exactly: `(price − ref) × 10_000 > ref × toleranceBps`.
    function _rise(uint256 ref, uint256 price, uint256 toleranceBps)
        internal
        pure
        returns (uint256 riseBps, bool exceeds)
    {
        if (price <= ref) return (0, false);
        // Prices are < 2^128, so neither product overflows.
        uint256 gain = (price - ref) * BPS;
        riseBps = gain / ref;
        exceeds = gain > ref * toleranceBps;
    }

    /// @dev Judges a newly observed update without reverting (`observe`, `checkRise`): a drop beyond the
    /// tolerance raises the house to the trip level; a rise beyond it holds rises and raises the level.
    /// Nothing while re-arming. Returns true when it tripped.
    function _judge(ICollateralAuction house, House memory h, uint256 ref, uint256 price)
        internal
        returns (bool tripped)
    {
        // forge-lint: disable-next-line(block-timestamp) a delay of minutes to days; seconds of drift do not matter.
        if (block.timestamp < h.rearmAt) return false;
        (uint256 moveBps, bool exceeds) = _move(ref, price, h.toleranceBps);
        if (!exceeds) return false;
        uint256 level = house.breakerLevel();
        if (price > ref) {
            if (_riseHeld[address(house)] && level >= TRIP_LEVEL) return false;
            _holdRises(house, level, ref, price, moveBps);
            return true;
        }
        if (level >= TRIP_LEVEL) return false;
        _raise(house, ref, price, moveBps);
        return true;
    }

    /// @dev A rise trip: holds rises of the house's spot (the Spotter asks `checkRise`) and raises the
    /// house to the trip level when below it (no kicks at a top priced from the inflated mark).
    function _holdRises(ICollateralAuction house, uint256 level, uint256 ref, uint256 price, uint256 riseBps) internal {
        _riseHeld[address(house)] = true;
        if (level < TRIP_LEVEL) house.setBreakerLevel(TRIP_LEVEL);
        emit RiseTripped(address(house), msg.sender, ref, price, riseBps);
    }

    /// @dev Raises `house` to the trip level.
    function _raise(ICollateralAuction house, uint256 ref, uint256 price, uint256 dropBps) internal {
        house.setBreakerLevel(TRIP_LEVEL);
        emit Tripped(address(house), msg.sender, ref, price, dropBps);
    }

    /// @dev `max(0, badDebt − Σ (debt in live auctions + stablecoin held))` over registered houses, WAD.
    function _uncovered() internal view returns (uint256) {
        uint256 bad = _vaultEngine.badDebtRad() / RAY;
        uint256 covered;
        uint256 n = _houseList.length;
        for (uint256 i; i < n; ++i) {
            address house = _houseList[i];
            covered += ICollateralAuction(house).debtInAuctions() + SafeTransferLib.balanceOf(_stablecoin, house);
        }
        return bad > covered ? bad - covered : 0;
    }

    function _setCheckpoint(uint256 checkpoint, uint256 windowStart) internal {
        _checkpoint = checkpoint;
        _windowStart = windowStart;
        emit BadDebtCheckpoint(checkpoint, windowStart);
    }

    function _setRearmDelay(uint256 rearmDelaySeconds_) internal {
        if (rearmDelaySeconds_ > MAX_REARM_DELAY) revert RearmDelayOutOfRange(rearmDelaySeconds_, MAX_REARM_DELAY);
        // forge-lint: disable-next-line(unsafe-typecast) <= MAX_REARM_DELAY < 2^32, checked above
        _config.rearmDelaySeconds = uint32(rearmDelaySeconds_);
        emit RearmDelaySet(rearmDelaySeconds_);
    }

    function _setBadDebtLimit(uint256 maxBadDebtPerWindow_, uint256 windowSeconds_, uint8 pauseLevel_) internal {
        if (maxBadDebtPerWindow_ < MIN_MAX_BAD_DEBT) {
            revert MaxBadDebtOutOfRange(maxBadDebtPerWindow_, MIN_MAX_BAD_DEBT);
        }
        if (windowSeconds_ < MIN_WINDOW || windowSeconds_ > MAX_WINDOW) {
            revert WindowOutOfRange(windowSeconds_, MIN_WINDOW, MAX_WINDOW);
        }
        if (pauseLevel_ == 0 || pauseLevel_ > MAX_LEVEL) revert PauseLevelOutOfRange(pauseLevel_, 1, MAX_LEVEL);
        Config memory c = _config;
        // Saturates: any bound from 2^128 WAD up never pauses, as intended by whoever sets it.
        // forge-lint: disable-next-line(unsafe-typecast) min(value, 2^128 - 1) fits uint128
        c.maxBadDebtPerWindow = uint128(FixedPointMathLib.min(maxBadDebtPerWindow_, type(uint128).max));
        // forge-lint: disable-next-line(unsafe-typecast) <= MAX_WINDOW < 2^32, checked above
        c.windowSeconds = uint32(windowSeconds_);
        c.pauseLevel = pauseLevel_;
        _config = c;
        emit BadDebtLimitSet(maxBadDebtPerWindow_, windowSeconds_, pauseLevel_);
        _setCheckpoint(_uncovered(), block.timestamp);
    }
}
