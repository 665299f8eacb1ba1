// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultEngineSpot
/// @notice The two VaultEngine functions the Spotter uses (docs/contracts.md, "Vault engine ↔ spotter").
/// The Spotter depends on nothing else of the engine.
interface IVaultEngineSpot {
    /// @notice The liquidation ratio of `ilk`, WAD (1.5e18 = 150%): collateral value / debt at which a
    /// vault becomes liquidatable.
    /// @param ilk Collateral type id.
    /// @return ratioWad The liquidation ratio, WAD.
    function liquidationRatio(bytes32 ilk) external view returns (uint256 ratioWad);

    /// @notice Sets `ilk`'s spot price, `markPrice / liquidationRatio` (WAD). Only the `SPOTTER` role;
    /// emits `SpotUpdated`.
    /// @param ilk Collateral type id.
    /// @param spotWad The new spot price, WAD.
    function setSpot(bytes32 ilk, uint256 spotWad) external;
}
