// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console} from "forge-std/Test.sol";

import {LiquidationBaseTest} from "../../test/utils/LiquidationBaseTest.sol";
import {CollateralAuction} from "../src/CollateralAuction.sol";
import {PreLiquidation} from "../src/PreLiquidation.sol";
import {ICollateralAuction} from "../src/interfaces/ICollateralAuction.sol";
import {IPreLiquidation} from "../src/interfaces/IPreLiquidation.sol";
import {MedianOracle} from "../src/oracles/MedianOracle.sol";
import {PushedFeed} from "../src/oracles/PushedFeed.sol";
import {Spotter} from "../src/oracles/Spotter.sol";
import {CollateralTopUpHook} from "../src/periphery/CollateralTopUpHook.sol";

/// @notice Receipt gas of the protocol's hot paths, each measured as its own transaction with cold
/// storage (run with `forge test --isolate`: intrinsic 21,000 and calldata included, refunds
/// applied), in a calm market: one earlier auction settled, none active; bidders hold no
/// collateral before their take. `npm run bench` runs it and writes bench-results/gas.json.
contract GasBench is LiquidationBaseTest {
    /// @dev MakerDAO dss measured on this machine in the same calm state (DESIGN.md).
    uint256 internal constant DSS_BARK = 370_198;
    uint256 internal constant DSS_TAKE_WHOLE = 154_996;
    uint256 internal constant DSS_TAKE_HALF = 132_728;
    uint256 internal constant DSS_REDO = 112_309;

    CollateralAuction internal h;
    address[] internal borrowers;
    Spotter internal spotterContract;
    MedianOracle internal oracle;
    PushedFeed[3] internal feeds;

    PreLiquidation internal pre;
    CollateralTopUpHook internal topUp;
    address internal preVault = makeAddr("preVault");
    address internal hookedRescued = makeAddr("hookedRescued");
    address internal hookedLiquidated = makeAddr("hookedLiquidated");

    string internal json;
    string internal table;

    function setUp() public override {
        super.setUp();
        h = house[ETH_A];
        // Bench tier: -0.01% per second, 6 h tail, 40% floor; small debts (< 2,000) start at mark.
        ICollateralAuction.Tier memory t = _defaultTier();
        t.cutRay = 0.9999e27;
        ICollateralAuction.Tier memory small = _defaultTier();
        small.cutRay = 0.999e27;
        small.startPremiumBps = 10_000;
        vm.startPrank(gov);
        uint256 mainId = h.addTier(t);
        uint256 smallId = h.addTier(small);
        uint256[] memory ids = new uint256[](2);
        uint256[] memory maxTabs = new uint256[](2);
        (ids[0], ids[1]) = (smallId, mainId);
        (maxTabs[0], maxTabs[1]) = (2000e18, type(uint256).max);
        h.setTiers(ids, maxTabs);
        vm.stopPrank();

        // A real Spotter over a 3-feed MedianOracle for the poke figure.
        address[] memory feedList = new address[](3);
        for (uint256 i; i < 3; ++i) {
            feeds[i] = new PushedFeed(gov, gov);
            feedList[i] = address(feeds[i]);
            vm.prank(gov);
            feeds[i].push(2000e18 + i * 1e18);
        }
        oracle = new MedianOracle(gov, feedList, 2, 1 hours, 5000, 0);
        spotterContract = new Spotter(gov, address(engine));
        vm.startPrank(gov);
        spotterContract.setOracle(ETH_A, address(oracle));
        engine.grantRoles(address(spotterContract), engine.SPOTTER());
        vm.stopPrank();
        oracle.poke();

        // Borrowers: 10 ETH (20,000) against 13,000 each; unsafe below 1,950.
        for (uint256 i; i < 16; ++i) {
            address b = makeAddr(string.concat("borrower", vm.toString(i)));
            borrowers.push(b);
            _open(b, ETH_A, 10e18, 13_000e18);
        }
        // A small vault for liquidateAndTake: 1 ETH against 1,300.
        _open(carol, ETH_A, 1e18, 1300e18);
        _setUpProtection();
        // Bidders hold gUSD (from WBTC vaults, untouched by the ETH crash) and no ETH.
        _fundBidder(bidder);
        _fundBidder(makeAddr("bidderWhole"));
        _fundBidder(makeAddr("bidderPrev"));
        _fundBidder(keeper);
        // Backstop capital for the takeover.
        _fundBidder(makeAddr("lp"));
        vm.startPrank(makeAddr("lp"));
        gusd.approve(address(fund), type(uint256).max);
        fund.deposit(50_000e18, makeAddr("lp"));
        vm.stopPrank();
        vm.startPrank(gov);
        fund.grantRoles(address(h), fund.TAKEOVER());
        fund.setTakeoverCap(address(h), 5000);
        h.setTakeoverTip(20e18);
        vm.stopPrank();

        // As Deploy does: prime the house with 1 wei of collateral so its balance never returns
        // to zero (crediting a zero balance costs 20,000 gas more than a non-zero one).
        weth.mint(address(h), 1);

        _crash(ETH_A, 1900e18);

        // Calm market: one earlier auction, taken whole and settled; none active.
        uint256 prev = dog.liquidate(ETH_A, borrowers[0], keeper);
        vm.warp(block.timestamp + 4500);
        vm.prank(makeAddr("bidderPrev"));
        h.take(prev, type(uint256).max, type(uint256).max, makeAddr("bidderPrev"), "");
        h.settle();
        vm.roll(block.number + 1);
    }

    /// @dev As Deploy wires it: PreLiquidation and the allow-listed top-up hook. `preVault` (10 ETH
    /// against 11,000: health 1.15 at 1,900) opts in up to 1.2; two vaults like the borrowers'
    /// register the top-up hook, one with a reserve that rescues it, one with too small a reserve.
    function _setUpProtection() internal {
        pre = new PreLiquidation(gov, engine, dog, IPreLiquidation.Bounds(1.5e18, 1.05e18, 5000));
        topUp = new CollateralTopUpHook(engine, address(dog));
        uint256 role = engine.PRE_LIQUIDATOR();
        vm.startPrank(gov);
        engine.grantRoles(address(pre), role);
        dog.setRescueHookAllowed(address(topUp), true);
        vm.stopPrank();
        _open(preVault, ETH_A, 10e18, 11_000e18);
        vm.prank(preVault);
        pre.setParams(ETH_A, IPreLiquidation.Params(1.2e18, 1.01e18, 1.04e18, 1000, 4000));
        _open(hookedRescued, ETH_A, 10e18, 13_000e18);
        _open(hookedLiquidated, ETH_A, 10e18, 13_000e18);
        _reserve(hookedRescued, 5e18);
        _reserve(hookedLiquidated, 0.1e18);
        vm.prank(keeper);
        gusd.approve(address(pre), type(uint256).max);
    }

    function _reserve(address owner, uint128 maxAmount) internal {
        _deal(ETH_A, owner, 5e18);
        vm.startPrank(owner);
        weth.approve(address(topUp), type(uint256).max);
        topUp.setReserve(ETH_A, maxAmount, 1.25e18);
        vm.stopPrank();
    }

    /// @dev Registered in the test body, after the hookless rows: while no vault of a type has a hook,
    /// its liquidations read no hook at all.
    function _registerHook(address owner) internal {
        vm.prank(owner);
        dog.setRescueHook(ETH_A, address(topUp));
    }

    function _fundBidder(address who) internal {
        _open(who, WBTC_A, 2e8, 60_000e18);
        vm.startPrank(who);
        gusd.approve(address(h), type(uint256).max);
        vm.stopPrank();
    }

    function _record(string memory key, uint256 gasUsed, uint256 dss, uint256 target) internal {
        json = vm.serializeUint("gas", key, gasUsed);
        string memory ratio = dss == 0 ? "" : string.concat(vm.toString(gasUsed * 100 / dss), "% of dss");
        string memory line = string.concat(
            key,
            ": ",
            vm.toString(gasUsed),
            target == 0 ? "" : string.concat(" (target ", vm.toString(target), ")"),
            " ",
            ratio
        );
        console.log(line);
        table = string.concat(table, line, "\n");
    }

    function _lastGas() internal view returns (uint256 used) {
        used = vm.lastCallGas().gasTotalUsed;
        // Without --isolate the figure has no intrinsic cost and is not a receipt figure.
        require(used > 21_000, "run with --isolate (npm run bench)");
    }

    function test_GasBench() public {
        console.log("receipt gas (21,000 base included), calm market, cold storage:");
        // liquidate: calm market, one settled auction before.
        vm.prank(keeper);
        uint256 id1 = dog.liquidate(ETH_A, borrowers[1], keeper);
        _record("liquidate", _lastGas(), DSS_BARK, 150_000);
        vm.roll(block.number + 1);

        // take half the lot at the start price; the bidder holds no ETH before.
        assertEq(weth.balanceOf(bidder), 0);
        vm.prank(bidder);
        h.take(id1, 5e18, type(uint256).max, bidder, "");
        _record("takeHalf", _lastGas(), DSS_TAKE_HALF, 80_000);

        // take the whole lot of another auction once its price is below tab / lot.
        uint256 id2 = dog.liquidate(ETH_A, borrowers[2], keeper);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 4500);
        address whole = makeAddr("bidderWhole");
        assertEq(weth.balanceOf(whole), 0);
        vm.prank(whole);
        h.take(id2, 10e18, type(uint256).max, whole, "");
        _record("takeWhole", _lastGas(), DSS_TAKE_WHOLE, 95_000);
        assertEq(weth.balanceOf(whole), 10e18, "whole lot bought");

        // redo the first auction after its tail.
        vm.warp(block.timestamp + TAIL);
        vm.prank(keeper);
        h.redo(id1, keeper);
        _record("redo", _lastGas(), DSS_REDO, 55_000);

        // batch: ten vaults in one call.
        address[] memory ten = new address[](10);
        for (uint256 i; i < 10; ++i) {
            ten[i] = borrowers[3 + i];
        }
        vm.roll(block.number + 1);
        vm.prank(keeper);
        uint256[] memory ids = dog.liquidateMany(ETH_A, ten, keeper);
        _record("batchLiquidatePerVault", _lastGas() / 10, DSS_BARK, 0);
        assertGt(ids[9], 0, "all ten liquidated");

        // liquidateAndTake: a small debt clears in one transaction.
        vm.roll(block.number + 1);
        vm.prank(bidder);
        dog.liquidateAndTake(ETH_A, carol, type(uint256).max, bidder, "");
        _record("liquidateAndTake", _lastGas(), 0, 0);

        // takeover: an auction below its floor goes to the fund.
        vm.roll(block.number + 1);
        uint256 id3 = dog.liquidate(ETH_A, borrowers[13], keeper);
        vm.warp(block.timestamp + 9200);
        vm.prank(keeper);
        h.takeover(id3, keeper);
        _record("takeover", _lastGas(), 0, 0);

        // adjust: deposit and borrow more on an existing vault.
        _deal(WBTC_A, alice, 1.1e8);
        vm.prank(alice);
        engine.adjust(WBTC_A, 1e8, 10_000e18);
        vm.prank(alice);
        engine.adjust(WBTC_A, 0.1e8, 1000e18);
        _record("adjust", _lastGas(), 0, 0);

        // preLiquidate: a keeper repays the closable share of an opted-in vault in its band.
        vm.roll(block.number + 1);
        vm.prank(keeper);
        pre.preLiquidate(ETH_A, preVault, type(uint256).max, 0, keeper);
        _record("preLiquidate", _lastGas(), 0, 0);

        // liquidate a vault whose top-up hook rescues it (no auction), and one whose hook's reserve is
        // too small (topped up in part, then liquidated).
        _registerHook(hookedRescued);
        _registerHook(hookedLiquidated);
        vm.roll(block.number + 1);
        vm.prank(keeper);
        assertEq(dog.liquidate(ETH_A, hookedRescued, keeper), 0, "rescued");
        _record("liquidateHookRescues", _lastGas(), 0, 0);
        vm.roll(block.number + 1);
        vm.prank(keeper);
        assertGt(dog.liquidate(ETH_A, hookedLiquidated, keeper), 0, "liquidated");
        _record("liquidateHookThenAuction", _lastGas(), DSS_BARK, 0);

        // poke: spotter over a 3-feed median, after the oracle's own poke.
        vm.warp(block.timestamp + 1);
        vm.startPrank(gov);
        for (uint256 i; i < 3; ++i) {
            feeds[i].push(1950e18 + i * 1e18);
        }
        vm.stopPrank();
        oracle.poke();
        _record("oraclePoke", _lastGas(), 0, 0);
        spotterContract.poke(ETH_A);
        _record("poke", _lastGas(), 0, 0);

        vm.writeJson(json, "bench-results/gas.json");
    }

    /// @dev The same hot paths on an Adaptive tier (same cut, tail, floor and premium; follow 1,800 s):
    /// liquidate; a take at the kick's mark (the anchor stays at top: one mark read more than
    /// Exponential); a take after the mark fell (the anchor follows it: a second power). Written to
    /// bench-results/gas-adaptive.json.
    function test_GasBenchAdaptive() public {
        ICollateralAuction.Tier memory t = _defaultTier();
        t.kind = ICollateralAuction.CurveKind.Adaptive;
        t.cutRay = 0.9999e27;
        t.periodSeconds = 1800;
        vm.startPrank(gov);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory maxTabs = new uint256[](1);
        ids[0] = h.addTier(t);
        maxTabs[0] = type(uint256).max;
        h.setTiers(ids, maxTabs);
        vm.stopPrank();
        vm.roll(block.number + 1);

        console.log("Adaptive tier, receipt gas (21,000 base included), calm market, cold storage:");
        vm.prank(keeper);
        uint256 id1 = dog.liquidate(ETH_A, borrowers[1], keeper);
        _record("adaptiveLiquidate", _lastGas(), DSS_BARK, 0);
        vm.roll(block.number + 1);

        vm.prank(bidder);
        h.take(id1, 5e18, type(uint256).max, bidder, "");
        _record("adaptiveTakeHalf", _lastGas(), DSS_TAKE_HALF, 0);

        uint256 id2 = dog.liquidate(ETH_A, borrowers[2], keeper);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 4500);
        mark[ETH_A].set(1800e18, true); // the market fell after the kick: the anchor follows
        address whole = makeAddr("bidderWhole");
        vm.prank(whole);
        h.take(id2, 10e18, type(uint256).max, whole, "");
        _record("adaptiveTakeWholeFollowing", _lastGas(), DSS_TAKE_WHOLE, 0);
        assertEq(weth.balanceOf(whole), 10e18, "whole lot bought");

        vm.writeJson(json, "bench-results/gas-adaptive.json");
    }
}
