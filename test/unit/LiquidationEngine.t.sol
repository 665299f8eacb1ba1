// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "solady/auth/Ownable.sol";

import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

contract LiquidationEngineTest is LiquidationBaseTest {
    /// @dev alice: 1 WBTC, 40,000 debt; safe at 60,000 (ratio 1.45), unsafe at 55,000.
    function _aliceUnsafe() internal {
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
    }

    /*//////////////////////////////////////////////////////////////
                               liquidate
    //////////////////////////////////////////////////////////////*/

    function test_Liquidate_StartsAuctionForUnsafeVault() public {
        _aliceUnsafe();
        uint256 keeperBefore = gusd.balanceOf(keeper);
        uint256 badBefore = engine.badDebtRad();

        vm.prank(keeper);
        uint256 id = dog.liquidate(WBTC_A, alice, keeper);

        (uint256 collateral, uint256 art) = engine.vault(WBTC_A, alice);
        assertEq(collateral, 0, "collateral seized");
        assertEq(art, 0, "debt seized");
        ICollateralAuction.Sale memory s = house[WBTC_A].sale(id);
        assertEq(s.lot, 1e8, "lot");
        assertEq(s.tab, 45_200e18, "tab = debt x penalty");
        assertEq(s.penalty, 5200e18, "penalty part");
        assertEq(s.owner, alice, "owner");
        assertEq(s.top, 66_000e18, "top = mark x 1.2");
        assertEq(wbtc.balanceOf(address(house[WBTC_A])), 1e8, "house holds the lot");
        assertEq(
            engine.badDebtRad() - badBefore, 40_000e18 * RAY + 10e18 * RAY + 45.2e18 * RAY, "bad debt: debt + incentive"
        );
        assertEq(gusd.balanceOf(keeper) - keeperBefore, 10e18 + 45.2e18, "tip + chip");
        assertEq(house[WBTC_A].count(), 1);
        _assertBooksBalance();
    }

    function test_Liquidate_EmitsEventWithEverythingAnIndexerNeeds() public {
        _aliceUnsafe();
        vm.expectEmit(true, true, false, true, address(dog));
        emit ILiquidationEngine.Liquidate(
            WBTC_A, alice, (uint256(1) << 32), keeper, 1e8, 40_000e18, 40_000e18, 45_200e18, 55.2e18, false
        );
        vm.prank(keeper);
        dog.liquidate(WBTC_A, alice, keeper);
    }

    function test_Liquidate_RevertWhen_VaultIsSafe() public {
        _open(alice, WBTC_A, 1e8, 40_000e18);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.VaultIsSafe.selector, WBTC_A, alice));
        dog.liquidate(WBTC_A, alice, keeper);
    }

    function test_Liquidate_RevertWhen_VaultHasNoDebt() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.VaultHasNoDebt.selector, WBTC_A, alice));
        dog.liquidate(WBTC_A, alice, keeper);
    }

    function test_Liquidate_RevertWhen_IlkNotConfigured() public {
        bytes32 unknown = "NOPE";
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.IlkNotConfigured.selector, unknown));
        dog.liquidate(unknown, alice, keeper);
    }

    function test_Liquidate_RevertWhen_AlreadyLiquidated() public {
        _aliceUnsafe();
        dog.liquidate(WBTC_A, alice, keeper);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.VaultHasNoDebt.selector, WBTC_A, alice));
        dog.liquidate(WBTC_A, alice, keeper);
    }

    function test_Liquidate_PartialWhenRoomIsShort() public {
        _aliceUnsafe();
        vm.prank(gov);
        dog.configureIlk(WBTC_A, address(house[WBTC_A]), PENALTY, 22_600e18, 10_000_000e18);

        uint256 id = dog.liquidate(WBTC_A, alice, keeper);

        ICollateralAuction.Sale memory s = house[WBTC_A].sale(id);
        assertApproxEqAbs(s.tab, 22_600e18, 2, "tab fills the room");
        (uint256 collateral, uint256 art) = engine.vault(WBTC_A, alice);
        assertApproxEqAbs(art, 20_000e18, 1, "half the debt stays");
        assertApproxEqAbs(collateral, 0.5e8, 1, "half the collateral stays");
        assertLe(house[WBTC_A].debtInAuctions(), 22_600e18 + 2, "room respected");
        _assertBooksBalance();
    }

    function test_Liquidate_WholeVaultWhenRemainderWouldBeDust() public {
        _aliceUnsafe();
        // Room for all but 50 of debt: the remainder (50) would be below dust (100).
        vm.prank(gov);
        dog.configureIlk(WBTC_A, address(house[WBTC_A]), PENALTY, (40_000e18 - 50e18) * 113 / 100, 10_000_000e18);
        dog.liquidate(WBTC_A, alice, keeper);
        (, uint256 art) = engine.vault(WBTC_A, alice);
        assertEq(art, 0, "no dust remainder left");
    }

    function test_Liquidate_RevertWhen_NoRoom() public {
        _aliceUnsafe();
        vm.prank(gov);
        dog.configureIlk(WBTC_A, address(house[WBTC_A]), PENALTY, 50e18, 10_000_000e18);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.NoRoom.selector, WBTC_A, 50e18, 113e18));
        dog.liquidate(WBTC_A, alice, keeper);
    }

    function test_Liquidate_RespectsGlobalRoom() public {
        _aliceUnsafe();
        vm.prank(gov);
        dog.setGlobalMaxDebtInAuctions(11_300e18);
        uint256 id = dog.liquidate(WBTC_A, alice, keeper);
        assertApproxEqAbs(house[WBTC_A].sale(id).tab, 11_300e18, 2);
        assertApproxEqAbs(dog.globalDebtInAuctions(), 11_300e18, 2);
    }

    function test_Liquidate_PerBlockCapDefersToNextBlock() public {
        _open(alice, WBTC_A, 1e8, 40_000e18);
        _open(bob, WBTC_A, 1e8, 40_000e18);
        _crash(WBTC_A, 55_000e18);
        vm.prank(gov);
        dog.configureIlk(WBTC_A, address(house[WBTC_A]), PENALTY, 50_000_000e18, 45_200e18);

        dog.liquidate(WBTC_A, alice, keeper);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.NoRoom.selector, WBTC_A, 0, 113e18));
        dog.liquidate(WBTC_A, bob, keeper);

        vm.roll(block.number + 1);
        dog.liquidate(WBTC_A, bob, keeper);
        (, uint256 art) = engine.vault(WBTC_A, bob);
        assertEq(art, 0, "bob liquidated next block");
    }

    function test_Liquidate_RoomFreesAsAuctionsEnd() public {
        _aliceUnsafe();
        uint256 id = dog.liquidate(WBTC_A, alice, keeper);
        assertEq(dog.room(WBTC_A), 10_000_000e18 - 45_200e18, "block cap binds");
        _fundStable(bidder, 60_000e18, address(house[WBTC_A]));
        vm.prank(bidder);
        house[WBTC_A].take(id, 1e8, type(uint256).max, bidder, "");
        assertEq(house[WBTC_A].debtInAuctions(), 0);
        dog.sync(WBTC_A);
        assertEq(dog.globalDebtInAuctions(), 0, "sync frees global room");
    }

    /*//////////////////////////////////////////////////////////////
                             liquidateMany
    //////////////////////////////////////////////////////////////*/

    function test_LiquidateMany_SkipsSafeAndEmptyVaults() public {
        _open(alice, WBTC_A, 1e8, 40_000e18); // becomes unsafe
        _open(bob, WBTC_A, 2e8, 40_000e18); // stays safe
        _open(carol, WBTC_A, 1e8, 39_000e18); // becomes unsafe
        _crash(WBTC_A, 55_000e18);
        address[] memory owners = new address[](4);
        owners[0] = alice;
        owners[1] = bob;
        owners[2] = carol;
        owners[3] = makeAddr("nobody");

        vm.expectEmit(true, true, false, true, address(dog));
        emit ILiquidationEngine.LiquidationSkipped(
            WBTC_A,
            bob,
            ILiquidationEngine.SkipReason.VaultIsSafe,
            abi.encodeWithSelector(ILiquidationEngine.VaultIsSafe.selector, WBTC_A, bob)
        );
        uint256[] memory ids = dog.liquidateMany(WBTC_A, owners, keeper);

        assertGt(ids[0], 0);
        assertEq(ids[1], 0, "safe vault skipped");
        assertGt(ids[2], 0);
        assertEq(ids[3], 0, "empty vault skipped");
        assertEq(house[WBTC_A].count(), 2);
        _assertBooksBalance();
    }

    /*//////////////////////////////////////////////////////////////
                               governance
    //////////////////////////////////////////////////////////////*/

    function test_ConfigureIlk_RevertWhen_PenaltyBelowOne() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.ParameterOutOfBounds.selector, 0.99e18, 1e18, 1.5e18));
        dog.configureIlk(WBTC_A, address(house[WBTC_A]), 0.99e18, 1, 1);
    }

    function test_ConfigureIlk_RevertWhen_NotGovernance() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        dog.configureIlk(WBTC_A, address(house[WBTC_A]), PENALTY, 1, 1);
    }

    function test_ConfigureIlk_RevertWhen_ZeroHouse() public {
        vm.prank(gov);
        vm.expectRevert(ILiquidationEngine.ZeroAddress.selector);
        dog.configureIlk(WBTC_A, address(0), PENALTY, 1, 1);
    }

    function test_SetIncentives_RevertWhen_ChipTooHigh() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.ParameterOutOfBounds.selector, 0.06e18, 0, 0.05e18));
        dog.setIncentives(0, 0.06e18);
    }

    function test_SetIncentives_EmitsEvent() public {
        vm.expectEmit(false, false, false, true, address(dog));
        emit ILiquidationEngine.IncentivesSet(1e18, 0.002e18);
        vm.prank(gov);
        dog.setIncentives(1e18, 0.002e18);
        assertEq(dog.tip(), 1e18);
        assertEq(dog.chipWad(), 0.002e18);
    }

    function test_SetGlobalMax_EmitsEvent() public {
        vm.expectEmit(false, false, false, true, address(dog));
        emit ILiquidationEngine.GlobalMaxDebtInAuctionsSet(5e18);
        vm.prank(gov);
        dog.setGlobalMaxDebtInAuctions(5e18);
        assertEq(dog.globalMaxDebtInAuctions(), 5e18);
    }

    /*//////////////////////////////////////////////////////////////
                                  fuzz
    //////////////////////////////////////////////////////////////*/

    /// @dev Any vault made unsafe by any price drop is liquidated whole (room is ample), the books
    /// balance, and the tab is the debt times the penalty rounded up.
    function testFuzz_Liquidate_UnsafeVaultAnyDecimals(uint256 ilkSeed, uint256 whole, uint256 ltvBps, uint256 dropBps)
        public
    {
        bytes32 id = _boundIlk(ilkSeed);
        uint256 price = mark[id].price();
        // Stay inside the per-block cap (10M) so the whole vault goes to auction.
        whole = bound(whole, 1, 5_000_000e18 / price + 1);
        ltvBps = bound(ltvBps, 5000, 9900); // debt as a share of the borrowing limit
        dropBps = bound(dropBps, 200, 9000);
        uint256 collateral = _units(id, whole);
        uint256 limit = whole * price * WAD / engine.liquidationRatio(id);
        uint256 debt = limit * ltvBps / 10_000;
        if (debt < 100e18) debt = 100e18;
        // Keep a hair of margin: the engine's spot is rounded down, so a debt at the exact limit
        // computed here can be a few wei unsafe on chain.
        if (debt + debt / 1_000_000 > limit) return; // cannot open
        _open(alice, id, collateral, debt);
        _crash(id, price * (10_000 - dropBps) / 10_000);
        if (engine.isSafe(id, alice)) {
            vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.VaultIsSafe.selector, id, alice));
            dog.liquidate(id, alice, keeper);
            return;
        }
        uint256 auctionId = dog.liquidate(id, alice, keeper);
        ICollateralAuction.Sale memory s = house[id].sale(auctionId);
        assertEq(s.lot, collateral);
        assertGe(s.tab, debt * PENALTY / WAD);
        _assertBooksBalance();
    }
}
