// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IUniswapV2PairLike
/// @notice The part of a Uniswap V2 pair the `UniswapV2TwapFeed` reads (same signatures as
/// Uniswap v2-core's `IUniswapV2Pair`, so a real pair plugs in unchanged).
/// @dev `price0CumulativeLast` accumulates `reserve1 / reserve0` (UQ112x112, raw units) times the
/// seconds it held, `price1CumulativeLast` the inverse; both overflow by design (differences are taken
/// with wrapping arithmetic), and only advance on the pair's first action in a block.
interface IUniswapV2PairLike {
    /// @notice First token of the pair (lower address).
    function token0() external view returns (address);

    /// @notice Second token of the pair.
    function token1() external view returns (address);

    /// @notice Reserves and the (uint32) timestamp of the last accumulator update.
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);

    /// @notice Sum of `reserve1 / reserve0` (UQ112x112) × seconds, as of `blockTimestampLast`.
    function price0CumulativeLast() external view returns (uint256);

    /// @notice Sum of `reserve0 / reserve1` (UQ112x112) × seconds, as of `blockTimestampLast`.
    function price1CumulativeLast() external view returns (uint256);
}

/// @title IERC20DecimalsLike
/// @notice ERC-20 metadata: `decimals`.
interface IERC20DecimalsLike {
    /// @notice Decimals of the token's amounts.
    function decimals() external view returns (uint8);
}
