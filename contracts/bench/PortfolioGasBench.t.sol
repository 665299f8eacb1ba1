// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console} from "forge-std/Test.sol";

import {PortfolioLiquidationBaseTest} from "../../test/utils/PortfolioLiquidationBaseTest.sol";

/// @notice Receipt gas of the portfolio paths (issue #18), each its own transaction with cold storage
/// (`forge test --isolate`, as `npm run bench` runs it): a portfolio of USDC, WBTC and ETH under the
/// typical five-scenario table; `borrow` and `withdraw` run the full check (3 assets × 5 scenarios);
/// `liquidatePortfolio` starts three auctions. Written to bench-results/gas-portfolio.json. The check
/// alone at the limits (8 assets × 8 scenarios) is `test_Check_Gas` in test/unit/PortfolioRisk.t.sol.
contract PortfolioGasBench is PortfolioLiquidationBaseTest {
    string internal json;

    function _record(string memory key) internal {
        uint256 used = vm.lastCallGas().gasTotalUsed;
        // Without --isolate the figure has no intrinsic cost and is not a receipt figure.
        require(used > 21_000, "run with --isolate (npm run bench)");
        json = vm.serializeUint("portfolioGas", key, used);
        console.log(string.concat(key, ": ", vm.toString(used)));
    }

    function test_GasBenchPortfolio() public {
        console.log("portfolio receipt gas (21,000 base included), cold storage:");
        _depositPortfolio(alice, USDC_A, 20_000e6);
        _depositPortfolio(alice, WBTC_A, 1e8);
        _depositPortfolio(alice, ETH_A, 29e18);
        _record("portfolioDeposit");
        (uint256 room,) = portfolio.portfolioRequirement(portfolio.holdingsOf(alice));
        vm.prank(alice);
        portfolio.borrow(room - 1000e18);
        _record("portfolioBorrow");
        vm.prank(alice);
        portfolio.withdraw(ETH_A, 0.1e18, alice);
        _record("portfolioWithdraw");
        _crash(ETH_A, 1600e18);
        vm.roll(block.number + 1);
        vm.prank(keeper);
        uint256[] memory ids = dog.liquidatePortfolio(alice, keeper);
        _record("liquidatePortfolio3Assets");
        assertEq(ids.length, 3);
        assertEq(portfolio.portfolioDebt(alice), 0);
        vm.writeJson(json, "bench-results/gas-portfolio.json");
    }
}
