// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test, Vm, console} from "forge-std/Test.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {UniswapV2Artifacts} from "../../../contracts/script/lib/UniswapV2Artifacts.sol";
import {IUniswapV2FlashTaker} from "../../../contracts/src/interfaces/IUniswapV2FlashTaker.sol";
import {UniswapV2FlashTaker} from "../../../contracts/src/periphery/UniswapV2FlashTaker.sol";
import {MockERC20} from "../../utils/mocks/MockERC20.sol";
import {MaliciousTakeAuction} from "../../utils/periphery/MaliciousTakeAuction.sol";
import {MockTakeAuction} from "../../utils/periphery/MockTakeAuction.sol";
import {NoReturnMockERC20} from "../../utils/periphery/NoReturnMockERC20.sol";
import {UniswapV2Deployer} from "../../utils/uniswap/UniswapV2Deployer.sol";

/// @notice `UniswapV2FlashTaker` against the real Uniswap V2 (npm artifacts) and a stand-in auction
/// house with `CollateralAuction.take` semantics.
contract UniswapV2FlashTakerTest is Test, UniswapV2Deployer {
    using SafeTransferLib for address;

    struct Market {
        address collateral;
        MockTakeAuction auction;
        uint256 id;
        address[] path;
    }

    UniswapV2Artifacts.UniswapV2 internal uni;
    MockERC20 internal stable;
    UniswapV2FlashTaker internal taker;
    address internal bidder = makeAddr("bidder");
    address internal attacker = makeAddr("attacker");

    function setUp() public {
        uni = _deployUniswapV2();
        stable = new MockERC20("Gavel USD", "GUSD", 18);
        taker = new UniswapV2FlashTaker(address(uni.router));
        vm.label(address(taker), "UniswapV2FlashTaker");
        vm.label(address(stable), "GUSD");
    }

    /*//////////////////////////////////////////////////////////////
                               HAPPY PATH
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_SetsRouter() public view {
        assertEq(taker.router(), address(uni.router));
    }

    function test_FlashTake_SendsProfitToBidder() public {
        // Pool: 1000 collateral at 2000; auction: 10 collateral at 1800 (10% below market).
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        uint256 out = uni.router.getAmountsOut(10e18, m.path)[1];
        uint256 owe = 18_000e18;
        uint256 expectedProfit = out - owe;
        assertGt(expectedProfit, 1700e18, "setup: profitable");

        vm.expectEmit(address(taker));
        emit IUniswapV2FlashTaker.FlashTake(address(m.auction), m.id, bidder, 10e18, owe, expectedProfit);
        vm.prank(bidder);
        (uint256 bought, uint256 paid, uint256 profit) =
            taker.take(address(m.auction), m.id, 10e18, 1800e18, 1000e18, m.path, address(0));

        assertEq(bought, 10e18, "bought");
        assertEq(paid, owe, "paid");
        assertEq(profit, expectedProfit, "profit");
        assertEq(stable.balanceOf(bidder), expectedProfit, "bidder got the profit");
        assertEq(stable.balanceOf(address(m.auction)), owe, "auction paid");
        assertEq(_lot(m), 0, "lot sold");
        _assertTakerClean(m);
    }

    function test_FlashTake_ProfitToOtherReceiver() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        address treasury = makeAddr("treasury");
        vm.prank(bidder);
        (,, uint256 profit) = taker.take(address(m.auction), m.id, 10e18, 1800e18, 0, m.path, treasury);
        assertEq(stable.balanceOf(treasury), profit, "treasury got the profit");
        assertEq(stable.balanceOf(bidder), 0, "bidder got nothing");
        _assertTakerClean(m);
    }

    function test_FlashTake_PartialTake() public {
        Market memory m = _market(8, 100e8, 65_000e18, 2e8, 60_000e18);
        uint256 out = uni.router.getAmountsOut(0.5e8, m.path)[1];
        vm.prank(bidder);
        (uint256 bought, uint256 paid, uint256 profit) =
            taker.take(address(m.auction), m.id, 0.5e8, 60_000e18, 0, m.path, bidder);
        assertEq(bought, 0.5e8, "bought");
        assertEq(paid, 30_000e18, "paid");
        assertEq(profit, out - paid, "profit");
        assertEq(_lot(m), 1.5e8, "lot left");
        _assertTakerClean(m);
    }

    function test_FlashTake_AmountAboveLotBuysTheLot() public {
        Market memory m = _market(6, 1_000_000e6, 1e18, 1000e6, 0.95e18);
        vm.prank(bidder);
        (uint256 bought, uint256 paid,) =
            taker.take(address(m.auction), m.id, type(uint256).max, 1e18, 0, m.path, bidder);
        assertEq(bought, 1000e6, "whole lot");
        assertEq(paid, 950e18, "paid");
        _assertTakerClean(m);
    }

    function test_FlashTake_MultiHopPath() public {
        // collateral -> WETH -> stablecoin; no direct collateral/stablecoin pool.
        MockERC20 collateral = new MockERC20("Wrapped BTC", "WBTC", 8);
        _addLiquidityAtPrice(uni, address(collateral), uni.weth, 100e8, 20e18); // 1 BTC = 20 ETH
        _addLiquidityAtPrice(uni, uni.weth, address(stable), 10_000e18, 3000e18); // 1 ETH = 3000
        Market memory m = _auction(address(collateral), 8, 1e8, 50_000e18);
        m.path = new address[](3);
        (m.path[0], m.path[1], m.path[2]) = (address(collateral), uni.weth, address(stable));
        uint256 out = uni.router.getAmountsOut(1e8, m.path)[2];

        vm.prank(bidder);
        (,, uint256 profit) = taker.take(address(m.auction), m.id, 1e8, 50_000e18, 0, m.path, bidder);
        assertEq(profit, out - 50_000e18, "profit");
        assertEq(stable.balanceOf(bidder), profit, "bidder");
        assertEq(uni.weth.balanceOf(address(taker)), 0, "no WETH left");
        _assertTakerClean(m);
    }

    function test_FlashTake_SweepsLeftoverCollateral() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        MockERC20(m.collateral).mint(address(taker), 3e18); // sent to the taker by mistake
        vm.prank(bidder);
        taker.take(address(m.auction), m.id, 10e18, 1800e18, 0, m.path, bidder);
        assertEq(MockERC20(m.collateral).balanceOf(bidder), 3e18, "leftover collateral to bidder");
        _assertTakerClean(m);
    }

    function test_FlashTake_NonStandardCollateral() public {
        // USDT-style collateral: no return values, approve only from zero. Two takes in a row prove
        // the router allowance returns to zero.
        NoReturnMockERC20 collateral = new NoReturnMockERC20("Tether-like", "USDTL", 6);
        _addLiquidityAtPrice(uni, address(collateral), address(stable), 1_000_000e6, 1e18);
        Market memory m = _auction(address(collateral), 6, 2000e6, 0.9e18);
        for (uint256 i; i < 2; ++i) {
            vm.prank(bidder);
            (uint256 bought,,) = taker.take(address(m.auction), m.id, 1000e6, 0.9e18, 0, m.path, bidder);
            assertEq(bought, 1000e6, "bought");
            assertEq(collateral.allowance(address(taker), address(uni.router)), 0, "router allowance");
        }
        assertGt(stable.balanceOf(bidder), 0, "profit");
        _assertTakerClean(m);
    }

    function test_Gas_FlashTake() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        bytes memory call_ = abi.encodeCall(taker.take, (address(m.auction), m.id, 10e18, 1800e18, 0, m.path, bidder));
        vm.prank(bidder);
        (bool ok,) = address(taker).call(call_);
        assertTrue(ok, "take");
        // Execution gas of the whole flash take (auction take + swap + payment + profit transfer),
        // and an estimate of receipt gas: + 21,000 base + calldata, - refunds (capped at 1/5).
        // Run with `--isolate` for cold storage.
        Vm.Gas memory g = vm.lastCallGas();
        uint256 calldataGas;
        for (uint256 i; i < call_.length; ++i) {
            calldataGas += call_[i] == 0 ? 4 : 16;
        }
        uint256 gross = g.gasTotalUsed + 21_000 + calldataGas;
        uint256 refund = g.gasRefunded > 0 ? uint256(int256(g.gasRefunded)) : 0;
        if (refund > gross / 5) refund = gross / 5;
        console.log("flash take execution gas:", g.gasTotalUsed);
        console.log("flash take refund (uncapped):", uint256(int256(g.gasRefunded)));
        console.log("flash take receipt gas (estimate):", gross - refund);
    }

    /*//////////////////////////////////////////////////////////////
                              SWAP SHORTFALL
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SwapOutputBelowOwe() public {
        // Auction price above the pool price: selling cannot cover the debt.
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 2100e18);
        uint256 out = uni.router.getAmountsOut(10e18, m.path)[1];
        uint256 owe = 21_000e18;
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InsufficientSwapOutput.selector, out, owe));
        taker.take(address(m.auction), m.id, 10e18, 2100e18, 0, m.path, bidder);
        _assertNothingMoved(m, 10e18);
    }

    function test_RevertWhen_SwapOutputBelowOweByOneWei() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        uint256 out = uni.router.getAmountsOut(10e18, m.path)[1];
        // Price such that owe = out + 1 exactly (10 collateral: owe = price * 10, rounded up).
        m.auction.setPrice(m.id, (out + 1) / 10 + ((out + 1) % 10 == 0 ? 0 : 1));
        (, uint256 owe) = m.auction.quote(m.id, 10e18);
        assertGt(owe, out, "setup: owe above output");
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InsufficientSwapOutput.selector, out, owe));
        taker.take(address(m.auction), m.id, 10e18, type(uint256).max, 0, m.path, bidder);
        _assertNothingMoved(m, 10e18);
    }

    function test_RevertWhen_ProfitBelowMinimum() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        uint256 profit = uni.router.getAmountsOut(10e18, m.path)[1] - 18_000e18;
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.ProfitBelowMinimum.selector, profit, profit + 1));
        taker.take(address(m.auction), m.id, 10e18, 1800e18, profit + 1, m.path, bidder);
        _assertNothingMoved(m, 10e18);

        // Exactly the minimum passes.
        vm.prank(bidder);
        (,, uint256 got) = taker.take(address(m.auction), m.id, 10e18, 1800e18, profit, m.path, bidder);
        assertEq(got, profit, "profit at minimum");
    }

    function test_RevertWhen_MinProfitOverflowsOwePlusMinProfit() public {
        // `owe + minProfit` saturates instead of panicking: still the named error.
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        uint256 profit = uni.router.getAmountsOut(10e18, m.path)[1] - 18_000e18;
        vm.prank(bidder);
        vm.expectRevert(
            abi.encodeWithSelector(IUniswapV2FlashTaker.ProfitBelowMinimum.selector, profit, type(uint256).max)
        );
        taker.take(address(m.auction), m.id, 10e18, 1800e18, type(uint256).max, m.path, bidder);
        _assertNothingMoved(m, 10e18);
    }

    function test_RevertWhen_PriceAboveMaxPrice() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(MockTakeAuction.PriceAboveMax.selector, 1800e18, 1799e18));
        taker.take(address(m.auction), m.id, 10e18, 1799e18, 0, m.path, bidder);
        _assertNothingMoved(m, 10e18);
    }

    function test_RevertWhen_NoPoolForPath_BubblesRouterError() public {
        // A path through a pair that does not exist: not a shortfall, the router's revert bubbles.
        MockERC20 collateral = new MockERC20("No Pool", "NOP", 18);
        Market memory m = _auction(address(collateral), 18, 1e18, 1e18);
        vm.prank(bidder);
        vm.expectRevert();
        taker.take(address(m.auction), m.id, 1e18, 1e18, 0, m.path, bidder);
        _assertNothingMoved(m, 1e18);
    }

    /*//////////////////////////////////////////////////////////////
                                  PATH
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_PathTooShort() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        address[] memory path = new address[](1);
        path[0] = m.collateral;
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InvalidPath.selector, address(0), address(0)));
        taker.take(address(m.auction), m.id, 10e18, 1800e18, 0, path, bidder);
    }

    function test_RevertWhen_PathDoesNotStartAtCollateral() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (uni.weth, address(stable));
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InvalidPath.selector, uni.weth, address(stable)));
        taker.take(address(m.auction), m.id, 10e18, 1800e18, 0, path, bidder);
    }

    function test_RevertWhen_PathDoesNotEndAtStablecoin() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (m.collateral, uni.weth);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InvalidPath.selector, m.collateral, uni.weth));
        taker.take(address(m.auction), m.id, 10e18, 1800e18, 0, path, bidder);
    }

    /*//////////////////////////////////////////////////////////////
                          CALLBACK AUTHENTICATION
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_CallbackCalledDirectly() public {
        Market memory m = _market(18, 1000e18, 2000e18, 10e18, 1800e18);
        // The attacker holds collateral at the taker (or hopes to) and asks it to swap and approve.
        MockERC20(m.collateral).mint(address(taker), 1e18);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.UnexpectedCaller.selector, attacker));
        taker.onAuctionTake(address(taker), 0, 1e18, abi.encode(uint256(0), m.path));

        // Even claiming to be an auction, with a sender that is the attacker.
        vm.prank(address(m.auction));
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.UnexpectedCaller.selector, address(m.auction)));
        taker.onAuctionTake(attacker, 0, 1e18, abi.encode(uint256(0), m.path));
    }

    function test_RevertWhen_AuctionReentersTake() public {
        MaliciousTakeAuction evil = _evil(MaliciousTakeAuction.Mode.Reenter);
        address[] memory path = _path(evil);
        vm.prank(bidder);
        vm.expectRevert(IUniswapV2FlashTaker.Reentrancy.selector);
        taker.take(address(evil), 1, 1e18, type(uint256).max, 0, path, bidder);
    }

    function test_RevertWhen_AuctionReentersTakeAfterCallback() public {
        MaliciousTakeAuction evil = _evil(MaliciousTakeAuction.Mode.ReenterFromCallback);
        address[] memory path = _path(evil);
        vm.prank(bidder);
        vm.expectRevert(IUniswapV2FlashTaker.Reentrancy.selector);
        taker.take(address(evil), 1, 1e18, type(uint256).max, 0, path, bidder);
    }

    function test_RevertWhen_AuctionCallsBackTwice() public {
        MaliciousTakeAuction evil = _evil(MaliciousTakeAuction.Mode.DoubleCallback);
        address[] memory path = _path(evil);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.UnexpectedCaller.selector, address(evil)));
        taker.take(address(evil), 1, 1e18, type(uint256).max, 0, path, bidder);
    }

    function test_RevertWhen_AuctionReportsAnotherSender() public {
        MaliciousTakeAuction evil = _evil(MaliciousTakeAuction.Mode.WrongSender);
        address[] memory path = _path(evil);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.UnexpectedSender.selector, address(0xBAD)));
        taker.take(address(evil), 1, 1e18, type(uint256).max, 0, path, bidder);
    }

    function test_FlashTake_HostileAuctionWorksWhenHonest() public {
        // Control for the malicious-auction tests: same contract, honest mode, succeeds.
        MaliciousTakeAuction evil = _evil(MaliciousTakeAuction.Mode.Honest);
        address[] memory path = _path(evil);
        vm.prank(bidder);
        (,, uint256 profit) = taker.take(address(evil), 1, 1e18, type(uint256).max, 0, path, bidder);
        assertGt(profit, 0, "profit");
        assertEq(stable.balanceOf(address(taker)), 0, "taker stable");
    }

    function test_FlashTake_AuctionPullingLessLeavesNoAllowance() public {
        MaliciousTakeAuction evil = _evil(MaliciousTakeAuction.Mode.PullLess);
        address[] memory path = _path(evil);
        uint256 out = uni.router.getAmountsOut(1e18, path)[1];
        vm.prank(bidder);
        (,, uint256 profit) = taker.take(address(evil), 1, 1e18, type(uint256).max, 0, path, bidder);
        assertEq(stable.allowance(address(taker), address(evil)), 0, "allowance cleared");
        assertEq(profit, out - 450e18, "profit counts the half not pulled");
        assertEq(stable.balanceOf(address(taker)), 0, "taker stable");
    }

    /*//////////////////////////////////////////////////////////////
                             FUZZ: DECIMALS
    //////////////////////////////////////////////////////////////*/

    function testFuzz_FlashTake_6Decimals(
        uint256 depth,
        uint256 price,
        uint256 lot,
        uint256 discount,
        uint256 amt,
        uint256 minProfit
    ) public {
        _fuzzFlashTake(6, depth, price, lot, discount, amt, minProfit);
    }

    function testFuzz_FlashTake_8Decimals(
        uint256 depth,
        uint256 price,
        uint256 lot,
        uint256 discount,
        uint256 amt,
        uint256 minProfit
    ) public {
        _fuzzFlashTake(8, depth, price, lot, discount, amt, minProfit);
    }

    function testFuzz_FlashTake_18Decimals(
        uint256 depth,
        uint256 price,
        uint256 lot,
        uint256 discount,
        uint256 amt,
        uint256 minProfit
    ) public {
        _fuzzFlashTake(18, depth, price, lot, discount, amt, minProfit);
    }

    /// @dev Random pool depth and price, auction lot and price (50% to 120% of the pool price),
    /// take amount and minimum profit. Outcome must match the router's quote exactly: success with
    /// `profit = out - owe` and a clean taker, or the matching named error with nothing moved.
    function _fuzzFlashTake(
        uint8 dec,
        uint256 depthWhole,
        uint256 poolPrice,
        uint256 lot,
        uint256 discountBps,
        uint256 amount,
        uint256 minProfit
    ) internal {
        uint256 unit = 10 ** dec;
        depthWhole = bound(depthWhole, 10, 1e7);
        poolPrice = bound(poolPrice, 1e12, 1e24); // 0.000001 to 1,000,000 stablecoin per token
        lot = bound(lot, 1, depthWhole * unit); // up to the whole pool depth: large price impact
        uint256 auctionPrice = poolPrice * bound(discountBps, 5000, 12_000) / 10_000;
        amount = bound(amount, 1, lot);

        Market memory m = _market(dec, depthWhole * unit, poolPrice, lot, auctionPrice);
        (uint256 bought, uint256 owe) = m.auction.quote(m.id, amount);
        uint256 out = uni.router.getAmountsOut(bought, m.path)[1];
        minProfit = out > owe ? bound(minProfit, 0, (out - owe) * 2) : bound(minProfit, 0, 1e18);

        vm.prank(bidder);
        if (out < owe) {
            vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InsufficientSwapOutput.selector, out, owe));
        } else if (out - owe < minProfit) {
            vm.expectRevert(
                abi.encodeWithSelector(IUniswapV2FlashTaker.ProfitBelowMinimum.selector, out - owe, minProfit)
            );
        }
        (uint256 gotBought, uint256 paid, uint256 profit) =
            taker.take(address(m.auction), m.id, amount, auctionPrice, minProfit, m.path, bidder);

        if (out < owe || out - owe < minProfit) {
            _assertNothingMoved(m, lot);
        } else {
            assertEq(gotBought, bought, "bought");
            assertEq(paid, owe, "paid");
            assertEq(profit, out - owe, "profit");
            assertEq(stable.balanceOf(bidder), profit, "bidder");
            assertEq(stable.balanceOf(address(m.auction)), owe, "auction");
            assertEq(_lot(m), lot - bought, "lot");
        }
        _assertTakerClean(m);
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev A `dec`-decimal collateral with a pool of `poolCollateral` at `poolPrice`, and a sale
    /// of `lot` at `auctionPrice`.
    function _market(uint8 dec, uint256 poolCollateral, uint256 poolPrice, uint256 lot, uint256 auctionPrice)
        internal
        returns (Market memory m)
    {
        MockERC20 collateral = new MockERC20("Collateral", "COL", dec);
        vm.label(address(collateral), "COL");
        _addLiquidityAtPrice(uni, address(collateral), address(stable), poolCollateral, poolPrice);
        m = _auction(address(collateral), dec, lot, auctionPrice);
    }

    /// @dev A stand-in auction house holding `lot` of `collateral`, one sale at `price`.
    function _auction(address collateral, uint8 dec, uint256 lot, uint256 price) internal returns (Market memory m) {
        m.collateral = collateral;
        m.auction = new MockTakeAuction(collateral, address(stable), dec);
        vm.label(address(m.auction), "MockTakeAuction");
        MockERC20(collateral).mint(address(m.auction), lot); // same selector on both mocks
        m.id = m.auction.open(lot, price);
        m.path = new address[](2);
        (m.path[0], m.path[1]) = (collateral, address(stable));
    }

    /// @dev A hostile auction selling 1 collateral (18 decimals, pool at 1000) for 900.
    function _evil(MaliciousTakeAuction.Mode mode) internal returns (MaliciousTakeAuction evil) {
        MockERC20 collateral = new MockERC20("Collateral", "COL", 18);
        _addLiquidityAtPrice(uni, address(collateral), address(stable), 1000e18, 1000e18);
        evil = new MaliciousTakeAuction(address(collateral), address(stable));
        collateral.mint(address(evil), 10e18);
        evil.configure(mode, 1e18, 900e18, _pathOf(address(collateral)));
    }

    function _path(MaliciousTakeAuction evil) internal view returns (address[] memory) {
        return _pathOf(evil.collateral());
    }

    function _pathOf(address collateral) internal view returns (address[] memory path) {
        path = new address[](2);
        (path[0], path[1]) = (collateral, address(stable));
    }

    function _lot(Market memory m) internal view returns (uint256 lot) {
        (lot,) = m.auction.sales(m.id);
    }

    /// @dev The taker holds no tokens and no allowances.
    function _assertTakerClean(Market memory m) internal view {
        assertEq(stable.balanceOf(address(taker)), 0, "taker stablecoin");
        assertEq(m.collateral.balanceOf(address(taker)), 0, "taker collateral");
        assertEq(stable.allowance(address(taker), address(m.auction)), 0, "taker -> auction allowance");
        assertEq(_allowanceOf(m.collateral, address(taker), address(uni.router)), 0, "taker -> router allowance");
    }

    /// @dev After a revert: the sale, the bidder and the auction are as before.
    function _assertNothingMoved(Market memory m, uint256 lot) internal view {
        assertEq(_lot(m), lot, "lot unchanged");
        assertEq(m.collateral.balanceOf(address(m.auction)), lot, "auction collateral");
        assertEq(stable.balanceOf(address(m.auction)), 0, "auction stablecoin");
        assertEq(stable.balanceOf(bidder), 0, "bidder stablecoin");
        assertEq(m.collateral.balanceOf(bidder), 0, "bidder collateral");
        assertEq(stable.balanceOf(address(taker)), 0, "taker stablecoin");
    }

    function _allowanceOf(address token, address owner, address spender) internal view returns (uint256) {
        return MockERC20(token).allowance(owner, spender);
    }
}
