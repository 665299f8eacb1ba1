// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISpotter
/// @notice Pushes each collateral type's spot price, `markPrice / liquidationRatio` (WAD, rounded down),
/// into the VaultEngine. `poke` is permissionless; its `Poke` event is what keepers react to.
interface ISpotter {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A zero address was given for the owner, the engine or an oracle.
    error ZeroAddress();

    /// @notice `account` has no code.
    error NotContract(address account);

    /// @notice No oracle is set for `ilk`.
    error NoOracle(bytes32 ilk);

    /// @notice `ilk`'s oracle has no valid mark price (never set, or stale); it reported `priceWad`.
    error NoValidPrice(bytes32 ilk, uint256 priceWad);

    /// @notice The engine reports a zero liquidation ratio for `ilk` (unknown or unconfigured ilk).
    error ZeroLiquidationRatio(bytes32 ilk);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `ilk`'s mark price oracle was set to `oracle` (governance).
    event OracleSet(bytes32 indexed ilk, address indexed oracle);

    /// @notice `ilk`'s spot price was written to the engine.
    /// @param ilk Collateral type id.
    /// @param markPrice The oracle's mark price, WAD.
    /// @param spot `markPrice * 1e18 / liquidationRatio`, rounded down, WAD.
    event Poke(bytes32 indexed ilk, uint256 markPrice, uint256 spot);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The VaultEngine the spot prices are written to (immutable).
    function engine() external view returns (address);

    /// @notice The mark price oracle (`IMedianOracle`) of `ilk`; zero when unset.
    /// @param ilk Collateral type id.
    function oracles(bytes32 ilk) external view returns (address);

    /// @notice Sets `ilk`'s mark price oracle. Only the owner (governance). Emits `OracleSet`.
    /// @param ilk Collateral type id.
    /// @param oracle A contract implementing `IMedianOracle.peek`.
    function setOracle(bytes32 ilk, address oracle) external;

    /// @notice Reads `ilk`'s mark price and writes `spot = markPrice * 1e18 / liquidationRatio` (rounded
    /// down) into the engine. Permissionless. Reverts `NoOracle`, `NoValidPrice` or
    /// `ZeroLiquidationRatio`, changing nothing. Emits `Poke`.
    /// @param ilk Collateral type id.
    /// @return spotWad The spot price written, WAD.
    function poke(bytes32 ilk) external returns (uint256 spotWad);

    /// @notice `poke` for each of `ilks`, in order; all or nothing (the first failure reverts the call).
    /// @param ilks Collateral type ids.
    function pokeMany(bytes32[] calldata ilks) external;
}
