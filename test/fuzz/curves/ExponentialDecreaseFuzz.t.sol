// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExponentialDecrease} from "../../../contracts/src/curves/ExponentialDecrease.sol";
import {CurveReference} from "./CurveReference.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice ExponentialDecrease against the independent reference, over fuzzed `cut`, `top` and `dur`.
contract ExponentialDecreaseFuzzTest is CurveReference {
    function testFuzz_Price_MatchesReference(
        uint256 cut,
        uint256 cutShape,
        uint256 top,
        uint256 topShape,
        uint256 dur,
        uint256 durShape
    ) public {
        cut = boundCut(cut, cutShape);
        ExponentialDecrease curve = new ExponentialDecrease(cut);
        top = boundLog(top, topShape, 0, type(uint256).max);
        dur = boundLog(dur, durShape, 0, type(uint256).max);

        uint256 factor = refRpow(cut, dur);
        if (rmulOverflows(top, factor)) {
            vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
            curve.price(top, dur);
        } else {
            assertEq(curve.price(top, dur), top * factor / RAY);
        }
    }

    function testFuzz_Price_MatchesSequential_FirstThreeSeconds(uint256 cut, uint256 cutShape, uint256 top, uint256 dur)
        public
    {
        cut = boundCut(cut, cutShape);
        ExponentialDecrease curve = new ExponentialDecrease(cut);
        top = bound(top, 0, 1e40);
        dur = bound(dur, 0, 3);
        assertEq(curve.price(top, dur), top * sequentialRpow(cut, dur) / RAY);
    }

    function testFuzz_Price_NeverAboveTop_NonIncreasing(
        uint256 cut,
        uint256 cutShape,
        uint256 top,
        uint256 dur,
        uint256 durShape
    ) public {
        cut = boundCut(cut, cutShape);
        ExponentialDecrease curve = new ExponentialDecrease(cut);
        top = bound(top, 0, 1e40);
        dur = boundLog(dur, durShape, 0, type(uint256).max - 1);
        uint256 p = curve.price(top, dur);
        assertLe(p, top);
        assertLe(curve.price(top, dur + 1), p);
    }
}
