// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RayMathHarness} from "../../unit/curves/RayMath.t.sol";
import {CurveReference} from "./CurveReference.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice RayMath against the independent reference and against plain arithmetic.
contract RayMathFuzzTest is CurveReference {
    RayMathHarness internal h;

    function setUp() public {
        h = new RayMathHarness();
    }

    function testFuzz_RpowHalfUp_MatchesReference(uint256 x, uint256 xShape, uint256 n, uint256 nShape) public view {
        x = boundCut(x, xShape);
        n = boundLog(n, nShape, 0, type(uint256).max);
        assertEq(h.rpowHalfUp(x, n), refRpow(x, n));
    }

    function testFuzz_RpowHalfUp_MatchesSequential_ForExponentsUpToThree(uint256 x, uint256 n) public view {
        // Up to 3 the two orders of rounding coincide, and any base works while it does not overflow.
        x = bound(x, 0, 1e30);
        n = bound(n, 0, 3);
        assertEq(h.rpowHalfUp(x, n), sequentialRpow(x, n));
    }

    function testFuzz_RpowHalfUp_CloseToSequential(uint256 x, uint256 xShape, uint256 n) public view {
        x = boundCut(x, xShape);
        n = bound(n, 0, 2000);
        // Each rounding is at most half a unit; the two orders differ by well under one unit per step.
        assertApproxEqAbs(h.rpowHalfUp(x, n), sequentialRpow(x, n), n);
    }

    function testFuzz_RpowHalfUp_NeverAboveOne_NonIncreasingInExponent(uint256 x, uint256 xShape, uint256 n)
        public
        view
    {
        x = boundCut(x, xShape);
        n = bound(n, 0, type(uint256).max - 1);
        uint256 a = h.rpowHalfUp(x, n);
        assertLe(a, RAY);
        assertLe(h.rpowHalfUp(x, n + 1), a);
    }

    function testFuzz_RmulDown_MatchesPlainArithmetic(uint256 x, uint256 y) public {
        if (rmulOverflows(x, y)) {
            vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
            h.rmulDown(x, y);
        } else {
            assertEq(h.rmulDown(x, y), x * y / RAY);
        }
    }

    function testFuzz_RmulDown_RevertsExactlyWhenProductOverflows(uint256 x, uint256 xShape, uint256 y) public {
        // Concentrate on the boundary: y around max / x.
        x = boundLog(x, xShape, 1, type(uint256).max);
        uint256 limit = type(uint256).max / x;
        y = bound(y, limit < 2 ? 0 : limit - 2, limit == type(uint256).max ? limit : limit + 2);
        if (y > limit) {
            vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
            h.rmulDown(x, y);
        } else {
            assertEq(h.rmulDown(x, y), x * y / RAY);
        }
    }
}
