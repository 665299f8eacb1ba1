// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StairstepExponentialDecrease} from "../../../contracts/src/curves/StairstepExponentialDecrease.sol";
import {Test} from "forge-std/Test.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice StairstepExponentialDecrease: constructor bounds and dss `abaci` values (computed by hand
/// from the dss algorithm with exact integers).
contract StairstepExponentialDecreaseTest is Test {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant CUT = 0.99e27; // 1% per step
    uint256 internal constant STEP = 60;
    uint256 internal constant TOP = 2000e18;

    StairstepExponentialDecrease internal curve;

    function setUp() public {
        curve = new StairstepExponentialDecrease(CUT, STEP);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_Constructor_SetsCutAndStep() public view {
        assertEq(curve.cut(), CUT);
        assertEq(curve.step(), STEP);
    }

    function test_Constructor_RevertWhen_CutIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(StairstepExponentialDecrease.CutOutOfRange.selector, 0));
        new StairstepExponentialDecrease(0, STEP);
    }

    function test_Constructor_RevertWhen_CutAboveRay() public {
        vm.expectRevert(abi.encodeWithSelector(StairstepExponentialDecrease.CutOutOfRange.selector, RAY + 1));
        new StairstepExponentialDecrease(RAY + 1, STEP);
    }

    function test_Constructor_RevertWhen_StepIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(StairstepExponentialDecrease.StepOutOfRange.selector, 0));
        new StairstepExponentialDecrease(CUT, 0);
    }

    function test_Constructor_ChecksCutBeforeStep() public {
        vm.expectRevert(abi.encodeWithSelector(StairstepExponentialDecrease.CutOutOfRange.selector, 0));
        new StairstepExponentialDecrease(0, 0);
    }

    function test_Constructor_AcceptsBounds() public {
        StairstepExponentialDecrease c = new StairstepExponentialDecrease(RAY, type(uint256).max);
        assertEq(c.cut(), RAY);
        assertEq(c.step(), type(uint256).max);
        c = new StairstepExponentialDecrease(1, 1);
        assertEq(c.cut(), 1);
        assertEq(c.step(), 1);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           PRICE                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_Price_ReturnsTopAt_DurZero() public view {
        assertEq(curve.price(TOP, 0), TOP);
    }

    function test_Price_FlatWithinFirstStep() public view {
        assertEq(curve.price(TOP, STEP - 1), TOP);
    }

    function test_Price_DropsByCutAt_StepMultiples() public view {
        assertEq(curve.price(TOP, STEP), 1980e18);
        assertEq(curve.price(TOP, 2 * STEP), 1960.2e18);
        assertEq(curve.price(TOP, 2 * STEP - 1), 1980e18);
    }

    function test_Price_SixteenSteps() public view {
        // rpow(0.99, 16) = 0.851457771094875639645014412 (square-and-multiply, half up).
        assertEq(curve.price(TOP, 16 * STEP), 1_702_915_542_189_751_279_290);
        assertEq(curve.price(TOP, 17 * STEP - 1), 1_702_915_542_189_751_279_290);
    }

    function test_Price_CutRayIsFlat() public {
        StairstepExponentialDecrease c = new StairstepExponentialDecrease(RAY, 1);
        assertEq(c.price(TOP, 0), TOP);
        assertEq(c.price(TOP, 12_345), TOP);
        assertEq(c.price(TOP, type(uint256).max), TOP);
    }

    function test_Price_TinyCut() public {
        StairstepExponentialDecrease c = new StairstepExponentialDecrease(1, 10);
        uint256 top = 1e36;
        assertEq(c.price(top, 9), top);
        assertEq(c.price(top, 10), 1e9); // top * 1e-27
        assertEq(c.price(top, 20), 0); // 1e-27 squared rounds to 0
    }

    function test_Price_DecaysToZeroAt_MaxDur() public view {
        assertEq(curve.price(TOP, type(uint256).max), 0);
    }

    function test_Price_HugeStep_NeverDrops() public {
        StairstepExponentialDecrease c = new StairstepExponentialDecrease(CUT, type(uint256).max);
        assertEq(c.price(TOP, type(uint256).max - 1), TOP);
        assertEq(c.price(TOP, type(uint256).max), 1980e18);
    }

    function test_Price_ZeroTop() public view {
        assertEq(curve.price(0, 0), 0);
        assertEq(curve.price(0, STEP), 0);
    }

    function test_Price_RevertWhen_TopTimesFactorOverflows() public {
        vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
        curve.price(type(uint256).max, 0);
    }
}
