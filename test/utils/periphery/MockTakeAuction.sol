// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {IAuctionTakeCallee} from "../../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {ITakeableAuction} from "../../../contracts/src/interfaces/ITakeableAuction.sol";

/// @notice Test-only stand-in for `CollateralAuction` with exactly its `take` semantics and none of
/// its auction logic: each sale has a lot and a fixed price set by the test. `take` buys up to
/// `amount` at that price (reverts above `maxPrice`), sends the collateral to `receiver`, calls
/// `receiver.onAuctionTake(msg.sender, owe, collateralBought, data)` when `data` is non-empty, then
/// pulls `owe` from `msg.sender` with `transferFrom`. `owe` rounds up (against the bidder).
contract MockTakeAuction is ITakeableAuction {
    using SafeTransferLib for address;

    error PriceAboveMax(uint256 price, uint256 maxPrice);
    error SaleNotActive(uint256 id);

    event Take(uint256 indexed id, address indexed taker, address receiver, uint256 collateralBought, uint256 owe);

    struct Sale {
        uint256 lot;
        uint256 price;
    }

    address public immutable collateral;
    address public immutable stablecoin;
    /// @dev `10 ** (18 - collateral decimals)`.
    uint256 public immutable scale;

    mapping(uint256 => Sale) public sales;
    uint256 public count;

    constructor(address collateral_, address stablecoin_, uint8 collateralDecimals) {
        collateral = collateral_;
        stablecoin = stablecoin_;
        scale = 10 ** (18 - collateralDecimals);
    }

    /// @notice Opens a sale of `lot` collateral at `price`; the collateral must already be held.
    function open(uint256 lot, uint256 price) external returns (uint256 id) {
        id = ++count;
        sales[id] = Sale(lot, price);
    }

    /// @notice Sets the price of sale `id`.
    function setPrice(uint256 id, uint256 price) external {
        sales[id].price = price;
    }

    /// @notice What a take of `amount` would cost: (collateral bought, stablecoin owed).
    function quote(uint256 id, uint256 amount) public view returns (uint256 collateralBought, uint256 owe) {
        Sale storage s = sales[id];
        collateralBought = amount < s.lot ? amount : s.lot;
        owe = FixedPointMathLib.mulDivUp(collateralBought * scale, s.price, 1e18);
    }

    /// @inheritdoc ITakeableAuction
    function take(uint256 id, uint256 amount, uint256 maxPrice, address receiver, bytes calldata data)
        external
        returns (uint256 collateralBought, uint256 paid)
    {
        Sale storage s = sales[id];
        if (s.lot == 0) revert SaleNotActive(id);
        if (s.price > maxPrice) revert PriceAboveMax(s.price, maxPrice);
        (collateralBought, paid) = quote(id, amount);
        s.lot -= collateralBought;

        collateral.safeTransfer(receiver, collateralBought);
        if (data.length != 0) {
            IAuctionTakeCallee(receiver).onAuctionTake(msg.sender, paid, collateralBought, data);
        }
        stablecoin.safeTransferFrom(msg.sender, address(this), paid);
        emit Take(id, msg.sender, receiver, collateralBought, paid);
    }
}
