// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPriceCurve} from "../interfaces/IPriceCurve.sol";
import {RayMath} from "./RayMath.sol";

/// @title StairstepExponentialDecrease
/// @notice Price falls by the factor `cut` once every `step` seconds: `top * cut ** floor(dur / step)`,
/// computed exactly as MakerDAO dss `abaci.sol` `StairstepExponentialDecrease`.
/// @dev `price = rmulDown(top, rpowHalfUp(cut, dur / step))`. `cut` is a RAY factor in `(0, RAY]`: a 1%
/// drop per step is `cut = 0.99e27`; `cut = RAY` keeps the price flat. With `cut <= RAY` the power never
/// overflows and never exceeds RAY, so the price is at most `top`.
contract StairstepExponentialDecrease is IPriceCurve {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `cut` is 0 or above RAY.
    error CutOutOfRange(uint256 cut);

    /// @notice `step` is 0.
    error StepOutOfRange(uint256 step);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Multiplicative factor applied once per step, RAY, in `(0, RAY]`.
    uint256 public immutable cut;

    /// @notice Seconds between two price drops, at least 1.
    uint256 public immutable step;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param cut_ Factor per step, RAY, in `(0, RAY]`.
    /// @param step_ Seconds per step, at least 1.
    constructor(uint256 cut_, uint256 step_) {
        if (cut_ == 0 || cut_ > RayMath.RAY) revert CutOutOfRange(cut_);
        if (step_ == 0) revert StepOutOfRange(step_);
        cut = cut_;
        step = step_;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           PRICE                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPriceCurve
    function price(uint256 top, uint256 dur) external view returns (uint256) {
        uint256 steps;
        unchecked {
            steps = dur / step; // step > 0
        }
        return RayMath.rmulDown(top, RayMath.rpowHalfUp(cut, steps));
    }
}
