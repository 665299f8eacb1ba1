// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRiseGuard} from "../../../contracts/src/interfaces/IRiseGuard.sol";

/// @notice A rise guard whose answer the test sets; counts the calls; can revert.
contract MockRiseGuard is IRiseGuard {
    error GuardBroken();

    bool public hold;
    bool public reverts;
    uint256 public calls;

    function set(bool hold_, bool reverts_) external {
        hold = hold_;
        reverts = reverts_;
    }

    function checkRise(bytes32) external returns (bool) {
        if (reverts) revert GuardBroken();
        ++calls;
        return hold;
    }
}
