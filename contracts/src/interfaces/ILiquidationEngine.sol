// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ILiquidationEngine
/// @notice Starts Dutch auctions for unsafe vaults. Anyone may call `liquidate`; the caller earns
/// a flat tip plus a percentage (chip) of the tab, capped at the penalty part of the tab (so
/// self-liquidation never pays), minted against system bad debt so that a liquidation can never be
/// blocked by an empty fund.
/// @dev Room limits: the debt (penalty included) in a collateral type's live auctions may not
/// exceed its `maxDebtInAuctions`, nor the sum over all types the global one, nor may more than
/// `maxDebtPerBlock` of a type be liquidated in one block. A vault larger than the room is
/// liquidated in part; a remainder below dust is never left (the whole vault goes instead).
interface ILiquidationEngine {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Per collateral type configuration and counters.
    /// @param house Auction house of the collateral type.
    /// @param penaltyWad Liquidation penalty multiplier (WAD, 1e18 = no penalty).
    /// @param hookedVaults Vaults of this type with a rescue hook registered (while zero, a
    /// liquidation reads no hook: the hookless path costs no extra storage read).
    /// @param maxDebtInAuctions Per-type limit on tab in live auctions (WAD).
    /// @param reportedDebt This type's in-auction tab as last synced into the global counter (WAD).
    /// @param maxDebtPerBlock Per-type limit on tab liquidated in one block (WAD).
    /// @param lastBlock Block of the last liquidation of this type.
    /// @param blockDebt Tab liquidated in `lastBlock` (WAD).
    struct IlkConfig {
        address house;
        uint64 penaltyWad;
        uint32 hookedVaults;
        uint128 maxDebtInAuctions;
        uint128 reportedDebt;
        uint112 maxDebtPerBlock;
        uint32 lastBlock;
        uint112 blockDebt;
    }

    /// @notice Why `liquidateMany` skipped a vault; `None` is never emitted.
    enum SkipReason {
        None,
        VaultHasNoDebt,
        VaultIsSafe,
        NoRoom,
        DustyPartialLiquidation
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error VaultIsSafe(bytes32 ilk, address owner);
    error VaultHasNoDebt(bytes32 ilk, address owner);
    error IlkNotConfigured(bytes32 ilk);
    error NoRoom(bytes32 ilk, uint256 room, uint256 minTab);
    error DustyPartialLiquidation(bytes32 ilk, uint256 debt, uint256 dust);
    error ParameterOutOfBounds(uint256 value, uint256 min, uint256 max);
    error ZeroAddress();
    /// @notice The hook is not on governance's allow-list.
    error RescueHookNotAllowed(address hook);
    /// @notice A liquidation was entered while a rescue hook runs.
    error RescueInProgress();
    /// @notice Too little gas left to give a registered hook its full budget.
    error InsufficientGasForRescue(uint256 gasLeft, uint256 needed);
    /// @notice The hook lowered the vault's health (its effects are rolled back).
    error RescueWorsenedVault(uint256 healthBeforeWad, uint256 healthAfterWad);
    /// @notice Only the engine itself may run a hook (through its own external call).
    error NotSelf(address caller);
    /// @notice `liquidatePortfolio` before governance named the portfolio engine.
    error PortfolioEngineNotSet();
    /// @notice The portfolio covers its debt in every scenario.
    error PortfolioIsSafe(address owner);
    /// @notice The portfolio has no debt.
    error PortfolioHasNoDebt(address owner);
    /// @notice Every asset the portfolio holds is worth nothing at the engine's spot: no lot can carry debt.
    error NoPricedCollateral(address owner);
    /// @notice No asset's house had room for any of the portfolio's debt.
    error NoRoomForPortfolio(address owner);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A vault (or part of it) went to auction.
    event Liquidate(
        bytes32 indexed ilk,
        address indexed owner,
        uint256 indexed auctionId,
        address keeper,
        uint256 collateral,
        uint256 normalizedDebt,
        uint256 debt,
        uint256 tab,
        uint256 incentive,
        bool isPartial
    );
    /// @notice One lot of a portfolio (its `collateral` of `ilk`, carrying `normalizedDebt` of the
    /// portfolio's debt) went to auction `auctionId` of `ilk`'s house.
    event LiquidatePortfolioLot(
        address indexed owner,
        bytes32 indexed ilk,
        uint256 indexed auctionId,
        address keeper,
        uint256 collateral,
        uint256 normalizedDebt,
        uint256 debt,
        uint256 tab
    );
    /// @notice A portfolio was liquidated: `normalizedDebt` in `lots` auctions; `isPartial` when the room
    /// left some of its debt (with the matching share of each holding) in the portfolio.
    event LiquidatePortfolio(
        address indexed owner, address keeper, uint256 normalizedDebt, uint256 lots, uint256 incentive, bool isPartial
    );
    /// @notice Governance named the portfolio engine whose portfolios `liquidatePortfolio` liquidates.
    event PortfolioEngineSet(address indexed engine);
    /// @notice A vault in a batch was skipped (empty, safe, no room, or a dusty partial). `reason`
    /// is decodable without a selector table; `error` is the full error `liquidate` would have
    /// reverted with (selector and arguments, e.g. `NoRoom(ilk, room, minTab)`), from this ABI.
    event LiquidationSkipped(bytes32 indexed ilk, address indexed owner, SkipReason reason, bytes error);
    event IlkConfigured(
        bytes32 indexed ilk, address house, uint256 penaltyWad, uint256 maxDebtInAuctions, uint256 maxDebtPerBlock
    );
    event GlobalMaxDebtInAuctionsSet(uint256 maxDebt);
    event IncentivesSet(uint256 tip, uint256 chipWad);
    event DebtSynced(bytes32 indexed ilk, uint256 ilkDebt, uint256 globalDebt);
    /// @notice Governance added a hook to (or removed it from) the allow-list.
    event RescueHookAllowed(address indexed hook, bool allowed);
    /// @notice An owner registered a hook for a vault (zero: removed).
    event RescueHookSet(bytes32 indexed ilk, address indexed owner, address hook);
    /// @notice A registered hook ran on an unsafe vault. `succeeded` is false when it reverted (or
    /// lowered the health: rolled back); `healthAfterWad` is then the health before.
    event RescueAttempted(
        bytes32 indexed ilk,
        address indexed owner,
        address indexed hook,
        bool succeeded,
        uint256 healthBeforeWad,
        uint256 healthAfterWad
    );
    /// @notice A hook made the vault safe: the liquidation stopped there (id 0, no incentive).
    event Rescued(bytes32 indexed ilk, address indexed owner, address indexed hook);

    /*//////////////////////////////////////////////////////////////
                               OPERATIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Liquidates an unsafe vault (in part when the room is short) and starts its auction.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @param rewardRecipient Receives the incentive.
    /// @return auctionId The auction started.
    function liquidate(bytes32 ilk, address owner, address rewardRecipient) external returns (uint256 auctionId);

    /// @notice Liquidates a vault and buys its auction in the same transaction: the caller earns the
    /// incentive and is the buyer (it pays, and is the callback's `sender`). Meant for small debts
    /// whose tier starts at or below the mark price, so they clear at once.
    /// @param maxPrice Highest acceptable price (WAD per whole token).
    /// @param receiver Receives the collateral (and the callback when `data` is non-empty).
    /// @param data Flash-take callback data; empty for none.
    function liquidateAndTake(bytes32 ilk, address owner, uint256 maxPrice, address receiver, bytes calldata data)
        external
        returns (uint256 auctionId, uint256 collateralOut, uint256 owe);

    /// @notice Liquidates many vaults of one type; safe, empty or room-limited vaults are skipped
    /// (id 0, and a `LiquidationSkipped` event with the reason), never reverting the batch for them.
    function liquidateMany(bytes32 ilk, address[] calldata owners, address rewardRecipient)
        external
        returns (uint256[] memory auctionIds);

    /// @notice Liquidates an unsafe portfolio (issue #18, docs/portfolio.md "Liquidation"): every held
    /// asset goes to its own house's auction carrying the share of the debt its isolated value
    /// (`collateral × scale × spot`) carries, so every lot has the same cover; the last lot takes the
    /// rounding. Each lot is cut to its house's room and per-block caps (the same limits as isolated
    /// vaults, shared with them); the cut share of debt and collateral stays in the portfolio, in the same
    /// proportion. A remainder below the portfolio ilk's dust is never left (`DustyPartialLiquidation`).
    /// Auctions are owned by the portfolio engine, which credits any unsold lot back to the portfolio.
    /// The caller earns one incentive (tip + chip of the summed tabs, capped by the summed penalties).
    /// @param owner The portfolio owner.
    /// @param rewardRecipient Receives the incentive.
    /// @return auctionIds One per held asset in table order (0 where that asset's house had no room).
    function liquidatePortfolio(address owner, address rewardRecipient) external returns (uint256[] memory auctionIds);

    /// @notice Registers `hook` (allow-listed; zero removes) as the caller's rescue hook for its vault
    /// of `ilk`. While the vault is unsafe, a liquidation first calls `hook.rescue(ilk, owner)` with
    /// `RESCUE_GAS_LIMIT` gas in a try/catch; a hook that lowers the health is rolled back; if the
    /// vault is safe afterwards the liquidation stops (returns id 0), else it proceeds.
    /// @param ilk Collateral type (must be configured).
    /// @param hook The hook, or zero to remove.
    function setRescueHook(bytes32 ilk, address hook) external;

    /// @notice Runs `hook` on the vault and reverts if its health fell. Only callable by the engine
    /// itself (`NotSelf`), so a revert rolls the hook's effects back.
    /// @return hookSucceeded False when the hook itself reverted.
    /// @return healthAfterWad The vault's health afterwards.
    function runRescueHook(bytes32 ilk, address owner, address hook, uint256 healthBeforeWad)
        external
        returns (bool hookSucceeded, uint256 healthAfterWad);

    /// @notice Re-reads a type's in-auction debt from its house into the global counter.
    function sync(bytes32 ilk) external;

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    function configureIlk(
        bytes32 ilk,
        address house,
        uint256 penaltyWad,
        uint256 maxDebtInAuctions,
        uint256 maxDebtPerBlock
    ) external;
    function setGlobalMaxDebtInAuctions(uint256 maxDebt) external;
    function setIncentives(uint256 tip, uint256 chipWad) external;
    /// @notice Governance: adds `hook` to (or removes it from) the rescue-hook allow-list. A removed
    /// hook is no longer called, even where registered.
    function setRescueHookAllowed(address hook, bool allowed) external;
    /// @notice Governance: the portfolio engine whose portfolios `liquidatePortfolio` liquidates (it must
    /// grant this engine its `LIQUIDATOR` role). Emits `PortfolioEngineSet`.
    function setPortfolioEngine(address engine) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function ilkConfig(bytes32 ilk) external view returns (IlkConfig memory);
    function globalMaxDebtInAuctions() external view returns (uint256);
    function globalDebtInAuctions() external view returns (uint256);
    function tip() external view returns (uint256);
    /// @notice The portfolio engine (zero until governance names one).
    function portfolioEngine() external view returns (address);
    function chipWad() external view returns (uint256);
    /// @notice The rescue hook registered for a vault (zero: none).
    function rescueHook(bytes32 ilk, address owner) external view returns (address);
    /// @notice Whether governance allows `hook`.
    function isRescueHookAllowed(address hook) external view returns (bool);

    /// @notice Tab that could be liquidated for `ilk` right now: the tightest of the three limits
    /// and the largest auction the house's tiers allow.
    function room(bytes32 ilk) external view returns (uint256);
}
