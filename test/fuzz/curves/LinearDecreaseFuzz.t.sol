// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LinearDecrease} from "../../../contracts/src/curves/LinearDecrease.sol";
import {CurveReference} from "./CurveReference.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice LinearDecrease against the independent reference, over fuzzed `tau`, `top` and `dur`.
contract LinearDecreaseFuzzTest is CurveReference {
    uint256 internal constant MAX_TAU = type(uint256).max / RAY;

    function _curve(uint256 tau, uint256 tauShape) internal returns (LinearDecrease, uint256) {
        tau = boundLog(tau, tauShape, 1, MAX_TAU);
        return (new LinearDecrease(tau), tau);
    }

    function testFuzz_Price_MatchesReference(
        uint256 tau,
        uint256 tauShape,
        uint256 top,
        uint256 topShape,
        uint256 dur,
        uint256 durShape
    ) public {
        LinearDecrease curve;
        (curve, tau) = _curve(tau, tauShape);
        top = boundLog(top, topShape, 0, type(uint256).max);
        // Mostly inside (0, tau], sometimes anywhere.
        dur = durShape % 4 == 0 ? bound(dur, 0, type(uint256).max) : bound(dur, 0, tau);

        uint256 factor = dur >= tau ? 0 : (tau - dur) * RAY / tau;
        if (rmulOverflows(top, factor)) {
            vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
            curve.price(top, dur);
        } else {
            assertEq(curve.price(top, dur), refLinear(top, dur, tau));
        }
    }

    function testFuzz_Price_AtMostExactQuotient(uint256 tau, uint256 tauShape, uint256 top, uint256 dur) public {
        LinearDecrease curve;
        (curve, tau) = _curve(tau, tauShape);
        top = bound(top, 0, 1e40);
        dur = bound(dur, 0, tau);
        // dss rounds twice, both down: never above the exact top * (tau - dur) / tau, and below it by
        // less than top / RAY + 1.
        uint256 exact = FixedPointMathLib.fullMulDiv(top, tau - dur, tau);
        uint256 p = curve.price(top, dur);
        assertLe(p, exact);
        assertLe(exact - p, top / RAY + 1);
    }

    function testFuzz_Price_ReturnsZeroWhen_DurAtLeastTau(uint256 tau, uint256 tauShape, uint256 top, uint256 dur)
        public
    {
        LinearDecrease curve;
        (curve, tau) = _curve(tau, tauShape);
        dur = bound(dur, tau, type(uint256).max);
        assertEq(curve.price(top, dur), 0);
    }

    function testFuzz_Price_NeverAboveTop_NonIncreasing(uint256 tau, uint256 tauShape, uint256 top, uint256 dur)
        public
    {
        LinearDecrease curve;
        (curve, tau) = _curve(tau, tauShape);
        top = bound(top, 0, 1e40);
        dur = bound(dur, 0, tau);
        uint256 p = curve.price(top, dur);
        assertLe(p, top);
        assertLe(curve.price(top, dur + 1), p);
    }
}
