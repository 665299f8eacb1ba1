// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IFeed
/// @notice One price source behind a `MedianOracle`: an adapter that turns a Chainlink aggregator, a
/// Uniswap-V2-style TWAP or a pushed value into the one shape the oracle reads.
/// @dev Contract every adapter keeps:
/// - `priceWad` is WAD (18 decimals) of the quote asset (the stablecoin's unit) per ONE WHOLE
///   collateral token, whatever the source's own decimals or the tokens' decimals;
/// - `read` returns only a usable value: `0 < priceWad <= type(uint128).max` and
///   `updatedAt <= block.timestamp`; when the source has nothing usable (no value yet, a negative or
///   zero answer, an incomplete round, a value older than the adapter's own bound) it REVERTS with a
///   named error instead of returning a sentinel;
/// - `updatedAt` is the unix time the source observed the value (not the time of the call).
/// The `MedianOracle` does not trust this contract blindly: it reads each feed with a bounded
/// static call and skips a feed that reverts, returns malformed data, returns 0, a value above
/// `type(uint128).max`, a future `updatedAt` or one older than the oracle's own staleness bound.
interface IFeed {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The feed has no value yet (never pushed, never updated).
    error NoPrice();

    /// @notice The source's value is zero, or normalizes to zero at 18 decimals.
    error ZeroPrice();

    /// @notice The normalized value `priceWad` is above `type(uint128).max`.
    error PriceOverflow(uint256 priceWad);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The latest usable price of the source. Reverts with a named error when there is none.
    /// @return priceWad Quote per one whole collateral token, WAD, in `(0, type(uint128).max]`.
    /// @return updatedAt Unix time the source observed the value, `<= block.timestamp`.
    function read() external view returns (uint256 priceWad, uint256 updatedAt);
}
