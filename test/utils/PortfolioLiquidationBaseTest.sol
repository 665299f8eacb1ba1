// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LiquidationBaseTest} from "./LiquidationBaseTest.sol";
import {PortfolioBaseTest} from "./PortfolioBaseTest.sol";

/// @notice Portfolio margin wired to the liquidation side as Deploy wires it: the liquidation engine
/// names the portfolio engine and holds its `LIQUIDATOR` role; the houses are the isolated ones.
abstract contract PortfolioLiquidationBaseTest is LiquidationBaseTest, PortfolioBaseTest {
    function setUp() public virtual override(LiquidationBaseTest, PortfolioBaseTest) {
        super.setUp();
        vm.startPrank(gov);
        dog.setPortfolioEngine(address(portfolio));
        portfolio.grantRoles(address(dog), portfolio.LIQUIDATOR());
        vm.stopPrank();
    }

    /// @dev Alice's portfolio of 1 WBTC and 30 ETH, borrowed to the limit, then ETH falls 20%: unsafe.
    function _unsafePortfolio() internal returns (uint256 debt) {
        _depositPortfolio(alice, WBTC_A, 1e8);
        _depositPortfolio(alice, ETH_A, 30e18);
        (debt,) = portfolio.portfolioRequirement(portfolio.holdingsOf(alice));
        vm.prank(alice);
        portfolio.borrow(debt);
        _crash(ETH_A, 1600e18);
        assertFalse(portfolio.isSafe(alice), "setup: unsafe");
    }

    /// @dev Gives `who` stablecoin and approves every house.
    function _bidderFunds(address who, uint256 amount) internal {
        _fundStable(who, amount, address(house[ETH_A]));
        vm.startPrank(who);
        gusd.approve(address(house[WBTC_A]), type(uint256).max);
        gusd.approve(address(house[USDC_A]), type(uint256).max);
        vm.stopPrank();
    }

    function _assertCustodyExact() internal view {
        bytes32[] memory ids = _assets();
        for (uint256 a; a < ids.length; ++a) {
            assertEq(_token(ids[a]).balanceOf(address(portfolio)), portfolio.totalHeld(ids[a]), "custody");
        }
    }
}
