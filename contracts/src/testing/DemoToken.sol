// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "solady/tokens/ERC20.sol";

/// @title DemoToken
/// @notice FOR LOCAL CHAINS ONLY. A collateral token for the local demo and tests: a solady ERC-20
/// (with EIP-2612 permit) whose `mint` is open to ANYONE, so it has no value and must never back a
/// real deployment. `contracts/script/Deploy.s.sol` deploys it only for a config entry
/// `"mock": {"symbol", "decimals"}` and refuses to do so on any chain but the local one (chain id 31337).
contract DemoToken is ERC20 {
    /// @notice Decimals above 18 are not supported by the protocol.
    error UnsupportedDecimals(uint8 decimals);

    /// @dev Token name, "Demo <symbol>".
    string internal _name;

    /// @dev Token symbol.
    string internal _symbol;

    /// @dev Token decimals.
    uint8 internal immutable _decimals;

    /// @param symbol_ Token symbol (the name is "Demo " + symbol).
    /// @param decimals_ Token decimals, at most 18.
    constructor(string memory symbol_, uint8 decimals_) {
        if (decimals_ > 18) revert UnsupportedDecimals(decimals_);
        _name = string.concat("Demo ", symbol_);
        _symbol = symbol_;
        _decimals = decimals_;
    }

    /// @notice Token name, "Demo <symbol>".
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

    /// @notice Mints `amount` (native units) to `to`. Open to anyone: LOCAL CHAINS ONLY. Emits `Transfer`
    /// from the zero address.
    /// @param to Recipient.
    /// @param amount Amount in the token's native units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
