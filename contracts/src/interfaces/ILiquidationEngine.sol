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
    /// @param maxDebtInAuctions Per-type limit on tab in live auctions (WAD).
    /// @param reportedDebt This type's in-auction tab as last synced into the global counter (WAD).
    /// @param maxDebtPerBlock Per-type limit on tab liquidated in one block (WAD).
    /// @param lastBlock Block of the last liquidation of this type.
    /// @param blockDebt Tab liquidated in `lastBlock` (WAD).
    struct IlkConfig {
        address house;
        uint64 penaltyWad;
        uint128 maxDebtInAuctions;
        uint128 reportedDebt;
        uint112 maxDebtPerBlock;
        uint32 lastBlock;
        uint112 blockDebt;
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
    /// @notice A vault in a batch was skipped (safe, empty, or no room).
    event LiquidationSkipped(bytes32 indexed ilk, address indexed owner, bytes4 reason);
    event IlkConfigured(
        bytes32 indexed ilk, address house, uint256 penaltyWad, uint256 maxDebtInAuctions, uint256 maxDebtPerBlock
    );
    event GlobalMaxDebtInAuctionsSet(uint256 maxDebt);
    event IncentivesSet(uint256 tip, uint256 chipWad);
    event DebtSynced(bytes32 indexed ilk, uint256 ilkDebt, uint256 globalDebt);

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
    /// (id 0), never reverting the batch for them.
    function liquidateMany(bytes32 ilk, address[] calldata owners, address rewardRecipient)
        external
        returns (uint256[] memory auctionIds);

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

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function ilkConfig(bytes32 ilk) external view returns (IlkConfig memory);
    function globalMaxDebtInAuctions() external view returns (uint256);
    function globalDebtInAuctions() external view returns (uint256);
    function tip() external view returns (uint256);
    function chipWad() external view returns (uint256);

    /// @notice Tab that could be liquidated for `ilk` right now: the tightest of the three limits
    /// and the largest auction the house's tiers allow.
    function room(bytes32 ilk) external view returns (uint256);
}
