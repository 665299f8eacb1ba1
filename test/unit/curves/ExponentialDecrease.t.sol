// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ExponentialDecrease} from "../../../contracts/src/curves/ExponentialDecrease.sol";
import {StairstepExponentialDecrease} from "../../../contracts/src/curves/StairstepExponentialDecrease.sol";
import {Test} from "forge-std/Test.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice ExponentialDecrease: constructor bounds and dss `abaci` values (computed by hand from the dss
/// algorithm with exact integers).
contract ExponentialDecreaseTest is Test {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant CUT = 0.99e27; // 1% per second
    uint256 internal constant TOP = 2000e18;

    ExponentialDecrease internal curve;

    function setUp() public {
        curve = new ExponentialDecrease(CUT);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_Constructor_SetsCut() public view {
        assertEq(curve.cut(), CUT);
    }

    function test_Constructor_RevertWhen_CutIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(ExponentialDecrease.CutOutOfRange.selector, 0));
        new ExponentialDecrease(0);
    }

    function test_Constructor_RevertWhen_CutAboveRay() public {
        vm.expectRevert(abi.encodeWithSelector(ExponentialDecrease.CutOutOfRange.selector, RAY + 1));
        new ExponentialDecrease(RAY + 1);
    }

    function test_Constructor_RevertWhen_CutIsMaxUint() public {
        vm.expectRevert(abi.encodeWithSelector(ExponentialDecrease.CutOutOfRange.selector, type(uint256).max));
        new ExponentialDecrease(type(uint256).max);
    }

    function test_Constructor_AcceptsBounds() public {
        assertEq(new ExponentialDecrease(RAY).cut(), RAY);
        assertEq(new ExponentialDecrease(1).cut(), 1);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           PRICE                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_Price_ReturnsTopAt_DurZero() public view {
        assertEq(curve.price(TOP, 0), TOP);
    }

    function test_Price_FirstSeconds() public view {
        assertEq(curve.price(TOP, 1), 1980e18);
        assertEq(curve.price(TOP, 2), 1960.2e18);
    }

    function test_Price_SixteenSeconds() public view {
        assertEq(curve.price(TOP, 16), 1_702_915_542_189_751_279_290);
    }

    function test_Price_SlowCutOverMillionSeconds() public {
        ExponentialDecrease c = new ExponentialDecrease(0.999999e27);
        assertEq(c.price(TOP, 1_000_000), 735_758_514_463_290_188_571); // ~ TOP / e
    }

    function test_Price_CutRayIsFlat() public {
        ExponentialDecrease c = new ExponentialDecrease(RAY);
        assertEq(c.price(TOP, 1), TOP);
        assertEq(c.price(TOP, type(uint256).max), TOP);
    }

    function test_Price_TinyCut() public {
        ExponentialDecrease c = new ExponentialDecrease(1);
        assertEq(c.price(1e36, 1), 1e9);
        assertEq(c.price(1e36, 2), 0);
    }

    function test_Price_DecaysToZeroAt_MaxDur() public view {
        assertEq(curve.price(TOP, type(uint256).max), 0);
    }

    function test_Price_EqualsStairstepWithStepOne() public {
        StairstepExponentialDecrease stairs = new StairstepExponentialDecrease(CUT, 1);
        uint256[6] memory durs = [uint256(0), 1, 7, 16, 1000, type(uint256).max];
        for (uint256 i; i < durs.length; ++i) {
            assertEq(curve.price(TOP, durs[i]), stairs.price(TOP, durs[i]));
        }
    }

    function test_Price_ZeroTop() public view {
        assertEq(curve.price(0, 5), 0);
    }

    function test_Price_RevertWhen_TopTimesFactorOverflows() public {
        vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
        curve.price(type(uint256).max, 0);
    }
}
