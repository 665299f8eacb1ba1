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

    /// @notice Price curve kinds. The first three are computed exactly as MakerDAO's abaci (see
    /// contracts/src/curves). `Adaptive` is the Exponential curve whose anchor follows the live mark
    /// down, never up, and no faster than `top / periodSeconds` per second (see `CurvePrice.adaptive`
    /// and docs/liquidations.md, "Adaptive tiers"): a frozen mark leaves the fixed curve, a single
    /// low read moves the price at most `top × age / periodSeconds` below it.
    enum CurveKind {
        None,
        Linear, // LinearDecrease(tau = period)
        StairstepExponential, // StairstepExponentialDecrease(cut, step = period)
        Exponential, // ExponentialDecrease(cut)
        Adaptive // ExponentialDecrease(cut) with a mark-following anchor (followSeconds = period)
    }

    /// @notice Auction parameters of one tier. Tiers are append-only: an auction keeps the tier it
    /// was kicked with, and a parameter change is a new tier.
    /// @param kind The price curve.
    /// @param cutRay Per-period multiplicative decay (RAY, (0, 1e27]); unused for Linear.
    /// @param periodSeconds `tau` for Linear (price reaches 0 at tau), `step` for Stairstep,
    /// `followSeconds` for Adaptive (the anchor falls at most `top / followSeconds` per second; at
    /// least 300).
    /// @param tailSeconds Age after which the auction needs a redo.
    /// @param floorWad Fraction of `top` below which the auction needs a redo (WAD, in (0, 1e18)).
    /// A live price is never below `top × floorWad` rounded up, so never 0.
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

    /// @notice `id` is not a live auction (take, quote, redo, takeover, yank; `sale` says which case).
    error AuctionNotActive(uint256 id);
    /// @notice `sale(id)`: no auction was ever kicked with this id.
    error AuctionNotFound(uint256 id);
    /// @notice `sale(id)`: the auction existed and is over (sold out, tab raised, taken over or yanked).
    error AuctionFinished(uint256 id);
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
    /// @notice A take could not pull `needed` stablecoin: `payer` approved the house for only `allowance`.
    error InsufficientAllowance(address payer, uint256 needed, uint256 allowance);
    /// @notice A take could not pull `needed` stablecoin: `payer` holds only `balance`.
    error InsufficientBalance(address payer, uint256 needed, uint256 balance);
    /// @notice A take could not pull `needed` stablecoin from `payer` though allowance and balance suffice.
    error PaymentFailed(address payer, uint256 needed);
    /// @notice The take callee `receiver` reverted; `reason` is its revert data, unchanged.
    error TakeCallbackFailed(address receiver, bytes reason);
    /// @notice A take with callback data named a `receiver` that has no code.
    error CalleeNotContract(address receiver);
    /// @notice A collateral transfer out of the house failed (solady SafeTransferLib's error,
    /// declared here so it is in the house's ABI).
    error TransferFailed();

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
    event Takeover(
        uint256 indexed id, address indexed trigger, uint256 price, uint256 owe, uint256 collateralOut, uint256 reward
    );
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
    /// below it (take the whole tab instead). The price is never below `top × floor` (rounded up,
    /// so above 0): an auction priced below it needs a redo.
    /// Mid-take (in the callback) the auction already shows its post-take tab and lot, `locked()`
    /// is true, every state-changing function of this house reverts `Reentrancy`, and
    /// `debtInAuctions` still counts the unpaid `owe` (see `owedInFlight`).
    /// Failures by name: a callee revert is wrapped in `TakeCallbackFailed(receiver, reason)`
    /// (`CalleeNotContract` when `receiver` has no code); a failed payment is
    /// `InsufficientAllowance`, `InsufficientBalance` or `PaymentFailed`.
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
    /// passed its tail a second time. Permissionless; pays `takeoverTip`.
    /// @dev The price is the curve price but never below the fair floor `mark × startPremium ×
    /// floor` (rounded up; the lowest price a restart now could sell at), so it needs a valid mark
    /// (`NoMarkPrice` otherwise). The fund buys the whole lot, or only the collateral that raises
    /// the tab at that price, and the rest goes back to the owner's vault. The fund pays through
    /// `IInsuranceFund.payTakeover`, bounded by its per-house cap.
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
    /// During a take it includes the take's `owe` until it is paid (`owedInFlight`), so the books
    /// read the same from inside a take callback as before the take.
    function debtInAuctions() external view returns (uint256);

    /// @notice Stablecoin (WAD) a take in progress has booked off its auction but not yet pulled
    /// from its payer; 0 outside a take.
    function owedInFlight() external view returns (uint256);

    /// @notice Whether an operation of this house (take, takeover, redo, yank, settle) is in progress:
    /// true only when read from inside one, e.g. from a take callback.
    function locked() external view returns (bool);

    /// @notice Penalty revenue owed to the fund, not yet settled (WAD).
    function pendingRevenue() external view returns (uint256);

    /// @notice What the liquidation engine needs in one call: the tab in live auctions and the
    /// largest tab one auction may have (the last tier's bound). A debt above it is liquidated in
    /// stages: auctions of at most `maxAuctionTab`, the rest of the vault in later calls.
    function liquidationInfo() external view returns (uint256 debt, uint256 maxAuctionTab);

    /// @notice The stored auction, while it is live. Reverts `AuctionNotFound` for an id never
    /// issued and `AuctionFinished` for an auction that is over.
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
