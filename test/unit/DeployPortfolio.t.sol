// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "solady/auth/Ownable.sol";

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {LiquidationEngine} from "../../contracts/src/LiquidationEngine.sol";
import {PortfolioEngine} from "../../contracts/src/PortfolioEngine.sol";
import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IPortfolioEngine} from "../../contracts/src/interfaces/IPortfolioEngine.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {DemoToken} from "../../contracts/src/testing/DemoToken.sol";

import {GavelDeployment, GavelDeploymentJson, IlkDeployment} from "../../contracts/script/lib/GavelDeployment.sol";
import {DeployFixture} from "../utils/DeployFixture.sol";

/// @notice Portfolio margin (issue #18) as `Deploy.s.sol` wires it from `contracts/config/local.json`'s
/// `.portfolio` section, used end to end on the deployed system: deposit two collaterals, borrow to the
/// table's limit, a price drop through the deployed feeds, oracle and spotter, `liquidatePortfolio`, and a
/// take whose unsold rest comes back into the portfolio. Then the deployments file's new keys, a config
/// without the section, and bad sections refused by name. (Every wired value is read back against the
/// config text by `DeployReadBack.t.sol::_checkPortfolio`.)
contract DeployPortfolioTest is DeployFixture {
    uint256 internal constant RAY = 1e27;
    /// @dev `d.ilks` order in local.json.
    uint256 internal constant ETH = 0;
    uint256 internal constant WBTC = 1;
    uint256 internal constant USDC = 2;

    PortfolioEngine internal portfolio;

    function _configName() internal pure override returns (string memory) {
        return "local";
    }

    function setUp() public override {
        super.setUp();
        portfolio = PortfolioEngine(d.portfolioEngine);
    }

    /*//////////////////////////////////////////////////////////////
                                 WIRING
    //////////////////////////////////////////////////////////////*/

    function test_DeployPortfolio_WiredAndHandedToTheTimelock() public view {
        // forge-lint: disable-next-line(unsafe-typecast) a 9-byte literal
        assertEq(d.portfolioIlk, bytes32("PORTFOLIO"), "debt ilk id");
        assertTrue(d.portfolioEngine.code.length != 0, "portfolio engine deployed");
        assertEq(engine.riskEngine(d.portfolioIlk), d.portfolioEngine, "risk engine of the debt ilk");
        assertEq(engine.ilks(d.portfolioIlk).token, d.stablecoin, "gUSD names the debt ilk's token");
        assertEq(engine.ilks(d.portfolioIlk).liquidationRatio, 1e18, "ratio 1");
        assertEq(dog.portfolioEngine(), d.portfolioEngine, "liquidation engine names it");
        assertTrue(portfolio.hasAllRoles(d.liquidationEngine, portfolio.LIQUIDATOR()), "LIQUIDATOR");
        assertEq(Ownable(d.portfolioEngine).owner(), d.governance, "owned by the timelock");
        assertEq(portfolio.rolesOf(deployer), 0, "the deployer keeps no role");
        bytes32[] memory assets = portfolio.assets();
        assertEq(assets.length, 3);
        (bytes32 usdc, bytes32 wbtc, bytes32 eth) = (d.ilks[USDC].id, d.ilks[WBTC].id, d.ilks[ETH].id);
        assertEq(assets[0], usdc);
        assertEq(assets[1], wbtc);
        assertEq(assets[2], eth);
        // The typical table: three single-asset rows, a crypto crash, a milder everything-down row.
        uint256[][] memory rows = portfolio.scenarios();
        assertEq(rows.length, 5);
        _assertRow(rows[0], 1e18, 0, 0);
        _assertRow(rows[1], 0, 1e18, 0);
        _assertRow(rows[2], 0, 0, 1e18);
        _assertRow(rows[3], 0, 1e18, 1e18);
        _assertRow(rows[4], 0.3e18, 0.6e18, 0.6e18);
    }

    /// @dev The debt line is no isolated ilk on the deployed system: no vault operation, no isolated
    /// liquidation, and only the portfolio engine moves its debt.
    function test_DeployPortfolio_DebtIlkRefusesIsolatedUse() public {
        bytes32 id = d.portfolioIlk;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ExternallyMargined.selector, id));
        engine.adjust(id, 0, 100e18);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.IlkNotConfigured.selector, id));
        dog.liquidate(id, alice, keeper);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotRiskEngine.selector, id, alice));
        engine.externalDebt(id, alice, 100e18, alice);
    }

    /*//////////////////////////////////////////////////////////////
                               END TO END
    //////////////////////////////////////////////////////////////*/

    /// @dev Alice holds 1 ETH and 500 USDC in one portfolio and borrows exactly the table's limit (the
    /// ETH single-asset and crypto-crash rows bind: USDC at its mark, ETH at spot). ETH's mark falls 5%
    /// through the deployed feeds: unsafe. One liquidation sends each asset to its own house with its debt
    /// share; a bidder takes the whole ETH lot at the mark (the small tier starts there), the tab is raised
    /// and the unsold rest comes back into Alice's portfolio, which she withdraws (no debt is left).
    function test_DeployPortfolio_LiquidateAndTakeReturnsTheRestIntoThePortfolio() public {
        IlkDeployment memory eth = d.ilks[ETH];
        _borrowToTheLimit();

        // A 5% drop through the deployed oracle path (pushed feeds -> MedianOracle -> Spotter -> engine).
        _setPrice(ETH, 1900e18);
        assertEq(engine.ilks(eth.id).spot, uint256(1900e18) * WAD / 1.5e18, "spot followed the feeds");
        assertFalse(portfolio.isSafe(alice), "unsafe after the drop");

        uint256[] memory ids = _liquidatePortfolio();
        uint256 out = _takeWholeEthLot(ids[1]);

        uint256 rest = 1e18 - out;
        assertEq(portfolio.collateralOf(alice, eth.id), rest, "the unsold rest is back in the portfolio");
        assertEq(portfolio.totalHeld(eth.id), rest, "held by the portfolio engine");
        assertEq(DemoToken(eth.token).balanceOf(d.portfolioEngine), rest, "custody exact");
        assertEq(DemoToken(eth.token).balanceOf(eth.house), 1, "the house keeps its priming wei only");
        (uint256 parked,) = engine.vault(eth.id, d.portfolioEngine);
        assertEq(parked, 0, "nothing parked in an isolated vault");
        _assertLedger();

        // Alice's portfolio has no debt: she takes the rest out.
        vm.prank(alice);
        portfolio.withdraw(eth.id, rest, alice);
        assertEq(DemoToken(eth.token).balanceOf(alice), rest);
        assertEq(portfolio.totalHeld(eth.id), 0);
    }

    /// @dev Marks ETH 2,000 and USDC 1; Alice deposits 1 ETH and 500 USDC and borrows exactly the
    /// table's limit (one wei more is refused by name); liquidation is refused while she is safe.
    function _borrowToTheLimit() internal {
        IlkDeployment memory usdc = d.ilks[USDC];
        _setPrice(ETH, 2000e18);
        _setPrice(USDC, 1e18);
        _depositPortfolio(alice, ETH, 1e18);
        _depositPortfolio(alice, USDC, 500e6);

        (uint256 limit, uint256 worst) = portfolio.portfolioRequirement(portfolio.holdingsOf(alice));
        // The binding rows value USDC at its implied mark (spot × 1.1, about 500) and ETH at spot (2000 / 1.5).
        uint256 usdcValue = uint256(500e6) * 1e12 * (engine.ilks(usdc.id).spot * 1.1e18 / WAD) / WAD;
        assertEq(limit, usdcValue + uint256(1e18) * engine.ilks(d.ilks[ETH].id).spot / WAD, "limit");
        assertApproxEqAbs(limit, 500e18 + uint256(2000e18) * 2 / 3, 1e6, "about 1,833 gUSD");
        assertEq(worst, 2, "the ETH single-asset row binds first (tied with the crypto crash)");
        assertEq(engine.ilks(d.portfolioIlk).rate, RAY, "no fee accrued yet: the debt is the amount");
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.UnsafePortfolio.selector, alice, limit, limit + 1, 2));
        portfolio.borrow(limit + 1);
        portfolio.borrow(limit);
        vm.stopPrank();
        assertEq(gusd.balanceOf(alice), limit, "borrowed gUSD");
        assertEq(portfolio.portfolioDebt(alice), limit, "portfolio debt");
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.PortfolioIsSafe.selector, alice));
        dog.liquidatePortfolio(alice, keeper);
    }

    /// @dev `liquidatePortfolio` by the keeper: one lot per held asset, the whole debt to bad debt.
    function _liquidatePortfolio() internal returns (uint256[] memory ids) {
        uint256 badBefore = engine.badDebtRad();
        (, uint256 art) = engine.vault(d.portfolioIlk, alice);
        uint256 rate = engine.ilks(d.portfolioIlk).rate;
        vm.prank(keeper);
        ids = dog.liquidatePortfolio(alice, keeper);
        assertEq(ids.length, 2, "one lot per held asset (table order: USDC, ETH)");
        assertEq(portfolio.portfolioDebt(alice), 0, "the whole debt went to auction");
        assertEq(portfolio.collateralOf(alice, d.ilks[ETH].id), 0);
        assertEq(portfolio.collateralOf(alice, d.ilks[USDC].id), 0);
        assertGt(gusd.balanceOf(keeper), 0, "the keeper is paid");
        assertEq(engine.badDebtRad() - badBefore, art * rate + gusd.balanceOf(keeper) * RAY, "debt to bad debt");
    }

    /// @dev A bidder takes the whole ETH lot at the mark: the tab is raised, the rest goes back.
    function _takeWholeEthLot(uint256 id) internal returns (uint256 out) {
        IlkDeployment memory eth = d.ilks[ETH];
        CollateralAuction house = CollateralAuction(eth.house);
        (, uint256 price, uint256 lot, uint256 tab) = house.getStatus(id);
        assertEq(lot, 1e18, "the whole ETH holding");
        assertEq(price, 1900e18, "small tier: starts at the mark");
        assertEq(house.sale(id).owner, d.portfolioEngine, "the lot is the portfolio engine's");
        assertLt(tab, 1900e18, "the lot is worth more than its tab");

        _fundStable(bidder, 5000e18);
        vm.startPrank(bidder);
        gusd.approve(eth.house, type(uint256).max);
        vm.expectEmit(true, true, true, false, d.portfolioEngine);
        emit IPortfolioEngine.PortfolioCollateralRestored(alice, eth.id, eth.house, id, 0);
        uint256 owe;
        (out, owe) = house.take(id, 1e18, 1900e18, bidder, "");
        vm.stopPrank();
        assertEq(owe, tab, "the tab is raised");
        assertEq(out, tab * WAD / 1900e18, "collateral at the mark");
        assertEq(DemoToken(eth.token).balanceOf(bidder), out);
    }

    /*//////////////////////////////////////////////////////////////
                             DEPLOYMENTS FILE
    //////////////////////////////////////////////////////////////*/

    function test_DeployPortfolio_DeploymentsFileCarriesTheEngineAndTheDebtIlk() public {
        string memory path = "deployments/.test-deploy-portfolio.json";
        GavelDeployment memory e = script.deploy(config, path);
        string memory json = vm.readFile(path);
        GavelDeployment memory r = GavelDeploymentJson.read(path);
        vm.removeFile(path);
        assertEq(vm.parseJsonAddress(json, ".portfolioEngine"), e.portfolioEngine, "portfolioEngine");
        // forge-lint: disable-next-line(unsafe-typecast) a 9-byte literal
        assertEq(vm.parseJsonBytes32(json, ".portfolioIlk"), bytes32("PORTFOLIO"), "portfolioIlk");
        assertEq(r.portfolioEngine, e.portfolioEngine);
        assertEq(r.portfolioIlk, e.portfolioIlk);
        assertEq(keccak256(abi.encode(r)), keccak256(abi.encode(e)), "round trip");
    }

    /// @dev `.portfolio` is optional: without it nothing of portfolio margin is deployed, the file has
    /// neither key, and it still reads back.
    function test_DeployPortfolio_NoSectionDeploysNone() public {
        string memory cfg = vm.replace(config, '"portfolio": {', '"notPortfolio": {');
        string memory path = "deployments/.test-deploy-no-portfolio.json";
        GavelDeployment memory e = script.deploy(cfg, path);
        string memory json = vm.readFile(path);
        GavelDeployment memory r = GavelDeploymentJson.read(path);
        vm.removeFile(path);
        assertEq(e.portfolioEngine, address(0));
        assertEq(e.portfolioIlk, bytes32(0));
        assertFalse(vm.keyExistsJson(json, ".portfolioEngine"), "no portfolioEngine key");
        assertFalse(vm.keyExistsJson(json, ".portfolioIlk"), "no portfolioIlk key");
        assertEq(LiquidationEngine(e.liquidationEngine).portfolioEngine(), address(0));
        assertEq(engine.ilkList().length, 4, "the fixture's deployment has the debt ilk");
        assertEq(IVaultEngine(e.engine).ilkList().length, 3, "collateral ilks only");
        assertEq(keccak256(abi.encode(r)), keccak256(abi.encode(e)), "round trip");
    }

    /*//////////////////////////////////////////////////////////////
                               BAD SECTIONS
    //////////////////////////////////////////////////////////////*/

    function test_DeployPortfolio_RevertWhen_KeyMissing() public {
        string memory bad = vm.replace(config, '"ilk": "PORTFOLIO"', '"name": "PORTFOLIO"');
        vm.expectRevert(bytes("Deploy: config .portfolio has no .ilk"));
        script.deploy(bad, "");
    }

    function test_DeployPortfolio_RevertWhen_DebtIlkIsACollateralIlk() public {
        string memory bad = vm.replace(config, '"ilk": "PORTFOLIO"', '"ilk": "ETH-A"');
        vm.expectRevert(
            bytes("Deploy: .portfolio.ilk ETH-A is a collateral ilk of .ilks; the debt ilk needs its own name")
        );
        script.deploy(bad, "");
    }

    function test_DeployPortfolio_RevertWhen_AssetIsNotAnIlk() public {
        string memory bad = vm.replace(config, '"WBTC-A", "ETH-A"]', '"WBTC-B", "ETH-A"]');
        vm.expectRevert(bytes("Deploy: config .portfolio.assets[1] WBTC-B is not an ilk of .ilks"));
        script.deploy(bad, "");
    }

    /// @dev The debt ilk is a known ilk of the engine, so the engine's `UnknownIlk` would not catch it.
    function test_DeployPortfolio_RevertWhen_AssetIsTheDebtIlk() public {
        string memory bad = vm.replace(config, '"WBTC-A", "ETH-A"]', '"WBTC-A", "PORTFOLIO"]');
        vm.expectRevert(bytes("Deploy: config .portfolio.assets[2] PORTFOLIO is not an ilk of .ilks"));
        script.deploy(bad, "");
    }

    function test_DeployPortfolio_RevertWhen_RowWidthIsNotTheAssetCount() public {
        string memory bad = vm.replace(config, '["0.3e18", "0.6e18", "0.6e18"]', '["0.3e18", "0.6e18"]');
        vm.expectRevert(
            bytes(
                "Deploy: config .portfolio.scenarios[4] has 2 shocks for 3 .portfolio.assets (one per asset, in their order)"
            )
        );
        script.deploy(bad, "");
    }

    /// @dev The table's own rules are the engine's, with its named errors.
    function test_DeployPortfolio_RevertWhen_ShockAboveOne() public {
        string memory bad = vm.replace(config, '["0.3e18", "0.6e18", "0.6e18"]', '["0.3e18", "1.6e18", "0.6e18"]');
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.ShockOutOfRange.selector, 4, 1, 1.6e18));
        script.deploy(bad, "");
    }

    function test_DeployPortfolio_RevertWhen_AnAssetHasNoFullShockScenario() public {
        string memory bad = vm.replace(config, '["1e18", "0", "0"]', '["0.9e18", "0", "0"]');
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.MissingSingleAssetScenario.selector, d.ilks[USDC].id));
        script.deploy(bad, "");
    }

    function test_DeployPortfolio_RevertWhen_NoScenarios() public {
        string memory bad = vm.replace(config, '["1e18", "0", "0"],', "");
        bad = vm.replace(bad, '["0", "1e18", "0"],', "");
        bad = vm.replace(bad, '["0", "0", "1e18"],', "");
        bad = vm.replace(bad, '["0", "1e18", "1e18"],', "");
        bad = vm.replace(bad, '["0.3e18", "0.6e18", "0.6e18"]', "");
        vm.expectRevert(IPortfolioEngine.NoScenarios.selector);
        script.deploy(bad, "");
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Mints `amount` of ilk `i`'s token to `user`, who deposits it into their portfolio.
    function _depositPortfolio(address user, uint256 i, uint256 amount) internal {
        DemoToken token = DemoToken(d.ilks[i].token);
        vm.startPrank(user);
        token.mint(user, amount);
        token.approve(d.portfolioEngine, amount);
        portfolio.deposit(user, d.ilks[i].id, amount);
        vm.stopPrank();
    }

    function _assertRow(uint256[] memory row, uint256 usdc, uint256 wbtc, uint256 eth) internal pure {
        assertEq(row.length, 3, "row width");
        assertEq(row[0], usdc, "USDC shock");
        assertEq(row[1], wbtc, "WBTC shock");
        assertEq(row[2], eth, "ETH shock");
    }

    /// @dev The engine's books: gUSD supply plus surplus equal every ilk's debt plus bad debt (RAD).
    function _assertLedger() internal view {
        assertEq(
            gusd.totalSupply() * RAY + engine.surplusRad(),
            engine.totalDebtRad() + engine.badDebtRad(),
            "ledger identity"
        );
    }
}
