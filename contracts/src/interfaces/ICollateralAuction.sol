// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICollateralAuction
/// @notice Dutch auctions of one collateral type's seized collateral. The liquidation engine kicks
/// an auction with the debt to raise (`tab`, penalty included) and the collateral for sale
/// (`lot`); the price starts at `top = markPrice × startPremium` and decays along the tier's
/// curve; anyone buys part or all of the lot at the current price with `take`.
/// @dev Amounts: `tab`, prices and stablecoin in WAD; `lot` and collateral in the token's native
/// units; a price is stablecoin per one whole collateral token. Everything an auction depends on
/// (start price, curve, tail, floor, minimum remainder) is fixed when it is kicked.
interface ICollateralAuction {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Price curve kinds, computed exactly as MakerDAO's abaci (see contracts/src/curves).
    enum CurveKind {
        None,
        Linear, // LinearDecrease(tau = period)
        StairstepExponential, // StairstepExponentialDecrease(cut, step = period)
        Exponential // ExponentialDecrease(cut)
    }

    /// @notice Auction parameters of one tier. Tiers are append-only: an auction keeps the tier it
    /// was kicked with, and a parameter change is a new tier.
    /// @param kind The price curve.
    /// @param cutRay Per-period multiplicative decay (RAY, (0, 1e27]); unused for Linear.
    /// @param periodSeconds `tau` for Linear (price reaches 0 at tau), `step` for Stairstep.
    /// @param tailSeconds Age after which the auction needs a redo.
    /// @param floorWad Fraction of `top` below which the auction needs a redo (WAD, < 1e18).
    /// @param startPremiumBps `top = markPrice × startPremiumBps / 10_000`.
    struct Tier {
        CurveKind kind;
        uint96 cutRay;
        uint32 periodSeconds;
        uint32 tailSeconds;
        uint64 floorWad;
        uint16 startPremiumBps;
    }

    /// @notice One auction as stored.
    /// @param tab Stablecoin still to raise (WAD), penalty included.
    /// @param lot Collateral still for sale (native units); 0 means the auction is over.
    /// @param nonce Kick counter value of this auction: the high bits of its id.
    /// @param top Start price (WAD).
    /// @param startedAt Time of the kick or the last redo.
    /// @param tierId Tier the auction was kicked with.
    /// @param minTab Smallest tab a partial take may leave (WAD), from the ilk's dust at kick.
    /// @param redos Times the auction was restarted (saturates at 255).
    /// @param owner Vault owner: receives collateral left once the tab is raised.
    /// @param penalty Part of the original tab that is liquidation penalty (WAD): revenue.
    struct Sale {
        uint112 tab;
        uint112 lot;
        uint32 nonce;
        uint96 top;
        uint40 startedAt;
        uint16 tierId;
        uint96 minTab;
        uint8 redos;
        address owner;
        uint96 penalty;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error AuctionNotActive(uint256 id);
    error AuctionNeedsRedo(uint256 id);
    error AuctionDoesNotNeedRedo(uint256 id);
    error PriceAboveMax(uint256 price, uint256 maxPrice);
    error ZeroAmount();
    error ZeroCollateralOut(uint256 amount, uint256 price);
    error PartialTakeBelowMinimum(uint256 tab, uint256 minTab);
    error BreakerLevelTooHigh(uint8 level, uint8 maxLevel);
    error InvalidBreakerLevel(uint8 level);
    error NoMarkPrice();
    error StartPriceZero();
    error UnknownTier(uint256 tierId);
    error InvalidTier(uint256 field, uint256 value);
    error NoTiers();
    error TiersNotAscending(uint256 index, uint256 maxTab, uint256 previousMaxTab);
    error AmountTooLarge(uint256 value, uint256 max);
    error ReceiverIsAuction();
    error InvalidIncentive(uint256 value, uint256 max);
    error TakeoverNotAllowed(uint256 id);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An auction started. Carries everything needed to price it off chain.
    event Kick(
        uint256 indexed id,
        address indexed owner,
        uint256 tab,
        uint256 lot,
        uint256 top,
        uint256 startedAt,
        uint256 tierId,
        uint256 minTab,
        uint256 penalty,
        address keeper
    );
    /// @notice Part or all of an auction was bought.
    event Take(
        uint256 indexed id,
        address indexed taker,
        address indexed receiver,
        uint256 price,
        uint256 owe,
        uint256 collateralOut,
        uint256 tabLeft,
        uint256 lotLeft
    );
    /// @notice An auction restarted at a new top price.
    event Redo(uint256 indexed id, address indexed keeper, uint256 top, uint256 startedAt, uint256 incentive);
    /// @notice An auction ended: all collateral sold (`lotLeft == 0`), or its tab raised with
    /// `lotLeft` returned to the owner, or yanked. `unraisedTab` stays as bad debt.
    event AuctionClosed(uint256 indexed id, uint256 lotReturned, uint256 unraisedTab, uint256 revenue);
    /// @notice Governance removed an auction; its collateral went to `to`.
    event Yank(uint256 indexed id, uint256 tab, uint256 lot, address to);
    /// @notice Proceeds settled: `healed` stablecoin burned against bad debt, `revenue` sent to the fund.
    event Settle(uint256 healed, uint256 revenue);
    event TierAdded(uint256 indexed tierId, Tier tier);
    event TiersSet(uint256[] tierIds, uint256[] maxTabs);
    event BreakerLevelSet(uint8 level);
    /// @notice The insurance fund bought an auction's collateral at the current price.
    event Takeover(uint256 indexed id, address indexed trigger, uint256 price, uint256 owe, uint256 collateralOut, uint256 reward);
    event TakeoverTipSet(uint256 tip);
    event RedoIncentiveSet(uint256 tip, uint256 chipWad);

    /*//////////////////////////////////////////////////////////////
                               OPERATIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Starts an auction. Only the liquidation engine.
    /// @param tab Stablecoin to raise (WAD), penalty included.
    /// @param penalty The penalty part of `tab` (WAD).
    /// @param lot Collateral for sale (native units), already transferred to this contract.
    /// @param owner The vault owner.
    /// @param keeper Who triggered the liquidation (for the event).
    /// @param minTab Smallest tab a partial take may leave (WAD).
    /// @return id The auction id (`nonce << 32 | slot`).
    function kick(uint256 tab, uint256 penalty, uint256 lot, address owner, address keeper, uint256 minTab)
        external
        returns (uint256 id);

    /// @notice Buys up to `amount` collateral at the current price, never above `maxPrice`.
    /// @dev Sends the collateral to `receiver`; if `data` is non-empty calls
    /// `IAuctionTakeCallee(receiver).onAuctionTake(msg.sender, owe, collateralOut, data)`; then pulls
    /// `owe` stablecoin from `msg.sender`. A partial take cannot leave a tab below the auction's
    /// `minTab`: it is reduced to leave exactly `minTab`, or reverts when the tab is already at or
    /// below it (take the whole tab instead).
    /// @param id Auction id.
    /// @param amount Most collateral to buy (native units).
    /// @param maxPrice Highest acceptable price (WAD per whole token).
    /// @param receiver Receives the collateral.
    /// @param data Callback data; empty for no callback.
    /// @return collateralOut Collateral bought.
    /// @return owe Stablecoin paid.
    function take(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes calldata data)
        external
        returns (uint256 collateralOut, uint256 owe);

    /// @notice `take` on behalf of `payer`, who pays and is the callback's `sender`. Only the
    /// liquidation engine (for `liquidateAndTake`, where `payer` is its caller).
    function takeFor(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes calldata data, address payer)
        external
        returns (uint256 collateralOut, uint256 owe);

    /// @notice Lets the insurance fund buy an auction whose price fell below its floor, or that
    /// passed its tail a second time, at the current price. Permissionless; pays `takeoverTip`.
    /// @dev The fund pays through `IInsuranceFund.payTakeover`, bounded by its per-house cap.
    function takeover(uint256 id, address rewardRecipient)
        external
        returns (uint256 collateralOut, uint256 owe, uint256 reward);

    /// @notice Restarts an auction older than its tail or priced below its floor, at a fresh top.
    /// @dev Pays `tip + chip × tab` to `rewardRecipient` only when the auction is worth redoing
    /// (tab and lot value at least `minTab`).
    function redo(uint256 id, address rewardRecipient) external returns (uint256 incentive);

    /// @notice Governance removes an auction and sends its collateral to `to`.
    function yank(uint256 id, address to) external;

    /// @notice Burns the debt part of collected proceeds against system bad debt and sends the
    /// penalty revenue to the insurance fund. Permissionless.
    function settle() external returns (uint256 healed, uint256 revenue);

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @notice Appends a tier; returns its id. Existing tiers never change.
    function addTier(Tier calldata tier) external returns (uint256 tierId);

    /// @notice Sets the tier table used by new auctions: `tierIds[i]` applies to tabs up to
    /// `maxTabs[i]` (ascending). The last bound is the largest auction: larger debts are staged
    /// (use type(uint256).max for no staging).
    function setTiers(uint256[] calldata tierIds, uint256[] calldata maxTabs) external;

    /// @notice Sets the circuit-breaker level: 0 normal, 1 no kicks, 2 no kicks or redos, 3 no takes.
    function setBreakerLevel(uint8 level) external;

    /// @notice Sets the flat reward for triggering a takeover (WAD).
    function setTakeoverTip(uint256 tip) external;

    /// @notice Sets the redo incentive: flat `tip` (WAD) plus `chipWad` × tab.
    function setRedoIncentive(uint256 tip, uint256 chipWad) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The auction's state for bots: whether it needs a redo, its current price, lot and tab.
    function getStatus(uint256 id) external view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab);

    /// @notice Exactly what `take(id, amount, type(uint256).max, ...)` would pay and deliver now.
    function quote(uint256 id, uint256 amount) external view returns (uint256 collateralOut, uint256 owe, uint256 price);

    /// @notice Ids of all active auctions.
    function list() external view returns (uint256[] memory ids);

    /// @notice Number of active auctions.
    function count() external view returns (uint256);

    /// @notice Tab still to raise across all live auctions (WAD): the room the liquidation engine counts.
    function debtInAuctions() external view returns (uint256);

    /// @notice What the liquidation engine needs in one call: the tab in live auctions and the
    /// largest tab one auction may have (the last tier's bound). A debt above it is liquidated in
    /// stages: auctions of at most `maxAuctionTab`, the rest of the vault in later calls.
    function liquidationInfo() external view returns (uint256 debt, uint256 maxAuctionTab);

    /// @notice The stored auction.
    function sale(uint256 id) external view returns (Sale memory);

    /// @notice A tier by id.
    function tier(uint256 tierId) external view returns (Tier memory);

    /// @notice The tier a new auction with `tab` would get.
    function tierFor(uint256 tab) external view returns (uint256 tierId);

    /// @notice Current circuit-breaker level.
    function breakerLevel() external view returns (uint8);

    /// @notice Collateral type this house sells.
    function ilk() external view returns (bytes32);

    /// @notice Collateral token.
    function collateral() external view returns (address);

    /// @notice Stablecoin the auction is paid in.
    function stablecoin() external view returns (address);
}
