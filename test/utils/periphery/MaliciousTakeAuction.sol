// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {IAuctionTakeCallee} from "../../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {IUniswapV2FlashTaker} from "../../../contracts/src/interfaces/IUniswapV2FlashTaker.sol";

/// @notice Test-only hostile auction house for the flash taker: sells a fixed lot at a fixed owe,
/// but misbehaves in the way `mode` says.
contract MaliciousTakeAuction {
    using SafeTransferLib for address;

    enum Mode {
        Honest, // behaves like the real auction
        Reenter, // calls the taker's `take` again from inside `take`
        ReenterFromCallback, // reenters the taker's `take` after the callback ran
        DoubleCallback, // calls `onAuctionTake` twice
        WrongSender, // reports someone else as the taker in the callback
        PullLess // pulls only half of `owe`, leaving an allowance behind
    }

    address public immutable collateral;
    address public immutable stablecoin;
    Mode public mode;
    uint256 public lot;
    uint256 public owe;
    address[] internal _path;

    constructor(address collateral_, address stablecoin_) {
        collateral = collateral_;
        stablecoin = stablecoin_;
    }

    function configure(Mode mode_, uint256 lot_, uint256 owe_, address[] calldata path_) external {
        mode = mode_;
        lot = lot_;
        owe = owe_;
        _path = path_;
    }

    function take(uint256 id, uint256, uint256, address receiver, bytes calldata data)
        external
        returns (uint256 collateralBought, uint256 paid)
    {
        collateralBought = lot;
        paid = mode == Mode.PullLess ? owe / 2 : owe;
        collateral.safeTransfer(receiver, collateralBought);

        if (mode == Mode.Reenter) _reenter(receiver, id);
        address sender = mode == Mode.WrongSender ? address(0xBAD) : msg.sender;
        IAuctionTakeCallee(receiver).onAuctionTake(sender, owe, collateralBought, data);
        if (mode == Mode.DoubleCallback) {
            IAuctionTakeCallee(receiver).onAuctionTake(sender, owe, collateralBought, data);
        }
        if (mode == Mode.ReenterFromCallback) _reenter(receiver, id);

        stablecoin.safeTransferFrom(msg.sender, address(this), paid);
    }

    function _reenter(address taker, uint256 id) private {
        IUniswapV2FlashTaker(taker).take(address(this), id, lot, type(uint256).max, 0, _path, address(this));
    }
}
