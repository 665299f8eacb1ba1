// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(block-timestamp) -- test code: warps.

import {MedianOracle} from "../../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../../contracts/src/oracles/PushedFeed.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Issue 12 item 3, the attack as the review ran it: the shipped oracle config (3 feeds,
/// quorum 2, 300 s staleness, 10% max change per poke, ETH at 2,000), one feed late, one feed
/// dishonest. With an even fresh count the old median was the mean of the two middle values, so the
/// dishonest feed set the mark: 2,000 → 5,187 in ten blocks (or down to 1,000). The rule now: with an
/// even fresh count the median is the middle value nearest the previous mark (or the previous mark
/// itself when it lies between them), so one dishonest feed can slow the mark, never push it.
contract MedianOracleOneBadFeedTest is Test {
    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant BLOCK = 12;

    address internal gov = makeAddr("gov");
    address internal honestReporter = makeAddr("honestReporter");
    address internal lateReporter = makeAddr("lateReporter");
    address internal rogueReporter = makeAddr("rogueReporter");

    PushedFeed internal honestFeed;
    PushedFeed internal lateFeed;
    PushedFeed internal rogueFeed;
    MedianOracle internal oracle;

    uint256 internal quorum;
    uint256 internal maxAge;
    uint256 internal maxChangeBps;
    uint256 internal startPrice;

    function setUp() public {
        vm.warp(T0);
        // The shipped config's numbers (ETH-A of contracts/config/local.json; demo.json matches).
        string memory cfg = vm.readFile(string.concat(vm.projectRoot(), "/contracts/config/local.json"));
        quorum = vm.parseUint(vm.parseJsonString(cfg, ".ilks[0].oracle.quorum"));
        maxAge = vm.parseUint(vm.parseJsonString(cfg, ".ilks[0].oracle.maxAgeSeconds"));
        maxChangeBps = vm.parseUint(vm.parseJsonString(cfg, ".ilks[0].oracle.maxChangeBps"));
        uint256 hop = vm.parseUint(vm.parseJsonString(cfg, ".ilks[0].oracle.hopSeconds"));
        startPrice = vm.parseUint(vm.parseJsonString(cfg, ".ilks[0].seed.price"));
        assertEq(vm.parseJsonKeys(cfg, ".ilks[0].oracle.feeds[2]").length, 2, "shipped: a third feed");
        assertFalse(vm.keyExistsJson(cfg, ".ilks[0].oracle.feeds[3]"), "shipped: no fourth feed");
        assertEq(quorum, 2, "shipped: quorum 2");

        honestFeed = new PushedFeed(gov, honestReporter);
        lateFeed = new PushedFeed(gov, lateReporter);
        rogueFeed = new PushedFeed(gov, rogueReporter);
        address[] memory feeds = new address[](3);
        (feeds[0], feeds[1], feeds[2]) = (address(honestFeed), address(lateFeed), address(rogueFeed));
        oracle = new MedianOracle(gov, feeds, quorum, maxAge, maxChangeBps, hop);

        _push(honestFeed, honestReporter, startPrice);
        _push(lateFeed, lateReporter, startPrice);
        _push(rogueFeed, rogueReporter, startPrice);
        oracle.poke();
        // The late feed stops reporting; after `maxAge` only the honest and the rogue feed are fresh.
        vm.warp(block.timestamp + maxAge + 1);
    }

    function _push(PushedFeed feed, address reporter, uint256 price) internal {
        vm.prank(reporter);
        feed.push(price);
    }

    /// @dev Ten blocks: the honest feed reports `honest`, the rogue feed `rogue`, and anyone pokes.
    function _tenBlocks(uint256 honest, uint256 rogue) internal returns (uint256 mark) {
        for (uint256 i; i < 10; ++i) {
            vm.warp(block.timestamp + BLOCK);
            _push(honestFeed, honestReporter, honest);
            _push(rogueFeed, rogueReporter, rogue);
            (, uint256 fresh,) = oracle.compute();
            assertEq(fresh, 2, "two fresh feeds: an even count");
            (mark,) = oracle.poke();
        }
    }

    function test_Attack_OneRogueFeedCannotWalkTheMarkUp() public {
        uint256 mark = _tenBlocks(startPrice, type(uint128).max);
        // Before the fix: 2,000 × 1.1^10 ≈ 5,187 (every vault borrows 2.6× its real collateral).
        assertEq(mark, startPrice, "the mark stays at the honest price");
    }

    function test_Attack_OneRogueFeedCannotWalkTheMarkDown() public {
        uint256 mark = _tenBlocks(startPrice, 1);
        // Before the fix: down by 10% a poke to 1,000 (the mean of 2,000 and ~0).
        assertEq(mark, startPrice, "the mark stays at the honest price");
    }

    /// @notice The rogue feed cannot push the mark against a genuine move either: the mark follows the
    /// honest feed, at most as slowly as the rogue report allows, never past the honest value and never
    /// away from it. Holding the mark is the most one feed of two can do.
    function test_Attack_OneRogueFeedCanOnlyHoldOrSlowAGenuineMove() public {
        uint256 honest = startPrice * 95 / 100; // 1,900
        // Rogue below the honest value: the mark follows the honest fall in full, and stops there.
        assertEq(_tenBlocks(honest, 1), honest, "down-lie: stops at the honest value");
        // Rogue above the previous mark while the market falls on: the mark holds.
        uint256 lower = honest * 95 / 100; // 1,805
        assertEq(_tenBlocks(lower, type(uint128).max), honest, "up-lie: held, never pushed up");
        // Rogue between the mark and the honest value: the mark moves to the rogue value, toward honest.
        uint256 between = (honest + lower) / 2;
        assertEq(_tenBlocks(lower, between), between, "slowed: between the mark and the honest value");
        // Rogue stops lying: the mark reaches the honest value.
        assertEq(_tenBlocks(lower, 1), lower, "then follows the honest value");
    }
}
