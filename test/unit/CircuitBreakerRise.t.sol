// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(block-timestamp) -- test code: warps.

import {CircuitBreaker} from "../../contracts/src/CircuitBreaker.sol";
import {ICircuitBreaker} from "../../contracts/src/interfaces/ICircuitBreaker.sol";
import {ISpotter} from "../../contracts/src/interfaces/ISpotter.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {MedianOracle} from "../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../contracts/src/oracles/PushedFeed.sol";
import {Spotter} from "../../contracts/src/oracles/Spotter.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";
import {console2} from "forge-std/Test.sol";

/// @notice Issue 12 item 3, second half: the breaker sees implausible rises. End to end with the real
/// VaultEngine, Spotter, MedianOracle and CircuitBreaker: a manipulated rise (an attacker who controls a
/// majority of the feeds, which the median rule cannot stop) trips the breaker at the first update
/// beyond the tolerance, the Spotter then writes no higher spot, and borrowing against the inflated
/// mark reverts in the engine. Drops still reach the engine; governance lowering the level releases it.
contract CircuitBreakerRiseTest is LiquidationBaseTest {
    uint256 internal constant MAX_CHANGE_BPS = 1000; // shipped oracle clamp: 10% per poke
    uint256 internal constant TOLERANCE_BPS = 500; // breaker: more than 5% in one update trips
    uint256 internal constant REARM = 1 hours;
    uint256 internal constant RATIO = 1.5e18; // ETH-A liquidation ratio in the fixture

    address internal attacker = makeAddr("attacker");

    PushedFeed[3] internal feeds;
    MedianOracle internal oracle;
    Spotter internal realSpotter;
    CircuitBreaker internal breaker;

    function setUp() public override {
        super.setUp();
        address[] memory list = new address[](3);
        for (uint256 i; i < 3; ++i) {
            feeds[i] = new PushedFeed(gov, attacker); // the attacker reports for every feed
            list[i] = address(feeds[i]);
        }
        _report(2000e18);
        oracle = new MedianOracle(gov, list, 2, 1 hours, MAX_CHANGE_BPS, 0);
        oracle.poke();

        realSpotter = new Spotter(gov, address(engine));
        breaker = new CircuitBreaker(gov, engine, REARM, 1000e18, 1 hours, 2);
        vm.startPrank(gov);
        engine.grantRoles(address(realSpotter), engine.SPOTTER());
        realSpotter.setOracle(ETH_A, address(oracle));
        realSpotter.setBreaker(address(breaker));
        house[ETH_A].grantRoles(address(breaker), house[ETH_A].BREAKER());
        breaker.setHouse(house[ETH_A], oracle, TOLERANCE_BPS);
        vm.stopPrank();
        realSpotter.poke(ETH_A);
        assertEq(engine.ilks(ETH_A).spot, uint256(2000e18) * 1e18 / RATIO);

        // Alice: 10 ETH, 10,000 borrowed; at 2,000 she may borrow up to 13,333.
        _open(alice, ETH_A, 10e18, 10_000e18);
    }

    /// @dev Every feed reports `priceWad` now.
    function _report(uint256 priceWad) internal {
        vm.startPrank(attacker);
        for (uint256 i; i < 3; ++i) {
            feeds[i].push(priceWad);
        }
        vm.stopPrank();
    }

    /// @dev Ten blocks of the walk from the issue: each block the feeds report 10× the price, the oracle
    /// clamps to +10%, and the attacker pokes the Spotter right after the oracle.
    function _walkUp() internal returns (uint256 mark) {
        return _walkUp(10);
    }

    function _walkUp(uint256 blocks) internal returns (uint256 mark) {
        for (uint256 i; i < blocks; ++i) {
            vm.warp(block.timestamp + 12);
            _report(20_000e18);
            (mark,) = oracle.poke();
            vm.prank(attacker);
            realSpotter.poke(ETH_A);
        }
    }

    /// @dev The most alice can borrow against 10 ETH at `priceWad` (spot rounded down, as the engine).
    function _room(uint256 priceWad) internal pure returns (uint256) {
        return 10 * (priceWad * 1e18 / RATIO) - 10_000e18;
    }

    /// @notice The attack without the guard: the mark walks to 5,187 and alice borrows 2.6× her
    /// collateral's worth. This is what the rest of the file shows cannot happen with the guard.
    function test_RiseAttack_WithoutGuard_BorrowsAgainstInflatedMark() public {
        vm.prank(gov);
        realSpotter.setBreaker(address(0));
        uint256 mark = _walkUp();
        assertGt(mark, 5187e18);
        vm.prank(alice);
        engine.borrow(ETH_A, 20_000e18);
    }

    function test_RiseAttack_TripsAndBlocksBorrowAgainstInflatedMark() public {
        // The first block of the walk, step by step: the Spotter's poke is what rise-trips the breaker.
        vm.warp(block.timestamp + 12);
        _report(20_000e18);
        oracle.poke();
        vm.expectEmit(address(breaker));
        emit ICircuitBreaker.RiseTripped(address(house[ETH_A]), address(realSpotter), 2000e18, 2200e18, 1000);
        vm.expectEmit(address(realSpotter));
        emit ISpotter.RiseHeld(ETH_A, 2200e18, 2000e18);
        vm.prank(attacker);
        realSpotter.poke(ETH_A);
        uint256 mark = _walkUp(9); // nine more blocks (ten in all)
        assertGt(mark, 5187e18, "the oracle itself was walked up");
        assertTrue(breaker.riseHeld(house[ETH_A]));
        assertEq(house[ETH_A].breakerLevel(), 2, "no kicks at a top priced from the inflated mark");
        assertEq(engine.ilks(ETH_A).spot, uint256(2000e18) * 1e18 / RATIO, "spot held at the pre-rise mark");
        assertEq(realSpotter.markPrices(ETH_A), 2000e18);

        // One wei beyond what the pre-rise price allows reverts; the inflated mark's room is far off.
        uint256 room = _room(2000e18);
        vm.prank(alice);
        vm.expectPartialRevert(IVaultEngine.UnsafeVault.selector);
        engine.borrow(ETH_A, room + 1);
        vm.prank(alice);
        vm.expectPartialRevert(IVaultEngine.UnsafeVault.selector);
        engine.borrow(ETH_A, 20_000e18);
        // Not a blanket freeze: borrowing within the pre-rise room still works.
        vm.prank(alice);
        engine.borrow(ETH_A, room);
    }

    /// @notice Whoever observes first, the hold is in place before the spot can rise: observing (or
    /// tripping) through the breaker directly rise-trips it just the same.
    function test_RiseAttack_ObservedFirstStillHolds() public {
        vm.warp(block.timestamp + 12);
        _report(2200e18);
        oracle.poke();
        assertTrue(breaker.observe(house[ETH_A]), "observe rise-trips");
        vm.expectRevert(abi.encodeWithSelector(ICircuitBreaker.AlreadyTripped.selector, address(house[ETH_A]), 2));
        breaker.trip(house[ETH_A]);
        realSpotter.poke(ETH_A);
        assertEq(engine.ilks(ETH_A).spot, uint256(2000e18) * 1e18 / RATIO);
    }

    function test_RiseTrip_ByTripOnHouseAlreadyAtTripLevel() public {
        vm.prank(gov);
        breaker.setLevel(house[ETH_A], 3);
        vm.warp(block.timestamp + 12);
        _report(2200e18);
        oracle.poke();
        assertEq(breaker.trip(house[ETH_A]), 1000);
        assertTrue(breaker.riseHeld(house[ETH_A]));
        assertEq(house[ETH_A].breakerLevel(), 3, "a rise trip never lowers a level");
    }

    function test_RiseWithinTolerance_SpotFollows() public {
        vm.warp(block.timestamp + 12);
        _report(2100e18); // +5%: at the tolerance, not beyond
        oracle.poke();
        realSpotter.poke(ETH_A);
        assertFalse(breaker.riseHeld(house[ETH_A]));
        assertEq(house[ETH_A].breakerLevel(), 0);
        assertEq(engine.ilks(ETH_A).spot, uint256(2100e18) * 1e18 / RATIO);
        vm.prank(alice);
        engine.borrow(ETH_A, _room(2100e18));
    }

    function test_Trip_RevertWhen_RiseWithinTolerance() public {
        vm.warp(block.timestamp + 12);
        _report(2100e18);
        oracle.poke();
        vm.expectRevert(abi.encodeWithSelector(ICircuitBreaker.RiseWithinTolerance.selector, 500, TOLERANCE_BPS));
        breaker.trip(house[ETH_A]);
    }

    /// @notice While rises are held, drops still reach the engine (liquidations go on), and the held
    /// mark follows them down.
    function test_RiseHeld_DropsStillReachTheEngine() public {
        _walkUp();
        vm.warp(block.timestamp + 12);
        // The genuine market: back to 1,900 (the oracle comes down 10% a poke from 5,187).
        for (uint256 i; i < 12; ++i) {
            vm.warp(block.timestamp + 12);
            _report(1900e18);
            oracle.poke();
        }
        (uint256 m,) = oracle.peek();
        assertEq(m, 1900e18);
        realSpotter.poke(ETH_A);
        assertEq(engine.ilks(ETH_A).spot, uint256(1900e18) * 1e18 / RATIO, "the drop passed");
        // A new rise (within tolerance) is still capped at the lower held mark.
        vm.warp(block.timestamp + 12);
        _report(1950e18);
        oracle.poke();
        realSpotter.poke(ETH_A);
        assertEq(realSpotter.markPrices(ETH_A), 1900e18, "still held");
    }

    /// @notice Governance lowering the level acknowledges the rise: the hold ends, the next poke writes
    /// the current mark.
    function test_RiseHeld_ReleasedWhenGovernanceLowersLevel() public {
        _walkUp();
        vm.expectEmit(address(breaker));
        emit ICircuitBreaker.RiseReleased(address(house[ETH_A]));
        vm.prank(gov);
        breaker.setLevel(house[ETH_A], 0);
        assertFalse(breaker.riseHeld(house[ETH_A]));
        realSpotter.poke(ETH_A);
        (uint256 m,) = oracle.peek();
        assertEq(engine.ilks(ETH_A).spot, m * 1e18 / RATIO);
    }

    /// @notice Removing the house drops its hold and its ilk mapping: `checkRise` then holds nothing.
    function test_RemoveHouse_ClearsRiseHold() public {
        _walkUp();
        vm.prank(gov);
        breaker.removeHouse(house[ETH_A]);
        assertEq(breaker.houseOf(ETH_A), address(0));
        assertFalse(breaker.riseHeld(house[ETH_A]));
        assertFalse(breaker.checkRise(ETH_A));
    }

    function test_SetHouse_MapsIlkToHouse() public view {
        assertEq(breaker.houseOf(ETH_A), address(house[ETH_A]));
        assertEq(breaker.houseOf(WBTC_A), address(0));
    }

    /// @notice A broken guard (here: the breaker lost its `BREAKER` role, so a trip reverts) holds rises
    /// and lets drops through: it can stop the spot from rising, never from falling.
    function test_GuardReverting_HoldsRisesLetsDropsThrough() public {
        vm.startPrank(gov);
        house[ETH_A].revokeRoles(address(breaker), house[ETH_A].BREAKER());
        vm.stopPrank();
        vm.warp(block.timestamp + 12);
        _report(2200e18);
        oracle.poke();
        realSpotter.poke(ETH_A);
        assertEq(engine.ilks(ETH_A).spot, uint256(2000e18) * 1e18 / RATIO, "rise held");
        vm.warp(block.timestamp + 12);
        _report(1800e18);
        (uint256 m,) = oracle.poke(); // clamped: 2,200 − 10% = 1,980
        assertEq(m, 1980e18);
        realSpotter.poke(ETH_A);
        assertEq(engine.ilks(ETH_A).spot, uint256(1980e18) * 1e18 / RATIO, "drop passed");
    }

    /// @notice The guard's cost on an ordinary rise (within tolerance: observed, not tripped), for the
    /// README: the Spotter's poke with the real breaker, warm (the figure a keeper pays after each poke).
    function test_Gas_SpotterPokeOnRiseWithGuard() public {
        vm.warp(block.timestamp + 12);
        _report(2040e18);
        oracle.poke();
        realSpotter.poke(ETH_A);
        uint256 withGuard = vm.lastCallGas().gasTotalUsed;
        vm.warp(block.timestamp + 12);
        _report(2080e18);
        oracle.poke();
        vm.prank(gov);
        realSpotter.setBreaker(address(0));
        realSpotter.poke(ETH_A);
        uint256 without = vm.lastCallGas().gasTotalUsed;
        console2.log("Spotter.poke on a rise, with the breaker guard:", withGuard);
        console2.log("Spotter.poke on a rise, no guard:", without);
        assertLt(withGuard - without, 60_000);
    }
}
