// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IVaultEngineSpot} from "../../../contracts/src/interfaces/IVaultEngineSpot.sol";

/// @notice The engine side of the Spotter: liquidation ratios set by the test, spots recorded, and only
/// the configured spotter may call `setSpot` (as the real engine's `SPOTTER` role).
contract MockVaultEngineSpot is IVaultEngineSpot {
    error NotSpotter(address caller);

    event SpotUpdated(bytes32 indexed ilk, uint256 spotWad);

    address public spotter;
    mapping(bytes32 => uint256) public liquidationRatio;
    mapping(bytes32 => uint256) public spot;

    function setSpotter(address spotter_) external {
        spotter = spotter_;
    }

    function setLiquidationRatio(bytes32 ilk, uint256 ratioWad) external {
        liquidationRatio[ilk] = ratioWad;
    }

    function setSpot(bytes32 ilk, uint256 spotWad) external {
        if (msg.sender != spotter) revert NotSpotter(msg.sender);
        spot[ilk] = spotWad;
        emit SpotUpdated(ilk, spotWad);
    }
}
