// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IInsuranceFund
/// @notice ERC-4626 vault over gUSD that backstops Gavel's bad debt. Liquidation penalty revenue and
/// engine surplus arrive as plain transfers or mints; the fund detects them itself (balance accounting)
/// and releases them to the share price linearly over `revenueVestingSeconds`, so capital brought in
/// around a lump of revenue earns only the part that vests while it stays. Bad debt healed from the
/// balance (a loss) is absorbed at once: first by revenue not yet vested, then by the share price.
/// Exit: `requestRedeem` moves the shares into escrow in the fund (they cannot be transferred or
/// requested again elsewhere); after `cooldownSeconds` they can be redeemed within `windowSeconds`.
/// From the request on, escrowed shares bear losses but earn nothing: a redemption pays, and a
/// cancellation returns, the lower of their value at request and their value now; what they would have
/// earned above it goes back to the providers who stay, vesting like revenue. Collateral taken over
/// from auctions is held outside `totalAssets` until governance sells it.
interface IInsuranceFund {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A zero amount was given where a positive one is required.
    error ZeroAmount();

    /// @notice A zero address was given where an account is required.
    error ZeroAddress();

    /// @notice `shares` exceeds the caller's share balance `balance`.
    error InsufficientShares(uint256 shares, uint256 balance);

    /// @notice The owner has no pending redemption request.
    error NoRedeemRequest(address owner);

    /// @notice The request's cooldown has not elapsed: redeemable from `unlockAt`.
    error CooldownActive(uint256 unlockAt, uint256 nowTimestamp);

    /// @notice The request's window closed at `expiredAt`; request again.
    error RequestExpired(uint256 expiredAt, uint256 nowTimestamp);

    /// @notice `shares` exceeds what the owner requested and may redeem now (`requested`).
    error ExceedsRequest(uint256 shares, uint256 requested);

    /// @notice `cooldownSeconds` is above `MAX_COOLDOWN_SECONDS`.
    error CooldownOutOfBounds(uint256 cooldownSeconds);

    /// @notice `windowSeconds` is outside [`MIN_WINDOW_SECONDS`, `MAX_WINDOW_SECONDS`].
    error WindowOutOfBounds(uint256 windowSeconds);

    /// @notice Healing `amount` would exceed the engine's healable bad debt `healable` (WAD, rounded down).
    error HealExceedsBadDebt(uint256 amount, uint256 healable);

    /// @notice Healing `amount` exceeds the fund's gUSD balance `balance`.
    error HealExceedsBalance(uint256 amount, uint256 balance);

    /// @notice The fund's own asset (gUSD) cannot leave through the collateral path.
    error CannotTransferAsset();

    /// @notice A takeover would push a house's exposure above its cap (a share of the fund's assets).
    error TakeoverExceedsCap(address house, uint256 exposure, uint256 cap);

    /// @notice A takeover cap above the maximum share.
    error TakeoverCapOutOfBounds(uint256 capBps, uint256 maxBps);

    /// @notice Reducing exposure below zero.
    error ExposureUnderflow(uint256 amount, uint256 exposure);

    /// @notice `revenueVestingSeconds` is outside [`MIN_REVENUE_VESTING_SECONDS`, `MAX_REVENUE_VESTING_SECONDS`].
    error RevenueVestingOutOfBounds(uint256 revenueVestingSeconds, uint256 minSeconds, uint256 maxSeconds);

    /// @notice Shares cannot be sent or minted to the fund itself: it holds only escrowed shares (use
    /// `requestRedeem`).
    error CannotTransferSharesToFund();

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `owner` moved `shares` into escrow; its request now holds `escrowedShares` worth at most
    /// `assetsCap` gUSD, redeemable in [`unlockAt`, `expiresAt`] (the cooldown restarts for all of them).
    event RedeemRequested(
        address indexed owner,
        uint256 shares,
        uint256 escrowedShares,
        uint256 assetsCap,
        uint256 unlockAt,
        uint256 expiresAt
    );

    /// @notice `owner` cancelled its request: `sharesReturned` came back out of escrow and
    /// `sharesForfeited` (worth what the escrow would have earned above its cap) were burned.
    event RedeemRequestCancelled(address indexed owner, uint256 sharesReturned, uint256 sharesForfeited);

    /// @notice Escrowed shares of `owner` left worth more than their cap: `assets` gUSD stay in the fund
    /// for the providers who stay, vesting like revenue.
    event EscrowGainForfeited(address indexed owner, uint256 assets);

    /// @notice `amount` gUSD arrived since the last interaction (or was forfeited by an escrow) and started
    /// vesting; `unvested` gUSD now vest linearly until `vestingEnd`.
    event RevenueRecognized(uint256 amount, uint256 unvested, uint256 vestingEnd);

    /// @notice `amount` gUSD left the fund as a loss (heal, takeover, or an unexplained balance drop):
    /// `absorbedByUnvested` of it came out of unvested revenue, the rest out of the share price at once;
    /// `unvested` gUSD are left to vest.
    event LossBooked(uint256 amount, uint256 absorbedByUnvested, uint256 unvested);

    /// @notice The revenue vesting period changed (applies to revenue recognized from now on).
    event RevenueVestingSecondsSet(uint256 revenueVestingSeconds);

    /// @notice The fund burned `amount` gUSD (WAD) to heal system bad debt; `by` triggered it.
    event Healed(address indexed by, uint256 amount);

    /// @notice Governance moved `amount` of collateral `token` held by the fund to `to` (to sell it).
    event CollateralTransferred(address indexed token, address indexed to, uint256 amount);

    /// @notice The redemption cooldown changed.
    event CooldownSecondsSet(uint256 cooldownSeconds);

    /// @notice The redemption window changed.
    event WindowSecondsSet(uint256 windowSeconds);

    /// @notice The fund paid `owe` for an auction a house handed over; `exposure` is the house's total.
    event TakeoverPaid(address indexed house, uint256 owe, uint256 exposure);

    /// @notice Governance set a house's takeover cap (bps of the fund's assets).
    event TakeoverCapSet(address indexed house, uint256 capBps);

    /// @notice Governance reduced a house's exposure (after selling collateral taken over).
    event TakeoverExposureReduced(address indexed house, uint256 amount, uint256 exposure);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STRUCTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A pending redemption request: shares held in escrow by the fund (two slots). `shares` is
    /// full width: after a near-total loss a deposit can mint more than 2^128 shares.
    /// @param shares Escrowed shares (decremented as they are redeemed).
    /// @param unlockAt First second at which they can be redeemed.
    /// @param expiresAt Last second at which they can be redeemed (after it: cancel, then request again).
    /// @param assetsCap Their value when requested (gUSD, WAD, rounded down): the most they pay out.
    struct RedeemRequest {
        uint256 shares;
        uint64 unlockAt;
        uint64 expiresAt;
        uint128 assetsCap;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Role allowed to `heal` from the fund (besides governance): the liquidation side, once an
    /// auction ends with a shortfall.
    function HEALER() external view returns (uint256);

    /// @notice The VaultEngine whose bad debt the fund heals.
    function engine() external view returns (address);

    /// @notice Seconds between a redemption request and the first second it can be redeemed.
    function cooldownSeconds() external view returns (uint256);

    /// @notice Seconds, after the cooldown, during which a request can be redeemed.
    function windowSeconds() external view returns (uint256);

    /// @notice The pending redemption request of `owner`.
    /// @param owner Share owner.
    /// @return request The request (zero if none).
    function redeemRequest(address owner) external view returns (RedeemRequest memory request);

    /// @notice Moves `shares` of the caller's shares into escrow in the fund, to redeem after the cooldown.
    /// Adds to any pending request and restarts its cooldown. Escrowed shares cannot be transferred; they
    /// bear losses but earn nothing from now on (worth at most their value now).
    /// @param shares Shares to escrow; at most the caller's balance.
    /// @return unlockAt First second they can be redeemed.
    function requestRedeem(uint256 shares) external returns (uint256 unlockAt);

    /// @notice Cancels the caller's request and returns its escrowed shares, at most as many as are worth
    /// the request's cap now (the rest, what the escrow would have earned, are burned for those who stay).
    function cancelRedeemRequest() external;

    /// @notice Shares held in escrow by all pending requests (equals the fund's own share balance).
    function totalEscrowedShares() external view returns (uint256);

    /// @notice Recognizes gUSD that arrived since the last interaction as revenue and starts its vesting.
    /// Permissionless; every state-changing call does it first.
    function sync() external;

    /// @notice gUSD held but not yet counted in `totalAssets`: revenue still vesting, plus any received
    /// since the last interaction (it starts vesting at the next one).
    function unvestedRevenue() external view returns (uint256);

    /// @notice The second at which the revenue recognized so far is fully vested.
    function vestingEnd() external view returns (uint256);

    /// @notice Seconds over which recognized revenue reaches the share price, linearly.
    function revenueVestingSeconds() external view returns (uint256);

    /// @notice Sets the revenue vesting period. Governance only; in [`MIN_REVENUE_VESTING_SECONDS`,
    /// `MAX_REVENUE_VESTING_SECONDS`]. Revenue already vesting keeps its schedule.
    /// @param revenueVestingSeconds_ New period, seconds.
    function setRevenueVestingSeconds(uint256 revenueVestingSeconds_) external;

    /// @notice Heals `amount` (WAD) of the engine's bad debt by burning the fund's gUSD: the engine's
    /// surplus is netted against bad debt first, so providers pay only for what surplus cannot cover.
    /// Only governance or the `HEALER` role (see InsuranceFund docs for why it is not permissionless).
    /// @param amount gUSD to burn, WAD; at most the fund's balance and the healable bad debt.
    function heal(uint256 amount) external;

    /// @notice Governance sell path for collateral the fund took over: sends `amount` of `token` to `to`.
    /// @param token Collateral token (never the fund's asset).
    /// @param to Receiver (a seller or a swap contract).
    /// @param amount Amount, in the token's native units.
    function transferCollateral(address token, address to, uint256 amount) external;

    /// @notice Role of auction houses allowed to hand auctions over to the fund.
    function TAKEOVER() external view returns (uint256);

    /// @notice Pays `owe` gUSD to the calling house for an auction it hands over (the house sends
    /// the collateral here). Bounded: a house's cumulative exposure may not exceed its cap, a share
    /// of the fund's assets. Only the `TAKEOVER` role.
    function payTakeover(uint256 owe) external;

    /// @notice Sets a house's takeover cap in bps of the fund's assets (at most 50%). Governance.
    function setTakeoverCap(address house, uint256 capBps) external;

    /// @notice Lowers a house's exposure once the collateral taken over was sold. Governance.
    function reduceTakeoverExposure(address house, uint256 amount) external;

    /// @notice A house's takeover cap (bps of the fund's assets).
    function takeoverCapBps(address house) external view returns (uint256);

    /// @notice gUSD the fund has paid for a house's takeovers and not yet written down.
    function takeoverExposure(address house) external view returns (uint256);

    /// @notice Sets the redemption cooldown. Governance only; at most `MAX_COOLDOWN_SECONDS`.
    /// @param cooldownSeconds_ New cooldown, seconds.
    function setCooldownSeconds(uint256 cooldownSeconds_) external;

    /// @notice Sets the redemption window. Governance only; in [`MIN_WINDOW_SECONDS`, `MAX_WINDOW_SECONDS`].
    /// @param windowSeconds_ New window, seconds.
    function setWindowSeconds(uint256 windowSeconds_) external;
}
