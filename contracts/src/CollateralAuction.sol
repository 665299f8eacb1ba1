// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {ERC20} from "solady/tokens/ERC20.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {CurvePrice} from "./curves/CurvePrice.sol";
import {IAuctionTakeCallee} from "./interfaces/IAuctionTakeCallee.sol";
import {ICollateralAuction} from "./interfaces/ICollateralAuction.sol";
import {IInsuranceFund} from "./interfaces/IInsuranceFund.sol";
import {IMarkPriceSource} from "./interfaces/IMarkPriceSource.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";

/// @title CollateralAuction
/// @notice Dutch auctions for one collateral type. See {ICollateralAuction}.
/// @dev Storage is laid out for gas: an auction is three slots, and the slots of finished
/// auctions are recycled through a free list, so a new auction in a calm market rewrites dirty
/// slots instead of claiming fresh ones. An id is `nonce << 32 | slot`; the nonce stored in the
/// slot tells a live auction from a stale id. Proceeds stay here until `settle`, which burns the
/// debt part against bad debt and sends the penalty revenue to the insurance fund.
contract CollateralAuction is ICollateralAuction, OwnableRoles, ReentrancyGuardTransient {
    using SafeTransferLib for address;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role of the liquidation engine: may kick.
    uint256 public constant KICKER = 1 << 0;
    /// @notice Role of the circuit breaker: may set the breaker level.
    uint256 public constant BREAKER = 1 << 1;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    uint8 internal constant MAX_LEVEL = 3;
    /// @dev Largest start premium: 5× the mark price.
    uint256 internal constant MAX_START_PREMIUM_BPS = 50_000;
    /// @dev Shortest tail: a redo cannot be made routine.
    uint256 internal constant MIN_TAIL_SECONDS = 60;
    /// @dev Redo incentive bounds.
    uint256 internal constant MAX_TIP = 10_000e18;
    uint256 internal constant MAX_CHIP_WAD = 0.05e18;
    uint256 internal constant MAX_TIERS = 16;
    /// @dev Shortest Adaptive follow period: the anchor may fall at most `top / 300` per second (20%
    /// of top per minute), so one low mark read moves the price at most `age / 300` of top.
    uint256 internal constant MIN_FOLLOW_SECONDS = 300;
    /// @dev solady ReentrancyGuardTransient's lock slot (private there): read by `locked()`.
    uint256 internal constant _LOCK_SLOT = 0x8000000000ab143c06;

    /*//////////////////////////////////////////////////////////////
                               IMMUTABLES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICollateralAuction
    bytes32 public immutable ilk;
    /// @inheritdoc ICollateralAuction
    address public immutable collateral;
    /// @inheritdoc ICollateralAuction
    address public immutable stablecoin;
    /// @notice The vault engine (heals bad debt, mints redo incentives).
    IVaultEngine public immutable vaultEngine;
    /// @notice Mark price of the collateral (WAD per whole token).
    IMarkPriceSource public immutable priceSource;
    /// @notice Receives penalty revenue.
    address public immutable insuranceFund;
    /// @dev 10 ** (18 - collateral decimals).
    uint256 internal immutable _scale;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Hot house-wide state, one slot: read by every take.
    struct State {
        uint8 level; // circuit breaker level
        uint120 debt; // tab in live auctions (WAD)
        uint120 revenue; // penalty revenue owed to the fund, not yet settled (WAD)
        bool warm; // always true: the slot never returns to zero, so rewriting it costs 2,900 not 20,000
    }

    /// @dev Slot bookkeeping, one slot: touched by kick and when an auction ends.
    struct Slots {
        uint32 active; // live auctions
        uint32 allocated; // slots ever allocated
        uint32 free; // recycled slots on the free list
        uint32 nonce; // kicks so far
    }

    State internal _state;
    Slots internal _slots;
    /// @dev slot => auction.
    mapping(uint256 => Sale) internal _sales;
    /// @dev Free list of finished slots: index => slot + 1. Stored plus one and never cleared on
    /// pop, so pushing rewrites a dirty slot.
    mapping(uint256 => uint256) internal _freeSlots;
    /// @dev Append-only tier store.
    /// @dev A mapping, not an array: reading a tier on every take skips the length check.
    mapping(uint256 => Tier) internal _tiers;
    uint256 internal _tierCount;
    /// @dev Tier table for new auctions.
    /// @dev Tier table for new auctions, one slot per entry: `maxTab << 16 | tierId`, ascending.
    uint256[] internal _table;
    /// @notice Flat redo incentive (WAD).
    uint256 public redoTip;
    /// @notice Proportional redo incentive (WAD fraction of the tab).
    uint256 public redoChipWad;
    /// @notice Flat reward for triggering a takeover by the insurance fund (WAD).
    uint256 public takeoverTip;
    /// @dev Stablecoin a take in progress has booked off `_state.debt` but not yet pulled from its
    /// payer (WAD). `debtInAuctions` counts it, so from inside a take callback the house's books
    /// read as they did before the take: an in-flight `owe` is covered, not bad debt.
    uint256 internal transient _owedInFlight;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param governance Owner (governance).
    /// @param ilk_ Collateral type id.
    /// @param vaultEngine_ The vault engine.
    /// @param priceSource_ Mark price source of the collateral.
    /// @param insuranceFund_ Receives penalty revenue.
    constructor(
        address governance,
        bytes32 ilk_,
        IVaultEngine vaultEngine_,
        IMarkPriceSource priceSource_,
        address insuranceFund_
    ) {
        _initializeOwner(governance);
        ilk = ilk_;
        vaultEngine = vaultEngine_;
        priceSource = priceSource_;
        insuranceFund = insuranceFund_;
        IVaultEngine.Ilk memory info = vaultEngine_.ilks(ilk_);
        collateral = info.token;
        _scale = info.scale;
        stablecoin = vaultEngine_.stablecoin();
        _state.warm = true;
    }

    /*//////////////////////////////////////////////////////////////
                               OPERATIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICollateralAuction
    function kick(uint256 tab, uint256 penalty, uint256 lot, address owner, address keeper, uint256 minTab)
        external
        onlyRoles(KICKER)
        returns (uint256 id)
    {
        uint8 level = _state.level;
        if (level >= 1) revert BreakerLevelTooHigh(level, 0);
        if (tab == 0 || lot == 0) revert ZeroAmount();
        _checkFits(tab, type(uint112).max);
        _checkFits(lot, type(uint112).max);
        _checkFits(penalty, tab);
        _checkFits(minTab, type(uint96).max);

        uint256 tierId = tierFor(tab);
        uint256 top = _startPrice(_markPrice(), _tiers[tierId].startPremiumBps);
        (uint256 slot, uint32 nonce) = _allocate(tab);

        // Every field was checked to fit above (_checkFits) or is bounded by construction
        // (tierId < 2^16 by addTier, nonce and slot by their uint32 counters).
        // forge-lint: disable-start(unsafe-typecast)
        Sale memory created = Sale({
            tab: uint112(tab),
            lot: uint112(lot),
            nonce: nonce,
            top: uint96(top),
            startedAt: uint40(block.timestamp),
            tierId: uint16(tierId),
            minTab: uint96(minTab),
            redos: 0,
            owner: owner,
            penalty: uint96(penalty)
        });
        // forge-lint: disable-end(unsafe-typecast)
        _sales[slot] = created;
        id = (uint256(nonce) << 32) | slot;
        _emitKick(id, created, keeper);
    }

    /// @inheritdoc ICollateralAuction
    function take(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes calldata data)
        external
        nonReentrant
        returns (uint256 collateralOut, uint256 owe)
    {
        return _take(id, amount, maxPrice, receiver, data, msg.sender);
    }

    /// @inheritdoc ICollateralAuction
    function takeFor(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes calldata data, address payer)
        external
        nonReentrant
        onlyRoles(KICKER)
        returns (uint256 collateralOut, uint256 owe)
    {
        return _take(id, amount, maxPrice, receiver, data, payer);
    }

    /// @inheritdoc ICollateralAuction
    function takeover(uint256 id, address rewardRecipient)
        external
        nonReentrant
        returns (uint256 collateralOut, uint256 owe, uint256 reward)
    {
        uint8 level = _state.level;
        if (level >= 3) revert BreakerLevelTooHigh(level, 2);
        (Sale storage s, uint256 tab, uint256 lot) = _live(id);
        uint256 price = _takeoverPrice(id, s);
        // The fund buys the whole lot at the takeover price, or just what raises the tab: the rest
        // of the lot goes back to the owner's vault (_finish).
        (collateralOut, owe) = _quote(tab, lot, 0, lot, price);
        _applyTake(id, s, owe, tab - owe, lot - collateralOut);

        if (owe > 0) IInsuranceFund(insuranceFund).payTakeover(owe);
        collateral.safeTransfer(insuranceFund, collateralOut);
        reward = takeoverTip;
        if (reward > 0) vaultEngine.mintUnbacked(rewardRecipient, reward);
        emit Takeover(id, msg.sender, price, owe, collateralOut, reward);
    }

    /// @inheritdoc ICollateralAuction
    function redo(uint256 id, address rewardRecipient) external nonReentrant returns (uint256 incentive) {
        uint8 level = _state.level;
        if (level >= 2) revert BreakerLevelTooHigh(level, 1);
        (Sale storage s, uint256 tab, uint256 lot) = _live(id);
        uint256 startPremiumBps = _redoDue(id, s);
        uint256 mark = _markPrice();
        uint256 top = _startPrice(mark, startPremiumBps);
        // forge-lint: disable-next-line(unsafe-typecast) _startPrice checked top fits uint96
        s.top = uint96(top);
        s.startedAt = uint40(block.timestamp);
        if (s.redos < type(uint8).max) s.redos++;
        incentive = _redoIncentive(tab, lot, s.minTab, mark);
        if (incentive > 0) vaultEngine.mintUnbacked(rewardRecipient, incentive);
        emit Redo(id, rewardRecipient, top, block.timestamp, incentive);
    }

    /// @inheritdoc ICollateralAuction
    function yank(uint256 id, address to) external onlyOwner nonReentrant {
        (Sale storage s, uint256 tab, uint256 lot) = _live(id);
        s.lot = 0;
        _release(id, s, _state, tab);
        collateral.safeTransfer(to, lot);
        emit Yank(id, tab, lot, to);
    }

    /// @inheritdoc ICollateralAuction
    function settle() external nonReentrant returns (uint256 healed, uint256 revenue) {
        // One wei stays behind so the house's balance never returns to zero: crediting a zero
        // balance costs a take 20,000 gas instead of 2,900.
        uint256 balance = SafeTransferLib.balanceOf(stablecoin, address(this));
        uint256 available = balance > 0 ? balance - 1 : 0;
        revenue = FixedPointMathLib.min(_state.revenue, available);
        uint256 healable = available - revenue;
        healed = FixedPointMathLib.min(healable, vaultEngine.badDebtRad() / 1e27);
        // Debt proceeds beyond the bad debt left (the fund healed it first) reimburse the fund.
        revenue += healable - healed;
        _state.revenue = 0;
        if (healed > 0) vaultEngine.heal(healed);
        if (revenue > 0) stablecoin.safeTransfer(insuranceFund, revenue);
        emit Settle(healed, revenue);
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICollateralAuction
    function addTier(Tier calldata t) external onlyOwner returns (uint256 tierId) {
        _validateTier(t);
        tierId = _tierCount;
        if (tierId >= type(uint16).max) revert AmountTooLarge(tierId, type(uint16).max);
        _tiers[tierId] = t;
        _tierCount = tierId + 1;
        emit TierAdded(tierId, t);
    }

    /// @inheritdoc ICollateralAuction
    function setTiers(uint256[] calldata tierIds, uint256[] calldata maxTabs) external onlyOwner {
        uint256 n = tierIds.length;
        if (n == 0) revert NoTiers();
        if (n > MAX_TIERS || maxTabs.length != n) revert AmountTooLarge(n, MAX_TIERS);
        for (uint256 i; i < n; ++i) {
            if (tierIds[i] >= _tierCount) revert UnknownTier(tierIds[i]);
            if (i > 0 && maxTabs[i] <= maxTabs[i - 1]) revert TiersNotAscending(i, maxTabs[i], maxTabs[i - 1]);
        }
        delete _table;
        for (uint256 i; i < n; ++i) {
            // A bound beyond 2^240 means "any tab": store the largest that fits.
            _table.push((FixedPointMathLib.min(maxTabs[i], type(uint240).max) << 16) | tierIds[i]);
        }
        emit TiersSet(tierIds, maxTabs);
    }

    /// @inheritdoc ICollateralAuction
    function setBreakerLevel(uint8 level) external onlyOwnerOrRoles(BREAKER) {
        if (level > MAX_LEVEL) revert InvalidBreakerLevel(level);
        _state.level = level;
        emit BreakerLevelSet(level);
    }

    /// @inheritdoc ICollateralAuction
    function setTakeoverTip(uint256 tip) external onlyOwner {
        if (tip > MAX_TIP) revert InvalidIncentive(tip, MAX_TIP);
        takeoverTip = tip;
        emit TakeoverTipSet(tip);
    }

    /// @inheritdoc ICollateralAuction
    function setRedoIncentive(uint256 tip, uint256 chipWad) external onlyOwner {
        if (tip > MAX_TIP) revert InvalidIncentive(tip, MAX_TIP);
        if (chipWad > MAX_CHIP_WAD) revert InvalidIncentive(chipWad, MAX_CHIP_WAD);
        redoTip = tip;
        redoChipWad = chipWad;
        emit RedoIncentiveSet(tip, chipWad);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICollateralAuction
    function getStatus(uint256 id) external view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab) {
        // forge-lint: disable-next-line(unsafe-typecast) the slot is the id's low 32 bits by design
        Sale memory s = _sales[uint32(id)];
        if (s.lot == 0 || s.nonce != id >> 32) return (false, 0, 0, 0);
        (price, needsRedo) = _priceNow(_tiers[s.tierId], s.top, s.startedAt);
        return (needsRedo, price, s.lot, s.tab);
    }

    /// @inheritdoc ICollateralAuction
    function quote(uint256 id, uint256 amount)
        external
        view
        returns (uint256 collateralOut, uint256 owe, uint256 price)
    {
        // forge-lint: disable-next-line(unsafe-typecast) the slot is the id's low 32 bits by design
        Sale memory s = _sales[uint32(id)];
        if (s.lot == 0 || s.nonce != id >> 32) revert AuctionNotActive(id);
        if (amount == 0) revert ZeroAmount();
        bool redoDue;
        (price, redoDue) = _priceNow(_tiers[s.tierId], s.top, s.startedAt);
        if (redoDue) revert AuctionNeedsRedo(id);
        (collateralOut, owe) = _quote(s.tab, s.lot, s.minTab, amount, price);
    }

    /// @inheritdoc ICollateralAuction
    function list() external view returns (uint256[] memory ids) {
        Slots memory sl = _slots;
        ids = new uint256[](sl.active);
        uint256 n;
        for (uint256 slot; slot < sl.allocated; ++slot) {
            Sale storage s = _sales[slot];
            if (s.lot != 0) ids[n++] = (uint256(s.nonce) << 32) | slot;
        }
    }

    /// @inheritdoc ICollateralAuction
    function count() external view returns (uint256) {
        return _slots.active;
    }

    /// @inheritdoc ICollateralAuction
    function debtInAuctions() external view returns (uint256) {
        return _state.debt + _owedInFlight;
    }

    /// @inheritdoc ICollateralAuction
    function owedInFlight() external view returns (uint256) {
        return _owedInFlight;
    }

    /// @inheritdoc ICollateralAuction
    function locked() external view returns (bool isLocked) {
        assembly ("memory-safe") {
            isLocked := iszero(iszero(tload(_LOCK_SLOT)))
        }
    }

    /// @inheritdoc ICollateralAuction
    function liquidationInfo() external view returns (uint256 debt, uint256 maxAuctionTab) {
        debt = _state.debt + _owedInFlight;
        uint256 n = _table.length;
        if (n == 0) revert NoTiers();
        maxAuctionTab = _table[n - 1] >> 16;
        // The stored bound saturates at 2^240 - 1: that means no staging.
        if (maxAuctionTab == type(uint240).max) maxAuctionTab = type(uint256).max;
    }

    /// @inheritdoc ICollateralAuction
    function sale(uint256 id) external view returns (Sale memory s) {
        // forge-lint: disable-next-line(unsafe-typecast) the slot is the id's low 32 bits by design
        s = _sales[uint32(id)];
        if (s.lot == 0 || s.nonce != id >> 32) _revertNotLive(id, s.nonce);
    }

    /// @inheritdoc ICollateralAuction
    function tier(uint256 tierId) external view returns (Tier memory) {
        if (tierId >= _tierCount) revert UnknownTier(tierId);
        return _tiers[tierId];
    }

    /// @inheritdoc ICollateralAuction
    function tierFor(uint256 tab) public view returns (uint256 tierId) {
        uint256 n = _table.length;
        if (n == 0) revert NoTiers();
        uint256 entry;
        for (uint256 i; i < n; ++i) {
            entry = _table[i];
            if (tab <= entry >> 16) break;
        }
        // The last entry applies to any larger tab.
        return entry & 0xffff;
    }

    /// @inheritdoc ICollateralAuction
    function breakerLevel() external view returns (uint8) {
        return _state.level;
    }

    /// @inheritdoc ICollateralAuction
    function pendingRevenue() external view returns (uint256) {
        return _state.revenue;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _emitKick(uint256 id, Sale memory k, address keeper) internal {
        emit Kick(id, k.owner, k.tab, k.lot, k.top, k.startedAt, k.tierId, k.minTab, k.penalty, keeper);
    }

    /// @dev Reverts unless the auction needs a redo; returns its tier's start premium.
    function _redoDue(uint256 id, Sale storage s) internal view returns (uint256 startPremiumBps) {
        Tier memory t = _tiers[s.tierId];
        (, bool due) = _priceNow(t, s.top, s.startedAt);
        if (!due) revert AuctionDoesNotNeedRedo(id);
        return t.startPremiumBps;
    }

    /// @dev `tip + chip × tab`, paid only for auctions worth restarting (tab and lot value at least
    /// the minimum tab): no incentive to redo dust.
    function _redoIncentive(uint256 tab, uint256 lot, uint256 minTab, uint256 mark) internal view returns (uint256) {
        uint256 tip = redoTip;
        uint256 chip = redoChipWad;
        if ((tip | chip) == 0 || tab < minTab || FixedPointMathLib.mulWad(lot * _scale, mark) < minTab) return 0;
        return tip + FixedPointMathLib.mulWad(tab, chip);
    }

    /// @dev `markPrice × startPremium`, checked to fit the sale record.
    function _startPrice(uint256 mark, uint256 startPremiumBps) internal pure returns (uint256 top) {
        top = FixedPointMathLib.mulDiv(mark, startPremiumBps, BPS);
        if (top == 0) revert StartPriceZero();
        _checkFits(top, type(uint96).max);
    }

    /// @dev Takes a slot for a new auction (a recycled one when there is one) and counts its tab.
    function _allocate(uint256 tab) internal returns (uint256 slot, uint32 nonce) {
        Slots memory sl = _slots;
        slot = sl.free > 0 ? _freeSlots[--sl.free] - 1 : sl.allocated++;
        nonce = ++sl.nonce;
        sl.active++;
        _slots = sl;
        // forge-lint: disable-next-line(unsafe-typecast) tab < 2^112 (checked in kick)
        _state.debt += uint120(tab);
    }

    /// @dev Outcome of a take, kept in memory to spare the stack.
    struct Fill {
        uint256 price;
        uint256 collateralOut;
        uint256 owe;
        uint256 tabLeft;
        uint256 lotLeft;
    }

    /// @dev Buys from a live auction for `payer`; see {take}.
    function _take(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes calldata data, address payer)
        internal
        returns (uint256, uint256)
    {
        if (receiver == address(this)) revert ReceiverIsAuction();
        Fill memory f = _fill(id, amount, maxPrice);
        // Effects are done (_fill); interactions follow under the lock. Until the payer has paid,
        // the owe is in flight: still counted in the house's debt, so anything the receiver calls
        // sees the books as they were before this take.
        _owedInFlight = f.owe;
        collateral.safeTransfer(receiver, f.collateralOut);
        if (data.length > 0) _callback(receiver, payer, f, data);
        _pull(payer, f.owe);
        _owedInFlight = 0;
        emit Take(id, payer, receiver, f.price, f.owe, f.collateralOut, f.tabLeft, f.lotLeft);
        return (f.collateralOut, f.owe);
    }

    /// @dev Calls the take callee; its failure is wrapped in the house's own named error.
    function _callback(address receiver, address payer, Fill memory f, bytes calldata data) internal {
        if (receiver.code.length == 0) revert CalleeNotContract(receiver);
        try IAuctionTakeCallee(receiver).onAuctionTake(payer, f.owe, f.collateralOut, data) {}
        catch (bytes memory reason) {
            revert TakeCallbackFailed(receiver, reason);
        }
    }

    /// @dev Pulls `owe` stablecoin from `payer`. A failure says why: no allowance, no balance, or
    /// (neither, so the token refused) a plain pull failure.
    function _pull(address payer, uint256 owe) internal {
        if (SafeTransferLib.trySafeTransferFrom(stablecoin, payer, address(this), owe)) return;
        uint256 allowance = ERC20(stablecoin).allowance(payer, address(this));
        if (allowance < owe) revert InsufficientAllowance(payer, owe, allowance);
        uint256 balance = SafeTransferLib.balanceOf(stablecoin, payer);
        if (balance < owe) revert InsufficientBalance(payer, owe, balance);
        revert PaymentFailed(payer, owe);
    }

    /// @dev Prices and books a take of up to `amount`: all checks and effects, no interactions.
    function _fill(uint256 id, uint256 amount, uint256 maxPrice) internal returns (Fill memory f) {
        uint8 level = _state.level;
        if (level >= 3) revert BreakerLevelTooHigh(level, 2);
        if (amount == 0) revert ZeroAmount();
        (Sale storage s, uint256 tab, uint256 lot) = _live(id);
        f.price = _livePrice(id, s);
        if (f.price > maxPrice) revert PriceAboveMax(f.price, maxPrice);
        (f.collateralOut, f.owe) = _quote(tab, lot, s.minTab, amount, f.price);
        unchecked {
            // _quote bounds collateralOut by lot and owe by tab.
            f.tabLeft = tab - f.owe;
            f.lotLeft = lot - f.collateralOut;
        }
        _applyTake(id, s, f.owe, f.tabLeft, f.lotLeft);
    }

    /// @dev The price the fund pays to take over an auction whose price fell below its floor, or
    /// that passed its tail a second time (after a redo); reverts otherwise. It is the curve price,
    /// but never below the fair floor: the lowest price a restart now could sell at
    /// (`mark × startPremium × floor`, rounded up). However long nobody triggered the takeover, the
    /// fund cannot buy the owner's collateral cheaper than a fresh auction would have sold it.
    function _takeoverPrice(uint256 id, Sale storage s) internal view returns (uint256 price) {
        Tier memory t = _tiers[s.tierId];
        uint256 top = s.top;
        uint256 startedAt = s.startedAt;
        // Due only when a redo is: then `price` is the fixed curve's, never the mark-following one.
        (price,) = _priceNow(t, top, startedAt);
        bool belowFloor = price < _floorPrice(top, t.floorWad);
        uint256 age = block.timestamp - startedAt;
        bool secondTail = s.redos > 0 && age > t.tailSeconds;
        if (!belowFloor && !secondTail) revert TakeoverNotAllowed(id);
        uint256 fair = _floorPrice(_startPrice(_markPrice(), t.startPremiumBps), t.floorWad);
        if (price < fair) price = fair;
    }

    /// @dev `top × floor`, rounded up: at least 1 for any top and floor above 0, so no live price
    /// is ever 0.
    function _floorPrice(uint256 top, uint256 floorWad) internal pure returns (uint256) {
        return FixedPointMathLib.mulWadUp(top, floorWad);
    }

    /// @dev The current price of a live auction; reverts when it needs a redo.
    function _livePrice(uint256 id, Sale storage s) internal view returns (uint256 price) {
        bool redoDue;
        (price, redoDue) = _priceNow(_tiers[s.tierId], s.top, s.startedAt);
        if (redoDue) revert AuctionNeedsRedo(id);
    }

    /// @dev The price of an auction now and whether it needs a redo. The redo rule reads the tier's
    /// fixed curve only (age and `top`, never the mark), so no oracle read can make an auction
    /// redoable. An Adaptive tier's live price is then `CurvePrice.adaptive` with the live mark,
    /// but never below the floor `top × floor` (the lowest the fixed curve sells at).
    function _priceNow(Tier memory t, uint256 top, uint256 startedAt)
        internal
        view
        returns (uint256 price, bool redoDue)
    {
        uint256 age = block.timestamp - startedAt;
        price = CurvePrice.price(t.kind, t.cutRay, t.periodSeconds, top, age);
        redoDue = _needsRedo(t, top, price, age);
        if (redoDue || t.kind != CurveKind.Adaptive) return (price, redoDue);
        uint256 anchor = CurvePrice.adaptiveAnchor(top, age, t.periodSeconds, _liveTop(t.startPremiumBps));
        if (anchor == top) return (price, false);
        // The same curve started at the anchor: `CurvePrice.adaptive`, floored.
        price = FixedPointMathLib.max(
            CurvePrice.price(t.kind, t.cutRay, t.periodSeconds, anchor, age), _floorPrice(top, t.floorWad)
        );
    }

    /// @dev What a restart would start at now, `mark × startPremium` rounded up (the anchor an
    /// Adaptive auction follows), or `type(uint256).max` when the mark is missing, invalid or its
    /// source reverts: a dead oracle leaves the fixed curve, it never stops or cheapens takes.
    function _liveTop(uint256 startPremiumBps) internal view returns (uint256) {
        (uint256 mark, bool valid) = _peek();
        if (!valid) return type(uint256).max;
        // Capped so the product cannot overflow; any mark this large leaves the anchor at top.
        return FixedPointMathLib.mulDivUp(FixedPointMathLib.min(mark, type(uint128).max), startPremiumBps, BPS);
    }

    /// @dev The mark price and whether it is usable (valid and above 0). A plain staticcall: a
    /// source that reverts or answers short reads as no mark.
    function _peek() internal view returns (uint256 mark, bool valid) {
        address source = address(priceSource);
        assembly ("memory-safe") {
            mstore(0x00, 0x59e02dd7) // peek()
            if and(gt(returndatasize(), 0x3f), staticcall(gas(), source, 0x1c, 0x04, 0x00, 0x40)) {
                mark := mload(0x00)
                valid := and(iszero(iszero(mark)), iszero(iszero(mload(0x20))))
            }
        }
    }

    /// @dev Books a take: the auction's tab and lot, the house's debt, and the end of the auction
    /// when its lot is sold or its tab raised.
    function _applyTake(uint256 id, Sale storage s, uint256 owe, uint256 tabLeft, uint256 lotLeft) internal {
        State memory st = _state;
        // Debt is raised first, the penalty last: the part of `owe` that falls below the penalty
        // is revenue, booked now so that `settle` never burns it as debt repayment.
        uint256 penalty = s.penalty;
        uint256 tabBefore = tabLeft + owe;
        uint256 debtPart = tabBefore > penalty ? tabBefore - penalty : 0;
        // forge-lint: disable-next-line(unsafe-typecast) owe <= tab < 2^112
        st.debt -= uint120(owe);
        // forge-lint: disable-next-line(unsafe-typecast) the revenue part is at most the penalty < 2^96
        if (owe > debtPart) st.revenue += uint120(owe - debtPart);
        if (lotLeft == 0 || tabLeft == 0) {
            s.lot = 0;
            _finish(id, s, st, tabLeft, lotLeft);
        } else {
            _state = st;
            // forge-lint: disable-next-line(unsafe-typecast) smaller than the stored uint112 values
            s.tab = uint112(tabLeft);
            // forge-lint: disable-next-line(unsafe-typecast) smaller than the stored uint112 values
            s.lot = uint112(lotLeft);
        }
    }

    /// @dev Reverts for an id that is not live: `AuctionNotFound` when it was never issued (its
    /// nonce is 0 or not yet reached, its slot never allocated, or its slot's nonce is older),
    /// `AuctionFinished` otherwise. The house keeps no history, so an id pairing an issued nonce
    /// with a slot that nonce never used, behind a slot since reused, also reads as finished.
    function _revertNotLive(uint256 id, uint256 storedNonce) internal view {
        uint256 nonce = id >> 32;
        Slots memory sl = _slots;
        // forge-lint: disable-next-line(unsafe-typecast) the slot is the id's low 32 bits by design
        if (nonce == 0 || nonce > sl.nonce || uint32(id) >= sl.allocated || storedNonce < nonce) {
            revert AuctionNotFound(id);
        }
        revert AuctionFinished(id);
    }

    /// @dev The live auction behind `id`, or revert.
    function _live(uint256 id) internal view returns (Sale storage s, uint256 tab, uint256 lot) {
        // forge-lint: disable-next-line(unsafe-typecast) the slot is the id's low 32 bits by design
        s = _sales[uint32(id)];
        lot = s.lot;
        if (lot == 0 || s.nonce != id >> 32) revert AuctionNotActive(id);
        tab = s.tab;
    }

    /// @dev What a take of up to `amount` at `price` delivers and costs. The bidder pays rounded up
    /// and receives rounded down. A take may not leave a tab below `minTab` (it is cut to leave
    /// exactly `minTab`); taking the whole tab or the whole lot is always allowed.
    function _quote(uint256 tab, uint256 lot, uint256 minTab, uint256 amount, uint256 price)
        internal
        view
        returns (uint256 collateralOut, uint256 owe)
    {
        collateralOut = amount < lot ? amount : lot;
        owe = _valueUp(collateralOut, price);
        if (owe > tab) {
            // The lot is worth more than the debt: sell just enough to raise the tab.
            owe = tab;
            collateralOut = _collateralForDown(tab, price);
        } else if (owe < tab && collateralOut < lot && tab - owe < minTab) {
            if (tab <= minTab) revert PartialTakeBelowMinimum(tab, minTab);
            owe = tab - minTab;
            collateralOut = _collateralForDown(owe, price);
        }
        if (collateralOut == 0) revert ZeroCollateralOut(amount, price);
    }

    /// @dev Stablecoin value of `amount` collateral at `price`, rounded up.
    function _valueUp(uint256 amount, uint256 price) internal view returns (uint256) {
        return FixedPointMathLib.mulDivUp(amount * _scale, price, WAD);
    }

    /// @dev Collateral that `value` stablecoin buys at `price`, rounded down.
    function _collateralForDown(uint256 value, uint256 price) internal view returns (uint256) {
        return FixedPointMathLib.mulDiv(value, WAD, price * _scale);
    }

    function _needsRedo(Tier memory t, uint256 top, uint256 price, uint256 age) internal pure returns (bool) {
        return age > t.tailSeconds || price < _floorPrice(top, t.floorWad);
    }

    /// @dev Ends an auction whose lot is sold or whose tab is raised: returns the collateral left
    /// to the owner and books the penalty revenue. Interactions happen after the caller's effects.
    function _finish(uint256 id, Sale storage s, State memory st, uint256 tabLeft, uint256 lotLeft) internal {
        uint256 revenue = _release(id, s, st, tabLeft);
        if (lotLeft > 0) {
            // Back into the owner's vault, not to the owner: nothing the owner does can block this.
            collateral.safeTransfer(address(vaultEngine), lotLeft);
            vaultEngine.restoreCollateral(ilk, s.owner, lotLeft, id);
        }
        emit AuctionClosed(id, lotLeft, tabLeft, revenue);
    }

    /// @dev Frees the auction's slot and returns its penalty revenue for the event (booked take by
    /// take in `_applyTake`; debt is raised first, so the
    /// penalty part raised is `penalty - tabLeft` when positive).
    function _release(uint256 id, Sale storage s, State memory st, uint256 tabLeft) internal returns (uint256 revenue) {
        uint256 penalty = s.penalty;
        revenue = penalty > tabLeft ? penalty - tabLeft : 0;
        Slots memory sl = _slots;
        // forge-lint: disable-next-line(unsafe-typecast) the slot is the id's low 32 bits by design
        _freeSlots[sl.free++] = uint32(id) + 1;
        sl.active--;
        _slots = sl;
        // forge-lint: disable-next-line(unsafe-typecast) tabLeft <= the auction's uint112 tab
        st.debt -= uint120(tabLeft);
        _state = st;
    }

    function _markPrice() internal view returns (uint256 price) {
        bool valid;
        (price, valid) = _peek();
        if (!valid) revert NoMarkPrice();
    }

    function _validateTier(Tier calldata t) internal pure {
        if (t.kind == CurveKind.None) revert InvalidTier(0, 0);
        if (t.kind != CurveKind.Linear && (t.cutRay == 0 || t.cutRay > 1e27)) revert InvalidTier(1, t.cutRay);
        if (t.kind != CurveKind.Exponential && t.periodSeconds == 0) revert InvalidTier(2, t.periodSeconds);
        // An Adaptive anchor that could fall to 0 within minutes would let one low mark read sell cheap.
        if (t.kind == CurveKind.Adaptive && t.periodSeconds < MIN_FOLLOW_SECONDS) {
            revert InvalidTier(2, t.periodSeconds);
        }
        if (t.tailSeconds < MIN_TAIL_SECONDS) revert InvalidTier(3, t.tailSeconds);
        // A zero floor would let a curve that reaches 0 give the lot away: every tier has one above 0.
        if (t.floorWad == 0 || t.floorWad >= WAD) revert InvalidTier(4, t.floorWad);
        if (t.startPremiumBps == 0 || t.startPremiumBps > MAX_START_PREMIUM_BPS) {
            revert InvalidTier(5, t.startPremiumBps);
        }
    }

    /// @dev Transient-storage lock on every chain (solady defaults to mainnet only).
    function _useTransientReentrancyGuardOnlyOnMainnet() internal pure override returns (bool) {
        return false;
    }

    function _checkFits(uint256 value, uint256 max) internal pure {
        if (value > max) revert AmountTooLarge(value, max);
    }
}
