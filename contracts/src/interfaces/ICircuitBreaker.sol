// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICollateralAuction} from "./ICollateralAuction.sol";
import {IMedianOracle} from "./IMedianOracle.sol";

/// @title ICircuitBreaker
/// @notice Raises and lowers the circuit-breaker level of registered auction houses (0 normal,
/// 1 no kicks, 2 no kicks or redos, 3 no takes; enforced by the house). Governance sets any
/// level; anyone raises a house to level 2 when its oracle's mark price fell by more than the
/// house's tolerance in one update (`trip`), or rose by more than it (a rise trip, which also holds
/// rises of the ilk's spot through the Spotter's `checkRise`); anyone pauses every house when the system's
/// uncovered bad debt grew by more than a bound within a window (`checkBadDebt`).
/// @dev The breaker holds the `BREAKER` role on each house. Design notes: contracts/src/CircuitBreaker.md.
///
/// One update. The breaker keeps, per house, the mark price of the last two oracle updates it has
/// seen: an observation is keyed by the oracle's `lastPokeAt()`, and the pair shifts
/// (`reference ← price ← peek()`) only when the oracle has been poked since the last observation.
/// Observing twice within one update changes nothing, so calling `observe` at a chosen moment
/// cannot hide a drop; and an observation that reveals a drop beyond the tolerance trips the house
/// at once, so nobody can record a crash without tripping on it. When some updates went
/// unobserved, the pair spans them all (the drop is cumulative since the last observation: the
/// breaker can only become more sensitive, never blind); keepers observe after every poke.
///
/// Re-arm. When governance lowers a level, the current update counts as acknowledged
/// (`reference = price`) and the permissionless paths (`trip`, `observe`, `checkBadDebt`) cannot
/// raise that house again for `rearmDelaySeconds`. Governance can raise it at any time.
///
/// Bad debt. `uncoveredBadDebt() = max(0, badDebtRad / RAY − Σ (debtInAuctions + stablecoin
/// held))` over the registered houses: bad debt no live auction or unsettled proceeds can still
/// cover. Seizing (debt pending an auction) does not raise it; an auction that ends with tab
/// unraised beyond its penalty, and minted keeper incentives, do. The window keeps the lowest value
/// seen since it started; growth above that by more than `maxBadDebtPerWindow` pauses every house.
interface ICircuitBreaker {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A registered house.
    /// @param oracle Mark price source watched by `trip` (its `peek` and `lastPokeAt`).
    /// @param toleranceBps Largest drop of one update that does not trip, basis points.
    /// @param rearmAt Time before which the permissionless paths cannot raise the level.
    /// @param pokedAt Oracle `lastPokeAt()` of the last observed update.
    /// @param referencePrice Mark price of the update observed before the last one (WAD).
    /// @param price Mark price of the last observed update (WAD).
    struct HouseInfo {
        IMedianOracle oracle;
        uint256 toleranceBps;
        uint256 rearmAt;
        uint256 pokedAt;
        uint256 referencePrice;
        uint256 price;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice `house` is not registered.
    error UnknownHouse(address house);

    /// @notice `house` is the zero address or has no code.
    error InvalidHouse(address house);

    /// @notice `oracle` is the zero address or has no code.
    error InvalidOracle(address oracle);

    /// @notice `toleranceBps` is outside [`min`, `max`].
    error ToleranceOutOfRange(uint256 toleranceBps, uint256 min, uint256 max);

    /// @notice `toleranceBps` is not below the oracle's `maxChangeBps`: the oracle clamps every
    /// update to `maxChangeBps`, so such a breaker could never trip.
    error ToleranceNotBelowMaxChange(uint256 toleranceBps, uint256 maxChangeBps);

    /// @notice The registry already holds `max` houses.
    error TooManyHouses(uint256 max);

    /// @notice `level` is above `max`.
    error LevelOutOfRange(uint256 level, uint256 max);

    /// @notice `rearmDelaySeconds` is above `max`.
    error RearmDelayOutOfRange(uint256 rearmDelaySeconds, uint256 max);

    /// @notice `maxBadDebtPerWindow` is below `min`.
    error MaxBadDebtOutOfRange(uint256 maxBadDebtPerWindow, uint256 min);

    /// @notice `windowSeconds` is outside [`min`, `max`].
    error WindowOutOfRange(uint256 windowSeconds, uint256 min, uint256 max);

    /// @notice The bad-debt pause level `level` is outside [`min`, `max`].
    error PauseLevelOutOfRange(uint256 level, uint256 min, uint256 max);

    /// @notice The last observed update fell by `dropBps` (rounded down), not more than `toleranceBps`.
    error DropWithinTolerance(uint256 dropBps, uint256 toleranceBps);

    /// @notice The last observed update rose by `riseBps` (rounded down), not more than `toleranceBps`.
    error RiseWithinTolerance(uint256 riseBps, uint256 toleranceBps);

    /// @notice Governance lowered `house` recently: the permissionless trip re-arms at `rearmAt`.
    error RearmPending(address house, uint256 rearmAt);

    /// @notice `house` is already at `level`, at or above the trip level.
    error AlreadyTripped(address house, uint256 level);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `house` was registered or updated: `trip` watches `oracle` with `toleranceBps`.
    event HouseSet(address indexed house, address indexed oracle, uint256 toleranceBps);

    /// @notice `house` left the registry.
    event HouseRemoved(address indexed house);

    /// @notice Governance set the re-arm delay.
    event RearmDelaySet(uint256 rearmDelaySeconds);

    /// @notice Governance set the bad-debt pause: more than `maxBadDebtPerWindow` (WAD) of growth
    /// within `windowSeconds` raises every house to `pauseLevel`.
    event BadDebtLimitSet(uint256 maxBadDebtPerWindow, uint256 windowSeconds, uint256 pauseLevel);

    /// @notice Governance set `house` from `previousLevel` to `level`; `rearmAt` is when the
    /// permissionless paths may raise it again (unchanged unless the level was lowered).
    event LevelSet(address indexed house, uint256 previousLevel, uint256 level, uint256 rearmAt);

    /// @notice A new oracle update of `house` was observed: `referencePrice` → `price`, poked at `pokedAt`.
    event Observed(address indexed house, uint256 referencePrice, uint256 price, uint256 pokedAt);

    /// @notice `house` was raised to the trip level because one update fell by `dropBps`.
    event Tripped(
        address indexed house, address indexed caller, uint256 referencePrice, uint256 price, uint256 dropBps
    );

    /// @notice `house` was rise-tripped: one update rose by `riseBps` (`referencePrice` → `price`). Rises
    /// of its ilk's spot are held (`riseHeld`) and the house is at least at the trip level.
    event RiseTripped(
        address indexed house, address indexed caller, uint256 referencePrice, uint256 price, uint256 riseBps
    );

    /// @notice Governance lowered `house`'s level: its rise hold ended, the spot may rise again.
    event RiseReleased(address indexed house);

    /// @notice Uncovered bad debt grew by `growth` (WAD) within the window, more than the bound:
    /// every registered house not already higher (and not re-arming) went to `level`.
    event BadDebtPaused(address indexed caller, uint256 growth, uint256 maxBadDebtPerWindow, uint256 level);

    /// @notice The bad-debt window checkpoint moved: lowest uncovered bad debt `checkpoint` (WAD)
    /// since `windowStart`.
    event BadDebtCheckpoint(uint256 checkpoint, uint256 windowStart);

    /*//////////////////////////////////////////////////////////////
                               OPERATIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Raises `house` to level 2 when the last observed oracle update of its mark price fell
    /// by more than its tolerance: `(reference − price) × 10_000 > reference × toleranceBps`. When it
    /// ROSE by more than the tolerance (`(price − reference) × 10_000 > reference × toleranceBps`), a
    /// rise trip: also holds rises of the ilk's spot (`riseHeld`; the Spotter asks `checkRise`) until
    /// governance lowers the level, so nobody borrows against an implausibly risen mark.
    /// Permissionless. Observes first (see `observe`).
    /// @dev Reverts `UnknownHouse`, `AlreadyTripped` (level ≥ 2, and for a rise already held),
    /// `RearmPending` (governance lowered it less than `rearmDelaySeconds` ago), `DropWithinTolerance`
    /// or `RiseWithinTolerance`. Emits `Tripped` or `RiseTripped`.
    /// @param house A registered auction house.
    /// @return moveBps The drop or rise of the update, basis points rounded down.
    function trip(ICollateralAuction house) external returns (uint256 moveBps);

    /// @notice Records the oracle's current mark price when the oracle was poked since the last
    /// observation (`reference ← price ← peek()`); a no-op within one update or while `peek` is not
    /// valid. When the newly observed update fell by more than the tolerance and the house can be
    /// tripped (level < 2, re-armed), trips it; when it rose by more than the tolerance (re-armed, not
    /// already held at level ≥ 2), rise-trips it (see `trip`). Permissionless; never reverts for a
    /// known house.
    /// @param house A registered auction house.
    /// @return tripped True when this call raised the house to level 2.
    function observe(ICollateralAuction house) external returns (bool tripped);

    /// @notice Compares uncovered bad debt with the window checkpoint; when it grew by more than
    /// `maxBadDebtPerWindow`, raises every registered house below `pauseLevel` (and not re-arming)
    /// to `pauseLevel` and starts a new window. Otherwise lowers the checkpoint to the current
    /// value when lower, and starts a new window once the current one is `windowSeconds` old.
    /// Permissionless; call at least once per window.
    /// @dev A window ends at the first check after it expires, so growth between two checks further
    /// apart than `windowSeconds` is judged as one window (errs toward pausing).
    /// @return paused True when this call paused the houses.
    function checkBadDebt() external returns (bool paused);

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers or updates `house`: `trip` watches `oracle`, tripping on a one-update drop
    /// above `toleranceBps`. Only the owner. Takes the oracle's current price as the first
    /// observation and starts a new bad-debt window. Emits `HouseSet`.
    /// @param house Auction house; the breaker needs its `BREAKER` role.
    /// @param oracle Mark price oracle of the house's collateral.
    /// @param toleranceBps In [`MIN_TOLERANCE_BPS`, `MAX_TOLERANCE_BPS`] and below `oracle.maxChangeBps()`.
    function setHouse(ICollateralAuction house, IMedianOracle oracle, uint256 toleranceBps) external;

    /// @notice Removes `house` from the registry and starts a new bad-debt window. Only the owner.
    /// Emits `HouseRemoved`. The house keeps its current level.
    function removeHouse(ICollateralAuction house) external;

    /// @notice Sets `house`'s level through `house.setBreakerLevel`. Only the owner. Raising is
    /// immediate; lowering acknowledges the current update and starts the re-arm delay.
    /// Emits `LevelSet`.
    /// @param house A registered auction house.
    /// @param level 0 to 3.
    function setLevel(ICollateralAuction house, uint8 level) external;

    /// @notice Sets the re-arm delay after a lowering. Only the owner. Emits `RearmDelaySet`.
    /// @param rearmDelaySeconds At most `MAX_REARM_DELAY`.
    function setRearmDelay(uint256 rearmDelaySeconds) external;

    /// @notice Sets the bad-debt pause and starts a new window. Only the owner. Emits `BadDebtLimitSet`.
    /// @param maxBadDebtPerWindow Largest growth of uncovered bad debt in one window (WAD), at least
    /// `MIN_MAX_BAD_DEBT`.
    /// @param windowSeconds In [`MIN_WINDOW`, `MAX_WINDOW`].
    /// @param pauseLevel Level every house goes to, 1 to 3.
    function setBadDebtLimit(uint256 maxBadDebtPerWindow, uint256 windowSeconds, uint8 pauseLevel) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registry entry and last two observations of `house` (zero oracle when unknown).
    function houseInfo(ICollateralAuction house) external view returns (HouseInfo memory);

    /// @notice The registered houses.
    function houses() external view returns (address[] memory);

    /// @notice True while a rise trip of `house` holds rises of its ilk's spot (until governance lowers
    /// its level).
    function riseHeld(ICollateralAuction house) external view returns (bool);

    /// @notice The registered house of `ilk` (its `ilk()` at registration), watched by `checkRise`.
    function houseOf(bytes32 ilk) external view returns (address);

    /// @notice The one-update drop `trip` would judge now, without observing: basis points rounded
    /// down, and whether it exceeds the tolerance. Reflects a new oracle update not yet observed.
    function pendingDrop(ICollateralAuction house) external view returns (uint256 dropBps, bool exceeds);

    /// @notice `max(0, badDebtRad / RAY − Σ (debtInAuctions + stablecoin held))` over registered houses (WAD).
    function uncoveredBadDebt() external view returns (uint256);

    /// @notice Lowest uncovered bad debt since the window started (WAD), and the window's start.
    function badDebtWindow() external view returns (uint256 checkpoint, uint256 windowStart);

    /// @notice Delay after a lowering before the permissionless paths can raise the level, seconds.
    function rearmDelaySeconds() external view returns (uint256);

    /// @notice Largest growth of uncovered bad debt in one window (WAD).
    function maxBadDebtPerWindow() external view returns (uint256);

    /// @notice Length of the bad-debt window, seconds.
    function windowSeconds() external view returns (uint256);

    /// @notice Level the bad-debt pause raises houses to.
    function pauseLevel() external view returns (uint8);

    /// @notice The vault engine whose bad debt is watched.
    function vaultEngine() external view returns (address);
}
