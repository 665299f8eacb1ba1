// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICircuitBreaker} from "../../contracts/src/interfaces/ICircuitBreaker.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {Spotter} from "../../contracts/src/oracles/Spotter.sol";
import {BreakerBaseTest} from "../utils/BreakerBaseTest.sol";
import {CallbackProbe} from "../utils/callbacks/CallbackProbe.sol";

/// @notice What a take callee can call, and what each call sees mid-take (docs/threat-model.md,
/// "Callbacks and composability"). The probe is the taker and the receiver: it pays for its takes
/// and, inside each callback, makes the calls its data lists.
contract TakeCallbacksTest is BreakerBaseTest {
    CollateralAuction internal ethHouse;
    CollateralAuction internal btcHouse;
    CallbackProbe internal probe;
    /// @dev alice's ETH auction: 10 ETH against a 14,690 tab (13,000 debt × 1.13).
    uint256 internal ethId;

    function setUp() public override {
        super.setUp();
        ethHouse = house[ETH_A];
        btcHouse = house[WBTC_A];
        probe = new CallbackProbe();
        probe.setBreaker(breaker);
        // The probe's capital comes from a WBTC vault (untouched by the ETH crash).
        _open(address(probe), WBTC_A, 3e8, 100_000e18);
        probe.approve(address(gusd), address(ethHouse));
        probe.approve(address(gusd), address(btcHouse));
        probe.approve(address(gusd), address(fund));
        _open(alice, ETH_A, 10e18, 13_000e18);
        _crash(ETH_A, 1900e18);
        ethId = dog.liquidate(ETH_A, alice, keeper);
        assertEq(ethHouse.sale(ethId).tab, 14_690e18, "setup: the issue's tab");
        vm.warp(block.timestamp + 60);
    }

    function _call(address target, bytes memory data) internal pure returns (CallbackProbe.Call memory) {
        return CallbackProbe.Call(target, data);
    }

    function _one(address target, bytes memory data) internal pure returns (bytes memory) {
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](1);
        calls[0] = _call(target, data);
        return abi.encode(calls);
    }

    function _takeAll(CollateralAuction h, uint256 id, bytes memory data) internal returns (uint256 out, uint256 owe) {
        vm.prank(address(probe));
        return h.take(id, type(uint256).max, type(uint256).max, address(probe), data);
    }

    /*//////////////////////////////////////////////////////////////
                    the attack: checkBadDebt mid-take
    //////////////////////////////////////////////////////////////*/

    /// @dev The reported attack: the callee calls the permissionless `checkBadDebt` while the take's
    /// `owe` is booked off the house's debt but not yet paid. The breaker must see no new uncovered
    /// bad debt, and no house may pause.
    function test_Take_CheckBadDebtInsideCallbackDoesNotPause() public {
        uint256 uncoveredBefore = breaker.uncoveredBadDebt();
        (, uint256 owe) = _takeAll(ethHouse, ethId, _one(address(breaker), abi.encodeCall(breaker.checkBadDebt, ())));

        assertEq(owe, 14_690e18, "the whole tab raised");
        CallbackProbe.Outcome memory o = probe.outcome(0);
        assertTrue(o.ok, "checkBadDebt callable mid-take");
        assertFalse(abi.decode(o.ret, (bool)), "no pause from an honest take");
        assertEq(probe.uncoveredSeen(0), uncoveredBefore, "the in-flight owe counts as covered");
        _assertNoHousePaused();
        assertEq(breaker.uncoveredBadDebt(), uncoveredBefore, "nothing uncovered after the take");
    }

    /// @dev Nested takes across houses: the probe takes the ETH auction, and inside its callback
    /// the WBTC auction, and inside that callback calls `checkBadDebt`: two in-flight owes at once.
    function test_Take_NestedTakesAcrossHousesCannotAddUpToAPause() public {
        _open(bob, WBTC_A, 1e8, 40_000e18);
        _crash(WBTC_A, 55_000e18);
        uint256 btcId = dog.liquidate(WBTC_A, bob, keeper);
        uint256 uncoveredBefore = breaker.uncoveredBadDebt();

        bytes memory inner = _one(address(breaker), abi.encodeCall(breaker.checkBadDebt, ()));
        bytes memory outer = _one(
            address(btcHouse),
            abi.encodeCall(btcHouse.take, (btcId, type(uint256).max, type(uint256).max, address(probe), inner))
        );
        _takeAll(ethHouse, ethId, outer);

        assertEq(probe.outcomeCount(), 2);
        assertTrue(probe.outcome(0).ok, "checkBadDebt (innermost) ran");
        assertFalse(abi.decode(probe.outcome(0).ret, (bool)), "no pause");
        assertTrue(probe.outcome(1).ok, "nested take across houses allowed");
        assertEq(probe.uncoveredSeen(0), uncoveredBefore, "outer callback sees the books balanced");
        assertEq(probe.uncoveredSeen(1), uncoveredBefore, "inner callback sees the books balanced");
        _assertNoHousePaused();
        assertEq(btcHouse.count() + ethHouse.count(), 0, "both auctions raised their tabs");
    }

    /*//////////////////////////////////////////////////////////////
                    the house's own views mid-take
    //////////////////////////////////////////////////////////////*/

    /// @dev Mid-take, the taken auction already shows its post-take state, the house's debt still
    /// counts the unpaid `owe`, and `locked()` says a take is in progress.
    function test_Take_ViewsMidTakeSeeBooksConsistent() public {
        // Buy 2 ETH of 10: the auction stays live.
        uint256 debtBefore = ethHouse.debtInAuctions();
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](6);
        calls[0] = _call(address(ethHouse), abi.encodeCall(ethHouse.debtInAuctions, ()));
        calls[1] = _call(address(ethHouse), abi.encodeCall(ethHouse.locked, ()));
        calls[2] = _call(address(ethHouse), abi.encodeCall(ethHouse.sale, (ethId)));
        calls[3] = _call(address(ethHouse), abi.encodeCall(ethHouse.getStatus, (ethId)));
        calls[4] = _call(address(ethHouse), abi.encodeCall(ethHouse.liquidationInfo, ()));
        calls[5] = _call(address(ethHouse), abi.encodeCall(ethHouse.pendingRevenue, ()));
        vm.prank(address(probe));
        (, uint256 owe) = ethHouse.take(ethId, 2e18, type(uint256).max, address(probe), abi.encode(calls));

        assertEq(abi.decode(probe.outcome(0).ret, (uint256)), debtBefore, "debt counts the unpaid owe");
        assertTrue(abi.decode(probe.outcome(1).ret, (bool)), "locked mid-take");
        ICollateralAuction.Sale memory mid = abi.decode(probe.outcome(2).ret, (ICollateralAuction.Sale));
        assertEq(mid.lot, 8e18, "sale shows the post-take lot");
        assertEq(mid.tab, 14_690e18 - owe, "sale shows the post-take tab");
        (, uint256 price, uint256 lot, uint256 tab) =
            abi.decode(probe.outcome(3).ret, (bool, uint256, uint256, uint256));
        assertGt(price, 0);
        assertEq(lot, 8e18);
        assertEq(tab, 14_690e18 - owe);
        (uint256 infoDebt,) = abi.decode(probe.outcome(4).ret, (uint256, uint256));
        assertEq(infoDebt, debtBefore, "liquidationInfo agrees with debtInAuctions");
        assertEq(abi.decode(probe.outcome(5).ret, (uint256)), 0, "no penalty raised yet");

        assertFalse(ethHouse.locked(), "unlocked after the take");
        assertEq(ethHouse.debtInAuctions(), debtBefore - owe, "after payment the owe leaves the debt");
    }

    /// @dev Every state-changing entry point of the taken house is locked mid-take.
    function test_Take_SameHouseEntryPointsLockedMidTake() public {
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](4);
        calls[0] = _call(address(ethHouse), abi.encodeCall(ethHouse.settle, ()));
        calls[1] = _call(address(ethHouse), abi.encodeCall(ethHouse.redo, (ethId, address(probe))));
        calls[2] = _call(address(ethHouse), abi.encodeCall(ethHouse.takeover, (ethId, address(probe))));
        calls[3] = _call(
            address(ethHouse), abi.encodeCall(ethHouse.take, (ethId, 1e18, type(uint256).max, address(probe), ""))
        );
        vm.prank(address(probe));
        ethHouse.take(ethId, 2e18, type(uint256).max, address(probe), abi.encode(calls));
        for (uint256 i; i < 4; ++i) {
            CallbackProbe.Outcome memory o = probe.outcome(i);
            assertFalse(o.ok, "locked");
            assertEq(bytes4(o.ret), ReentrancyGuardTransient.Reentrancy.selector);
        }
    }

    /*//////////////////////////////////////////////////////////////
                    other contracts' functions mid-take
    //////////////////////////////////////////////////////////////*/

    /// @dev A liquidation kicked into the same house mid-take, and `sync`: the engine's counters
    /// never understate the debt in auctions (the in-flight owe errs on the side of braking).
    function test_Take_LiquidateAndSyncMidTakeNeverUnderstateDebt() public {
        _crash(ETH_A, 2000e18);
        _open(bob, ETH_A, 10e18, 13_000e18);
        _crash(ETH_A, 1900e18);
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](3);
        calls[0] = _call(address(dog), abi.encodeCall(dog.liquidate, (ETH_A, bob, address(probe))));
        calls[1] = _call(address(dog), abi.encodeCall(dog.sync, (ETH_A)));
        calls[2] = _call(address(breaker), abi.encodeCall(breaker.checkBadDebt, ()));
        (, uint256 owe) = _takeAll(ethHouse, ethId, abi.encode(calls));
        assertTrue(probe.outcome(0).ok, "liquidate mid-take");
        assertTrue(probe.outcome(1).ok, "sync mid-take");
        assertFalse(abi.decode(probe.outcome(2).ret, (bool)), "no pause");
        uint256 bobId = abi.decode(probe.outcome(0).ret, (uint256));
        assertEq(ethHouse.count(), 1, "alice's auction closed, bob's live");
        assertEq(ethHouse.debtInAuctions(), ethHouse.sale(bobId).tab, "house debt is bob's tab");
        assertEq(dog.ilkConfig(ETH_A).reportedDebt, ethHouse.debtInAuctions() + owe, "synced mid-take: overstates");
        dog.sync(ETH_A);
        assertEq(dog.ilkConfig(ETH_A).reportedDebt, ethHouse.debtInAuctions(), "re-synced after");
        _assertNoHousePaused();
    }

    /// @dev The vault engine's permissionless accounting (drip, heal, healWithSurplus), the fund's
    /// deposit and another house's settle mid-take: each keeps its own books whole, and the breaker
    /// checked after them still sees nothing uncovered.
    function test_Take_EngineFundAndOtherHouseMidTake() public {
        uint256 uncoveredBefore = breaker.uncoveredBadDebt();
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](6);
        calls[0] = _call(address(engine), abi.encodeCall(engine.drip, (ETH_A)));
        calls[1] = _call(address(engine), abi.encodeCall(engine.heal, (1e18)));
        calls[2] = _call(address(engine), abi.encodeCall(engine.healWithSurplus, ()));
        calls[3] = _call(address(fund), abi.encodeWithSignature("deposit(uint256,address)", 100e18, address(probe)));
        calls[4] = _call(address(btcHouse), abi.encodeCall(btcHouse.settle, ()));
        calls[5] = _call(address(breaker), abi.encodeCall(breaker.checkBadDebt, ()));
        _takeAll(ethHouse, ethId, abi.encode(calls));
        for (uint256 i; i < 6; ++i) {
            assertTrue(probe.outcome(i).ok, "callable mid-take");
        }
        assertFalse(abi.decode(probe.outcome(5).ret, (bool)), "no pause");
        assertLe(breaker.uncoveredBadDebt(), uncoveredBefore, "heal only lowers what is uncovered");
        _assertNoHousePaused();
        _assertBooksBalance();
    }

    /// @dev Oracle and Spotter pokes mid-take read feeds only: the engine's spot follows the oracle,
    /// no house state is read, and the breaker still sees nothing uncovered.
    function test_Take_OracleAndSpotterPokeMidTakeReadFeedsOnly() public {
        Spotter spot = new Spotter(gov, address(engine));
        vm.startPrank(gov);
        spot.setOracle(ETH_A, address(breakerOracle[ETH_A]));
        engine.grantRoles(address(spot), engine.SPOTTER());
        vm.stopPrank();
        vm.warp(block.timestamp + 1);
        breakerFeed[ETH_A].push(1900e18);
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](3);
        calls[0] = _call(address(breakerOracle[ETH_A]), abi.encodeCall(breakerOracle[ETH_A].poke, ()));
        calls[1] = _call(address(spot), abi.encodeCall(spot.poke, (ETH_A)));
        calls[2] = _call(address(breaker), abi.encodeCall(breaker.checkBadDebt, ()));
        _takeAll(ethHouse, ethId, abi.encode(calls));
        assertTrue(probe.outcome(0).ok, "oracle poke mid-take");
        assertTrue(probe.outcome(1).ok, "spotter poke mid-take");
        assertEq(engine.ilks(ETH_A).spot, 1900e18 * WAD / engine.liquidationRatio(ETH_A), "spot from the oracle");
        assertFalse(abi.decode(probe.outcome(2).ret, (bool)), "no pause");
        _assertNoHousePaused();
    }

    /// @dev `trip` and `observe` mid-take see only the oracle: without a real drop they cannot move a
    /// level, whatever the take did to the house's books.
    function test_Take_TripAndObserveMidTakeSeeOnlyTheOracle() public {
        CallbackProbe.Call[] memory calls = new CallbackProbe.Call[](2);
        calls[0] = _call(address(breaker), abi.encodeCall(breaker.trip, (ethHouse)));
        calls[1] = _call(address(breaker), abi.encodeCall(breaker.observe, (ethHouse)));
        _takeAll(ethHouse, ethId, abi.encode(calls));
        assertFalse(probe.outcome(0).ok, "no drop, no trip");
        assertEq(bytes4(probe.outcome(0).ret), ICircuitBreaker.DropWithinTolerance.selector);
        assertFalse(abi.decode(probe.outcome(1).ret, (bool)), "observe: no trip");
        _assertNoHousePaused();
    }
}
