// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {IAuctionTakeCallee} from "../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @dev A hostile take receiver: during `onAuctionTake` it makes one armed call. `bubble` re-throws
/// a failure (so the take reverts with it); otherwise the outcome is recorded and the take goes on.
contract HostileCallee is IAuctionTakeCallee {
    address public target;
    bytes public payload;
    bool public bubble;
    bool public attempted;
    bool public succeeded;
    bytes public returned;

    function arm(address target_, bytes calldata payload_, bool bubble_) external {
        target = target_;
        payload = payload_;
        bubble = bubble_;
    }

    function onAuctionTake(address, uint256, uint256, bytes calldata) external {
        attempted = true;
        (bool ok, bytes memory ret) = target.call(payload);
        if (!ok && bubble) {
            assembly {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        succeeded = ok;
        returned = ret;
    }
}

/// @notice Reentrancy through the take callback against the real house: every state-changing entry
/// point of the house (redo, yank, settle, takeover, take, takeFor via liquidateAndTake) is locked
/// during the callback; paths outside the house (a liquidation kicking a new auction) are harmless.
contract CollateralAuctionReentrancyTest is LiquidationBaseTest {
    CollateralAuction internal h;
    HostileCallee internal callee;
    /// @dev Kicked first and aged past its tail: it needs a redo while `id` is being taken.
    uint256 internal staleId;
    /// @dev The auction taken (with the hostile callee as receiver).
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        h = house[WBTC_A];
        callee = new HostileCallee();
        _fundStable(bidder, 200_000e18, address(h));
        // carol's auction starts first, then ages to just before its tail.
        _unsafeVault(carol, WBTC_A, 1e8, 40_000e18, 55_000e18);
        staleId = dog.liquidate(WBTC_A, carol, keeper);
        vm.warp(block.timestamp + TAIL - 100);
        _crash(WBTC_A, 60_000e18); // back up so alice can open at the same terms
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
        id = dog.liquidate(WBTC_A, alice, keeper);
        vm.warp(block.timestamp + 200); // staleId is past its tail; id is 200 s old
        (bool staleNeedsRedo,,,) = h.getStatus(staleId);
        (bool idNeedsRedo,,,) = h.getStatus(id);
        assertTrue(staleNeedsRedo, "setup: stale auction needs a redo");
        assertFalse(idNeedsRedo, "setup: taken auction is live");
    }

    /// @dev Takes half of `id` with the armed callee as receiver; the failure bubbles.
    function _takeExpectingLock() internal {
        ICollateralAuction.Sale memory before = h.sale(id);
        ICollateralAuction.Sale memory staleBefore = h.sale(staleId);
        uint256 houseBal = wbtc.balanceOf(address(h));
        uint256 bidderBal = gusd.balanceOf(bidder);
        uint256 debt = h.debtInAuctions();

        vm.prank(bidder);
        // The callee's revert comes back wrapped in the house's own error, with the lock's inside.
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralAuction.TakeCallbackFailed.selector,
                address(callee),
                abi.encodeWithSelector(ReentrancyGuardTransient.Reentrancy.selector)
            )
        );
        h.take(id, 0.5e8, type(uint256).max, address(callee), hex"01");

        // Nothing moved.
        ICollateralAuction.Sale memory after_ = h.sale(id);
        assertEq(after_.lot, before.lot, "lot");
        assertEq(after_.tab, before.tab, "tab");
        ICollateralAuction.Sale memory staleAfter = h.sale(staleId);
        assertEq(staleAfter.top, staleBefore.top, "stale top");
        assertEq(staleAfter.startedAt, staleBefore.startedAt, "stale start");
        assertEq(wbtc.balanceOf(address(h)), houseBal, "house collateral");
        assertEq(wbtc.balanceOf(address(callee)), 0, "callee collateral");
        assertEq(gusd.balanceOf(bidder), bidderBal, "bidder stablecoin");
        assertEq(h.debtInAuctions(), debt, "house debt");
        assertEq(h.count(), 2, "both auctions live");
        _assertBooksBalance();
    }

    function test_Callback_Redo_RevertsWithLock() public {
        callee.arm(address(h), abi.encodeCall(h.redo, (staleId, address(callee))), true);
        _takeExpectingLock();
        // Outside a take the same redo works: the lock, not the auction state, stopped it.
        h.redo(staleId, keeper);
    }

    function test_Callback_RedoOfTheTakenAuction_RevertsWithLock() public {
        callee.arm(address(h), abi.encodeCall(h.redo, (id, address(callee))), true);
        _takeExpectingLock();
    }

    function test_Callback_Settle_RevertsWithLock() public {
        // Proceeds in the house first, so settle would have something to move.
        (, uint256 price,,) = h.getStatus(id);
        vm.prank(bidder);
        h.take(id, 0.1e8, price, bidder, "");
        callee.arm(address(h), abi.encodeCall(h.settle, ()), true);
        _takeExpectingLock();
        h.settle();
        _assertBooksBalance();
    }

    function test_Callback_Yank_RevertsWithLock_EvenForOwner() public {
        // Hand the house to the callee: the owner check passes, the lock must still stop the yank.
        vm.prank(gov);
        h.transferOwnership(address(callee));
        callee.arm(address(h), abi.encodeCall(h.yank, (staleId, address(callee))), true);
        _takeExpectingLock();
    }

    function test_Callback_Takeover_RevertsWithLock() public {
        callee.arm(address(h), abi.encodeCall(h.takeover, (staleId, address(callee))), true);
        _takeExpectingLock();
    }

    function test_Callback_TakeOtherAuction_RevertsWithLock() public {
        callee.arm(address(h), abi.encodeCall(h.take, (staleId, 1e6, type(uint256).max, address(callee), "")), true);
        _takeExpectingLock();
    }

    function test_Callback_LiquidateAndTake_RevertsWithLock() public {
        // A fresh unsafe vault: the engine's takeFor re-enters the locked house.
        _unsafeVault(bob, WBTC_A, 1e8, 37_000e18, 50_000e18);
        callee.arm(
            address(dog),
            abi.encodeCall(dog.liquidateAndTake, (WBTC_A, bob, type(uint256).max, address(callee), bytes(""))),
            true
        );
        _takeExpectingLock();
        (, uint256 art) = engine.vault(WBTC_A, bob);
        assertGt(art, 0, "bob not liquidated");
    }

    /// @dev All the locked paths, swallowed: the take completes and none of them did anything.
    function test_Callback_SwallowedLockedCalls_TakeCompletesUnchanged() public {
        bytes[4] memory payloads = [
            abi.encodeCall(h.redo, (staleId, address(callee))),
            abi.encodeCall(h.settle, ()),
            abi.encodeCall(h.takeover, (staleId, address(callee))),
            abi.encodeCall(h.take, (staleId, 1e6, type(uint256).max, address(callee), ""))
        ];
        for (uint256 i; i < payloads.length; ++i) {
            uint256 snap = vm.snapshotState();
            callee.arm(address(h), payloads[i], false);
            ICollateralAuction.Sale memory staleBefore = h.sale(staleId);
            (, uint256 price,,) = h.getStatus(id);
            vm.prank(bidder);
            (uint256 out, uint256 owe) = h.take(id, 0.5e8, price, address(callee), hex"01");
            assertTrue(callee.attempted(), "callback ran");
            assertFalse(callee.succeeded(), "reentrant call failed");
            assertEq(
                keccak256(callee.returned()),
                keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.Reentrancy.selector)),
                "failed on the lock"
            );
            assertEq(out, 0.5e8, "take went through");
            assertEq(wbtc.balanceOf(address(callee)), out, "callee got the collateral");
            assertEq(h.sale(id).tab, 45_200e18 - owe, "tab");
            ICollateralAuction.Sale memory staleAfter = h.sale(staleId);
            assertEq(staleAfter.top, staleBefore.top, "stale auction untouched");
            assertEq(staleAfter.startedAt, staleBefore.startedAt, "stale auction untouched");
            assertEq(staleAfter.lot, staleBefore.lot, "stale auction untouched");
            assertEq(h.pendingRevenue(), 0, "no settle");
            _assertBooksBalance();
            vm.revertToState(snap);
        }
    }

    /// @dev Not the house: a liquidation from inside the callback kicks a new auction (kick is the
    /// engine's, and the taken auction's effects are already booked). Harmless: both auctions and
    /// the house's books are right afterwards.
    function test_Callback_LiquidateKicksNewAuction_Harmless() public {
        _unsafeVault(bob, WBTC_A, 1e8, 37_000e18, 50_000e18);
        callee.arm(address(dog), abi.encodeCall(dog.liquidate, (WBTC_A, bob, address(callee))), true);
        (, uint256 price,,) = h.getStatus(id);
        // Take the whole of `id`: it closes (slot freed) before the callback, which then reuses the slot.
        vm.prank(bidder);
        (uint256 out, uint256 owe) = h.take(id, 1e8, price, address(callee), hex"01");
        assertTrue(callee.succeeded(), "liquidation inside the callback went through");
        assertEq(owe, 45_200e18, "tab raised");
        assertEq(h.count(), 2, "stale + bob's new auction");
        uint256[] memory ids = h.list();
        uint256 tabs;
        uint256 lots;
        for (uint256 i; i < ids.length; ++i) {
            assertTrue(ids[i] != id, "the taken auction is closed");
            tabs += h.sale(ids[i]).tab;
            lots += h.sale(ids[i]).lot;
        }
        assertEq(h.debtInAuctions(), tabs, "house debt == live tabs");
        assertEq(wbtc.balanceOf(address(h)), lots, "house holds exactly the live lots");
        (uint256 aliceCollateral,) = engine.vault(WBTC_A, alice);
        assertEq(aliceCollateral, 1e8 - out, "alice got her leftover");
        _assertBooksBalance();
    }
}
