// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {LiquidationEngine} from "../../contracts/src/LiquidationEngine.sol";
import {Stablecoin} from "../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../contracts/src/VaultEngine.sol";
import {MedianOracle} from "../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../contracts/src/oracles/PushedFeed.sol";
import {Spotter} from "../../contracts/src/oracles/Spotter.sol";
import {DemoToken} from "../../contracts/src/testing/DemoToken.sol";

import {Deploy} from "../../contracts/script/Deploy.s.sol";
import {GavelDeployment, IlkDeployment} from "../../contracts/script/lib/GavelDeployment.sol";

/// @notice The Deploy script run in-process on a checked-in config (`_configName()`), with the
/// helpers its tests share: prices pushed through the deployed feeds, vaults, gUSD for bidders.
abstract contract DeployFixture is Test {
    address internal constant GOVERNANCE = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266;
    uint256 internal constant WAD = 1e18;

    Deploy internal script;
    string internal config;
    GavelDeployment internal d;
    address internal deployer;

    VaultEngine internal engine;
    Stablecoin internal gusd;
    LiquidationEngine internal dog;

    address internal alice = makeAddr("alice");
    address internal bidder = makeAddr("bidder");
    address internal keeper = makeAddr("keeper");

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        script = new Deploy();
        config = vm.readFile(script.configPath(_configName()));
        GavelDeployment memory deployed = script.deploy(config, "");
        _store(deployed);
        engine = VaultEngine(d.engine);
        gusd = Stablecoin(d.stablecoin);
        dog = LiquidationEngine(d.liquidationEngine);
        deployer = d.deployer;
    }

    /// @dev The config under `contracts/config/` the fixture deploys.
    function _configName() internal pure virtual returns (string memory);

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _store(GavelDeployment memory e) internal {
        d.chainId = e.chainId;
        d.genesisHash = e.genesisHash;
        d.breaker = e.breaker;
        d.blockNumber = e.blockNumber;
        d.deployer = e.deployer;
        d.governance = e.governance;
        d.engine = e.engine;
        d.stablecoin = e.stablecoin;
        d.fund = e.fund;
        d.spotter = e.spotter;
        d.liquidationEngine = e.liquidationEngine;
        d.flashTaker = e.flashTaker;
        d.preLiquidation = e.preLiquidation;
        d.topUpHook = e.topUpHook;
        d.portfolioEngine = e.portfolioEngine;
        d.portfolioIlk = e.portfolioIlk;
        for (uint256 i; i < e.ilks.length; ++i) {
            d.ilks.push(e.ilks[i]);
        }
    }

    /// @dev Pushes `price` to the three feeds (pusher = governance), pokes oracle and spotter,
    /// stepping at most the oracle's max change per poke (one second apart).
    function _setPrice(uint256 i, uint256 price) internal {
        MedianOracle oracle = MedianOracle(d.ilks[i].oracle);
        for (uint256 step; step < 10; ++step) {
            vm.warp(block.timestamp + 1);
            _push(i, price);
            oracle.poke();
            (uint256 mark,) = oracle.peek();
            if (mark == price) break;
        }
        Spotter(d.spotter).poke(d.ilks[i].id);
    }

    function _push(uint256 i, uint256 price) internal {
        vm.startPrank(GOVERNANCE);
        for (uint256 j; j < 3; ++j) {
            PushedFeed(d.ilks[i].feeds[j]).push(price);
        }
        vm.stopPrank();
    }

    function _openVault(address user, uint256 i, uint256 collateral, uint256 debt) internal {
        IlkDeployment memory ilk = d.ilks[i];
        vm.startPrank(user);
        DemoToken(ilk.token).mint(user, collateral);
        DemoToken(ilk.token).approve(d.engine, collateral);
        // forge-lint: disable-next-line(unsafe-typecast) small test amounts
        engine.adjust(ilk.id, int256(collateral), int256(debt));
        vm.stopPrank();
    }

    /// @dev gUSD for `who` from an ETH-A vault at 4x collateral (the ETH-A mark must be set).
    function _fundStable(address who, uint256 amount) internal {
        (uint256 mark,) = MedianOracle(d.ilks[0].oracle).peek();
        if (mark == 0) _setPrice(0, 2000e18);
        (mark,) = MedianOracle(d.ilks[0].oracle).peek();
        _openVault(who, 0, amount * 4 * WAD / mark + 1, amount);
    }
}
