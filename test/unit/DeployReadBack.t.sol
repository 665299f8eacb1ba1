// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ERC7821} from "solady/accounts/ERC7821.sol";
import {Timelock} from "solady/accounts/Timelock.sol";
import {EnumerableRoles} from "solady/auth/EnumerableRoles.sol";
import {Ownable} from "solady/auth/Ownable.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";

import {CircuitBreaker} from "../../contracts/src/CircuitBreaker.sol";
import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {InsuranceFund} from "../../contracts/src/InsuranceFund.sol";
import {LiquidationEngine} from "../../contracts/src/LiquidationEngine.sol";
import {PortfolioEngine} from "../../contracts/src/PortfolioEngine.sol";
import {PreLiquidation} from "../../contracts/src/PreLiquidation.sol";
import {VaultEngine} from "../../contracts/src/VaultEngine.sol";
import {ICircuitBreaker} from "../../contracts/src/interfaces/ICircuitBreaker.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IPreLiquidation} from "../../contracts/src/interfaces/IPreLiquidation.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {MedianOracle} from "../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../contracts/src/oracles/PushedFeed.sol";
import {Spotter} from "../../contracts/src/oracles/Spotter.sol";
import {CollateralTopUpHook} from "../../contracts/src/periphery/CollateralTopUpHook.sol";

import {Deploy} from "../../contracts/script/Deploy.s.sol";
import {GavelDeployment, GavelDeploymentJson, IlkDeployment} from "../../contracts/script/lib/GavelDeployment.sol";

/// @notice Issue 12, "the deployed system is the tested system": runs the real deploy script on every
/// shipped config (`contracts/config/{local,demo,demo-tight}.json`) and reads the deployed system back,
/// checking every owner, role, bound, tier and wiring against the config text itself (no number here is
/// hard-coded), and that the deployer keeps nothing. Then what the timelock protects, the per-ilk house
/// role, and the breaker armed on a demo-shaped crash, all on the deployed system. Portfolio margin
/// (`.portfolio`) is read back here too; its end-to-end run is `DeployPortfolio.t.sol`.
contract DeployReadBackTest is Test {
    /// @dev ERC-7821 batch mode with optional opData, as solady's Timelock recommends.
    bytes32 internal constant MODE = 0x0100000000007821000100000000000000000000000000000000000000000000;

    Deploy internal script;
    address internal attacker = makeAddr("attacker");

    function setUp() public {
        vm.warp(1_700_000_000);
        script = new Deploy();
    }

    /*//////////////////////////////////////////////////////////////
                              READ-BACK
    //////////////////////////////////////////////////////////////*/

    function test_ReadBack_Local() public {
        _readBack("local");
    }

    function test_ReadBack_Demo() public {
        _readBack("demo");
    }

    function test_ReadBack_DemoTight() public {
        _readBack("demo-tight");
    }

    /// @dev A config tier can be Adaptive (`"curve": "adaptive"`, `periodSeconds` = follow seconds):
    /// the deployed house holds it field by field, and it prices as an Adaptive tier.
    function test_ReadBack_AdaptiveTier() public {
        string memory cfg = vm.replace(
            vm.readFile(script.configPath("local")),
            '"curve": "exponential",\n            "cutRay": "0.9995e27",\n            "periodSeconds": "0",',
            '"curve": "adaptive",\n            "cutRay": "0.9995e27",\n            "periodSeconds": "1800",'
        );
        GavelDeployment memory d = _readBackConfig(cfg);
        bool found;
        for (uint256 i; i < d.ilks.length; ++i) {
            CollateralAuction house = CollateralAuction(d.ilks[i].house);
            ICollateralAuction.Tier memory t = house.tier(house.tierFor(500_000e18));
            if (t.kind == ICollateralAuction.CurveKind.Adaptive) {
                found = true;
                assertEq(t.periodSeconds, 1800, "follow seconds");
            }
        }
        assertTrue(found, "the config's adaptive tier was deployed");
    }

    /// @dev The file the script writes reads back to the same deployment, identity included.
    function test_ReadBack_DeploymentsFileCarriesChainIdentity() public {
        string memory path = "deployments/.test-readback.json";
        GavelDeployment memory d = script.deploy(vm.readFile(script.configPath("local")), path);
        string memory json = vm.readFile(path);
        GavelDeployment memory r = GavelDeploymentJson.read(path);
        vm.removeFile(path);
        assertEq(vm.parseJsonUint(json, ".chainId"), block.chainid, "chainId");
        assertEq(vm.parseJsonBytes32(json, ".genesisHash"), blockhash(0), "genesis hash");
        assertTrue(d.genesisHash != bytes32(0), "non-zero genesis hash");
        assertEq(vm.parseJsonAddress(json, ".breaker"), d.breaker, "breaker");
        assertEq(vm.parseJsonAddress(json, ".governance"), d.governance, "governance = timelock");
        assertEq(keccak256(abi.encode(r)), keccak256(abi.encode(d)), "round trip");
    }

    /*//////////////////////////////////////////////////////////////
                             GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @dev Threat model, Governance: a stolen proposer key cannot change a parameter at once. A direct
    /// call reverts; through the timelock it waits `minDelaySeconds`, in which the canceller cancels.
    function test_Timelock_ProposerCannotActBeforeDelay() public {
        string memory cfg = vm.readFile(script.configPath("local"));
        GavelDeployment memory d = script.deploy(cfg, "");
        address proposer = vm.parseJsonAddress(cfg, ".timelock.proposers[0]");
        address canceller = vm.parseJsonAddress(cfg, ".timelock.cancellers[0]");
        uint256 delay = vm.parseJsonUint(cfg, ".timelock.minDelaySeconds");
        Timelock timelock = Timelock(payable(d.governance));
        bytes32 ilk = d.ilks[0].id;

        // Direct: the proposer owns nothing.
        vm.prank(proposer);
        vm.expectRevert(Ownable.Unauthorized.selector);
        VaultEngine(d.engine).setDebtCeiling(ilk, type(uint128).max);

        // Through the timelock: a shorter delay is refused; the proposal waits its delay.
        bytes memory data = _oneCall(d.engine, abi.encodeCall(VaultEngine.setDebtCeiling, (ilk, type(uint128).max)));
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(Timelock.TimelockInsufficientDelay.selector, delay - 1, delay));
        timelock.propose(MODE, data, delay - 1);
        vm.prank(proposer);
        bytes32 id = timelock.propose(MODE, data, delay);
        vm.warp(block.timestamp + delay - 1);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(Timelock.TimelockInvalidOperation.selector, id, 1 << 2));
        timelock.execute(MODE, data);

        // The canceller sees it and cancels: it never runs.
        vm.prank(canceller);
        timelock.cancel(id);
        vm.warp(block.timestamp + 1);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(Timelock.TimelockInvalidOperation.selector, id, 1 << 2));
        timelock.execute(MODE, data);
        assertEq(VaultEngine(d.engine).ilks(ilk).debtCeiling, vm.parseJsonUint(cfg, ".ilks[0].vault.debtCeiling"));
    }

    /// @dev After the delay an honest proposal runs: governance still works (how scripts act after deploy).
    function test_Timelock_ExecutesAfterDelay() public {
        string memory cfg = vm.readFile(script.configPath("local"));
        GavelDeployment memory d = script.deploy(cfg, "");
        address proposer = vm.parseJsonAddress(cfg, ".timelock.proposers[0]");
        address executor = vm.parseJsonAddress(cfg, ".timelock.executors[0]");
        Timelock timelock = Timelock(payable(d.governance));
        bytes memory data =
            _oneCall(d.breaker, abi.encodeCall(CircuitBreaker.setLevel, (ICollateralAuction(d.ilks[1].house), 1)));
        uint256 delay = timelock.minDelay();
        vm.prank(proposer);
        timelock.propose(MODE, data, delay);
        vm.warp(block.timestamp + delay);
        vm.prank(executor);
        timelock.execute(MODE, data);
        assertEq(CollateralAuction(d.ilks[1].house).breakerLevel(), 1);
    }

    /// @dev No admin: nobody can grant themselves a timelock role without a delayed proposal.
    function test_Timelock_RevertWhen_RoleGrantedWithoutDelay() public {
        GavelDeployment memory d = script.deploy(vm.readFile(script.configPath("local")), "");
        vm.prank(d.deployer);
        vm.expectRevert(EnumerableRoles.EnumerableRolesUnauthorized.selector);
        Timelock(payable(d.governance)).setRole(d.deployer, 1, true);
        vm.prank(attacker);
        vm.expectRevert(Timelock.TimelockUnauthorized.selector);
        Timelock(payable(d.governance)).setMinDelay(0);
    }

    function test_Deploy_RevertWhen_TimelockDelayBelowOneDayOffLocalChain() public {
        string memory cfg = vm.readFile(script.configPath("local"));
        vm.chainId(1);
        vm.expectRevert(
            bytes(
                "Deploy: .timelock.minDelaySeconds 300 is below one day on chain 1 (shorter delays are for the local chain 31337 only)"
            )
        );
        script.deploy(cfg, "");
    }

    function test_Deploy_RevertWhen_TimelockDelayAboveThirtyDays() public {
        string memory cfg = vm.replace(
            vm.readFile(script.configPath("local")), '"minDelaySeconds": "300"', '"minDelaySeconds": "2592001"'
        );
        vm.expectRevert(bytes("Deploy: .timelock.minDelaySeconds 2592001 is above 30 days"));
        script.deploy(cfg, "");
    }

    function test_Deploy_RevertWhen_NoProposer() public {
        string memory cfg = vm.readFile(script.configPath("local"));
        cfg = vm.replace(
            cfg, string.concat('"proposers": ["', vm.toString(_firstProposer(cfg)), '"]'), '"proposers": []'
        );
        vm.expectRevert(bytes("Deploy: config .timelock.proposers needs at least one address"));
        script.deploy(cfg, "");
    }

    function test_Deploy_RevertWhen_ConfigStillNamesGovernance() public {
        string memory cfg = vm.replace(
            vm.readFile(script.configPath("local")),
            '"timelock": {',
            '"governance": "0x0000000000000000000000000000000000000001", "timelock": {'
        );
        vm.expectRevert(
            bytes(
                "Deploy: config .governance is no longer read: every contract is handed to a timelock the deploy creates; give .timelock {minDelaySeconds, proposers, executors, cancellers}"
            )
        );
        script.deploy(cfg, "");
    }

    function test_Deploy_RevertWhen_BreakerToleranceNotBelowOracleMaxChange() public {
        string memory cfg =
            vm.replace(vm.readFile(script.configPath("local")), '"toleranceBps": "300"', '"toleranceBps": "500"');
        vm.expectRevert(abi.encodeWithSelector(ICircuitBreaker.ToleranceNotBelowMaxChange.selector, 500, 500));
        script.deploy(cfg, "");
    }

    function test_Deploy_RevertWhen_BreakerPauseLevelZero() public {
        string memory cfg =
            vm.replace(vm.readFile(script.configPath("local")), '"pauseLevel": "2"', '"pauseLevel": "0"');
        vm.expectRevert(abi.encodeWithSelector(ICircuitBreaker.PauseLevelOutOfRange.selector, 0, 1, 3));
        script.deploy(cfg, "");
    }

    /*//////////////////////////////////////////////////////////////
                          PER-ILK HOUSE ROLE
    //////////////////////////////////////////////////////////////*/

    /// @dev On the deployed system: no house restores another ilk's collateral, none seizes.
    function test_Deployed_RevertWhen_HouseRestoresAnotherIlk() public {
        GavelDeployment memory d = script.deploy(vm.readFile(script.configPath("local")), "");
        VaultEngine engine = VaultEngine(d.engine);
        for (uint256 i; i < d.ilks.length; ++i) {
            for (uint256 j; j < d.ilks.length; ++j) {
                if (i == j) continue;
                vm.prank(d.ilks[i].house);
                vm.expectRevert(
                    abi.encodeWithSelector(IVaultEngine.NotAuctionHouse.selector, d.ilks[j].id, d.ilks[i].house)
                );
                engine.restoreCollateral(d.ilks[j].id, attacker, 1, 1);
            }
            vm.prank(d.ilks[i].house);
            vm.expectRevert(Ownable.Unauthorized.selector);
            engine.seize(d.ilks[i].id, attacker, 0, 1, d.ilks[i].house);
        }
    }

    /*//////////////////////////////////////////////////////////////
                           BREAKER ARMED
    //////////////////////////////////////////////////////////////*/

    /// @dev The demo's crash shape (40% in two legs over 60 one-second pokes, the system test's
    /// fastest), observed after every poke as a poke bot does, never trips the deployed breaker; one
    /// implausible update (a further 10% in one poke, the oracle's clamp) trips ETH-A to level 2 while
    /// the other houses stay open.
    function test_Breaker_HonestDemoCrashDoesNotTrip_ImplausibleDropTrips() public {
        string memory cfg = vm.readFile(script.configPath("demo"));
        GavelDeployment memory d = script.deploy(cfg, "");
        CircuitBreaker breaker = CircuitBreaker(d.breaker);
        IlkDeployment memory eth = d.ilks[0];
        ICollateralAuction house = ICollateralAuction(eth.house);
        uint256 start = vm.parseJsonUint(cfg, ".ilks[0].seed.price");
        _pokeAll(cfg, d, 0, start);
        breaker.observe(house);
        uint256 steps = 60;
        for (uint256 k = 1; k <= steps; ++k) {
            uint256 price = start - start * 4 * _crashShapeBps(k * 10_000 / steps) / 100_000;
            _pokeAll(cfg, d, 0, price);
            assertFalse(breaker.observe(house), "an honest crash step does not trip");
        }
        assertEq(house.breakerLevel(), 0, "still open after the honest crash");
        assertFalse(breaker.checkBadDebt(), "no bad-debt pause");

        // One update of -10% (more than the 8% tolerance): trips at once.
        (uint256 mark,) = MedianOracle(eth.oracle).peek();
        _pokeAll(cfg, d, 0, mark * 9 / 10);
        assertTrue(breaker.observe(house), "implausible drop trips");
        assertEq(house.breakerLevel(), breaker.TRIP_LEVEL());
        assertEq(ICollateralAuction(d.ilks[1].house).breakerLevel(), 0, "other houses stay open");
    }

    /*//////////////////////////////////////////////////////////////
                               HELPERS
    //////////////////////////////////////////////////////////////*/

    function _readBack(string memory name) internal {
        _readBackConfig(vm.readFile(script.configPath(name)));
    }

    function _readBackConfig(string memory cfg) internal returns (GavelDeployment memory d) {
        d = script.deploy(cfg, "");
        assertEq(d.chainId, block.chainid, "chainId");
        assertEq(d.genesisHash, blockhash(0), "genesisHash");
        _checkTimelock(cfg, d);
        _checkCore(cfg, d);
        _checkBreaker(cfg, d);
        _checkProtection(cfg, d);
        _checkPortfolio(cfg, d);
        uint256 n = GavelDeploymentJson.count(cfg, ".ilks");
        assertEq(d.ilks.length, n, "ilk count");
        // The collateral ilks, and the portfolio debt ilk when the config has one.
        uint256 debtIlks = vm.keyExistsJson(cfg, ".portfolio") ? 1 : 0;
        assertEq(VaultEngine(d.engine).ilkList().length, n + debtIlks, "engine ilks");
        for (uint256 i; i < n; ++i) {
            string memory key = string.concat(".ilks[", vm.toString(i), "]");
            _checkIlkVault(cfg, key, d, d.ilks[i]);
            _checkIlkOracle(cfg, key, d, d.ilks[i]);
            _checkIlkHouse(cfg, key, d, i);
            _checkTiers(cfg, string.concat(key, ".auction.tiers"), CollateralAuction(d.ilks[i].house));
        }
        _checkDeployerKeepsNothing(d);
    }

    function _checkTimelock(string memory cfg, GavelDeployment memory d) internal view {
        Timelock t = Timelock(payable(d.governance));
        assertEq(t.minDelay(), vm.parseJsonUint(cfg, ".timelock.minDelaySeconds"), "timelock delay");
        assertEq(t.roleHolders(t.ADMIN_ROLE()).length, 0, "no timelock admin");
        _assertSameSet(t.roleHolders(t.PROPOSER_ROLE()), _list(cfg, ".timelock.proposers"), "proposers");
        _assertSameSet(t.roleHolders(t.EXECUTOR_ROLE()), _list(cfg, ".timelock.executors"), "executors");
        _assertSameSet(t.roleHolders(t.CANCELLER_ROLE()), _list(cfg, ".timelock.cancellers"), "cancellers");
    }

    function _checkCore(string memory cfg, GavelDeployment memory d) internal view {
        VaultEngine engine = VaultEngine(d.engine);
        InsuranceFund fund = InsuranceFund(d.fund);
        LiquidationEngine dog = LiquidationEngine(d.liquidationEngine);
        _assertOwner(d.engine, d);
        _assertOwner(d.fund, d);
        _assertOwner(d.spotter, d);
        _assertOwner(d.liquidationEngine, d);
        _assertOwner(d.breaker, d);
        assertEq(engine.stablecoin(), d.stablecoin, "stablecoin");
        assertEq(engine.insuranceFund(), d.fund, "engine fund");
        assertEq(engine.rolesOf(d.spotter), engine.SPOTTER(), "spotter: SPOTTER only");
        assertEq(engine.rolesOf(d.liquidationEngine), engine.LIQUIDATOR(), "liquidation engine: LIQUIDATOR only");
        assertEq(Spotter(d.spotter).engine(), d.engine, "spotter engine");
        assertEq(fund.asset(), d.stablecoin, "fund asset");
        assertEq(fund.cooldownSeconds(), vm.parseJsonUint(cfg, ".insuranceFund.cooldownSeconds"), "cooldown");
        assertEq(fund.windowSeconds(), vm.parseJsonUint(cfg, ".insuranceFund.windowSeconds"), "window");
        address[] memory healers = _list(cfg, ".insuranceFund.healers");
        for (uint256 i; i < healers.length; ++i) {
            assertEq(fund.rolesOf(healers[i]), fund.HEALER(), "healer: HEALER only");
        }
        assertEq(address(dog.vaultEngine()), d.engine, "dog engine");
        assertEq(dog.globalMaxDebtInAuctions(), vm.parseJsonUint(cfg, ".liquidation.globalMaxDebtInAuctions"));
        assertEq(dog.tip(), vm.parseJsonUint(cfg, ".liquidation.tip"), "tip");
        assertEq(dog.chipWad(), vm.parseJsonUint(cfg, ".liquidation.chipWad"), "chip");
    }

    /// @dev PreLiquidation: owned by governance, bounds as configured, `PRE_LIQUIDATOR` only; the top-up
    /// hook wired to this engine pair and on the allow-list.
    function _checkProtection(string memory cfg, GavelDeployment memory d) internal view {
        VaultEngine engine = VaultEngine(d.engine);
        PreLiquidation pre = PreLiquidation(d.preLiquidation);
        _assertOwner(d.preLiquidation, d);
        assertEq(address(pre.vaultEngine()), d.engine, "pre engine");
        assertEq(address(pre.liquidationEngine()), d.liquidationEngine, "pre liquidation engine");
        assertEq(engine.rolesOf(d.preLiquidation), engine.PRE_LIQUIDATOR(), "pre: PRE_LIQUIDATOR only");
        IPreLiquidation.Bounds memory b = pre.bounds();
        assertEq(b.maxPreHealthWad, vm.parseJsonUint(cfg, ".protection.maxPreHealthWad"), "max pre-health");
        assertEq(b.maxIncentiveWad, vm.parseJsonUint(cfg, ".protection.maxIncentiveWad"), "max incentive");
        assertEq(b.maxCloseFactorBps, vm.parseJsonUint(cfg, ".protection.maxCloseFactorBps"), "max close factor");
        CollateralTopUpHook hook = CollateralTopUpHook(d.topUpHook);
        assertEq(address(hook.vaultEngine()), d.engine, "hook engine");
        assertEq(hook.liquidationEngine(), d.liquidationEngine, "hook caller");
        assertTrue(LiquidationEngine(d.liquidationEngine).isRescueHookAllowed(d.topUpHook), "hook allow-listed");
    }

    /// @dev Portfolio margin (`.portfolio`): the debt ilk as configured (gUSD as its never-moved token,
    /// ratio 1, no oracle, no house, not liquidatable as an isolated ilk), margined by the PortfolioEngine
    /// (`riskEngine`), the engine's table equal to the config's, the liquidation engine naming it and
    /// holding its `LIQUIDATOR` role only; the PortfolioEngine holds no role on the vault engine. Without the
    /// section nothing of it is deployed.
    function _checkPortfolio(string memory cfg, GavelDeployment memory d) internal view {
        LiquidationEngine dog = LiquidationEngine(d.liquidationEngine);
        if (!vm.keyExistsJson(cfg, ".portfolio")) {
            assertEq(d.portfolioEngine, address(0), "no portfolio engine");
            assertEq(d.portfolioIlk, bytes32(0), "no portfolio ilk");
            assertEq(dog.portfolioEngine(), address(0), "liquidation engine names none");
            return;
        }
        assertEq(d.portfolioIlk, bytes32(bytes(vm.parseJsonString(cfg, ".portfolio.ilk"))), "portfolio ilk id");
        _assertOwner(d.portfolioEngine, d);
        _checkPortfolioIlk(cfg, d);
        _checkPortfolioTable(cfg, d);
        // The liquidation side, and nothing else.
        PortfolioEngine portfolio = PortfolioEngine(d.portfolioEngine);
        assertEq(dog.portfolioEngine(), d.portfolioEngine, "liquidation engine's portfolio engine");
        assertEq(portfolio.rolesOf(d.liquidationEngine), portfolio.LIQUIDATOR(), "liquidation engine: LIQUIDATOR only");
        assertEq(VaultEngine(d.engine).rolesOf(d.portfolioEngine), 0, "portfolio engine: no vault engine role");
    }

    /// @dev The debt ilk: configured fee, ceiling and dust; gUSD as token, ratio 1, no price, no oracle, no
    /// house; margined by the PortfolioEngine.
    function _checkPortfolioIlk(string memory cfg, GavelDeployment memory d) internal view {
        VaultEngine engine = VaultEngine(d.engine);
        bytes32 id = d.portfolioIlk;
        IVaultEngine.Ilk memory info = engine.ilks(id);
        assertEq(info.token, d.stablecoin, "debt ilk token is gUSD");
        assertEq(info.decimals, 18, "debt ilk decimals");
        assertEq(info.liquidationRatio, 1e18, "debt ilk ratio 1");
        assertEq(info.stabilityFeeRay, vm.parseJsonUint(cfg, ".portfolio.stabilityFeeRay"), "debt ilk fee");
        assertEq(info.debtCeiling, vm.parseJsonUint(cfg, ".portfolio.debtCeiling"), "debt ilk ceiling");
        assertEq(info.dust, vm.parseJsonUint(cfg, ".portfolio.dust"), "debt ilk dust");
        assertEq(info.normalizedDebt, 0, "no debt yet");
        assertEq(info.spot, 0, "no price on the debt line");
        assertEq(engine.riskEngine(id), d.portfolioEngine, "risk engine");
        assertEq(Spotter(d.spotter).oracles(id), address(0), "no oracle for the debt ilk");
        assertEq(
            LiquidationEngine(d.liquidationEngine).ilkConfig(id).house, address(0), "no house: no isolated liquidation"
        );
        for (uint256 i; i < d.ilks.length; ++i) {
            assertTrue(d.ilks[i].id != id, "the debt ilk is no collateral ilk");
            assertFalse(engine.isAuctionHouse(id, d.ilks[i].house), "no house restores onto the debt ilk");
        }
    }

    /// @dev The PortfolioEngine over the debt ilk, its table equal to `.portfolio.assets` and `.scenarios`.
    function _checkPortfolioTable(string memory cfg, GavelDeployment memory d) internal view {
        PortfolioEngine portfolio = PortfolioEngine(d.portfolioEngine);
        assertEq(portfolio.vaultEngine(), d.engine, "portfolio's vault engine");
        assertEq(portfolio.portfolioIlk(), d.portfolioIlk, "portfolio's debt ilk");
        bytes32[] memory assets = portfolio.assets();
        uint256 n = GavelDeploymentJson.count(cfg, ".portfolio.assets");
        assertEq(assets.length, n, "asset count");
        for (uint256 a; a < n; ++a) {
            string memory name = vm.parseJsonString(cfg, string.concat(".portfolio.assets[", vm.toString(a), "]"));
            // forge-lint: disable-next-line(unsafe-typecast) an ilk name, at most 32 bytes (Deploy checks it)
            assertEq(assets[a], bytes32(bytes(name)), "asset column");
        }
        uint256[][] memory rows = portfolio.scenarios();
        assertEq(rows.length, GavelDeploymentJson.count(cfg, ".portfolio.scenarios"), "scenario count");
        for (uint256 j; j < rows.length; ++j) {
            string memory row = string.concat(".portfolio.scenarios[", vm.toString(j), "]");
            assertEq(rows[j].length, n, "row width");
            for (uint256 a; a < n; ++a) {
                assertEq(rows[j][a], vm.parseJsonUint(cfg, string.concat(row, "[", vm.toString(a), "]")), "shock");
            }
        }
    }

    function _checkBreaker(string memory cfg, GavelDeployment memory d) internal view {
        CircuitBreaker b = CircuitBreaker(d.breaker);
        assertEq(b.vaultEngine(), d.engine, "breaker engine");
        assertEq(b.rearmDelaySeconds(), vm.parseJsonUint(cfg, ".breaker.rearmDelaySeconds"), "rearm");
        assertEq(b.maxBadDebtPerWindow(), vm.parseJsonUint(cfg, ".breaker.maxBadDebtPerWindow"), "bad-debt bound");
        assertEq(b.windowSeconds(), vm.parseJsonUint(cfg, ".breaker.windowSeconds"), "bad-debt window");
        assertEq(b.pauseLevel(), vm.parseJsonUint(cfg, ".breaker.pauseLevel"), "pause level");
        address[] memory houses = b.houses();
        assertEq(houses.length, d.ilks.length, "every house registered");
        for (uint256 i; i < d.ilks.length; ++i) {
            assertEq(houses[i], d.ilks[i].house, "house order");
        }
    }

    function _checkIlkVault(string memory cfg, string memory key, GavelDeployment memory d, IlkDeployment memory ilk)
        internal
        view
    {
        assertEq(ilk.name, vm.parseJsonString(cfg, string.concat(key, ".name")), "name");
        assertEq(ilk.id, bytes32(bytes(ilk.name)), "id");
        IVaultEngine.Ilk memory info = VaultEngine(d.engine).ilks(ilk.id);
        string memory v = string.concat(key, ".vault");
        assertEq(info.token, ilk.token, "token");
        assertEq(info.decimals, ilk.decimals, "decimals");
        assertEq(info.liquidationRatio, vm.parseJsonUint(cfg, string.concat(v, ".liquidationRatioWad")), "ratio");
        assertEq(info.stabilityFeeRay, vm.parseJsonUint(cfg, string.concat(v, ".stabilityFeeRay")), "fee");
        assertEq(info.debtCeiling, vm.parseJsonUint(cfg, string.concat(v, ".debtCeiling")), "ceiling");
        assertEq(info.dust, vm.parseJsonUint(cfg, string.concat(v, ".dust")), "dust");
        if (vm.keyExistsJson(cfg, string.concat(key, ".mock"))) {
            assertEq(uint256(ilk.decimals), vm.parseJsonUint(cfg, string.concat(key, ".mock.decimals")), "mock dec");
        } else {
            assertEq(ilk.token, vm.parseJsonAddress(cfg, string.concat(key, ".token")), "token address");
        }
    }

    function _checkIlkOracle(string memory cfg, string memory key, GavelDeployment memory d, IlkDeployment memory ilk)
        internal
        view
    {
        string memory o = string.concat(key, ".oracle");
        MedianOracle oracle = MedianOracle(ilk.oracle);
        _assertOwner(ilk.oracle, d);
        assertEq(Spotter(d.spotter).oracles(ilk.id), ilk.oracle, "spotter oracle");
        assertEq(oracle.feeds(), ilk.feeds, "feeds");
        assertEq(oracle.quorum(), vm.parseJsonUint(cfg, string.concat(o, ".quorum")), "quorum");
        assertEq(oracle.maxAgeSeconds(), vm.parseJsonUint(cfg, string.concat(o, ".maxAgeSeconds")), "max age");
        assertEq(oracle.maxChangeBps(), vm.parseJsonUint(cfg, string.concat(o, ".maxChangeBps")), "max change");
        assertEq(oracle.hop(), vm.parseJsonUint(cfg, string.concat(o, ".hopSeconds")), "hop");
        assertEq(ilk.feeds.length, GavelDeploymentJson.count(cfg, string.concat(o, ".feeds")), "feed count");
        for (uint256 j; j < ilk.feeds.length; ++j) {
            string memory f = string.concat(o, ".feeds[", vm.toString(j), "]");
            if (keccak256(bytes(vm.parseJsonString(cfg, string.concat(f, ".kind")))) != keccak256("pushed")) continue;
            PushedFeed feed = PushedFeed(ilk.feeds[j]);
            _assertOwner(ilk.feeds[j], d);
            address pusher = vm.parseJsonAddress(cfg, string.concat(f, ".pusher"));
            assertEq(feed.rolesOf(pusher), feed.PUSHER_ROLE(), "pusher");
        }
    }

    function _checkIlkHouse(string memory cfg, string memory key, GavelDeployment memory d, uint256 i) internal view {
        IlkDeployment memory ilk = d.ilks[i];
        CollateralAuction house = CollateralAuction(ilk.house);
        VaultEngine engine = VaultEngine(d.engine);
        InsuranceFund fund = InsuranceFund(d.fund);
        string memory a = string.concat(key, ".auction");
        _assertOwner(ilk.house, d);
        assertEq(house.ilk(), ilk.id, "house ilk");
        assertEq(house.collateral(), ilk.token, "house collateral");
        assertEq(address(house.priceSource()), ilk.oracle, "house price source");
        assertEq(house.insuranceFund(), d.fund, "house fund");
        assertEq(house.redoTip(), vm.parseJsonUint(cfg, string.concat(a, ".redoTip")), "redo tip");
        assertEq(house.redoChipWad(), vm.parseJsonUint(cfg, string.concat(a, ".redoChipWad")), "redo chip");
        assertEq(house.takeoverTip(), vm.parseJsonUint(cfg, string.concat(a, ".takeoverTip")), "takeover tip");
        assertEq(house.breakerLevel(), 0, "armed, open");
        // Roles on the house: the liquidation engine kicks, the breaker sets levels; nobody else.
        assertEq(house.rolesOf(d.liquidationEngine), house.KICKER(), "KICKER");
        assertEq(house.rolesOf(d.breaker), house.BREAKER(), "BREAKER");
        // Roles of the house: incentives, its own ilk's restores, takeover with its cap.
        assertEq(engine.rolesOf(ilk.house), engine.INCENTIVE_MINTER(), "house: INCENTIVE_MINTER only");
        for (uint256 j; j < d.ilks.length; ++j) {
            assertEq(engine.isAuctionHouse(d.ilks[j].id, ilk.house), i == j, "restores its own ilk only");
        }
        assertEq(fund.rolesOf(ilk.house), fund.TAKEOVER(), "TAKEOVER");
        assertEq(fund.takeoverCapBps(ilk.house), vm.parseJsonUint(cfg, string.concat(a, ".takeoverCapBps")), "cap");
        ILiquidationEngine.IlkConfig memory c = LiquidationEngine(d.liquidationEngine).ilkConfig(ilk.id);
        string memory l = string.concat(key, ".liquidation");
        assertEq(c.house, ilk.house, "configured house");
        assertEq(c.penaltyWad, vm.parseJsonUint(cfg, string.concat(l, ".penaltyWad")), "penalty");
        assertEq(c.maxDebtInAuctions, vm.parseJsonUint(cfg, string.concat(l, ".maxDebtInAuctions")), "ilk room");
        assertEq(c.maxDebtPerBlock, vm.parseJsonUint(cfg, string.concat(l, ".maxDebtPerBlock")), "per block");
        ICircuitBreaker.HouseInfo memory info = CircuitBreaker(d.breaker).houseInfo(ICollateralAuction(ilk.house));
        assertEq(address(info.oracle), ilk.oracle, "breaker oracle");
        assertEq(info.toleranceBps, vm.parseJsonUint(cfg, string.concat(key, ".breaker.toleranceBps")), "tolerance");
    }

    /// @dev Each configured tier is the one the house picks for a tab at its `maxTab`, with every field.
    function _checkTiers(string memory cfg, string memory key, CollateralAuction house) internal view {
        uint256 n = GavelDeploymentJson.count(cfg, key);
        uint256 previous = type(uint256).max;
        for (uint256 k; k < n; ++k) {
            string memory t = string.concat(key, "[", vm.toString(k), "]");
            bool isMax = keccak256(bytes(vm.parseJsonString(cfg, string.concat(t, ".maxTab")))) == keccak256("max");
            uint256 maxTab = isMax ? type(uint112).max : vm.parseJsonUint(cfg, string.concat(t, ".maxTab"));
            uint256 id = house.tierFor(maxTab);
            assertTrue(id != previous, "a tier per row");
            previous = id;
            ICollateralAuction.Tier memory tier = house.tier(id);
            assertEq(uint8(tier.kind), _kind(vm.parseJsonString(cfg, string.concat(t, ".curve"))), "curve");
            assertEq(tier.cutRay, vm.parseJsonUint(cfg, string.concat(t, ".cutRay")), "cut");
            assertEq(tier.periodSeconds, vm.parseJsonUint(cfg, string.concat(t, ".periodSeconds")), "period");
            assertEq(tier.tailSeconds, vm.parseJsonUint(cfg, string.concat(t, ".tailSeconds")), "tail");
            assertEq(tier.floorWad, vm.parseJsonUint(cfg, string.concat(t, ".floorWad")), "floor");
            assertEq(tier.startPremiumBps, vm.parseJsonUint(cfg, string.concat(t, ".startPremiumBps")), "premium");
            if (!isMax && k + 1 < n) assertTrue(house.tierFor(maxTab + 1) != id, "next tier above maxTab");
        }
    }

    /// @dev The broadcaster owns nothing, holds no role, has no pending ownership handover, and is no
    /// timelock role holder.
    function _checkDeployerKeepsNothing(GavelDeployment memory d) internal view {
        address me = d.deployer;
        address[] memory owned = _owned(d);
        for (uint256 i; i < owned.length; ++i) {
            assertTrue(Ownable(owned[i]).owner() != me, "deployer owns nothing");
            assertEq(OwnableRoles(owned[i]).rolesOf(me), 0, "deployer holds no role");
            assertEq(Ownable(owned[i]).ownershipHandoverExpiresAt(me), 0, "no pending handover");
        }
        Timelock t = Timelock(payable(d.governance));
        for (uint256 role; role <= t.MAX_ROLE(); ++role) {
            assertFalse(t.hasRole(me, role), "deployer holds no timelock role");
        }
    }

    function _owned(GavelDeployment memory d) internal pure returns (address[] memory owned) {
        uint256 n = d.portfolioEngine == address(0) ? 6 : 7;
        for (uint256 i; i < d.ilks.length; ++i) {
            n += 2 + d.ilks[i].feeds.length;
        }
        owned = new address[](n);
        (owned[0], owned[1], owned[2], owned[3], owned[4], owned[5]) =
        (d.engine, d.fund, d.spotter, d.liquidationEngine, d.breaker, d.preLiquidation);
        uint256 k = 6;
        if (d.portfolioEngine != address(0)) owned[k++] = d.portfolioEngine;
        for (uint256 i; i < d.ilks.length; ++i) {
            owned[k++] = d.ilks[i].oracle;
            owned[k++] = d.ilks[i].house;
            for (uint256 j; j < d.ilks[i].feeds.length; ++j) {
                owned[k++] = d.ilks[i].feeds[j];
            }
        }
    }

    function _assertOwner(address target, GavelDeployment memory d) internal view {
        assertEq(Ownable(target).owner(), d.governance, "owned by the timelock");
    }

    function _kind(string memory curve) internal pure returns (uint8) {
        bytes32 h = keccak256(bytes(curve));
        if (h == keccak256("linear")) return uint8(ICollateralAuction.CurveKind.Linear);
        if (h == keccak256("stairstep")) return uint8(ICollateralAuction.CurveKind.StairstepExponential);
        if (h == keccak256("adaptive")) return uint8(ICollateralAuction.CurveKind.Adaptive);
        assertEq(h, keccak256("exponential"), "a known curve name");
        return uint8(ICollateralAuction.CurveKind.Exponential);
    }

    function _list(string memory cfg, string memory key) internal view returns (address[] memory list) {
        uint256 n = GavelDeploymentJson.count(cfg, key);
        list = new address[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = vm.parseJsonAddress(cfg, string.concat(key, "[", vm.toString(i), "]"));
        }
    }

    function _firstProposer(string memory cfg) internal pure returns (address) {
        return vm.parseJsonAddress(cfg, ".timelock.proposers[0]");
    }

    function _assertSameSet(address[] memory got, address[] memory want, string memory what) internal pure {
        assertEq(got.length, want.length, what);
        for (uint256 i; i < want.length; ++i) {
            bool found;
            for (uint256 j; j < got.length; ++j) {
                if (got[j] == want[i]) found = true;
            }
            assertTrue(found, what);
        }
    }

    function _oneCall(address to, bytes memory data) internal pure returns (bytes memory) {
        ERC7821.Call[] memory calls = new ERC7821.Call[](1);
        calls[0] = ERC7821.Call({to: to, value: 0, data: data});
        return abi.encode(calls);
    }

    /// @dev demo/src/market/path.ts `crashShape`, in bps of the full depth, for progress `p` in bps.
    function _crashShapeBps(uint256 p) internal pure returns (uint256) {
        if (p >= 8500) return 10_000;
        if (p < 3500) return 6500 * _ease(p * 10_000 / 3500) / 10_000;
        if (p < 5000) return 6500 - 800 * _ease((p - 3500) * 10_000 / 1500) / 10_000;
        return 5700 + 4300 * _ease((p - 5000) * 10_000 / 3500) / 10_000;
    }

    /// @dev smoothstep x²(3 − 2x) in bps.
    function _ease(uint256 x) internal pure returns (uint256) {
        return x * x * (30_000 - 2 * x) / 1e8;
    }

    /// @dev Pushes `price` to every pushed feed of ilk `i` (as its pusher), one second later, pokes the
    /// oracle and the spotter.
    function _pokeAll(string memory cfg, GavelDeployment memory d, uint256 i, uint256 price) internal {
        vm.warp(block.timestamp + 1);
        IlkDeployment memory ilk = d.ilks[i];
        for (uint256 j; j < ilk.feeds.length; ++j) {
            address pusher = vm.parseJsonAddress(
                cfg, string.concat(".ilks[", vm.toString(i), "].oracle.feeds[", vm.toString(j), "].pusher")
            );
            vm.prank(pusher);
            PushedFeed(ilk.feeds[j]).push(price);
        }
        MedianOracle(ilk.oracle).poke();
        Spotter(d.spotter).poke(ilk.id);
    }
}
