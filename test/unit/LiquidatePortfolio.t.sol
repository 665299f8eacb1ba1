// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LiquidationEngine} from "../../contracts/src/LiquidationEngine.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IPortfolioEngine} from "../../contracts/src/interfaces/IPortfolioEngine.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {PortfolioLiquidationBaseTest} from "../utils/PortfolioLiquidationBaseTest.sol";
import {Ownable} from "solady/auth/Ownable.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @notice `LiquidationEngine.liquidatePortfolio` (issue #18, slice 4): every held asset goes to its own
/// house carrying the debt share its isolated value carries, cut to the room the isolated vaults share;
/// the unsold rest of a lot comes back into the portfolio it came from.
contract LiquidatePortfolioTest is PortfolioLiquidationBaseTest {
    address internal attacker = makeAddr("attacker");

    /*//////////////////////////////////////////////////////////////
                                 SPLIT
    //////////////////////////////////////////////////////////////*/

    function test_LiquidatePortfolio_SplitsTheDebtByIsolatedValue() public {
        _unsafePortfolio();
        (, uint256 art) = engine.vault(PORTFOLIO, alice);
        uint256 rate = engine.ilks(PORTFOLIO).rate;
        uint256 wWbtc = _isolatedValue(WBTC_A, 1e8);
        uint256 wEth = _isolatedValue(ETH_A, 30e18);
        // Table order is USDC, WBTC, ETH: WBTC's share rounds down, ETH (the last weighted lot) takes the rest.
        uint256 artWbtc = FixedPointMathLib.mulDiv(art, wWbtc, wWbtc + wEth);
        uint256 artEth = art - artWbtc;
        uint256 badBefore = engine.badDebtRad();

        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);

        assertEq(ids.length, 2, "one auction per held asset");
        _assertLot(ids[0], WBTC_A, 1e8, artWbtc, rate);
        _assertLot(ids[1], ETH_A, 30e18, artEth, rate);
        // Each lot's cover (isolated value over its debt) is the portfolio's, to rounding.
        assertApproxEqRel(wWbtc * 1e18 / (artWbtc * rate / 1e27), wEth * 1e18 / (artEth * rate / 1e27), 1e9);
        // The portfolio is empty; its whole debt went to bad debt, to be raised by the auctions.
        assertEq(portfolio.portfolioDebt(alice), 0);
        assertEq(portfolio.collateralOf(alice, WBTC_A), 0);
        assertEq(portfolio.collateralOf(alice, ETH_A), 0);
        assertEq(engine.badDebtRad() - badBefore, art * rate + gusd.balanceOf(keeper) * 1e27);
        _assertCustodyExact();
        _assertBooksBalance();
    }

    function test_LiquidatePortfolio_EmitsOneEventPerLotAndOneForThePortfolio() public {
        _unsafePortfolio();
        (, uint256 art) = engine.vault(PORTFOLIO, alice);
        vm.expectEmit(true, true, false, false, address(dog));
        emit ILiquidationEngine.LiquidatePortfolioLot(alice, WBTC_A, 0, address(0), 0, 0, 0, 0);
        vm.expectEmit(true, true, false, false, address(dog));
        emit ILiquidationEngine.LiquidatePortfolioLot(alice, ETH_A, 0, address(0), 0, 0, 0, 0);
        vm.expectEmit(true, false, false, false, address(dog));
        emit ILiquidationEngine.LiquidatePortfolio(alice, keeper, art, 2, 0, false);
        vm.prank(keeper);
        dog.liquidatePortfolio(alice, keeper);
    }

    function test_LiquidatePortfolio_PaysOneIncentiveCappedByThePenalties() public {
        _unsafePortfolio();
        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        uint256 tabs;
        for (uint256 i; i < ids.length; ++i) {
            tabs += _sale(i == 0 ? WBTC_A : ETH_A, ids[i]).tab;
        }
        assertEq(gusd.balanceOf(keeper), TIP + FixedPointMathLib.mulWad(tabs, CHIP));
    }

    /// @notice A tip larger than the penalties is cut to them: liquidating one's own portfolio never pays.
    function test_LiquidatePortfolio_IncentiveNeverExceedsThePenalties() public {
        vm.prank(gov);
        dog.setIncentives(10_000e18, 0);
        _depositPortfolio(alice, ETH_A, 1e18);
        uint256 borrowed = _isolatedValue(ETH_A, 1e18);
        vm.prank(alice);
        portfolio.borrow(borrowed);
        _crash(ETH_A, 1900e18);
        vm.prank(alice);
        uint256[] memory ids = dog.liquidatePortfolio(alice, alice);
        ICollateralAuction.Sale memory s = _sale(ETH_A, ids[0]);
        assertEq(gusd.balanceOf(alice) - borrowed, s.penalty, "incentive == the penalty");
    }

    /// @notice A portfolio of one asset is liquidated exactly as an isolated vault of the same collateral
    /// and debt: the same lot, debt and tab.
    function testFuzz_LiquidatePortfolio_OneAssetMatchesTheIsolatedLiquidation(uint256 collateral, uint256 dropBps)
        public
    {
        collateral = bound(collateral, 1e18, 1000e18);
        dropBps = bound(dropBps, 1, 3000);
        uint256 limit = _isolatedValue(ETH_A, collateral);
        vm.assume(limit > PORTFOLIO_DUST + 1);
        _depositPortfolio(alice, ETH_A, collateral);
        vm.prank(alice);
        portfolio.borrow(limit);
        _open(bob, ETH_A, collateral, limit);
        _crash(ETH_A, 2000e18 * (10_000 - dropBps) / 10_000);

        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        vm.prank(keeper);
        uint256 isolatedId = dog.liquidate(ETH_A, bob, keeper);

        ICollateralAuction.Sale memory p = _sale(ETH_A, ids[0]);
        ICollateralAuction.Sale memory i = _sale(ETH_A, isolatedId);
        assertEq(p.lot, i.lot, "lot");
        assertEq(p.tab, i.tab, "tab");
        assertEq(p.penalty, i.penalty, "penalty");
        assertEq(p.owner, address(portfolio), "portfolio lots are the portfolio engine's");
        assertEq(i.owner, bob);
    }

    /*//////////////////////////////////////////////////////////////
                                LEFTOVER
    //////////////////////////////////////////////////////////////*/

    function test_LiquidatePortfolio_UnsoldLotComesBackIntoThePortfolio() public {
        _unsafePortfolio();
        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        _bidderFunds(bidder, 100_000e18);
        ICollateralAuction.Sale memory s = _sale(ETH_A, ids[1]);

        // The lot is worth more than the tab at the start price: the tab is raised, the rest comes back.
        vm.expectEmit(true, true, true, false, address(portfolio));
        emit IPortfolioEngine.PortfolioCollateralRestored(alice, ETH_A, address(house[ETH_A]), ids[1], 0);
        vm.expectEmit(true, true, true, false, address(engine));
        emit IVaultEngine.CollateralReturnedToRiskEngine(ETH_A, address(portfolio), address(house[ETH_A]), ids[1], 0);
        vm.prank(bidder);
        (uint256 out,) = house[ETH_A].take(ids[1], s.lot, type(uint256).max, bidder, "");

        assertGt(out, 0);
        assertEq(portfolio.collateralOf(alice, ETH_A), s.lot - out, "rest credited to the portfolio");
        assertEq(weth.balanceOf(address(house[ETH_A])), 0, "nothing left in the house");
        (uint256 isolated,) = engine.vault(ETH_A, address(portfolio));
        assertEq(isolated, 0, "nothing parked in an isolated vault");
        _assertCustodyExact();
        _assertBooksBalance();
        // The owner can take it out: the portfolio has no debt left.
        vm.prank(alice);
        portfolio.withdraw(ETH_A, s.lot - out, alice);
        assertEq(weth.balanceOf(alice), s.lot - out);
    }

    /// @notice Two portfolios' lots of the same asset, ended in the reverse order: each rest goes to its own.
    function test_LiquidatePortfolio_EachRestGoesToItsOwnPortfolio() public {
        _unsafePortfolio();
        _depositPortfolio(bob, ETH_A, 10e18);
        uint256 bobDebt = _isolatedValue(ETH_A, 10e18) * 99 / 100;
        vm.prank(bob);
        portfolio.borrow(bobDebt);
        _crash(ETH_A, 1500e18);
        vm.startPrank(keeper);
        uint256 aliceEth = dog.liquidatePortfolio(alice, keeper)[1];
        uint256 bobEth = dog.liquidatePortfolio(bob, keeper)[0];
        vm.stopPrank();
        _bidderFunds(bidder, 200_000e18);

        vm.startPrank(bidder);
        (uint256 outBob,) = house[ETH_A].take(bobEth, 10e18, type(uint256).max, bidder, "");
        (uint256 outAlice,) = house[ETH_A].take(aliceEth, 30e18, type(uint256).max, bidder, "");
        vm.stopPrank();

        assertEq(portfolio.collateralOf(bob, ETH_A), 10e18 - outBob);
        assertEq(portfolio.collateralOf(alice, ETH_A), 30e18 - outAlice);
        _assertCustodyExact();
    }

    function test_LiquidatePortfolio_SoldOutLotReturnsNothing() public {
        _unsafePortfolio();
        // WBTC falls too: its lot's cover (mark value / tab) drops to about 0.88, below where the price
        // decays to (about 0.97 of the mark) before the tail.
        _crash(WBTC_A, 35_000e18);
        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        _bidderFunds(bidder, 100_000e18);
        ICollateralAuction.Sale memory s = _sale(WBTC_A, ids[0]);
        // Wait until the price has fallen below tab / lot: the whole lot sells without raising the tab.
        vm.warp(block.timestamp + TAIL - 1 minutes);
        vm.prank(bidder);
        (uint256 out,) = house[WBTC_A].take(ids[0], s.lot, type(uint256).max, bidder, "");
        assertEq(out, s.lot);
        assertEq(portfolio.collateralOf(alice, WBTC_A), 0);
        _assertCustodyExact();
    }

    /*//////////////////////////////////////////////////////////////
                                  ROOM
    //////////////////////////////////////////////////////////////*/

    /// @notice The per-block cap is shared with isolated vaults; a cut lot leaves the same share of debt and
    /// collateral in the portfolio, which is liquidated again once there is room.
    function test_LiquidatePortfolio_CutToTheRoomKeepsTheProportion() public {
        _unsafePortfolio();
        (, uint256 art) = engine.vault(PORTFOLIO, alice);
        vm.prank(gov);
        dog.configureIlk(ETH_A, address(house[ETH_A]), PENALTY, 50_000_000e18, 10_000e18);

        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);

        ICollateralAuction.Sale memory eth = _sale(ETH_A, ids[1]);
        assertLe(eth.tab, 10_000e18, "tab within the per-block cap");
        (, uint256 artLeft) = engine.vault(PORTFOLIO, alice);
        assertGt(artLeft, 0);
        assertLt(artLeft, art);
        uint256 ethLeft = portfolio.collateralOf(alice, ETH_A);
        assertEq(ethLeft + eth.lot, 30e18);
        assertEq(portfolio.collateralOf(alice, WBTC_A), 0, "WBTC's house had room for all of its share");
        assertFalse(portfolio.isSafe(alice), "still unsafe: the rest waits for room");

        vm.roll(block.number + 1);
        vm.prank(keeper);
        dog.liquidatePortfolio(alice, keeper);
        (, artLeft) = engine.vault(PORTFOLIO, alice);
        assertLt(portfolio.collateralOf(alice, ETH_A), ethLeft);
        _assertCustodyExact();
        _assertBooksBalance();
    }

    function test_LiquidatePortfolio_RoomIsSharedWithIsolatedVaults() public {
        _unsafePortfolio();
        vm.prank(gov);
        dog.configureIlk(ETH_A, address(house[ETH_A]), PENALTY, 50_000_000e18, 30_000e18);
        // An isolated ETH vault liquidated first in the block uses most of the cap.
        _unsafeVault(bob, ETH_A, 30e18, 25_000e18, 1200e18);
        vm.prank(keeper);
        uint256 isolatedId = dog.liquidate(ETH_A, bob, keeper);
        uint256 used = _sale(ETH_A, isolatedId).tab;

        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        assertLe(_sale(ETH_A, ids[1]).tab, 30_000e18 - used, "the portfolio lot got only what was left");
    }

    /// @notice A house its breaker keeps from new auctions does not block the portfolio's other lots.
    function test_LiquidatePortfolio_SkipsAHousePausedByItsBreaker() public {
        _unsafePortfolio();
        vm.prank(gov);
        house[ETH_A].setBreakerLevel(1);
        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        assertGt(ids[0], 0, "WBTC lot kicked");
        assertEq(ids[1], 0, "no ETH lot");
        assertEq(portfolio.collateralOf(alice, WBTC_A), 0);
        assertEq(portfolio.collateralOf(alice, ETH_A), 30e18, "ETH stays until its house reopens");
        assertGt(portfolio.portfolioDebt(alice), 0, "with its share of the debt");
        _assertCustodyExact();
        _assertBooksBalance();
    }

    function test_LiquidatePortfolio_RevertWhen_NoHouseHasRoom() public {
        _unsafePortfolio();
        vm.startPrank(gov);
        dog.configureIlk(ETH_A, address(house[ETH_A]), PENALTY, 50_000_000e18, 0);
        dog.configureIlk(WBTC_A, address(house[WBTC_A]), PENALTY, 50_000_000e18, 0);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.NoRoomForPortfolio.selector, alice));
        dog.liquidatePortfolio(alice, keeper);
    }

    function test_LiquidatePortfolio_RevertWhen_RemainderWouldBeDust() public {
        _unsafePortfolio();
        (, uint256 art) = engine.vault(PORTFOLIO, alice);
        uint256 rate = engine.ilks(PORTFOLIO).rate;
        // WBTC's house takes all of its share; ETH's room leaves 50 of debt (below the dust of 100) behind.
        uint256 artWbtc = FixedPointMathLib.mulDiv(
            art, _isolatedValue(WBTC_A, 1e8), _isolatedValue(WBTC_A, 1e8) + _isolatedValue(ETH_A, 30e18)
        );
        uint256 ethDebt = FixedPointMathLib.divUp((art - artWbtc) * rate, 1e27);
        uint256 room = FixedPointMathLib.mulWad(ethDebt - 50e18, PENALTY);
        vm.prank(gov);
        dog.configureIlk(ETH_A, address(house[ETH_A]), PENALTY, 50_000_000e18, room);
        vm.expectPartialRevert(ILiquidationEngine.DustyPartialLiquidation.selector);
        dog.liquidatePortfolio(alice, keeper);
    }

    /*//////////////////////////////////////////////////////////////
                                REFUSALS
    //////////////////////////////////////////////////////////////*/

    function test_LiquidatePortfolio_RevertWhen_PortfolioIsSafe() public {
        _depositPortfolio(alice, ETH_A, 30e18);
        vm.prank(alice);
        portfolio.borrow(10_000e18);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.PortfolioIsSafe.selector, alice));
        dog.liquidatePortfolio(alice, keeper);
    }

    /// @notice The liquidation engine reads the portfolio engine's own rule: one wei over the limit is unsafe,
    /// at the limit it is safe.
    function test_LiquidatePortfolio_AtTheLimitIsSafe() public {
        uint256 debt = _unsafePortfolio();
        // Back to the price at which the debt was exactly the limit.
        _crash(ETH_A, 2000e18);
        assertEq(portfolio.portfolioDebt(alice), debt);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.PortfolioIsSafe.selector, alice));
        dog.liquidatePortfolio(alice, keeper);
    }

    function test_LiquidatePortfolio_RevertWhen_NoDebt() public {
        _depositPortfolio(alice, ETH_A, 30e18);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.PortfolioHasNoDebt.selector, alice));
        dog.liquidatePortfolio(alice, keeper);
    }

    function test_LiquidatePortfolio_RevertWhen_EngineNotSet() public {
        LiquidationEngine fresh = new LiquidationEngine(gov, engine);
        vm.expectRevert(ILiquidationEngine.PortfolioEngineNotSet.selector);
        fresh.liquidatePortfolio(alice, keeper);
    }

    function test_LiquidatePortfolio_RevertWhen_NoPricedCollateral() public {
        _unsafePortfolio();
        vm.startPrank(spotter);
        engine.setSpot(ETH_A, 0);
        engine.setSpot(WBTC_A, 0);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.NoPricedCollateral.selector, alice));
        dog.liquidatePortfolio(alice, keeper);
    }

    function test_SetPortfolioEngine_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(attacker);
        dog.setPortfolioEngine(attacker);
    }

    function test_SetPortfolioEngine_RevertWhen_ZeroAddress() public {
        vm.expectRevert(ILiquidationEngine.ZeroAddress.selector);
        vm.prank(gov);
        dog.setPortfolioEngine(address(0));
    }

    /*//////////////////////////////////////////////////////////////
                                 ATTACKS
    //////////////////////////////////////////////////////////////*/

    /// @notice Only the liquidation engine moves portfolio collateral to a house.
    function test_SeizeCollateral_RevertWhen_NotLiquidator() public {
        _depositPortfolio(alice, ETH_A, 30e18);
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(attacker);
        portfolio.seizeCollateral(alice, ETH_A, 30e18, attacker, 1);
    }

    /// @notice Only the vault engine credits a returned lot, so nobody can mint holdings.
    function test_OnCollateralRestored_RevertWhen_NotVaultEngine() public {
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.NotVaultEngine.selector, attacker));
        vm.prank(attacker);
        portfolio.onCollateralRestored(ETH_A, address(house[ETH_A]), 1, 1e18);
    }

    /// @notice A house of another collateral cannot route "returned" tokens of this ilk into a portfolio.
    function test_RestoreToPortfolio_RevertWhen_HouseOfAnotherIlk() public {
        _unsafePortfolio();
        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAuctionHouse.selector, ETH_A, address(house[WBTC_A])));
        vm.prank(address(house[WBTC_A]));
        engine.restoreCollateral(ETH_A, address(portfolio), 1e18, ids[1]);
    }

    /// @notice An auction the portfolio engine did not register cannot credit anybody: its return reverts.
    function test_RestoreToPortfolio_RevertWhen_UnknownAuction() public {
        _depositPortfolio(alice, ETH_A, 1e18);
        weth.mint(address(engine), 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(IPortfolioEngine.UnknownPortfolioAuction.selector, address(house[ETH_A]), 777)
        );
        vm.prank(address(house[ETH_A]));
        engine.restoreCollateral(ETH_A, address(portfolio), 1e18, 777);
    }

    /// @notice The owner cannot pull collateral out of a portfolio under liquidation beyond what the rule
    /// allows: after liquidation the holdings are gone; what comes back is credited, not sent.
    function test_LiquidatePortfolio_OwnerCannotWithdrawSeizedCollateral() public {
        _unsafePortfolio();
        vm.prank(keeper);
        dog.liquidatePortfolio(alice, keeper);
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.InsufficientCollateral.selector, ETH_A, 1, 0));
        vm.prank(alice);
        portfolio.withdraw(ETH_A, 1, alice);
    }

    /*//////////////////////////////////////////////////////////////
                                   GAS
    //////////////////////////////////////////////////////////////*/

    /// @notice A three-asset portfolio liquidation (three lots, three auctions); `--isolate` for cold figures.
    function test_LiquidatePortfolio_Gas() public {
        _depositPortfolio(alice, USDC_A, 20_000e6);
        _unsafePortfolio();
        vm.prank(keeper);
        uint256 before = gasleft();
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        uint256 used = before - gasleft();
        assertEq(ids.length, 3);
        vm.snapshotValue("liquidatePortfolio 3 assets", used);
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    function _sale(bytes32 id, uint256 auctionId) internal view returns (ICollateralAuction.Sale memory) {
        return house[id].sale(auctionId);
    }

    function _assertLot(uint256 auctionId, bytes32 id, uint256 lot, uint256 art, uint256 rate) internal view {
        ICollateralAuction.Sale memory s = _sale(id, auctionId);
        uint256 debt = FixedPointMathLib.divUp(art * rate, 1e27);
        assertEq(s.lot, lot, "lot");
        assertEq(s.tab, FixedPointMathLib.mulWadUp(debt, PENALTY), "tab");
        assertEq(s.owner, address(portfolio), "owner");
        assertEq(_token(id).balanceOf(address(house[id])), lot, "tokens at the house");
    }
}
