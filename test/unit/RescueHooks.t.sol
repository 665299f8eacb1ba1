// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "solady/auth/Ownable.sol";

import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {CollateralTopUpHook} from "../../contracts/src/periphery/CollateralTopUpHook.sol";
import {ProtectionBaseTest} from "../utils/ProtectionBaseTest.sol";
import {
    GarbageHook,
    GasBurningHook,
    HealthLoweringHook,
    ReenteringHook,
    RevertingHook
} from "../utils/protection/Hooks.sol";

// Tests cast bounded values and literals freely.
// forge-lint: disable-start(unsafe-typecast)
/// @notice Rescue hooks: registration from the allow-list, the real top-up hook, and every way a
/// hook could try to block a liquidation or harm a vault (revert, burn gas, re-enter, return
/// garbage, lower the health, be de-listed, starve it of gas).
contract RescueHooksTest is ProtectionBaseTest {
    uint256 internal constant COLLATERAL = 10e18;
    uint256 internal constant DEBT = 10_000e18;
    /// @dev Health ≈ 0.933 at 1,400 (liquidation price 1,500).
    uint256 internal constant CRASH_PRICE = 1400e18;

    function setUp() public override {
        super.setUp();
        _open(alice, ETH_A, COLLATERAL, DEBT);
    }

    function _register(address hook) internal {
        vm.prank(gov);
        dog.setRescueHookAllowed(hook, true);
        vm.prank(alice);
        dog.setRescueHook(ETH_A, hook);
    }

    /// @dev Alice keeps 5 ETH in her wallet for the top-up hook, up to health 1.25.
    function _reserve(uint128 maxAmount) internal {
        _deal(ETH_A, alice, 5e18);
        vm.startPrank(alice);
        weth.approve(address(topUp), type(uint256).max);
        topUp.setReserve(ETH_A, maxAmount, 1.25e18);
        dog.setRescueHook(ETH_A, address(topUp));
        vm.stopPrank();
    }

    function _assertLiquidated() internal view {
        (uint256 c, uint256 art) = engine.vault(ETH_A, alice);
        assertEq(c + art, 0, "liquidated whole");
    }

    /*//////////////////////////////////////////////////////////////
                              REGISTRATION
    //////////////////////////////////////////////////////////////*/

    function test_SetRescueHook_RevertWhen_NotAllowed() public {
        RevertingHook h = new RevertingHook();
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.RescueHookNotAllowed.selector, address(h)));
        vm.prank(alice);
        dog.setRescueHook(ETH_A, address(h));
    }

    function test_SetRescueHook_RevertWhen_IlkNotConfigured() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.IlkNotConfigured.selector, bytes32("NOPE")));
        vm.prank(alice);
        dog.setRescueHook("NOPE", address(topUp));
    }

    function test_SetRescueHook_CountsHookedVaults() public {
        vm.expectEmit(true, true, false, true, address(dog));
        emit ILiquidationEngine.RescueHookSet(ETH_A, alice, address(topUp));
        vm.prank(alice);
        dog.setRescueHook(ETH_A, address(topUp));
        vm.prank(alice);
        dog.setRescueHook(ETH_A, address(topUp));
        vm.prank(bob);
        dog.setRescueHook(ETH_A, address(topUp));
        assertEq(dog.ilkConfig(ETH_A).hookedVaults, 2, "two vaults");
        vm.prank(alice);
        dog.setRescueHook(ETH_A, address(0));
        assertEq(dog.ilkConfig(ETH_A).hookedVaults, 1, "one left");
        assertEq(dog.rescueHook(ETH_A, alice), address(0));
        assertEq(dog.rescueHook(ETH_A, bob), address(topUp));
    }

    function test_SetRescueHookAllowed_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        dog.setRescueHookAllowed(address(1), true);
    }

    function test_RunRescueHook_RevertWhen_NotSelf() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.NotSelf.selector, keeper));
        vm.prank(keeper);
        dog.runRescueHook(ETH_A, alice, address(topUp), 0);
    }

    /*//////////////////////////////////////////////////////////////
                             THE TOP-UP HOOK
    //////////////////////////////////////////////////////////////*/

    function test_Liquidate_TopUpRescuesVault() public {
        _reserve(5e18);
        _crash(ETH_A, CRASH_PRICE);
        uint256 healthBefore = engine.health(ETH_A, alice);
        vm.expectEmit(true, true, true, false, address(dog));
        emit ILiquidationEngine.Rescued(ETH_A, alice, address(topUp));
        vm.prank(keeper);
        uint256 id = dog.liquidate(ETH_A, alice, keeper);
        assertEq(id, 0, "no auction");
        assertTrue(engine.isSafe(ETH_A, alice), "safe");
        assertApproxEqAbs(engine.health(ETH_A, alice), 1.25e18, 1e12, "topped up to the target");
        assertGt(engine.health(ETH_A, alice), healthBefore);
        assertEq(gusd.balanceOf(keeper), 0, "a rescue pays no incentive");
        assertEq(topUp.reserve(ETH_A, alice).maxAmount, 5e18 - (5e18 - weth.balanceOf(alice)), "reserve spent");
        _assertBooksBalance();
    }

    function test_Liquidate_ProceedsWhenReserveTooSmall() public {
        _reserve(0.1e18);
        _crash(ETH_A, CRASH_PRICE);
        vm.prank(keeper);
        uint256 id = dog.liquidate(ETH_A, alice, keeper);
        assertGt(id, 0, "liquidated after a partial top-up");
        assertEq(weth.balanceOf(alice), 4.9e18, "the top-up went in and was liquidated with the vault");
        _assertLiquidated();
    }

    function test_Liquidate_HookNotCalledOnSafeVault() public {
        _reserve(5e18);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.VaultIsSafe.selector, ETH_A, alice));
        vm.prank(keeper);
        dog.liquidate(ETH_A, alice, keeper);
        assertEq(weth.balanceOf(alice), 5e18, "reserve untouched");
    }

    function test_Rescue_RevertWhen_NotLiquidationEngine() public {
        _reserve(5e18);
        _crash(ETH_A, CRASH_PRICE);
        vm.expectRevert(abi.encodeWithSelector(CollateralTopUpHook.NotLiquidationEngine.selector, keeper));
        vm.prank(keeper);
        topUp.rescue(ETH_A, alice);
    }

    function test_SetReserve_RevertWhen_TargetOutOfRange() public {
        vm.expectRevert(
            abi.encodeWithSelector(CollateralTopUpHook.TargetHealthOutOfRange.selector, 1e18, 1.01e18, 5e18)
        );
        vm.prank(alice);
        topUp.setReserve(ETH_A, 1e18, 1e18);
    }

    function test_LiquidateMany_RescuedVaultGetsIdZero() public {
        _reserve(5e18);
        _open(bob, ETH_A, COLLATERAL, DEBT);
        _crash(ETH_A, CRASH_PRICE);
        address[] memory owners = new address[](2);
        (owners[0], owners[1]) = (alice, bob);
        uint256[] memory ids = dog.liquidateMany(ETH_A, owners, keeper);
        assertEq(ids[0], 0, "alice rescued");
        assertGt(ids[1], 0, "bob liquidated");
        assertTrue(engine.isSafe(ETH_A, alice));
    }

    function test_LiquidateAndTake_RescuedVaultReturnsZero() public {
        _reserve(5e18);
        _crash(ETH_A, CRASH_PRICE);
        vm.prank(bidder);
        (uint256 id, uint256 out, uint256 owe) = dog.liquidateAndTake(ETH_A, alice, type(uint256).max, bidder, "");
        assertEq(id + out + owe, 0, "nothing bought");
        assertTrue(engine.isSafe(ETH_A, alice), "rescue kept");
    }

    /*//////////////////////////////////////////////////////////////
                             HOSTILE HOOKS
    //////////////////////////////////////////////////////////////*/

    function test_Liquidate_ProceedsWhen_HookReverts() public {
        RevertingHook h = new RevertingHook();
        _register(address(h));
        _crash(ETH_A, CRASH_PRICE);
        uint256 healthBefore = engine.health(ETH_A, alice);
        vm.expectEmit(true, true, true, true, address(dog));
        emit ILiquidationEngine.RescueAttempted(ETH_A, alice, address(h), false, healthBefore, healthBefore);
        assertGt(dog.liquidate(ETH_A, alice, keeper), 0);
        _assertLiquidated();
    }

    function test_Liquidate_ProceedsWhen_HookBurnsAllGas() public {
        GasBurningHook h = new GasBurningHook();
        _register(address(h));
        _crash(ETH_A, CRASH_PRICE);
        uint256 g = gasleft();
        assertGt(dog.liquidate{gas: 1_000_000}(ETH_A, alice, keeper), 0);
        assertLt(g - gasleft(), 1_000_000, "bounded: the hook got its budget only");
        _assertLiquidated();
    }

    function test_Liquidate_RevertWhen_GasTooLowForHook() public {
        // A keeper cannot starve the hook (so it fails) and liquidate anyway.
        GasBurningHook h = new GasBurningHook();
        _register(address(h));
        _crash(ETH_A, CRASH_PRICE);
        vm.expectPartialRevert(ILiquidationEngine.InsufficientGasForRescue.selector);
        dog.liquidate{gas: 300_000}(ETH_A, alice, keeper);
    }

    function test_Liquidate_ProceedsWhen_HookReenters() public {
        ReenteringHook h = new ReenteringHook(dog);
        _register(address(h));
        _crash(ETH_A, CRASH_PRICE);
        assertGt(dog.liquidate(ETH_A, alice, keeper), 0);
        assertFalse(h.reentered(), "re-entry refused");
        assertEq(
            h.reentryError(),
            abi.encodeWithSelector(ILiquidationEngine.RescueInProgress.selector),
            "refused by the lock"
        );
        _assertLiquidated();
        assertEq(gusd.balanceOf(address(h)), 0, "the hook earned nothing");
    }

    function test_Liquidate_ProceedsWhen_HookReturnsGarbage() public {
        GarbageHook h = new GarbageHook();
        _register(address(h));
        _crash(ETH_A, CRASH_PRICE);
        uint256 g = gasleft();
        assertGt(dog.liquidate(ETH_A, alice, keeper), 0);
        assertLt(g - gasleft(), 700_000, "no return data copied");
        _assertLiquidated();
    }

    function test_Liquidate_RollsBackHookThatLowersHealth() public {
        HealthLoweringHook h = new HealthLoweringHook(engine);
        uint256 spotterRole = engine.SPOTTER();
        vm.prank(gov);
        engine.grantRoles(address(h), spotterRole);
        _register(address(h));
        _crash(ETH_A, CRASH_PRICE);
        uint256 spot = engine.ilks(ETH_A).spot;
        uint256 healthBefore = engine.health(ETH_A, alice);
        vm.expectEmit(true, true, true, true, address(dog));
        emit ILiquidationEngine.RescueAttempted(ETH_A, alice, address(h), false, healthBefore, healthBefore);
        dog.liquidate(ETH_A, alice, keeper);
        assertEq(engine.ilks(ETH_A).spot, spot, "the hook's harm was rolled back");
    }

    function test_Liquidate_SkipsDelistedHook() public {
        _reserve(5e18);
        vm.prank(gov);
        dog.setRescueHookAllowed(address(topUp), false);
        _crash(ETH_A, CRASH_PRICE);
        vm.recordLogs();
        assertGt(dog.liquidate(ETH_A, alice, keeper), 0, "liquidated");
        assertEq(weth.balanceOf(alice), 5e18, "de-listed hook not called");
        _assertLiquidated();
    }
}
// forge-lint: disable-end(unsafe-typecast)
