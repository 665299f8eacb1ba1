// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICollateralAuction} from "../interfaces/ICollateralAuction.sol";
import {RayMath} from "./RayMath.sol";

/// @title CurvePrice
/// @notice The three price curves as internal functions, so an auction house prices inline (no
/// external call) with exactly the formulas of the standalone curve contracts and MakerDAO's abaci.
library CurvePrice {
    /// @notice `top × (tau − dur) / tau` in RAY arithmetic; 0 at and after `tau`.
    function linear(uint256 top, uint256 dur, uint256 tau) internal pure returns (uint256) {
        if (dur >= tau) return 0;
        return RayMath.rmulDown(top, (tau - dur) * RayMath.RAY / tau);
    }

    /// @notice `top × cut ^ floor(dur / step)`.
    function stairstepExponential(uint256 top, uint256 dur, uint256 cutRay, uint256 step)
        internal
        pure
        returns (uint256)
    {
        return RayMath.rmulDown(top, RayMath.rpowHalfUp(cutRay, dur / step));
    }

    /// @notice `top × cut ^ dur`.
    function exponential(uint256 top, uint256 dur, uint256 cutRay) internal pure returns (uint256) {
        return RayMath.rmulDown(top, RayMath.rpowHalfUp(cutRay, dur));
    }

    /// @notice Dispatches on the curve kind. `period` is `tau` (Linear) or `step` (Stairstep).
    function price(ICollateralAuction.CurveKind kind, uint256 cutRay, uint256 period, uint256 top, uint256 dur)
        internal
        pure
        returns (uint256)
    {
        if (kind == ICollateralAuction.CurveKind.Exponential) return exponential(top, dur, cutRay);
        if (kind == ICollateralAuction.CurveKind.StairstepExponential) {
            return stairstepExponential(top, dur, cutRay, period);
        }
        return linear(top, dur, period);
    }
}
