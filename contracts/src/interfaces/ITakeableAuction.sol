// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ITakeableAuction
/// @notice The part of an auction house a flash taker needs: Gavel's `CollateralAuction.take` and
/// its two token views. Periphery depends on this rather than on the full auction interface, so a
/// taker works with any auction house that has these semantics.
interface ITakeableAuction {
    /// @notice The collateral token sold by this auction house.
    /// @return The ERC-20 collateral address.
    function collateral() external view returns (address);

    /// @notice The stablecoin this auction house is paid in.
    /// @return The ERC-20 stablecoin address.
    function stablecoin() external view returns (address);

    /// @notice Buys up to `amount` collateral of auction `id` at the current price, never above
    /// `maxPrice`; sends it to `receiver`, calls `receiver.onAuctionTake(msg.sender, owe,
    /// collateralBought, data)` when `data` is non-empty, then pulls `owe` stablecoin from
    /// `msg.sender` with `transferFrom`. Gavel's house wraps a callee revert in
    /// `TakeCallbackFailed(receiver, reason)` (see {ICollateralAuction}): a taker that wants its own
    /// error on the surface unwraps `reason`.
    /// @param id The auction id.
    /// @param amount Maximum collateral to buy (native units).
    /// @param maxPrice Maximum acceptable price (WAD stablecoin per whole collateral token).
    /// @param receiver Receiver of the collateral (and of the callback).
    /// @param data Callback data; empty for no callback.
    /// @return collateralBought Collateral sent to `receiver` (native units).
    /// @return paid Stablecoin pulled from `msg.sender` (WAD).
    function take(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes calldata data)
        external
        returns (uint256 collateralBought, uint256 paid);
}
