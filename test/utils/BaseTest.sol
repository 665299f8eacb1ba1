// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {InsuranceFund} from "../../contracts/src/InsuranceFund.sol";
import {Stablecoin} from "../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../contracts/src/VaultEngine.sol";
import {MockERC20} from "./mocks/MockERC20.sol";
import {Test} from "forge-std/Test.sol";

// Tests cast freely between int256/uint256/uint128 on bounded values.
// forge-lint: disable-start(unsafe-typecast)
/// @notice Shared fixture: named actors, the ledger (engine, gUSD, insurance fund) with three ilks of 6,
/// 8 and 18 decimals, priced and parameterised, and helpers to fund actors and open vaults.
abstract contract BaseTest is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant RAY = 1e27;

    // Per-second fee factors (MakerDAO's jug table): 1%, 3%, 5% per year.
    uint256 internal constant FEE_1_PCT = 1_000_000_000_315_522_921_573_372_069;
    uint256 internal constant FEE_3_PCT = 1_000_000_000_937_303_470_807_876_289;
    uint256 internal constant FEE_5_PCT = 1_000_000_001_547_125_957_863_212_448;

    bytes32 internal constant USDC_A = "USDC-A"; // 6 decimals
    bytes32 internal constant WBTC_A = "WBTC-A"; // 8 decimals
    bytes32 internal constant ETH_A = "ETH-A"; // 18 decimals

    uint256 internal constant COOLDOWN = 7 days;
    uint256 internal constant WINDOW = 2 days;

    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal gov = makeAddr("gov");
    address internal keeper = makeAddr("keeper");
    /// @dev Stand-ins for the Spotter and LiquidationEngine contracts.
    address internal spotter = makeAddr("spotter");
    address internal liquidator = makeAddr("liquidator");
    address internal auction = makeAddr("auction");

    VaultEngine internal engine;
    Stablecoin internal gusd;
    InsuranceFund internal fund;
    MockERC20 internal usdc;
    MockERC20 internal wbtc;
    MockERC20 internal weth;

    bytes32[3] internal allIlks;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        usdc = new MockERC20("USD Coin", "USDC", 6);
        wbtc = new MockERC20("Wrapped BTC", "WBTC", 8);
        weth = new MockERC20("Wrapped Ether", "WETH", 18);
        vm.label(address(usdc), "USDC");
        vm.label(address(wbtc), "WBTC");
        vm.label(address(weth), "WETH");

        engine = new VaultEngine(gov);
        gusd = Stablecoin(engine.stablecoin());
        fund = new InsuranceFund(address(engine), gov, COOLDOWN, WINDOW);
        vm.label(address(engine), "VaultEngine");
        vm.label(address(gusd), "gUSD");
        vm.label(address(fund), "InsuranceFund");

        vm.startPrank(gov);
        engine.grantRoles(spotter, engine.SPOTTER());
        engine.grantRoles(liquidator, engine.LIQUIDATOR());
        engine.setInsuranceFund(address(fund));
        fund.grantRoles(liquidator, fund.HEALER());
        _addIlk(USDC_A, address(usdc), 1.1e18, FEE_1_PCT, 10_000_000e18, 100e18);
        _addIlk(WBTC_A, address(wbtc), 1.45e18, FEE_3_PCT, 50_000_000e18, 100e18);
        _addIlk(ETH_A, address(weth), 1.5e18, FEE_5_PCT, 100_000_000e18, 100e18);
        vm.stopPrank();
        allIlks = [USDC_A, WBTC_A, ETH_A];

        _setPrice(USDC_A, 1e18);
        _setPrice(WBTC_A, 60_000e18);
        _setPrice(ETH_A, 2000e18);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _addIlk(bytes32 id, address token, uint256 ratio, uint256 fee, uint256 ceiling, uint256 dust) internal {
        engine.addIlk(id, token);
        engine.setLiquidationRatio(id, ratio);
        engine.setStabilityFee(id, fee);
        engine.setDebtCeiling(id, ceiling);
        engine.setDust(id, dust);
    }

    /// @dev Writes spot = price / liquidation ratio (rounded down), as the Spotter does.
    function _setPrice(bytes32 id, uint256 priceWad) internal {
        uint256 spot = priceWad * WAD / engine.liquidationRatio(id);
        vm.prank(spotter);
        engine.setSpot(id, spot);
    }

    function _token(bytes32 id) internal view returns (MockERC20) {
        return MockERC20(engine.ilks(id).token);
    }

    /// @dev `whole` tokens in the ilk's native units.
    function _units(bytes32 id, uint256 whole) internal view returns (uint256) {
        return whole * 10 ** engine.ilks(id).decimals;
    }

    /// @dev Mints collateral to `user` and approves the engine.
    function _deal(bytes32 id, address user, uint256 amount) internal {
        MockERC20 token = _token(id);
        token.mint(user, amount);
        vm.prank(user);
        token.approve(address(engine), type(uint256).max);
    }

    /// @dev Funds `user` and opens (or grows) its vault in one adjust.
    function _open(address user, bytes32 id, uint256 collateral, uint256 debt) internal {
        _deal(id, user, collateral);
        vm.prank(user);
        engine.adjust(id, int256(collateral), int256(debt));
    }

    function _boundIlk(uint256 seed) internal view returns (bytes32) {
        return allIlks[seed % 3];
    }

    /// @dev stablecoin supply × RAY + surplus − (total debt + bad debt): zero when the books balance.
    function _bookImbalance() internal view returns (int256) {
        uint256 lhs = gusd.totalSupply() * RAY + engine.surplusRad();
        uint256 rhs = engine.totalDebtRad() + engine.badDebtRad();
        return int256(lhs) - int256(rhs);
    }

    function _assertBooksBalance() internal view {
        assertEq(gusd.totalSupply() * RAY + engine.surplusRad(), engine.totalDebtRad() + engine.badDebtRad(), "books");
    }
}
// forge-lint: disable-end(unsafe-typecast)
