// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IInsuranceFund} from "./interfaces/IInsuranceFund.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {ERC4626} from "solady/tokens/ERC4626.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

/// @title InsuranceFund
/// @notice ERC-4626 vault over gUSD, Gavel's first-loss backstop. The rules for providers (LPs):
/// - Revenue: liquidation penalties (`CollateralAuction.settle`) and surplus (`VaultEngine.sendSurplus`)
///   arrive as plain transfers or mints. The fund detects them itself, by comparing its gUSD balance with
///   the balance it has accounted for, at the next interaction (or `sync`), and releases them to
///   `totalAssets` linearly over `revenueVestingSeconds`. Revenue arriving while earlier revenue vests
///   is pooled with it and the end of the vesting moves to the amount-weighted average of both ends (a
///   dust transfer cannot push the schedule back). Capital brought in just before a lump therefore earns
///   only the part that vests while it stays.
/// - Losses: `heal` burns the fund's gUSD against the engine's bad debt (after the engine's surplus is
///   netted against it); a takeover pays for collateral held outside `totalAssets`. A loss is booked at
///   once, first against revenue not yet vested, then against the share price, pro rata. (Absorbing by
///   the unvested revenue first keeps a depositor who arrives after a loss from collecting the vesting
///   of revenue that the LPs who took the loss had earned.) `heal` is restricted to governance and the
///   `HEALER` role: bad debt exists while an auction is still running, so a permissionless heal would let
///   anyone make providers pay for debt the auction is about to repay and time the share price around it.
/// - Exit: `requestRedeem(shares)` moves the shares into escrow here (they cannot be transferred or
///   requested again from another address); after `cooldownSeconds` they can be redeemed within
///   `windowSeconds`; `cancelRedeemRequest` returns them. From the request on, escrowed shares bear losses
///   but earn nothing: redemption pays, and cancellation returns, the lower of their value at request and
///   their value now (Lido's withdrawal-queue rule), and the difference stays with the LPs who stay,
///   vesting like revenue. So an LP who keeps a window open at all times to flee a loss gives up all
///   revenue on the escrowed capital, and a request cannot be used to lock in a price and wait.
/// - ERC-4626: `maxRedeem(owner)` is the owner's escrowed shares while its window is open (else 0) and
///   `maxWithdraw(owner)` is exactly what redeeming them pays. `previewRedeem`/`previewWithdraw` apply the
///   caller's own request cap (they assume the caller redeems its own request; a spender redeeming for
///   an owner should read `maxWithdraw(owner)`).
/// - Collateral taken over from auctions that reached their floor is held here outside `totalAssets`
///   (providers are not credited until it is sold); governance moves it out to sell it
///   (`transferCollateral`) and the gUSD proceeds return as a plain transfer, that is, as revenue.
contract InsuranceFund is ERC4626, OwnableRoles, IInsuranceFund {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceFund
    uint256 public constant HEALER = _ROLE_0;

    /// @inheritdoc IInsuranceFund
    uint256 public constant TAKEOVER = _ROLE_1;

    /// @notice Largest takeover cap: half the fund per house.
    uint256 public constant MAX_TAKEOVER_CAP_BPS = 5000;

    /// @notice Longest cooldown governance may set.
    uint256 public constant MAX_COOLDOWN_SECONDS = 30 days;

    /// @notice Shortest redemption window governance may set.
    uint256 public constant MIN_WINDOW_SECONDS = 1 hours;

    /// @notice Longest redemption window governance may set.
    uint256 public constant MAX_WINDOW_SECONDS = 30 days;

    /// @notice Shortest revenue vesting period governance may set (no vesting would reopen the
    /// in-and-out-around-revenue attack).
    uint256 public constant MIN_REVENUE_VESTING_SECONDS = 1 hours;

    /// @notice Longest revenue vesting period governance may set.
    uint256 public constant MAX_REVENUE_VESTING_SECONDS = 30 days;

    /// @notice Revenue vesting period at construction (the deploy script sets the configured one).
    uint256 public constant DEFAULT_REVENUE_VESTING_SECONDS = 7 days;

    /// @dev 1.0 in 27-decimal fixed point.
    uint256 private constant _RAY = 1e27;

    /// @inheritdoc IInsuranceFund
    address public immutable engine;

    /// @dev gUSD, the fund's asset.
    address private immutable _asset;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Revenue vesting, one slot: `unvested` gUSD as of `updatedAt`, vesting linearly until `end`.
    struct Vesting {
        uint128 unvested;
        uint64 updatedAt;
        uint64 end;
    }

    /// @inheritdoc IInsuranceFund
    uint256 public cooldownSeconds;

    /// @inheritdoc IInsuranceFund
    uint256 public windowSeconds;

    /// @inheritdoc IInsuranceFund
    uint256 public revenueVestingSeconds;

    /// @inheritdoc IInsuranceFund
    uint256 public totalEscrowedShares;

    /// @dev The gUSD balance the fund has accounted for: anything above it is revenue not yet recognized.
    uint256 internal _trackedBalance;

    /// @dev Revenue vesting state (as of the last interaction).
    Vesting internal _vesting;

    /// @dev Owner => pending redemption request (its shares are in escrow here).
    mapping(address => RedeemRequest) internal _requests;

    /// @inheritdoc IInsuranceFund
    mapping(address => uint256) public takeoverCapBps;

    /// @inheritdoc IInsuranceFund
    mapping(address => uint256) public takeoverExposure;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param engine_ The VaultEngine; the fund's asset is its stablecoin.
    /// @param owner_ Governance.
    /// @param cooldownSeconds_ Initial redemption cooldown (≤ `MAX_COOLDOWN_SECONDS`).
    /// @param windowSeconds_ Initial redemption window (in [`MIN_WINDOW_SECONDS`, `MAX_WINDOW_SECONDS`]).
    /// @dev The revenue vesting period starts at `DEFAULT_REVENUE_VESTING_SECONDS`; governance sets it.
    constructor(address engine_, address owner_, uint256 cooldownSeconds_, uint256 windowSeconds_) {
        if (engine_ == address(0) || owner_ == address(0)) revert ZeroAddress();
        engine = engine_;
        _asset = IVaultEngine(engine_).stablecoin();
        _initializeOwner(owner_);
        _setCooldownSeconds(cooldownSeconds_);
        _setWindowSeconds(windowSeconds_);
        _setRevenueVestingSeconds(DEFAULT_REVENUE_VESTING_SECONDS);
        // forge-lint: disable-next-line(unsafe-typecast) timestamps fit 64 bits
        _vesting = Vesting(0, uint64(block.timestamp), uint64(block.timestamp));
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          METADATA                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Share token name.
    function name() public pure override returns (string memory) {
        return "Gavel Insurance Fund";
    }

    /// @notice Share token symbol.
    function symbol() public pure override returns (string memory) {
        return "gIF";
    }

    /// @notice The underlying asset, gUSD.
    function asset() public view override returns (address) {
        return _asset;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      ASSETS AND VESTING                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice gUSD backing the shares: the fund's gUSD balance less revenue not yet vested. Collateral
    /// taken over is not counted until sold.
    /// @return assets gUSD, WAD.
    function totalAssets() public view override returns (uint256 assets) {
        (uint256 balance, uint256 unvested,,,) = _vestingNow();
        assets = balance - unvested;
    }

    /// @inheritdoc IInsuranceFund
    function unvestedRevenue() external view returns (uint256 unvested) {
        (, unvested,,,) = _vestingNow();
    }

    /// @inheritdoc IInsuranceFund
    function vestingEnd() external view returns (uint256) {
        return _vesting.end;
    }

    /// @inheritdoc IInsuranceFund
    function sync() external {
        _sync();
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     DEPOSIT AND SHARES                     */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Deposits `assets` gUSD for shares at the current (vested) price, minted to `to`.
    /// @param assets gUSD to deposit.
    /// @param to Receiver of the shares (never the fund: it holds escrowed shares only).
    /// @return shares Shares minted (rounded down).
    function deposit(uint256 assets, address to) public override returns (uint256 shares) {
        if (to == address(this)) revert CannotTransferSharesToFund();
        _sync();
        shares = super.deposit(assets, to);
    }

    /// @notice Mints exactly `shares` to `to` for the gUSD they cost at the current (vested) price.
    /// @param shares Shares to mint.
    /// @param to Receiver of the shares (never the fund: it holds escrowed shares only).
    /// @return assets gUSD pulled (rounded up).
    function mint(uint256 shares, address to) public override returns (uint256 assets) {
        if (to == address(this)) revert CannotTransferSharesToFund();
        _sync();
        assets = super.mint(shares, to);
    }

    /// @notice ERC-20 transfer of shares; never to the fund itself (it holds escrowed shares only).
    /// @param to Receiver.
    /// @param amount Shares.
    /// @return True.
    function transfer(address to, uint256 amount) public override returns (bool) {
        if (to == address(this)) revert CannotTransferSharesToFund();
        return super.transfer(to, amount);
    }

    /// @notice ERC-20 transferFrom of shares; never to the fund itself (it holds escrowed shares only).
    /// @param from Owner.
    /// @param to Receiver.
    /// @param amount Shares.
    /// @return True.
    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        if (to == address(this)) revert CannotTransferSharesToFund();
        return super.transferFrom(from, to, amount);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                   REDEMPTION AND ESCROW                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceFund
    function redeemRequest(address owner) external view returns (RedeemRequest memory request) {
        request = _requests[owner];
    }

    /// @inheritdoc IInsuranceFund
    function requestRedeem(uint256 shares) external returns (uint256 unlockAt) {
        if (shares == 0) revert ZeroAmount();
        uint256 balance = balanceOf(msg.sender);
        if (shares > balance) revert InsufficientShares(shares, balance);
        _sync();
        uint256 cap = convertToAssets(shares);
        RedeemRequest storage r = _requests[msg.sender];
        uint256 escrowed = r.shares + shares;
        uint256 assetsCap = r.assetsCap + cap;
        unlockAt = block.timestamp + cooldownSeconds;
        uint256 expiresAt = unlockAt + windowSeconds;
        // The escrow's value is at most the fund's gUSD balance, far below 2^128; timestamps fit 64 bits.
        // forge-lint: disable-start(unsafe-typecast)
        r.shares = escrowed;
        r.unlockAt = uint64(unlockAt);
        r.expiresAt = uint64(expiresAt);
        r.assetsCap = uint128(assetsCap);
        // forge-lint: disable-end(unsafe-typecast)
        totalEscrowedShares += shares;
        _transfer(msg.sender, address(this), shares);
        emit RedeemRequested(msg.sender, shares, escrowed, assetsCap, unlockAt, expiresAt);
    }

    /// @inheritdoc IInsuranceFund
    function cancelRedeemRequest() external {
        RedeemRequest memory r = _requests[msg.sender];
        if (r.shares == 0) revert NoRedeemRequest(msg.sender);
        _sync();
        // Return the shares worth the cap now (all of them after a loss); burn the rest, whose value goes
        // to the providers who stay through vesting.
        uint256 back = convertToAssets(r.shares) <= r.assetsCap ? r.shares : convertToShares(r.assetsCap);
        uint256 forfeited = r.shares - back;
        delete _requests[msg.sender];
        totalEscrowedShares -= r.shares;
        if (forfeited > 0) {
            uint256 forgone = convertToAssets(forfeited);
            _burn(address(this), forfeited);
            _forfeit(msg.sender, forgone);
        }
        if (back > 0) _transfer(address(this), msg.sender, back);
        emit RedeemRequestCancelled(msg.sender, back, forfeited);
    }

    /// @notice Escrowed shares `owner` can redeem now: all of them while its window is open, else 0.
    /// @param owner Share owner.
    /// @return maxShares Redeemable shares.
    function maxRedeem(address owner) public view override returns (uint256 maxShares) {
        RedeemRequest memory r = _requests[owner];
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < r.unlockAt || block.timestamp > r.expiresAt) return 0;
        maxShares = r.shares;
    }

    /// @notice gUSD `owner` can withdraw now: exactly what redeeming `maxRedeem(owner)` pays (the lower of
    /// their value now and the request's cap).
    /// @param owner Share owner.
    /// @return maxAssets Withdrawable gUSD.
    function maxWithdraw(address owner) public view override returns (uint256 maxAssets) {
        uint256 shares = maxRedeem(owner);
        if (shares == 0) return 0;
        maxAssets = FixedPointMathLib.min(convertToAssets(shares), _requests[owner].assetsCap);
    }

    /// @notice gUSD that redeeming `shares` of the caller's own request pays now (value now, capped pro
    /// rata by the request's cap); for a caller without a request, the value now.
    /// @param shares Shares.
    /// @return assets gUSD (rounded down).
    function previewRedeem(uint256 shares) public view override returns (uint256 assets) {
        RedeemRequest memory r = _requests[msg.sender];
        (assets,) = _redeemable(shares, r.shares, r.assetsCap);
    }

    /// @notice Shares of the caller's own request that withdrawing `assets` burns now; for a caller without
    /// a request, at the value now.
    /// @param assets gUSD.
    /// @return shares Shares (rounded up).
    function previewWithdraw(uint256 assets) public view override returns (uint256 shares) {
        RedeemRequest memory r = _requests[msg.sender];
        shares = _sharesFor(assets, r.shares, r.assetsCap);
    }

    /// @notice Burns the escrowed shares of `owner` that pay exactly `assets` gUSD now (within its open
    /// window) and sends the gUSD to `to`.
    /// @param assets gUSD to receive.
    /// @param to Receiver.
    /// @param owner Request owner (the caller or an account that approved it for the shares).
    /// @return shares Escrowed shares burned (rounded up).
    function withdraw(uint256 assets, address to, address owner) public override returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        _sync();
        RedeemRequest storage r = _openRequest(owner);
        uint256 escrowed = r.shares;
        shares = _sharesFor(assets, escrowed, r.assetsCap);
        if (shares > escrowed) revert ExceedsRequest(shares, escrowed);
        _payOut(r, owner, to, shares, assets, convertToAssets(shares) - assets);
    }

    /// @notice Burns `shares` of `owner`'s escrowed shares (within its open window) and sends what they pay
    /// (the lower of their value now and their share of the request's cap) to `to`.
    /// @param shares Escrowed shares to burn.
    /// @param to Receiver.
    /// @param owner Request owner (the caller or an account that approved it for the shares).
    /// @return assets gUSD sent (rounded down).
    function redeem(uint256 shares, address to, address owner) public override returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        _sync();
        RedeemRequest storage r = _openRequest(owner);
        uint256 escrowed = r.shares;
        if (shares > escrowed) revert ExceedsRequest(shares, escrowed);
        uint256 forgone;
        (assets, forgone) = _redeemable(shares, escrowed, r.assetsCap);
        _payOut(r, owner, to, shares, assets, forgone);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     BACKSTOP OPERATIONS                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceFund
    function heal(uint256 amount) external onlyOwnerOrRoles(HEALER) {
        if (amount == 0) revert ZeroAmount();
        IVaultEngine e = IVaultEngine(engine);
        e.healWithSurplus();
        uint256 healable = FixedPointMathLib.divUp(e.badDebtRad(), _RAY);
        if (amount > healable) revert HealExceedsBadDebt(amount, healable);
        _sync();
        uint256 balance = _trackedBalance;
        if (amount > balance) revert HealExceedsBalance(amount, balance);
        _bookLoss(amount);
        e.heal(amount);
        emit Healed(msg.sender, amount);
    }

    /// @inheritdoc IInsuranceFund
    function transferCollateral(address token, address to, uint256 amount) external onlyOwner {
        if (token == _asset) revert CannotTransferAsset();
        if (token == address(0) || to == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        SafeTransferLib.safeTransfer(token, to, amount);
        emit CollateralTransferred(token, to, amount);
    }

    /// @inheritdoc IInsuranceFund
    function payTakeover(uint256 owe) external onlyRoles(TAKEOVER) {
        if (owe == 0) revert ZeroAmount();
        _sync();
        uint256 cap = FixedPointMathLib.mulDiv(totalAssets(), takeoverCapBps[msg.sender], 10_000);
        uint256 exposure = takeoverExposure[msg.sender] + owe;
        if (exposure > cap) revert TakeoverExceedsCap(msg.sender, exposure, cap);
        takeoverExposure[msg.sender] = exposure;
        _bookLoss(owe);
        SafeTransferLib.safeTransfer(_asset, msg.sender, owe);
        emit TakeoverPaid(msg.sender, owe, exposure);
    }

    /// @inheritdoc IInsuranceFund
    function reduceTakeoverExposure(address house, uint256 amount) external onlyOwner {
        uint256 exposure = takeoverExposure[house];
        if (amount > exposure) revert ExposureUnderflow(amount, exposure);
        takeoverExposure[house] = exposure - amount;
        emit TakeoverExposureReduced(house, amount, exposure - amount);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         GOVERNANCE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceFund
    function setCooldownSeconds(uint256 cooldownSeconds_) external onlyOwner {
        _setCooldownSeconds(cooldownSeconds_);
    }

    /// @inheritdoc IInsuranceFund
    function setWindowSeconds(uint256 windowSeconds_) external onlyOwner {
        _setWindowSeconds(windowSeconds_);
    }

    /// @inheritdoc IInsuranceFund
    function setRevenueVestingSeconds(uint256 revenueVestingSeconds_) external onlyOwner {
        _sync();
        _setRevenueVestingSeconds(revenueVestingSeconds_);
    }

    /// @inheritdoc IInsuranceFund
    function setTakeoverCap(address house, uint256 capBps) external onlyOwner {
        if (house == address(0)) revert ZeroAddress();
        if (capBps > MAX_TAKEOVER_CAP_BPS) revert TakeoverCapOutOfBounds(capBps, MAX_TAKEOVER_CAP_BPS);
        takeoverCapBps[house] = capBps;
        emit TakeoverCapSet(house, capBps);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          INTERNAL                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Revenue vesting as of now, without writing: the gUSD balance, the unvested part of it, the
    /// revenue received since the last interaction (counted as unvested until recognized), a balance drop
    /// not booked by the fund (a loss, absorbed by unvested revenue first), and the already-recognized
    /// revenue still vesting before either (`vesting`).
    function _vestingNow()
        internal
        view
        returns (uint256 balance, uint256 unvested, uint256 revenue, uint256 loss, uint256 vesting)
    {
        balance = SafeTransferLib.balanceOf(_asset, address(this));
        Vesting memory v = _vesting;
        // Vesting is measured in block time by design (a few seconds of drift are irrelevant).
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < v.end) {
            // Rounded up: what is not yet vested is never under-counted.
            vesting = FixedPointMathLib.mulDivUp(v.unvested, v.end - block.timestamp, v.end - v.updatedAt);
        }
        unvested = vesting;
        uint256 tracked = _trackedBalance;
        if (balance > tracked) {
            revenue = balance - tracked;
            unvested += revenue;
        } else if (balance < tracked) {
            loss = tracked - balance;
            unvested -= FixedPointMathLib.min(unvested, loss);
        }
    }

    /// @dev Brings the books to now: recognizes revenue received since the last interaction (it starts
    /// vesting) and books an unexplained balance drop as a loss.
    function _sync() internal {
        (uint256 balance,, uint256 revenue, uint256 loss, uint256 vesting) = _vestingNow();
        // forge-lint: disable-next-line(unsafe-typecast) vesting ≤ balance < 2^128
        _vesting = Vesting(uint128(vesting), uint64(block.timestamp), _vesting.end);
        _trackedBalance = balance + loss; // the drop is booked below, like any loss
        if (loss > 0) _bookLoss(loss);
        if (revenue > 0) _recognize(revenue);
    }

    /// @dev Adds `amount` gUSD (already in the balance) to the revenue vesting from now. The end moves to
    /// the amount-weighted average of the running schedule's end and a full period from now. Requires the
    /// vesting state synced to now.
    function _recognize(uint256 amount) internal {
        Vesting memory v = _vesting;
        // forge-lint: disable-next-line(block-timestamp)
        uint256 remaining = v.end > block.timestamp ? v.end - block.timestamp : 0;
        uint256 unvested = v.unvested + amount;
        uint256 end = block.timestamp
            + FixedPointMathLib.divUp(v.unvested * remaining + amount * revenueVestingSeconds, unvested);
        // forge-lint: disable-next-line(unsafe-typecast) unvested ≤ balance < 2^128; end fits 64 bits
        _vesting = Vesting(uint128(unvested), uint64(block.timestamp), uint64(end));
        emit RevenueRecognized(amount, unvested, end);
    }

    /// @dev Books `amount` gUSD leaving the fund as a loss: unvested revenue absorbs it first, the share
    /// price the rest. Requires the vesting state synced to now.
    function _bookLoss(uint256 amount) internal {
        uint256 unvested = _vesting.unvested;
        uint256 absorbed = FixedPointMathLib.min(unvested, amount);
        unvested -= absorbed;
        // forge-lint: disable-next-line(unsafe-typecast) unvested only shrank
        _vesting.unvested = uint128(unvested);
        _trackedBalance -= amount;
        emit LossBooked(amount, absorbed, unvested);
    }

    /// @dev What an escrow may gain above its cap stays for the providers who stay, vesting like revenue.
    function _forfeit(address owner, uint256 assets) internal {
        if (assets == 0) return;
        _recognize(assets);
        emit EscrowGainForfeited(owner, assets);
    }

    /// @dev `owner`'s request, checked to be open now.
    function _openRequest(address owner) internal view returns (RedeemRequest storage r) {
        r = _requests[owner];
        if (r.shares == 0) revert NoRedeemRequest(owner);
        // Cooldowns are measured in block time by design (a few seconds of drift are irrelevant).
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < r.unlockAt) revert CooldownActive(r.unlockAt, block.timestamp);
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp > r.expiresAt) revert RequestExpired(r.expiresAt, block.timestamp);
    }

    /// @dev What redeeming `shares` of an escrow of `escrowed` shares capped at `cap` pays now: the lower
    /// of their value now (rounded down) and their pro-rata part of the cap (rounded down); `forgone` is
    /// the rest of their value. With no escrow, their value now.
    function _redeemable(uint256 shares, uint256 escrowed, uint256 cap)
        internal
        view
        returns (uint256 assets, uint256 forgone)
    {
        uint256 value = convertToAssets(shares);
        if (escrowed == 0) return (value, 0);
        assets = FixedPointMathLib.min(value, FixedPointMathLib.fullMulDiv(cap, shares, escrowed));
        forgone = value - assets;
    }

    /// @dev Shares of an escrow of `escrowed` shares capped at `cap` that pay at least `assets` now: enough
    /// at the value now and at the cap's rate, each rounded up. With no escrow, at the value now.
    function _sharesFor(uint256 assets, uint256 escrowed, uint256 cap) internal view returns (uint256 shares) {
        shares = super.previewWithdraw(assets);
        if (escrowed == 0) return shares;
        uint256 byCap = cap == 0 ? type(uint256).max : FixedPointMathLib.fullMulDivUp(assets, escrowed, cap);
        shares = FixedPointMathLib.max(shares, byCap);
    }

    /// @dev Burns `shares` from `owner`'s escrow and sends `assets` to `to`; `forgone` stays for those who
    /// stay. A spender other than the owner needs the owner's allowance for the shares.
    function _payOut(
        RedeemRequest storage r,
        address owner,
        address to,
        uint256 shares,
        uint256 assets,
        uint256 forgone
    ) internal {
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        uint256 escrowed = r.shares;
        if (shares == escrowed) {
            delete _requests[owner];
        } else {
            uint256 cap = r.assetsCap;
            // forge-lint: disable-start(unsafe-typecast) both only shrink
            r.shares = escrowed - shares;
            r.assetsCap =
                uint128(cap - FixedPointMathLib.min(cap, FixedPointMathLib.fullMulDivUp(cap, shares, escrowed)));
            // forge-lint: disable-end(unsafe-typecast)
        }
        totalEscrowedShares -= shares;
        _burn(address(this), shares);
        _trackedBalance -= assets;
        if (forgone > 0) _forfeit(owner, forgone);
        SafeTransferLib.safeTransfer(_asset, to, assets);
        emit Withdraw(msg.sender, to, owner, assets, shares);
    }

    /// @dev Deposits and mints: the gUSD pulled in is accounted for (it is not revenue).
    function _afterDeposit(uint256 assets, uint256) internal override {
        _trackedBalance += assets;
    }

    function _setCooldownSeconds(uint256 cooldownSeconds_) internal {
        if (cooldownSeconds_ > MAX_COOLDOWN_SECONDS) revert CooldownOutOfBounds(cooldownSeconds_);
        cooldownSeconds = cooldownSeconds_;
        emit CooldownSecondsSet(cooldownSeconds_);
    }

    function _setWindowSeconds(uint256 windowSeconds_) internal {
        if (windowSeconds_ < MIN_WINDOW_SECONDS || windowSeconds_ > MAX_WINDOW_SECONDS) {
            revert WindowOutOfBounds(windowSeconds_);
        }
        windowSeconds = windowSeconds_;
        emit WindowSecondsSet(windowSeconds_);
    }

    function _setRevenueVestingSeconds(uint256 revenueVestingSeconds_) internal {
        if (
            revenueVestingSeconds_ < MIN_REVENUE_VESTING_SECONDS || revenueVestingSeconds_ > MAX_REVENUE_VESTING_SECONDS
        ) {
            revert RevenueVestingOutOfBounds(
                revenueVestingSeconds_, MIN_REVENUE_VESTING_SECONDS, MAX_REVENUE_VESTING_SECONDS
            );
        }
        revenueVestingSeconds = revenueVestingSeconds_;
        emit RevenueVestingSecondsSet(revenueVestingSeconds_);
    }
}
