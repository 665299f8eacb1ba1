// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "solady/auth/Ownable.sol";
import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {IAuctionTakeCallee} from "../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @dev Receives collateral in a take and records what the callback saw.
contract RecordingCallee is IAuctionTakeCallee {
    address public sender;
    uint256 public owe;
    uint256 public collateralAmount;
    uint256 public balanceDuringCallback;
    address public token;

    constructor(address token_) {
        token = token_;
    }

    function onAuctionTake(address sender_, uint256 owe_, uint256 collateralAmount_, bytes calldata) external {
        sender = sender_;
        owe = owe_;
        collateralAmount = collateralAmount_;
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature("balanceOf(address)", address(this)));
        require(ok, "balanceOf");
        balanceDuringCallback = abi.decode(ret, (uint256));
    }
}

/// @dev Tries to take again from inside the callback.
contract ReentrantCallee is IAuctionTakeCallee {
    CollateralAuction public house;
    uint256 public id;

    constructor(CollateralAuction house_) {
        house = house_;
    }

    function arm(uint256 id_) external {
        id = id_;
    }

    function onAuctionTake(address, uint256, uint256, bytes calldata) external {
        house.take(id, 1, type(uint256).max, address(this), "");
    }
}

contract CollateralAuctionTest is LiquidationBaseTest {
    CollateralAuction internal h;
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        h = house[WBTC_A];
        // The bidder's stablecoin comes from an ETH vault; then WBTC crashes and alice is liquidated.
        _fundStable(bidder, 100_000e18, address(h));
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
        id = dog.liquidate(WBTC_A, alice, keeper);
    }

    /*//////////////////////////////////////////////////////////////
                                  take
    //////////////////////////////////////////////////////////////*/

    function test_Take_PriceStartsAtTopAndDecays() public {
        (, uint256 p0,,) = h.getStatus(id);
        assertEq(p0, 66_000e18);
        vm.warp(block.timestamp + 100);
        (, uint256 p1,,) = h.getStatus(id);
        assertLt(p1, p0);
        assertApproxEqRel(p1, 66_000e18 * 999_000 / 1_000_000, 0.0001e18, "about -0.1% per 100 s");
    }

    function test_Take_WholeLotWhenTabCoversIt() public {
        // The market fell further: restart the auction at a top below tab / lot.
        vm.warp(block.timestamp + TAIL + 1);
        mark[WBTC_A].set(30_000e18, true);
        h.redo(id, keeper);
        (, uint256 price,,) = h.getStatus(id);
        assertLt(price, 45_200e18);
        uint256 before = gusd.balanceOf(bidder);

        vm.prank(bidder);
        (uint256 out, uint256 owe) = h.take(id, 1e8, price, bidder, "");

        assertEq(out, 1e8, "whole lot");
        assertEq(owe, (price * 1e10 * 1e8 + WAD - 1) / WAD, "owe = lot x price rounded up");
        assertEq(before - gusd.balanceOf(bidder), owe);
        assertEq(wbtc.balanceOf(bidder), 1e8);
        assertEq(h.count(), 0, "auction closed");
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionFinished.selector, id));
        h.sale(id);
        // The tab left is bad debt; nothing returned to the owner.
        assertEq(wbtc.balanceOf(alice), 0);
    }

    function test_Take_ReturnsLeftoverCollateralToOwnerOnceTabIsRaised() public {
        (, uint256 price,,) = h.getStatus(id); // 66,000: the lot is worth more than the 45,200 tab
        vm.prank(bidder);
        (uint256 out, uint256 owe) = h.take(id, 1e8, price, bidder, "");
        assertEq(owe, 45_200e18, "pays exactly the tab");
        assertEq(out, 45_200e18 * WAD / (price * 1e10), "collateral for the tab, rounded down");
        (uint256 restored,) = engine.vault(WBTC_A, alice);
        assertEq(restored, 1e8 - out, "the rest goes back into the owner's vault");
        assertEq(h.pendingRevenue(), 5200e18, "penalty booked as revenue");
        assertEq(h.count(), 0);
    }

    function test_Take_PartialKeepsAuctionLive() public {
        (, uint256 price,,) = h.getStatus(id);
        vm.prank(bidder);
        (uint256 out, uint256 owe) = h.take(id, 0.25e8, price, bidder, "");
        assertEq(out, 0.25e8);
        ICollateralAuction.Sale memory s = h.sale(id);
        assertEq(s.lot, 0.75e8);
        assertEq(s.tab, 45_200e18 - owe);
        assertEq(h.debtInAuctions(), s.tab);
    }

    function test_Take_PartialCannotLeaveLessThanMinTab() public {
        // Buy all but ~50 of the tab: the take is cut to leave exactly minTab (113).
        (, uint256 price,,) = h.getStatus(id);
        uint256 amount = (45_200e18 - 50e18) * WAD / (price * 1e10);
        vm.prank(bidder);
        (, uint256 owe) = h.take(id, amount, price, bidder, "");
        assertEq(owe, 45_200e18 - 113e18);
        assertEq(h.sale(id).tab, 113e18);
    }

    function test_Take_RevertWhen_PartialAndTabAtMinimum() public {
        test_Take_PartialCannotLeaveLessThanMinTab();
        (, uint256 price,,) = h.getStatus(id);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.PartialTakeBelowMinimum.selector, 113e18, 113e18));
        h.take(id, 1000, price, bidder, "");
    }

    function test_Take_RevertWhen_PriceAboveMax() public {
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.PriceAboveMax.selector, 66_000e18, 65_000e18));
        h.take(id, 1e8, 65_000e18, bidder, "");
    }

    function test_Take_RevertWhen_ZeroAmount() public {
        vm.prank(bidder);
        vm.expectRevert(ICollateralAuction.ZeroAmount.selector);
        h.take(id, 0, type(uint256).max, bidder, "");
    }

    function test_Take_RevertWhen_AuctionNotActive() public {
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionNotActive.selector, id + 1));
        h.take(id + 1, 1, type(uint256).max, bidder, "");
    }

    function test_Take_RevertWhen_NeedsRedo() public {
        vm.warp(block.timestamp + TAIL + 1);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionNeedsRedo.selector, id));
        h.take(id, 1e8, type(uint256).max, bidder, "");
    }

    function test_Take_RevertWhen_BreakerAtLevelThree() public {
        vm.prank(gov);
        h.setBreakerLevel(3);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.BreakerLevelTooHigh.selector, 3, 2));
        h.take(id, 1e8, type(uint256).max, bidder, "");
    }

    function test_Take_RevertWhen_StaleIdAfterSlotReuse() public {
        (, uint256 price,,) = h.getStatus(id);
        vm.prank(bidder);
        h.take(id, 1e8, price, bidder, "");
        // A new auction reuses slot 0 with a new nonce: the old id stays dead.
        _unsafeVault(bob, WBTC_A, 1e8, 37_000e18, 50_000e18);
        uint256 id2 = dog.liquidate(WBTC_A, bob, keeper);
        assertEq(id2 & type(uint32).max, id & type(uint32).max, "same slot");
        assertTrue(id2 != id, "new id");
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionNotActive.selector, id));
        h.take(id, 1e8, type(uint256).max, bidder, "");
    }

    function test_Take_CallsBackAfterSendingCollateralAndBeforePulling() public {
        RecordingCallee callee = new RecordingCallee(address(wbtc));
        (, uint256 price,,) = h.getStatus(id);
        vm.prank(bidder);
        (uint256 out, uint256 owe) = h.take(id, 0.5e8, price, address(callee), hex"01");
        assertEq(callee.sender(), bidder);
        assertEq(callee.owe(), owe);
        assertEq(callee.collateralAmount(), out);
        assertEq(callee.balanceDuringCallback(), out, "collateral arrived before the callback");
    }

    function test_Take_RevertWhen_CalleeReenters() public {
        ReentrantCallee callee = new ReentrantCallee(h);
        callee.arm(id);
        vm.prank(bidder);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralAuction.TakeCallbackFailed.selector,
                address(callee),
                abi.encodeWithSelector(ReentrancyGuardTransient.Reentrancy.selector)
            )
        );
        h.take(id, 0.5e8, type(uint256).max, address(callee), hex"01");
    }

    function test_Take_RevertWhen_ReceiverIsAuction() public {
        vm.prank(bidder);
        vm.expectRevert(ICollateralAuction.ReceiverIsAuction.selector);
        h.take(id, 1e8, type(uint256).max, address(h), "");
    }

    function test_Quote_MatchesTake() public {
        vm.warp(block.timestamp + 777);
        (uint256 qOut, uint256 qOwe, uint256 qPrice) = h.quote(id, 0.3e8);
        vm.prank(bidder);
        (uint256 out, uint256 owe) = h.take(id, 0.3e8, qPrice, bidder, "");
        assertEq(out, qOut);
        assertEq(owe, qOwe);
    }

    /*//////////////////////////////////////////////////////////////
                                  redo
    //////////////////////////////////////////////////////////////*/

    function test_Redo_RestartsAtFreshTopAndPaysIncentive() public {
        vm.warp(block.timestamp + TAIL + 1);
        mark[WBTC_A].set(50_000e18, true);
        uint256 before = gusd.balanceOf(keeper);
        vm.prank(keeper);
        uint256 incentive = h.redo(id, keeper);
        assertEq(incentive, 5e18 + 45.2e18, "tip + chip x tab");
        assertEq(gusd.balanceOf(keeper) - before, incentive);
        ICollateralAuction.Sale memory s = h.sale(id);
        assertEq(s.top, 60_000e18);
        assertEq(s.startedAt, block.timestamp);
        _assertBooksBalance();
    }

    function test_Redo_WhenPriceBelowFloor() public {
        // 0.99999^t < 0.4 after about 91,600 s, but the tail (6 h) comes first; use a steep tier.
        vm.warp(block.timestamp + TAIL + 1);
        (bool needsRedo,,,) = h.getStatus(id);
        assertTrue(needsRedo);
        h.redo(id, keeper);
        (needsRedo,,,) = h.getStatus(id);
        assertFalse(needsRedo);
    }

    function test_Redo_RevertWhen_NotNeeded() public {
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionDoesNotNeedRedo.selector, id));
        h.redo(id, keeper);
    }

    function test_Redo_RevertWhen_BreakerAtLevelTwo() public {
        vm.warp(block.timestamp + TAIL + 1);
        vm.prank(gov);
        h.setBreakerLevel(2);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.BreakerLevelTooHigh.selector, 2, 1));
        h.redo(id, keeper);
    }

    function test_Redo_RevertWhen_NoMarkPrice() public {
        vm.warp(block.timestamp + TAIL + 1);
        mark[WBTC_A].set(50_000e18, false);
        vm.expectRevert(ICollateralAuction.NoMarkPrice.selector);
        h.redo(id, keeper);
    }

    /*//////////////////////////////////////////////////////////////
                              kick / yank
    //////////////////////////////////////////////////////////////*/

    function test_Kick_RevertWhen_NotLiquidationEngine() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        h.kick(1e18, 0, 1, alice, keeper, 0);
    }

    function test_Kick_RevertWhen_BreakerAtLevelOne() public {
        vm.prank(gov);
        h.setBreakerLevel(1);
        _unsafeVault(bob, WBTC_A, 1e8, 37_000e18, 50_000e18);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.BreakerLevelTooHigh.selector, 1, 0));
        dog.liquidate(WBTC_A, bob, keeper);
    }

    function test_Yank_SendsCollateralAndClosesAuction() public {
        vm.prank(gov);
        h.yank(id, address(fund));
        assertEq(wbtc.balanceOf(address(fund)), 1e8);
        assertEq(h.count(), 0);
        assertEq(h.debtInAuctions(), 0);
    }

    function test_Yank_RevertWhen_NotGovernance() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        h.yank(id, alice);
    }

    /*//////////////////////////////////////////////////////////////
                                 settle
    //////////////////////////////////////////////////////////////*/

    function test_Settle_HealsDebtAndPaysRevenueToFund() public {
        (, uint256 price,,) = h.getStatus(id);
        vm.prank(bidder);
        h.take(id, 1e8, price, bidder, "");
        uint256 badBefore = engine.badDebtRad();
        (uint256 healed, uint256 revenue) = h.settle();
        // One wei stays in the house so its balance never returns to zero.
        assertEq(healed, 40_000e18 - 1);
        assertEq(revenue, 5200e18);
        assertEq(badBefore - engine.badDebtRad(), (40_000e18 - 1) * RAY);
        assertEq(gusd.balanceOf(address(fund)), 5200e18);
        assertEq(gusd.balanceOf(address(h)), 1);
        _assertBooksBalance();
    }

    /*//////////////////////////////////////////////////////////////
                               governance
    //////////////////////////////////////////////////////////////*/

    function test_AddTier_RevertWhen_FloorAtOrAboveOne() public {
        ICollateralAuction.Tier memory t = _defaultTier();
        t.floorWad = 1e18;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidTier.selector, 4, 1e18));
        h.addTier(t);
    }

    function test_AddTier_RevertWhen_CutAboveOne() public {
        ICollateralAuction.Tier memory t = _defaultTier();
        t.cutRay = 1e27 + 1;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidTier.selector, 1, 1e27 + 1));
        h.addTier(t);
    }

    function test_SetTiers_RevertWhen_NotAscending() public {
        uint256[] memory ids = new uint256[](2);
        uint256[] memory maxTabs = new uint256[](2);
        maxTabs[0] = 10e18;
        maxTabs[1] = 10e18;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.TiersNotAscending.selector, 1, 10e18, 10e18));
        h.setTiers(ids, maxTabs);
    }

    function test_SetBreakerLevel_RevertWhen_Invalid() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidBreakerLevel.selector, 4));
        h.setBreakerLevel(4);
    }

    function test_SetRedoIncentive_RevertWhen_ChipTooHigh() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidIncentive.selector, 0.06e18, 0.05e18));
        h.setRedoIncentive(0, 0.06e18);
    }

    function test_List_ReturnsLiveIds() public {
        _unsafeVault(bob, WBTC_A, 1e8, 37_000e18, 50_000e18);
        uint256 id2 = dog.liquidate(WBTC_A, bob, keeper);
        uint256[] memory ids = h.list();
        assertEq(ids.length, 2);
        assertEq(ids[0], id);
        assertEq(ids[1], id2);
    }

    /*//////////////////////////////////////////////////////////////
                                  fuzz
    //////////////////////////////////////////////////////////////*/

    /// @dev Any take at any time: never more than the lot, never more than the tab, never above
    /// maxPrice × amount, and what quote said.
    function testFuzz_Take_BoundsHold(uint256 amount, uint256 wait) public {
        amount = bound(amount, 1, 2e8);
        wait = bound(wait, 0, TAIL);
        vm.warp(block.timestamp + wait);
        ICollateralAuction.Sale memory s = h.sale(id);
        (, uint256 price,,) = h.getStatus(id);
        try h.quote(id, amount) returns (uint256 qOut, uint256 qOwe, uint256) {
            vm.prank(bidder);
            (uint256 out, uint256 owe) = h.take(id, amount, price, bidder, "");
            assertEq(out, qOut);
            assertEq(owe, qOwe);
            assertLe(out, s.lot, "lot");
            assertLe(out, amount, "amount");
            assertLe(owe, s.tab, "tab");
            assertLe(owe, (amount * 1e10 * price + WAD - 1) / WAD, "owe <= maxPrice x amount, rounded up");
            // When the tab caps the take, the bidder pays the tab for the collateral it buys,
            // rounded down: at most one unit of collateral's worth against the bidder.
            assertLe(owe, ((out + 1) * 1e10 * price + WAD - 1) / WAD, "owe <= price x (collateral + 1 unit)");
        } catch (bytes memory reason) {
            vm.prank(bidder);
            vm.expectRevert(reason);
            h.take(id, amount, price, bidder, "");
        }
    }
}
