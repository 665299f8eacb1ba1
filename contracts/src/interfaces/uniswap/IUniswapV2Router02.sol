// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IUniswapV2Router02
/// @notice The subset of the Uniswap V2 router (`UniswapV2Router02`, v2-periphery 1.x) that Gavel
/// uses: swaps and quotes along a token path, and liquidity provision (tests, local seeding).
interface IUniswapV2Router02 {
    /// @notice The factory whose pairs the router trades through.
    /// @return The Uniswap V2 factory address.
    function factory() external view returns (address);

    /// @notice The wrapped native token the router's ETH entry points use.
    /// @return The WETH address.
    function WETH() external view returns (address); // solhint-disable-line func-name-mixedcase

    /// @notice Output amounts of a swap of `amountIn` along `path`, at current reserves (0.3% fee).
    /// @param amountIn Exact input amount of `path[0]`.
    /// @param path Token path; every consecutive pair must exist.
    /// @return amounts `amounts[0] == amountIn`, `amounts[i]` the output of hop `i`.
    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);

    /// @notice Swaps exactly `amountIn` of `path[0]` (pulled from the caller) for as much of
    /// `path[path.length - 1]` as possible, sent to `to`; reverts if that is below `amountOutMin`.
    /// @param amountIn Exact input amount (the router pulls it with `transferFrom`).
    /// @param amountOutMin Minimum output, else the router reverts.
    /// @param path Token path.
    /// @param to Receiver of the output.
    /// @param deadline Unix time after which the call reverts.
    /// @return amounts The amounts of each hop, as `getAmountsOut`.
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);

    /// @notice Adds liquidity to the `tokenA`/`tokenB` pair, creating it if needed.
    /// @param tokenA One token of the pair.
    /// @param tokenB The other token.
    /// @param amountADesired Amount of `tokenA` to add if the ratio allows.
    /// @param amountBDesired Amount of `tokenB` to add if the ratio allows.
    /// @param amountAMin Minimum of `tokenA` actually added.
    /// @param amountBMin Minimum of `tokenB` actually added.
    /// @param to Receiver of the liquidity tokens.
    /// @param deadline Unix time after which the call reverts.
    /// @return amountA Amount of `tokenA` added.
    /// @return amountB Amount of `tokenB` added.
    /// @return liquidity Liquidity tokens minted.
    function addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);
}
