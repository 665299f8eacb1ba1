// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ExponentialDecrease} from "../../contracts/src/curves/ExponentialDecrease.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {IMarkPriceSource} from "../../contracts/src/interfaces/IMarkPriceSource.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @notice The Adaptive tier kind: an Exponential curve whose anchor follows the live mark down, no
/// faster than `top / followSeconds` per second. The two attacks of issue 15 come first: an oracle
/// that freezes while the market falls (a purely mark-relative price would never come down) and a
/// fake drop that recovers next block (a purely mark-relative price would sell the lot cheap in it).
contract AdaptiveTierTest is LiquidationBaseTest {
    CollateralAuction internal h;
    ExponentialDecrease internal fixedCurve;

    uint96 internal constant ADAPTIVE_CUT = 0.999e27; // -0.1% per second
    uint32 internal constant FOLLOW_SECONDS = 1800; // anchor falls at most top/1800 per second
    uint32 internal constant ADAPTIVE_TAIL = 3600;
    uint64 internal constant ADAPTIVE_FLOOR = 0.5e18;
    uint16 internal constant PREMIUM_BPS = 11_000;
    uint256 internal constant MARK_AT_KICK = 55_000e18;

    function setUp() public override {
        super.setUp();
        h = house[WBTC_A];
        _fundStable(bidder, 200_000e18, address(h));
        fixedCurve = new ExponentialDecrease(ADAPTIVE_CUT);
        _useTier(_adaptiveTier());
    }

    function _adaptiveTier() internal pure returns (ICollateralAuction.Tier memory) {
        return ICollateralAuction.Tier({
            kind: ICollateralAuction.CurveKind.Adaptive,
            cutRay: ADAPTIVE_CUT,
            periodSeconds: FOLLOW_SECONDS,
            tailSeconds: ADAPTIVE_TAIL,
            floorWad: ADAPTIVE_FLOOR,
            startPremiumBps: PREMIUM_BPS
        });
    }

    function _useTier(ICollateralAuction.Tier memory t) internal {
        vm.startPrank(gov);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory maxTabs = new uint256[](1);
        ids[0] = h.addTier(t);
        maxTabs[0] = type(uint256).max;
        h.setTiers(ids, maxTabs);
        vm.stopPrank();
    }

    /// @dev Alice's 1 WBTC vault with 40,000 debt, liquidated at a mark of 55,000: top = 60,500.
    function _kick() internal returns (uint256 id, uint256 top) {
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, MARK_AT_KICK);
        id = dog.liquidate(WBTC_A, alice, keeper);
        top = h.sale(id).top;
        assertEq(top, MARK_AT_KICK * PREMIUM_BPS / 10_000, "top = mark x premium");
    }

    function _priceOf(uint256 id) internal view returns (uint256 price) {
        (, price,,) = h.getStatus(id);
    }

    /// @dev The lowest anchor at `age`: top x (follow - age) / follow, rounded up.
    function _guard(uint256 top, uint256 age) internal pure returns (uint256) {
        if (age >= FOLLOW_SECONDS) return 0;
        return (top * (FOLLOW_SECONDS - age) + FOLLOW_SECONDS - 1) / FOLLOW_SECONDS;
    }

    /*//////////////////////////////////////////////////////////////
                    ATTACK 1: THE ORACLE FREEZES
    //////////////////////////////////////////////////////////////*/

    /// @dev The feed sticks at the kick's mark (valid, as LUNA's did) while the market falls: the
    /// price still comes down along the fixed Exponential curve, to the wei, and a bidder buys once
    /// it reaches the real market, here 35% below the frozen mark, by 600 s.
    function test_Price_FrozenMarkStillFallsAlongTheFixedCurve() public {
        (uint256 id, uint256 top) = _kick();
        for (uint256 age = 0; age <= 600; age += 60) {
            vm.warp(block.timestamp + (age == 0 ? 0 : 60));
            assertEq(_priceOf(id), fixedCurve.price(top, age), "frozen mark: the fixed curve");
        }
        // A mark-relative price (mark x premium, say) would still ask 60,500 for a lot worth 35,750.
        uint256 market = MARK_AT_KICK * 65 / 100;
        uint256 price = _priceOf(id); // age 600
        assertLt(price, market, "the fixed curve brought the price below the real market");
        vm.prank(bidder);
        (uint256 out,) = h.take(id, 1e8, price, bidder, "");
        assertGt(out, 0);
    }

    /// @dev A dead oracle (invalid, or reverting) leaves the fixed curve too: takes go on.
    function test_Price_DeadOracleLeavesTheFixedCurve() public {
        (uint256 id, uint256 top) = _kick();
        vm.warp(block.timestamp + 200);
        mark[WBTC_A].set(1, false);
        assertEq(_priceOf(id), fixedCurve.price(top, 200), "invalid mark");
        vm.mockCallRevert(address(mark[WBTC_A]), abi.encodeCall(IMarkPriceSource.peek, ()), "oracle down");
        assertEq(_priceOf(id), fixedCurve.price(top, 200), "reverting mark source");
        vm.prank(bidder);
        (, uint256 owe) = h.take(id, 0.1e8, type(uint256).max, bidder, "");
        assertEq(owe, (fixedCurve.price(top, 200) * 0.1e18 + WAD - 1) / WAD, "take at the fixed curve");
    }

    /*//////////////////////////////////////////////////////////////
              ATTACK 2: A FAKE DROP THAT RECOVERS NEXT BLOCK
    //////////////////////////////////////////////////////////////*/

    /// @dev One read of the mark says 1% of the market at age 60 s. The price moves at most to the
    /// guard (60/1800 of top below the anchor), the attacker's take pays at least that, and one
    /// block later, with the mark back, the price is the fixed curve again.
    function test_Take_FakeDropMovesThePriceAtMostTheGuard() public {
        (uint256 id, uint256 top) = _kick();
        uint256 age = 60;
        vm.warp(block.timestamp + age);
        uint256 honest = _priceOf(id);
        assertEq(honest, fixedCurve.price(top, age));

        mark[WBTC_A].set(MARK_AT_KICK / 100, true); // the fake drop
        uint256 faked = _priceOf(id);
        uint256 lowest = fixedCurve.price(_guard(top, age), age);
        assertEq(faked, lowest, "pinned at the guard, not at 1% of the market");
        // At most age / follow (3.3%) below the honest price, plus rounding.
        assertGe(faked * FOLLOW_SECONDS, honest * (FOLLOW_SECONDS - age) - FOLLOW_SECONDS, "bounded loss");

        address attacker = makeAddr("attacker");
        _fundStable(attacker, 100_000e18, address(h));
        vm.prank(attacker);
        (uint256 out, uint256 owe) = h.take(id, 0.5e8, type(uint256).max, attacker, "");
        assertGe(owe * WAD, out * 1e10 * lowest, "the attacker paid at least the guard price");

        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
        mark[WBTC_A].set(MARK_AT_KICK, true); // recovered
        assertEq(_priceOf(id), fixedCurve.price(top, age + 12), "back on the fixed curve");
    }

    /// @dev A fake drop cannot make the auction redoable (which would restart it at the fake mark):
    /// the redo rule reads only the fixed curve and the age.
    function test_Redo_RevertWhen_OnlyAFakeDropSaysSo() public {
        (uint256 id,) = _kick();
        vm.warp(block.timestamp + 300);
        mark[WBTC_A].set(1, true);
        (bool needsRedo, uint256 price,,) = h.getStatus(id);
        assertFalse(needsRedo, "not redoable");
        assertGe(price, uint256(h.sale(id).top) * ADAPTIVE_FLOOR / WAD, "never below the floor");
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionDoesNotNeedRedo.selector, id));
        h.redo(id, keeper);
    }

    /*//////////////////////////////////////////////////////////////
                       FOLLOWING A REAL CRASH
    //////////////////////////////////////////////////////////////*/

    /// @dev The mark falls 26% over 600 s (slower than the guard): the price is the curve started at
    /// the live mark x premium, well below the fixed curve, so bidders buy at the market, not later.
    function test_Price_FollowsARealCrashDown() public {
        (uint256 id, uint256 top) = _kick();
        uint256 m = MARK_AT_KICK;
        for (uint256 age = 60; age <= 600; age += 60) {
            vm.warp(block.timestamp + 60);
            m = m * 97 / 100; // -3% a minute
            mark[WBTC_A].set(m, true);
            uint256 liveTop = (m * PREMIUM_BPS + 9999) / 10_000;
            assertGt(liveTop, _guard(top, age), "the crash is slower than the guard");
            uint256 want = fixedCurve.price(liveTop, age);
            uint256 floorPrice = (top * ADAPTIVE_FLOOR + WAD - 1) / WAD;
            if (want < floorPrice) want = floorPrice;
            assertEq(_priceOf(id), want, "curve from the live anchor");
            assertLt(_priceOf(id), fixedCurve.price(top, age), "below the fixed curve");
        }
    }

    /// @dev A mark above the kick's never raises the price above the fixed curve.
    function test_Price_RisingMarkKeepsTheFixedCurve() public {
        (uint256 id, uint256 top) = _kick();
        vm.warp(block.timestamp + 100);
        mark[WBTC_A].set(MARK_AT_KICK * 3, true);
        assertEq(_priceOf(id), fixedCurve.price(top, 100));
    }

    /// @dev A deep real crash pins the price at the floor; the auction needs a redo only when the
    /// fixed curve reaches the floor (or the tail passes), and then restarts at the live mark.
    function test_Price_DeepCrashStopsAtTheFloorUntilTheFixedCurveGetsThere() public {
        (uint256 id, uint256 top) = _kick();
        uint256 floorPrice = (top * ADAPTIVE_FLOOR + WAD - 1) / WAD;
        vm.warp(block.timestamp + 1500); // guard = top / 6
        mark[WBTC_A].set(MARK_AT_KICK / 10, true);
        (bool needsRedo, uint256 price,,) = h.getStatus(id);
        // Fixed curve at 1500 s: 0.999^1500 = 22% of top, below the floor: redo due.
        assertTrue(needsRedo);
        assertEq(price, fixedCurve.price(top, 1500), "a redo-due auction reports the fixed curve");
        h.redo(id, keeper);
        assertEq(h.sale(id).top, MARK_AT_KICK / 10 * PREMIUM_BPS / 10_000, "restarted at the live mark");

        // Earlier in an auction (fixed curve above the floor) the same crash is floored.
        (uint256 id2, uint256 top2) = _kickAnother();
        vm.warp(block.timestamp + 300);
        mark[WBTC_A].set(1e18, true);
        (needsRedo, price,,) = h.getStatus(id2);
        assertFalse(needsRedo);
        floorPrice = (top2 * ADAPTIVE_FLOOR + WAD - 1) / WAD;
        uint256 guardPrice = fixedCurve.price(_guard(top2, 300), 300);
        assertEq(price, guardPrice > floorPrice ? guardPrice : floorPrice);
    }

    function _kickAnother() internal returns (uint256 id, uint256 top) {
        address carol = makeAddr("carol");
        mark[WBTC_A].set(60_000e18, true);
        _setPrice(WBTC_A, 60_000e18);
        _open(carol, WBTC_A, 1e8, 40_000e18);
        _crash(WBTC_A, MARK_AT_KICK);
        id = dog.liquidate(WBTC_A, carol, keeper);
        top = h.sale(id).top;
    }

    /*//////////////////////////////////////////////////////////////
                              VALIDATION
    //////////////////////////////////////////////////////////////*/

    function test_AddTier_RevertWhen_AdaptiveFollowBelowMinimum() public {
        ICollateralAuction.Tier memory t = _adaptiveTier();
        t.periodSeconds = 299;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidTier.selector, 2, 299));
        h.addTier(t);
        t.periodSeconds = 300;
        vm.prank(gov);
        h.addTier(t);
    }

    function test_AddTier_RevertWhen_AdaptiveCutZero() public {
        ICollateralAuction.Tier memory t = _adaptiveTier();
        t.cutRay = 0;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidTier.selector, 1, 0));
        h.addTier(t);
    }

    function test_AddTier_RevertWhen_AdaptiveFloorZero() public {
        ICollateralAuction.Tier memory t = _adaptiveTier();
        t.floorWad = 0;
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidTier.selector, 4, 0));
        h.addTier(t);
    }

    /*//////////////////////////////////////////////////////////////
                                 FUZZ
    //////////////////////////////////////////////////////////////*/

    /// @dev For any mark and age while live: floor <= price <= fixed curve <= top, and the price
    /// is at least the guard's curve; for a fixed mark the price never rises with age.
    function testFuzz_Price_BetweenGuardAndFixedCurve(uint256 markWad, uint256 age) public {
        (uint256 id, uint256 top) = _kick();
        markWad = bound(markWad, 0, 1e30);
        age = bound(age, 0, ADAPTIVE_TAIL);
        vm.warp(block.timestamp + age);
        mark[WBTC_A].set(markWad, true);
        (bool needsRedo, uint256 price,,) = h.getStatus(id);
        uint256 curve = fixedCurve.price(top, age);
        uint256 floorPrice = (top * ADAPTIVE_FLOOR + WAD - 1) / WAD;
        assertEq(needsRedo, curve < floorPrice || age > ADAPTIVE_TAIL, "redo from the fixed curve only");
        assertLe(price, curve, "never above the fixed curve");
        assertLe(curve, top);
        if (needsRedo) return;
        assertGe(price, floorPrice, "never below the floor");
        assertGt(price, 0);
        assertGe(price, fixedCurve.price(_guard(top, age), age), "never below the guard");
        vm.warp(block.timestamp + 1);
        (bool later, uint256 next,,) = h.getStatus(id);
        if (!later) assertLe(next, price, "non-increasing for a fixed mark");
    }
}
