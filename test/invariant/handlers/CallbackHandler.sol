// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";

import {CircuitBreaker} from "../../../contracts/src/CircuitBreaker.sol";
import {CollateralAuction} from "../../../contracts/src/CollateralAuction.sol";
import {InsuranceFund} from "../../../contracts/src/InsuranceFund.sol";
import {LiquidationEngine} from "../../../contracts/src/LiquidationEngine.sol";
import {VaultEngine} from "../../../contracts/src/VaultEngine.sol";
import {ICollateralAuction} from "../../../contracts/src/interfaces/ICollateralAuction.sol";
import {MedianOracle} from "../../../contracts/src/oracles/MedianOracle.sol";
import {CallbackProbe} from "../../utils/callbacks/CallbackProbe.sol";
import {MockERC20} from "../../utils/mocks/MockERC20.sol";

/// @notice Drives takes whose callee calls every permissionless function of the system mid-take:
/// the circuit breaker (checkBadDebt, trip, observe), the liquidation engine (liquidate, sync), the
/// vault engine (drip, heal, healWithSurplus, sendSurplus), the oracles (poke), the insurance fund
/// (deposit), the taken house (settle, redo, takeover, take: locked) and its views, and other
/// houses (settle, redo, takeover, and a nested take whose own callee calls checkBadDebt). Between
/// takes: kicks, time, redos, governance lifting a real pause. Per-step properties are ghost flags
/// the invariant contract asserts.
// solhint-disable-next-line max-states-count
contract CallbackHandler is Test {
    struct Ctx {
        uint256 k; // outer house index
        uint256 id; // outer auction
        uint256 j; // nested house index
        uint256 innerId; // nested auction (0: no nested take)
        uint256 uncoveredBefore;
        uint256 badBefore; // vault engine bad debt (WAD, rounded down as the breaker does)
        uint256 coveredBefore; // Σ over houses of debt in auctions + stablecoin held
        uint256 checkpointBefore;
        uint256 debtBefore; // outer house debt before the take
        uint256 unraisedOuter; // tab the outer take leaves unraised when it sells the lot out
        uint256 unraisedInner;
        uint256 nOuterFixed; // outer calls before the free-for-all part
    }

    VaultEngine public immutable engine;
    LiquidationEngine public immutable dog;
    CircuitBreaker public immutable breaker;
    InsuranceFund public immutable fund;
    CallbackProbe public immutable probe;
    address public immutable gov;
    address public immutable spotter;
    bytes32[3] public ilks;
    CollateralAuction[3] public houses;
    MedianOracle[3] public oracles;
    uint256[3] public prices;
    uint256 internal _borrowers;

    // Per-step properties: set when broken, never cleared.
    bool public ghostCallbackSawImbalance; // uncovered bad debt seen in a callback != the books with owes paid
    bool public ghostFalsePause; // checkBadDebt mid-take paused without real growth above the bound (or the reverse)
    bool public ghostUnlockedMidTake; // a same-house state change succeeded mid-take, or locked() was false
    bool public ghostDebtMidTakeWrong; // debtInAuctions mid-take did not count the unpaid owe
    bool public ghostInFlightAfterTake; // owedInFlight or locked() non-zero after a take
    bool public ghostUnexpectedRevert;
    bytes public lastUnexpectedRevert;

    uint256 public probeTakes;
    uint256 public nestedTakes;
    uint256 public midTakeCalls;
    uint256 public realPauses;

    constructor(
        VaultEngine engine_,
        LiquidationEngine dog_,
        CircuitBreaker breaker_,
        InsuranceFund fund_,
        CallbackProbe probe_,
        CollateralAuction[3] memory houses_,
        MedianOracle[3] memory oracles_,
        bytes32[3] memory ilks_,
        uint256[3] memory prices_,
        address gov_,
        address spotter_
    ) {
        (engine, dog, breaker, fund, probe, gov, spotter) = (engine_, dog_, breaker_, fund_, probe_, gov_, spotter_);
        houses = houses_;
        oracles = oracles_;
        ilks = ilks_;
        prices = prices_;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice A fresh vault of `debtSeed` (2,000..20,000) on ilk `k`, made unsafe by a 10% spot
    /// dip and liquidated; the spot comes back. The auction's mark never moved.
    function kick(uint256 kSeed, uint256 debtSeed) external {
        uint256 k = kSeed % 3;
        bytes32 ilk = ilks[k];
        if (houses[k].breakerLevel() >= 1) return;
        uint256 debt = bound(debtSeed, 2000e18, 20_000e18);
        // Collateral worth 1% more than the ratio needs, in native units.
        uint256 scale = 10 ** (18 - engine.ilks(ilk).decimals);
        uint256 collateral = debt * engine.liquidationRatio(ilk) / 1e18 * 101 / 100 * 1e18 / prices[k] / scale + 1;
        // forge-lint: disable-next-line(unsafe-typecast) a small counter
        address borrower = address(uint160(0xB0000 + ++_borrowers));
        MockERC20 token = MockERC20(engine.ilks(ilk).token);
        token.mint(borrower, collateral);
        vm.startPrank(borrower);
        token.approve(address(engine), type(uint256).max);
        // forge-lint: disable-next-line(unsafe-typecast) both bounded far below 2^255
        engine.adjust(ilk, int256(collateral), int256(debt));
        vm.stopPrank();
        _spot(k, prices[k] * 9 / 10);
        dog.liquidate(ilk, borrower, address(this));
        _spot(k, prices[k]);
    }

    /// @notice Time passes (prices decay, windows roll).
    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 1, 3 hours));
    }

    /// @notice Restart every auction that needs it.
    function redoAll(uint256 kSeed) external {
        CollateralAuction h = houses[kSeed % 3];
        if (h.breakerLevel() >= 2) return;
        uint256[] memory ids = h.list();
        for (uint256 i; i < ids.length; ++i) {
            (bool needsRedo,,,) = h.getStatus(ids[i]);
            if (needsRedo) h.redo(ids[i], address(this));
        }
    }

    /// @notice Governance lifts a pause (a real one: the invariant contract checks pauses are real).
    function lift(uint256 kSeed) external {
        uint256 k = kSeed % 3;
        if (houses[k].breakerLevel() == 0) return;
        vm.prank(gov);
        breaker.setLevel(houses[k], 0);
    }

    /// @notice The probe takes auction `idSeed` of house `kSeed`; its callee calls everything.
    /// With `nest`, the first call is a whole take of an auction of another house, whose callee
    /// calls checkBadDebt and that house's views.
    function probeTake(uint256 kSeed, uint256 idSeed, uint256 amountSeed, bool nest, uint256 jSeed) external {
        Ctx memory c;
        c.k = kSeed % 3;
        CollateralAuction h = houses[c.k];
        bool ok;
        (ok, c.id) = _liveAuction(h, idSeed);
        if (!ok || h.breakerLevel() >= 3) return;
        if (nest) {
            c.j = (c.k + 1 + jSeed % 2) % 3;
            (ok, c.innerId) = _liveAuction(houses[c.j], jSeed >> 8);
            if (!ok || houses[c.j].breakerLevel() >= 3) c.innerId = 0;
        }
        uint256 amount = bound(amountSeed, 1, h.sale(c.id).lot);
        // What the takes will leave unraised (a take matches its quote exactly).
        c.unraisedOuter = _unraised(h, c.id, amount);
        if (c.unraisedOuter == type(uint256).max) return; // the quote fails: so will the take
        if (c.innerId != 0) {
            c.unraisedInner = _unraised(houses[c.j], c.innerId, type(uint256).max);
            if (c.unraisedInner == type(uint256).max) c.innerId = 0;
        }
        c.uncoveredBefore = breaker.uncoveredBadDebt();
        c.badBefore = engine.badDebtRad() / 1e27;
        for (uint256 i; i < 3; ++i) {
            c.coveredBefore += houses[i].debtInAuctions() + MockERC20(engine.stablecoin()).balanceOf(address(houses[i]));
        }
        (c.checkpointBefore,) = breaker.badDebtWindow();
        c.debtBefore = h.debtInAuctions();

        bytes memory data = _outerCalls(c);
        probe.reset();
        vm.prank(address(probe));
        try h.take(c.id, amount, type(uint256).max, address(probe), data) {
            probeTakes++;
            _checkStep(c);
        } catch (bytes memory reason) {
            ghostUnexpectedRevert = true;
            lastUnexpectedRevert = reason;
        }
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _spot(uint256 k, uint256 priceWad) internal {
        vm.prank(spotter);
        engine.setSpot(ilks[k], priceWad * 1e18 / engine.liquidationRatio(ilks[k]));
    }

    function _liveAuction(CollateralAuction h, uint256 seed) internal view returns (bool, uint256) {
        uint256[] memory ids = h.list();
        if (ids.length == 0) return (false, 0);
        uint256 id = ids[seed % ids.length];
        (bool needsRedo,,,) = h.getStatus(id);
        return (!needsRedo, id);
    }

    /// @dev Tab a take of `amount` leaves unraised by selling out the lot; max when it would fail.
    function _unraised(CollateralAuction h, uint256 id, uint256 amount) internal view returns (uint256) {
        ICollateralAuction.Sale memory s = h.sale(id);
        try h.quote(id, amount) returns (uint256 out, uint256 owe, uint256) {
            return out == s.lot && owe < s.tab ? s.tab - owe : 0;
        } catch {
            return type(uint256).max;
        }
    }

    function _c(address target, bytes memory data) internal pure returns (CallbackProbe.Call memory) {
        return CallbackProbe.Call(target, data);
    }

    /// @dev Outer callback: [nested take], checkBadDebt, the house's views, its locked entry
    /// points, then every other permissionless function.
    function _outerCalls(Ctx memory c) internal returns (bytes memory) {
        CollateralAuction h = houses[c.k];
        CollateralAuction other = houses[(c.k + 1) % 3];
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](24);
        uint256 n;
        if (c.innerId != 0) {
            CollateralAuction inner = houses[c.j];
            CallbackProbe.Call[] memory innerCalls = new CallbackProbe.Call[](3);
            innerCalls[0] = _c(address(breaker), abi.encodeCall(breaker.checkBadDebt, ()));
            innerCalls[1] = _c(address(inner), abi.encodeCall(inner.debtInAuctions, ()));
            innerCalls[2] = _c(address(h), abi.encodeCall(h.locked, ()));
            calls[n++] = _c(
                address(inner),
                abi.encodeCall(
                    inner.take,
                    (c.innerId, type(uint256).max, type(uint256).max, address(probe), abi.encode(innerCalls))
                )
            );
        }
        calls[n++] = _c(address(breaker), abi.encodeCall(breaker.checkBadDebt, ()));
        calls[n++] = _c(address(h), abi.encodeCall(h.debtInAuctions, ()));
        calls[n++] = _c(address(h), abi.encodeCall(h.locked, ()));
        calls[n++] = _c(address(h), abi.encodeCall(h.settle, ()));
        calls[n++] = _c(address(h), abi.encodeCall(h.redo, (c.id, address(probe))));
        calls[n++] = _c(address(h), abi.encodeCall(h.takeover, (c.id, address(probe))));
        calls[n++] = _c(address(h), abi.encodeCall(h.take, (c.id, 1, type(uint256).max, address(probe), "")));
        c.nOuterFixed = n;
        // The free-for-all: each may succeed or fail; none may unbalance the books.
        calls[n++] = _c(address(h), abi.encodeCall(h.getStatus, (c.id)));
        calls[n++] = _c(address(h), abi.encodeCall(h.quote, (c.id, 1)));
        calls[n++] = _c(address(h), abi.encodeCall(h.pendingRevenue, ()));
        calls[n++] = _c(address(h), abi.encodeCall(h.list, ()));
        calls[n++] = _c(address(breaker), abi.encodeCall(breaker.trip, (h)));
        calls[n++] = _c(address(breaker), abi.encodeCall(breaker.observe, (other)));
        calls[n++] = _c(address(oracles[c.k]), abi.encodeCall(oracles[c.k].poke, ()));
        calls[n++] = _c(address(dog), abi.encodeCall(dog.sync, (ilks[c.k])));
        calls[n++] = _c(address(dog), abi.encodeCall(dog.liquidate, (ilks[c.k], address(0xB0001), address(probe))));
        calls[n++] = _c(address(engine), abi.encodeCall(engine.drip, (ilks[c.k])));
        calls[n++] = _c(address(engine), abi.encodeCall(engine.heal, (1e18)));
        calls[n++] = _c(address(engine), abi.encodeCall(engine.healWithSurplus, ()));
        calls[n++] = _c(address(engine), abi.encodeCall(engine.sendSurplus, (1)));
        calls[n++] = _c(address(fund), abi.encodeWithSignature("deposit(uint256,address)", 1e18, address(probe)));
        calls[n++] = _c(address(other), abi.encodeCall(other.settle, ()));
        calls[n++] = _c(address(breaker), abi.encodeCall(breaker.checkBadDebt, ()));
        midTakeCalls += n;
        assembly ("memory-safe") {
            mstore(calls, n)
        }
        return abi.encode(calls);
    }

    function _checkStep(Ctx memory c) internal {
        uint256 bound_ = breaker.maxBadDebtPerWindow();
        // The books as seen from inside each callback: exactly as if every in-flight owe were paid.
        uint256 outerTruth = _sat(c.badBefore, c.coveredBefore - c.unraisedOuter);
        if (probe.uncoveredSeen(0) != outerTruth) ghostCallbackSawImbalance = true;
        uint256 o; // outcome index of the outer callback's checkBadDebt
        if (c.innerId != 0) {
            nestedTakes++;
            uint256 innerTruth = _sat(c.badBefore, c.coveredBefore - c.unraisedOuter - c.unraisedInner);
            if (probe.uncoveredSeen(1) != innerTruth) ghostCallbackSawImbalance = true;
            // Inner outcomes come first: checkBadDebt, debtInAuctions, the outer house's locked().
            if (!probe.outcome(2).ok || !abi.decode(probe.outcome(2).ret, (bool))) ghostUnlockedMidTake = true;
            _checkPause(probe.outcome(0), innerTruth, c.checkpointBefore, bound_);
            if (!probe.outcome(3).ok) ghostUnexpectedRevert = true; // the nested take
            o = 4;
        } else {
            _checkPause(probe.outcome(0), outerTruth, c.checkpointBefore, bound_);
        }
        // debtInAuctions mid-take: everything before the take minus only what was left unraised.
        CallbackProbe.Outcome memory d = probe.outcome(o + 1);
        if (!d.ok || abi.decode(d.ret, (uint256)) != c.debtBefore - c.unraisedOuter) ghostDebtMidTakeWrong = true;
        CallbackProbe.Outcome memory lockedView = probe.outcome(o + 2);
        if (!lockedView.ok || !abi.decode(lockedView.ret, (bool))) ghostUnlockedMidTake = true;
        for (uint256 i = o + 3; i < o + 7; ++i) {
            CallbackProbe.Outcome memory r = probe.outcome(i);
            if (r.ok || bytes4(r.ret) != ReentrancyGuardTransient.Reentrancy.selector) ghostUnlockedMidTake = true;
        }
        for (uint256 k; k < 3; ++k) {
            if (houses[k].owedInFlight() != 0 || houses[k].locked()) ghostInFlightAfterTake = true;
        }
    }

    function _sat(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a - b : 0;
    }

    /// @dev The first checkBadDebt of a step pauses exactly when the true uncovered bad debt (owes
    /// in flight counted as paid) grew beyond the bound since the checkpoint.
    function _checkPause(CallbackProbe.Outcome memory r, uint256 truth, uint256 checkpoint, uint256 bound_) internal {
        if (!r.ok) {
            ghostUnexpectedRevert = true;
            lastUnexpectedRevert = r.ret;
            return;
        }
        bool paused = abi.decode(r.ret, (bool));
        bool real = truth > checkpoint && truth - checkpoint > bound_;
        if (paused != real) ghostFalsePause = true;
        if (paused) realPauses++;
    }
}
