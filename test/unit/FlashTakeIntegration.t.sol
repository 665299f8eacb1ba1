// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UniswapV2Artifacts} from "../../contracts/script/lib/UniswapV2Artifacts.sol";
import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {IUniswapV2FlashTaker} from "../../contracts/src/interfaces/IUniswapV2FlashTaker.sol";
import {UniswapV2FlashTaker} from "../../contracts/src/periphery/UniswapV2FlashTaker.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";
import {UniswapV2Deployer} from "../utils/uniswap/UniswapV2Deployer.sol";

/// @notice Zero-capital flash takes end to end: `UniswapV2FlashTaker` against the real
/// `CollateralAuction` and `LiquidationEngine` (LiquidationBaseTest fixture) and the real Uniswap V2
/// (Factory, Pair, Router02 from the npm build artifacts). The pools' gUSD is minted the protocol's
/// way, by opening vaults, so the books stay exact.
contract FlashTakeIntegrationTest is LiquidationBaseTest, UniswapV2Deployer {
    UniswapV2Artifacts.UniswapV2 internal uni;
    UniswapV2FlashTaker internal taker;
    address internal lp = makeAddr("lp");

    function setUp() public override {
        super.setUp();
        uni = _deployUniswapV2();
        taker = new UniswapV2FlashTaker(address(uni.router));
        vm.label(address(taker), "UniswapV2FlashTaker");
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev A `token`/gUSD pool of `wholeTokens` at `priceWad`, its gUSD borrowed by `lp` from an ETH vault.
    function _pool(bytes32 id, uint256 wholeTokens, uint256 priceWad) internal returns (address pair) {
        MockERC20 token = _token(id);
        uint256 amount = _units(id, wholeTokens);
        uint256 stable = wholeTokens * priceWad;
        _fundStable(lp, stable, address(uni.router));
        token.mint(lp, amount);
        vm.startPrank(lp);
        token.approve(address(uni.router), amount);
        uni.router.addLiquidity(address(token), address(gusd), amount, stable, amount, stable, lp, block.timestamp);
        vm.stopPrank();
        pair = uni.factory.getPair(address(token), address(gusd));
        assertTrue(pair != address(0), "pair");
    }

    function _path(bytes32 id) internal view returns (address[] memory path) {
        path = new address[](2);
        (path[0], path[1]) = (address(_token(id)), address(gusd));
    }

    /// @dev What the pool pays for `amount` collateral now.
    /// @dev The taker is the take callee: the house wraps its revert in its own named error.
    function _wrapped(bytes memory inner) internal view returns (bytes memory) {
        return abi.encodeWithSelector(ICollateralAuction.TakeCallbackFailed.selector, address(taker), inner);
    }

    function _swapOut(bytes32 id, uint256 amount) internal view returns (uint256) {
        return uni.router.getAmountsOut(amount, _path(id))[1];
    }

    function _assertBidderHoldsOnlyProfit(bytes32 id, uint256 profit) internal view {
        assertEq(gusd.balanceOf(bidder), profit, "bidder: exactly the profit in gUSD");
        assertEq(_token(id).balanceOf(bidder), 0, "bidder: no collateral");
        assertEq(gusd.balanceOf(address(taker)), 0, "taker keeps no gUSD");
        assertEq(_token(id).balanceOf(address(taker)), 0, "taker keeps no collateral");
        assertEq(gusd.allowance(address(taker), address(house[id])), 0, "no allowance left");
    }

    /*//////////////////////////////////////////////////////////////
                             WBTC (8 decimals)
    //////////////////////////////////////////////////////////////*/

    /// @dev alice: 1 WBTC, 40,000 debt; WBTC falls to 55,000 (market and mark): tab 45,200, top 66,000.
    function _liquidateWbtc() internal returns (uint256 id) {
        _pool(WBTC_A, 200, 55_000e18);
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
        id = dog.liquidate(WBTC_A, alice, keeper);
    }

    function test_FlashTake_Wbtc_PartialThenRest_ZeroCapitalProfit() public {
        uint256 id = _liquidateWbtc();
        CollateralAuction h = house[WBTC_A];
        // 20,000 s: the price decayed from 66,000 to about 54,000, below the pool's 55,000.
        vm.warp(block.timestamp + 20_000);
        assertEq(gusd.balanceOf(bidder), 0, "bidder starts with no gUSD");
        assertEq(wbtc.balanceOf(bidder), 0, "bidder starts with no WBTC");

        // 1) Partial: 0.4 WBTC. The auction stays live with tab and lot reduced.
        uint256 profit = _flashTakeWbtcPartial(h, id);

        // 2) The rest: the lot is worth more than the tab left, so the take raises exactly the tab and
        // the unsold WBTC goes back into alice's vault.
        ICollateralAuction.Sale memory s = h.sale(id);
        address[] memory path = _path(WBTC_A); // built before the prank: building it makes calls
        (uint256 qOut, uint256 qOwe, uint256 price) = h.quote(id, type(uint256).max);
        assertEq(qOwe, s.tab, "raises the tab");
        assertLt(qOut, s.lot, "part of the lot suffices");
        profit += _swapOut(WBTC_A, qOut) - qOwe;
        vm.prank(bidder);
        (uint256 bought, uint256 paid,) = taker.take(address(h), id, type(uint256).max, price, 0, path, address(0));
        assertEq(bought, qOut);
        assertEq(paid, qOwe);
        assertEq(h.count(), 0, "auction closed");
        assertEq(h.debtInAuctions(), 0, "no debt in auction");
        (uint256 restored,) = engine.vault(WBTC_A, alice);
        assertEq(restored, s.lot - bought, "leftover back in the owner's vault");
        assertEq(h.pendingRevenue(), 5200e18, "penalty booked as revenue");
        _assertBidderHoldsOnlyProfit(WBTC_A, profit);
        assertEq(wbtc.balanceOf(address(h)), 0, "house holds no WBTC");
        _assertBooksBalance();

        // Proceeds settle against the bad debt; the books still balance.
        h.settle();
        _assertBooksBalance();
    }

    function _flashTakeWbtcPartial(CollateralAuction h, uint256 id) internal returns (uint256 profit) {
        address[] memory path = _path(WBTC_A);
        (uint256 qOut, uint256 qOwe, uint256 price) = h.quote(id, 0.4e8);
        assertLt(price, 55_000e18, "auction below the pool");
        uint256 expectedProfit = _swapOut(WBTC_A, qOut) - qOwe;
        vm.expectEmit(address(taker));
        emit IUniswapV2FlashTaker.FlashTake(address(h), id, bidder, qOut, qOwe, expectedProfit);
        vm.prank(bidder);
        uint256 bought;
        uint256 paid;
        (bought, paid, profit) = taker.take(address(h), id, 0.4e8, price, 0, path, address(0));
        assertEq(bought, 0.4e8, "bought 0.4 WBTC");
        assertEq(paid, qOwe, "paid what quote said");
        assertEq(profit, expectedProfit, "profit = swap out - owe");
        assertGt(profit, 0, "profitable");
        ICollateralAuction.Sale memory s = h.sale(id);
        assertEq(s.lot, 1e8 - 0.4e8, "lot reduced");
        assertEq(s.tab, 45_200e18 - paid, "tab reduced");
        assertEq(h.debtInAuctions(), s.tab, "house debt");
        _assertBidderHoldsOnlyProfit(WBTC_A, profit);
        _assertBooksBalance();
    }

    /// @dev Everything a failed flash take must leave as it was.
    struct Snapshot {
        uint256 lot;
        uint256 tab;
        uint256 top;
        uint256 pairCollateral;
        uint256 pairStable;
        uint256 houseCollateral;
        uint256 supply;
        uint256 badDebtRad;
    }

    function _snapshot(bytes32 ilk, uint256 id) internal view returns (Snapshot memory s) {
        CollateralAuction h = house[ilk];
        ICollateralAuction.Sale memory sale = h.sale(id);
        address pair = uni.factory.getPair(address(_token(ilk)), address(gusd));
        s = Snapshot({
            lot: sale.lot,
            tab: sale.tab,
            top: sale.top,
            pairCollateral: _token(ilk).balanceOf(pair),
            pairStable: gusd.balanceOf(pair),
            houseCollateral: _token(ilk).balanceOf(address(h)),
            supply: gusd.totalSupply(),
            badDebtRad: engine.badDebtRad()
        });
    }

    function test_FlashTake_RevertWhen_PoolBelowAuctionPrice_NothingMoves() public {
        uint256 id = _liquidateWbtc();
        CollateralAuction h = house[WBTC_A];
        address[] memory path = _path(WBTC_A);
        // Just kicked: the auction asks 66,000, the pool pays about 55,000.
        (uint256 qOut, uint256 qOwe, uint256 price) = h.quote(id, 0.5e8);
        assertEq(price, 66_000e18);
        uint256 out = _swapOut(WBTC_A, qOut);
        assertLt(out, qOwe, "setup: the swap cannot cover the debt");
        Snapshot memory before = _snapshot(WBTC_A, id);

        vm.prank(bidder);
        vm.expectRevert(
            _wrapped(abi.encodeWithSelector(IUniswapV2FlashTaker.InsufficientSwapOutput.selector, out, qOwe))
        );
        taker.take(address(h), id, 0.5e8, price, 0, path, address(0));

        assertEq(keccak256(abi.encode(_snapshot(WBTC_A, id))), keccak256(abi.encode(before)), "nothing moved");
        assertEq(gusd.balanceOf(bidder), 0, "bidder: no gUSD");
        assertEq(wbtc.balanceOf(bidder), 0, "bidder: no WBTC");
        assertEq(wbtc.balanceOf(address(taker)), 0, "taker: no WBTC");
        _assertBooksBalance();
    }

    /*//////////////////////////////////////////////////////////////
                             ETH (18 decimals)
    //////////////////////////////////////////////////////////////*/

    function test_FlashTake_Eth_WholeLot_ZeroCapitalProfit() public {
        _pool(ETH_A, 5000, 1800e18);
        // bob: 30 ETH, 38,000 debt; safe at 2000 (ratio 1.5), unsafe at 1800. Tab 42,940, top 2160.
        _unsafeVault(bob, ETH_A, 30e18, 38_000e18, 1800e18);
        uint256 id = dog.liquidate(ETH_A, bob, keeper);
        CollateralAuction h = house[ETH_A];
        address[] memory path = _path(ETH_A);
        assertEq(h.sale(id).tab, 42_940e18, "tab");
        vm.warp(block.timestamp + 21_000); // about 1745
        (uint256 qOut, uint256 qOwe, uint256 price) = h.quote(id, 30e18);
        assertLt(price, 1770e18, "auction below the pool");
        assertEq(qOwe, 42_940e18, "the lot covers the tab");
        uint256 expectedProfit = _swapOut(ETH_A, qOut) - qOwe;

        vm.prank(bidder);
        (uint256 bought, uint256 paid, uint256 profit) =
            taker.take(address(h), id, 30e18, price, 1e18, path, address(0));

        assertEq(bought, qOut, "bought");
        assertEq(paid, 42_940e18, "paid the tab");
        assertEq(profit, expectedProfit, "profit");
        assertGt(profit, 1e18, "above the minimum profit");
        assertEq(h.count(), 0, "auction closed");
        assertEq(h.debtInAuctions(), 0);
        (uint256 restored,) = engine.vault(ETH_A, bob);
        assertEq(restored, 30e18 - bought, "leftover ETH back in bob's vault");
        assertEq(weth.balanceOf(address(h)), 0, "house holds no ETH");
        assertEq(gusd.balanceOf(address(h)), 42_940e18, "house holds the proceeds");
        _assertBidderHoldsOnlyProfit(ETH_A, profit);
        _assertBooksBalance();
        h.settle();
        _assertBooksBalance();
    }

    function test_FlashTake_Eth_RevertWhen_ProfitBelowMinimum() public {
        _pool(ETH_A, 5000, 1800e18);
        _unsafeVault(bob, ETH_A, 30e18, 38_000e18, 1800e18);
        uint256 id = dog.liquidate(ETH_A, bob, keeper);
        CollateralAuction h = house[ETH_A];
        address[] memory path = _path(ETH_A);
        vm.warp(block.timestamp + 21_000);
        (uint256 qOut, uint256 qOwe, uint256 price) = h.quote(id, 30e18);
        uint256 out = _swapOut(ETH_A, qOut);
        uint256 minProfit = out - qOwe + 1;
        vm.prank(bidder);
        vm.expectRevert(
            _wrapped(abi.encodeWithSelector(IUniswapV2FlashTaker.ProfitBelowMinimum.selector, out - qOwe, minProfit))
        );
        taker.take(address(h), id, 30e18, price, minProfit, path, address(0));
        assertEq(h.sale(id).lot, 30e18, "lot unchanged");
        assertEq(h.sale(id).tab, 42_940e18, "tab unchanged");
        assertEq(gusd.balanceOf(bidder), 0);
        _assertBooksBalance();
    }
}
