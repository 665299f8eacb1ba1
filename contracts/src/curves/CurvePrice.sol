// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

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

    /// @notice The lowest anchor an adaptive auction may have `dur` seconds after its start:
    /// `top × (followSeconds − dur) / followSeconds`, rounded UP (against the bidder); 0 from
    /// `followSeconds` on. The anchor falls at most `top / followSeconds` per second of age.
    function anchorGuard(uint256 top, uint256 dur, uint256 followSeconds) internal pure returns (uint256) {
        if (dur >= followSeconds) return 0;
        return FixedPointMathLib.mulDivUp(top, followSeconds - dur, followSeconds);
    }

    /// @notice The anchor of an Adaptive auction: `min(top, max(liveTop, anchorGuard(top, dur,
    /// followSeconds)))`. `liveTop` is what a restart would start at now (`mark × startPremium`,
    /// rounded up), `type(uint256).max` when there is no valid mark (the anchor stays at `top`).
    function adaptiveAnchor(uint256 top, uint256 dur, uint256 followSeconds, uint256 liveTop)
        internal
        pure
        returns (uint256)
    {
        return FixedPointMathLib.min(top, FixedPointMathLib.max(liveTop, anchorGuard(top, dur, followSeconds)));
    }

    /// @notice The Adaptive kind's price before the house's floor: the Exponential curve started at
    /// the anchor, `exponential(adaptiveAnchor(...), dur, cut)` (rounded down as that curve). It is
    /// never above `exponential(top, dur, cut)` (equal to it to the wei while `liveTop >= top`) and
    /// never below `exponential(anchorGuard(top, dur, followSeconds), dur, cut)`, whatever the mark.
    function adaptive(uint256 top, uint256 dur, uint256 cutRay, uint256 followSeconds, uint256 liveTop)
        internal
        pure
        returns (uint256)
    {
        return exponential(adaptiveAnchor(top, dur, followSeconds, liveTop), dur, cutRay);
    }

    /// @notice Dispatches on the curve kind. `period` is `tau` (Linear) or `step` (Stairstep). The
    /// Adaptive kind's fixed curve is the Exponential one (its anchor is applied by the house).
    function price(ICollateralAuction.CurveKind kind, uint256 cutRay, uint256 period, uint256 top, uint256 dur)
        internal
        pure
        returns (uint256)
    {
        // One power for the three exponential kinds (Stairstep counts steps, the others seconds).
        if (kind < ICollateralAuction.CurveKind.StairstepExponential) return linear(top, dur, period);
        uint256 n = kind == ICollateralAuction.CurveKind.StairstepExponential ? dur / period : dur;
        return RayMath.rmulDown(top, RayMath.rpowHalfUp(cutRay, n));
    }
}
