// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAuctionTakeCallee} from "./IAuctionTakeCallee.sol";

/// @title IUniswapV2FlashTaker
/// @notice Zero-capital auction bidding: `take` buys collateral from an auction house, sells it
/// inside the auction's `onAuctionTake` callback through a Uniswap V2 router, pays the auction
/// from the proceeds and sends the rest (the profit) to the bidder. The taker holds no funds and no
/// allowances between calls.
/// @dev Works with any auction house exposing `collateral()`, `stablecoin()` and
/// `take(uint256,uint256,uint256,address,bytes) returns (uint256,uint256)` with the Gavel
/// `CollateralAuction` semantics (collateral sent to the receiver, callback, then `owe` pulled from
/// `msg.sender` with `transferFrom`). The callback `data` this contract passes is
/// `abi.encode(uint256 minProfit, address[] path)`; it is internal to the taker, not an API.
interface IUniswapV2FlashTaker is IAuctionTakeCallee {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `onAuctionTake` was called by `caller`, which is not the auction this taker is
    /// currently taking from (or no take is in progress, or the callback already ran once).
    error UnexpectedCaller(address caller);

    /// @notice The auction reported `sender` as the taker, but this contract is the taker.
    error UnexpectedSender(address sender);

    /// @notice Selling the collateral yields `out` stablecoin, less than the `owe` the auction wants.
    error InsufficientSwapOutput(uint256 out, uint256 owe);

    /// @notice The stablecoin left after paying the auction, `profit`, is below `minProfit`.
    error ProfitBelowMinimum(uint256 profit, uint256 minProfit);

    /// @notice The swap path does not start at the auction's collateral (`tokenIn`) and end at its
    /// stablecoin (`tokenOut`), or has fewer than two tokens (then both are zero).
    error InvalidPath(address tokenIn, address tokenOut);

    /// @notice `take` or `liquidateAndTake` was entered again while one was in progress.
    error Reentrancy();

    /// @notice The callback's data is not the data this taker passed to the auction (a house that
    /// substitutes its own swap path or minimum profit).
    error UnexpectedCallbackData();

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A flash take completed.
    /// @param auction The auction house taken from.
    /// @param id The auction id.
    /// @param bidder The caller of `take`.
    /// @param collateralSold Collateral bought from the auction and sold on the DEX (native units).
    /// @param owe Stablecoin paid to the auction (WAD).
    /// @param profit Stablecoin sent to the profit receiver (WAD).
    event FlashTake(
        address indexed auction,
        uint256 indexed id,
        address indexed bidder,
        uint256 collateralSold,
        uint256 owe,
        uint256 profit
    );

    /// @notice A flash liquidate-and-take completed: the vault was liquidated and its auction bought
    /// in the same call (tier 1: nothing is left in auction when the whole tab was raised).
    /// @param engine The liquidation engine called.
    /// @param ilk The collateral type.
    /// @param owner The liquidated vault's owner.
    /// @param id The auction id (0 when the vault's rescue hook made it safe: nothing bought).
    /// @param bidder The caller.
    /// @param collateralSold Collateral bought and sold on the DEX (native units).
    /// @param owe Stablecoin paid to the auction (WAD).
    /// @param profit Stablecoin sent to the profit receiver (WAD): the liquidation incentive plus
    /// the swap's surplus.
    event FlashLiquidateAndTake(
        address indexed engine,
        bytes32 indexed ilk,
        address indexed owner,
        uint256 id,
        address bidder,
        uint256 collateralSold,
        uint256 owe,
        uint256 profit
    );

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The Uniswap V2 router every swap goes through (immutable).
    /// @return The router address.
    function router() external view returns (address);

    /// @notice Takes up to `amount` collateral from auction `id` of `auction` at no more than
    /// `maxPrice`, sells all of it along `path` on the router, pays the auction, and sends the
    /// remaining stablecoin (at least `minProfit`) and any collateral left over to `profitTo`.
    /// Needs no capital and no approval from the caller.
    /// @dev Reverts `InvalidPath` unless `path[0] == auction.collateral()` and
    /// `path[path.length - 1] == auction.stablecoin()`; `InsufficientSwapOutput` when the sale
    /// would not cover what the auction asks; `ProfitBelowMinimum` when it covers it by less than
    /// `minProfit`; the auction's own errors (price above `maxPrice`, inactive auction, ...) bubble.
    /// @param auction The auction house (a Gavel `CollateralAuction` or anything with its `take`).
    /// @param id The auction id.
    /// @param amount Maximum collateral to buy (native units), as `CollateralAuction.take`.
    /// @param maxPrice Maximum price (WAD stablecoin per whole collateral), as `CollateralAuction.take`.
    /// @param minProfit Minimum stablecoin (WAD) left for `profitTo` after paying the auction.
    /// @param path Uniswap V2 swap path from the collateral to the stablecoin (direct pair: two tokens).
    /// @param profitTo Receiver of the profit and leftover collateral; `address(0)` means the caller.
    /// @return collateralBought Collateral bought and sold (native units), as returned by the auction.
    /// @return paid Stablecoin paid to the auction (WAD), as returned by the auction.
    /// @return profit Stablecoin sent to `profitTo` (WAD).
    function take(
        address auction,
        uint256 id,
        uint256 amount,
        uint256 maxPrice,
        uint256 minProfit,
        address[] calldata path,
        address profitTo
    ) external returns (uint256 collateralBought, uint256 paid, uint256 profit);

    /// @notice Liquidates `owner`'s `ilk` vault through `engine.liquidateAndTake` and buys its
    /// auction at once with zero capital: the collateral is sold along `path` inside the take's
    /// callback, the auction is paid, and the stablecoin left (the liquidation incentive, minted to
    /// this contract, plus the swap's surplus; at least `minProfit`) and any collateral left go to
    /// `profitTo`. Meant for tier-1 debts, whose tier starts below the mark.
    /// @dev The auction house is `engine.ilkConfig(ilk).house`. Reverts as `take` does (`InvalidPath`
    /// against that house, `ProfitBelowMinimum`, the swap's `InsufficientSwapOutput` wrapped by the
    /// house in `TakeCallbackFailed`) and bubbles the engine's errors (`VaultIsSafe`, `NoRoom`, ...).
    /// A vault its rescue hook made safe returns id 0 with nothing bought (so `minProfit` > 0 reverts
    /// `ProfitBelowMinimum` and rolls the rescue back with it). Like `take`, it holds no funds: an
    /// `engine` that is not Gavel's can only move the caller's own tokens.
    /// @param engine The liquidation engine.
    /// @param ilk The collateral type.
    /// @param owner The unsafe vault's owner.
    /// @param maxPrice Maximum price (WAD stablecoin per whole collateral).
    /// @param minProfit Minimum stablecoin (WAD) for `profitTo`, incentive included.
    /// @param path Uniswap V2 swap path from the collateral to the stablecoin.
    /// @param profitTo Receiver of the profit and leftover collateral; `address(0)` means the caller.
    /// @return auctionId The auction started and bought (closed when the whole tab was raised).
    /// @return collateralBought Collateral bought and sold (native units).
    /// @return paid Stablecoin paid to the auction (WAD).
    /// @return profit Stablecoin sent to `profitTo` (WAD).
    function liquidateAndTake(
        address engine,
        bytes32 ilk,
        address owner,
        uint256 maxPrice,
        uint256 minProfit,
        address[] calldata path,
        address profitTo
    ) external returns (uint256 auctionId, uint256 collateralBought, uint256 paid, uint256 profit);
}
