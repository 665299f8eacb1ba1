// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPriceCurve} from "../interfaces/IPriceCurve.sol";
import {RayMath} from "./RayMath.sol";

/// @title LinearDecrease
/// @notice Price falls linearly from `top` at the start to 0 after `tau` seconds:
/// `top * (tau - dur) / tau`, computed in RAY exactly as MakerDAO dss `abaci.sol` `LinearDecrease`.
/// @dev `price = rmulDown(top, (tau - dur) * RAY / tau)` for `dur < tau`, else 0. Two roundings down:
/// first the RAY factor, then the product; this is not `mulDiv(top, tau - dur, tau)` (that can be
/// larger by up to `top / RAY + 1` wei). `tau` is bounded so `(tau - dur) * RAY` never overflows.
contract LinearDecrease is IPriceCurve {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `tau` is 0 or above `MAX_TAU`.
    error TauOutOfRange(uint256 tau);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The largest `tau` (seconds) for which `tau * RAY` fits in 256 bits.
    uint256 public constant MAX_TAU = type(uint256).max / RayMath.RAY;

    /// @notice Seconds after the auction start at which the price reaches 0.
    uint256 public immutable tau;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param tau_ Seconds from `top` to 0; in `[1, MAX_TAU]`.
    constructor(uint256 tau_) {
        if (tau_ == 0 || tau_ > MAX_TAU) revert TauOutOfRange(tau_);
        tau = tau_;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           PRICE                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPriceCurve
    function price(uint256 top, uint256 dur) external view returns (uint256) {
        uint256 tau_ = tau;
        if (dur >= tau_) return 0;
        uint256 factorRay;
        unchecked {
            // dur < tau and tau <= MAX_TAU: neither the subtraction nor the product can overflow.
            factorRay = (tau_ - dur) * RayMath.RAY / tau_;
        }
        return RayMath.rmulDown(top, factorRay);
    }
}
