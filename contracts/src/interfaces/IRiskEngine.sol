// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRiskEngine
/// @notice What the vault engine calls on an external risk engine (a `PortfolioEngine`, issue #18) when an
/// auction of collateral the risk engine custodies ends with some lot unsold.
interface IRiskEngine {
    /// @notice The vault engine sent `amount` of `ilk`'s collateral to this engine: the unsold lot of
    /// auction `auctionId` of `house`, which was kicked with this engine as its owner. The risk engine
    /// credits it back to the portfolio it came from. Called only by the vault engine; must not revert for
    /// an auction it registered, or the auction's last take would revert with it.
    /// @param ilk Collateral type.
    /// @param house The auction house that ended the auction.
    /// @param auctionId The house's auction id.
    /// @param amount Collateral, token native units.
    function onCollateralRestored(bytes32 ilk, address house, uint256 auctionId, uint256 amount) external;
}
