// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PortfolioEngine} from "../../contracts/src/PortfolioEngine.sol";
import {BaseTest} from "./BaseTest.sol";
import {PortfolioTables} from "./PortfolioTables.sol";

/// @notice The ledger of BaseTest plus portfolio margin: the `PORTFOLIO` debt ilk (externally margined by a
/// PortfolioEngine) and a table over USDC, WBTC and ETH: the three single-asset scenarios, a crypto crash
/// with correlation 1 and a milder everything-down row.
abstract contract PortfolioBaseTest is BaseTest, PortfolioTables {
    bytes32 internal constant PORTFOLIO = "PORTFOLIO";
    uint256 internal constant PORTFOLIO_DUST = 100e18;

    PortfolioEngine internal portfolio;

    function setUp() public virtual override {
        super.setUp();
        portfolio = new PortfolioEngine(gov, address(engine), PORTFOLIO);
        vm.label(address(portfolio), "PortfolioEngine");
        vm.startPrank(gov);
        // The debt line's token is never moved (isolated operations on it revert); gUSD answers decimals().
        _addIlk(PORTFOLIO, address(gusd), 1e18, FEE_3_PCT, 100_000_000e18, PORTFOLIO_DUST);
        engine.setRiskEngine(PORTFOLIO, address(portfolio));
        portfolio.setScenarioTable(_assets(), _typicalTable());
        vm.stopPrank();
    }

    function _assets() internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](3);
        (ids[0], ids[1], ids[2]) = (USDC_A, WBTC_A, ETH_A);
    }

    /// @dev Mints `amount` of `id`'s token to `user`, approves the portfolio engine, deposits for `user`.
    function _depositPortfolio(address user, bytes32 id, uint256 amount) internal {
        _token(id).mint(user, amount);
        vm.startPrank(user);
        _token(id).approve(address(portfolio), type(uint256).max);
        portfolio.deposit(user, id, amount);
        vm.stopPrank();
    }

    /// @dev The isolated value at spot of `amount` of `id`: what an isolated vault may borrow against it.
    function _isolatedValue(bytes32 id, uint256 amount) internal view returns (uint256) {
        return amount * engine.ilks(id).scale * engine.ilks(id).spot / WAD;
    }
}
