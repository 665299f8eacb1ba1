// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IUniswapV2Pair
/// @notice The subset of a Uniswap V2 pair (v2-core 1.x) that Gavel uses.
interface IUniswapV2Pair {
    /// @notice The lower-addressed token of the pair.
    /// @return The token address.
    function token0() external view returns (address);

    /// @notice The higher-addressed token of the pair.
    /// @return The token address.
    function token1() external view returns (address);

    /// @notice Current reserves and the timestamp of the last update (mod 2**32).
    /// @return reserve0 Reserve of `token0`.
    /// @return reserve1 Reserve of `token1`.
    /// @return blockTimestampLast Time of the last reserve update.
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);

    /// @notice Brings the reserves in line with the balances.
    function sync() external;
}
