// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Timelock} from "solady/accounts/Timelock.sol";
import {Ownable} from "solady/auth/Ownable.sol";

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {InsuranceFund} from "../../contracts/src/InsuranceFund.sol";
import {LiquidationEngine} from "../../contracts/src/LiquidationEngine.sol";
import {Stablecoin} from "../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../contracts/src/VaultEngine.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {ChainlinkFeed} from "../../contracts/src/oracles/ChainlinkFeed.sol";
import {MedianOracle} from "../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../contracts/src/oracles/PushedFeed.sol";
import {Spotter} from "../../contracts/src/oracles/Spotter.sol";
import {UniswapV2FlashTaker} from "../../contracts/src/periphery/UniswapV2FlashTaker.sol";
import {DemoToken} from "../../contracts/src/testing/DemoToken.sol";

import {Deploy} from "../../contracts/script/Deploy.s.sol";
import {GavelDeployment, GavelDeploymentJson, IlkDeployment} from "../../contracts/script/lib/GavelDeployment.sol";
import {UniswapV2Artifacts} from "../../contracts/script/lib/UniswapV2Artifacts.sol";
import {DeployFixture} from "../utils/DeployFixture.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";
import {MockAggregatorV3} from "../utils/oracles/MockAggregatorV3.sol";

/// @notice The Deploy script run in-process on the checked-in local config: every contract wired
/// (roles, owners, tiers, room, incentives), prices flowing from pushed feeds to the engine, a
/// liquidation end to end on the deployed system, the deployments file, and bad configs rejected
/// with the contracts' named errors.
contract DeployTest is DeployFixture {
    function _configName() internal pure override returns (string memory) {
        return "local";
    }

    /*//////////////////////////////////////////////////////////////
                                 WIRING
    //////////////////////////////////////////////////////////////*/

    function test_Deploy_CoreWiring() public view {
        assertEq(d.chainId, 31_337);
        assertEq(d.genesisHash, blockhash(0), "genesis hash");
        assertTrue(d.governance.code.length != 0, "governance is the timelock contract");
        assertEq(engine.stablecoin(), d.stablecoin, "stablecoin");
        assertEq(engine.insuranceFund(), d.fund, "fund");
        assertEq(InsuranceFund(d.fund).asset(), d.stablecoin, "fund asset");
        assertEq(InsuranceFund(d.fund).cooldownSeconds(), 3600);
        assertEq(InsuranceFund(d.fund).windowSeconds(), 86_400);
        assertEq(InsuranceFund(d.fund).revenueVestingSeconds(), 86_400);
        assertEq(Spotter(d.spotter).engine(), d.engine, "spotter engine");
        assertEq(address(dog.vaultEngine()), d.engine, "liquidation engine's vault engine");
        assertTrue(engine.hasAllRoles(d.spotter, engine.SPOTTER()), "spotter role");
        assertTrue(engine.hasAllRoles(d.liquidationEngine, engine.LIQUIDATOR()), "liquidator role");
        assertEq(dog.globalMaxDebtInAuctions(), 50_000_000e18);
        assertEq(dog.tip(), 10e18);
        assertEq(dog.chipWad(), 0.001e18);
        assertEq(d.flashTaker, address(0), "no router in the local config");
        assertEq(d.ilks.length, 3);
    }

    function test_Deploy_IlkWiring() public view {
        uint8[3] memory decimals = [18, 8, 6];
        uint256[3] memory ratios = [uint256(1.5e18), 1.45e18, 1.1e18];
        uint256[3] memory penalties = [uint256(1.13e18), 1.13e18, 1.05e18];
        for (uint256 i; i < 3; ++i) {
            IlkDeployment memory ilk = d.ilks[i];
            assertEq(ilk.id, bytes32(bytes(ilk.name)), "id");
            assertEq(ilk.decimals, decimals[i], "decimals");
            assertEq(DemoToken(ilk.token).decimals(), decimals[i], "token decimals");
            IVaultEngine.Ilk memory info = engine.ilks(ilk.id);
            assertEq(info.token, ilk.token, "token");
            assertEq(info.liquidationRatio, ratios[i], "ratio");
            assertEq(info.dust, 100e18, "dust");
            assertGt(info.debtCeiling, 0, "ceiling");
            assertGt(info.stabilityFeeRay, 1e27, "fee");

            assertEq(Spotter(d.spotter).oracles(ilk.id), ilk.oracle, "spotter oracle");
            MedianOracle oracle = MedianOracle(ilk.oracle);
            assertEq(oracle.feeds(), ilk.feeds, "feeds");
            assertEq(ilk.feeds.length, 3);
            assertEq(oracle.quorum(), 2);
            assertEq(oracle.maxAgeSeconds(), 300);
            assertEq(oracle.hop(), 0);
            for (uint256 j; j < 3; ++j) {
                PushedFeed feed = PushedFeed(ilk.feeds[j]);
                assertTrue(feed.hasAllRoles(GOVERNANCE, feed.PUSHER_ROLE()), "pusher");
            }

            CollateralAuction house = CollateralAuction(ilk.house);
            assertEq(house.ilk(), ilk.id, "house ilk");
            assertEq(house.collateral(), ilk.token, "house collateral");
            assertEq(address(house.priceSource()), ilk.oracle, "house price source");
            assertEq(house.insuranceFund(), d.fund, "house fund");
            assertEq(engine.rolesOf(ilk.house), engine.INCENTIVE_MINTER(), "house: incentives only, no LIQUIDATOR");
            assertTrue(engine.isAuctionHouse(ilk.id, ilk.house), "house restores its own ilk");
            assertTrue(house.hasAllRoles(d.liquidationEngine, house.KICKER()), "KICKER");
            InsuranceFund fund = InsuranceFund(d.fund);
            assertTrue(fund.hasAllRoles(ilk.house, fund.TAKEOVER()), "TAKEOVER");
            assertEq(fund.takeoverCapBps(ilk.house), 2000, "takeover cap");
            assertEq(house.takeoverTip(), 20e18);
            assertEq(house.redoTip(), 5e18);
            assertEq(house.redoChipWad(), 0.0005e18);

            ILiquidationEngine.IlkConfig memory c = dog.ilkConfig(ilk.id);
            assertEq(c.house, ilk.house, "configured house");
            assertEq(c.penaltyWad, penalties[i], "penalty");
            assertGt(c.maxDebtInAuctions, 0);
            assertGt(c.maxDebtPerBlock, 0);
        }
    }

    function test_Deploy_TierTables() public view {
        // ETH-A: small (<= 5,000) at the mark with a steep exponential decay, medium (<= 250,000)
        // stairstep from 1.2x, larger linear from 1.1x.
        CollateralAuction house = CollateralAuction(d.ilks[0].house);
        ICollateralAuction.Tier memory small = house.tier(house.tierFor(5000e18));
        assertEq(uint8(small.kind), uint8(ICollateralAuction.CurveKind.Exponential));
        assertEq(small.cutRay, 0.999e27);
        assertEq(small.startPremiumBps, 10_000);
        assertEq(small.tailSeconds, 900);
        assertEq(small.floorWad, 0.6e18);
        ICollateralAuction.Tier memory medium = house.tier(house.tierFor(5000e18 + 1));
        assertEq(uint8(medium.kind), uint8(ICollateralAuction.CurveKind.StairstepExponential));
        assertEq(medium.cutRay, 0.99e27);
        assertEq(medium.periodSeconds, 10);
        assertEq(medium.startPremiumBps, 12_000);
        assertEq(house.tierFor(250_000e18), house.tierFor(5000e18 + 1), "medium up to 250,000");
        ICollateralAuction.Tier memory large = house.tier(house.tierFor(250_000e18 + 1));
        assertEq(uint8(large.kind), uint8(ICollateralAuction.CurveKind.Linear));
        assertEq(large.periodSeconds, 3600);
        assertEq(large.startPremiumBps, 11_000);
        assertEq(house.tierFor(type(uint112).max), house.tierFor(250_000e18 + 1), "any larger tab");
        // WBTC-A: its small tier starts below the mark.
        CollateralAuction wbtcHouse = CollateralAuction(d.ilks[1].house);
        assertEq(wbtcHouse.tier(wbtcHouse.tierFor(10_000e18)).startPremiumBps, 9900);
        assertLe(CollateralAuction(d.ilks[2].house).tier(0).startPremiumBps, 10_000);
    }

    function test_Deploy_TimelockOwnsEverything() public view {
        assertTrue(deployer != GOVERNANCE, "the test's broadcaster is not the proposer");
        address[] memory owned = _ownedContracts();
        for (uint256 i; i < owned.length; ++i) {
            assertEq(Ownable(owned[i]).owner(), d.governance, "owner");
        }
        assertEq(Timelock(payable(d.governance)).minDelay(), 300, "local delay");
        // The deployer keeps nothing.
        assertEq(engine.rolesOf(deployer), 0);
        assertEq(InsuranceFund(d.fund).rolesOf(deployer), 0);
        for (uint256 i; i < 3; ++i) {
            assertEq(CollateralAuction(d.ilks[i].house).rolesOf(deployer), 0);
            assertFalse(PushedFeed(d.ilks[i].feeds[0]).hasAnyRole(deployer, 1));
        }
    }

    /*//////////////////////////////////////////////////////////////
                             PRICES AND LIQUIDATION
    //////////////////////////////////////////////////////////////*/

    function test_Deploy_PricesFlowFromFeedsToEngine() public {
        uint256[3] memory prices = [uint256(2000e18), 60_000e18, 1e18];
        for (uint256 i; i < 3; ++i) {
            _setPrice(i, prices[i]);
            (uint256 mark, bool valid) = MedianOracle(d.ilks[i].oracle).peek();
            assertTrue(valid, "valid");
            assertEq(mark, prices[i], "mark");
            assertEq(engine.ilks(d.ilks[i].id).spot, prices[i] * WAD / engine.liquidationRatio(d.ilks[i].id), "spot");
        }
    }

    /// @dev ETH-A, small tier: liquidate, auction starts at the mark, a bidder takes it all, the
    /// leftover collateral returns to the vault, the keeper earns tip + chip.
    function test_Deploy_LiquidationEndToEnd_SmallTier() public {
        IlkDeployment memory eth = d.ilks[0];
        _setPrice(0, 2000e18);
        _openVault(alice, 0, 1e18, 1300e18);
        _setPrice(0, 1900e18); // spot 1266.67 < 1300: unsafe
        assertFalse(engine.isSafe(eth.id, alice), "unsafe");

        vm.prank(keeper);
        uint256 id = dog.liquidate(eth.id, alice, keeper);
        uint256 tab = 1300e18 * 113 / 100;
        (bool needsRedo, uint256 price, uint256 lot, uint256 auctionTab) = CollateralAuction(eth.house).getStatus(id);
        assertFalse(needsRedo);
        assertEq(price, 1900e18, "small tier starts at the mark");
        assertEq(lot, 1e18);
        assertEq(auctionTab, tab);
        assertEq(gusd.balanceOf(keeper), 10e18 + tab * 0.001e18 / WAD, "tip + chip");

        _fundStable(bidder, 2000e18);
        vm.startPrank(bidder);
        gusd.approve(eth.house, type(uint256).max);
        (uint256 out, uint256 owe) = CollateralAuction(eth.house).take(id, 1e18, 1900e18, bidder, "");
        vm.stopPrank();
        assertEq(owe, tab, "tab raised");
        assertEq(out, tab * WAD / 1900e18, "collateral at the mark");
        assertEq(DemoToken(eth.token).balanceOf(bidder), out);
        (uint256 collateralLeft, uint256 debtLeft) = engine.vault(eth.id, alice);
        assertEq(collateralLeft, 1e18 - out, "leftover back in the vault");
        assertEq(debtLeft, 0);
        assertEq(CollateralAuction(eth.house).count(), 0, "auction closed");
    }

    /// @dev WBTC-A (8 decimals), medium tier: the auction starts at 1.2x the mark.
    function test_Deploy_LiquidationEndToEnd_MediumTier() public {
        IlkDeployment memory wbtc = d.ilks[1];
        _setPrice(1, 60_000e18);
        _openVault(alice, 1, 1e8, 41_000e18);
        _setPrice(1, 57_000e18); // spot 39,310 < 41,000
        uint256 id = dog.liquidate(wbtc.id, alice, keeper);
        (, uint256 price, uint256 lot,) = CollateralAuction(wbtc.house).getStatus(id);
        assertEq(price, 57_000e18 * 12_000 / 10_000, "1.2x the mark");
        assertEq(lot, 1e8);
        // The exponential curve has decayed below the mark after 400 s (0.9995^400 < 1/1.2).
        vm.warp(block.timestamp + 400);
        (, price,,) = CollateralAuction(wbtc.house).getStatus(id);
        assertLt(price, 57_000e18);
    }

    /// @dev USDC-A (6 decimals): liquidateAndTake clears a small debt in the liquidating transaction.
    function test_Deploy_LiquidateAndTake_Usdc() public {
        IlkDeployment memory usdc = d.ilks[2];
        _setPrice(2, 1e18);
        _openVault(alice, 2, 1111e6, 1000e18);
        _setPrice(2, 0.98e18);
        _fundStable(bidder, 2000e18);
        vm.startPrank(bidder);
        gusd.approve(usdc.house, type(uint256).max);
        (, uint256 out, uint256 owe) = dog.liquidateAndTake(usdc.id, alice, 0.98e18, bidder, "");
        vm.stopPrank();
        assertEq(owe, 1050e18, "tab with the 5% penalty");
        assertEq(out, uint256(1050e18) * 1e6 / 0.98e18, "at the mark");
        assertEq(DemoToken(usdc.token).balanceOf(bidder), out);
    }

    /*//////////////////////////////////////////////////////////////
                              DEPLOYMENTS FILE
    //////////////////////////////////////////////////////////////*/

    function test_Deploy_PrimesEachHouseWithOneWeiOfCollateral() public view {
        for (uint256 i; i < d.ilks.length; ++i) {
            assertEq(DemoToken(d.ilks[i].token).balanceOf(d.ilks[i].house), 1, d.ilks[i].name);
        }
    }

    function test_Deploy_WritesDeploymentsFile() public {
        string memory path = "deployments/.test-deploy.json";
        GavelDeployment memory e = script.deploy(config, path);
        string memory json = vm.readFile(path);
        GavelDeployment memory r = GavelDeploymentJson.read(path);
        vm.removeFile(path);

        assertEq(vm.parseJsonUint(json, ".chainId"), 31_337);
        assertEq(vm.parseJsonUint(json, ".block"), block.number);
        assertFalse(vm.keyExistsJson(json, ".flashTaker"), "no flash taker without a router");
        assertEq(vm.parseJsonString(json, ".ilks[1].name"), "WBTC-A");
        assertEq(vm.parseJsonUint(json, ".ilks[1].decimals"), 8);
        // forge-lint: disable-next-line(unsafe-typecast) a 6-byte literal
        assertEq(vm.parseJsonBytes32(json, ".ilks[1].id"), bytes32("WBTC-A"));
        assertEq(keccak256(abi.encode(r)), keccak256(abi.encode(e)), "round trip");
    }

    /*//////////////////////////////////////////////////////////////
                         OTHER KINDS AND BAD CONFIGS
    //////////////////////////////////////////////////////////////*/

    /// @dev A token given by address, a Chainlink feed next to a pushed one, one tier, and a router.
    function test_Deploy_TokenAddressChainlinkFeedAndFlashTaker() public {
        MockERC20 token = new MockERC20("Wrapped Ether", "WETH", 18);
        MockAggregatorV3 aggregator = new MockAggregatorV3(8);
        UniswapV2Artifacts.UniswapV2 memory uni = UniswapV2Artifacts.deploy(address(this));
        GavelDeployment memory e =
            script.deploy(_minimalConfig(address(token), address(aggregator), address(uni.router)), "");

        assertEq(e.ilks[0].token, address(token));
        assertEq(UniswapV2FlashTaker(e.flashTaker).router(), address(uni.router), "flash taker");
        ChainlinkFeed chainlink = ChainlinkFeed(e.ilks[0].feeds[1]);
        assertEq(address(chainlink.aggregator()), address(aggregator));
        assertEq(chainlink.maxAgeSeconds(), 3900);
        assertEq(Ownable(e.ilks[0].feeds[0]).owner(), e.governance, "pushed feed handed over");
        CollateralAuction house = CollateralAuction(e.ilks[0].house);
        assertEq(house.tierFor(type(uint112).max), 0, "one tier for every tab");

        // Quorum 2 of {pushed, chainlink, pushed} (an oracle needs 3 feeds): the median once all report.
        aggregator.setAnswer(2010e8);
        vm.startPrank(GOVERNANCE);
        PushedFeed(e.ilks[0].feeds[0]).push(1990e18);
        PushedFeed(e.ilks[0].feeds[2]).push(2000e18);
        vm.stopPrank();
        MedianOracle(e.ilks[0].oracle).poke();
        (uint256 mark,) = MedianOracle(e.ilks[0].oracle).peek();
        assertEq(mark, 2000e18);
    }

    function test_Deploy_RevertWhen_PenaltyOutOfBounds() public {
        string memory bad = vm.replace(config, '"penaltyWad": "1.13e18"', '"penaltyWad": "1.6e18"');
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.ParameterOutOfBounds.selector, 1.6e18, 1e18, 1.5e18));
        script.deploy(bad, "");
    }

    function test_Deploy_RevertWhen_TierStartPremiumOutOfBounds() public {
        string memory bad = vm.replace(config, '"startPremiumBps": "12000"', '"startPremiumBps": "60000"');
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InvalidTier.selector, 5, 60_000));
        script.deploy(bad, "");
    }

    function test_Deploy_RevertWhen_MockTokenOffTheLocalChain() public {
        string memory cfg = vm.replace(config, '"minDelaySeconds": "300"', '"minDelaySeconds": "86400"');
        vm.chainId(1);
        vm.expectRevert(
            bytes(
                "Deploy: refusing to deploy the mock token of ETH-A on chain 1: mock tokens (anyone can mint) are for the local chain 31337 only; give a .token address"
            )
        );
        script.deploy(cfg, "");
    }

    function test_Deploy_RevertWhen_UnknownFeedKind() public {
        string memory bad = vm.replace(config, '"kind": "pushed"', '"kind": "twap"');
        vm.expectRevert(
            bytes("Deploy: unknown feed kind at .ilks[0].oracle.feeds[0].kind (expected pushed or chainlink)")
        );
        script.deploy(bad, "");
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _ownedContracts() internal view returns (address[] memory owned) {
        owned = new address[](5 + d.ilks.length * 5);
        (owned[0], owned[1], owned[2], owned[3], owned[4]) =
        (d.engine, d.fund, d.spotter, d.liquidationEngine, d.breaker);
        uint256 k = 5;
        for (uint256 i; i < d.ilks.length; ++i) {
            owned[k++] = d.ilks[i].oracle;
            owned[k++] = d.ilks[i].house;
            for (uint256 j; j < 3; ++j) {
                owned[k++] = d.ilks[i].feeds[j];
            }
        }
    }

    /// @dev One ilk "ETH-B" on `token`, feeds {pushed, chainlink(aggregator), pushed}, one tier, a router.
    function _minimalConfig(address token, address aggregator, address router) internal pure returns (string memory) {
        return string.concat(
            '{"timelock":{"minDelaySeconds":"0","proposers":["',
            vm.toString(GOVERNANCE),
            '"],"executors":["',
            vm.toString(GOVERNANCE),
            '"],"cancellers":[]},"uniswapV2Router":"',
            vm.toString(router),
            '","insuranceFund":{"cooldownSeconds":"0","windowSeconds":"3600","revenueVestingSeconds":"3600","healers":[]},',
            '"breaker":{"rearmDelaySeconds":"0","maxBadDebtPerWindow":"1000e18","windowSeconds":"3600","pauseLevel":"3"},',
            '"liquidation":{"globalMaxDebtInAuctions":"1000000e18","tip":"0","chipWad":"0"},',
            _minimalIlk(token, aggregator)
        );
    }

    /// @dev The one ilk of `_minimalConfig` (split: one concat of every piece is too deep for the stack).
    function _minimalIlk(address token, address aggregator) internal pure returns (string memory) {
        return string.concat(
            '"ilks":[{"name":"ETH-B","token":"',
            vm.toString(token),
            '","vault":{"liquidationRatioWad":"1.5e18","stabilityFeeRay":"1e27","debtCeiling":"1000000e18","dust":"100e18"},',
            '"oracle":{"quorum":"2","maxAgeSeconds":"300","maxChangeBps":"10000","hopSeconds":"0","feeds":[',
            '{"kind":"pushed","pusher":"',
            vm.toString(GOVERNANCE),
            '"},{"kind":"chainlink","aggregator":"',
            vm.toString(aggregator),
            '","maxAgeSeconds":"3900"},{"kind":"pushed","pusher":"',
            vm.toString(GOVERNANCE),
            '"}]},',
            '"liquidation":{"penaltyWad":"1.1e18","maxDebtInAuctions":"500000e18","maxDebtPerBlock":"100000e18"},',
            '"breaker":{"toleranceBps":"2000"},',
            '"auction":{"redoTip":"0","redoChipWad":"0","takeoverTip":"0","takeoverCapBps":"0","tiers":[',
            '{"maxTab":"max","curve":"exponential","cutRay":"0.9999e27","periodSeconds":"0","tailSeconds":"3600","floorWad":"0.5e18","startPremiumBps":"11000"}',
            "]}}]}"
        );
    }
}
