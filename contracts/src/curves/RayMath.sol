// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title RayMath
/// @notice The RAY (27-decimal) fixed-point helpers the price curves use, with the exact rounding and
/// overflow behaviour of MakerDAO dss `abaci.sol`, so our curves match dss to the wei.
/// @dev Thin, named wrappers over solady's `FixedPointMathLib` (audited), pinning the base to RAY and
/// the rounding direction in the name:
/// - `rmulDown` is dss `rmul`: `x * y / RAY` rounded down, reverting when `x * y` overflows 256 bits
///   (solady `mulDiv` reverts on exactly that condition with `MulDivFailed()`; dss reverts with no
///   data). It is not a full-precision `mulDiv`: a product above 2**256 reverts even when the quotient
///   would fit, as in dss.
/// - `rpowHalfUp` is dss `rpow(x, n, RAY)`: exponentiation by squaring, processing the exponent's bits
///   from the least significant, rounding every squaring and every multiplication half up
///   (`(a * b + RAY / 2) / RAY`). `rpow(x, 0) = RAY` (also for `x = 0`), `rpow(0, n > 0) = 0`. Reverts
///   with `RPowOverflow()` when a squaring or a multiplication overflows, exactly where dss reverts;
///   for `x <= RAY` every intermediate stays below RAY squared, so it never reverts.
/// Solady's `rpow` is the same algorithm as dss's (dss PR #78); the curve fuzz tests check it against an
/// independent reference and the differential test against the TypeScript mirror.
library RayMath {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev One, in RAY (27-decimal) fixed point.
    uint256 internal constant RAY = 1e27;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev `x * y / RAY`, rounded down (dss `rmul`). Reverts with `FixedPointMathLib.MulDivFailed()` when
    /// `x * y` overflows 256 bits.
    function rmulDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return FixedPointMathLib.mulDiv(x, y, RAY);
    }

    /// @dev `x ** n` in RAY, by squaring, every step rounded half up (dss `rpow(x, n, RAY)`). Reverts
    /// with `FixedPointMathLib.RPowOverflow()` when an intermediate overflows (never for `x <= RAY`).
    function rpowHalfUp(uint256 x, uint256 n) internal pure returns (uint256) {
        return FixedPointMathLib.rpow(x, n, RAY);
    }
}
