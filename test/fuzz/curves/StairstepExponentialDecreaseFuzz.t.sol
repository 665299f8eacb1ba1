// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExponentialDecrease} from "../../../contracts/src/curves/ExponentialDecrease.sol";
import {StairstepExponentialDecrease} from "../../../contracts/src/curves/StairstepExponentialDecrease.sol";
import {CurveReference} from "./CurveReference.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice StairstepExponentialDecrease against the independent reference, over fuzzed `cut`, `step`,
/// `top` and `dur`.
contract StairstepExponentialDecreaseFuzzTest is CurveReference {
    function _curve(uint256 cut, uint256 cutShape, uint256 step, uint256 stepShape)
        internal
        returns (StairstepExponentialDecrease curve, uint256 cut_, uint256 step_)
    {
        cut_ = boundCut(cut, cutShape);
        step_ = boundLog(step, stepShape, 1, type(uint256).max);
        curve = new StairstepExponentialDecrease(cut_, step_);
    }

    function testFuzz_Price_MatchesReference(
        uint256 cut,
        uint256 cutShape,
        uint256 step,
        uint256 stepShape,
        uint256 top,
        uint256 topShape,
        uint256 dur,
        uint256 durShape
    ) public {
        StairstepExponentialDecrease curve;
        (curve, cut, step) = _curve(cut, cutShape, step, stepShape);
        top = boundLog(top, topShape, 0, type(uint256).max);
        dur = boundLog(dur, durShape, 0, type(uint256).max);

        uint256 factor = refRpow(cut, dur / step);
        if (rmulOverflows(top, factor)) {
            vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
            curve.price(top, dur);
        } else {
            assertEq(curve.price(top, dur), top * factor / RAY);
        }
    }

    function testFuzz_Price_ConstantWithinStep_AtStepMultiples(
        uint256 cut,
        uint256 cutShape,
        uint256 step,
        uint256 top,
        uint256 k,
        uint256 offset
    ) public {
        StairstepExponentialDecrease curve;
        (curve, cut, step) = _curve(cut, cutShape, step, 64); // step < 2^64
        top = bound(top, 0, 1e40);
        k = bound(k, 0, 1e6);
        offset = bound(offset, 0, step - 1);
        uint256 atMultiple = curve.price(top, k * step);
        assertEq(curve.price(top, k * step + offset), atMultiple);
        assertEq(atMultiple, top * refRpow(cut, k) / RAY);
    }

    function testFuzz_Price_EqualsExponentialOfWholeSteps(
        uint256 cut,
        uint256 cutShape,
        uint256 step,
        uint256 stepShape,
        uint256 top,
        uint256 dur
    ) public {
        StairstepExponentialDecrease curve;
        (curve, cut, step) = _curve(cut, cutShape, step, stepShape);
        ExponentialDecrease perSecond = new ExponentialDecrease(cut);
        top = bound(top, 0, 1e40);
        assertEq(curve.price(top, dur), perSecond.price(top, dur / step));
    }

    function testFuzz_Price_NeverAboveTop_NonIncreasing(
        uint256 cut,
        uint256 cutShape,
        uint256 step,
        uint256 stepShape,
        uint256 top,
        uint256 dur,
        uint256 durShape
    ) public {
        StairstepExponentialDecrease curve;
        (curve, cut, step) = _curve(cut, cutShape, step, stepShape);
        top = bound(top, 0, 1e40);
        dur = boundLog(dur, durShape, 0, type(uint256).max - 1);
        uint256 p = curve.price(top, dur);
        assertLe(p, top);
        assertLe(curve.price(top, dur + 1), p);
    }
}
