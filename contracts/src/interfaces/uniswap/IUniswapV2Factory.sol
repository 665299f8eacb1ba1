// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IUniswapV2Factory
/// @notice The subset of the Uniswap V2 factory (v2-core 1.x) that Gavel uses.
interface IUniswapV2Factory {
    /// @notice The pair of `tokenA` and `tokenB` (either order), or zero if none exists.
    /// @param tokenA One token.
    /// @param tokenB The other token.
    /// @return pair The pair address.
    function getPair(address tokenA, address tokenB) external view returns (address pair);

    /// @notice Number of pairs created so far.
    /// @return The count.
    function allPairsLength() external view returns (uint256);

    /// @notice Creates the pair of `tokenA` and `tokenB` with CREATE2 (salt: the sorted tokens).
    /// @param tokenA One token.
    /// @param tokenB The other token.
    /// @return pair The new pair address.
    function createPair(address tokenA, address tokenB) external returns (address pair);
}
