// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FundBaseTest} from "../utils/FundBaseTest.sol";

/// @notice Fairness to the LP who stays: capital brought in and out around lump revenue takes no more than
/// what vests while it is exposed, and escrowed shares never move. Actors: alice stays, mallory comes and
/// goes, bob and carol trade shares around her escrow.
contract InsuranceFundFairnessFuzzTest is FundBaseTest {
    address internal mallory = makeAddr("mallory");

    function _lump(uint256 amount) internal {
        _open(keeper, ETH_A, amount / 500 + 1e18, amount);
        vm.prank(keeper);
        assertTrue(gusd.transfer(address(fund), amount));
    }

    /// @dev Mallory deposits `attack` just before a lump, escrows everything `held` seconds after it, and
    /// redeems `late` seconds into her window. Returns what she got out.
    function _inAndOut(uint256 attack, uint256 lump, uint256 held, uint256 late) internal returns (uint256 out) {
        uint256 shares = _provide(mallory, attack);
        _lump(lump);
        fund.sync();
        skip(held);
        vm.prank(mallory);
        fund.requestRedeem(shares);
        skip(COOLDOWN + late);
        vm.prank(mallory);
        out = fund.redeem(shares, mallory, mallory);
    }

    /// @notice The LP who stays is never diluted by an in-and-out around revenue: alice ends with at least
    /// what she would have had if mallory had not come, less what mallory's capital earned while exposed,
    /// which is at most mallory's pro-rata part of the revenue vested before she escrowed (a few wei of
    /// rounding, and one share's worth that solady's virtual share holds).
    function testFuzz_InAndOut_GainBoundedByWhatVestsWhileExposed(
        uint256 stay,
        uint256 attack,
        uint256 lump,
        uint256 held,
        uint256 late
    ) public {
        stay = bound(stay, 100e18, 10_000_000e18);
        attack = bound(attack, 100e18, 50_000_000e18);
        lump = bound(lump, 100e18, 1_000_000e18);
        uint256 v = fund.revenueVestingSeconds();
        held = bound(held, 0, 2 * v);
        late = bound(late, 0, WINDOW);
        _provide(alice, stay);

        uint256 out = _inAndOut(attack, lump, held, late);
        uint256 vestedWhileExposed = held >= v ? lump : lump * held / v;
        uint256 fair = vestedWhileExposed * attack / (attack + stay);
        assertLe(out, attack + fair + 2, "mallory's gain is at most her share of what vested while exposed");

        skip(v);
        uint256 aliceWorth = fund.convertToAssets(fund.balanceOf(alice));
        uint256 gain = out > attack ? out - attack : 0;
        // Rounding: 4 wei, plus one share's worth held by solady's virtual share.
        assertGe(aliceWorth + 4 + fund.convertToAssets(1), stay + lump - gain, "alice keeps the rest");
    }

    /// @notice The fastest exit, escrowing at once, captures nothing: alice is never diluted at all.
    function testFuzz_InAndOut_FastestExitCapturesNothing(uint256 stay, uint256 attack, uint256 lump, uint256 late)
        public
    {
        stay = bound(stay, 100e18, 10_000_000e18);
        attack = bound(attack, 100e18, 50_000_000e18);
        lump = bound(lump, 100e18, 1_000_000e18);
        late = bound(late, 0, WINDOW);
        _provide(alice, stay);

        uint256 snap = vm.snapshotState();
        uint256 out = _inAndOut(attack, lump, 0, late);
        skip(fund.revenueVestingSeconds());
        uint256 aliceWith = fund.convertToAssets(fund.balanceOf(alice));
        uint256 end = block.timestamp;
        vm.revertToState(snap);
        _lump(lump);
        fund.sync();
        vm.warp(end);
        uint256 aliceWithout = fund.convertToAssets(fund.balanceOf(alice));

        assertLe(out, attack + 1, "nothing captured");
        assertGe(aliceWith + 2, aliceWithout, "alice is not diluted");
    }

    /// @notice Escrowed shares never move: whatever the other LPs do (transfers, their own requests and
    /// redemptions, revenue, losses), mallory's escrow and the fund's share balance stay as they were.
    function testFuzz_EscrowedSharesNeverMove(uint256 escrow, uint256[8] calldata ops) public {
        uint256 shares = _provide(mallory, 1000e18);
        _provide(bob, 1000e18);
        _provide(carol, 1000e18);
        escrow = bound(escrow, 1, shares);
        vm.prank(mallory);
        fund.requestRedeem(escrow);
        uint256 escrowBefore = fund.redeemRequest(mallory).shares;
        for (uint256 i; i < ops.length; ++i) {
            uint256 op = ops[i] % 5;
            address who = ops[i] % 2 == 0 ? bob : carol;
            address other = who == bob ? carol : bob;
            uint256 bal = fund.balanceOf(who);
            if (op == 0 && bal > 0) {
                vm.prank(who);
                assertTrue(fund.transfer(other, bal / 2 + 1));
            } else if (op == 1 && bal > 0) {
                vm.prank(who);
                fund.requestRedeem(bal / 3 + 1);
            } else if (op == 2) {
                _lump(bound(ops[i], 100e18, 1000e18));
                fund.sync();
            } else if (op == 3) {
                skip(bound(ops[i], 1 hours, 5 days));
                uint256 m = fund.maxRedeem(who);
                if (m > 0) {
                    vm.prank(who);
                    fund.redeem(m, who, who);
                }
            } else {
                // Trying to pull mallory's escrow out from under her.
                vm.prank(who);
                vm.expectRevert();
                // forge-lint: disable-next-line(erc20-unchecked-transfer)
                fund.transferFrom(address(fund), who, 1);
            }
            assertEq(fund.redeemRequest(mallory).shares, escrowBefore, "mallory's escrow unchanged");
            assertEq(fund.balanceOf(address(fund)), fund.totalEscrowedShares(), "fund holds exactly the escrow");
        }
    }
}
