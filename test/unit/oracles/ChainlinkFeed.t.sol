// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";
import {ChainlinkFeed} from "../../../contracts/src/oracles/ChainlinkFeed.sol";
import {MockAggregatorV3} from "../../utils/oracles/MockAggregatorV3.sol";
import {Test} from "forge-std/Test.sol";

contract ChainlinkFeedTest is Test {
    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant HEARTBEAT = 1 hours + 5 minutes;

    MockAggregatorV3 internal agg;
    ChainlinkFeed internal feed;

    function setUp() public {
        vm.warp(T0);
        agg = new MockAggregatorV3(8);
        agg.setAnswer(2000e8);
        feed = new ChainlinkFeed(address(agg), HEARTBEAT);
    }

    function _feedWith(uint8 decimals, int256 answer) internal returns (ChainlinkFeed f) {
        MockAggregatorV3 a = new MockAggregatorV3(decimals);
        a.setAnswer(answer);
        f = new ChainlinkFeed(address(a), HEARTBEAT);
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_SetsParameters() public view {
        assertEq(address(feed.aggregator()), address(agg));
        assertEq(feed.decimals(), 8);
        assertEq(feed.maxAgeSeconds(), HEARTBEAT);
    }

    function test_Constructor_RevertWhen_ZeroAddress() public {
        vm.expectRevert(ChainlinkFeed.ZeroAddress.selector);
        new ChainlinkFeed(address(0), HEARTBEAT);
    }

    function test_Constructor_RevertWhen_NotContract() public {
        address eoa = makeAddr("eoa");
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.NotContract.selector, eoa));
        new ChainlinkFeed(eoa, HEARTBEAT);
    }

    function test_Constructor_RevertWhen_DecimalsAboveMax() public {
        MockAggregatorV3 a = new MockAggregatorV3(37);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.UnsupportedDecimals.selector, 37, 36));
        new ChainlinkFeed(address(a), HEARTBEAT);
    }

    function test_Constructor_RevertWhen_MaxAgeBelowMin() public {
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.MaxAgeOutOfRange.selector, 59, 60, 7 days));
        new ChainlinkFeed(address(agg), 59);
    }

    function test_Constructor_RevertWhen_MaxAgeAboveMax() public {
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.MaxAgeOutOfRange.selector, 7 days + 1, 60, 7 days));
        new ChainlinkFeed(address(agg), 7 days + 1);
    }

    /*//////////////////////////////////////////////////////////////
                          READ: NORMALIZATION
    //////////////////////////////////////////////////////////////*/

    function test_Read_EightDecimals() public view {
        (uint256 p, uint256 t) = feed.read();
        assertEq(p, 2000e18);
        assertEq(t, T0);
    }

    function test_Read_SixDecimals() public {
        (uint256 p,) = _feedWith(6, 1.000123e6).read();
        assertEq(p, 1.000123e18);
    }

    function test_Read_EighteenDecimals() public {
        (uint256 p,) = _feedWith(18, 1234.5e18).read();
        assertEq(p, 1234.5e18);
    }

    function test_Read_ZeroDecimals() public {
        (uint256 p,) = _feedWith(0, 7).read();
        assertEq(p, 7e18);
    }

    function test_Read_MoreThanEighteenDecimalsRoundsDown() public {
        (uint256 p,) = _feedWith(24, 1_999_999).read(); // 1.999999e-18 -> 1 wei
        assertEq(p, 1);
        (p,) = _feedWith(36, 2000e36).read();
        assertEq(p, 2000e18);
    }

    /*//////////////////////////////////////////////////////////////
                             READ: REVERTS
    //////////////////////////////////////////////////////////////*/

    function test_Read_RevertWhen_IncompleteRound() public {
        agg.setRound(7, 2000e8, T0, 0, 7);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.IncompleteRound.selector, uint80(7)));
        feed.read();
    }

    function test_Read_RevertWhen_AnsweredInEarlierRound() public {
        agg.setRound(7, 2000e8, T0, T0, 6);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.StaleRound.selector, uint80(7), uint80(6)));
        feed.read();
    }

    function test_Read_RevertWhen_NegativeAnswer() public {
        agg.setAnswer(-1);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.NegativeAnswer.selector, int256(-1)));
        feed.read();
    }

    function test_Read_RevertWhen_ZeroAnswer() public {
        agg.setAnswer(0);
        vm.expectRevert(ChainlinkFeed.ZeroAnswer.selector);
        feed.read();
    }

    function test_Read_RevertWhen_FutureAnswer() public {
        agg.setRound(8, 2000e8, T0, T0 + 1, 8);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.FutureAnswer.selector, T0 + 1, T0));
        feed.read();
    }

    function test_Read_RevertWhen_StaleAnswer() public {
        vm.warp(T0 + HEARTBEAT + 1);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.StaleAnswer.selector, T0, HEARTBEAT));
        feed.read();
    }

    function test_Read_AnswerExactlyMaxAgeOldIsAccepted() public {
        vm.warp(T0 + HEARTBEAT);
        (uint256 p,) = feed.read();
        assertEq(p, 2000e18);
    }

    function test_Read_RevertWhen_NormalizesToZero() public {
        ChainlinkFeed f = _feedWith(24, 999_999);
        vm.expectRevert(IFeed.ZeroPrice.selector);
        f.read();
    }

    function test_Read_RevertWhen_AnswerTooLarge() public {
        int256 answer = int256(uint256(type(uint128).max / 1e10) + 1);
        ChainlinkFeed f = _feedWith(8, answer);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkFeed.AnswerTooLarge.selector, uint256(answer)));
        f.read();
    }

    function test_Read_RevertWhen_PriceOverflowAfterScalingDown() public {
        int256 answer = type(int256).max;
        ChainlinkFeed f = _feedWith(20, answer);
        vm.expectRevert(abi.encodeWithSelector(IFeed.PriceOverflow.selector, uint256(answer) / 100));
        f.read();
    }

    function test_Normalize_IsPublicAndMatchesRead() public view {
        assertEq(feed.normalize(123e8), 123e18);
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
