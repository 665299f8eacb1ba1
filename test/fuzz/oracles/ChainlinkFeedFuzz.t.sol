// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";
import {ChainlinkFeed} from "../../../contracts/src/oracles/ChainlinkFeed.sol";
import {MockAggregatorV3} from "../../utils/oracles/MockAggregatorV3.sol";
import {Test} from "forge-std/Test.sol";

contract ChainlinkFeedFuzzTest is Test {
    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant HEARTBEAT = 1 hours;

    function setUp() public {
        vm.warp(T0);
    }

    function _feed(uint8 decimals, int256 answer) internal returns (ChainlinkFeed f, MockAggregatorV3 a) {
        a = new MockAggregatorV3(decimals);
        a.setAnswer(answer);
        f = new ChainlinkFeed(address(a), HEARTBEAT);
    }

    /// @notice Any decimals 0..36 and any positive answer: WAD = answer scaled by 10^(18 - d) (exact) or
    /// divided by 10^(d - 18) (rounded down), or the named revert when it is 0 or above 2^128 - 1.
    function testFuzz_Read_NormalizesAnyDecimals(uint256 decimals, uint256 answer) public {
        decimals = bound(decimals, 0, 36);
        answer = bound(answer, 1, uint256(type(int256).max));
        (ChainlinkFeed f,) = _feed(uint8(decimals), int256(answer));
        if (decimals <= 18) {
            uint256 scale = 10 ** (18 - decimals);
            if (answer > type(uint128).max / scale) {
                vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.AnswerTooLarge.selector, answer));
                f.read();
                return;
            }
            (uint256 p,) = f.read();
            assertEq(p, answer * scale);
        } else {
            uint256 expected = answer / 10 ** (decimals - 18);
            if (expected == 0) {
                vm.expectRevert(IFeed.ZeroPrice.selector);
                f.read();
            } else if (expected > type(uint128).max) {
                vm.expectRevert(abi.encodeWithSelector(IFeed.PriceOverflow.selector, expected));
                f.read();
            } else {
                (uint256 p,) = f.read();
                assertEq(p, expected);
            }
        }
    }

    /// @notice The usual decimals (6, 8, 18): a price of `units / 10^d` whole quote is `units * 10^(18-d)`
    /// WAD, and the same economic price reads the same whatever the aggregator's decimals.
    function testFuzz_Read_SixEightEighteenDecimalsAgree(uint256 cents) public {
        cents = bound(cents, 1, 1e22); // up to 1e20 quote per token, at 0.01 resolution
        (ChainlinkFeed f6,) = _feed(6, int256(cents * 1e4));
        (ChainlinkFeed f8,) = _feed(8, int256(cents * 1e6));
        (ChainlinkFeed f18,) = _feed(18, int256(cents * 1e16));
        (uint256 p6,) = f6.read();
        (uint256 p8,) = f8.read();
        (uint256 p18,) = f18.read();
        assertEq(p6, cents * 1e16);
        assertEq(p8, p6);
        assertEq(p18, p6);
    }

    /// @notice An answer is accepted while at most `maxAgeSeconds` old and rejected after.
    function testFuzz_Read_StalenessBound(uint256 age) public {
        age = bound(age, 0, 30 days);
        (ChainlinkFeed f,) = _feed(8, 2000e8);
        vm.warp(T0 + age);
        if (age > HEARTBEAT) {
            vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.StaleAnswer.selector, T0, HEARTBEAT));
            f.read();
        } else {
            (uint256 p, uint256 t) = f.read();
            assertEq(p, 2000e18);
            assertEq(t, T0);
        }
    }

    /// @notice Every negative answer is rejected with its value.
    function testFuzz_Read_RejectsNegative(int256 answer) public {
        answer = bound(answer, type(int256).min, -1);
        (ChainlinkFeed f,) = _feed(8, answer);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.NegativeAnswer.selector, answer));
        f.read();
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
