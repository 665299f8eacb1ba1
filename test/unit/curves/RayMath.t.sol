// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RayMath} from "../../../contracts/src/curves/RayMath.sol";
import {Test} from "forge-std/Test.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @dev External wrappers, so a revert inside the (inlined) library happens one call deeper than the
/// test and `vm.expectRevert` can see it.
contract RayMathHarness {
    function rmulDown(uint256 x, uint256 y) external pure returns (uint256) {
        return RayMath.rmulDown(x, y);
    }

    function rpowHalfUp(uint256 x, uint256 n) external pure returns (uint256) {
        return RayMath.rpowHalfUp(x, n);
    }
}

/// @notice RayMath: dss `rmul` / `rpow(x, n, RAY)` semantics, values computed by hand (Python, exact
/// integers) from the dss algorithm.
contract RayMathTest is Test {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant CUT_99 = 0.99e27;

    RayMathHarness internal h;

    function setUp() public {
        h = new RayMathHarness();
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          RMULDOWN                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_RayConstant_Is1e27() public pure {
        assertEq(RayMath.RAY, 10 ** 27);
    }

    function test_RmulDown_MultipliesByOneRay() public view {
        assertEq(h.rmulDown(1234, RAY), 1234);
        assertEq(h.rmulDown(RAY, 1234), 1234);
    }

    function test_RmulDown_RoundsDown() public view {
        // 3 * 0.5 RAY-units = 1.5 -> 1; (RAY - 1) * 1 / RAY = 0.999... -> 0.
        assertEq(h.rmulDown(3, RAY / 2), 1);
        assertEq(h.rmulDown(RAY - 1, 1), 0);
        assertEq(h.rmulDown(2e18, RAY * 2 / 3), 1_333_333_333_333_333_333);
    }

    function test_RmulDown_ZeroOperand() public view {
        assertEq(h.rmulDown(0, type(uint256).max), 0);
        assertEq(h.rmulDown(type(uint256).max, 0), 0);
    }

    function test_RmulDown_RevertWhen_ProductOverflows() public {
        vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
        h.rmulDown(type(uint256).max, 2);
    }

    /// @dev dss reverts on the 256-bit product even when the quotient would fit; so do we.
    function test_RmulDown_RevertWhen_ProductOverflowsButQuotientFits() public {
        vm.expectRevert(FixedPointMathLib.MulDivFailed.selector);
        h.rmulDown(type(uint256).max / RAY + 1, RAY);
    }

    function test_RmulDown_LargestProductThatFits() public view {
        uint256 x = type(uint256).max / RAY;
        assertEq(h.rmulDown(x, RAY), x);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         RPOWHALFUP                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_RpowHalfUp_ExponentZeroIsOne() public view {
        assertEq(h.rpowHalfUp(CUT_99, 0), RAY);
        assertEq(h.rpowHalfUp(type(uint256).max, 0), RAY);
    }

    function test_RpowHalfUp_ZeroToTheZeroIsOne() public view {
        assertEq(h.rpowHalfUp(0, 0), RAY);
    }

    function test_RpowHalfUp_ZeroBaseIsZero() public view {
        assertEq(h.rpowHalfUp(0, 1), 0);
        assertEq(h.rpowHalfUp(0, type(uint256).max), 0);
    }

    function test_RpowHalfUp_ExponentOneIsBase() public view {
        assertEq(h.rpowHalfUp(CUT_99, 1), CUT_99);
        // n = 1 never enters the squaring loop, so even a huge base comes back unchanged.
        assertEq(h.rpowHalfUp(type(uint256).max, 1), type(uint256).max);
    }

    function test_RpowHalfUp_OneRayIsFixedPoint() public view {
        assertEq(h.rpowHalfUp(RAY, 7), RAY);
        assertEq(h.rpowHalfUp(RAY, type(uint256).max), RAY);
    }

    function test_RpowHalfUp_SmallExponents() public view {
        assertEq(h.rpowHalfUp(CUT_99, 2), 0.9801e27);
        assertEq(h.rpowHalfUp(CUT_99, 4), 0.96059601e27);
    }

    function test_RpowHalfUp_RoundsHalfUp() public view {
        // (RAY/2 + 1)^2 / RAY = RAY/4 + 1 + 1e-27: the fraction is below one half, rounds down.
        assertEq(h.rpowHalfUp(RAY / 2 + 1, 2), RAY / 4 + 1);
        // 1^2 / RAY = 1e-27 rounds down to 0.
        assertEq(h.rpowHalfUp(1, 2), 0);
        // x = floor(sqrt(0.5) * 1e27): x^2 / RAY = 499999999999999999999999999.85..., rounds up.
        assertEq(h.rpowHalfUp(707_106_781_186_547_524_400_844_362, 2), 500_000_000_000_000_000_000_000_000);
    }

    /// @dev Squaring then multiplying (dss) differs from multiplying 16 times in a row by one wei here:
    /// exactness requires the same order of roundings, not just the same rounding rule.
    function test_RpowHalfUp_RoundsEachSquaring_NotSequentially() public view {
        assertEq(h.rpowHalfUp(CUT_99, 16), 851_457_771_094_875_639_645_014_412);
        uint256 sequential = RAY;
        for (uint256 i; i < 16; ++i) {
            sequential = (sequential * CUT_99 + RAY / 2) / RAY;
        }
        assertEq(sequential, 851_457_771_094_875_639_645_014_411);
    }

    function test_RpowHalfUp_LargeExponentDecaysToZero() public view {
        assertEq(h.rpowHalfUp(CUT_99, type(uint256).max), 0);
    }

    function test_RpowHalfUp_RevertWhen_SquareOverflows() public {
        vm.expectRevert(FixedPointMathLib.RPowOverflow.selector);
        h.rpowHalfUp(1 << 128, 2);
    }

    function test_RpowHalfUp_RevertWhen_ProductOverflows() public {
        // n = 3: z = x = 2^127, x^2 / RAY ~ 2^164 fits, then z * x ~ 2^291 overflows.
        vm.expectRevert(FixedPointMathLib.RPowOverflow.selector);
        h.rpowHalfUp(1 << 127, 3);
    }

    function test_RpowHalfUp_LargestSquareThatFits() public view {
        uint256 x = (1 << 128) - 1;
        assertEq(h.rpowHalfUp(x, 2), (x * x + RAY / 2) / RAY);
    }
}
