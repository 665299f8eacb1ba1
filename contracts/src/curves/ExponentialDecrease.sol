// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPriceCurve} from "../interfaces/IPriceCurve.sol";
import {RayMath} from "./RayMath.sol";

/// @title ExponentialDecrease
/// @notice Price falls continuously by the factor `cut` every second: `top * cut ** dur`, computed
/// exactly as MakerDAO dss `abaci.sol` `ExponentialDecrease`.
/// @dev `price = rmulDown(top, rpowHalfUp(cut, dur))`. Equal to `StairstepExponentialDecrease(cut, 1)`,
/// one immutable read cheaper. `cut` is a RAY factor in `(0, RAY]`.
contract ExponentialDecrease is IPriceCurve {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `cut` is 0 or above RAY.
    error CutOutOfRange(uint256 cut);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Multiplicative factor applied every second, RAY, in `(0, RAY]`.
    uint256 public immutable cut;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param cut_ Factor per second, RAY, in `(0, RAY]`.
    constructor(uint256 cut_) {
        if (cut_ == 0 || cut_ > RayMath.RAY) revert CutOutOfRange(cut_);
        cut = cut_;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           PRICE                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPriceCurve
    function price(uint256 top, uint256 dur) external view returns (uint256) {
        return RayMath.rmulDown(top, RayMath.rpowHalfUp(cut, dur));
    }
}
