// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LinearDecrease} from "../../../contracts/src/curves/LinearDecrease.sol";
import {IPriceCurve} from "../../../contracts/src/interfaces/IPriceCurve.sol";
import {Test} from "forge-std/Test.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice LinearDecrease: constructor bounds and dss `abaci` values (computed by hand from the dss
/// formula with exact integers).
contract LinearDecreaseTest is Test {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant TAU = 3600;
    uint256 internal constant TOP = 2000e18;

    LinearDecrease internal curve;

    function setUp() public {
        curve = new LinearDecrease(TAU);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_Constructor_SetsTau() public view {
        assertEq(curve.tau(), TAU);
    }

    function test_Constructor_ImplementsIPriceCurve() public view {
        assertEq(IPriceCurve(address(curve)).price(TOP, 0), TOP);
    }

    function test_Constructor_RevertWhen_TauIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(LinearDecrease.TauOutOfRange.selector, 0));
        new LinearDecrease(0);
    }

    function test_Constructor_RevertWhen_TauAboveMax() public {
        uint256 tau = curve.MAX_TAU() + 1;
        vm.expectRevert(abi.encodeWithSelector(LinearDecrease.TauOutOfRange.selector, tau));
        new LinearDecrease(tau);
    }

    function test_Constructor_RevertWhen_TauIsMaxUint() public {
        vm.expectRevert(abi.encodeWithSelector(LinearDecrease.TauOutOfRange.selector, type(uint256).max));
        new LinearDecrease(type(uint256).max);
    }

    function test_Constructor_AcceptsTauOne() public {
        LinearDecrease c = new LinearDecrease(1);
        assertEq(c.price(TOP, 0), TOP);
        assertEq(c.price(TOP, 1), 0);
    }

    function test_Constructor_AcceptsMaxTau() public {
        uint256 maxTau = curve.MAX_TAU();
        assertEq(maxTau, type(uint256).max / RAY);
        LinearDecrease c = new LinearDecrease(maxTau);
        // (tau - 0) * RAY is the largest product and fits.
        assertEq(c.price(TOP, 0), TOP);
        assertEq(c.price(TOP, maxTau - 1), 0); // factor (1 * RAY / tau) = 0
        assertEq(c.price(TOP, maxTau), 0);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           PRICE                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_Price_ReturnsTopAt_DurZero() public view {
        assertEq(curve.price(TOP, 0), TOP);
        assertEq(curve.price(1, 0), 1);
    }

    function test_Price_ReturnsZeroWhen_DurAtLeastTau() public view {
        assertEq(curve.price(TOP, TAU), 0);
        assertEq(curve.price(TOP, TAU + 1), 0);
        assertEq(curve.price(TOP, type(uint256).max), 0);
        // Even a top that would overflow the multiplication: the early return comes first.
        assertEq(curve.price(type(uint256).max, TAU), 0);
    }

    function test_Price_HalfwayIsHalf() public view {
        assertEq(curve.price(TOP, TAU / 2), TOP / 2);
    }

    function test_Price_OneSecondBeforeTau() public view {
        // factor = 1 * RAY / 3600 = 277777777777777777777777 (rounded down), times TOP / RAY.
        assertEq(curve.price(TOP, TAU - 1), 555_555_555_555_555_555);
        assertEq(curve.price(TOP, TAU - 1), TOP * (RAY / TAU) / RAY);
    }

    function test_Price_OneSecondAfterStart() public view {
        assertEq(curve.price(TOP, 1), TOP * ((TAU - 1) * RAY / TAU) / RAY);
    }

    /// @dev dss rounds twice (the RAY factor, then the product): one wei below the exact quotient here.
    function test_Price_RoundsDownTwice() public {
        LinearDecrease c = new LinearDecrease(3);
        uint256 top = 1_234_567_890_123_456_789_012;
        assertEq(c.price(top, 1), 823_045_260_082_304_526_007);
        assertEq(FixedPointMathLib.mulDiv(top, 2, 3), 823_045_260_082_304_526_008);
    }

    function test_Price_ZeroTop() public view {
        assertEq(curve.price(0, 0), 0);
        assertEq(curve.price(0, 1), 0);
    }

    function test_Price_RevertWhen_TopTimesFactorOverflows() public {
        vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
        curve.price(type(uint256).max, 0);
    }

    function test_Price_LargestTopAtStart() public view {
        uint256 top = type(uint256).max / RAY;
        assertEq(curve.price(top, 0), top);
    }
}
