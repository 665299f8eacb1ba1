// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BaseTest} from "../utils/BaseTest.sol";

/// @notice Fuzz the fund's pro-rata accounting: revenue and losses split by shares, to within rounding.
contract InsuranceFundFuzzTest is BaseTest {
    function _provide(address user, uint256 amount) internal {
        _open(user, ETH_A, amount / 500 + 1e18, amount);
        vm.startPrank(user);
        gusd.approve(address(fund), amount);
        fund.deposit(amount, user);
        vm.stopPrank();
    }

    /// @dev Revenue vests for a fuzzed time, then a loss lands: unvested revenue absorbs it first, the rest
    /// comes out of the share price at once, split pro rata.
    function testFuzz_LossSharedProRata(uint256 a, uint256 b, uint256 loss, uint256 revenue, uint256 vested) public {
        a = bound(a, 100e18, 10_000_000e18);
        b = bound(b, 100e18, 10_000_000e18);
        _provide(alice, a);
        _provide(bob, b);

        revenue = bound(revenue, 0, 1_000_000e18);
        if (revenue >= 100e18) {
            _open(keeper, ETH_A, revenue / 500 + 1e18, revenue);
            vm.prank(keeper);
            assertTrue(gusd.transfer(address(fund), revenue));
            fund.sync();
            skip(bound(vested, 0, fund.revenueVestingSeconds() + 1));
        }
        uint256 total = fund.totalAssets();
        uint256 unvested = fund.unvestedRevenue();
        loss = bound(loss, 100e18, total);
        // Bad debt of `loss`, healed by the fund.
        _open(carol, ETH_A, loss / 500 + 1e18, loss);
        (uint256 c, uint256 n) = engine.vault(ETH_A, carol);
        vm.prank(liquidator);
        engine.seize(ETH_A, carol, c, n, auction);
        vm.prank(gov);
        fund.heal(loss);

        uint256 absorbed = unvested < loss ? unvested : loss;
        uint256 remaining = total - (loss - absorbed);
        assertEq(fund.totalAssets(), remaining, "unvested revenue absorbs the loss first, the price the rest");
        uint256 aliceWorth = fund.convertToAssets(fund.balanceOf(alice));
        uint256 bobWorth = fund.convertToAssets(fund.balanceOf(bob));
        // Within 2 wei + 1e-12 relative: solady's virtual share and asset take a sliver.
        uint256 aliceFair = remaining * a / (a + b);
        uint256 bobFair = remaining * b / (a + b);
        assertApproxEqAbs(aliceWorth, aliceFair, 2 + aliceFair / 1e12, "alice pro rata");
        assertApproxEqAbs(bobWorth, bobFair, 2 + bobFair / 1e12, "bob pro rata");
        assertLe(aliceWorth + bobWorth, remaining, "never more than the fund holds");
        _assertBooksBalance();
    }

    function testFuzz_RedeemWindow(uint256 wait) public {
        _provide(alice, 1000e18);
        vm.prank(alice);
        fund.requestRedeem(1000e18);
        wait = bound(wait, 0, COOLDOWN + WINDOW + 10 days);
        skip(wait);
        bool open = wait >= COOLDOWN && wait <= COOLDOWN + WINDOW;
        assertEq(fund.maxRedeem(alice), open ? 1000e18 : 0);
        if (!open) vm.expectRevert();
        vm.prank(alice);
        fund.redeem(1000e18, alice, alice);
    }
}
