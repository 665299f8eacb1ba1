// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRescueHook
/// @notice A vault owner's rescue hook ("saviour"): the LiquidationEngine calls it first when an
/// unsafe vault with a registered, allow-listed hook is liquidated. The call has a fixed gas budget,
/// its return data is ignored, and its effects are rolled back unless the vault's health did not
/// fall; the liquidation proceeds whenever the vault is still unsafe afterwards.
interface IRescueHook {
    /// @notice Tries to make `owner`'s vault of `ilk` safe (add collateral, repay debt). Called only by
    /// the LiquidationEngine, only while the vault is unsafe; implementations must check the caller.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    function rescue(bytes32 ilk, address owner) external;
}
