// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {ILiquidationEngine} from "./interfaces/ILiquidationEngine.sol";
import {IPreLiquidation} from "./interfaces/IPreLiquidation.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";

/// @title PreLiquidation
/// @notice Opt-in soft liquidation between an owner's pre-threshold and the liquidation line. See
/// {IPreLiquidation} and docs/liquidations.md ("Pre-liquidation").
/// @dev OwnableRoles (no roles) so deploy read-backs treat it as every other owned contract. Holds the VaultEngine's `PRE_LIQUIDATOR` role (granted by governance, as auction houses are
/// authorised); the engine settles (`preLiquidationClose`: burn, debt, dust, collateral out), this
/// contract decides whether and how much. One job: no auctions, no hooks, no custody between calls.
contract PreLiquidation is IPreLiquidation, OwnableRoles, ReentrancyGuardTransient {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant WAD = 1e18;
    /// @notice 100% in basis points.
    uint256 public constant BPS = 10_000;
    /// @notice Highest pre-threshold governance may allow: health 2.0.
    uint256 public constant PRE_HEALTH_LIMIT_WAD = 2e18;
    /// @notice Highest incentive governance may allow: 10% (liquidation penalties are higher).
    uint256 public constant INCENTIVE_LIMIT_WAD = 1.1e18;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @notice The ledger that settles.
    IVaultEngine public immutable vaultEngine;
    /// @notice Source of each ilk's liquidation penalty (the incentive's cap).
    ILiquidationEngine public immutable liquidationEngine;
    /// @notice gUSD, pulled from the caller and burned by the engine.
    address public immutable stablecoin;

    Bounds internal _bounds;
    mapping(bytes32 => mapping(address => Params)) internal _params;

    /// @param governance Owner (sets the bounds).
    /// @param vaultEngine_ The vault engine (must grant this contract `PRE_LIQUIDATOR`).
    /// @param liquidationEngine_ The liquidation engine.
    /// @param initialBounds Governance bounds.
    constructor(
        address governance,
        IVaultEngine vaultEngine_,
        ILiquidationEngine liquidationEngine_,
        Bounds memory initialBounds
    ) {
        if (governance == address(0) || address(vaultEngine_) == address(0)) {
            revert ZeroAddress();
        }
        if (address(liquidationEngine_) == address(0)) revert ZeroAddress();
        _initializeOwner(governance);
        vaultEngine = vaultEngine_;
        liquidationEngine = liquidationEngine_;
        stablecoin = vaultEngine_.stablecoin();
        _setBounds(initialBounds);
    }

    /*//////////////////////////////////////////////////////////////
                                 OWNERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPreLiquidation
    function setParams(bytes32 ilk, Params calldata p) external {
        Bounds memory b = _bounds;
        _check(p.preHealthWad, WAD + 1, b.maxPreHealthWad);
        _check(p.incentiveStartWad, WAD, p.incentiveEndWad);
        _check(p.incentiveEndWad, p.incentiveStartWad, b.maxIncentiveWad);
        _check(p.closeFactorStartBps, 1, p.closeFactorEndBps);
        _check(p.closeFactorEndBps, p.closeFactorStartBps, b.maxCloseFactorBps);
        _params[ilk][msg.sender] = p;
        emit PreLiquidationParamsSet(
            ilk,
            msg.sender,
            p.preHealthWad,
            p.incentiveStartWad,
            p.incentiveEndWad,
            p.closeFactorStartBps,
            p.closeFactorEndBps
        );
    }

    /// @inheritdoc IPreLiquidation
    function optOut(bytes32 ilk) external {
        delete _params[ilk][msg.sender];
        emit PreLiquidationOptedOut(ilk, msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                               OPERATION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPreLiquidation
    function preLiquidate(bytes32 ilk, address owner, uint256 maxRepay, uint256 minCollateralOut, address recipient)
        external
        nonReentrant
        returns (uint256 repaid, uint256 collateralOut)
    {
        if (recipient == address(0)) revert ZeroAddress();
        Quote memory q = _quote(ilk, owner);
        repaid = FixedPointMathLib.min(maxRepay, q.maxRepay);
        uint256 scale = vaultEngine.ilks(ilk).scale;
        collateralOut = _collateralFor(repaid, q.incentiveWad, q.priceWad, scale);
        if (repaid == 0 || collateralOut == 0) revert NothingToClose(repaid, collateralOut);
        if (collateralOut < minCollateralOut) revert CollateralBelowMinimum(collateralOut, minCollateralOut);

        SafeTransferLib.safeTransferFrom(stablecoin, msg.sender, address(this), repaid);
        vaultEngine.preLiquidationClose(ilk, owner, repaid, collateralOut, recipient);

        uint256 healthAfter = vaultEngine.health(ilk, owner);
        if (healthAfter < q.healthWad) revert HealthWouldFall(q.healthWad, healthAfter);
        emit PreLiquidate(
            ilk, owner, msg.sender, recipient, repaid, collateralOut, q.incentiveWad, q.healthWad, healthAfter
        );
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPreLiquidation
    function setBounds(Bounds calldata b) external onlyOwner {
        _setBounds(b);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPreLiquidation
    function params(bytes32 ilk, address owner) external view returns (Params memory) {
        return _params[ilk][owner];
    }

    /// @inheritdoc IPreLiquidation
    function bounds() external view returns (Bounds memory) {
        return _bounds;
    }

    /// @inheritdoc IPreLiquidation
    function quote(bytes32 ilk, address owner) external view returns (Quote memory) {
        return _quote(ilk, owner);
    }

    /// @inheritdoc IPreLiquidation
    function collateralFor(uint256 repay, uint256 incentiveWad, uint256 priceWad, uint256 scale)
        external
        pure
        returns (uint256)
    {
        return _collateralFor(repay, incentiveWad, priceWad, scale);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev The vault's band position and what it allows, after today's bounds and the penalty cap.
    function _quote(bytes32 ilk, address owner) internal view returns (Quote memory q) {
        Params memory p = _params[ilk][owner];
        if (p.preHealthWad == 0) revert NotOptedIn(ilk, owner);
        Bounds memory b = _bounds;
        // Bounds lowered after the owner opted in apply at once: they protect owners.
        uint256 preHealth = FixedPointMathLib.min(p.preHealthWad, b.maxPreHealthWad);
        q.healthWad = vaultEngine.health(ilk, owner);
        if (q.healthWad < WAD) revert VaultLiquidatable(ilk, owner, q.healthWad);
        if (q.healthWad >= preHealth) revert VaultAbovePreThreshold(ilk, owner, q.healthWad, preHealth);

        // Depth in the band: 0 at the pre-threshold, WAD at the liquidation line.
        uint256 depthWad = FixedPointMathLib.mulDiv(preHealth - q.healthWad, WAD, preHealth - WAD);
        uint256 incentive = _lerp(p.incentiveStartWad, p.incentiveEndWad, depthWad);
        uint256 penalty = liquidationEngine.ilkConfig(ilk).penaltyWad;
        q.incentiveWad = FixedPointMathLib.min(FixedPointMathLib.min(incentive, b.maxIncentiveWad), penalty);
        q.closeFactorBps =
            FixedPointMathLib.min(_lerp(p.closeFactorStartBps, p.closeFactorEndBps, depthWad), b.maxCloseFactorBps);
        q.maxRepay = vaultEngine.debtOf(ilk, owner) * q.closeFactorBps / BPS;
        IVaultEngine.Ilk memory i = vaultEngine.ilks(ilk);
        q.priceWad = FixedPointMathLib.mulWadUp(i.spot, i.liquidationRatio);
    }

    /// @dev `start + (end − start) × depth`, depth in WAD, rounded down.
    function _lerp(uint256 start, uint256 end, uint256 depthWad) internal pure returns (uint256) {
        return start + FixedPointMathLib.mulWad(end - start, depthWad);
    }

    /// @dev `repay × incentive / (price × scale)`, rounded down (in the vault's favour).
    function _collateralFor(uint256 repay, uint256 incentiveWad, uint256 priceWad, uint256 scale)
        internal
        pure
        returns (uint256)
    {
        if (priceWad == 0) return 0;
        return FixedPointMathLib.fullMulDiv(repay, incentiveWad, priceWad * scale);
    }

    function _setBounds(Bounds memory b) internal {
        if (b.maxPreHealthWad <= WAD || b.maxPreHealthWad > PRE_HEALTH_LIMIT_WAD) {
            revert BoundOutOfRange(b.maxPreHealthWad, WAD + 1, PRE_HEALTH_LIMIT_WAD);
        }
        if (b.maxIncentiveWad < WAD || b.maxIncentiveWad > INCENTIVE_LIMIT_WAD) {
            revert BoundOutOfRange(b.maxIncentiveWad, WAD, INCENTIVE_LIMIT_WAD);
        }
        if (b.maxCloseFactorBps == 0 || b.maxCloseFactorBps > BPS) revert BoundOutOfRange(b.maxCloseFactorBps, 1, BPS);
        _bounds = b;
        emit BoundsSet(b.maxPreHealthWad, b.maxIncentiveWad, b.maxCloseFactorBps);
    }

    function _check(uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert InvalidParams(value, min, max);
    }

    /// @dev Transient-storage reentrancy guard on every chain (the target EVM is Prague).
    function _useTransientReentrancyGuardOnlyOnMainnet() internal pure override returns (bool) {
        return false;
    }
}
