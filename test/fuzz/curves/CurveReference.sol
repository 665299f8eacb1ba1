// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

/// @notice Independent reference for the price curves: plain checked Solidity, no assembly, no shared
/// code with `RayMath` or solady, written from the dss definitions. Also the fuzz input shapers.
/// @dev `refRpow` is a different formulation of dss's exponentiation by squaring: it first builds the
/// table of repeated squares `x^(2^k)` (each squaring rounded half up), then multiplies together the
/// entries for the exponent's set bits, lowest first (each product rounded half up). The first factor is
/// taken as is; dss starts from `z = RAY` when the exponent is even, and `RAY * s / RAY` rounded half up
/// is `s`, so both agree wherever neither overflows (always, for `x <= RAY`).
abstract contract CurveReference is Test {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant HALF_RAY = RAY / 2;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         REFERENCE                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev `x ** n` in RAY, the dss way (see the contract notes). Checked arithmetic: only for
    /// `x <= RAY`, where nothing overflows.
    function refRpow(uint256 x, uint256 n) internal pure returns (uint256) {
        if (n == 0) return RAY;
        // squares[k] = x^(2^k), each from the previous one rounded half up.
        uint256[256] memory squares;
        uint256 bits;
        squares[0] = x;
        for (uint256 k = 1; k < 256 && (n >> k) != 0; ++k) {
            squares[k] = (squares[k - 1] * squares[k - 1] + HALF_RAY) / RAY;
            bits = k;
        }
        bool started;
        uint256 acc;
        for (uint256 k = 0; k <= bits; ++k) {
            if ((n >> k) & 1 == 0) continue;
            acc = started ? (acc * squares[k] + HALF_RAY) / RAY : squares[k];
            started = true;
        }
        return acc;
    }

    /// @dev Multiply `n` times in a row, rounding half up each time. Equals dss `rpow` for `n <= 3`
    /// only (from 4 on the order of roundings differs); a sanity bound beyond.
    function sequentialRpow(uint256 x, uint256 n) internal pure returns (uint256 z) {
        z = RAY;
        for (uint256 i; i < n; ++i) {
            z = (z * x + HALF_RAY) / RAY;
        }
    }

    /// @dev Whether dss `rmul(top, factor)` (and so our `rmulDown`) reverts: `top * factor` overflows.
    function rmulOverflows(uint256 top, uint256 factor) internal pure returns (bool) {
        return factor != 0 && top > type(uint256).max / factor;
    }

    /// @dev dss `LinearDecrease.price`, with checked arithmetic.
    function refLinear(uint256 top, uint256 dur, uint256 tau) internal pure returns (uint256) {
        if (dur >= tau) return 0;
        uint256 factor = (tau - dur) * RAY / tau;
        return top * factor / RAY;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       INPUT SHAPERS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev A value in `[lo, hi]` whose magnitude is spread log-uniformly (so small, medium and huge
    /// values all show up), from two fuzzed words.
    function boundLog(uint256 raw, uint256 shape, uint256 lo, uint256 hi) internal pure returns (uint256) {
        uint256 bitsCap = bound(shape, 0, 256);
        uint256 cap = bitsCap == 256 ? type(uint256).max : (uint256(1) << bitsCap);
        uint256 top = hi - lo < cap ? hi : lo + cap;
        return bound(raw, lo, top);
    }

    /// @dev A cut in `(0, RAY]`, mostly close to RAY (realistic decays), sometimes anywhere.
    function boundCut(uint256 raw, uint256 shape) internal pure returns (uint256) {
        if (shape % 8 == 0) return bound(raw, 1, RAY);
        // RAY minus a drop of up to 10^e, e in [0, 27).
        uint256 e = bound(shape >> 8, 0, 26);
        return RAY - bound(raw, 0, 10 ** e);
    }
}
