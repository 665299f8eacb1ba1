// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "solady/auth/Ownable.sol";

import {PreLiquidation} from "../../contracts/src/PreLiquidation.sol";
import {IPreLiquidation} from "../../contracts/src/interfaces/IPreLiquidation.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {ProtectionBaseTest} from "../utils/ProtectionBaseTest.sol";

/// @notice PreLiquidation: opt-in, the band, the linear incentive and close factor, the caps, and the
/// engine's settlement primitive.
contract PreLiquidationTest is ProtectionBaseTest {
    uint256 internal constant COLLATERAL = 10e18;
    uint256 internal constant DEBT = 10_000e18;

    function setUp() public override {
        super.setUp();
        _open(alice, ETH_A, COLLATERAL, DEBT);
        _fundPreLiquidator(preLiquidator, 50_000e18);
    }

    /*//////////////////////////////////////////////////////////////
                                 SETTLE
    //////////////////////////////////////////////////////////////*/

    function test_PreLiquidate_InBand_RepaysAndPaysLinearIncentive() public {
        _optIn(alice, ETH_A, _defaultParams());
        // Health 1.1: halfway through the band [1.0, 1.2): incentive 2.5%, close factor 25%.
        _crash(ETH_A, 1650e18);
        IPreLiquidation.Quote memory q = pre.quote(ETH_A, alice);
        assertApproxEqAbs(q.healthWad, 1.1e18, 1e12, "health");
        assertApproxEqAbs(q.incentiveWad, 1.025e18, 1e12, "incentive halfway");
        assertApproxEqAbs(q.closeFactorBps, 2500, 1, "close factor halfway");
        assertEq(q.maxRepay, DEBT * q.closeFactorBps / 10_000, "max repay");

        uint256 stableBefore = gusd.balanceOf(preLiquidator);
        vm.prank(preLiquidator);
        (uint256 repaid, uint256 out) = pre.preLiquidate(ETH_A, alice, type(uint256).max, 0, preLiquidator);
        assertEq(repaid, q.maxRepay, "capped at the close factor");
        assertEq(out, repaid * q.incentiveWad / q.priceWad, "collateral = repaid x incentive / price");
        assertEq(weth.balanceOf(preLiquidator), out, "collateral to the recipient");
        assertEq(stableBefore - gusd.balanceOf(preLiquidator), repaid, "gUSD pulled");
        (uint256 c,) = engine.vault(ETH_A, alice);
        assertEq(c, COLLATERAL - out, "vault collateral");
        assertApproxEqAbs(engine.debtOf(ETH_A, alice), DEBT - repaid, 1, "vault debt");
        assertGt(engine.health(ETH_A, alice), q.healthWad, "health rose");
        _assertBooksBalance();
    }

    function test_PreLiquidate_IncentiveRisesTowardTheLine() public {
        _optIn(alice, ETH_A, _defaultParams());
        _crash(ETH_A, _priceForHealth(ETH_A, alice, 1.19e18));
        uint256 nearPre = pre.quote(ETH_A, alice).incentiveWad;
        _crash(ETH_A, _priceForHealth(ETH_A, alice, 1.01e18));
        uint256 nearLine = pre.quote(ETH_A, alice).incentiveWad;
        assertGt(nearLine, nearPre, "rises toward the line");
        assertApproxEqAbs(nearPre, 1.0115e18, 1e15, "near the start value");
        assertApproxEqAbs(nearLine, 1.0385e18, 1e15, "near the end value");
    }

    function test_PreLiquidate_RevertWhen_NotOptedIn() public {
        _crash(ETH_A, 1650e18);
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.NotOptedIn.selector, ETH_A, alice));
        vm.prank(preLiquidator);
        pre.preLiquidate(ETH_A, alice, 1000e18, 0, preLiquidator);
    }

    function test_PreLiquidate_RevertWhen_VaultAbovePreThreshold() public {
        _optIn(alice, ETH_A, _defaultParams());
        uint256 health = engine.health(ETH_A, alice); // 1.333
        vm.expectRevert(
            abi.encodeWithSelector(IPreLiquidation.VaultAbovePreThreshold.selector, ETH_A, alice, health, 1.2e18)
        );
        vm.prank(preLiquidator);
        pre.preLiquidate(ETH_A, alice, 1000e18, 0, preLiquidator);
    }

    function test_PreLiquidate_RevertWhen_VaultLiquidatable() public {
        _optIn(alice, ETH_A, _defaultParams());
        _crash(ETH_A, 1400e18);
        uint256 health = engine.health(ETH_A, alice);
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.VaultLiquidatable.selector, ETH_A, alice, health));
        vm.prank(preLiquidator);
        pre.preLiquidate(ETH_A, alice, 1000e18, 0, preLiquidator);
    }

    function test_PreLiquidate_RevertWhen_CollateralBelowMinimum() public {
        _optIn(alice, ETH_A, _defaultParams());
        _crash(ETH_A, 1650e18);
        vm.prank(preLiquidator);
        vm.expectPartialRevert(IPreLiquidation.CollateralBelowMinimum.selector);
        pre.preLiquidate(ETH_A, alice, 1000e18, 1e18, preLiquidator);
    }

    function test_PreLiquidate_RevertWhen_NothingToClose() public {
        _optIn(alice, ETH_A, _defaultParams());
        _crash(ETH_A, 1650e18);
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.NothingToClose.selector, 0, 0));
        vm.prank(preLiquidator);
        pre.preLiquidate(ETH_A, alice, 0, 0, preLiquidator);
    }

    function test_PreLiquidate_RevertWhen_RemainderBelowDust() public {
        // 150 of debt, close factor 50% at the line: a 75 remainder is below the 100 dust.
        IPreLiquidation.Params memory p = _defaultParams();
        p.closeFactorStartBps = 5000;
        p.closeFactorEndBps = 5000;
        _open(bob, ETH_A, 0.15e18, 150e18);
        _optIn(bob, ETH_A, p);
        _crash(ETH_A, _priceForHealth(ETH_A, bob, 1.1e18));
        vm.prank(preLiquidator);
        vm.expectPartialRevert(IVaultEngine.DebtBelowDust.selector);
        pre.preLiquidate(ETH_A, bob, type(uint256).max, 0, preLiquidator);
    }

    function test_PreLiquidate_IncentiveCappedByPenalty() public {
        _optIn(alice, ETH_A, _defaultParams());
        vm.prank(gov);
        dog.configureIlk(ETH_A, address(house[ETH_A]), 1.02e18, 50_000_000e18, 10_000_000e18);
        _crash(ETH_A, _priceForHealth(ETH_A, alice, 1.01e18));
        assertEq(pre.quote(ETH_A, alice).incentiveWad, 1.02e18, "never above the penalty");
    }

    function test_PreLiquidate_RevertWhen_HealthWouldFall() public {
        // A 100% liquidation ratio: a 4% incentive takes more value than it repays, so the
        // health would fall; the settlement is refused.
        vm.prank(gov);
        engine.setLiquidationRatio(USDC_A, 1e18);
        _setPrice(USDC_A, 1e18);
        _open(bob, USDC_A, 10_500e6, 10_000e18);
        _optIn(bob, USDC_A, _defaultParams());
        _crash(USDC_A, _priceForHealth(USDC_A, bob, 1.01e18));
        vm.prank(preLiquidator);
        vm.expectPartialRevert(IPreLiquidation.HealthWouldFall.selector);
        pre.preLiquidate(USDC_A, bob, 100e18, 0, preLiquidator);
    }

    function test_PreLiquidate_LoweredBoundsApplyToExistingParams() public {
        _optIn(alice, ETH_A, _defaultParams());
        vm.prank(gov);
        pre.setBounds(IPreLiquidation.Bounds(1.1e18, 1.02e18, 1000));
        _crash(ETH_A, _priceForHealth(ETH_A, alice, 1.15e18));
        vm.expectPartialRevert(IPreLiquidation.VaultAbovePreThreshold.selector);
        pre.quote(ETH_A, alice);
        _crash(ETH_A, _priceForHealth(ETH_A, alice, 1.01e18));
        IPreLiquidation.Quote memory q = pre.quote(ETH_A, alice);
        assertLe(q.incentiveWad, 1.02e18, "incentive bound");
        assertLe(q.closeFactorBps, 1000, "close factor bound");
    }

    function test_PreLiquidate_EmitsEvent() public {
        _optIn(alice, ETH_A, _defaultParams());
        _crash(ETH_A, 1650e18);
        IPreLiquidation.Quote memory q = pre.quote(ETH_A, alice);
        uint256 out = q.maxRepay * q.incentiveWad / q.priceWad;
        vm.expectEmit(true, true, true, false, address(pre));
        emit IPreLiquidation.PreLiquidate(ETH_A, alice, preLiquidator, bob, q.maxRepay, out, q.incentiveWad, 0, 0);
        vm.prank(preLiquidator);
        pre.preLiquidate(ETH_A, alice, type(uint256).max, 0, bob);
        assertEq(weth.balanceOf(bob), out);
    }

    /*//////////////////////////////////////////////////////////////
                                 OPT-IN
    //////////////////////////////////////////////////////////////*/

    function test_SetParams_StoresAndEmits() public {
        IPreLiquidation.Params memory p = _defaultParams();
        vm.expectEmit(true, true, false, true, address(pre));
        emit IPreLiquidation.PreLiquidationParamsSet(ETH_A, alice, 1.2e18, 1.01e18, 1.04e18, 1000, 4000);
        _optIn(alice, ETH_A, p);
        assertEq(pre.params(ETH_A, alice).preHealthWad, 1.2e18);
    }

    function test_SetParams_RevertWhen_PreHealthAtOrBelowLine() public {
        IPreLiquidation.Params memory p = _defaultParams();
        p.preHealthWad = 1e18;
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.InvalidParams.selector, 1e18, 1e18 + 1, MAX_PRE_HEALTH));
        _optIn(alice, ETH_A, p);
    }

    function test_SetParams_RevertWhen_IncentiveAboveBound() public {
        IPreLiquidation.Params memory p = _defaultParams();
        p.incentiveEndWad = 1.06e18;
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.InvalidParams.selector, 1.06e18, 1.01e18, MAX_INCENTIVE));
        _optIn(alice, ETH_A, p);
    }

    function test_SetParams_RevertWhen_IncentiveStartAboveEnd() public {
        IPreLiquidation.Params memory p = _defaultParams();
        p.incentiveStartWad = 1.045e18;
        vm.expectPartialRevert(IPreLiquidation.InvalidParams.selector);
        _optIn(alice, ETH_A, p);
    }

    function test_SetParams_RevertWhen_CloseFactorZeroOrAboveBound() public {
        IPreLiquidation.Params memory p = _defaultParams();
        p.closeFactorStartBps = 0;
        vm.expectPartialRevert(IPreLiquidation.InvalidParams.selector);
        _optIn(alice, ETH_A, p);
        p = _defaultParams();
        p.closeFactorEndBps = MAX_CLOSE_BPS + 1;
        vm.expectPartialRevert(IPreLiquidation.InvalidParams.selector);
        _optIn(alice, ETH_A, p);
    }

    function test_OptOut_StopsPreLiquidation() public {
        _optIn(alice, ETH_A, _defaultParams());
        vm.expectEmit(true, true, false, false, address(pre));
        emit IPreLiquidation.PreLiquidationOptedOut(ETH_A, alice);
        vm.prank(alice);
        pre.optOut(ETH_A);
        _crash(ETH_A, 1650e18);
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.NotOptedIn.selector, ETH_A, alice));
        pre.quote(ETH_A, alice);
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    function test_SetBounds_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        pre.setBounds(IPreLiquidation.Bounds(1.1e18, 1.01e18, 100));
    }

    function test_SetBounds_RevertWhen_OutOfRange() public {
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.BoundOutOfRange.selector, 1e18, 1e18 + 1, 2e18));
        pre.setBounds(IPreLiquidation.Bounds(1e18, 1.01e18, 100));
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.BoundOutOfRange.selector, 1.2e18, 1e18, 1.1e18));
        pre.setBounds(IPreLiquidation.Bounds(1.1e18, 1.2e18, 100));
        vm.expectRevert(abi.encodeWithSelector(IPreLiquidation.BoundOutOfRange.selector, 10_001, 1, 10_000));
        pre.setBounds(IPreLiquidation.Bounds(1.1e18, 1.01e18, 10_001));
        vm.stopPrank();
    }

    function test_PreLiquidationClose_RevertWhen_NotPreLiquidator() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(preLiquidator);
        engine.preLiquidationClose(ETH_A, alice, 100e18, 1e18, preLiquidator);
    }

    function test_Constructor_RevertWhen_ZeroAddress() public {
        IPreLiquidation.Bounds memory b = IPreLiquidation.Bounds(1.5e18, 1.05e18, 5000);
        vm.expectRevert(IPreLiquidation.ZeroAddress.selector);
        new PreLiquidation(address(0), engine, dog, b);
    }
}
