// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PortfolioEngine} from "../../contracts/src/PortfolioEngine.sol";
import {IPortfolioEngine} from "../../contracts/src/interfaces/IPortfolioEngine.sol";
import {BaseTest} from "../utils/BaseTest.sol";
import {PortfolioTables} from "../utils/PortfolioTables.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";
import {Ownable} from "solady/auth/Ownable.sol";

// Tests cast freely between int256/uint256 on bounded values.
// forge-lint: disable-start(unsafe-typecast)
/// @notice The portfolio scenario table (governance) and the portfolio rule (docs/portfolio.md): table
/// validation by name, the exact one-asset equivalence with VaultEngine's isolated rule, monotonicity,
/// and the check's gas at the limits (snapshots/PortfolioEngine.json).
contract PortfolioRiskTest is BaseTest, PortfolioTables {
    bytes32 internal constant PORTFOLIO = "PORTFOLIO";
    PortfolioEngine internal portfolio;

    function setUp() public override {
        super.setUp();
        portfolio = new PortfolioEngine(gov, address(engine), PORTFOLIO);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _three() internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](3);
        (ids[0], ids[1], ids[2]) = (USDC_A, WBTC_A, ETH_A);
    }

    function _setTable(bytes32[] memory ids, uint256[][] memory rows) internal {
        vm.prank(gov);
        portfolio.setScenarioTable(ids, rows);
    }

    function _expectTableRevert(bytes32[] memory ids, uint256[][] memory rows, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(gov);
        portfolio.setScenarioTable(ids, rows);
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_RevertWhen_ZeroAddress() public {
        vm.expectRevert(IPortfolioEngine.ZeroAddress.selector);
        new PortfolioEngine(address(0), address(engine), PORTFOLIO);
        vm.expectRevert(IPortfolioEngine.ZeroAddress.selector);
        new PortfolioEngine(gov, address(0), PORTFOLIO);
    }

    /*//////////////////////////////////////////////////////////////
                          SET SCENARIO TABLE
    //////////////////////////////////////////////////////////////*/

    function test_SetScenarioTable_StoresAndEmits() public {
        bytes32[] memory ids = _three();
        uint256[][] memory rows = _typicalTable();
        vm.expectEmit(address(portfolio));
        emit IPortfolioEngine.ScenarioTableSet(ids, rows);
        _setTable(ids, rows);
        assertEq(portfolio.assets(), ids);
        uint256[][] memory back = portfolio.scenarios();
        assertEq(back.length, rows.length);
        for (uint256 j; j < rows.length; ++j) {
            assertEq(back[j], rows[j]);
        }
    }

    function test_SetScenarioTable_ReplacesAShorterTable() public {
        _setTable(_three(), _typicalTable());
        bytes32[] memory one = new bytes32[](1);
        one[0] = ETH_A;
        uint256[][] memory rows = new uint256[][](1);
        rows[0] = new uint256[](1);
        rows[0][0] = WAD;
        _setTable(one, rows);
        assertEq(portfolio.assets(), one);
        assertEq(portfolio.scenarios().length, 1);
        assertEq(portfolio.scenarios()[0], rows[0]);
    }

    function test_SetScenarioTable_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        portfolio.setScenarioTable(_three(), _typicalTable());
    }

    function test_SetScenarioTable_RevertWhen_NoAssets() public {
        _expectTableRevert(
            new bytes32[](0), _typicalTable(), abi.encodeWithSelector(IPortfolioEngine.NoAssets.selector)
        );
    }

    function test_SetScenarioTable_RevertWhen_TooManyAssets() public {
        bytes32[] memory ids = new bytes32[](9);
        _expectTableRevert(ids, _typicalTable(), abi.encodeWithSelector(IPortfolioEngine.TooManyAssets.selector, 9, 8));
    }

    function test_SetScenarioTable_RevertWhen_NoScenarios() public {
        _expectTableRevert(_three(), new uint256[][](0), abi.encodeWithSelector(IPortfolioEngine.NoScenarios.selector));
    }

    function test_SetScenarioTable_RevertWhen_TooManyScenarios() public {
        uint256[][] memory rows = new uint256[][](9);
        _expectTableRevert(_three(), rows, abi.encodeWithSelector(IPortfolioEngine.TooManyScenarios.selector, 9, 8));
    }

    function test_SetScenarioTable_RevertWhen_ZeroIlk() public {
        bytes32[] memory ids = _three();
        ids[1] = bytes32(0);
        _expectTableRevert(ids, _typicalTable(), abi.encodeWithSelector(IPortfolioEngine.ZeroIlk.selector));
    }

    function test_SetScenarioTable_RevertWhen_DuplicateAsset() public {
        bytes32[] memory ids = _three();
        ids[2] = USDC_A;
        _expectTableRevert(
            ids, _typicalTable(), abi.encodeWithSelector(IPortfolioEngine.DuplicateAsset.selector, USDC_A)
        );
    }

    function test_SetScenarioTable_RevertWhen_ScenarioWidthMismatch() public {
        uint256[][] memory rows = _typicalTable();
        rows[3] = new uint256[](2);
        _expectTableRevert(
            _three(), rows, abi.encodeWithSelector(IPortfolioEngine.ScenarioWidthMismatch.selector, 3, 2, 3)
        );
    }

    function test_SetScenarioTable_RevertWhen_ShockOutOfRange(uint256 shock) public {
        shock = bound(shock, WAD + 1, type(uint256).max);
        uint256[][] memory rows = _typicalTable();
        rows[4][1] = shock;
        _expectTableRevert(
            _three(), rows, abi.encodeWithSelector(IPortfolioEngine.ShockOutOfRange.selector, 4, 1, shock)
        );
    }

    function test_SetScenarioTable_RevertWhen_MissingSingleAssetScenario() public {
        uint256[][] memory rows = _typicalTable();
        rows[1][1] = WAD - 1; // WBTC's single-asset row, one wei short; the joint row still has ETH at 1
        rows[3] = _row(0, 0.99e18, WAD);
        _expectTableRevert(
            _three(), rows, abi.encodeWithSelector(IPortfolioEngine.MissingSingleAssetScenario.selector, WBTC_A)
        );
    }

    function test_SetScenarioTable_AcceptsAJointRowAsTheFullShock() public {
        // No pure WBTC row: the joint crash applies WBTC's full shock and is at least as strict.
        uint256[][] memory rows = new uint256[][](2);
        rows[0] = _row(WAD, 0, 0);
        rows[1] = _row(0, WAD, WAD);
        _setTable(_three(), rows);
        assertEq(portfolio.scenarios().length, 2);
    }

    function test_SetScenarioTable_RevertWhen_UnknownIlk() public {
        bytes32[] memory ids = _three();
        ids[0] = "NOPE-A";
        _expectTableRevert(ids, _typicalTable(), abi.encodeWithSelector(IPortfolioEngine.UnknownIlk.selector, ids[0]));
    }

    /*//////////////////////////////////////////////////////////////
                               THE RULE
    //////////////////////////////////////////////////////////////*/

    /// @notice A one-asset portfolio is safe exactly when the same holdings in an isolated vault are,
    /// for any table, any price, any rate (docs/portfolio.md's proof, checked against the engine).
    function testFuzz_OneAsset_MatchesIsolatedRule(
        uint256 ilkSeed,
        uint256 collateralSeed,
        uint256 debt,
        uint256 feeDays,
        uint256 priceWad,
        uint256[9] memory shocks
    ) public {
        bytes32[] memory ids = _three();
        uint256 a = ilkSeed % 3;
        bytes32 id = ids[a];
        uint256[][] memory rows = new uint256[][](3);
        for (uint256 j; j < 3; ++j) {
            rows[j] =
                _row(bound(shocks[3 * j], 0, WAD), bound(shocks[3 * j + 1], 0, WAD), bound(shocks[3 * j + 2], 0, WAD));
            rows[j][j] = WAD; // row j is asset j's single-asset scenario
        }
        _setTable(ids, rows);

        // Open a vault well inside the rule, accrue fees, then move the price anywhere.
        uint256 collateral = bound(collateralSeed, _units(id, 1), _units(id, 1_000_000));
        uint256 valueAtSpot = collateral * engine.ilks(id).scale * engine.ilks(id).spot / WAD;
        debt = bound(debt, 100e18, 1_000_000e18);
        vm.assume(debt <= valueAtSpot);
        _open(alice, id, collateral, debt);
        skip(bound(feeDays, 0, 3650) * 1 days);
        engine.drip(id);
        // Half the runs within a few wei of the liquidation price (where rounding decides), half anywhere
        // from zero to twice it.
        uint256 liq = engine.liquidationPrice(id, alice);
        _setPrice(id, priceWad % 2 == 0 ? bound(priceWad, liq > 3 ? liq - 3 : 0, liq + 3) : bound(priceWad, 0, 2 * liq));

        uint256[] memory holdings = new uint256[](3);
        holdings[a] = collateral;
        uint256 owed = engine.debtOf(id, alice);
        assertEq(portfolio.isPortfolioSafe(holdings, owed), engine.isSafe(id, alice), "rule");
        (uint256 worst,) = portfolio.portfolioRequirement(holdings);
        assertEq(worst, collateral * engine.ilks(id).scale * engine.ilks(id).spot / WAD, "value");
    }

    /// @notice More of any asset never lowers any scenario's value (so a deposit never makes a portfolio
    /// unsafe), and a full joint crash values the portfolio at the sum of its isolated values.
    function testFuzz_Requirement_MonotoneAndJointCrashIsSumOfIsolated(uint256[3] memory amounts, uint256 extraSeed)
        public
    {
        bytes32[] memory ids = _three();
        uint256[][] memory rows = _typicalTable();
        rows[4] = _row(WAD, WAD, WAD);
        _setTable(ids, rows);
        uint256[] memory holdings = new uint256[](3);
        uint256 isolatedSum;
        for (uint256 a; a < 3; ++a) {
            holdings[a] = bound(amounts[a], 0, _units(ids[a], 1_000_000));
            isolatedSum += holdings[a] * engine.ilks(ids[a]).scale * engine.ilks(ids[a]).spot / WAD;
        }
        (uint256 worst,) = portfolio.portfolioRequirement(holdings);
        assertEq(worst, isolatedSum, "joint crash = sum of isolated");

        uint256 k = extraSeed % 3;
        holdings[k] += bound(extraSeed, 1, _units(ids[k], 1000));
        (uint256 after_,) = portfolio.portfolioRequirement(holdings);
        assertGe(after_, worst, "monotone");
    }

    function test_PortfolioRequirement_NamesTheWorstScenario() public {
        _setTable(_three(), _typicalTable());
        uint256[] memory holdings = new uint256[](3);
        holdings[1] = _units(WBTC_A, 1); // 60,000 at mark, 1.45 ratio
        holdings[2] = _units(ETH_A, 30); // 60,000 at mark, 1.5 ratio
        (uint256 worst, uint256 j) = portfolio.portfolioRequirement(holdings);
        assertEq(j, 3, "the crypto crash");
        uint256 btcSpot = engine.ilks(WBTC_A).spot;
        uint256 ethSpot = engine.ilks(ETH_A).spot;
        assertEq(worst, 1e18 * btcSpot / WAD + 30e18 * ethSpot / WAD);
        // Without the joint row the worst is ETH alone crashing, with BTC at its implied mark.
        uint256[][] memory rows = new uint256[][](3);
        (rows[0], rows[1], rows[2]) = (_row(WAD, 0, 0), _row(0, WAD, 0), _row(0, 0, WAD));
        _setTable(_three(), rows);
        (uint256 diversified, uint256 j2) = portfolio.portfolioRequirement(holdings);
        assertEq(j2, 2);
        assertEq(diversified, 1e18 * (btcSpot * 1.45e18 / WAD) / WAD + 30e18 * ethSpot / WAD);
        assertGt(diversified, worst);
    }

    function test_IsPortfolioSafe_ZeroDebtAlwaysSafe() public {
        _setTable(_three(), _typicalTable());
        assertTrue(portfolio.isPortfolioSafe(new uint256[](3), 0));
        assertFalse(portfolio.isPortfolioSafe(new uint256[](3), 1));
    }

    function test_PortfolioRequirement_RevertWhen_LengthMismatch() public {
        _setTable(_three(), _typicalTable());
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.LengthMismatch.selector, 3, 2));
        portfolio.portfolioRequirement(new uint256[](2));
    }

    function test_PortfolioRequirement_RevertWhen_NoTable() public {
        vm.expectRevert(IPortfolioEngine.NoAssets.selector);
        portfolio.portfolioRequirement(new uint256[](0));
    }

    function test_PortfolioRequirement_RevertWhen_CollateralOutOfRange() public {
        _setTable(_three(), _typicalTable());
        uint256[] memory holdings = new uint256[](3);
        holdings[0] = type(uint128).max / 1e12 + 1; // USDC: scale 1e12
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.CollateralOutOfRange.selector, 0, holdings[0]));
        portfolio.portfolioRequirement(holdings);
    }

    /*//////////////////////////////////////////////////////////////
                                  GAS
    //////////////////////////////////////////////////////////////*/

    /// @notice Gas of the stored check at the limits (8 assets held, 8 scenarios) and of a typical
    /// 3-asset, 5-scenario check, cold (execution only). Recorded in snapshots/PortfolioEngine.json.
    function test_Check_Gas() public {
        bytes32[] memory ids = new bytes32[](8);
        (ids[0], ids[1], ids[2]) = (USDC_A, WBTC_A, ETH_A);
        vm.startPrank(gov);
        for (uint256 a = 3; a < 8; ++a) {
            ids[a] = bytes32(uint256(keccak256(abi.encode("GAS", a))));
            _addIlk(ids[a], address(new MockERC20("T", "T", 18)), 1.5e18, FEE_1_PCT, 1e24, 100e18);
        }
        vm.stopPrank();
        for (uint256 a = 3; a < 8; ++a) {
            _setPrice(ids[a], 100e18);
        }
        uint256[][] memory rows = new uint256[][](8);
        uint256[] memory holdings = new uint256[](8);
        for (uint256 j; j < 8; ++j) {
            rows[j] = new uint256[](8);
            for (uint256 a; a < 8; ++a) {
                rows[j][a] = a == j ? WAD : 0.5e18;
            }
            holdings[j] = _units(ids[j], 10);
        }
        _setTable(ids, rows);

        vm.cool(address(portfolio));
        vm.cool(address(engine));
        portfolio.isPortfolioSafe(holdings, 1000e18);
        uint256 gasMax = vm.snapshotGasLastCall("PortfolioEngine", "isPortfolioSafe_8assets_8scenarios");

        _setTable(_three(), _typicalTable());
        uint256[] memory three = new uint256[](3);
        (three[0], three[1], three[2]) = (_units(USDC_A, 10_000), _units(WBTC_A, 1), _units(ETH_A, 10));
        vm.cool(address(portfolio));
        vm.cool(address(engine));
        portfolio.isPortfolioSafe(three, 1000e18);
        uint256 gasTypical = vm.snapshotGasLastCall("PortfolioEngine", "isPortfolioSafe_3assets_5scenarios");

        emit log_named_uint("isPortfolioSafe, 8 assets x 8 scenarios (cold)", gasMax);
        emit log_named_uint("isPortfolioSafe, 3 assets x 5 scenarios (cold)", gasTypical);
    }
}
// forge-lint: disable-end(unsafe-typecast)
