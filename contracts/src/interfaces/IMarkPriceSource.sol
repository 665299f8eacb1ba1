// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IMarkPriceSource
/// @notice What an auction house needs from the oracle: the collateral's mark price.
interface IMarkPriceSource {
    /// @notice The current mark price (WAD, stablecoin per whole collateral token) and whether it
    /// is valid (enough fresh feeds).
    function peek() external view returns (uint256 price, bool valid);
}
