// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CircuitBreaker} from "../../contracts/src/CircuitBreaker.sol";
import {MedianOracle} from "../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../contracts/src/oracles/PushedFeed.sol";
import {LiquidationBaseTest} from "./LiquidationBaseTest.sol";
import {MirrorFeed} from "./oracles/MockFeed.sol";

/// @notice The liquidation fixture plus an armed circuit breaker over every house: each house is
/// registered with its own MedianOracle over one pushed price (three feeds) (10% trip tolerance), and more than 1,000 of new
/// uncovered bad debt in an hour pauses every house at level 3 (no takes), the strictest setting.
abstract contract BreakerBaseTest is LiquidationBaseTest {
    uint256 internal constant MAX_BAD_DEBT = 1000e18;
    uint256 internal constant BAD_DEBT_WINDOW = 1 hours;
    uint8 internal constant PAUSE_LEVEL = 3;

    CircuitBreaker internal breaker;
    mapping(bytes32 => PushedFeed) internal breakerFeed;
    mapping(bytes32 => MedianOracle) internal breakerOracle;

    function setUp() public virtual override {
        super.setUp();
        breaker = new CircuitBreaker(gov, engine, 1 hours, MAX_BAD_DEBT, BAD_DEBT_WINDOW, PAUSE_LEVEL);
        vm.label(address(breaker), "CircuitBreaker");
        uint256[3] memory prices = [uint256(1e18), 60_000e18, 2000e18];
        for (uint256 i; i < 3; ++i) {
            bytes32 id = allIlks[i];
            breakerFeed[id] = new PushedFeed(gov, address(this));
            breakerFeed[id].push(prices[i]);
            // An oracle needs three feeds: the pushed one and two mirrors of it (one price, one knob).
            address[] memory feeds = new address[](3);
            feeds[0] = address(breakerFeed[id]);
            feeds[1] = address(new MirrorFeed(breakerFeed[id]));
            feeds[2] = address(new MirrorFeed(breakerFeed[id]));
            breakerOracle[id] = new MedianOracle(gov, feeds, 2, 1 hours, 2000, 0);
            breakerOracle[id].poke();
            vm.startPrank(gov);
            house[id].grantRoles(address(breaker), house[id].BREAKER());
            breaker.setHouse(house[id], breakerOracle[id], 1000);
            vm.stopPrank();
        }
    }

    /// @dev Every house's breaker level, to assert none moved.
    function _assertNoHousePaused() internal view {
        for (uint256 i; i < 3; ++i) {
            assertEq(house[allIlks[i]].breakerLevel(), 0, "no house paused");
        }
    }
}
