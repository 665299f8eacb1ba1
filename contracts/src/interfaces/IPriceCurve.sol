// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPriceCurve
/// @notice A Dutch-auction price curve: how an auction's price decays from its start price over time.
/// Implementations compute exactly what MakerDAO's dss `abaci.sol` computes (the `Abacus` interface),
/// to the wei, so existing tooling and the TypeScript mirror in the contracts npm package agree with them.
/// @dev Parameters are immutable: a parameter change is a new curve. `price` is a pure function of its
/// arguments and the curve's parameters; it reads no clock, so an auction passes the elapsed time.
interface IPriceCurve {
    /// @notice The auction price `dur` seconds after the auction started at `top`.
    /// @dev Implementations must return at most `top` and be non-increasing in `dur` (auctions rely on a
    /// price that never rises; the curves in this repository are tested for both). The result has the
    /// unit of `top` (a WAD price in Gavel; dss passes RAY prices, the arithmetic is the same). Reverts
    /// when an intermediate product overflows 256 bits, as dss does (only for `top` above about 1.15e50).
    /// @param top The start price of the auction.
    /// @param dur Seconds elapsed since the auction started.
    /// @return The current price, rounded down.
    function price(uint256 top, uint256 dur) external view returns (uint256);
}
