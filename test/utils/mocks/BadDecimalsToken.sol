// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Reports an arbitrary `decimals()` (e.g. 24) to test the > 18 rejection.
contract BadDecimalsToken {
    uint256 public immutable decimals;

    constructor(uint256 decimals_) {
        decimals = decimals_;
    }
}
