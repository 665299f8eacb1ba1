// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";
import {MedianOracle} from "../../../contracts/src/oracles/MedianOracle.sol";
import {UniswapV2TwapFeed} from "../../../contracts/src/oracles/UniswapV2TwapFeed.sol";
import {MockFeed} from "../../utils/oracles/MockFeed.sol";
import {MockDecimalsToken, MockUniswapV2Pair} from "../../utils/oracles/MockUniswapV2Pair.sol";
import {Test} from "forge-std/Test.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

contract UniswapV2TwapFeedTest is Test {
    event Updated(uint256 priceWad, uint256 priceCumulative, uint256 elapsedSeconds);

    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant WINDOW = 30 minutes;

    MockDecimalsToken internal weth;
    MockDecimalsToken internal usdc;
    MockUniswapV2Pair internal pair;
    UniswapV2TwapFeed internal feed; // WETH priced in USDC

    function setUp() public {
        vm.warp(T0);
        weth = new MockDecimalsToken(18);
        usdc = new MockDecimalsToken(6);
        pair = new MockUniswapV2Pair(address(weth), address(usdc));
        _setPool(1000e18, 2_000_000e6); // 2000 USDC per WETH
        feed = new UniswapV2TwapFeed(address(pair), address(weth), WINDOW);
    }

    /// @dev Sets reserves by token, whatever the pair's orientation.
    function _setPool(uint256 wethReserve, uint256 usdcReserve) internal {
        if (pair.token0() == address(weth)) pair.setReserves(uint112(wethReserve), uint112(usdcReserve));
        else pair.setReserves(uint112(usdcReserve), uint112(wethReserve));
    }

    /// @dev Reference: WAD price of one whole base token for constant raw reserves, computed as the pair
    /// accumulates it (UQ112x112 truncation included).
    function _spotWad(uint256 baseRaw, uint256 quoteRaw, uint256 baseDec, uint256 quoteDec)
        internal
        pure
        returns (uint256)
    {
        uint256 q112 = (quoteRaw << 112) / baseRaw;
        return FixedPointMathLib.fullMulDiv(q112, 10 ** (baseDec + 18), (10 ** quoteDec) << 112);
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_SetsParameters() public view {
        assertEq(address(feed.pair()), address(pair));
        assertEq(feed.baseToken(), address(weth));
        assertEq(feed.quoteToken(), address(usdc));
        assertEq(feed.baseIsToken0(), pair.token0() == address(weth));
        assertEq(feed.windowSeconds(), WINDOW);
        (uint256 c, uint32 ts) = feed.observation();
        assertEq(c, 0, "pair accumulated nothing yet");
        assertEq(ts, uint32(T0));
    }

    function test_Constructor_EmitsUpdated() public {
        vm.warp(T0 + 100);
        // WETH is the base: its accumulator is USDC reserve / WETH reserve, whichever token0 is.
        uint256 q112 = (uint256(2_000_000e6) << 112) / 1000e18;
        vm.expectEmit(false, false, false, true);
        emit Updated(0, q112 * 100, 0);
        new UniswapV2TwapFeed(address(pair), address(weth), WINDOW);
    }

    function test_Constructor_RevertWhen_ZeroPair() public {
        vm.expectRevert(UniswapV2TwapFeed.ZeroAddress.selector);
        new UniswapV2TwapFeed(address(0), address(weth), WINDOW);
    }

    function test_Constructor_RevertWhen_ZeroBase() public {
        vm.expectRevert(UniswapV2TwapFeed.ZeroAddress.selector);
        new UniswapV2TwapFeed(address(pair), address(0), WINDOW);
    }

    function test_Constructor_RevertWhen_PairNotContract() public {
        address eoa = makeAddr("eoa");
        vm.expectRevert(abi.encodeWithSelector(UniswapV2TwapFeed.NotContract.selector, eoa));
        new UniswapV2TwapFeed(eoa, address(weth), WINDOW);
    }

    function test_Constructor_RevertWhen_BaseNotInPair() public {
        address other = address(new MockDecimalsToken(18));
        vm.expectRevert(
            abi.encodeWithSelector(UniswapV2TwapFeed.BaseNotInPair.selector, other, pair.token0(), pair.token1())
        );
        new UniswapV2TwapFeed(address(pair), other, WINDOW);
    }

    function test_Constructor_RevertWhen_BaseDecimalsAbove18() public {
        MockDecimalsToken big = new MockDecimalsToken(19);
        MockUniswapV2Pair p = new MockUniswapV2Pair(address(big), address(usdc));
        vm.expectRevert(abi.encodeWithSelector(UniswapV2TwapFeed.UnsupportedDecimals.selector, address(big), 19));
        new UniswapV2TwapFeed(address(p), address(big), WINDOW);
    }

    function test_Constructor_RevertWhen_QuoteDecimalsAbove18() public {
        MockDecimalsToken big = new MockDecimalsToken(24);
        MockUniswapV2Pair p = new MockUniswapV2Pair(address(weth), address(big));
        vm.expectRevert(abi.encodeWithSelector(UniswapV2TwapFeed.UnsupportedDecimals.selector, address(big), 24));
        new UniswapV2TwapFeed(address(p), address(weth), WINDOW);
    }

    function test_Constructor_RevertWhen_WindowBelowMin() public {
        vm.expectRevert(abi.encodeWithSelector(UniswapV2TwapFeed.WindowOutOfRange.selector, 59, 60, 7 days));
        new UniswapV2TwapFeed(address(pair), address(weth), 59);
    }

    function test_Constructor_RevertWhen_WindowAboveMax() public {
        vm.expectRevert(abi.encodeWithSelector(UniswapV2TwapFeed.WindowOutOfRange.selector, 7 days + 1, 60, 7 days));
        new UniswapV2TwapFeed(address(pair), address(weth), 7 days + 1);
    }

    function test_Constructor_OnEmptyPair() public {
        MockUniswapV2Pair p = new MockUniswapV2Pair(address(weth), address(usdc));
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(p), address(weth), WINDOW);
        (uint256 c,) = f.observation();
        assertEq(c, 0);
    }

    /*//////////////////////////////////////////////////////////////
                                  READ
    //////////////////////////////////////////////////////////////*/

    function test_Read_RevertWhen_NoPrice() public {
        vm.expectRevert(IFeed.NoPrice.selector);
        feed.read();
    }

    function test_Read_ReturnsLastPublished() public {
        vm.warp(T0 + WINDOW);
        uint256 published = feed.update();
        vm.warp(T0 + WINDOW + 77);
        (uint256 p, uint256 t) = feed.read();
        assertEq(p, published);
        assertEq(t, T0, "the start of the averaged interval");
    }

    /// @notice Issue 12 (TWAP note): after a long silence an update averages over the whole silence. It
    /// used to be stamped `updatedAt = now`, so a two-day-old average passed a one-hour staleness bound.
    /// The stamp is now the time of the oldest observation the average depends on.
    function test_Read_AfterSilence_StampsOldestObservation() public {
        // Nobody updates for two days; the pool crashed to 1,000 ten minutes ago.
        vm.warp(T0 + 2 days - 10 minutes);
        _setPool(1000e18, 1_000_000e6);
        vm.warp(T0 + 2 days);
        uint256 p = feed.update();
        assertGt(p, 1990e18, "the average is the pre-crash price: two days of 2,000");
        (, uint256 t) = feed.read();
        assertEq(t, T0, "stamped with the start of the average, not with now");

        // A median with a one-hour staleness bound skips it.
        MockFeed a = new MockFeed(1000e18, block.timestamp);
        MockFeed b = new MockFeed(1010e18, block.timestamp);
        address[] memory fs = new address[](3);
        (fs[0], fs[1], fs[2]) = (address(feed), address(a), address(b));
        MedianOracle o = new MedianOracle(makeAddr("gov"), fs, 2, 1 hours, 10_000, 0);
        (, uint256 fresh, uint256 mask) = o.compute();
        assertEq(fresh, 2);
        assertEq(mask, 0x6, "the two-day average is stale");

        // One window later the next average spans only the window: fresh again.
        vm.warp(block.timestamp + WINDOW);
        feed.update();
        (p, t) = feed.read();
        assertEq(t, T0 + 2 days, "the start of the new average");
        assertApproxEqAbs(p, 1000e18, 1);
    }

    /*//////////////////////////////////////////////////////////////
                                 UPDATE
    //////////////////////////////////////////////////////////////*/

    function test_Update_PublishesTwap_BaseIsToken0OrToken1() public {
        vm.warp(T0 + WINDOW);
        uint256 p = feed.update();
        assertEq(p, _spotWad(1000e18, 2_000_000e6, 18, 6));
        assertApproxEqAbs(p, 2000e18, 1);

        // The same pool read the other way: USDC priced in WETH (the other accumulator).
        UniswapV2TwapFeed inverse = new UniswapV2TwapFeed(address(pair), address(usdc), WINDOW);
        assertTrue(inverse.baseIsToken0() != feed.baseIsToken0());
        vm.warp(T0 + 2 * WINDOW);
        uint256 q = inverse.update();
        assertEq(q, _spotWad(2_000_000e6, 1000e18, 6, 18));
        assertApproxEqAbs(q, 0.0005e18, 1);
    }

    function test_Update_EmitsUpdated() public {
        vm.warp(T0 + WINDOW);
        (uint256 pending,) = feed.pendingPrice();
        uint256 q112 = (uint256(2_000_000e6) << 112) / 1000e18;
        vm.expectEmit(address(feed));
        emit Updated(pending, q112 * WINDOW, WINDOW);
        feed.update();
    }

    function test_Update_TimeWeightsReserveChanges() public {
        vm.warp(T0 + WINDOW / 2);
        _setPool(1000e18, 2_600_000e6); // 2600 for the second half
        vm.warp(T0 + WINDOW);
        uint256 p = feed.update();
        assertApproxEqRel(p, 2300e18, 1e9);
    }

    function test_Update_OneBlockSpikeMovesTwapByItsTimeShare() public {
        // A manipulator pushes the pool to 10x for one 12-second block of a 30-minute window.
        vm.warp(T0 + WINDOW - 12);
        _setPool(100e18, 2_000_000e6);
        vm.warp(T0 + WINDOW);
        _setPool(1000e18, 2_000_000e6); // arbitraged back
        uint256 p = feed.update();
        // 2000 + (20000 - 2000) * 12 / 1800 = 2120: +6%, not +900%.
        assertApproxEqRel(p, 2120e18, 1e9);
    }

    function test_Update_SecondWindowUsesNewObservation() public {
        vm.warp(T0 + WINDOW);
        feed.update();
        _setPool(1000e18, 1_000_000e6); // crash to 1000 right after
        vm.warp(T0 + 2 * WINDOW);
        uint256 p = feed.update();
        assertApproxEqAbs(p, 1000e18, 1);
        (uint256 c, uint32 ts) = feed.observation();
        assertEq(ts, uint32(T0 + 2 * WINDOW));
        assertGt(c, 0);
    }

    function test_Update_LateUpdateAveragesLongerInterval() public {
        vm.warp(T0 + WINDOW);
        _setPool(1000e18, 4_000_000e6);
        vm.warp(T0 + 2 * WINDOW);
        (uint256 p, uint256 elapsed) = feed.pendingPrice();
        assertEq(elapsed, 2 * WINDOW);
        assertApproxEqRel(p, 3000e18, 1e9);
        assertEq(feed.update(), p);
    }

    function test_Update_RevertWhen_WindowNotElapsed() public {
        vm.warp(T0 + WINDOW - 1);
        vm.expectRevert(abi.encodeWithSelector(UniswapV2TwapFeed.WindowNotElapsed.selector, WINDOW - 1, WINDOW));
        feed.update();
        (, uint32 ts) = feed.observation();
        assertEq(ts, uint32(T0), "state unchanged");
    }

    function test_Update_RevertWhen_ZeroPrice() public {
        MockUniswapV2Pair p = new MockUniswapV2Pair(address(weth), address(usdc));
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(p), address(weth), WINDOW);
        vm.warp(T0 + WINDOW);
        vm.expectRevert(IFeed.ZeroPrice.selector);
        f.update();
    }

    function test_Update_RevertWhen_PriceOverflow() public {
        // Both tokens 0 decimals, one base unit worth 2^112 - 1 quote units: (2^112 - 1) * 1e18 WAD > 2^128.
        MockDecimalsToken base = new MockDecimalsToken(0);
        MockDecimalsToken quote = new MockDecimalsToken(0);
        MockUniswapV2Pair p = new MockUniswapV2Pair(address(base), address(quote));
        if (p.token0() == address(base)) p.setReserves(1, type(uint112).max);
        else p.setReserves(type(uint112).max, 1);
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(p), address(base), WINDOW);
        vm.warp(T0 + WINDOW);
        uint256 expected = uint256(type(uint112).max) * 1e18;
        vm.expectRevert(abi.encodeWithSelector(IFeed.PriceOverflow.selector, expected));
        f.update();
    }

    function test_Update_HandlesCumulativeWraparound() public {
        // Accumulators near 2^256 wrap during the window; the wrapping difference is still right.
        pair.setCumulatives(type(uint256).max - 1e30, type(uint256).max - 1e30);
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(pair), address(weth), WINDOW);
        vm.warp(T0 + WINDOW);
        assertApproxEqAbs(f.update(), 2000e18, 1);
    }

    function test_Update_HandlesTimestampWraparound() public {
        // uint32 timestamps wrap in 2106; elapsed is taken mod 2^32 like the pair does.
        uint256 start = (uint256(1) << 32) - 600;
        vm.warp(start);
        MockUniswapV2Pair p = new MockUniswapV2Pair(address(weth), address(usdc));
        if (p.token0() == address(weth)) p.setReserves(1000e18, 2_000_000e6);
        else p.setReserves(2_000_000e6, 1000e18);
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(p), address(weth), WINDOW);
        vm.warp(start + WINDOW);
        assertApproxEqAbs(f.update(), 2000e18, 1);
        (, uint256 t) = f.read();
        assertEq(t, start, "full unix time of the interval's start, across the uint32 wrap");
    }

    function test_Update_IsPermissionless() public {
        vm.warp(T0 + WINDOW);
        vm.prank(makeAddr("keeper"));
        feed.update();
        (uint256 p,) = feed.read();
        assertGt(p, 0);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_PendingPrice_ZeroWhenNoTimeElapsed() public view {
        (uint256 p, uint256 elapsed) = feed.pendingPrice();
        assertEq(p, 0);
        assertEq(elapsed, 0);
    }

    function test_PendingPrice_DoesNotPublish() public {
        vm.warp(T0 + 100);
        (uint256 p, uint256 elapsed) = feed.pendingPrice();
        assertApproxEqAbs(p, 2000e18, 1);
        assertEq(elapsed, 100);
        vm.expectRevert(IFeed.NoPrice.selector);
        feed.read();
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
