// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISpotter
/// @notice Pushes each collateral type's spot price, `markPrice / liquidationRatio` (WAD, rounded down),
/// into the VaultEngine. `poke` is permissionless; its `Poke` event is what keepers react to.
/// With a rise guard set (`setBreaker`, the `CircuitBreaker`), each poke first asks the guard
/// (`IRiseGuard.checkRise`, which also observes the oracle update for the breaker); while the guard holds
/// rises, the mark price used is at most the one behind the last spot written (drops still pass, so
/// liquidations go on); a guard that reverts counts as holding (fail safe: a broken guard can stop rises,
/// never drops).
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

    /// @notice The rise guard was set to `breaker` (zero: none). Governance.
    event BreakerSet(address indexed breaker);

    /// @notice `ilk`'s oracle reported `markPrice`, above the `heldMarkPrice` behind the last spot, while
    /// the rise guard holds rises: the spot was written from `heldMarkPrice`.
    event RiseHeld(bytes32 indexed ilk, uint256 markPrice, uint256 heldMarkPrice);

    /// @notice `ilk`'s spot price was written to the engine.
    /// @param ilk Collateral type id.
    /// @param markPrice The mark price used, WAD: the oracle's, or the held one (see `RiseHeld`).
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

    /// @notice The rise guard asked before each spot is written (`IRiseGuard`); zero when none.
    function breaker() external view returns (address);

    /// @notice The mark price behind the spot last written for `ilk` (WAD); 0 before the first poke.
    /// @param ilk Collateral type id.
    function markPrices(bytes32 ilk) external view returns (uint256);

    /// @notice Sets the rise guard (the `CircuitBreaker`). Only the owner. Zero disables it. Emits
    /// `BreakerSet`.
    /// @param breaker A contract implementing `IRiseGuard`, or zero.
    function setBreaker(address breaker) external;

    /// @notice Sets `ilk`'s mark price oracle. Only the owner (governance). Emits `OracleSet`.
    /// @param ilk Collateral type id.
    /// @param oracle A contract implementing `IMedianOracle.peek`.
    function setOracle(bytes32 ilk, address oracle) external;

    /// @notice Reads `ilk`'s mark price and writes `spot = markPrice * 1e18 / liquidationRatio` (rounded
    /// down) into the engine; while the rise guard holds rises, `markPrice` is at most `markPrices(ilk)`
    /// (emits `RiseHeld`). Permissionless. Reverts `NoOracle`, `NoValidPrice` or `ZeroLiquidationRatio`,
    /// changing nothing. Emits `Poke`.
    /// @param ilk Collateral type id.
    /// @return spotWad The spot price written, WAD.
    function poke(bytes32 ilk) external returns (uint256 spotWad);

    /// @notice `poke` for each of `ilks`, in order; all or nothing (the first failure reverts the call).
    /// @param ilks Collateral type ids.
    function pokeMany(bytes32[] calldata ilks) external;
}
