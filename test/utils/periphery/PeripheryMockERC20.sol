// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "solady/tokens/ERC20.sol";

/// @notice Mintable ERC-20 with configurable decimals, for periphery tests.
contract PeripheryMockERC20 is ERC20 {
    string private _name;
    string private _symbol;
    uint8 private immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        _name = name_;
        _symbol = symbol_;
        _decimals = decimals_;
    }

    /// @notice Token name.
    function name() public view override returns (string memory) {
        return _name;
    }

    /// @notice Token symbol.
    function symbol() public view override returns (string memory) {
        return _symbol;
    }

    /// @notice Token decimals.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice Mints `amount` to `to` (anyone may mint: test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
