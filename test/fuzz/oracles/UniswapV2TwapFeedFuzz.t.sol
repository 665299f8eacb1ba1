// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";
import {UniswapV2TwapFeed} from "../../../contracts/src/oracles/UniswapV2TwapFeed.sol";
import {MockDecimalsToken, MockUniswapV2Pair} from "../../utils/oracles/MockUniswapV2Pair.sol";
import {Test} from "forge-std/Test.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

contract UniswapV2TwapFeedFuzzTest is Test {
    uint256 internal constant T0 = 1_700_000_000;

    MockDecimalsToken internal base;
    MockDecimalsToken internal quote;
    MockUniswapV2Pair internal pair;

    function setUp() public {
        vm.warp(T0);
    }

    function _deploy(uint256 baseDec, uint256 quoteDec) internal {
        base = new MockDecimalsToken(uint8(baseDec));
        quote = new MockDecimalsToken(uint8(quoteDec));
        pair = new MockUniswapV2Pair(address(base), address(quote));
    }

    function _setPool(uint256 baseRaw, uint256 quoteRaw) internal {
        if (pair.token0() == address(base)) pair.setReserves(uint112(baseRaw), uint112(quoteRaw));
        else pair.setReserves(uint112(quoteRaw), uint112(baseRaw));
    }

    function _q112(uint256 baseRaw, uint256 quoteRaw) internal pure returns (uint256) {
        return (quoteRaw << 112) / baseRaw;
    }

    function _wad(uint256 avgQ112, uint256 baseDec, uint256 quoteDec) internal pure returns (uint256) {
        return FixedPointMathLib.fullMulDiv(avgQ112, 10 ** (baseDec + 18), (10 ** quoteDec) << 112);
    }

    /// @notice Constant reserves: the TWAP equals the spot price, for any decimals 0..18 on either side,
    /// either token order, any window; or the named revert when the price is 0 or does not fit 128 bits.
    function testFuzz_Update_ConstantReservesEqualSpot(
        uint256 baseRaw,
        uint256 quoteRaw,
        uint256 baseDec,
        uint256 quoteDec,
        uint256 window,
        uint256 extra
    ) public {
        baseDec = bound(baseDec, 0, 18);
        quoteDec = bound(quoteDec, 0, 18);
        baseRaw = bound(baseRaw, 1, type(uint112).max);
        quoteRaw = bound(quoteRaw, 1, type(uint112).max);
        window = bound(window, 60, 7 days);
        extra = bound(extra, 0, 7 days);
        _deploy(baseDec, quoteDec);
        _setPool(baseRaw, quoteRaw);
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(pair), address(base), window);
        vm.warp(T0 + window + extra);

        uint256 expected = _wad(_q112(baseRaw, quoteRaw), baseDec, quoteDec);
        if (expected == 0) {
            vm.expectRevert(IFeed.ZeroPrice.selector);
            f.update();
        } else if (expected > type(uint128).max) {
            vm.expectRevert(abi.encodeWithSelector(IFeed.PriceOverflow.selector, expected));
            f.update();
        } else {
            assertEq(f.update(), expected);
            (uint256 p, uint256 t) = f.read();
            assertEq(p, expected);
            assertEq(t, T0, "stamped with the start of the averaged interval");
        }
    }

    /// @notice Two reserve states over the interval: the TWAP is their time-weighted mean (exact, as the
    /// pair accumulates it).
    function testFuzz_Update_TimeWeightedMean(
        uint256 priceA,
        uint256 priceB,
        uint256 t1,
        uint256 t2,
        uint256 baseDec,
        uint256 quoteDec
    ) public {
        baseDec = bound(baseDec, 0, 18);
        quoteDec = bound(quoteDec, 0, 18);
        // Reserves: 1000 whole base tokens against `price` whole quote tokens per base token.
        uint256 baseRaw = 1000 * 10 ** baseDec;
        priceA = bound(priceA, 1, 1e9);
        priceB = bound(priceB, 1, 1e9);
        t1 = bound(t1, 1, 3 days);
        t2 = bound(t2, 1, 3 days);
        if (t1 + t2 < 60) t2 = 60 - t1;
        _deploy(baseDec, quoteDec);
        _setPool(baseRaw, 1000 * priceA * 10 ** quoteDec);
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(pair), address(base), 60);
        vm.warp(T0 + t1);
        _setPool(baseRaw, 1000 * priceB * 10 ** quoteDec);
        vm.warp(T0 + t1 + t2);

        uint256 qa = _q112(baseRaw, 1000 * priceA * 10 ** quoteDec);
        uint256 qb = _q112(baseRaw, 1000 * priceB * 10 ** quoteDec);
        uint256 expected = _wad((qa * t1 + qb * t2) / (t1 + t2), baseDec, quoteDec);
        assertEq(f.update(), expected);
        // And close to the plain weighted mean of the prices.
        uint256 mean = (priceA * t1 + priceB * t2) * 1e18 / (t1 + t2);
        assertApproxEqRel(expected, mean, 1e6);
    }

    /// @notice Manipulation resistance: holding the pool at `k` times the price for `s` seconds of a `w`
    /// second window moves the TWAP by at most (k - 1) * s / w of the price.
    function testFuzz_Update_SpikeImpactBoundedByTimeShare(uint256 k, uint256 s, uint256 w) public {
        k = bound(k, 1, 1000);
        w = bound(w, 60, 1 days);
        s = bound(s, 1, w);
        _deploy(18, 6);
        _setPool(1000e18, 2_000_000e6);
        UniswapV2TwapFeed f = new UniswapV2TwapFeed(address(pair), address(base), w);
        vm.warp(T0 + w - s);
        _setPool(1000e18, 2_000_000e6 * k);
        vm.warp(T0 + w);
        uint256 p = f.update();
        uint256 fair = 2000e18;
        uint256 bound_ = fair * (k - 1) * s / w;
        assertLe(p, fair + bound_ + 1);
        assertGe(p + 1, fair);
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
