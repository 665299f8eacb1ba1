// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @dev A vault owner whose contract refuses everything sent to it.
contract HostileOwner {
    fallback() external payable {
        revert("no");
    }
}

/// @notice Tests named in docs/threat-model.md that have no better home.
contract ThreatsTest is LiquidationBaseTest {
    /// @dev Self-liquidation for the incentive: the incentive is capped at the penalty part of the
    /// tab, so the owner (who loses the penalty) can never come out ahead, whatever governance sets.
    function testFuzz_Threat_SelfLiquidationNeverPays(uint256 debt, uint256 tip, uint256 chipBps) public {
        debt = bound(debt, 100e18, 1_000_000e18);
        tip = bound(tip, 0, 10_000e18);
        chipBps = bound(chipBps, 0, 500);
        vm.prank(gov);
        dog.setIncentives(tip, chipBps * 1e14);
        // Just safe at 60,000 (a few satoshi of margin over the rounded-down requirement).
        uint256 collateral = debt * 145 / 100 * 1e8 / 60_000e18 + 10;
        _open(alice, WBTC_A, collateral, debt);
        _crash(WBTC_A, 40_000e18);
        uint256 before = gusd.balanceOf(alice);
        vm.prank(alice);
        uint256 id = dog.liquidate(WBTC_A, alice, alice);
        uint256 incentive = gusd.balanceOf(alice) - before;
        uint256 tab = house[WBTC_A].sale(id).tab;
        uint256 penaltyPart = house[WBTC_A].sale(id).penalty;
        assertLe(incentive, penaltyPart, "incentive never exceeds the penalty the owner pays");
        assertGt(tab, 0);
    }

    /// @dev Blocking a liquidation by making it revert: nothing in a liquidation calls the owner.
    function test_Threat_HostileOwnerCannotBlockLiquidation() public {
        HostileOwner owner = new HostileOwner();
        _open(address(owner), WBTC_A, 1e8, 40_000e18);
        _crash(WBTC_A, 55_000e18);
        uint256 id = dog.liquidate(WBTC_A, address(owner), keeper);
        assertEq(house[WBTC_A].sale(id).lot, 1e8);
    }

    /// @dev Blocking an auction's end: leftover collateral goes back into the owner's vault in the
    /// engine, never to the owner's address, so a hostile (or token-blacklisted) owner cannot make
    /// the final take revert.
    function test_Threat_HostileOwnerCannotBlockAuctionEnd() public {
        HostileOwner owner = new HostileOwner();
        _open(address(owner), WBTC_A, 1e8, 40_000e18);
        _crash(WBTC_A, 55_000e18);
        uint256 id = dog.liquidate(WBTC_A, address(owner), keeper);
        _fundStable(bidder, 60_000e18, address(house[WBTC_A]));
        vm.prank(bidder);
        (uint256 out,) = house[WBTC_A].take(id, 1e8, type(uint256).max, bidder, "");
        (uint256 restored,) = engine.vault(WBTC_A, address(owner));
        assertEq(restored, 1e8 - out, "leftover restored to the vault");
        assertEq(house[WBTC_A].count(), 0);
    }

    /// @dev An empty insurance fund cannot block a liquidation: the incentive is minted.
    function test_Threat_EmptyFundCannotBlockLiquidation() public {
        assertEq(gusd.balanceOf(address(fund)), 0);
        _open(alice, WBTC_A, 1e8, 40_000e18);
        _crash(WBTC_A, 55_000e18);
        dog.liquidate(WBTC_A, alice, keeper);
        assertGt(gusd.balanceOf(keeper), 0);
    }

    /// @dev Dust auctions to grief: redoing an auction whose lot is worth less than the minimum tab
    /// pays nothing, so restarting dust is never a business.
    function test_Threat_RedoOfDustPaysNothing() public {
        _open(alice, WBTC_A, 1e8, 40_000e18);
        _crash(WBTC_A, 55_000e18);
        uint256 id = dog.liquidate(WBTC_A, alice, keeper);
        CollateralAuction h = house[WBTC_A];
        vm.warp(block.timestamp + TAIL + 1);
        mark[WBTC_A].set(100e18, true); // the lot is now worth 100 < minTab (113)
        uint256 before = gusd.balanceOf(keeper);
        uint256 incentive = h.redo(id, keeper);
        assertEq(incentive, 0);
        assertEq(gusd.balanceOf(keeper), before);
    }
}
