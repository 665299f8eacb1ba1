// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockERC20} from "./MockERC20.sol";

/// @notice A token whose `transfer`/`transferFrom` return false without moving anything while `failing`
/// is set (off at deployment, so a test can deposit first and make withdrawals fail later).
contract ReturnsFalseToken is MockERC20 {
    bool public failing;

    constructor(uint8 decimals_) MockERC20("False Token", "FALSE", decimals_) {}

    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        if (failing) return false;
        return super.transfer(to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        if (failing) return false;
        return super.transferFrom(from, to, amount);
    }
}
