// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFeed} from "../interfaces/IFeed.sol";
import {IERC20DecimalsLike, IUniswapV2PairLike} from "./external/IUniswapV2PairLike.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title UniswapV2TwapFeed
/// @notice `IFeed` adapter: time-weighted average price of the collateral (`baseToken`) in the quote
/// token over at least `windowSeconds`, from a Uniswap-V2-style pair's cumulative prices. One stored
/// observation; `update()` (permissionless, at most once per window) publishes the average since that
/// observation and records a new one (Uniswap's `ExampleOracleSimple` pattern).
/// @dev Manipulation resistance grows with the window: moving the published price by a factor `k`
/// requires holding the pool at about `k` times the market for the whole window (every block of it,
/// arbitraged against each block), so the attack's cost scales with `windowSeconds × pool depth`;
/// the price lags the market by up to two windows (average over `[t - W', t]`, `W' >= W`, published at
/// `t`, read until the next update). A late `update()` averages over the longer interval since the last
/// observation: more resistance, more lag. The `MedianOracle`'s staleness bound should be above
/// `windowSeconds` plus the keeper's update interval. Token decimals (up to 18 each) and token0/token1
/// orientation are handled here: `priceWad` is quote per one whole base token.
///
/// Freshness: `read()`'s `updatedAt` is the time of the OLDEST observation the published average
/// depends on (the start of its interval), not the time of publication. An average over a long silence
/// (nobody called `update` for days) is then as stale as its oldest second, and the median's staleness
/// bound skips it; one window after such an update the next average is fresh again. The cost: the
/// `MedianOracle`'s `maxAgeSeconds` must cover the interval plus the time to the next update, about
/// `2 × windowSeconds` plus the keeper's slack.
contract UniswapV2TwapFeed is IFeed {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The pair or base token address is zero.
    error ZeroAddress();

    /// @notice `account` has no code.
    error NotContract(address account);

    /// @notice `base` is neither of the pair's tokens, `token0` and `token1`.
    error BaseNotInPair(address base, address token0, address token1);

    /// @notice `token` reports `decimals` decimals; at most 18 are supported.
    error UnsupportedDecimals(address token, uint256 decimals);

    /// @notice `windowSeconds` is outside [`min`, `max`].
    error WindowOutOfRange(uint256 windowSeconds, uint256 min, uint256 max);

    /// @notice Only `elapsed` seconds passed since the stored observation; `windowSeconds` are needed.
    error WindowNotElapsed(uint256 elapsed, uint256 windowSeconds);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A new observation was recorded at this block's timestamp.
    /// @param priceWad The average price published over the last `elapsedSeconds` (0 at construction).
    /// @param priceCumulative The base token's cumulative price (UQ112x112 × seconds) now observed.
    /// @param elapsedSeconds Length of the averaging interval (0 at construction).
    event Updated(uint256 priceWad, uint256 priceCumulative, uint256 elapsedSeconds);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Shortest window, seconds.
    uint256 public constant MIN_WINDOW = 60;

    /// @notice Longest window, seconds (7 days).
    uint256 public constant MAX_WINDOW = 7 days;

    /// @notice The pair read.
    IUniswapV2PairLike public immutable pair;

    /// @notice The collateral token priced.
    address public immutable baseToken;

    /// @notice The token the price is quoted in (the pair's other token).
    address public immutable quoteToken;

    /// @notice True when `baseToken` is the pair's `token0` (price from `price0CumulativeLast`).
    bool public immutable baseIsToken0;

    /// @notice Minimum averaging interval, seconds.
    uint256 public immutable windowSeconds;

    /// @dev `10 ** (baseDecimals + 18)`: raw ratio → WAD per whole base token (numerator).
    uint256 internal immutable _num;

    /// @dev `10 ** quoteDecimals << 112`: raw ratio → WAD per whole base token (denominator, with Q112).
    uint256 internal immutable _den;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Base token's cumulative price at the stored observation.
    uint256 internal _obsCumulative;

    /// @dev Last published average, WAD (slot 1 with the two timestamps).
    uint128 internal _price;

    /// @dev Start of the last published average's interval (unix time): the oldest observation it uses.
    uint40 internal _updatedAt;

    /// @dev The stored observation's unix time (the pair's uint32 clock is its low 32 bits).
    uint40 internal _obsTime;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param pair_ A Uniswap-V2-style pair holding `baseToken_`.
    /// @param baseToken_ The collateral token priced; the pair's other token is the quote.
    /// @param windowSeconds_ Minimum averaging interval, [`MIN_WINDOW`, `MAX_WINDOW`].
    constructor(address pair_, address baseToken_, uint256 windowSeconds_) {
        if (pair_ == address(0) || baseToken_ == address(0)) revert ZeroAddress();
        if (pair_.code.length == 0) revert NotContract(pair_);
        if (windowSeconds_ < MIN_WINDOW || windowSeconds_ > MAX_WINDOW) {
            revert WindowOutOfRange(windowSeconds_, MIN_WINDOW, MAX_WINDOW);
        }
        address t0 = IUniswapV2PairLike(pair_).token0();
        address t1 = IUniswapV2PairLike(pair_).token1();
        if (baseToken_ != t0 && baseToken_ != t1) revert BaseNotInPair(baseToken_, t0, t1);
        address quote = baseToken_ == t0 ? t1 : t0;
        uint256 baseDecimals = IERC20DecimalsLike(baseToken_).decimals();
        uint256 quoteDecimals = IERC20DecimalsLike(quote).decimals();
        if (baseDecimals > 18) revert UnsupportedDecimals(baseToken_, baseDecimals);
        if (quoteDecimals > 18) revert UnsupportedDecimals(quote, quoteDecimals);

        pair = IUniswapV2PairLike(pair_);
        baseToken = baseToken_;
        quoteToken = quote;
        baseIsToken0 = baseToken_ == t0;
        windowSeconds = windowSeconds_;
        _num = 10 ** (baseDecimals + 18);
        _den = (10 ** quoteDecimals) * 2 ** 112;

        (uint256 cumulative,) = _currentCumulative(pair_, baseToken_ == t0);
        _obsCumulative = cumulative;
        _obsTime = uint40(block.timestamp);
        emit Updated(0, cumulative, 0);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IFeed
    /// @dev `updatedAt` is the start of the published average's interval (its oldest observation).
    function read() external view returns (uint256 priceWad, uint256 updatedAt) {
        updatedAt = _updatedAt;
        if (updatedAt == 0) revert NoPrice();
        priceWad = _price;
    }

    /// @notice Publishes the average price since the stored observation and records a new observation.
    /// Permissionless; at most once per `windowSeconds`. Reverts `WindowNotElapsed` when too early,
    /// `ZeroPrice` when the average is 0 (empty pool), `PriceOverflow` above `type(uint128).max`; state
    /// is unchanged on revert. Emits `Updated`.
    /// @return priceWad The published average, WAD quote per whole base token.
    function update() external returns (uint256 priceWad) {
        (uint256 cumulative, uint32 now32) = _currentCumulative(address(pair), baseIsToken0);
        uint256 elapsed;
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast) -- mod 2**32 on purpose: the pair's clock.
            elapsed = uint32(now32 - uint32(_obsTime)); // Wraps like the pair's timestamps.
        }
        if (elapsed < windowSeconds) revert WindowNotElapsed(elapsed, windowSeconds);
        priceWad = _average(cumulative, elapsed);
        if (priceWad == 0) revert ZeroPrice();
        if (priceWad > type(uint128).max) revert PriceOverflow(priceWad);

        _obsCumulative = cumulative;
        // forge-lint: disable-next-line(unsafe-typecast) -- priceWad <= type(uint128).max checked above.
        _price = uint128(priceWad);
        // The average depends on every second since the stored observation: stamp its oldest one.
        _updatedAt = _obsTime;
        _obsTime = uint40(block.timestamp);
        emit Updated(priceWad, cumulative, elapsed);
    }

    /// @notice The average price from the stored observation to now, without publishing it.
    /// @return priceWad The average, WAD quote per whole base token (0 when no time has passed).
    /// @return elapsedSeconds Seconds since the stored observation.
    function pendingPrice() external view returns (uint256 priceWad, uint256 elapsedSeconds) {
        (uint256 cumulative, uint32 now32) = _currentCumulative(address(pair), baseIsToken0);
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast) -- mod 2**32 on purpose: the pair's clock.
            elapsedSeconds = uint32(now32 - uint32(_obsTime));
        }
        if (elapsedSeconds != 0) priceWad = _average(cumulative, elapsedSeconds);
    }

    /// @notice The stored observation.
    /// @return priceCumulative Base token's cumulative price (UQ112x112 × seconds).
    /// @return timestamp Its time, mod 2**32.
    function observation() external view returns (uint256 priceCumulative, uint32 timestamp) {
        // forge-lint: disable-next-line(unsafe-typecast) -- mod 2**32 on purpose: the pair's clock.
        return (_obsCumulative, uint32(_obsTime));
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     INTERNAL FUNCTIONS                     */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev WAD average from the stored observation to `cumulative`, over `elapsed` (> 0) seconds, down.
    function _average(uint256 cumulative, uint256 elapsed) internal view returns (uint256) {
        uint256 avgQ112;
        unchecked {
            avgQ112 = (cumulative - _obsCumulative) / elapsed; // Accumulators wrap by design.
        }
        return FixedPointMathLib.fullMulDiv(avgQ112, _num, _den);
    }

    /// @dev The base token's cumulative price as of now: the pair's last value plus the current reserve
    /// ratio times the seconds since the pair last updated it (Uniswap's `currentCumulativePrices`),
    /// unless a reserve is 0 (the pair accumulates nothing then either).
    function _currentCumulative(address pair_, bool base0) internal view returns (uint256 cumulative, uint32 now32) {
        IUniswapV2PairLike p = IUniswapV2PairLike(pair_);
        now32 = uint32(block.timestamp); // Mod 2**32, as the pair.
        cumulative = base0 ? p.price0CumulativeLast() : p.price1CumulativeLast();
        (uint112 r0, uint112 r1, uint32 last) = p.getReserves();
        if (last != now32 && r0 != 0 && r1 != 0) {
            unchecked {
                uint256 spotQ112 = base0 ? (uint256(r1) << 112) / r0 : (uint256(r0) << 112) / r1;
                cumulative += spotQ112 * uint32(now32 - last);
            }
        }
    }
}
