// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Script} from "forge-std/Script.sol";
import {Timelock} from "solady/accounts/Timelock.sol";
import {Ownable} from "solady/auth/Ownable.sol";

import {CircuitBreaker} from "../src/CircuitBreaker.sol";
import {CollateralAuction} from "../src/CollateralAuction.sol";
import {InsuranceFund} from "../src/InsuranceFund.sol";
import {LiquidationEngine} from "../src/LiquidationEngine.sol";
import {PortfolioEngine} from "../src/PortfolioEngine.sol";
import {PreLiquidation} from "../src/PreLiquidation.sol";
import {VaultEngine} from "../src/VaultEngine.sol";
import {ICollateralAuction} from "../src/interfaces/ICollateralAuction.sol";
import {IMarkPriceSource} from "../src/interfaces/IMarkPriceSource.sol";
import {IPreLiquidation} from "../src/interfaces/IPreLiquidation.sol";
import {ChainlinkFeed} from "../src/oracles/ChainlinkFeed.sol";
import {MedianOracle} from "../src/oracles/MedianOracle.sol";
import {PushedFeed} from "../src/oracles/PushedFeed.sol";
import {Spotter} from "../src/oracles/Spotter.sol";
import {CollateralTopUpHook} from "../src/periphery/CollateralTopUpHook.sol";
import {UniswapV2FlashTaker} from "../src/periphery/UniswapV2FlashTaker.sol";
import {DemoToken} from "../src/testing/DemoToken.sol";
import {GavelDeployment, GavelDeploymentJson, IlkDeployment} from "./lib/GavelDeployment.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

/// @dev The forge cheatcode that returns a block's RLP header (forge >= 1.1; not in the bundled forge-std `Vm`).
interface IVmBlockHeader {
    function getRawBlockHeader(uint256 blockNumber) external view returns (bytes memory rlpHeader);
}

/// @title Deploy
/// @notice Deploys and wires the whole Gavel system from `contracts/config/<GAVEL_CONFIG>.json`
/// (default "local"), then writes `deployments/<chainId>.json` (or `$GAVEL_DEPLOYMENTS_FILE`). The broadcaster deploys and
/// configures everything, then hands ownership of every contract to a solady `Timelock` deployed here
/// (`.timelock`: minimum delay, proposers, executors, cancellers; no admin), and keeps no ownership
/// and no role anywhere. The config schema is in `contracts/script/README.md`; every number is a
/// decimal string (`"1.13e18"` is accepted).
/// @dev Wiring:
/// - Timelock (governance: owner of every owned contract below once the deploy ends).
/// - VaultEngine (deploys the Stablecoin), InsuranceFund (`engine.setInsuranceFund`; fund `HEALER` to
///   each `.insuranceFund.healers`), Spotter (engine `SPOTTER`), LiquidationEngine (engine
///   `LIQUIDATOR`; global room and incentives), CircuitBreaker (`.breaker`: re-arm delay, bad-debt
///   limit, window, pause level).
/// - Per ilk: token (config address, or a `DemoToken` on chain 31337 only), `addIlk` + ratio, fee,
///   ceiling, dust; feeds (`pushed` or `chainlink`), a MedianOracle over them, `spotter.setOracle`;
///   a CollateralAuction with its tier table, redo and takeover incentives; roles: engine
///   `INCENTIVE_MINTER` to the house (redo and takeover incentives) and `setAuctionHouse(ilk, house)`
///   (it restores leftover collateral of its own ilk only), house `KICKER` to the liquidation engine,
///   house `BREAKER` to the breaker and `breaker.setHouse(house, oracle, .breaker.toleranceBps)`, fund
///   `TAKEOVER` to the house (with its cap); `liquidationEngine.configureIlk`.
/// - A UniswapV2FlashTaker when the config names a `uniswapV2Router`.
/// - Owner protection: a PreLiquidation (engine `PRE_LIQUIDATOR`; bounds from `.protection`, defaults
///   below when the key is absent) and a CollateralTopUpHook on the liquidation engine's rescue-hook
///   allow-list.
/// - Portfolio margin (issue #18, docs/portfolio.md), when the config has a `.portfolio` section: the debt
///   ilk `.portfolio.ilk` (`addIlk` with gUSD as its token, never moved; liquidation ratio 1; fee, ceiling,
///   dust), a PortfolioEngine over it (`engine.setRiskEngine(ilk, portfolio)`), its scenario table
///   (`.portfolio.assets` names ilks of `.ilks`; `.portfolio.scenarios` one shock per asset each), and the
///   liquidation side: `liquidationEngine.setPortfolioEngine` and portfolio `LIQUIDATOR` to the
///   liquidation engine.
contract Deploy is Script {
    /// @notice The local development chain (anvil); the only one where demo tokens may be deployed.
    uint256 public constant LOCAL_CHAIN_ID = 31_337;
    /// @notice Shortest timelock delay accepted off the local chain: a day to see and react to a proposal.
    uint256 public constant MIN_TIMELOCK_DELAY = 1 days;
    /// @notice Longest timelock delay accepted: past it an emergency fix cannot land in time.
    uint256 public constant MAX_TIMELOCK_DELAY = 30 days;
    /// @notice Pre-liquidation bounds used when the config has no `.protection`: pre-threshold health
    /// up to 1.5, incentive up to 5% (below every penalty), close factor up to 50%.
    uint256 public constant DEFAULT_MAX_PRE_HEALTH_WAD = 1.5e18;
    uint256 public constant DEFAULT_MAX_PRE_INCENTIVE_WAD = 1.05e18;
    uint256 public constant DEFAULT_MAX_CLOSE_FACTOR_BPS = 5000;
    /// @notice Liquidation ratio of the portfolio debt ilk: it holds no collateral (the PortfolioEngine's
    /// scenario table margins it), so the ratio is never read by a safety check; 1 is the engine's minimum.
    uint256 public constant PORTFOLIO_LIQUIDATION_RATIO = 1e18;

    /// @dev Keeps the deploy's context off the stack.
    struct Context {
        string config;
        address deployer;
        address governance;
        VaultEngine engine;
        InsuranceFund fund;
        Spotter spotter;
        LiquidationEngine liquidationEngine;
        CircuitBreaker breaker;
    }

    /// @notice Deploys from `contracts/config/$GAVEL_CONFIG.json` and writes `deployments/<chainId>.json` (or `$GAVEL_DEPLOYMENTS_FILE`).
    function run() external returns (GavelDeployment memory d) {
        string memory name = vm.envOr("GAVEL_CONFIG", string("local"));
        d = deploy(vm.readFile(configPath(name)), GavelDeploymentJson.path(block.chainid));
    }

    /// @notice Hash of block 0 of the chain the script runs against: the keccak of its RLP header as the
    /// node serves it (`vm.getRawBlockHeader`, when the script has an RPC URL), else `blockhash(0)` while
    /// the EVM still serves it (the first 256 blocks: the in-process test chain). Reverts when neither
    /// is available.
    function genesisHash() public view returns (bytes32 h) {
        try IVmBlockHeader(address(vm)).getRawBlockHeader(0) returns (bytes memory header) {
            if (header.length != 0) h = keccak256(header);
        } catch {}
        if (h == bytes32(0) && block.number > 0 && block.number <= 256) h = blockhash(0);
        require(h != bytes32(0), "Deploy: cannot read the genesis block hash (run with --rpc-url)");
    }

    /// @notice `contracts/config/<name>.json`.
    function configPath(string memory name) public pure returns (string memory) {
        return string.concat("contracts/config/", name, ".json");
    }

    /// @notice Deploys from the JSON text `config` and writes the result to `outPath` (skipped when empty).
    function deploy(string memory config, string memory outPath) public returns (GavelDeployment memory d) {
        Context memory c;
        c.config = config;
        require(
            !vm.keyExistsJson(config, ".governance"),
            "Deploy: config .governance is no longer read: every contract is handed to a timelock the deploy creates; give .timelock {minDelaySeconds, proposers, executors, cancellers}"
        );
        d.genesisHash = genesisHash();

        vm.startBroadcast();
        (, c.deployer,) = vm.readCallers();
        d.chainId = block.chainid;
        d.blockNumber = block.number;
        d.deployer = c.deployer;
        c.governance = _deployTimelock(config);
        d.governance = c.governance;
        _deployCore(c, d);
        uint256 n = GavelDeploymentJson.count(config, ".ilks");
        require(n > 0, "Deploy: config has no .ilks");
        d.ilks = new IlkDeployment[](n);
        for (uint256 i; i < n; ++i) {
            d.ilks[i] = _deployIlk(c, string.concat(".ilks[", vm.toString(i), "]"));
        }
        d.flashTaker = _deployFlashTaker(config);
        _deployProtection(c, d);
        if (vm.keyExistsJson(config, ".portfolio")) _deployPortfolio(c, d);
        _handOver(c, d);
        vm.stopBroadcast();

        if (bytes(outPath).length != 0) GavelDeploymentJson.write(d, outPath);
    }

    /*//////////////////////////////////////////////////////////////
                                  CORE
    //////////////////////////////////////////////////////////////*/

    /// @dev Engine (and its stablecoin), fund, spotter, liquidation engine, and the global settings.
    function _deployCore(Context memory c, GavelDeployment memory d) internal {
        string memory cfg = c.config;
        c.engine = new VaultEngine(c.deployer);
        c.fund = new InsuranceFund(
            address(c.engine),
            c.deployer,
            _uint(cfg, ".insuranceFund.cooldownSeconds"),
            _uint(cfg, ".insuranceFund.windowSeconds")
        );
        c.engine.setInsuranceFund(address(c.fund));
        c.fund.setRevenueVestingSeconds(_uint(cfg, ".insuranceFund.revenueVestingSeconds"));
        c.spotter = new Spotter(c.deployer, address(c.engine));
        c.engine.grantRoles(address(c.spotter), c.engine.SPOTTER());
        c.liquidationEngine = new LiquidationEngine(c.deployer, c.engine);
        c.engine.grantRoles(address(c.liquidationEngine), c.engine.LIQUIDATOR());
        c.liquidationEngine.setGlobalMaxDebtInAuctions(_uint(cfg, ".liquidation.globalMaxDebtInAuctions"));
        c.liquidationEngine.setIncentives(_uint(cfg, ".liquidation.tip"), _uint(cfg, ".liquidation.chipWad"));
        _grantHealers(c);
        c.breaker = new CircuitBreaker(
            c.deployer,
            c.engine,
            _uint(cfg, ".breaker.rearmDelaySeconds"),
            _uint(cfg, ".breaker.maxBadDebtPerWindow"),
            _uint(cfg, ".breaker.windowSeconds"),
            // forge-lint: disable-next-line(unsafe-typecast) at most 255, checked by _fit
            uint8(_fit(cfg, ".breaker.pauseLevel", type(uint8).max))
        );
        // Rises beyond a house's tolerance are held at the Spotter until governance looks.
        c.spotter.setBreaker(address(c.breaker));

        d.engine = address(c.engine);
        d.breaker = address(c.breaker);
        d.stablecoin = c.engine.stablecoin();
        d.fund = address(c.fund);
        d.spotter = address(c.spotter);
        d.liquidationEngine = address(c.liquidationEngine);
    }

    /// @dev A UniswapV2FlashTaker over `.uniswapV2Router`, when the config names one.
    function _deployFlashTaker(string memory cfg) internal returns (address) {
        if (!vm.keyExistsJson(cfg, ".uniswapV2Router")) return address(0);
        address router = vm.parseJsonAddress(cfg, ".uniswapV2Router");
        if (router == address(0)) return address(0);
        require(router.code.length != 0, "Deploy: config .uniswapV2Router has no code on this chain");
        return address(new UniswapV2FlashTaker(router));
    }

    /// @dev PreLiquidation (engine `PRE_LIQUIDATOR`) and the top-up rescue hook (allow-listed).
    /// `.protection`: `{maxPreHealthWad, maxIncentiveWad, maxCloseFactorBps}`, each optional.
    function _deployProtection(Context memory c, GavelDeployment memory d) internal {
        IPreLiquidation.Bounds memory b;
        // Each bounded by `_fit` to its field; PreLiquidation checks the values themselves.
        // forge-lint: disable-start(unsafe-typecast)
        b.maxPreHealthWad =
            uint64(_fitOr(c.config, ".protection.maxPreHealthWad", DEFAULT_MAX_PRE_HEALTH_WAD, type(uint64).max));
        b.maxIncentiveWad =
            uint64(_fitOr(c.config, ".protection.maxIncentiveWad", DEFAULT_MAX_PRE_INCENTIVE_WAD, type(uint64).max));
        b.maxCloseFactorBps =
            uint16(_fitOr(c.config, ".protection.maxCloseFactorBps", DEFAULT_MAX_CLOSE_FACTOR_BPS, type(uint16).max));
        // forge-lint: disable-end(unsafe-typecast)
        PreLiquidation pre = new PreLiquidation(c.deployer, c.engine, c.liquidationEngine, b);
        c.engine.grantRoles(address(pre), c.engine.PRE_LIQUIDATOR());
        CollateralTopUpHook topUp = new CollateralTopUpHook(c.engine, address(c.liquidationEngine));
        c.liquidationEngine.setRescueHookAllowed(address(topUp), true);
        d.preLiquidation = address(pre);
        d.topUpHook = address(topUp);
    }

    /*//////////////////////////////////////////////////////////////
                                  ILKS
    //////////////////////////////////////////////////////////////*/

    /// @dev One collateral type, wired end to end.
    function _deployIlk(Context memory c, string memory key) internal returns (IlkDeployment memory ilk) {
        ilk.name = vm.parseJsonString(c.config, string.concat(key, ".name"));
        ilk.id = _ilkId(ilk.name);
        ilk.token = _token(c.config, key, ilk.name);
        ilk.decimals = DemoToken(ilk.token).decimals();
        _addIlk(c, key, ilk.id, ilk.token);
        ilk.feeds = _deployFeeds(c, string.concat(key, ".oracle"));
        ilk.oracle = _deployOracle(c, string.concat(key, ".oracle"), ilk.feeds);
        c.spotter.setOracle(ilk.id, ilk.oracle);
        ilk.house = _deployHouse(c, key, ilk.id, ilk.oracle);
        _prime(ilk.token, ilk.house, vm.keyExistsJson(c.config, string.concat(key, ".mock")));
        c.liquidationEngine
            .configureIlk(
                ilk.id,
                ilk.house,
                _uint(c.config, string.concat(key, ".liquidation.penaltyWad")),
                _uint(c.config, string.concat(key, ".liquidation.maxDebtInAuctions")),
                _uint(c.config, string.concat(key, ".liquidation.maxDebtPerBlock"))
            );
    }

    /// @dev Gives the house 1 wei of its collateral so its balance never returns to zero (crediting a
    /// zero balance costs every liquidation 20,000 gas more). Mock tokens are minted; for a real
    /// token the deployer sends 1 wei when it holds some (otherwise the house simply starts cold).
    function _prime(address token, address house, bool mock) internal {
        if (mock) {
            DemoToken(token).mint(house, 1);
        } else if (DemoToken(token).balanceOf(msg.sender) > 0) {
            SafeTransferLib.safeTransfer(token, house, 1);
        }
    }

    /// @dev `bytes32(bytes(name))`, for names of 1 to 32 bytes.
    function _ilkId(string memory name) internal pure returns (bytes32) {
        uint256 len = bytes(name).length;
        require(len > 0 && len <= 32, string.concat("Deploy: ilk name must be 1 to 32 bytes: ", name));
        // forge-lint: disable-next-line(unsafe-typecast) at most 32 bytes, checked just above
        return bytes32(bytes(name));
    }

    /// @dev The ilk's collateral: `.token` (an address), or a `DemoToken` for `.mock` on the local chain only.
    function _token(string memory cfg, string memory key, string memory name) internal returns (address token) {
        bool hasToken = vm.keyExistsJson(cfg, string.concat(key, ".token"));
        bool hasMock = vm.keyExistsJson(cfg, string.concat(key, ".mock"));
        require(hasToken != hasMock, string.concat("Deploy: ilk ", name, " needs exactly one of .token or .mock"));
        if (hasToken) {
            token = vm.parseJsonAddress(cfg, string.concat(key, ".token"));
            require(token.code.length != 0, string.concat("Deploy: token of ", name, " has no code on this chain"));
            return token;
        }
        require(
            block.chainid == LOCAL_CHAIN_ID,
            string.concat(
                "Deploy: refusing to deploy the mock token of ",
                name,
                " on chain ",
                vm.toString(block.chainid),
                ": mock tokens (anyone can mint) are for the local chain 31337 only; give a .token address"
            )
        );
        string memory symbol = vm.parseJsonString(cfg, string.concat(key, ".mock.symbol"));
        uint256 decimals = _uint(cfg, string.concat(key, ".mock.decimals"));
        require(decimals <= 18, string.concat("Deploy: mock decimals above 18 for ", name));
        // forge-lint: disable-next-line(unsafe-typecast) at most 18, checked just above
        token = address(new DemoToken(symbol, uint8(decimals)));
    }

    /// @dev `addIlk` and the vault parameters under `<key>.vault`.
    function _addIlk(Context memory c, string memory key, bytes32 id, address token) internal {
        string memory v = string.concat(key, ".vault");
        c.engine.addIlk(id, token);
        c.engine.setLiquidationRatio(id, _uint(c.config, string.concat(v, ".liquidationRatioWad")));
        c.engine.setStabilityFee(id, _uint(c.config, string.concat(v, ".stabilityFeeRay")));
        c.engine.setDebtCeiling(id, _uint(c.config, string.concat(v, ".debtCeiling")));
        c.engine.setDust(id, _uint(c.config, string.concat(v, ".dust")));
    }

    /*//////////////////////////////////////////////////////////////
                                 ORACLES
    //////////////////////////////////////////////////////////////*/

    /// @dev The feed adapters under `<oracleKey>.feeds`: `{"kind": "pushed", "pusher"}` or
    /// `{"kind": "chainlink", "aggregator", "maxAgeSeconds"}`.
    function _deployFeeds(Context memory c, string memory oracleKey) internal returns (address[] memory feeds) {
        string memory key = string.concat(oracleKey, ".feeds");
        uint256 n = GavelDeploymentJson.count(c.config, key);
        feeds = new address[](n);
        for (uint256 i; i < n; ++i) {
            string memory f = string.concat(key, "[", vm.toString(i), "]");
            bytes32 kind = keccak256(bytes(vm.parseJsonString(c.config, string.concat(f, ".kind"))));
            if (kind == keccak256("pushed")) {
                feeds[i] =
                    address(new PushedFeed(c.deployer, vm.parseJsonAddress(c.config, string.concat(f, ".pusher"))));
            } else if (kind == keccak256("chainlink")) {
                feeds[i] = address(
                    new ChainlinkFeed(
                        vm.parseJsonAddress(c.config, string.concat(f, ".aggregator")),
                        _uint(c.config, string.concat(f, ".maxAgeSeconds"))
                    )
                );
            } else {
                revert(string.concat("Deploy: unknown feed kind at ", f, ".kind (expected pushed or chainlink)"));
            }
        }
    }

    /// @dev A MedianOracle over `feeds` with the parameters under `oracleKey`.
    function _deployOracle(Context memory c, string memory oracleKey, address[] memory feeds)
        internal
        returns (address)
    {
        return address(
            new MedianOracle(
                c.deployer,
                feeds,
                _uint(c.config, string.concat(oracleKey, ".quorum")),
                _uint(c.config, string.concat(oracleKey, ".maxAgeSeconds")),
                _uint(c.config, string.concat(oracleKey, ".maxChangeBps")),
                _uint(c.config, string.concat(oracleKey, ".hopSeconds"))
            )
        );
    }

    /*//////////////////////////////////////////////////////////////
                                AUCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @dev The ilk's auction house: tiers, incentives, takeover by the fund, roles.
    function _deployHouse(Context memory c, string memory key, bytes32 id, address oracle) internal returns (address) {
        string memory a = string.concat(key, ".auction");
        CollateralAuction house =
            new CollateralAuction(c.deployer, id, c.engine, IMarkPriceSource(oracle), address(c.fund));
        _setTiers(house, c.config, string.concat(a, ".tiers"));
        house.setRedoIncentive(
            _uint(c.config, string.concat(a, ".redoTip")), _uint(c.config, string.concat(a, ".redoChipWad"))
        );
        house.setTakeoverTip(_uint(c.config, string.concat(a, ".takeoverTip")));
        c.fund.setTakeoverCap(address(house), _uint(c.config, string.concat(a, ".takeoverCapBps")));
        c.fund.grantRoles(address(house), c.fund.TAKEOVER());
        house.grantRoles(address(c.liquidationEngine), house.KICKER());
        // Incentives are stablecoin (no ilk); collateral restores are for this ilk only.
        c.engine.grantRoles(address(house), c.engine.INCENTIVE_MINTER());
        c.engine.setAuctionHouse(id, address(house), true);
        house.grantRoles(address(c.breaker), house.BREAKER());
        c.breaker.setHouse(house, MedianOracle(oracle), _uint(c.config, string.concat(key, ".breaker.toleranceBps")));
        return address(house);
    }

    /// @dev Adds every tier under `key` and sets the table (ascending `maxTab`; `"max"` = any tab).
    function _setTiers(CollateralAuction house, string memory cfg, string memory key) internal {
        uint256 n = GavelDeploymentJson.count(cfg, key);
        uint256[] memory ids = new uint256[](n);
        uint256[] memory maxTabs = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            string memory t = string.concat(key, "[", vm.toString(i), "]");
            ids[i] = house.addTier(_tier(cfg, t));
            maxTabs[i] = _maxTab(cfg, string.concat(t, ".maxTab"));
        }
        house.setTiers(ids, maxTabs);
    }

    /// @dev One tier: `{"curve": "linear"|"stairstep"|"exponential"|"adaptive", "cutRay", "periodSeconds",
    /// "tailSeconds", "floorWad", "startPremiumBps"}` (`periodSeconds` is `followSeconds` for adaptive,
    /// at least 300). Bounds are the auction house's (`InvalidTier`).
    function _tier(string memory cfg, string memory t) internal pure returns (ICollateralAuction.Tier memory tier) {
        tier.kind = _curve(vm.parseJsonString(cfg, string.concat(t, ".curve")), t);
        // The house validates each field against its bounds; `_fit` checks each cast cannot truncate.
        // forge-lint: disable-start(unsafe-typecast)
        tier.cutRay = uint96(_fit(cfg, string.concat(t, ".cutRay"), type(uint96).max));
        tier.periodSeconds = uint32(_fit(cfg, string.concat(t, ".periodSeconds"), type(uint32).max));
        tier.tailSeconds = uint32(_fit(cfg, string.concat(t, ".tailSeconds"), type(uint32).max));
        tier.floorWad = uint64(_fit(cfg, string.concat(t, ".floorWad"), type(uint64).max));
        tier.startPremiumBps = uint16(_fit(cfg, string.concat(t, ".startPremiumBps"), type(uint16).max));
        // forge-lint: disable-end(unsafe-typecast)
    }

    function _curve(string memory name, string memory t) internal pure returns (ICollateralAuction.CurveKind) {
        bytes32 h = keccak256(bytes(name));
        if (h == keccak256("linear")) return ICollateralAuction.CurveKind.Linear;
        if (h == keccak256("stairstep")) return ICollateralAuction.CurveKind.StairstepExponential;
        if (h == keccak256("exponential")) return ICollateralAuction.CurveKind.Exponential;
        if (h == keccak256("adaptive")) return ICollateralAuction.CurveKind.Adaptive;
        revert(
            string.concat(
                "Deploy: unknown curve at ", t, ".curve (expected linear, stairstep, exponential or adaptive)"
            )
        );
    }

    function _maxTab(string memory cfg, string memory key) internal pure returns (uint256) {
        if (keccak256(bytes(vm.parseJsonString(cfg, key))) == keccak256("max")) return type(uint256).max;
        return _uint(cfg, key);
    }

    /*//////////////////////////////////////////////////////////////
                               PORTFOLIO
    //////////////////////////////////////////////////////////////*/

    /// @dev Portfolio margin from `.portfolio`: `{ilk, stabilityFeeRay, debtCeiling, dust, assets: [ilk
    /// name], scenarios: [[shockWad per asset]]}`. The debt ilk books portfolio debt only (its token is
    /// gUSD's address, never moved); the PortfolioEngine holds the collateral and judges it with the
    /// table. The script checks the config's shape (names, widths); the engine validates the table itself
    /// (`ShockOutOfRange`, `MissingSingleAssetScenario`, `DuplicateAsset`, `TooManyAssets`, ...).
    function _deployPortfolio(Context memory c, GavelDeployment memory d) internal {
        string memory cfg = c.config;
        string[6] memory keys = ["ilk", "stabilityFeeRay", "debtCeiling", "dust", "assets", "scenarios"];
        for (uint256 k; k < keys.length; ++k) {
            require(
                vm.keyExistsJson(cfg, string.concat(".portfolio.", keys[k])),
                string.concat("Deploy: config .portfolio has no .", keys[k])
            );
        }
        string memory name = vm.parseJsonString(cfg, ".portfolio.ilk");
        bytes32 id = _ilkId(name);
        require(
            _ilkIndex(d, id) == type(uint256).max,
            string.concat(
                "Deploy: .portfolio.ilk ", name, " is a collateral ilk of .ilks; the debt ilk needs its own name"
            )
        );
        bytes32[] memory assets = _portfolioAssets(cfg, d);
        uint256[][] memory shocks = _portfolioScenarios(cfg, assets.length);

        c.engine.addIlk(id, d.stablecoin);
        c.engine.setLiquidationRatio(id, PORTFOLIO_LIQUIDATION_RATIO);
        c.engine.setStabilityFee(id, _uint(cfg, ".portfolio.stabilityFeeRay"));
        c.engine.setDebtCeiling(id, _uint(cfg, ".portfolio.debtCeiling"));
        c.engine.setDust(id, _uint(cfg, ".portfolio.dust"));
        PortfolioEngine portfolio = new PortfolioEngine(c.deployer, address(c.engine), id);
        c.engine.setRiskEngine(id, address(portfolio));
        portfolio.setScenarioTable(assets, shocks);
        c.liquidationEngine.setPortfolioEngine(address(portfolio));
        portfolio.grantRoles(address(c.liquidationEngine), portfolio.LIQUIDATOR());
        d.portfolioEngine = address(portfolio);
        d.portfolioIlk = id;
    }

    /// @dev `.portfolio.assets`: each a name of an ilk under `.ilks` (the debt ilk is none of them).
    function _portfolioAssets(string memory cfg, GavelDeployment memory d)
        internal
        view
        returns (bytes32[] memory ids)
    {
        uint256 n = GavelDeploymentJson.count(cfg, ".portfolio.assets");
        ids = new bytes32[](n);
        for (uint256 a; a < n; ++a) {
            string memory key = string.concat(".portfolio.assets[", vm.toString(a), "]");
            string memory name = vm.parseJsonString(cfg, key);
            ids[a] = _ilkId(name);
            require(
                _ilkIndex(d, ids[a]) != type(uint256).max,
                string.concat("Deploy: config ", key, " ", name, " is not an ilk of .ilks")
            );
        }
    }

    /// @dev `.portfolio.scenarios`: rows of `width` shocks (WAD; bounds are the engine's).
    function _portfolioScenarios(string memory cfg, uint256 width) internal view returns (uint256[][] memory rows) {
        uint256 m = GavelDeploymentJson.count(cfg, ".portfolio.scenarios");
        rows = new uint256[][](m);
        for (uint256 j; j < m; ++j) {
            string memory key = string.concat(".portfolio.scenarios[", vm.toString(j), "]");
            uint256 n = GavelDeploymentJson.count(cfg, key);
            require(
                n == width,
                string.concat(
                    "Deploy: config ",
                    key,
                    " has ",
                    vm.toString(n),
                    " shocks for ",
                    vm.toString(width),
                    " .portfolio.assets (one per asset, in their order)"
                )
            );
            rows[j] = new uint256[](n);
            for (uint256 a; a < n; ++a) {
                rows[j][a] = _uint(cfg, string.concat(key, "[", vm.toString(a), "]"));
            }
        }
    }

    /// @dev Index of ilk `id` in `d.ilks`, or `type(uint256).max`.
    function _ilkIndex(GavelDeployment memory d, bytes32 id) internal pure returns (uint256) {
        for (uint256 i; i < d.ilks.length; ++i) {
            if (d.ilks[i].id == id) return i;
        }
        return type(uint256).max;
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @dev A solady Timelock from `.timelock`: `minDelaySeconds` (at least `MIN_TIMELOCK_DELAY` off the
    /// local chain, at most `MAX_TIMELOCK_DELAY`), `proposers`, `executors` (at least one each),
    /// `cancellers`. No admin: only the timelock itself (through a delayed proposal) changes its roles.
    function _deployTimelock(string memory cfg) internal returns (address) {
        uint256 delay = _uint(cfg, ".timelock.minDelaySeconds");
        require(
            delay <= MAX_TIMELOCK_DELAY,
            string.concat("Deploy: .timelock.minDelaySeconds ", vm.toString(delay), " is above 30 days")
        );
        require(
            block.chainid == LOCAL_CHAIN_ID || delay >= MIN_TIMELOCK_DELAY,
            string.concat(
                "Deploy: .timelock.minDelaySeconds ",
                vm.toString(delay),
                " is below one day on chain ",
                vm.toString(block.chainid),
                " (shorter delays are for the local chain 31337 only)"
            )
        );
        address[] memory proposers = _addresses(cfg, ".timelock.proposers", false);
        address[] memory executors = _addresses(cfg, ".timelock.executors", false);
        address[] memory cancellers = _addresses(cfg, ".timelock.cancellers", true);
        Timelock timelock = new Timelock();
        timelock.initialize(delay, address(0), proposers, executors, cancellers);
        return address(timelock);
    }

    /// @dev Fund `HEALER` to each `.insuranceFund.healers` address (may be empty): healing burns the
    /// fund's gUSD against realized bad debt (keeper incentives, shortfalls) without waiting on the timelock.
    function _grantHealers(Context memory c) internal {
        address[] memory healers = _addresses(c.config, ".insuranceFund.healers", true);
        for (uint256 i; i < healers.length; ++i) {
            c.fund.grantRoles(healers[i], c.fund.HEALER());
        }
    }

    /// @dev Hands every owned contract to the timelock.
    function _handOver(Context memory c, GavelDeployment memory d) internal {
        _transfer(d.breaker, c.governance);
        _transfer(d.engine, c.governance);
        _transfer(d.fund, c.governance);
        _transfer(d.spotter, c.governance);
        _transfer(d.liquidationEngine, c.governance);
        _transfer(d.preLiquidation, c.governance);
        if (d.portfolioEngine != address(0)) _transfer(d.portfolioEngine, c.governance);
        for (uint256 i; i < d.ilks.length; ++i) {
            IlkDeployment memory ilk = d.ilks[i];
            _transfer(ilk.oracle, c.governance);
            _transfer(ilk.house, c.governance);
            for (uint256 j; j < ilk.feeds.length; ++j) {
                // Pushed feeds are owned; Chainlink adapters are immutable and have no owner.
                if (_isOwnedBy(ilk.feeds[j], c.deployer)) _transfer(ilk.feeds[j], c.governance);
            }
        }
    }

    function _transfer(address ownable, address governance) internal {
        Ownable(ownable).transferOwnership(governance);
    }

    /// @dev True when `target` answers `owner()` with `account`.
    function _isOwnedBy(address target, address account) internal view returns (bool) {
        (bool ok, bytes memory ret) = target.staticcall(abi.encodeWithSelector(Ownable.owner.selector));
        return ok && ret.length == 32 && abi.decode(ret, (address)) == account;
    }

    /*//////////////////////////////////////////////////////////////
                                 CONFIG
    //////////////////////////////////////////////////////////////*/

    /// @dev A number at `key`: a decimal string (`"1500"`, `"1.5e18"`), read with `vm.parseJsonUint`.
    function _uint(string memory cfg, string memory key) internal pure returns (uint256) {
        return vm.parseJsonUint(cfg, key);
    }

    /// @dev The address array at `key`: every entry non-zero, and non-empty unless `mayBeEmpty`.
    function _addresses(string memory cfg, string memory key, bool mayBeEmpty)
        internal
        view
        returns (address[] memory list)
    {
        uint256 n = GavelDeploymentJson.count(cfg, key);
        require(mayBeEmpty || n > 0, string.concat("Deploy: config ", key, " needs at least one address"));
        list = new address[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = vm.parseJsonAddress(cfg, string.concat(key, "[", vm.toString(i), "]"));
            require(list[i] != address(0), string.concat("Deploy: config ", key, " holds the zero address"));
        }
    }

    /// @dev The number at `key` (at most `max`), or `fallback_` when the key is absent.
    function _fitOr(string memory cfg, string memory key, uint256 fallback_, uint256 max)
        internal
        view
        returns (uint256)
    {
        return vm.keyExistsJson(cfg, key) ? _fit(cfg, key, max) : fallback_;
    }

    /// @dev A number at `key` that must not exceed `max`.
    function _fit(string memory cfg, string memory key, uint256 max) internal pure returns (uint256 value) {
        value = _uint(cfg, key);
        require(value <= max, string.concat("Deploy: config value too large at ", key));
    }
}
