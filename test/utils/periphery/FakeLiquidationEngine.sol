// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {IAuctionTakeCallee} from "../../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {ILiquidationEngine} from "../../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IUniswapV2FlashTaker} from "../../../contracts/src/interfaces/IUniswapV2FlashTaker.sol";

/// @notice Test-only hostile liquidation engine for `UniswapV2FlashTaker.liquidateAndTake`: its
/// `ilkConfig` names an attacker-controlled "auction house" (`AttackerHouse`), so the taker locks
/// onto that house and accepts its callback; `liquidateAndTake` hands control to the house.
contract FakeLiquidationEngine {
    AttackerHouse public immutable house;

    constructor(AttackerHouse house_) {
        house = house_;
    }

    function ilkConfig(bytes32) external view returns (ILiquidationEngine.IlkConfig memory c) {
        c.house = address(house);
    }

    function liquidateAndTake(bytes32, address, uint256, address receiver, bytes calldata)
        external
        returns (uint256 auctionId, uint256 collateralOut, uint256 owe)
    {
        (collateralOut, owe) = house.attack(receiver);
        auctionId = 1;
    }
}

/// @notice Test-only attacker "auction house" (see `FakeLiquidationEngine`). While the taker's
/// `liquidateAndTake` is in progress it is the house the taker expects a callback from; `attack`
/// uses that to try, in order: (0) a callback whose data substitutes its own swap path; (1) a callback asking the taker to sell a victim's whole collateral
/// balance (the victim approved the taker for its tokens); (2) pulling the victim's gUSD balance
/// from the taker with any allowance the taker left it; (3) re-entering the taker's `take` and
/// `liquidateAndTake` against the real Gavel house and engine; (4) control: a callback with the
/// attacker's own collateral, sent to the taker first (accepted: the lock really names this house);
/// (5) a second callback. Each outcome is recorded for the test instead of reverting.
contract AttackerHouse {
    using SafeTransferLib for address;

    address public immutable collateral;
    address public immutable stablecoin;
    address public immutable victim;

    /// @dev Re-entry targets: a real engine and its house for `ilk`, with an unsafe vault of `owner`.
    address public realEngine;
    address public realHouse;
    bytes32 public ilk;
    address public owner;
    /// @dev Step 4: own collateral routed through the taker, and the owe the callback is told.
    uint256 public ownCollateral;
    uint256 public ownOwe;
    address[] internal _path;

    bool public attacked;
    bool public substituteSucceeded;
    bytes public substituteError;
    bool public drainVictimSucceeded;
    bytes public drainVictimError;
    bool public pullFromTakerSucceeded;
    bool public reenterTakeSucceeded;
    bytes public reenterTakeError;
    bool public reenterLiquidateSucceeded;
    bytes public reenterLiquidateError;
    bool public secondCallbackSucceeded;
    bytes public secondCallbackError;

    constructor(address collateral_, address stablecoin_, address victim_) {
        collateral = collateral_;
        stablecoin = stablecoin_;
        victim = victim_;
    }

    function configure(
        address realEngine_,
        address realHouse_,
        bytes32 ilk_,
        address owner_,
        uint256 ownCollateral_,
        uint256 ownOwe_,
        address[] calldata path_
    ) external {
        realEngine = realEngine_;
        realHouse = realHouse_;
        ilk = ilk_;
        owner = owner_;
        ownCollateral = ownCollateral_;
        ownOwe = ownOwe_;
        _path = path_;
    }

    function attack(address taker) external returns (uint256 sold, uint256 owe) {
        attacked = true;
        bytes memory data = abi.encode(uint256(0), _path);

        // (0) A callback with a path of the house's choosing (ending in a token the taker's clean-up
        // does not sweep) and the taker's own share of collateral: refused, the data must be the call's.
        address[] memory own = new address[](2);
        (own[0], own[1]) = (collateral, address(this));
        try IAuctionTakeCallee(taker).onAuctionTake(taker, 0, 0, abi.encode(uint256(0), own)) {
            substituteSucceeded = true;
        } catch (bytes memory reason) {
            substituteError = reason;
        }

        // (1) Sell the victim's collateral: the router can only pull from the taker, which holds none.
        uint256 victimCollateral = collateral.balanceOf(victim);
        try IAuctionTakeCallee(taker).onAuctionTake(taker, 0, victimCollateral, data) {
            drainVictimSucceeded = true;
        } catch (bytes memory reason) {
            drainVictimError = reason;
        }

        // (2) Pull the victim's gUSD balance from the taker.
        pullFromTakerSucceeded = stablecoin.trySafeTransferFrom(taker, address(this), stablecoin.balanceOf(victim));

        // (3) Re-enter the taker against the real house and engine.
        try IUniswapV2FlashTaker(taker)
            .take(realHouse, 1, type(uint256).max, type(uint256).max, 0, _path, address(this)) returns (
            uint256, uint256, uint256
        ) {
            reenterTakeSucceeded = true;
        } catch (bytes memory reason) {
            reenterTakeError = reason;
        }
        try IUniswapV2FlashTaker(taker)
            .liquidateAndTake(realEngine, ilk, owner, type(uint256).max, 0, _path, address(this)) returns (
            uint256, uint256, uint256, uint256
        ) {
            reenterLiquidateSucceeded = true;
        } catch (bytes memory reason) {
            reenterLiquidateError = reason;
        }

        // (4) Control: the attacker's own collateral goes through the taker's callback, which swaps
        // it and approves this house for `ownOwe`; the house collects it like an auction would.
        if (ownCollateral != 0) {
            collateral.safeTransfer(taker, ownCollateral);
            IAuctionTakeCallee(taker).onAuctionTake(taker, ownOwe, ownCollateral, data);
            stablecoin.safeTransferFrom(taker, address(this), ownOwe);
            (sold, owe) = (ownCollateral, ownOwe);
        }

        // (5) The callback again.
        try IAuctionTakeCallee(taker).onAuctionTake(taker, 0, 0, data) {
            secondCallbackSucceeded = true;
        } catch (bytes memory reason) {
            secondCallbackError = reason;
        }
    }
}
