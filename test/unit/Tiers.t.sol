// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @notice Tier tables by debt size: every boundary, and staged liquidation of debts above the
/// largest tier.
contract TiersTest is LiquidationBaseTest {
    uint256 internal constant SMALL_MAX = 5000e18;
    uint256 internal constant MEDIUM_MAX = 250_000e18;
    uint256 internal constant LARGE_MAX = 1_000_000e18;

    CollateralAuction internal h;
    uint256 internal small;
    uint256 internal medium;
    uint256 internal large;

    function setUp() public override {
        super.setUp();
        h = house[WBTC_A];
        ICollateralAuction.Tier memory t = _defaultTier();
        vm.startPrank(gov);
        t.startPremiumBps = 10_000; // small debts start at the mark price
        t.cutRay = 0.999e27;
        small = h.addTier(t);
        t = _defaultTier();
        medium = h.addTier(t);
        t.kind = ICollateralAuction.CurveKind.Linear;
        t.periodSeconds = 5400;
        t.startPremiumBps = 11_000;
        large = h.addTier(t);
        uint256[] memory ids = new uint256[](3);
        uint256[] memory maxTabs = new uint256[](3);
        (ids[0], ids[1], ids[2]) = (small, medium, large);
        (maxTabs[0], maxTabs[1], maxTabs[2]) = (SMALL_MAX, MEDIUM_MAX, LARGE_MAX);
        h.setTiers(ids, maxTabs);
        vm.stopPrank();
    }

    function test_TierFor_SmallBoundary() public view {
        assertEq(h.tierFor(SMALL_MAX - 1), small, "one wei below");
        assertEq(h.tierFor(SMALL_MAX), small, "exactly at");
        assertEq(h.tierFor(SMALL_MAX + 1), medium, "one wei above");
    }

    function test_TierFor_MediumBoundary() public view {
        assertEq(h.tierFor(MEDIUM_MAX - 1), medium, "one wei below");
        assertEq(h.tierFor(MEDIUM_MAX), medium, "exactly at");
        assertEq(h.tierFor(MEDIUM_MAX + 1), large, "one wei above");
    }

    function test_TierFor_LargeBoundary() public view {
        assertEq(h.tierFor(LARGE_MAX - 1), large, "one wei below");
        assertEq(h.tierFor(LARGE_MAX), large, "exactly at");
        (, uint256 maxAuctionTab) = h.liquidationInfo();
        assertEq(maxAuctionTab, LARGE_MAX, "a larger debt is staged");
    }

    function test_LiquidationInfo_NoStagingWithUnboundedLastTier() public {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory maxTabs = new uint256[](1);
        (ids[0], maxTabs[0]) = (medium, type(uint256).max);
        vm.prank(gov);
        h.setTiers(ids, maxTabs);
        (, uint256 maxAuctionTab) = h.liquidationInfo();
        assertEq(maxAuctionTab, type(uint256).max);
    }

    /// @dev Real liquidations land in the tier their tab belongs to; a small debt starts at mark.
    function test_Liquidate_KicksWithTheTierOfItsTab() public {
        _open(alice, WBTC_A, 0.1e8, 4000e18); // tab 4,520 → small
        _open(bob, WBTC_A, 5e8, 200_000e18); // tab 226,000 → medium
        _open(carol, WBTC_A, 20e8, 800_000e18); // tab 904,000 → large
        _crash(WBTC_A, 55_000e18);
        uint256 a = dog.liquidate(WBTC_A, alice, keeper);
        uint256 b = dog.liquidate(WBTC_A, bob, keeper);
        uint256 c = dog.liquidate(WBTC_A, carol, keeper);
        assertEq(h.sale(a).tierId, small);
        assertEq(h.sale(a).top, 55_000e18, "small starts at the mark price");
        assertEq(h.sale(b).tierId, medium);
        assertEq(h.sale(c).tierId, large);
    }

    /// @dev A vault 10× the largest tier is liquidated in stages of at most the largest tier's
    /// size until none of it is left, and the books balance after every stage.
    function test_Liquidate_StagesDebtAboveLargestTier() public {
        // 8,849,557.52 debt → tab ≈ 10,000,000 = 10× LARGE_MAX.
        uint256 debt = 8_849_557.52e18;
        _open(alice, WBTC_A, 220e8, debt);
        _crash(WBTC_A, 55_000e18);
        uint256 stages;
        uint256 totalTab;
        while (true) {
            (, uint256 art) = engine.vault(WBTC_A, alice);
            if (art == 0) break;
            vm.roll(block.number + 1);
            uint256 id = dog.liquidate(WBTC_A, alice, keeper);
            ICollateralAuction.Sale memory s = h.sale(id);
            assertLe(s.tab, LARGE_MAX, "no auction above the largest tier");
            totalTab += s.tab;
            stages++;
            _assertBooksBalance();
            require(stages < 20, "does not converge");
        }
        (uint256 collateral,) = engine.vault(WBTC_A, alice);
        assertEq(collateral, 0, "the whole vault went to auction");
        assertEq(stages, 10, "ten stages");
        assertApproxEqAbs(totalTab, debt * PENALTY / WAD, 20, "the whole debt, penalty included");
    }
}
