// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAuctionTakeCallee
/// @notice Flash-take callback. When `CollateralAuction.take` is called with non-empty `data`, the
/// auction sends the bought collateral to `receiver`, then calls `receiver.onAuctionTake(...)`, and
/// only then pulls `owe` stablecoin from the taker (`msg.sender` of `take`, passed here as
/// `sender`). A receiver can therefore sell the collateral inside the callback and pay with the
/// proceeds: a take with zero capital.
interface IAuctionTakeCallee {
    /// @notice Called by the auction house during a take, after the collateral was sent.
    /// @param sender The account that called `take`; the auction pulls `owe` from it after this returns.
    /// @param owe Stablecoin (WAD) the auction will pull from `sender` when this call returns.
    /// @param collateralAmount Collateral (token native units) sent to the receiver for this take.
    /// @param data The opaque `data` the taker passed to `take`.
    function onAuctionTake(address sender, uint256 owe, uint256 collateralAmount, bytes calldata data) external;
}
