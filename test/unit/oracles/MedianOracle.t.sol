// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";
import {IMedianOracle} from "../../../contracts/src/interfaces/IMedianOracle.sol";
import {ChainlinkFeed} from "../../../contracts/src/oracles/ChainlinkFeed.sol";
import {MedianOracle} from "../../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../../contracts/src/oracles/PushedFeed.sol";
import {UniswapV2TwapFeed} from "../../../contracts/src/oracles/UniswapV2TwapFeed.sol";
import {MockAggregatorV3} from "../../utils/oracles/MockAggregatorV3.sol";
import {GasGuzzlerFeed, MockFeed, ReturnBombFeed, ShortReturnFeed} from "../../utils/oracles/MockFeed.sol";
import {MockDecimalsToken, MockUniswapV2Pair} from "../../utils/oracles/MockUniswapV2Pair.sol";
import {Test} from "forge-std/Test.sol";
import {Ownable} from "solady/auth/Ownable.sol";

contract MedianOracleTest is Test {
    event FeedsSet(address[] feeds, uint256 quorum);
    event QuorumSet(uint256 quorum);
    event MaxAgeSet(uint256 maxAgeSeconds);
    event MaxChangeSet(uint256 maxChangeBps);
    event HopSet(uint256 hop);
    event MarkPriceUpdated(uint256 currentWad, uint256 nextWad, uint256 medianWad, uint256 freshMask, bool clamped);

    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant MAX_AGE = 1 hours;
    uint256 internal constant MAX_CHANGE_BPS = 1000; // 10%

    address internal gov = makeAddr("gov");
    MockFeed internal f1;
    MockFeed internal f2;
    MockFeed internal f3;
    MedianOracle internal oracle;

    function setUp() public {
        vm.warp(T0);
        f1 = new MockFeed(2000e18, T0);
        f2 = new MockFeed(2010e18, T0);
        f3 = new MockFeed(1990e18, T0);
        oracle = new MedianOracle(gov, _list(address(f1), address(f2), address(f3)), 2, MAX_AGE, MAX_CHANGE_BPS, 0);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _list(address a, address b, address c) internal pure returns (address[] memory l) {
        l = new address[](3);
        (l[0], l[1], l[2]) = (a, b, c);
    }

    function _one(address a) internal pure returns (address[] memory l) {
        l = new address[](1);
        l[0] = a;
    }

    function _newOracle(address[] memory feeds_, uint256 quorum_, uint256 hop_) internal returns (MedianOracle) {
        return new MedianOracle(gov, feeds_, quorum_, MAX_AGE, MAX_CHANGE_BPS, hop_);
    }

    /// @dev The first value ever needs `MIN_FEEDS` fresh feeds: poke once with all three, then move one
    /// second on with every feed re-stamped (same prices), ready for a test that skips some.
    function _firstPoke() internal {
        oracle.poke();
        vm.warp(T0 + 1);
        f1.set(2000e18, T0 + 1);
        f2.set(2010e18, T0 + 1);
        f3.set(1990e18, T0 + 1);
    }

    function _four(address a, address b, address c, address d) internal pure returns (address[] memory l) {
        l = new address[](4);
        (l[0], l[1], l[2], l[3]) = (a, b, c, d);
    }

    function _setAll(uint256 p1, uint256 p2, uint256 p3) internal {
        f1.set(p1, block.timestamp);
        f2.set(p2, block.timestamp);
        f3.set(p3, block.timestamp);
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_SetsParameters() public view {
        assertEq(oracle.owner(), gov);
        address[] memory fs = oracle.feeds();
        assertEq(fs.length, 3);
        assertEq(fs[0], address(f1));
        assertEq(fs[2], address(f3));
        assertEq(oracle.quorum(), 2);
        assertEq(oracle.maxAgeSeconds(), MAX_AGE);
        assertEq(oracle.maxChangeBps(), MAX_CHANGE_BPS);
        assertEq(oracle.hop(), 0);
        assertEq(oracle.lastPokeAt(), 0);
        assertEq(oracle.readyAt(), 1);
    }

    function test_Constructor_EmitsSetterEvents() public {
        address[] memory fs = _list(address(f1), address(f2), address(f3));
        vm.expectEmit(false, false, false, true);
        emit FeedsSet(fs, 3);
        vm.expectEmit(false, false, false, true);
        emit MaxAgeSet(600);
        vm.expectEmit(false, false, false, true);
        emit MaxChangeSet(500);
        vm.expectEmit(false, false, false, true);
        emit HopSet(3600);
        new MedianOracle(gov, fs, 3, 600, 500, 3600);
    }

    function test_Constructor_RevertWhen_ZeroOwner() public {
        vm.expectRevert(IMedianOracle.ZeroAddress.selector);
        new MedianOracle(address(0), _one(address(f1)), 1, MAX_AGE, MAX_CHANGE_BPS, 0);
    }

    function test_Constructor_RevertWhen_ParameterOutOfRange() public {
        address[] memory fs = _list(address(f1), address(f2), address(f3));
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.MaxAgeOutOfRange.selector, 59, 60, 7 days));
        new MedianOracle(gov, fs, 2, 59, MAX_CHANGE_BPS, 0);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.MaxChangeOutOfRange.selector, 0, 10, 10_000));
        new MedianOracle(gov, fs, 2, MAX_AGE, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.HopOutOfRange.selector, 1 days + 1, 1 days));
        new MedianOracle(gov, fs, 2, MAX_AGE, MAX_CHANGE_BPS, 1 days + 1);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumOutOfRange.selector, 4, 3));
        new MedianOracle(gov, fs, 4, MAX_AGE, MAX_CHANGE_BPS, 0);
    }

    /// @notice One or two feeds: one feed decides the mark (alone, or as one of two), whatever the quorum.
    function test_Constructor_RevertWhen_TooFewFeeds() public {
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.TooFewFeeds.selector, 1, 3));
        new MedianOracle(gov, _one(address(f1)), 1, MAX_AGE, MAX_CHANGE_BPS, 0);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.TooFewFeeds.selector, 2, 3));
        new MedianOracle(gov, _twoFeeds(), 2, MAX_AGE, MAX_CHANGE_BPS, 0);
    }

    /// @notice A quorum that is not a strict majority: with 3 feeds and quorum 1, one fresh feed alone
    /// would set the mark; with 4 feeds and quorum 2, two feeds out of four could.
    function test_Constructor_RevertWhen_QuorumNotMajority() public {
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMajority.selector, 1, 3));
        new MedianOracle(gov, _list(address(f1), address(f2), address(f3)), 1, MAX_AGE, MAX_CHANGE_BPS, 0);
        MockFeed f4 = new MockFeed(2000e18, T0);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMajority.selector, 2, 4));
        new MedianOracle(gov, _four(address(f1), address(f2), address(f3), address(f4)), 2, MAX_AGE, MAX_CHANGE_BPS, 0);
    }

    /*//////////////////////////////////////////////////////////////
                            POKE: MEDIAN
    //////////////////////////////////////////////////////////////*/

    function test_Poke_OddFeeds_MedianIsMiddleValue() public {
        (uint256 cur, uint256 nxt) = oracle.poke();
        assertEq(cur, 2000e18);
        assertEq(nxt, 2000e18);
        (uint256 p, bool valid) = oracle.peek();
        assertEq(p, 2000e18);
        assertTrue(valid);
        assertEq(oracle.lastPokeAt(), T0);
    }

    function test_Poke_EvenFeeds_FirstValueIsLowerMiddle() public {
        MockFeed f4 = new MockFeed(5, T0);
        f1.set(1, T0);
        f2.set(2, T0);
        f3.set(3, T0);
        address[] memory fs = new address[](4);
        (fs[0], fs[1], fs[2], fs[3]) = (address(f4), address(f2), address(f1), address(f3));
        MedianOracle o = _newOracle(fs, 4, 0);
        o.poke();
        (uint256 p,) = o.peek();
        assertEq(p, 2, "no previous mark: the lower of the middle values 2 and 3");
    }

    /// @notice Even fresh count: of the two middle values, the one nearest the previous mark, or the
    /// previous mark itself when it lies between them (a mean would let one of two feeds decide).
    function test_Poke_EvenFeeds_MiddleValueNearestPreviousMark() public {
        _firstPoke(); // 2000
        f3.set(1990e18, T0 - MAX_AGE); // f3 stale from now on: two fresh feeds
        _setTwo(2100e18, 2050e18);
        (uint256 p,) = oracle.poke();
        assertEq(p, 2050e18, "both above 2000: the nearer one");
        vm.warp(block.timestamp + 1);
        _setTwo(1900e18, 2100e18);
        (p,) = oracle.poke();
        assertEq(p, 2050e18, "2050 lies between 1900 and 2100: held");
        vm.warp(block.timestamp + 1);
        _setTwo(1900e18, 1950e18);
        (p,) = oracle.poke();
        assertEq(p, 1950e18, "both below 2050: the nearer one");
    }

    function _setTwo(uint256 p1, uint256 p2) internal {
        f1.set(p1, block.timestamp);
        f2.set(p2, block.timestamp);
    }

    /// @notice The first value ever needs three fresh feeds, whatever the quorum: with two, one of them
    /// would set it with nothing to lean on.
    function test_Poke_RevertWhen_FirstValueHasTwoFreshFeeds() public {
        f3.setRevert(true);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMet.selector, 2, 3));
        oracle.poke();
        (uint256 m, uint256 n,) = oracle.compute();
        assertEq(m, 0);
        assertEq(n, 2);
    }

    function test_Poke_EvenFeeds_LargeValuesDoNotOverflow() public {
        uint256 max = type(uint128).max;
        f1.set(max, T0);
        f2.set(max - 1, T0);
        f3.set(max - 2, T0);
        MockFeed f4 = new MockFeed(max - 3, T0);
        MedianOracle o = _newOracle(_four(address(f1), address(f2), address(f3), address(f4)), 4, 0);
        o.poke();
        (uint256 p,) = o.peek();
        assertEq(p, max - 2);
    }

    function _twoFeeds() internal view returns (address[] memory l) {
        l = new address[](2);
        (l[0], l[1]) = (address(f1), address(f2));
    }

    function test_Poke_EmitsMarkPriceUpdated() public {
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0x7, false);
        oracle.poke();
    }

    function test_Poke_IsPermissionless() public {
        vm.prank(makeAddr("anyone"));
        oracle.poke();
        (uint256 p,) = oracle.peek();
        assertEq(p, 2000e18);
    }

    /*//////////////////////////////////////////////////////////////
                        POKE: FRESHNESS AND SKIPS
    //////////////////////////////////////////////////////////////*/

    function test_Poke_SkipsStaleFeed() public {
        _firstPoke();
        f2.set(1e18, T0 - MAX_AGE);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0x5, false);
        oracle.poke();
    }

    function test_Poke_FeedExactlyMaxAgeOldIsFresh() public {
        f1.set(2000e18, T0 - MAX_AGE);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0x7, false);
        oracle.poke();
    }

    function test_Poke_SkipsZeroPriceFeed() public {
        _firstPoke();
        f3.set(0, T0 + 1);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0x3, false);
        oracle.poke();
    }

    function test_Poke_SkipsRevertingFeed() public {
        _firstPoke();
        f1.setRevert(true);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0x6, false);
        oracle.poke();
    }

    function test_Poke_SkipsFutureTimestampFeed() public {
        _firstPoke();
        f2.set(1e18, T0 + 2);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0x5, false);
        oracle.poke();
    }

    function test_Poke_SkipsPriceAboveMax() public {
        _firstPoke();
        f2.set(uint256(type(uint128).max) + 1, T0 + 1);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0x5, false);
        oracle.poke();
    }

    function test_Poke_SkipsMalformedReturnData() public {
        ShortReturnFeed bad = new ShortReturnFeed();
        MedianOracle o = _newOracle(_four(address(f1), address(bad), address(f2), address(f3)), 3, 0);
        vm.expectEmit(address(o));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0xd, false);
        o.poke();
    }

    function test_Poke_SkipsFeedThatExhaustsItsGas() public {
        GasGuzzlerFeed bad = new GasGuzzlerFeed();
        MedianOracle o = _newOracle(_four(address(f1), address(bad), address(f2), address(f3)), 3, 0);
        vm.expectEmit(address(o));
        emit MarkPriceUpdated(2000e18, 2000e18, 2000e18, 0xd, false);
        o.poke{gas: 1_000_000}();
    }

    function test_Poke_ReturnBombCopiesOnly64Bytes() public {
        ReturnBombFeed bomb = new ReturnBombFeed(2020e18);
        MedianOracle o = _newOracle(_list(address(f1), address(bomb), address(f3)), 3, 0);
        uint256 g = gasleft();
        o.poke();
        g -= gasleft();
        (uint256 p,) = o.peek();
        assertEq(p, 2000e18);
        assertLt(g, 200_000, "no memory expansion for the returned data");
    }

    function test_Poke_WithRealAdapters() public {
        // Chainlink (8 decimals), Uniswap V2 TWAP (18-decimal base, 6-decimal quote), pushed feed.
        MockAggregatorV3 agg = new MockAggregatorV3(8);
        agg.setAnswer(2000e8);
        ChainlinkFeed cl = new ChainlinkFeed(address(agg), 1 hours);

        MockDecimalsToken weth = new MockDecimalsToken(18);
        MockDecimalsToken usdc = new MockDecimalsToken(6);
        MockUniswapV2Pair pair = new MockUniswapV2Pair(address(weth), address(usdc));
        if (pair.token0() == address(weth)) pair.setReserves(1000e18, 2_030_000e6);
        else pair.setReserves(2_030_000e6, 1000e18);
        UniswapV2TwapFeed twap = new UniswapV2TwapFeed(address(pair), address(weth), 10 minutes);
        vm.warp(T0 + 10 minutes);
        twap.update();
        agg.setAnswer(2000e8);

        PushedFeed pushed = new PushedFeed(gov, address(this));
        pushed.push(1990e18);

        MedianOracle o = _newOracle(_list(address(cl), address(twap), address(pushed)), 3, 0);
        o.poke();
        (uint256 p, bool valid) = o.peek();
        assertEq(p, 2000e18);
        assertTrue(valid);
    }

    /*//////////////////////////////////////////////////////////////
                            POKE: REVERTS
    //////////////////////////////////////////////////////////////*/

    function test_Poke_RevertWhen_QuorumNotMet() public {
        oracle.poke();
        vm.warp(T0 + 1);
        f1.setRevert(true);
        f2.set(0, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMet.selector, 1, 2));
        oracle.poke();
        // State unchanged.
        (uint256 p,) = oracle.peek();
        assertEq(p, 2000e18);
        assertEq(oracle.lastPokeAt(), T0);
    }

    function test_Poke_RevertWhen_AllFeedsStale() public {
        vm.warp(T0 + MAX_AGE + 1);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMet.selector, 0, 3));
        oracle.poke();
        // After a first value the quorum (2) applies.
        vm.warp(T0);
        _firstPoke();
        vm.warp(T0 + 1 + MAX_AGE + 1);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMet.selector, 0, 2));
        oracle.poke();
    }

    function test_Poke_RevertWhen_SameTimestamp() public {
        oracle.poke();
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.PokeTooEarly.selector, T0 + 1));
        oracle.poke();
        vm.warp(T0 + 1);
        oracle.poke();
    }

    function test_Poke_RevertWhen_HopNotElapsed() public {
        MedianOracle o = _newOracle(_list(address(f1), address(f2), address(f3)), 2, 1 hours);
        o.poke();
        uint256 epoch = T0 - T0 % 1 hours;
        assertEq(o.readyAt(), epoch + 1 hours);
        vm.warp(epoch + 1 hours - 1);
        _setAll(2000e18, 2010e18, 1990e18);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.PokeTooEarly.selector, epoch + 1 hours));
        o.poke();
    }

    function test_Poke_RevertWhen_InsufficientGas() public {
        uint256 required = oracle.FEED_READ_GAS_REQUIRED();
        // Enough to enter poke, not enough to give the first feed its full read gas.
        (bool ok, bytes memory ret) = address(oracle).call{gas: 60_000}(abi.encodeCall(IMedianOracle.poke, ()));
        assertFalse(ok);
        assertEq(bytes4(ret), IMedianOracle.InsufficientGas.selector);
        (, uint256 required_) = abi.decode(_stripSelector(ret), (uint256, uint256));
        assertEq(required_, required);
    }

    function _stripSelector(bytes memory ret) internal pure returns (bytes memory out) {
        out = new bytes(ret.length - 4);
        for (uint256 i; i < out.length; ++i) {
            out[i] = ret[i + 4];
        }
    }

    /*//////////////////////////////////////////////////////////////
                        POKE: MAX CHANGE (CLAMP)
    //////////////////////////////////////////////////////////////*/

    function test_Poke_FirstPokeIsNotClamped() public {
        _setAll(1e18, 1e18, 1e18);
        oracle.poke();
        (uint256 p,) = oracle.peek();
        assertEq(p, 1e18);
    }

    function test_Poke_WithinBoundNotClamped() public {
        oracle.poke();
        vm.warp(T0 + 1);
        _setAll(2200e18, 2200e18, 2200e18); // +10% exactly
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2200e18, 2200e18, 2200e18, 0x7, false);
        oracle.poke();
    }

    function test_Poke_ClampsUp() public {
        oracle.poke();
        vm.warp(T0 + 1);
        _setAll(4000e18, 4000e18, 4000e18);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(2200e18, 2200e18, 4000e18, 0x7, true);
        oracle.poke();
    }

    function test_Poke_ClampsDown() public {
        oracle.poke();
        vm.warp(T0 + 1);
        _setAll(500e18, 500e18, 500e18);
        vm.expectEmit(address(oracle));
        emit MarkPriceUpdated(1800e18, 1800e18, 500e18, 0x7, true);
        oracle.poke();
    }

    function test_Poke_ClampConvergesAfterCrash() public {
        oracle.poke();
        // A real 50% crash: each poke moves at most 10% toward it; liquidations keep flowing meanwhile.
        uint256 pokes;
        uint256 p;
        do {
            vm.warp(block.timestamp + 12);
            _setAll(1000e18, 1000e18, 1000e18);
            oracle.poke();
            (p,) = oracle.peek();
            ++pokes;
        } while (p != 1000e18);
        assertEq(pokes, 7, "0.9^6 = 0.53 > 0.5 >= 0.9^7");
    }

    /*//////////////////////////////////////////////////////////////
                            POKE: HOP (OSM)
    //////////////////////////////////////////////////////////////*/

    function test_Poke_Hop_CurrentLagsOneHop() public {
        MedianOracle o = _newOracle(_list(address(f1), address(f2), address(f3)), 2, 1 hours);
        o.poke();
        (uint256 cur, bool curValid) = o.peek();
        (uint256 nxt, bool nxtValid) = o.peep();
        assertEq(cur, 0);
        assertFalse(curValid, "no current price until the first value has waited one hop");
        assertEq(nxt, 2000e18);
        assertTrue(nxtValid);

        uint256 epoch = T0 - T0 % 1 hours;
        vm.warp(epoch + 1 hours);
        _setAll(2100e18, 2100e18, 2100e18);
        vm.expectEmit(address(o));
        emit MarkPriceUpdated(2000e18, 2100e18, 2100e18, 0x7, false);
        o.poke();
        (cur, curValid) = o.peek();
        (nxt,) = o.peep();
        assertEq(cur, 2000e18);
        assertTrue(curValid);
        assertEq(nxt, 2100e18);
        assertEq(o.lastPokeAt(), epoch + 1 hours);
    }

    function test_Poke_Hop_EpochIsFlooredToHop() public {
        MedianOracle o = _newOracle(_list(address(f1), address(f2), address(f3)), 2, 1 hours);
        uint256 epoch = T0 - T0 % 1 hours;
        vm.warp(epoch + 1 hours + 1234);
        _setAll(2000e18, 2000e18, 2000e18);
        o.poke();
        assertEq(o.lastPokeAt(), epoch + 1 hours);
        assertEq(o.readyAt(), epoch + 2 hours);
    }

    function test_Poke_Hop_ClampReferenceIsNext() public {
        MedianOracle o = _newOracle(_list(address(f1), address(f2), address(f3)), 2, 1 hours);
        o.poke(); // next = 2000
        uint256 epoch = T0 - T0 % 1 hours;
        vm.warp(epoch + 1 hours);
        _setAll(3000e18, 3000e18, 3000e18);
        o.poke(); // current = 2000, next = 2200 (clamped from 3000)
        (uint256 nxt,) = o.peep();
        assertEq(nxt, 2200e18);
    }

    function test_Poke_HopSetToZeroIsRealTime() public {
        MedianOracle o = _newOracle(_list(address(f1), address(f2), address(f3)), 2, 1 hours);
        o.poke();
        vm.prank(gov);
        o.setHop(0);
        vm.warp(T0 + 1 hours);
        _setAll(2100e18, 2100e18, 2100e18);
        o.poke();
        (uint256 cur, bool valid) = o.peek();
        assertEq(cur, 2100e18);
        assertTrue(valid);
    }

    /*//////////////////////////////////////////////////////////////
                            PEEK / PEEP / COMPUTE
    //////////////////////////////////////////////////////////////*/

    function test_Peek_InvalidBeforeFirstPoke() public view {
        (uint256 p, bool valid) = oracle.peek();
        assertEq(p, 0);
        assertFalse(valid);
    }

    function test_Peek_ValidUntilMaxAgeAfterLastPoke() public {
        oracle.poke();
        vm.warp(T0 + MAX_AGE);
        (, bool valid) = oracle.peek();
        assertTrue(valid);
        vm.warp(T0 + MAX_AGE + 1);
        uint256 p;
        (p, valid) = oracle.peek();
        assertEq(p, 2000e18, "the stale value is still reported");
        assertFalse(valid);
    }

    function test_Peek_Hop_ValidUntilHopPlusMaxAge() public {
        MedianOracle o = _newOracle(_list(address(f1), address(f2), address(f3)), 2, 1 hours);
        o.poke();
        uint256 epoch = T0 - T0 % 1 hours;
        vm.warp(epoch + 1 hours);
        _setAll(2000e18, 2000e18, 2000e18);
        o.poke();
        vm.warp(epoch + 2 hours + MAX_AGE);
        (, bool valid) = o.peek();
        assertTrue(valid);
        vm.warp(epoch + 2 hours + MAX_AGE + 1);
        (, valid) = o.peek();
        assertFalse(valid);
        (, valid) = o.peep();
        assertFalse(valid);
    }

    function test_Peep_InvalidBeforeFirstPoke() public view {
        (uint256 p, bool valid) = oracle.peep();
        assertEq(p, 0);
        assertFalse(valid);
    }

    function test_Peep_EqualsPeekWhenHopIsZero() public {
        oracle.poke();
        (uint256 a, bool va) = oracle.peek();
        (uint256 b, bool vb) = oracle.peep();
        assertEq(a, b);
        assertEq(va, vb);
    }

    function test_Compute_ReturnsMedianWithoutChangingState() public view {
        (uint256 m, uint256 n, uint256 mask) = oracle.compute();
        assertEq(m, 2000e18);
        assertEq(n, 3);
        assertEq(mask, 7);
        (uint256 p,) = oracle.peek();
        assertEq(p, 0);
    }

    function test_Compute_ZeroMedianWhenQuorumNotMet() public {
        f1.setRevert(true);
        f2.setRevert(true);
        (uint256 m, uint256 n, uint256 mask) = oracle.compute();
        assertEq(m, 0);
        assertEq(n, 1);
        assertEq(mask, 4);
    }

    function test_ReadSelectorMatchesIFeed() public pure {
        assertEq(IFeed.read.selector, bytes4(0x57de26a4));
    }

    /*//////////////////////////////////////////////////////////////
                              GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    function test_SetFeeds_ReplacesFeedsAndQuorum() public {
        MockFeed f4 = new MockFeed(3000e18, T0);
        address[] memory fs = _list(address(f4), address(f2), address(f1));
        vm.expectEmit(address(oracle));
        emit FeedsSet(fs, 3);
        vm.prank(gov);
        oracle.setFeeds(fs, 3);
        assertEq(oracle.feeds()[0], address(f4));
        assertEq(oracle.quorum(), 3);
        oracle.poke();
        (uint256 p,) = oracle.peek();
        assertEq(p, 2010e18);
    }

    function test_SetFeeds_ShrinksList() public {
        MockFeed f4 = new MockFeed(1980e18, T0);
        MedianOracle o = _newOracle(_four(address(f1), address(f2), address(f3), address(f4)), 3, 0);
        vm.prank(gov);
        o.setFeeds(_list(address(f3), address(f4), address(f1)), 2);
        assertEq(o.feeds().length, 3);
        o.poke();
        (uint256 p,) = o.peek();
        assertEq(p, 1990e18);
    }

    function test_SetFeeds_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        oracle.setFeeds(_one(address(f1)), 1);
    }

    function test_SetFeeds_RevertWhen_Empty() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.TooFewFeeds.selector, 0, 3));
        oracle.setFeeds(new address[](0), 1);
    }

    function test_SetFeeds_RevertWhen_TooFew() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.TooFewFeeds.selector, 2, 3));
        oracle.setFeeds(_twoFeeds(), 2);
    }

    function test_SetFeeds_RevertWhen_QuorumNotMajority() public {
        MockFeed f4 = new MockFeed(2000e18, T0);
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMajority.selector, 2, 4));
        oracle.setFeeds(_four(address(f1), address(f2), address(f3), address(f4)), 2);
    }

    function test_SetFeeds_RevertWhen_TooMany() public {
        address[] memory fs = new address[](17);
        for (uint256 i; i < 17; ++i) {
            fs[i] = address(new MockFeed(1e18, T0));
        }
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.FeedCountOutOfRange.selector, 17, 16));
        oracle.setFeeds(fs, 9);
    }

    function test_SetFeeds_AcceptsMaxFeeds() public {
        address[] memory fs = new address[](16);
        for (uint256 i; i < 16; ++i) {
            fs[i] = address(new MockFeed((i + 1) * 1e18, T0));
        }
        vm.prank(gov);
        oracle.setFeeds(fs, 16);
        (uint256 m, uint256 n, uint256 mask) = oracle.compute();
        assertEq(m, 8e18, "no previous mark: the lower middle value");
        assertEq(n, 16);
        assertEq(mask, 0xffff);
    }

    function test_SetFeeds_RevertWhen_ZeroAddress() public {
        vm.prank(gov);
        vm.expectRevert(IMedianOracle.ZeroAddress.selector);
        oracle.setFeeds(_list(address(f1), address(0), address(f3)), 2);
    }

    function test_SetFeeds_RevertWhen_NotContract() public {
        address eoa = makeAddr("eoa");
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.FeedNotContract.selector, eoa));
        oracle.setFeeds(_list(address(f1), eoa, address(f3)), 2);
    }

    function test_SetFeeds_RevertWhen_Duplicate() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.DuplicateFeed.selector, address(f1)));
        oracle.setFeeds(_list(address(f1), address(f2), address(f1)), 2);
    }

    function test_SetFeeds_RevertWhen_QuorumZero() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumOutOfRange.selector, 0, 3));
        oracle.setFeeds(_list(address(f1), address(f2), address(f3)), 0);
    }

    function test_SetFeeds_RevertWhen_QuorumAboveFeedCount() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumOutOfRange.selector, 4, 3));
        oracle.setFeeds(_list(address(f1), address(f2), address(f3)), 4);
    }

    function test_SetQuorum_SetsAndEmits() public {
        vm.expectEmit(address(oracle));
        emit QuorumSet(3);
        vm.prank(gov);
        oracle.setQuorum(3);
        assertEq(oracle.quorum(), 3);
    }

    function test_SetQuorum_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        oracle.setQuorum(1);
    }

    function test_SetQuorum_RevertWhen_Zero() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumOutOfRange.selector, 0, 3));
        oracle.setQuorum(0);
    }

    function test_SetQuorum_RevertWhen_NotMajority() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumNotMajority.selector, 1, 3));
        oracle.setQuorum(1);
    }

    function test_SetQuorum_RevertWhen_AboveFeedCount() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.QuorumOutOfRange.selector, 4, 3));
        oracle.setQuorum(4);
    }

    function test_SetMaxAge_SetsAndEmits() public {
        vm.expectEmit(address(oracle));
        emit MaxAgeSet(7 days);
        vm.prank(gov);
        oracle.setMaxAge(7 days);
        assertEq(oracle.maxAgeSeconds(), 7 days);
    }

    function test_SetMaxAge_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        oracle.setMaxAge(600);
    }

    function test_SetMaxAge_RevertWhen_BelowMin() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.MaxAgeOutOfRange.selector, 59, 60, 7 days));
        oracle.setMaxAge(59);
    }

    function test_SetMaxAge_RevertWhen_AboveMax() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.MaxAgeOutOfRange.selector, 7 days + 1, 60, 7 days));
        oracle.setMaxAge(7 days + 1);
    }

    function test_SetMaxChange_SetsAndEmits() public {
        vm.expectEmit(address(oracle));
        emit MaxChangeSet(10_000);
        vm.prank(gov);
        oracle.setMaxChange(10_000);
        assertEq(oracle.maxChangeBps(), 10_000);
    }

    function test_SetMaxChange_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        oracle.setMaxChange(500);
    }

    function test_SetMaxChange_RevertWhen_BelowMin() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.MaxChangeOutOfRange.selector, 9, 10, 10_000));
        oracle.setMaxChange(9);
    }

    function test_SetMaxChange_RevertWhen_AboveMax() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.MaxChangeOutOfRange.selector, 10_001, 10, 10_000));
        oracle.setMaxChange(10_001);
    }

    function test_SetHop_SetsAndEmits() public {
        vm.expectEmit(address(oracle));
        emit HopSet(1 days);
        vm.prank(gov);
        oracle.setHop(1 days);
        assertEq(oracle.hop(), 1 days);
    }

    function test_SetHop_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        oracle.setHop(3600);
    }

    function test_SetHop_RevertWhen_AboveMax() public {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(IMedianOracle.HopOutOfRange.selector, 1 days + 1, 1 days));
        oracle.setHop(1 days + 1);
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
