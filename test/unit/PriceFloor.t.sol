// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @notice No take ever pays 0: every tier has a floor above 0, and a live price is never below
/// `top × floor` rounded up (so at least 1 wei per whole token). Below it the auction needs a redo.
contract PriceFloorTest is LiquidationBaseTest {
    CollateralAuction internal h;

    function setUp() public override {
        super.setUp();
        h = house[WBTC_A];
        _fundStable(bidder, 50_000e18, address(h));
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

    /// @dev A linear curve over 1,000 s whose tail (5,000 s) outlives its period.
    function _linearTier(uint64 floorWad) internal pure returns (ICollateralAuction.Tier memory) {
        return ICollateralAuction.Tier({
            kind: ICollateralAuction.CurveKind.Linear,
            cutRay: 0,
            periodSeconds: 1000,
            tailSeconds: 5000,
            floorWad: floorWad,
            startPremiumBps: 12_000
        });
    }

    function _liquidateAlice() internal returns (uint256) {
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
        return dog.liquidate(WBTC_A, alice, keeper);
    }

    /// @dev The reported attack: a zero floor on a linear curve whose tail outlives its period.
    function test_AddTier_RevertWhen_FloorZero() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidTier.selector, 4, 0));
        h.addTier(_linearTier(0));
    }

    /// @dev With the smallest floor allowed (1 wei of WAD), the curve still reaches 0 at its period,
    /// but then the auction needs a redo: take and quote revert, getStatus says so, and the lot
    /// cannot be had for 0.
    function test_Take_RevertWhen_LinearCurveReachedZero() public {
        _useTier(_linearTier(1));
        uint256 id = _liquidateAlice();
        vm.warp(block.timestamp + 1000);
        (bool needsRedo, uint256 price,,) = h.getStatus(id);
        assertEq(price, 0, "the curve is at 0");
        assertTrue(needsRedo, "a price of 0 means needs redo");
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionNeedsRedo.selector, id));
        h.quote(id, 1e8);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionNeedsRedo.selector, id));
        h.take(id, 1e8, type(uint256).max, bidder, "");
        // One second earlier the price is the last step above the floor, and it is not 0.
        vm.warp(block.timestamp - 1);
        (, uint256 oe,) = h.quote(id, 1e8);
        assertGt(oe, 0);
    }

    /// @dev A top so small that `top × floor` rounds to 0 in WAD: the floor still rounds up to 1 wei.
    function test_Take_FloorRoundsUpForTinyTop() public {
        ICollateralAuction.Tier memory t = _linearTier(0.4e18);
        t.startPremiumBps = 1;
        _useTier(t);
        mark[WBTC_A].set(1, true); // top = 1 × 1 / 10,000 → StartPriceZero
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
        mark[WBTC_A].set(1, true);
        vm.expectRevert(ICollateralAuction.StartPriceZero.selector);
        dog.liquidate(WBTC_A, alice, keeper);
        mark[WBTC_A].set(20_000, true); // top = 2 wei: floor = ceil(2 × 0.4) = 1 wei
        uint256 id = dog.liquidate(WBTC_A, alice, keeper);
        vm.warp(block.timestamp + 999);
        (bool needsRedo, uint256 price,,) = h.getStatus(id);
        assertEq(price, 0, "2 x 1/1000 rounds down to 0");
        assertTrue(needsRedo, "below the 1 wei floor");
    }

    /// @dev Property (fuzz): for any valid tier, any age and any amount, a take that succeeds pays
    /// a price of at least ceil(top × floor) ≥ 1 per whole token, and `owe` ≥ ceil(collateralOut ×
    /// that floor) > 0. A take that fails at a price below the floor fails with AuctionNeedsRedo.
    function testFuzz_Take_NeverPaysZeroOrBelowFloor(
        uint8 kindSeed,
        uint96 cutRay,
        uint32 periodSeconds,
        uint32 tailSeconds,
        uint64 floorWad,
        uint16 premiumBps,
        uint256 age,
        uint256 amount
    ) public {
        ICollateralAuction.Tier memory t;
        t.kind = ICollateralAuction.CurveKind(bound(kindSeed, 1, 4));
        t.cutRay = uint96(bound(cutRay, 1, 1e27));
        // An Adaptive tier's follow period is at least 300 s.
        t.periodSeconds =
            uint32(bound(periodSeconds, t.kind == ICollateralAuction.CurveKind.Adaptive ? 300 : 1, 30 days));
        t.tailSeconds = uint32(bound(tailSeconds, 60, 30 days));
        t.floorWad = uint64(bound(floorWad, 1, 1e18 - 1));
        t.startPremiumBps = uint16(bound(premiumBps, 1, 50_000));
        _useTier(t);
        uint256 id = _liquidateAlice();
        uint256 top = h.sale(id).top;
        uint256 floorPrice = (top * t.floorWad + WAD - 1) / WAD;
        assertGt(floorPrice, 0);
        vm.warp(block.timestamp + bound(age, 0, 40 days));
        amount = bound(amount, 1, 1e8);
        // The mark falls anywhere down to 1 wei (an Adaptive price follows it; the floor holds).
        mark[WBTC_A].set(bound(uint256(keccak256(abi.encode(age, amount))), 1, 55_000e18), true);

        (bool needsRedo, uint256 price,,) = h.getStatus(id);
        assertEq(needsRedo || price >= floorPrice, true, "getStatus: live means at or above the floor");
        vm.prank(bidder);
        try h.take(id, amount, type(uint256).max, bidder, "") returns (uint256 out, uint256 owe) {
            assertFalse(needsRedo, "a take only while live");
            assertGe(price, floorPrice, "never below the floor");
            assertGt(owe, 0, "never pays 0");
            assertGe(owe, (out * 1e10 * floorPrice + WAD - 1) / WAD, "never below floor per unit");
        } catch (bytes memory reason) {
            if (needsRedo) {
                assertEq(reason, abi.encodeWithSelector(ICollateralAuction.AuctionNeedsRedo.selector, id));
            } else {
                // Live: only the partial-take size rules may refuse (the dust remainder, or an amount
                // too small to buy one unit at a high price).
                // forge-lint: disable-next-line(unsafe-typecast) the selector is the first 4 bytes
                bytes4 sel = bytes4(reason);
                assertTrue(
                    sel == ICollateralAuction.PartialTakeBelowMinimum.selector
                        || sel == ICollateralAuction.ZeroCollateralOut.selector,
                    "only size rules refuse a live take"
                );
            }
        }
    }
}
