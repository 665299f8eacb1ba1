// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPreLiquidation
/// @notice Opt-in soft liquidation. A vault owner picks a pre-threshold health `preHealthWad` above
/// 1.0 (the liquidation line) and, within governance bounds, a close factor and an incentive at each
/// end of the band [1.0, preHealthWad). While the vault's health is in that band anyone may repay up
/// to `closeFactor × debt` of its debt and receive collateral worth `repaid × incentive` at the
/// mark price. Both factors move linearly with health: the `Start` values apply at the
/// pre-threshold, the `End` values at the liquidation line. A pre-liquidation never lowers the
/// vault's health, never pays above the ilk's liquidation penalty, and is refused outside the band.
interface IPreLiquidation {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice An owner's pre-liquidation parameters for one vault (one slot).
    /// @param preHealthWad Pre-threshold health (WAD, > 1e18): the band is [1e18, preHealthWad).
    /// @param incentiveStartWad Collateral paid per gUSD repaid at the pre-threshold (WAD, ≥ 1e18).
    /// @param incentiveEndWad The same at the liquidation line (WAD, ≥ incentiveStartWad).
    /// @param closeFactorStartBps Share of the debt closable at the pre-threshold (bps, > 0).
    /// @param closeFactorEndBps The same at the liquidation line (bps, ≥ closeFactorStartBps).
    struct Params {
        uint64 preHealthWad;
        uint64 incentiveStartWad;
        uint64 incentiveEndWad;
        uint16 closeFactorStartBps;
        uint16 closeFactorEndBps;
    }

    /// @notice Governance bounds on every owner's parameters (one slot).
    /// @param maxPreHealthWad Highest pre-threshold health an owner may pick.
    /// @param maxIncentiveWad Highest incentive (also capped at execution by the ilk's penalty).
    /// @param maxCloseFactorBps Highest close factor.
    struct Bounds {
        uint64 maxPreHealthWad;
        uint64 maxIncentiveWad;
        uint16 maxCloseFactorBps;
    }

    /// @notice What a pre-liquidation of a vault would do now.
    /// @param healthWad The vault's health now.
    /// @param incentiveWad Incentive at this health (after the bounds and the penalty cap).
    /// @param closeFactorBps Close factor at this health (after the bounds).
    /// @param maxRepay Largest debt repayable now (WAD).
    /// @param priceWad Mark price used (spot × liquidation ratio, rounded up).
    struct Quote {
        uint256 healthWad;
        uint256 incentiveWad;
        uint256 closeFactorBps;
        uint256 maxRepay;
        uint256 priceWad;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The owner has not opted in for this vault.
    error NotOptedIn(bytes32 ilk, address owner);
    /// @notice The vault's health is at or above its pre-threshold: nothing to pre-liquidate.
    error VaultAbovePreThreshold(bytes32 ilk, address owner, uint256 healthWad, uint256 preHealthWad);
    /// @notice The vault is past the liquidation line: it goes to a full liquidation instead.
    error VaultLiquidatable(bytes32 ilk, address owner, uint256 healthWad);
    /// @notice An owner's parameter is outside governance bounds or its pair's order.
    error InvalidParams(uint256 value, uint256 min, uint256 max);
    /// @notice A governance bound is outside its hard limits.
    error BoundOutOfRange(uint256 value, uint256 min, uint256 max);
    /// @notice The repayment rounds to nothing (or to no collateral).
    error NothingToClose(uint256 repay, uint256 collateralOut);
    /// @notice Less collateral than the caller's minimum.
    error CollateralBelowMinimum(uint256 collateralOut, uint256 minCollateralOut);
    /// @notice The settlement would lower the vault's health (e.g. an incentive above the ratio).
    error HealthWouldFall(uint256 healthBeforeWad, uint256 healthAfterWad);
    error ZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An owner opted in (or changed parameters).
    event PreLiquidationParamsSet(
        bytes32 indexed ilk,
        address indexed owner,
        uint256 preHealthWad,
        uint256 incentiveStartWad,
        uint256 incentiveEndWad,
        uint256 closeFactorStartBps,
        uint256 closeFactorEndBps
    );
    /// @notice An owner opted out.
    event PreLiquidationOptedOut(bytes32 indexed ilk, address indexed owner);
    /// @notice Governance changed the bounds.
    event BoundsSet(uint256 maxPreHealthWad, uint256 maxIncentiveWad, uint256 maxCloseFactorBps);
    /// @notice A pre-liquidation settled.
    event PreLiquidate(
        bytes32 indexed ilk,
        address indexed owner,
        address indexed caller,
        address recipient,
        uint256 repaid,
        uint256 collateralOut,
        uint256 incentiveWad,
        uint256 healthBeforeWad,
        uint256 healthAfterWad
    );

    /*//////////////////////////////////////////////////////////////
                               FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Opts the caller's vault of `ilk` in, or changes its parameters.
    /// @param ilk Collateral type.
    /// @param p Parameters: `WAD < preHealthWad ≤ maxPreHealthWad`,
    /// `WAD ≤ incentiveStartWad ≤ incentiveEndWad ≤ maxIncentiveWad`,
    /// `0 < closeFactorStartBps ≤ closeFactorEndBps ≤ maxCloseFactorBps`; else `InvalidParams`.
    function setParams(bytes32 ilk, Params calldata p) external;

    /// @notice Opts the caller's vault of `ilk` out.
    function optOut(bytes32 ilk) external;

    /// @notice Repays up to `maxRepay` gUSD (pulled from the caller) of a vault in its band and sends
    /// collateral worth `repaid × incentive` at the mark price to `recipient`.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @param maxRepay Most gUSD to repay (WAD); capped at the closable amount.
    /// @param minCollateralOut Least collateral accepted (native units); else `CollateralBelowMinimum`.
    /// @param recipient Receives the collateral.
    /// @return repaid gUSD repaid (WAD).
    /// @return collateralOut Collateral sent (native units).
    function preLiquidate(bytes32 ilk, address owner, uint256 maxRepay, uint256 minCollateralOut, address recipient)
        external
        returns (uint256 repaid, uint256 collateralOut);

    /// @notice Governance: sets the bounds (each within hard limits; else `BoundOutOfRange`).
    function setBounds(Bounds calldata b) external;

    /// @notice An owner's parameters for one vault (all zero when not opted in).
    function params(bytes32 ilk, address owner) external view returns (Params memory);

    /// @notice The governance bounds.
    function bounds() external view returns (Bounds memory);

    /// @notice What a pre-liquidation of the vault would do now; reverts as `preLiquidate` would when
    /// the vault is not opted in or not in its band.
    function quote(bytes32 ilk, address owner) external view returns (Quote memory q);

    /// @notice Collateral (native units) a repayment of `repay` buys at `incentiveWad` and `priceWad`
    /// for a collateral of `scale` (10^(18 − decimals)): `repay × incentive / price / scale`, rounded down.
    function collateralFor(uint256 repay, uint256 incentiveWad, uint256 priceWad, uint256 scale)
        external
        pure
        returns (uint256);
}
