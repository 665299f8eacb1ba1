// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IStablecoin
/// @notice Gavel USD (gUSD): an 18-decimal ERC-20 with EIP-2612 permit, minted on borrow and burned on
/// repay/heal by the VaultEngine only.
interface IStablecoin {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `caller` is not the VaultEngine, the only account allowed to mint and burn.
    error NotEngine(address caller);

    /// @notice The engine address given to the constructor is zero.
    error ZeroEngine();

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The VaultEngine, the only account allowed to mint and burn (immutable).
    function engine() external view returns (address);

    /// @notice Mints `amount` (WAD) to `to`. Only the engine.
    /// @param to Receiver of the new tokens.
    /// @param amount Amount to mint, WAD.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` (WAD) from `from`. Only the engine, which burns only from its own caller
    /// (repay, close, heal), so no allowance is needed.
    /// @param from Account whose tokens are burned.
    /// @param amount Amount to burn, WAD.
    function burn(address from, uint256 amount) external;
}
