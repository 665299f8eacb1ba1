// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IInsuranceFund} from "./interfaces/IInsuranceFund.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {ERC4626} from "solady/tokens/ERC4626.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

/// @title InsuranceFund
/// @notice ERC-4626 vault over gUSD, Gavel's first-loss backstop.
/// - Revenue: liquidation penalties (and surplus sent by the engine) arrive as plain gUSD transfers or
///   mints, raising `totalAssets` and so the share price for every provider, pro rata.
/// - Losses: `heal` burns the fund's gUSD against the engine's bad debt (after the engine's surplus is
///   netted against it), lowering the share price pro rata. `heal` is restricted to governance and the
///   `HEALER` role (the liquidation side, when an auction ends short): bad debt exists while an auction
///   is still running, so a permissionless heal would let anyone make providers pay for debt the auction
///   is about to repay (the proceeds would then come back only later as surplus) and time the share
///   price around it.
/// - Exit: `requestRedeem(shares)`, wait `cooldownSeconds`, then `redeem`/`withdraw` up to the requested
///   shares within `windowSeconds`. Shares under request keep bearing gains and losses, so a provider
///   who sees a loss coming cannot leave before it lands.
/// - Collateral taken over from auctions that reached their floor is held here outside `totalAssets`
///   (providers are not credited until it is sold); governance moves it out to sell it
///   (`transferCollateral`) and the gUSD proceeds return as a plain transfer.
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

    /// @dev 1.0 in 27-decimal fixed point.
    uint256 private constant _RAY = 1e27;

    /// @inheritdoc IInsuranceFund
    address public immutable engine;

    /// @dev gUSD, the fund's asset.
    address private immutable _asset;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceFund
    uint256 public cooldownSeconds;

    /// @inheritdoc IInsuranceFund
    uint256 public windowSeconds;

    /// @dev Owner => pending redemption request.
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
    constructor(address engine_, address owner_, uint256 cooldownSeconds_, uint256 windowSeconds_) {
        if (engine_ == address(0) || owner_ == address(0)) revert ZeroAddress();
        engine = engine_;
        _asset = IVaultEngine(engine_).stablecoin();
        _initializeOwner(owner_);
        _setCooldownSeconds(cooldownSeconds_);
        _setWindowSeconds(windowSeconds_);
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
    /*                    REDEMPTION COOLDOWN                     */
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
        unlockAt = block.timestamp + cooldownSeconds;
        uint256 expiresAt = unlockAt + windowSeconds;
        // shares ≤ balance ≤ totalSupply < 2^128 in practice; timestamps fit 64 bits.
        // forge-lint: disable-next-line(unsafe-typecast)
        _requests[msg.sender] = RedeemRequest(uint128(shares), uint64(unlockAt), uint64(expiresAt));
        emit RedeemRequested(msg.sender, shares, unlockAt, expiresAt);
    }

    /// @inheritdoc IInsuranceFund
    function cancelRedeemRequest() external {
        if (_requests[msg.sender].shares == 0) revert NoRedeemRequest(msg.sender);
        delete _requests[msg.sender];
        emit RedeemRequestCancelled(msg.sender);
    }

    /// @notice Shares `owner` can redeem now: its unlocked, unexpired request, capped by its balance.
    /// @param owner Share owner.
    /// @return maxShares Redeemable shares (0 outside the window).
    function maxRedeem(address owner) public view override returns (uint256 maxShares) {
        RedeemRequest memory r = _requests[owner];
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < r.unlockAt || block.timestamp > r.expiresAt) return 0;
        maxShares = FixedPointMathLib.min(r.shares, balanceOf(owner));
    }

    /// @notice Assets `owner` can withdraw now (its redeemable shares, converted rounding down).
    /// @param owner Share owner.
    /// @return maxAssets Withdrawable gUSD.
    function maxWithdraw(address owner) public view override returns (uint256 maxAssets) {
        maxAssets = convertToAssets(maxRedeem(owner));
    }

    /// @notice Burns the shares worth exactly `assets` gUSD from `owner` (within its unlocked request) and
    /// sends the gUSD to `to`.
    /// @param assets gUSD to receive.
    /// @param to Receiver.
    /// @param owner Share owner (the caller or an account that approved it).
    /// @return shares Shares burned (rounded up).
    function withdraw(uint256 assets, address to, address owner) public override returns (uint256 shares) {
        shares = previewWithdraw(assets);
        _consumeRequest(owner, shares);
        _withdraw(msg.sender, to, owner, assets, shares);
    }

    /// @notice Burns exactly `shares` from `owner` (within its unlocked request) and sends their gUSD to
    /// `to`.
    /// @param shares Shares to burn.
    /// @param to Receiver.
    /// @param owner Share owner (the caller or an account that approved it).
    /// @return assets gUSD sent (rounded down).
    function redeem(uint256 shares, address to, address owner) public override returns (uint256 assets) {
        _consumeRequest(owner, shares);
        assets = previewRedeem(shares);
        _withdraw(msg.sender, to, owner, assets, shares);
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
        uint256 balance = SafeTransferLib.balanceOf(_asset, address(this));
        if (amount > balance) revert HealExceedsBalance(amount, balance);
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
        uint256 cap = FixedPointMathLib.mulDiv(totalAssets(), takeoverCapBps[msg.sender], 10_000);
        uint256 exposure = takeoverExposure[msg.sender] + owe;
        if (exposure > cap) revert TakeoverExceedsCap(msg.sender, exposure, cap);
        takeoverExposure[msg.sender] = exposure;
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
    function setTakeoverCap(address house, uint256 capBps) external onlyOwner {
        if (house == address(0)) revert ZeroAddress();
        if (capBps > MAX_TAKEOVER_CAP_BPS) revert TakeoverCapOutOfBounds(capBps, MAX_TAKEOVER_CAP_BPS);
        takeoverCapBps[house] = capBps;
        emit TakeoverCapSet(house, capBps);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          INTERNAL                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Checks `owner`'s request covers `shares` now and deducts them.
    function _consumeRequest(address owner, uint256 shares) internal {
        if (shares == 0) revert ZeroAmount();
        RedeemRequest storage r = _requests[owner];
        uint256 requested = r.shares;
        if (requested == 0) revert NoRedeemRequest(owner);
        // Cooldowns are measured in block time by design (a few seconds of drift are irrelevant).
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < r.unlockAt) revert CooldownActive(r.unlockAt, block.timestamp);
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp > r.expiresAt) revert RequestExpired(r.expiresAt, block.timestamp);
        if (shares > requested) revert ExceedsRequest(shares, requested);
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast)
            r.shares = uint128(requested - shares);
        }
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
}
