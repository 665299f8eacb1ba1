// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "solady/auth/Ownable.sol";

import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @notice Issue 12: every auction house used to hold `LIQUIDATOR` over every collateral type. A house
/// now credits collateral back (`restoreCollateral`) to vaults of its own ilk only
/// (`VaultEngine.setAuctionHouse`), cannot `seize` at all, and mints incentives through
/// `INCENTIVE_MINTER`. The attack: the USDC-A house (buggy, or its owner compromised) credits WETH to a
/// vault it controls, which then withdraws real WETH that belongs to other vaults.
contract AuctionHouseRoleTest is LiquidationBaseTest {
    address internal attacker = makeAddr("attacker");

    function test_RestoreCollateral_RevertWhen_HouseOfAnotherIlk() public {
        // Alice's WETH sits in the engine: the loot.
        _open(alice, ETH_A, 10e18, 5000e18);
        address usdcHouse = address(house[USDC_A]);
        vm.prank(usdcHouse);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAuctionHouse.selector, ETH_A, usdcHouse));
        engine.restoreCollateral(ETH_A, attacker, 10e18, 1);
        (uint256 credited,) = engine.vault(ETH_A, attacker);
        assertEq(credited, 0, "nothing credited to the attacker");
        // And so nothing to withdraw.
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.InsufficientCollateral.selector, 10e18, 0));
        engine.withdraw(ETH_A, 10e18);
    }

    function test_Seize_RevertWhen_CallerIsAuctionHouse() public {
        _open(alice, ETH_A, 10e18, 5000e18);
        // Not even its own ilk: seizing is the liquidation engine's (room, penalty, dust rules).
        vm.prank(address(house[ETH_A]));
        vm.expectRevert(Ownable.Unauthorized.selector);
        engine.seize(ETH_A, alice, 1e18, 0, address(house[ETH_A]));
    }

    function test_RestoreCollateral_OwnIlk() public {
        address ethHouse = address(house[ETH_A]);
        weth.mint(address(engine), 1e18); // what the house sends before restoring
        vm.prank(ethHouse);
        engine.restoreCollateral(ETH_A, alice, 1e18, 1);
        (uint256 collateral,) = engine.vault(ETH_A, alice);
        assertEq(collateral, 1e18);
    }

    function test_RestoreCollateral_RevertWhen_GlobalLiquidatorRole() public {
        // The global role no longer restores: only a house registered for the ilk does.
        vm.prank(address(dog));
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAuctionHouse.selector, WBTC_A, address(dog)));
        engine.restoreCollateral(WBTC_A, alice, 1, 1);
    }

    function test_MintUnbacked_AuctionHouseMintsIncentives() public {
        vm.prank(address(house[WBTC_A]));
        engine.mintUnbacked(attacker, 5e18);
        assertEq(gusd.balanceOf(attacker), 5e18);
    }

    function test_SetAuctionHouse_EmitsAndRevokes() public {
        address newHouse = makeAddr("newHouse");
        vm.expectEmit(true, true, false, true, address(engine));
        emit IVaultEngine.AuctionHouseSet(ETH_A, newHouse, true);
        vm.prank(gov);
        engine.setAuctionHouse(ETH_A, newHouse, true);
        assertTrue(engine.isAuctionHouse(ETH_A, newHouse));
        assertFalse(engine.isAuctionHouse(WBTC_A, newHouse), "per ilk");

        vm.prank(gov);
        engine.setAuctionHouse(ETH_A, newHouse, false);
        assertFalse(engine.isAuctionHouse(ETH_A, newHouse));
        vm.prank(newHouse);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAuctionHouse.selector, ETH_A, newHouse));
        engine.restoreCollateral(ETH_A, alice, 1, 1);
    }

    function test_SetAuctionHouse_RevertWhen_NotOwner() public {
        vm.prank(attacker);
        vm.expectRevert(Ownable.Unauthorized.selector);
        engine.setAuctionHouse(ETH_A, attacker, true);
    }

    function test_SetAuctionHouse_RevertWhen_UnknownIlk() public {
        bytes32 unknown = keccak256("NOPE");
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, unknown));
        engine.setAuctionHouse(unknown, attacker, true);
    }

    function test_SetAuctionHouse_RevertWhen_ZeroAddress() public {
        vm.prank(gov);
        vm.expectRevert(IVaultEngine.ZeroAddress.selector);
        engine.setAuctionHouse(ETH_A, address(0), true);
    }

    /// @dev Fuzz: no house restores collateral to an ilk other than its own, whatever the amount.
    function testFuzz_RestoreCollateral_RevertWhen_HouseOfAnotherIlk(uint256 from, uint256 to, uint256 amount) public {
        from = bound(from, 0, 2);
        to = bound(to, 0, 2);
        vm.assume(from != to);
        amount = bound(amount, 1, 1e30);
        address h = address(house[allIlks[from]]);
        vm.prank(h);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAuctionHouse.selector, allIlks[to], h));
        engine.restoreCollateral(allIlks[to], attacker, amount, 1);
    }
}
