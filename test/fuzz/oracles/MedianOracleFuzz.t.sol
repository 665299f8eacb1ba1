// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IMedianOracle} from "../../../contracts/src/interfaces/IMedianOracle.sol";
import {MedianOracle} from "../../../contracts/src/oracles/MedianOracle.sol";
import {MockFeed} from "../../utils/oracles/MockFeed.sol";
import {Test} from "forge-std/Test.sol";

contract MedianOracleFuzzTest is Test {
    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant MAX_AGE = 1 hours;
    uint256 internal constant MAX_PRICE = type(uint128).max;

    address internal gov = makeAddr("gov");

    function setUp() public {
        vm.warp(T0);
    }

    /// @dev Reference median: insertion sort written here, independent of the contract's LibSort.
    function _referenceMedian(uint256[] memory v) internal pure returns (uint256) {
        for (uint256 i = 1; i < v.length; ++i) {
            for (uint256 j = i; j > 0 && v[j - 1] > v[j]; --j) {
                (v[j - 1], v[j]) = (v[j], v[j - 1]);
            }
        }
        uint256 n = v.length;
        if (n % 2 == 1) return v[n / 2];
        // Mean of the two middle values, rounded down, without overflow.
        uint256 a = v[n / 2 - 1];
        uint256 b = v[n / 2];
        return a / 2 + b / 2 + (a % 2 + b % 2) / 2;
    }

    function _feeds(uint256 n, uint256 seed, uint256 maxValue, uint256 staleMask)
        internal
        returns (address[] memory fs, uint256[] memory fresh, uint256 mask)
    {
        fs = new address[](n);
        uint256[] memory tmp = new uint256[](n);
        uint256 count;
        for (uint256 i; i < n; ++i) {
            uint256 value = bound(uint256(keccak256(abi.encode(seed, i))), 1, maxValue);
            bool stale = (staleMask >> i) & 1 == 1;
            uint256 updatedAt = stale ? T0 - MAX_AGE - 1 - (seed % 1000) : T0 - (seed % (MAX_AGE + 1));
            fs[i] = address(new MockFeed(value, updatedAt));
            if (!stale) {
                tmp[count++] = value;
                mask |= 1 << i;
            }
        }
        fresh = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            fresh[i] = tmp[i];
        }
    }

    /// @notice For random N (odd and even), random values (small ranges force ties) and random stale
    /// feeds, the oracle's median equals a sorted reference, and the quorum rule holds.
    function testFuzz_Poke_MedianMatchesSortedReference(
        uint256 n,
        uint256 seed,
        uint256 maxValue,
        uint256 staleMask,
        uint256 quorum
    ) public {
        n = bound(n, 1, 16);
        maxValue = bound(maxValue, 1, MAX_PRICE);
        staleMask = bound(staleMask, 0, (1 << n) - 1);
        quorum = bound(quorum, 1, n);
        (address[] memory fs, uint256[] memory fresh, uint256 mask) = _feeds(n, seed, maxValue, staleMask);
        MedianOracle o = new MedianOracle(gov, fs, quorum, MAX_AGE, 10_000, 0);

        if (fresh.length < quorum) {
            vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMet.selector, fresh.length, quorum));
            o.poke();
            return;
        }
        (uint256 m, uint256 count, uint256 gotMask) = o.compute();
        o.poke();
        (uint256 p, bool valid) = o.peek();
        uint256 expected = _referenceMedian(fresh);
        assertEq(p, expected, "median");
        assertEq(m, expected, "compute");
        assertEq(count, fresh.length, "fresh count");
        assertEq(gotMask, mask, "fresh mask");
        assertTrue(valid);
    }

    /// @notice Clamp: the accepted value never moves more than maxChangeBps from the previous one, equals
    /// the median when the median is within the bound, and sits on the bound (on the median's side)
    /// otherwise.
    function testFuzz_Poke_ClampBound(uint256 prev, uint256 target, uint256 bps) public {
        prev = bound(prev, 1, MAX_PRICE);
        target = bound(target, 1, MAX_PRICE);
        bps = bound(bps, 10, 10_000);
        MockFeed f = new MockFeed(prev, T0);
        address[] memory fs = new address[](1);
        fs[0] = address(f);
        MedianOracle o = new MedianOracle(gov, fs, 1, MAX_AGE, bps, 0);
        o.poke();

        vm.warp(T0 + 1);
        f.set(target, T0 + 1);
        o.poke();
        (uint256 next,) = o.peek();

        uint256 delta = prev * bps / 10_000;
        uint256 diff = next > prev ? next - prev : prev - next;
        assertLe(diff * 10_000, prev * bps, "moved more than maxChangeBps");
        if (target <= prev + delta && target + delta >= prev) {
            assertEq(next, target, "within bound: not clamped");
        } else if (target > prev) {
            assertEq(next, prev + delta, "clamped up to the bound");
        } else {
            assertEq(next, prev - delta, "clamped down to the bound");
        }
        // Never overshoots the median.
        if (target >= prev) assertLe(next, target);
        else assertGe(next, target);
    }

    /// @notice Repeated pokes converge to a constant median within 100x of the previous value: each poke
    /// moves monotonically toward it and reaches it exactly (at 10%/poke, 100x takes about 49 pokes).
    function testFuzz_Poke_ClampConverges(uint256 prev, uint256 target, uint256 bps) public {
        prev = bound(prev, 1e6, 1e30);
        target = bound(target, prev / 100, prev * 100);
        bps = bound(bps, 1000, 10_000);
        MockFeed f = new MockFeed(prev, T0);
        address[] memory fs = new address[](1);
        fs[0] = address(f);
        MedianOracle o = new MedianOracle(gov, fs, 1, MAX_AGE, bps, 0);
        o.poke();
        uint256 p = prev;
        for (uint256 i = 1; i <= 300 && p != target; ++i) {
            vm.warp(T0 + i);
            f.set(target, T0 + i);
            o.poke();
            uint256 before = p;
            (p,) = o.peek();
            // Monotone toward the target.
            if (target > before) assertGt(p, before);
            if (target < before) assertLt(p, before);
        }
        assertEq(p, target, "converged");
    }

    /// @notice OSM delay: with hop > 0 each poke makes the previous queued value current.
    function testFuzz_Poke_HopShiftsQueuedValue(uint256 hop, uint256[4] memory prices) public {
        hop = bound(hop, 1, 1 days);
        MockFeed f = new MockFeed(1e18, T0);
        address[] memory fs = new address[](1);
        fs[0] = address(f);
        MedianOracle o = new MedianOracle(gov, fs, 1, 7 days, 10_000, hop);
        uint256 queued;
        for (uint256 i; i < 4; ++i) {
            uint256 price = bound(prices[i], 1, MAX_PRICE);
            if (queued != 0) price = bound(price, queued / 2 + 1, queued * 2 > MAX_PRICE ? MAX_PRICE : queued * 2);
            vm.warp(o.readyAt() > block.timestamp ? o.readyAt() : block.timestamp);
            f.set(price, block.timestamp);
            (uint256 cur, uint256 nxt) = o.poke();
            assertEq(cur, queued, "current is the value queued one hop ago");
            assertEq(nxt, price, "new value queued");
            assertEq(o.lastPokeAt() % hop, 0, "epoch floored to hop");
            queued = price;
        }
    }

    /// @notice Validity window: a poked price is valid exactly until lastPoke + hop + maxAge.
    function testFuzz_Peek_ValidUntilHopPlusMaxAge(uint256 maxAge, uint256 dt) public {
        maxAge = bound(maxAge, 60, 7 days);
        dt = bound(dt, 0, 14 days);
        MockFeed f = new MockFeed(1e18, T0);
        address[] memory fs = new address[](1);
        fs[0] = address(f);
        MedianOracle o = new MedianOracle(gov, fs, 1, maxAge, 1000, 0);
        o.poke();
        vm.warp(T0 + dt);
        (, bool valid) = o.peek();
        assertEq(valid, dt <= maxAge);
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
