// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {MedianOracle} from "../../contracts/src/oracles/MedianOracle.sol";
import {BreakerBaseTest} from "../utils/BreakerBaseTest.sol";
import {CallbackProbe} from "../utils/callbacks/CallbackProbe.sol";
import {CallbackHandler} from "./handlers/CallbackHandler.sol";

/// @notice Callback-time invariants (docs/threat-model.md, "Callbacks and composability"): random
/// kicks, time, redos and takes whose callee calls every permissionless function of the system
/// mid-take, with nested takes across houses, against an armed circuit breaker (pause at level 3
/// above 1,000 of new uncovered bad debt per hour).
///
/// Properties:
///  1. CallbackSeesBooksBalanced — the uncovered bad debt the breaker computes inside any take
///     callback (nested ones included) equals the books with every in-flight owe paid.
///  2. NoFalsePause — the first checkBadDebt of a take step pauses exactly when that true
///     uncovered bad debt grew beyond the bound: an honest take, or nested takes adding up, never
///     pause; a real shortfall still does.
///  3. HouseLockedMidTake — mid-take the taken house reports locked(), and its settle, redo,
///     takeover and take revert Reentrancy.
///  4. DebtMidTakeCountsInFlight — the taken house's debtInAuctions() mid-take is its debt before
///     the take minus only the tab left unraised (the unpaid owe still counts).
///  5. NothingInFlightAfterTake — after every take, no house has an owe in flight or is locked.
///  6. BooksBalanceExactly — gUSD supply × RAY + surplus == total debt + bad debt.
///  7. NoUnexpectedReverts — a take the quote allows, and the nested take and checkBadDebt inside
///     it, never revert.
/// forge-config: default.invariant.runs = 48
/// forge-config: default.invariant.depth = 48
contract CallbackInvariants is BreakerBaseTest {
    CallbackHandler internal handler;
    CallbackProbe internal probe;

    function setUp() public override {
        super.setUp();
        probe = new CallbackProbe();
        probe.setBreaker(breaker);
        _open(address(probe), ETH_A, 5000e18, 2_000_000e18);
        CollateralAuction[3] memory hs;
        MedianOracle[3] memory os;
        for (uint256 k; k < 3; ++k) {
            hs[k] = house[allIlks[k]];
            os[k] = breakerOracle[allIlks[k]];
            probe.approve(address(gusd), address(hs[k]));
        }
        probe.approve(address(gusd), address(fund));
        handler = new CallbackHandler(
            engine, dog, breaker, fund, probe, hs, os, allIlks, [uint256(1e18), 60_000e18, 2000e18], gov, spotter
        );
        vm.startPrank(gov);
        // A tight bound (100 per hour) so that real shortfalls (tabs left unraised, keeper
        // incentives) do pause, and the "exactly when real" direction of NoFalsePause is exercised.
        breaker.setBadDebtLimit(100e18, BAD_DEBT_WINDOW, PAUSE_LEVEL);
        engine.grantRoles(address(handler), engine.SPOTTER());
        // The handler lifts pauses as governance would (through the breaker's owner).
        breaker.transferOwnership(address(handler));
        vm.stopPrank();
        targetContract(address(handler));
        // Seed auctions in every house.
        for (uint256 k; k < 3; ++k) {
            handler.kick(k, 5000e18 + k * 3000e18);
        }
    }

    function invariant_CallbackSeesBooksBalanced() public {
        emit log_named_uint("probe takes", handler.probeTakes());
        emit log_named_uint("nested takes", handler.nestedTakes());
        emit log_named_uint("real pauses", handler.realPauses());
        assertFalse(handler.ghostCallbackSawImbalance());
    }

    function invariant_NoFalsePause() public view {
        assertFalse(handler.ghostFalsePause());
    }

    function invariant_HouseLockedMidTake() public view {
        assertFalse(handler.ghostUnlockedMidTake());
    }

    function invariant_DebtMidTakeCountsInFlight() public view {
        assertFalse(handler.ghostDebtMidTakeWrong());
    }

    function invariant_NothingInFlightAfterTake() public view {
        assertFalse(handler.ghostInFlightAfterTake());
    }

    function invariant_BooksBalanceExactly() public view {
        _assertBooksBalance();
    }

    function invariant_NoUnexpectedReverts() public view {
        assertFalse(handler.ghostUnexpectedRevert(), string(handler.lastUnexpectedRevert()));
    }

    /// @dev The suite is not vacuous: takes with callbacks, nested ones, and every mid-take call ran.
    function afterInvariant() external view {
        assertGt(handler.probeTakes(), 0, "no probe takes ran");
        assertGt(handler.midTakeCalls(), handler.probeTakes() * 20, "every permissionless call ran mid-take");
    }
}
