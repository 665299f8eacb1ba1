// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMarkPriceSource} from "../../../contracts/src/interfaces/IMarkPriceSource.sol";

/// @notice A mark price set by the test, for auction unit tests that do not exercise the oracle.
contract MockMarkPrice is IMarkPriceSource {
    uint256 public price;
    bool public valid = true;

    function set(uint256 price_, bool valid_) external {
        price = price_;
        valid = valid_;
    }

    function peek() external view returns (uint256, bool) {
        return (price, valid);
    }
}
