// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeCastLib} from "solady/utils/SafeCastLib.sol";

import {ICollateralAuction} from "./interfaces/ICollateralAuction.sol";
import {ILiquidationEngine} from "./interfaces/ILiquidationEngine.sol";
import {IPortfolioEngine} from "./interfaces/IPortfolioEngine.sol";
import {IRescueHook} from "./interfaces/IRescueHook.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";

/// @title LiquidationEngine
/// @notice Liquidates unsafe vaults into Dutch auctions. See {ILiquidationEngine}.
/// @dev The global in-auction counter is kept lazily: each type's contribution is re-read from its
/// auction house whenever that type is liquidated (or `sync` is called). Between syncs the global
/// counter can only overstate the debt in auctions (auctions only shrink), so the global limit errs
/// on the side of braking, never of letting more through.
contract LiquidationEngine is ILiquidationEngine, OwnableRoles {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant WAD = 1e18;
    uint256 internal constant RAY = 1e27;
    /// @dev Penalty bounds: at least none (a penalty below 1 would make auctions raise less than
    /// the debt by design), at most 50%.
    uint256 internal constant MIN_PENALTY_WAD = 1e18;
    uint256 internal constant MAX_PENALTY_WAD = 1.5e18;
    /// @dev Incentive bounds.
    uint256 internal constant MAX_TIP = 10_000e18;
    uint256 internal constant MAX_CHIP_WAD = 0.05e18;
    /// @notice Gas a rescue hook gets (a top-up: two transfers and a vault change fit with room).
    uint256 public constant RESCUE_GAS_LIMIT = 300_000;
    /// @dev Gas the caller must hold before a hook runs, so the hook surely gets `RESCUE_GAS_LIMIT`
    /// (two nested 63/64 forwards) and the health reads around it fit.
    uint256 internal constant RESCUE_GAS_NEEDED = RESCUE_GAS_LIMIT + RESCUE_GAS_LIMIT / 16 + 60_000;
    /// @dev Transient slot set while a hook runs: every liquidation entry reverts meanwhile.
    /// keccak256("gavel.LiquidationEngine.rescueLock").
    uint256 internal constant _RESCUE_LOCK_SLOT = 0x55241a7e03411f492d3ba8ad2bd769a06c5583c32b4e16bdffc579449a6d7811;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @notice The vault engine.
    IVaultEngine public immutable vaultEngine;

    mapping(bytes32 => IlkConfig) internal _ilks;

    /// @dev Global limit and counter, one slot.
    uint128 internal _globalMax;
    uint128 internal _globalDebt;

    /// @dev Incentives, one slot.
    uint128 internal _tip;
    uint128 internal _chipWad;

    /// @dev Rescue hooks: ilk => owner => hook, and the allow-list.
    mapping(bytes32 => mapping(address => address)) internal _rescueHooks;
    mapping(address => bool) internal _rescueHookAllowed;

    /// @inheritdoc ILiquidationEngine
    address public portfolioEngine;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param governance Owner (governance).
    /// @param vaultEngine_ The vault engine.
    constructor(address governance, IVaultEngine vaultEngine_) {
        _initializeOwner(governance);
        vaultEngine = vaultEngine_;
    }

    /*//////////////////////////////////////////////////////////////
                               OPERATIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILiquidationEngine
    function liquidate(bytes32 ilk, address owner, address rewardRecipient) external returns (uint256 auctionId) {
        (auctionId,) = _liquidate(ilk, owner, rewardRecipient, false);
    }

    /// @inheritdoc ILiquidationEngine
    function liquidateAndTake(bytes32 ilk, address owner, uint256 maxPrice, address receiver, bytes calldata data)
        external
        returns (uint256 auctionId, uint256 collateralOut, uint256 owe)
    {
        (auctionId,) = _liquidate(ilk, owner, msg.sender, false);
        // Rescued by its hook: nothing to buy (returning keeps the rescue).
        if (auctionId == 0) return (0, 0, 0);
        (collateralOut, owe) = ICollateralAuction(_ilks[ilk].house)
            .takeFor(auctionId, type(uint256).max, maxPrice, receiver, data, msg.sender);
    }

    /// @inheritdoc ILiquidationEngine
    function liquidateMany(bytes32 ilk, address[] calldata owners, address rewardRecipient)
        external
        returns (uint256[] memory auctionIds)
    {
        auctionIds = new uint256[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            Skip memory skipped;
            (auctionIds[i], skipped) = _liquidate(ilk, owners[i], rewardRecipient, true);
            if (skipped.reason != SkipReason.None) {
                emit LiquidationSkipped(ilk, owners[i], skipped.reason, skipped.error);
            }
        }
    }

    /// @inheritdoc ILiquidationEngine
    function liquidatePortfolio(address owner, address rewardRecipient) external returns (uint256[] memory auctionIds) {
        IPortfolioEngine pe = IPortfolioEngine(portfolioEngine);
        if (address(pe) == address(0)) revert PortfolioEngineNotSet();
        IPortfolioEngine.LiquidationView memory v = pe.liquidationView(owner);
        if (v.normalizedDebt == 0) revert PortfolioHasNoDebt(owner);
        // The portfolio engine's own rule, so the two can never disagree.
        if (v.safe) revert PortfolioIsSafe(owner);
        uint256 n = v.ilks.length;
        uint256 weightLeft;
        for (uint256 a; a < n; ++a) {
            weightLeft += v.weightsWad[a];
        }
        if (weightLeft == 0) revert NoPricedCollateral(owner);

        auctionIds = new uint256[](n);
        Lot memory lot;
        lot.owner = owner;
        lot.rate = v.rate;
        lot.dust = v.dust;
        Totals memory t;
        uint256 artLeft = v.normalizedDebt; // not yet given to a lot
        for (uint256 a; a < n; ++a) {
            uint256 w = v.weightsWad[a];
            // Share of the debt ∝ the lot's isolated value; the last weighted lot takes what is left, so
            // the shares sum to the debt exactly.
            uint256 share = w == weightLeft ? artLeft : FixedPointMathLib.mulDiv(artLeft, w, weightLeft);
            weightLeft -= w;
            artLeft -= share;
            if (share == 0) continue;
            (lot.ilk, lot.collateral, lot.share) = (v.ilks[a], v.collaterals[a], share);
            _kickLot(pe, lot);
            if (lot.art == 0) continue;
            auctionIds[a] = lot.auctionId;
            t.seized += lot.art;
            t.tabs += lot.tab;
            t.penalties += lot.tab - lot.debt;
            ++t.lots;
        }
        if (t.seized == 0) revert NoRoomForPortfolio(owner);
        uint256 remainder = v.normalizedDebt - t.seized;
        if (remainder != 0 && remainder * v.rate < v.dust * RAY) {
            revert DustyPartialLiquidation(pe.portfolioIlk(), remainder * v.rate / RAY, v.dust);
        }
        // Never more than the penalties: liquidating one's own portfolio can then never pay.
        uint256 incentive = FixedPointMathLib.min(_tip + FixedPointMathLib.mulWad(t.tabs, _chipWad), t.penalties);
        if (incentive > 0) vaultEngine.mintUnbacked(rewardRecipient, incentive);
        emit LiquidatePortfolio(owner, msg.sender, t.seized, t.lots, incentive, remainder != 0);
    }

    /// @inheritdoc ILiquidationEngine
    function setRescueHook(bytes32 ilk, address hook) external {
        IlkConfig storage c = _ilks[ilk];
        if (c.house == address(0)) revert IlkNotConfigured(ilk);
        if (hook != address(0) && !_rescueHookAllowed[hook]) revert RescueHookNotAllowed(hook);
        address old = _rescueHooks[ilk][msg.sender];
        if (old == address(0) && hook != address(0)) ++c.hookedVaults;
        else if (old != address(0) && hook == address(0)) --c.hookedVaults;
        _rescueHooks[ilk][msg.sender] = hook;
        emit RescueHookSet(ilk, msg.sender, hook);
    }

    /// @inheritdoc ILiquidationEngine
    function runRescueHook(bytes32 ilk, address owner, address hook, uint256 healthBeforeWad)
        external
        returns (bool hookSucceeded, uint256 healthAfterWad)
    {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        bytes memory data = abi.encodeWithSelector(IRescueHook.rescue.selector, ilk, owner);
        uint256 gasLimit = RESCUE_GAS_LIMIT;
        assembly ("memory-safe") {
            // No return data is copied: a hook cannot return-bomb the engine.
            hookSucceeded := call(gasLimit, hook, 0, add(data, 0x20), mload(data), 0, 0)
        }
        healthAfterWad = vaultEngine.health(ilk, owner);
        if (healthAfterWad < healthBeforeWad) revert RescueWorsenedVault(healthBeforeWad, healthAfterWad);
    }

    /// @inheritdoc ILiquidationEngine
    function sync(bytes32 ilk) external {
        IlkConfig storage c = _ilks[ilk];
        address house = c.house;
        if (house == address(0)) revert IlkNotConfigured(ilk);
        uint256 current = ICollateralAuction(house).debtInAuctions();
        uint256 global = _globalDebt + current - c.reportedDebt;
        c.reportedDebt = SafeCastLib.toUint128(current);
        _globalDebt = SafeCastLib.toUint128(global);
        emit DebtSynced(ilk, current, global);
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILiquidationEngine
    function configureIlk(
        bytes32 ilk,
        address house,
        uint256 penaltyWad,
        uint256 maxDebtInAuctions,
        uint256 maxDebtPerBlock
    ) external onlyOwner {
        if (house == address(0)) revert ZeroAddress();
        _bound(penaltyWad, MIN_PENALTY_WAD, MAX_PENALTY_WAD);
        _bound(maxDebtInAuctions, 0, type(uint128).max);
        _bound(maxDebtPerBlock, 0, type(uint112).max);
        IlkConfig storage c = _ilks[ilk];
        // A new house starts with its own (empty) book: drop the old house's contribution.
        if (c.house != house && c.house != address(0)) {
            _globalDebt -= c.reportedDebt;
            c.reportedDebt = 0;
        }
        c.house = house;
        // Each value was bounded to its field's width just above.
        // forge-lint: disable-start(unsafe-typecast)
        c.penaltyWad = uint64(penaltyWad);
        c.maxDebtInAuctions = uint128(maxDebtInAuctions);
        c.maxDebtPerBlock = uint112(maxDebtPerBlock);
        // forge-lint: disable-end(unsafe-typecast)
        emit IlkConfigured(ilk, house, penaltyWad, maxDebtInAuctions, maxDebtPerBlock);
    }

    /// @inheritdoc ILiquidationEngine
    function setGlobalMaxDebtInAuctions(uint256 maxDebt) external onlyOwner {
        _bound(maxDebt, 0, type(uint128).max);
        // forge-lint: disable-next-line(unsafe-typecast) bounded to uint128 just above
        _globalMax = uint128(maxDebt);
        emit GlobalMaxDebtInAuctionsSet(maxDebt);
    }

    /// @inheritdoc ILiquidationEngine
    function setIncentives(uint256 tip_, uint256 chipWad_) external onlyOwner {
        _bound(tip_, 0, MAX_TIP);
        _bound(chipWad_, 0, MAX_CHIP_WAD);
        // Both bounded far below 2^128 just above.
        // forge-lint: disable-start(unsafe-typecast)
        _tip = uint128(tip_);
        _chipWad = uint128(chipWad_);
        // forge-lint: disable-end(unsafe-typecast)
        emit IncentivesSet(tip_, chipWad_);
    }

    /// @inheritdoc ILiquidationEngine
    function setPortfolioEngine(address engine) external onlyOwner {
        if (engine == address(0)) revert ZeroAddress();
        portfolioEngine = engine;
        emit PortfolioEngineSet(engine);
    }

    /// @inheritdoc ILiquidationEngine
    function setRescueHookAllowed(address hook, bool allowed) external onlyOwner {
        if (hook == address(0)) revert ZeroAddress();
        _rescueHookAllowed[hook] = allowed;
        emit RescueHookAllowed(hook, allowed);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILiquidationEngine
    function ilkConfig(bytes32 ilk) external view returns (IlkConfig memory) {
        return _ilks[ilk];
    }

    /// @inheritdoc ILiquidationEngine
    function globalMaxDebtInAuctions() external view returns (uint256) {
        return _globalMax;
    }

    /// @inheritdoc ILiquidationEngine
    function globalDebtInAuctions() external view returns (uint256) {
        return _globalDebt;
    }

    /// @inheritdoc ILiquidationEngine
    function tip() external view returns (uint256) {
        return _tip;
    }

    /// @inheritdoc ILiquidationEngine
    function chipWad() external view returns (uint256) {
        return _chipWad;
    }

    /// @inheritdoc ILiquidationEngine
    function rescueHook(bytes32 ilk, address owner) external view returns (address) {
        return _rescueHooks[ilk][owner];
    }

    /// @inheritdoc ILiquidationEngine
    function isRescueHookAllowed(address hook) external view returns (bool) {
        return _rescueHookAllowed[hook];
    }

    /// @inheritdoc ILiquidationEngine
    function room(bytes32 ilk) external view returns (uint256) {
        IlkConfig memory c = _ilks[ilk];
        if (c.house == address(0)) return 0;
        (uint256 ilkDebt, uint256 maxAuctionTab) = ICollateralAuction(c.house).liquidationInfo();
        uint256 global = _globalDebt + ilkDebt - c.reportedDebt;
        return FixedPointMathLib.min(_room(c, ilkDebt, global), maxAuctionTab);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev What one liquidation will do, decided before anything moves.
    struct Plan {
        uint256 dart; // normalized debt to seize
        uint256 dink; // collateral to seize
        uint256 minTab; // smallest tab a partial take may leave
        uint256 ilkDebt; // the house's tab in live auctions
        uint256 global; // global tab in live auctions, this type re-synced
        bool isPartial;
    }

    /// @dev A condition a batch skips: its reason and the error `liquidate` reverts with for it.
    struct Lot {
        address owner;
        bytes32 ilk;
        uint256 collateral; // the portfolio's holding of `ilk`
        uint256 share; // normalized debt this holding carries
        uint256 amount; // out: collateral sent to auction
        uint256 rate; // portfolio ilk's rate accumulator
        uint256 dust; // portfolio ilk's dust
        uint256 auctionId; // out: the auction started (0: none)
        uint256 art; // out: normalized debt seized
        uint256 debt; // out: that debt, WAD, rounded up
        uint256 tab; // out: debt × penalty, rounded up
    }

    struct Totals {
        uint256 seized; // normalized debt
        uint256 tabs;
        uint256 penalties; // Σ (tab − debt)
        uint256 lots;
    }

    struct Skip {
        SkipReason reason;
        bytes error;
    }

    /// @dev Liquidates one vault. With `soft`, the conditions a batch skips (safe, no debt, no room,
    /// dusty partial) are returned instead of reverted.
    function _liquidate(bytes32 ilk, address owner, address rewardRecipient, bool soft)
        internal
        returns (uint256 auctionId, Skip memory skipped)
    {
        IlkConfig memory c = _ilks[ilk];
        if (c.house == address(0)) revert IlkNotConfigured(ilk);
        if (c.hookedVaults != 0) {
            (bool ran, bool rescued) = _rescue(ilk, owner);
            if (rescued) return (0, skipped);
            // The hook may have called `sync` or liquidated another type: re-read (warm) before planning.
            if (ran) c = _ilks[ilk];
        }
        Plan memory p;
        (p, skipped) = _plan(ilk, owner, c, soft);
        if (skipped.reason != SkipReason.None) return (0, skipped);

        // Debt and tab in WAD, both rounded up against the borrower.
        uint256 debtRad = vaultEngine.seize(ilk, owner, p.dink, p.dart, c.house);
        uint256 debt = FixedPointMathLib.divUp(debtRad, RAY);
        uint256 tab = FixedPointMathLib.mulWadUp(debt, c.penaltyWad);

        // Counters: this type's report and the global counter now include the new tab.
        c.reportedDebt = SafeCastLib.toUint128(p.ilkDebt + tab);
        _globalDebt = SafeCastLib.toUint128(p.global + tab);
        if (c.lastBlock != uint32(block.number)) {
            c.lastBlock = uint32(block.number);
            c.blockDebt = 0;
        }
        c.blockDebt = SafeCastLib.toUint112(c.blockDebt + tab);
        _ilks[ilk] = c;

        auctionId = ICollateralAuction(c.house).kick(tab, tab - debt, p.dink, owner, msg.sender, p.minTab);

        // Never more than the penalty: liquidating one's own vault can then never pay.
        uint256 incentive = FixedPointMathLib.min(_tip + FixedPointMathLib.mulWad(tab, _chipWad), tab - debt);
        if (incentive > 0) vaultEngine.mintUnbacked(rewardRecipient, incentive);

        emit Liquidate(ilk, owner, auctionId, msg.sender, p.dink, p.dart, debt, tab, incentive, p.isPartial);
    }

    /// @dev Runs the vault's hook, if one is registered and allowed and the vault is unsafe. True when
    /// the vault is safe afterwards (`rescued`); `ran` when the hook was called. The hook runs under a transient lock, through an external
    /// self-call that reverts (rolling the hook back) if the health fell.
    /// Entering a liquidation of a type with hooks while a hook runs reverts (`RescueInProgress`); a type
    /// without hooks reads all its state after the hook returned, so it needs no lock.
    /// @dev Seizes one portfolio lot (cut to its house's room) and starts its auction, owned by the
    /// portfolio engine. Returns zeros when the house has no room or the cut lot rounds to nothing.
    /// Effects (debt seized, counters) come before the kick and the collateral transfer.
    function _kickLot(IPortfolioEngine pe, Lot memory lot) internal {
        (lot.auctionId, lot.art, lot.debt, lot.tab, lot.amount) = (0, 0, 0, 0, 0);
        IlkConfig memory c = _ilks[lot.ilk];
        if (c.house == address(0)) revert IlkNotConfigured(lot.ilk);
        // A house its circuit breaker keeps from new auctions is skipped like one without room: the
        // portfolio's other lots still go (an isolated vault of that type waits the same way).
        if (ICollateralAuction(c.house).breakerLevel() != 0) return;
        (uint256 ilkDebt, uint256 maxAuctionTab) = ICollateralAuction(c.house).liquidationInfo();
        uint256 global = _globalDebt + ilkDebt - c.reportedDebt;
        {
            uint256 available = FixedPointMathLib.min(_room(c, ilkDebt, global), maxAuctionTab);
            // The same two floors as `_plan`: the tab never exceeds the room.
            uint256 maxDebt = FixedPointMathLib.mulDiv(available, WAD, c.penaltyWad);
            lot.art = FixedPointMathLib.min(lot.share, FixedPointMathLib.mulDiv(maxDebt, RAY, lot.rate));
        }
        // A cut lot keeps the holding's proportion (rounded down: the portfolio keeps the rest).
        lot.amount = lot.art == lot.share ? lot.collateral : lot.collateral * lot.art / lot.share;
        if (lot.amount == 0) lot.art = 0;
        if (lot.art == 0) return;

        lot.debt = FixedPointMathLib.divUp(vaultEngine.seize(pe.portfolioIlk(), lot.owner, 0, lot.art, address(0)), RAY);
        lot.tab = FixedPointMathLib.mulWadUp(lot.debt, c.penaltyWad);
        c.reportedDebt = SafeCastLib.toUint128(ilkDebt + lot.tab);
        _globalDebt = SafeCastLib.toUint128(global + lot.tab);
        if (c.lastBlock != uint32(block.number)) {
            c.lastBlock = uint32(block.number);
            c.blockDebt = 0;
        }
        c.blockDebt = SafeCastLib.toUint112(c.blockDebt + lot.tab);
        _ilks[lot.ilk] = c;

        lot.auctionId = ICollateralAuction(c.house)
            .kick(
                lot.tab,
                lot.tab - lot.debt,
                lot.amount,
                address(pe),
                msg.sender,
                FixedPointMathLib.mulWadUp(lot.dust, c.penaltyWad)
            );
        pe.seizeCollateral(lot.owner, lot.ilk, lot.amount, c.house, lot.auctionId);
        emit LiquidatePortfolioLot(
            lot.owner, lot.ilk, lot.auctionId, msg.sender, lot.amount, lot.art, lot.debt, lot.tab
        );
    }

    function _rescue(bytes32 ilk, address owner) internal returns (bool ran, bool rescued) {
        uint256 locked;
        assembly ("memory-safe") {
            locked := tload(_RESCUE_LOCK_SLOT)
        }
        if (locked != 0) revert RescueInProgress();
        address hook = _rescueHooks[ilk][owner];
        if (hook == address(0) || !_rescueHookAllowed[hook]) return (false, false);
        uint256 before = vaultEngine.health(ilk, owner);
        if (before >= WAD) return (false, false);
        ran = true;
        if (gasleft() < RESCUE_GAS_NEEDED) revert InsufficientGasForRescue(gasleft(), RESCUE_GAS_NEEDED);
        assembly ("memory-safe") {
            tstore(_RESCUE_LOCK_SLOT, 1)
        }
        bool succeeded;
        uint256 afterWad = before;
        try this.runRescueHook(ilk, owner, hook, before) returns (bool ok, uint256 h) {
            (succeeded, afterWad) = (ok, h);
        } catch {}
        assembly ("memory-safe") {
            tstore(_RESCUE_LOCK_SLOT, 0)
        }
        emit RescueAttempted(ilk, owner, hook, succeeded, before, afterWad);
        rescued = afterWad >= WAD;
        if (rescued) emit Rescued(ilk, owner, hook);
    }

    /// @dev Checks the vault is liquidatable and sizes the liquidation to the room.
    function _plan(bytes32 ilk, address owner, IlkConfig memory c, bool soft)
        internal
        view
        returns (Plan memory p, Skip memory skipped)
    {
        IVaultEngine.LiquidationView memory v = vaultEngine.liquidationView(ilk, owner);
        if (v.normalizedDebt == 0) {
            return
                (p, _skip(soft, SkipReason.VaultHasNoDebt, abi.encodeWithSelector(VaultHasNoDebt.selector, ilk, owner)));
        }
        // The vault engine's own safety rule, so the two can never disagree.
        if (v.safe) {
            return (p, _skip(soft, SkipReason.VaultIsSafe, abi.encodeWithSelector(VaultIsSafe.selector, ilk, owner)));
        }

        // Room: the tightest of the type's, the global and the per-block limit, and the largest
        // auction the house's tiers allow (a bigger debt is staged over several calls).
        uint256 maxAuctionTab;
        (p.ilkDebt, maxAuctionTab) = ICollateralAuction(c.house).liquidationInfo();
        p.global = _globalDebt + p.ilkDebt - c.reportedDebt;
        uint256 available = FixedPointMathLib.min(_room(c, p.ilkDebt, p.global), maxAuctionTab);
        p.minTab = FixedPointMathLib.mulWadUp(v.dust, c.penaltyWad);
        if (available < p.minTab || available == 0) {
            return
                (p, _skip(soft, SkipReason.NoRoom, abi.encodeWithSelector(NoRoom.selector, ilk, available, p.minTab)));
        }

        // Normalized debt to liquidate: all of it, or what the room allows.
        // Two floors, so the tab (debt and tab both rounded up) never exceeds the room:
        // ceil(floor(room / penalty) × penalty) <= room, ceil(floor(maxDebt / rate) × rate) <= maxDebt.
        uint256 art = v.normalizedDebt;
        uint256 maxDebt = FixedPointMathLib.mulDiv(available, WAD, c.penaltyWad);
        p.dart = FixedPointMathLib.min(art, FixedPointMathLib.mulDiv(maxDebt, RAY, v.rate));
        p.isPartial = p.dart < art;
        if (p.isPartial) {
            if ((art - p.dart) * v.rate < v.dust * RAY) {
                // The remainder would be dust: liquidate the whole vault.
                p.dart = art;
                p.isPartial = false;
            } else if (p.dart * v.rate < v.dust * RAY) {
                bytes memory err =
                    abi.encodeWithSelector(DustyPartialLiquidation.selector, ilk, p.dart * v.rate / RAY, v.dust);
                return (p, _skip(soft, SkipReason.DustyPartialLiquidation, err));
            }
        }
        p.dink = p.isPartial ? v.collateral * p.dart / art : v.collateral;
    }

    /// @dev A skip for a batch (`soft`), or the revert with `err` for a single liquidation.
    function _skip(bool soft, SkipReason reason, bytes memory err) internal pure returns (Skip memory) {
        if (!soft) {
            assembly ("memory-safe") {
                revert(add(err, 0x20), mload(err))
            }
        }
        return Skip(reason, err);
    }

    /// @dev Tab that fits under all three limits.
    function _room(IlkConfig memory c, uint256 ilkDebt, uint256 global) internal view returns (uint256 r) {
        r = _sub0(c.maxDebtInAuctions, ilkDebt);
        r = FixedPointMathLib.min(r, _sub0(_globalMax, global));
        uint256 usedThisBlock = c.lastBlock == uint32(block.number) ? c.blockDebt : 0;
        r = FixedPointMathLib.min(r, _sub0(c.maxDebtPerBlock, usedThisBlock));
    }

    function _sub0(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a - b : 0;
    }

    function _bound(uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert ParameterOutOfBounds(value, min, max);
    }
}
