// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {IRescueHook} from "../interfaces/IRescueHook.sol";
import {IVaultEngine} from "../interfaces/IVaultEngine.sol";

/// @title CollateralTopUpHook
/// @notice A rescue hook: when the LiquidationEngine is about to liquidate an owner's vault, it tops
/// the vault up from the owner's pre-approved reserve of collateral (tokens in the owner's wallet,
/// approved to this contract, at most `maxAmount` in total) to a target health the owner picked.
/// It adds collateral only, so it can never make a vault less safe.
/// @dev Stateless apart from each owner's reserve; holds no tokens between calls.
contract CollateralTopUpHook is IRescueHook, ReentrancyGuardTransient {
    uint256 internal constant WAD = 1e18;
    /// @notice Lowest target health an owner may pick (just above the line would be liquidated again
    /// at the next tick).
    uint256 public constant MIN_TARGET_HEALTH_WAD = 1.01e18;
    /// @notice Highest target health an owner may pick.
    uint256 public constant MAX_TARGET_HEALTH_WAD = 5e18;

    /// @notice An owner's reserve for one vault: at most `maxAmount` (native units) more to add in
    /// total, up to `targetHealthWad`.
    struct Reserve {
        uint128 maxAmount;
        uint64 targetHealthWad;
    }

    /// @notice The ledger the collateral goes into.
    IVaultEngine public immutable vaultEngine;
    /// @notice The only caller of `rescue`.
    address public immutable liquidationEngine;

    mapping(bytes32 => mapping(address => Reserve)) internal _reserves;

    error NotLiquidationEngine(address caller);
    error TargetHealthOutOfRange(uint256 targetHealthWad, uint256 min, uint256 max);
    error ZeroAddress();

    /// @notice An owner set (or cleared, `maxAmount` 0) a reserve.
    event ReserveSet(bytes32 indexed ilk, address indexed owner, uint256 maxAmount, uint256 targetHealthWad);
    /// @notice A vault was topped up from its owner's reserve.
    event ToppedUp(bytes32 indexed ilk, address indexed owner, uint256 amount, uint256 reserveLeft);

    /// @param vaultEngine_ The vault engine.
    /// @param liquidationEngine_ The liquidation engine (the only allowed caller of `rescue`).
    constructor(IVaultEngine vaultEngine_, address liquidationEngine_) {
        if (address(vaultEngine_) == address(0) || liquidationEngine_ == address(0)) revert ZeroAddress();
        vaultEngine = vaultEngine_;
        liquidationEngine = liquidationEngine_;
    }

    /// @notice Sets the caller's reserve for its vault of `ilk`. The caller also approves this contract
    /// for the collateral token; the smaller of the approval, its balance and `maxAmount` is what a
    /// rescue can use.
    /// @param ilk Collateral type.
    /// @param maxAmount Most collateral to add in total (native units); 0 clears the reserve.
    /// @param targetHealthWad Health a rescue tops up to (WAD), within the bounds above.
    function setReserve(bytes32 ilk, uint128 maxAmount, uint64 targetHealthWad) external {
        if (maxAmount != 0 && (targetHealthWad < MIN_TARGET_HEALTH_WAD || targetHealthWad > MAX_TARGET_HEALTH_WAD)) {
            revert TargetHealthOutOfRange(targetHealthWad, MIN_TARGET_HEALTH_WAD, MAX_TARGET_HEALTH_WAD);
        }
        _reserves[ilk][msg.sender] = Reserve(maxAmount, targetHealthWad);
        emit ReserveSet(ilk, msg.sender, maxAmount, targetHealthWad);
    }

    /// @notice The caller's reserve for a vault.
    function reserve(bytes32 ilk, address owner) external view returns (Reserve memory) {
        return _reserves[ilk][owner];
    }

    /// @notice Collateral (native units) that brings the vault to `targetHealthWad` now (0 when it is there).
    function shortfall(bytes32 ilk, address owner, uint256 targetHealthWad) public view returns (uint256) {
        IVaultEngine.Ilk memory i = vaultEngine.ilks(ilk);
        (uint256 collateral,) = vaultEngine.vault(ilk, owner);
        uint256 debt = vaultEngine.debtOf(ilk, owner);
        // collateral' × scale × spot / WAD ≥ debt × target, rounded up.
        uint256 needed =
            FixedPointMathLib.fullMulDivUp(FixedPointMathLib.mulWadUp(debt, targetHealthWad), WAD, i.scale * i.spot);
        return needed > collateral ? needed - collateral : 0;
    }

    /// @inheritdoc IRescueHook
    function rescue(bytes32 ilk, address owner) external nonReentrant {
        if (msg.sender != liquidationEngine) revert NotLiquidationEngine(msg.sender);
        Reserve memory r = _reserves[ilk][owner];
        if (r.maxAmount == 0) return;
        address token = vaultEngine.ilks(ilk).token;
        uint256 amount = FixedPointMathLib.min(shortfall(ilk, owner, r.targetHealthWad), r.maxAmount);
        amount = FixedPointMathLib.min(amount, SafeTransferLib.balanceOf(token, owner));
        amount = FixedPointMathLib.min(amount, _allowance(token, owner));
        if (amount == 0) return;
        // forge-lint: disable-next-line(unsafe-typecast) amount ≤ r.maxAmount, a uint128
        _reserves[ilk][owner].maxAmount = r.maxAmount - uint128(amount);
        SafeTransferLib.safeTransferFrom(token, owner, address(this), amount);
        SafeTransferLib.safeApproveWithRetry(token, address(vaultEngine), amount);
        // forge-lint: disable-next-line(unsafe-typecast) amount ≤ uint128 max
        vaultEngine.adjustFor(ilk, owner, int256(amount), 0);
        emit ToppedUp(ilk, owner, amount, r.maxAmount - amount);
    }

    function _allowance(address token, address owner) internal view returns (uint256 a) {
        (bool ok, bytes memory ret) =
            token.staticcall(abi.encodeWithSignature("allowance(address,address)", owner, address(this)));
        if (ok && ret.length >= 32) a = abi.decode(ret, (uint256));
    }

    /// @dev Transient-storage reentrancy guard on every chain (the target EVM is Prague).
    function _useTransientReentrancyGuardOnlyOnMainnet() internal pure override returns (bool) {
        return false;
    }
}
