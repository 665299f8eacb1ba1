// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BaseTest} from "./BaseTest.sol";

/// @notice The base fixture plus the insurance fund's one shared action: an LP providing gUSD.
abstract contract FundBaseTest is BaseTest {
    /// @dev Borrows `amount` gUSD for `user` against ETH and deposits it into the fund.
    function _provide(address user, uint256 amount) internal returns (uint256 shares) {
        _open(user, ETH_A, amount / 500 + 1e18, amount);
        vm.startPrank(user);
        gusd.approve(address(fund), amount);
        shares = fund.deposit(amount, user);
        vm.stopPrank();
    }
}
