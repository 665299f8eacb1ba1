// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {IAuctionTakeCallee} from "../../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {ICircuitBreaker} from "../../../contracts/src/interfaces/ICircuitBreaker.sol";

/// @notice A take receiver that, inside `onAuctionTake`, makes every call its `data` lists (any
/// target, any payload, nested takes included) and records each outcome, plus what the circuit
/// breaker sees as uncovered bad debt at the moment the callback starts. It pays for the takes it
/// makes itself (it holds stablecoin and approves the houses).
contract CallbackProbe is IAuctionTakeCallee {
    /// @notice One call to make from inside the callback.
    struct Call {
        address target;
        bytes data;
    }

    /// @notice One recorded call outcome.
    struct Outcome {
        address target;
        bytes4 selector;
        bool ok;
        bytes ret;
    }

    ICircuitBreaker public breaker;
    Outcome[] internal _outcomes;
    /// @notice `breaker.uncoveredBadDebt()` read at the start of each callback, in callback order.
    uint256[] public uncoveredSeen;
    /// @notice Callbacks entered so far.
    uint256 public callbacks;

    function setBreaker(ICircuitBreaker breaker_) external {
        breaker = breaker_;
    }

    function approve(address token, address spender) external {
        SafeTransferLib.safeApprove(token, spender, type(uint256).max);
    }

    function onAuctionTake(address, uint256, uint256, bytes calldata data) external {
        callbacks++;
        if (address(breaker) != address(0)) uncoveredSeen.push(breaker.uncoveredBadDebt());
        Call[] memory calls = abi.decode(data, (Call[]));
        for (uint256 i; i < calls.length; ++i) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].data);
            _outcomes.push(Outcome(calls[i].target, bytes4(calls[i].data), ok, ret));
        }
    }

    /// @notice Recorded outcomes, in the order the calls finished (inner calls of a nested take first).
    function outcomes() external view returns (Outcome[] memory) {
        return _outcomes;
    }

    function outcome(uint256 i) external view returns (Outcome memory) {
        return _outcomes[i];
    }

    function outcomeCount() external view returns (uint256) {
        return _outcomes.length;
    }

    function uncoveredCount() external view returns (uint256) {
        return uncoveredSeen.length;
    }

    function reset() external {
        delete _outcomes;
        delete uncoveredSeen;
        callbacks = 0;
    }
}
