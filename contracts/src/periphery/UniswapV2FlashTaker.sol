// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {ILiquidationEngine} from "../interfaces/ILiquidationEngine.sol";
import {ITakeableAuction} from "../interfaces/ITakeableAuction.sol";
import {IUniswapV2FlashTaker} from "../interfaces/IUniswapV2FlashTaker.sol";
import {IUniswapV2Router02} from "../interfaces/uniswap/IUniswapV2Router02.sol";

/// @title UniswapV2FlashTaker
/// @notice Flash-take callee for Gavel auctions: buys collateral with zero capital, sells it through
/// a Uniswap V2 router inside the auction's callback, pays the auction and sends the profit to the
/// bidder. See `IUniswapV2FlashTaker`.
/// @dev Flow of `take`: (1) record the auction in a transient slot (also the reentrancy lock);
/// (2) `auction.take(id, amount, maxPrice, address(this), abi.encode(minProfit, path))` — this
/// contract is both the taker and the receiver; (3) in `onAuctionTake`, accept exactly one call
/// from that auction with `sender == address(this)`, swap exactly the collateral received for at
/// least `owe + minProfit` and approve the auction for `owe`; (4) after the auction pulled `owe`,
/// clear any allowance left, send all stablecoin (the profit) and any collateral to the receiver.
/// Nothing is held between calls. Fee-on-transfer tokens are not supported (the router's plain
/// `swapExactTokensForTokens` is used).
contract UniswapV2FlashTaker is IUniswapV2FlashTaker {
    using SafeTransferLib for address;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Transient slot: the auction currently taken from (low 160 bits), with
    /// `_CALLBACK_CONSUMED` set once its callback ran. Non-zero means a take is in progress.
    /// `uint256(keccak256("gavel.UniswapV2FlashTaker.activeAuction")) - 1`.
    uint256 private constant _ACTIVE_AUCTION_SLOT = 0x0c4db89d5bcc7045a78a697396a2e899ec7fad08b29f79c358e77943b895fbf1;

    /// @dev Transient slot: `keccak256` of the callback data this take passed to the auction; the
    /// callback must carry exactly it (a hostile house cannot substitute its own path).
    /// `uint256(keccak256("gavel.UniswapV2FlashTaker.callbackData")) - 1`.
    uint256 private constant _CALLBACK_DATA_SLOT = 0x24338f15720956dff58c762afc9a69c931974621d558478d93052f40fe949d35;

    /// @dev Flag in `_ACTIVE_AUCTION_SLOT`: the auction's one callback has been consumed.
    uint256 private constant _CALLBACK_CONSUMED = 1 << 160;

    /// @inheritdoc IUniswapV2FlashTaker
    address public immutable router;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param router_ The Uniswap V2 router (`UniswapV2Router02`) every swap goes through.
    constructor(address router_) {
        router = router_;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IUniswapV2FlashTaker
    function take(
        address auction,
        uint256 id,
        uint256 amount,
        uint256 maxPrice,
        uint256 minProfit,
        address[] calldata path,
        address profitTo
    ) external returns (uint256 collateralBought, uint256 paid, uint256 profit) {
        _enter(auction);
        _checkPath(auction, path);
        bytes memory data = abi.encode(minProfit, path);
        _expectData(data);
        (collateralBought, paid) = ITakeableAuction(auction).take(id, amount, maxPrice, address(this), data);
        profit = _payOut(auction, path, minProfit, profitTo);
        emit FlashTake(auction, id, msg.sender, collateralBought, paid, profit);
        _exit();
    }

    /// @inheritdoc IUniswapV2FlashTaker
    function liquidateAndTake(
        address engine,
        bytes32 ilk,
        address owner,
        uint256 maxPrice,
        uint256 minProfit,
        address[] calldata path,
        address profitTo
    ) external returns (uint256 auctionId, uint256 collateralBought, uint256 paid, uint256 profit) {
        address house = ILiquidationEngine(engine).ilkConfig(ilk).house;
        if (house == address(0)) revert ILiquidationEngine.IlkNotConfigured(ilk);
        _enter(house);
        _checkPath(house, path);
        // The swap only has to cover `owe`: the liquidation incentive, minted to this contract before
        // the take, is part of the profit checked against `minProfit` below.
        bytes memory data = abi.encode(uint256(0), path);
        _expectData(data);
        (auctionId, collateralBought, paid) =
            ILiquidationEngine(engine).liquidateAndTake(ilk, owner, maxPrice, address(this), data);
        profit = _payOut(house, path, minProfit, profitTo);
        emit FlashLiquidateAndTake(engine, ilk, owner, auctionId, msg.sender, collateralBought, paid, profit);
        _exit();
    }

    /// @notice Auction callback: sells the `collateralAmount` just received along the path given to
    /// `take` for at least `owe` plus the minimum profit, and approves the auction to pull `owe`.
    /// @dev Only the auction of the take in progress may call it, once, and only for a take made by
    /// this contract; reverts `UnexpectedCaller` / `UnexpectedSender` otherwise.
    /// @param sender The taker as reported by the auction; must be this contract.
    /// @param owe Stablecoin (WAD) the auction pulls from this contract after the callback.
    /// @param collateralAmount Collateral (native units) the auction sent to this contract.
    /// @param data `abi.encode(uint256 minProfit, address[] path)`, as encoded by `take`.
    function onAuctionTake(address sender, uint256 owe, uint256 collateralAmount, bytes calldata data) external {
        uint256 active;
        /// @solidity memory-safe-assembly
        assembly {
            active := tload(_ACTIVE_AUCTION_SLOT)
        }
        // Fails when no take is in progress (0), the caller is another contract, or the callback
        // already ran (consumed flag set).
        if (active != uint256(uint160(msg.sender))) revert UnexpectedCaller(msg.sender);
        if (sender != address(this)) revert UnexpectedSender(sender);
        uint256 expected;
        /// @solidity memory-safe-assembly
        assembly {
            expected := tload(_CALLBACK_DATA_SLOT)
        }
        if (uint256(keccak256(data)) != expected) revert UnexpectedCallbackData();
        /// @solidity memory-safe-assembly
        assembly {
            tstore(_ACTIVE_AUCTION_SLOT, or(active, _CALLBACK_CONSUMED))
        }

        (uint256 minProfit, address[] memory path) = abi.decode(data, (uint256, address[]));
        path[0].safeApproveWithRetry(router, collateralAmount);
        // The router enforces `out >= owe + minProfit`; on any failure, explain or bubble it.
        // A low-level call so a failed swap can be explained with a named error, not just bubbled.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory reason) = router.call(
            abi.encodeCall(
                IUniswapV2Router02.swapExactTokensForTokens,
                (
                    collateralAmount,
                    FixedPointMathLib.saturatingAdd(owe, minProfit),
                    path,
                    address(this),
                    block.timestamp
                )
            )
        );
        if (!ok) _revertWithSwapShortfall(collateralAmount, path, owe, minProfit, reason);
        path[path.length - 1].safeApproveWithRetry(msg.sender, owe);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      PRIVATE HELPERS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Locks against reentrancy and records the auction whose callback is expected.
    function _enter(address auction) private {
        /// @solidity memory-safe-assembly
        assembly {
            if tload(_ACTIVE_AUCTION_SLOT) {
                mstore(0x00, 0xab143c06) // `Reentrancy()`.
                revert(0x1c, 0x04)
            }
            tstore(_ACTIVE_AUCTION_SLOT, shr(96, shl(96, auction)))
        }
    }

    /// @dev The path's ends must be the auction's collateral and stablecoin.
    function _checkPath(address auction, address[] calldata path) private view {
        if (path.length < 2) revert InvalidPath(address(0), address(0));
        address collateral = path[0];
        address stablecoin = path[path.length - 1];
        if (
            collateral != ITakeableAuction(auction).collateral() || stablecoin != ITakeableAuction(auction).stablecoin()
        ) {
            revert InvalidPath(collateral, stablecoin);
        }
    }

    /// @dev After the auction pulled `owe`: drops any allowance left, checks the profit, and sends all
    /// stablecoin (the profit) and any collateral left to `profitTo` (the caller when zero). `path` was checked.
    function _payOut(address auction, address[] calldata path, uint256 minProfit, address profitTo)
        private
        returns (uint256 profit)
    {
        address collateral = path[0];
        address stablecoin = path[path.length - 1];
        // The auction pulled `owe`; an auction that pulled less must not keep a claim on this contract.
        if (_allowance(stablecoin, auction) != 0) stablecoin.safeApprove(auction, 0);
        profit = stablecoin.balanceOf(address(this));
        if (profit < minProfit) revert ProfitBelowMinimum(profit, minProfit);
        if (profitTo == address(0)) profitTo = msg.sender;
        if (profit != 0) stablecoin.safeTransfer(profitTo, profit);
        uint256 leftover = collateral.balanceOf(address(this));
        if (leftover != 0) collateral.safeTransfer(profitTo, leftover);
    }

    /// @dev Records the hash of the callback data the auction must hand back.
    function _expectData(bytes memory data) private {
        uint256 h = uint256(keccak256(data));
        /// @solidity memory-safe-assembly
        assembly {
            tstore(_CALLBACK_DATA_SLOT, h)
        }
    }

    /// @dev Releases the lock.
    function _exit() private {
        /// @solidity memory-safe-assembly
        assembly {
            tstore(_ACTIVE_AUCTION_SLOT, 0)
            tstore(_CALLBACK_DATA_SLOT, 0)
        }
    }

    /// @dev The swap reverted (the router's `amountOutMin` check or anything else). Re-quotes it to
    /// revert with a named error when the output was short; bubbles the router's reason otherwise.
    /// Quoting only on failure keeps the successful path free of a second reserves read.
    function _revertWithSwapShortfall(
        uint256 collateralAmount,
        address[] memory path,
        uint256 owe,
        uint256 minProfit,
        bytes memory reason
    ) private view {
        (bool ok, bytes memory ret) = router.staticcall(
            abi.encodeCall(IUniswapV2Router02.getAmountsOut, (collateralAmount, path))
        );
        if (ok) {
            uint256[] memory amounts = abi.decode(ret, (uint256[]));
            uint256 out = amounts[amounts.length - 1];
            if (out < owe) revert InsufficientSwapOutput(out, owe);
            if (out - owe < minProfit) revert ProfitBelowMinimum(out - owe, minProfit);
        }
        /// @solidity memory-safe-assembly
        assembly {
            revert(add(reason, 0x20), mload(reason))
        }
    }

    /// @dev `token.allowance(address(this), spender)`; 0 if the call fails.
    function _allowance(address token, address spender) private view returns (uint256 amount) {
        /// @solidity memory-safe-assembly
        assembly {
            let m := mload(0x40)
            mstore(0x00, 0xdd62ed3e) // `allowance(address,address)`.
            mstore(0x20, address())
            mstore(0x40, spender)
            amount := mul(
                mload(0x00),
                and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x1c, 0x44, 0x00, 0x20))
            )
            mstore(0x40, m)
        }
    }
}
