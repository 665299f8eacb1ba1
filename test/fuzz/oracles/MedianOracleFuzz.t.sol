// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IMedianOracle} from "../../../contracts/src/interfaces/IMedianOracle.sol";
import {MedianOracle} from "../../../contracts/src/oracles/MedianOracle.sol";
import {MirrorFeed, MockFeed} from "../../utils/oracles/MockFeed.sol";
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
        // No previous mark: the lower of the two middle values.
        return v[n / 2 - 1];
    }

    /// @dev `f` and two mirrors of it: three distinct feeds reporting one value (`MIN_FEEDS`).
    function _mirrored(MockFeed f) internal returns (address[] memory fs) {
        fs = new address[](3);
        fs[0] = address(f);
        fs[1] = address(new MirrorFeed(f));
        fs[2] = address(new MirrorFeed(f));
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
        n = bound(n, 3, 16);
        maxValue = bound(maxValue, 1, MAX_PRICE);
        staleMask = bound(staleMask, 0, (1 << n) - 1);
        quorum = bound(quorum, n / 2 + 1, n);
        (address[] memory fs, uint256[] memory fresh, uint256 mask) = _feeds(n, seed, maxValue, staleMask);
        MedianOracle o = new MedianOracle(gov, fs, quorum, MAX_AGE, 10_000, 0);

        uint256 required = quorum < 3 ? 3 : quorum; // the first value ever needs MIN_FEEDS fresh
        if (fresh.length < required) {
            vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMet.selector, fresh.length, required));
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
        address[] memory fs = _mirrored(f);
        MedianOracle o = new MedianOracle(gov, fs, 2, MAX_AGE, bps, 0);
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
        address[] memory fs = _mirrored(f);
        MedianOracle o = new MedianOracle(gov, fs, 2, MAX_AGE, bps, 0);
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
        address[] memory fs = _mirrored(f);
        MedianOracle o = new MedianOracle(gov, fs, 2, 7 days, 10_000, hop);
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
        address[] memory fs = _mirrored(f);
        MedianOracle o = new MedianOracle(gov, fs, 2, maxAge, 1000, 0);
        o.poke();
        vm.warp(T0 + dt);
        (, bool valid) = o.peek();
        assertEq(valid, dt <= maxAge);
    }

    /*//////////////////////////////////////////////////////////////
                 ONE FEED CANNOT MOVE THE MARK (ISSUE 12)
    //////////////////////////////////////////////////////////////*/

    struct _Round {
        uint256 center;
        uint256 spreadBps;
        uint256 liar;
        uint256 lie;
        uint256 staleMask;
        uint256 seed;
        uint256 lo;
        uint256 hi;
        uint256 fresh;
    }

    /// @dev Sets round 2's reports; records the honest fresh range and the fresh count in `r`.
    function _report(MockFeed[] memory feeds, _Round memory r) internal {
        for (uint256 i; i < feeds.length; ++i) {
            if (i == r.liar) {
                feeds[i].set(r.lie, block.timestamp);
                if (r.lie != 0) ++r.fresh;
                continue;
            }
            if ((r.staleMask >> i) & 1 == 1) continue; // still stamped T0: stale now
            uint256 dev = bound(uint256(keccak256(abi.encode(r.seed, i))), 0, r.center * r.spreadBps / 10_000);
            uint256 v = uint256(keccak256(abi.encode(r.seed, i, "side"))) % 2 == 0 ? r.center + dev : r.center - dev;
            if (r.seed % 4 == 0) v = r.center;
            feeds[i].set(v, block.timestamp);
            ++r.fresh;
            if (v < r.lo) r.lo = v;
            if (v > r.hi) r.hi = v;
        }
    }

    /// @notice For every feed count and quorum the setters accept (3–16 feeds, quorum a strict
    /// majority), with any one feed adversarial (any value, fresh or not) and the others honest within a
    /// spread (some of them possibly stale): the median a poke computes lies within the honest fresh
    /// values when three or more feeds are fresh, and between the previous mark and the honest values
    /// when two are (the liar can hold or slow the mark, never push it); the accepted mark, after the
    /// clamp, lies between the previous mark and the honest values; when every honest report equals the
    /// previous mark, the mark does not move.
    function testFuzz_Poke_OneAdversarialFeedCannotPushTheMark(
        uint256 n,
        uint256 quorum,
        uint256 seed,
        uint256 prevPrice,
        uint256 center,
        uint256 spreadBps,
        uint256 liar,
        uint256 lie,
        uint256 staleMask
    ) public {
        n = bound(n, 3, 16);
        quorum = bound(quorum, n / 2 + 1, n);
        prevPrice = bound(prevPrice, 1e6, 1e30);
        center = bound(center, 1e6, 1e30);
        spreadBps = bound(spreadBps, 0, 2000);
        liar = bound(liar, 0, n - 1);
        lie = bound(lie, 0, MAX_PRICE);
        staleMask = bound(staleMask, 0, (1 << n) - 1) & ~(uint256(1) << liar);
        if (seed % 4 == 0) center = prevPrice; // often: an honest market that did not move
        _oneLiar(n, quorum, prevPrice, _Round(center, spreadBps, liar, lie, staleMask, seed, type(uint256).max, 0, 0));
    }

    function _oneLiar(uint256 n, uint256 quorum, uint256 prevPrice, _Round memory r) internal {
        // Round 1: every feed honest at `prevPrice`, the first mark.
        MockFeed[] memory feeds = new MockFeed[](n);
        address[] memory fs = new address[](n);
        for (uint256 i; i < n; ++i) {
            feeds[i] = new MockFeed(prevPrice, T0);
            fs[i] = address(feeds[i]);
        }
        MedianOracle o = new MedianOracle(gov, fs, quorum, MAX_AGE, 10_000, 0);
        o.poke();

        // Round 2: honest feeds within `spreadBps` of `center` (stale ones keep an old stamp), one liar.
        vm.warp(T0 + MAX_AGE + 1);
        _report(feeds, r);
        if (r.fresh < quorum) {
            vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMet.selector, r.fresh, quorum));
            o.poke();
            return;
        }
        (uint256 median,,) = o.compute();
        (uint256 mark,) = o.poke();
        if (r.fresh >= 3) {
            assertGe(median, r.lo, "median below every honest report");
            assertLe(median, r.hi, "median above every honest report");
        } else {
            assertGe(median, _min(prevPrice, r.lo), "median pushed below the mark and the honest reports");
            assertLe(median, _max(prevPrice, r.hi), "median pushed above the mark and the honest reports");
        }
        assertGe(mark, _min(prevPrice, r.lo), "mark pushed below the mark and the honest reports");
        assertLe(mark, _max(prevPrice, r.hi), "mark pushed above the mark and the honest reports");
        if (r.lo == prevPrice && r.hi == prevPrice) assertEq(mark, prevPrice, "honest market still: mark moved");
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
