// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "solady/auth/Ownable.sol";

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {IInsuranceFund} from "../../contracts/src/interfaces/IInsuranceFund.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @notice Insurance-fund takeover of auctions that reached their floor or passed their tail twice,
/// and liquidateAndTake for small debts.
contract TakeoverTest is LiquidationBaseTest {
    CollateralAuction internal h;
    address internal lp = makeAddr("lp");

    function setUp() public override {
        super.setUp();
        h = house[WBTC_A];
        // Backstop capital: an LP deposits 200,000 gUSD into the fund.
        _fundStable(lp, 200_000e18, address(fund));
        vm.prank(lp);
        fund.deposit(200_000e18, lp);
        vm.startPrank(gov);
        fund.grantRoles(address(h), fund.TAKEOVER());
        fund.setTakeoverCap(address(h), 2000); // 20% of the fund
        h.setTakeoverTip(20e18);
        vm.stopPrank();
        _fundStable(bidder, 100_000e18, address(h));
    }

    /// @dev A steep tier (-0.01% per second) reaches the 40% floor in about 9,162 s, inside the tail.
    function _useSteepTier() internal {
        ICollateralAuction.Tier memory t = _defaultTier();
        t.cutRay = 0.9999e27;
        vm.startPrank(gov);
        uint256 tierId = h.addTier(t);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory maxTabs = new uint256[](1);
        ids[0] = tierId;
        maxTabs[0] = type(uint256).max;
        h.setTiers(ids, maxTabs);
        vm.stopPrank();
    }

    function _liquidateAlice() internal returns (uint256) {
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
        return dog.liquidate(WBTC_A, alice, keeper);
    }

    /*//////////////////////////////////////////////////////////////
                                takeover
    //////////////////////////////////////////////////////////////*/

    function test_Takeover_RevertWhen_AuctionStillHealthy() public {
        uint256 id = _liquidateAlice();
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.TakeoverNotAllowed.selector, id));
        h.takeover(id, keeper);
    }

    function test_Takeover_WhenPriceBelowFloor() public {
        _useSteepTier();
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + 9200);
        (bool needsRedo, uint256 price,,) = h.getStatus(id);
        assertTrue(needsRedo, "below floor");
        uint256 fundAssets = fund.totalAssets();
        uint256 badBefore = engine.badDebtRad();

        uint256 fair = _fairFloor(55_000e18);
        assertLt(price, fair, "the curve price is below the fair floor");

        (uint256 out, uint256 owe, uint256 reward) = h.takeover(id, keeper);

        assertEq(out, 1e8, "fund takes the whole lot");
        assertEq(owe, (fair * 1e10 * 1e8 + WAD - 1) / WAD, "at the fair floor, not the decayed price");
        assertEq(reward, 20e18);
        assertEq(wbtc.balanceOf(address(fund)), 1e8, "fund holds the collateral");
        assertEq(fund.totalAssets(), fundAssets - owe, "fund paid");
        assertEq(fund.takeoverExposure(address(h)), owe);
        assertEq(h.count(), 0, "auction closed");
        assertEq(engine.badDebtRad() - badBefore, 20e18 * RAY, "only the reward is new bad debt");
        _assertBooksBalance();
        // Proceeds settle like any take: the debt part heals bad debt (1 wei stays in the house).
        (uint256 healed,) = h.settle();
        assertEq(healed, owe - 1);
        _assertBooksBalance();
    }

    /// @dev mark × start premium × floor, rounded up: the lowest price a restart now could sell at.
    function _fairFloor(uint256 markPrice) internal pure returns (uint256) {
        return (markPrice * BUF_BPS / 10_000 * FLOOR + WAD - 1) / WAD;
    }

    /// @dev The attack: nobody triggers the takeover until the curve has decayed to under 1% of its
    /// start, then the fund buys the owner's whole lot for almost nothing. The fund now pays at
    /// least the fair floor for every unit it takes.
    function test_Takeover_DeeplyDecayedPricePaysTheFairFloor() public {
        _useSteepTier();
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + 50_000); // 0.9999^50,000 ≈ 0.7%: the curve price is about 440
        (, uint256 decayed,,) = h.getStatus(id);
        assertLt(decayed, 500e18, "setup: deeply decayed");

        (uint256 out, uint256 owe,) = h.takeover(id, keeper);

        uint256 fair = _fairFloor(55_000e18);
        assertEq(out, 1e8);
        assertGe(owe, (out * 1e10 * fair + WAD - 1) / WAD, "paid at least the fair floor per unit");
        assertGt(owe, decayed * 50, "far more than the decayed price");
        _assertBooksBalance();
    }

    /// @dev When the lot at the fair floor is worth more than the tab (the market recovered), the
    /// fund buys only the collateral that raises the tab; the rest goes back to the owner's vault.
    function test_Takeover_ReturnsCollateralBeyondTheTabToTheOwner() public {
        vm.prank(gov);
        fund.setTakeoverCap(address(h), 5000);
        _useSteepTier();
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + 9200);
        mark[WBTC_A].set(100_000e18, true); // recovered: fair floor 48,000 > tab 45,200 per BTC
        uint256 fair = _fairFloor(100_000e18);

        (uint256 out, uint256 owe,) = h.takeover(id, keeper);

        assertEq(owe, 45_200e18, "the whole tab, no more");
        assertEq(out, 45_200e18 * WAD / (fair * 1e10), "only the collateral worth the tab at the fair floor");
        (uint256 restored,) = engine.vault(WBTC_A, alice);
        assertEq(restored, 1e8 - out, "the rest back in the owner's vault");
        assertEq(h.count(), 0);
        _assertBooksBalance();
    }

    /// @dev The fair floor needs the mark: without a valid one the takeover waits.
    function test_Takeover_RevertWhen_NoMarkPrice() public {
        _useSteepTier();
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + 9200);
        mark[WBTC_A].set(55_000e18, false);
        vm.expectRevert(ICollateralAuction.NoMarkPrice.selector);
        h.takeover(id, keeper);
    }

    /// @dev Fuzz: whatever the age and the mark at takeover time, the fund never pays less per unit
    /// than the fair floor, and never takes collateral beyond what raises the tab at that price.
    function testFuzz_Takeover_NeverBelowFairFloor(uint256 age, uint256 markAtTakeover) public {
        vm.prank(gov);
        fund.setTakeoverCap(address(h), 5000);
        _useSteepTier();
        uint256 id = _liquidateAlice();
        age = bound(age, 9200, TAIL);
        markAtTakeover = bound(markAtTakeover, 20_000e18, 150_000e18);
        vm.warp(block.timestamp + age);
        mark[WBTC_A].set(markAtTakeover, true);
        uint256 fair = _fairFloor(markAtTakeover);
        (uint256 out, uint256 owe,) = h.takeover(id, keeper);
        assertGe(owe, (out * 1e10 * fair + WAD - 1) / WAD, "never below the fair floor");
        assertLe(owe, 45_200e18, "never more than the tab");
        if (owe == 45_200e18) {
            assertLe(out, 45_200e18 * WAD / (fair * 1e10), "no collateral beyond the tab");
        } else {
            assertEq(out, 1e8, "short of the tab: the whole lot");
        }
        (uint256 restored,) = engine.vault(WBTC_A, alice);
        assertEq(restored + out, 1e8, "the owner keeps every unit the fund did not pay for");
        _assertBooksBalance();
    }

    function test_Takeover_AfterSecondTail() public {
        // The lot is still worth more than 40,000 (20% of the fund): allow half the fund.
        vm.prank(gov);
        fund.setTakeoverCap(address(h), 5000);
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + TAIL + 1);
        h.redo(id, keeper);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.TakeoverNotAllowed.selector, id));
        h.takeover(id, keeper);
        vm.warp(block.timestamp + TAIL + 1);
        (uint256 out,,) = h.takeover(id, keeper);
        assertGt(out, 0);
        assertEq(h.count(), 0);
        _assertBooksBalance();
    }

    function test_Takeover_RevertWhen_ExceedsCap() public {
        vm.prank(gov);
        fund.setTakeoverCap(address(h), 1); // 0.01% of 200,000 = 20
        _useSteepTier();
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + 9200);
        vm.expectPartialRevert(IInsuranceFund.TakeoverExceedsCap.selector);
        h.takeover(id, keeper);
    }

    function test_Takeover_RevertWhen_BreakerAtLevelThree() public {
        _useSteepTier();
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + 9200);
        vm.prank(gov);
        h.setBreakerLevel(3);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.BreakerLevelTooHigh.selector, 3, 2));
        h.takeover(id, keeper);
    }

    function test_PayTakeover_RevertWhen_NotAHouse() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        fund.payTakeover(1e18);
    }

    function test_SetTakeoverCap_RevertWhen_AboveHalf() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.TakeoverCapOutOfBounds.selector, 5001, 5000));
        fund.setTakeoverCap(address(h), 5001);
    }

    function test_ReduceTakeoverExposure_AfterSale() public {
        test_Takeover_WhenPriceBelowFloor();
        uint256 exposure = fund.takeoverExposure(address(h));
        vm.expectEmit(true, false, false, true, address(fund));
        emit IInsuranceFund.TakeoverExposureReduced(address(h), exposure, 0);
        vm.prank(gov);
        fund.reduceTakeoverExposure(address(h), exposure);
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.ExposureUnderflow.selector, 1, 0));
        fund.reduceTakeoverExposure(address(h), 1);
    }

    /*//////////////////////////////////////////////////////////////
                            liquidateAndTake
    //////////////////////////////////////////////////////////////*/

    /// @dev Small debts get a tier that starts at the mark price.
    function _smallDebtTier() internal {
        ICollateralAuction.Tier memory small = _defaultTier();
        small.startPremiumBps = 10_000;
        small.cutRay = 0.999e27;
        vm.startPrank(gov);
        uint256 smallId = h.addTier(small);
        uint256[] memory ids = new uint256[](2);
        uint256[] memory maxTabs = new uint256[](2);
        ids[0] = smallId;
        ids[1] = 0;
        maxTabs[0] = 5000e18;
        maxTabs[1] = type(uint256).max;
        h.setTiers(ids, maxTabs);
        vm.stopPrank();
    }

    function test_LiquidateAndTake_ClearsSmallDebtInOneTransaction() public {
        _smallDebtTier();
        // 0.1 WBTC, 4,000 debt: unsafe at 55,000. Tab 4,520 → the small tier, top = mark.
        _unsafeVault(alice, WBTC_A, 0.1e8, 4000e18, 55_000e18);
        uint256 before = gusd.balanceOf(bidder);

        vm.prank(bidder);
        (, uint256 out, uint256 owe) = dog.liquidateAndTake(WBTC_A, alice, 55_000e18, bidder, "");

        assertEq(owe, 4520e18, "the whole tab");
        assertEq(out, 4520e18 * WAD / (55_000e18 * 1e10), "collateral for the tab at the mark price");
        assertEq(wbtc.balanceOf(bidder), out);
        (uint256 restored,) = engine.vault(WBTC_A, alice);
        assertEq(restored, 0.1e8 - out, "owner keeps the rest, in its vault");
        assertEq(before - gusd.balanceOf(bidder), owe - (10e18 + 4.52e18), "paid the tab, earned tip + chip");
        assertEq(h.count(), 0, "cleared at once");
        _assertBooksBalance();
    }

    function test_LiquidateAndTake_RevertWhen_PriceAboveMax() public {
        _smallDebtTier();
        _unsafeVault(alice, WBTC_A, 0.1e8, 4000e18, 55_000e18);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.PriceAboveMax.selector, 55_000e18, 50_000e18));
        dog.liquidateAndTake(WBTC_A, alice, 50_000e18, bidder, "");
        (, uint256 art) = engine.vault(WBTC_A, alice);
        assertEq(art, 4000e18, "nothing happened");
    }

    function test_TakeFor_RevertWhen_NotLiquidationEngine() public {
        uint256 id = _liquidateAlice();
        vm.expectRevert(Ownable.Unauthorized.selector);
        h.takeFor(id, 1e8, type(uint256).max, bidder, "", bidder);
    }
}
