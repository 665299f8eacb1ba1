// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFeed} from "../interfaces/IFeed.sol";
import {AggregatorV3Interface} from "./external/AggregatorV3Interface.sol";

/// @title ChainlinkFeed
/// @notice `IFeed` adapter over a Chainlink `AggregatorV3Interface` (aggregator or proxy): normalizes the
/// answer from the aggregator's decimals to WAD and rejects, with named errors, incomplete rounds,
/// negative or zero answers, future timestamps and answers older than this feed's heartbeat bound.
/// @dev Immutable: a new aggregator or bound is a new adapter. The aggregator must quote the collateral
/// in the stablecoin's unit (e.g. ETH / USD for a USD stablecoin).
contract ChainlinkFeed is IFeed {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The aggregator address is zero.
    error ZeroAddress();

    /// @notice `account` has no code.
    error NotContract(address account);

    /// @notice The aggregator reports `decimals` decimals; at most `max` are supported.
    error UnsupportedDecimals(uint256 decimals, uint256 max);

    /// @notice The heartbeat bound `maxAgeSeconds` is outside [`min`, `max`].
    error MaxAgeOutOfRange(uint256 maxAgeSeconds, uint256 min, uint256 max);

    /// @notice Round `roundId` is not complete (`updatedAt == 0`).
    error IncompleteRound(uint80 roundId);

    /// @notice Round `roundId`'s answer was carried over from the earlier round `answeredInRound`.
    error StaleRound(uint80 roundId, uint80 answeredInRound);

    /// @notice The aggregator answered a negative price, `answer`.
    error NegativeAnswer(int256 answer);

    /// @notice The aggregator answered 0.
    error ZeroAnswer();

    /// @notice The answer's `updatedAt` is after the current block's `timestamp`.
    error FutureAnswer(uint256 updatedAt, uint256 timestamp);

    /// @notice `answer` scaled to WAD would exceed `type(uint128).max`.
    error AnswerTooLarge(uint256 answer);

    /// @notice The answer, from `updatedAt`, is older than the heartbeat bound `maxAgeSeconds`.
    error StaleAnswer(uint256 updatedAt, uint256 maxAgeSeconds);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Most aggregator decimals supported.
    uint256 public constant MAX_DECIMALS = 36;

    /// @notice Lowest heartbeat bound, seconds.
    uint256 public constant MIN_MAX_AGE = 60;

    /// @notice Highest heartbeat bound, seconds (7 days).
    uint256 public constant MAX_MAX_AGE = 7 days;

    /// @notice The aggregator (or proxy) read.
    AggregatorV3Interface public immutable aggregator;

    /// @notice The aggregator's decimals, read at construction.
    uint8 public immutable decimals;

    /// @notice Maximum age of an answer, seconds (the aggregator's heartbeat plus a margin).
    uint256 public immutable maxAgeSeconds;

    /// @dev `10 ** |18 - decimals|`.
    uint256 internal immutable _scale;

    /// @dev True when `decimals > 18` (divide by `_scale`), else multiply.
    bool internal immutable _scaleDown;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param aggregator_ Chainlink aggregator or proxy quoting the collateral in the stablecoin's unit.
    /// @param maxAgeSeconds_ Heartbeat bound, [`MIN_MAX_AGE`, `MAX_MAX_AGE`].
    constructor(address aggregator_, uint256 maxAgeSeconds_) {
        if (aggregator_ == address(0)) revert ZeroAddress();
        if (aggregator_.code.length == 0) revert NotContract(aggregator_);
        if (maxAgeSeconds_ < MIN_MAX_AGE || maxAgeSeconds_ > MAX_MAX_AGE) {
            revert MaxAgeOutOfRange(maxAgeSeconds_, MIN_MAX_AGE, MAX_MAX_AGE);
        }
        uint8 d = AggregatorV3Interface(aggregator_).decimals();
        if (d > MAX_DECIMALS) revert UnsupportedDecimals(d, MAX_DECIMALS);
        aggregator = AggregatorV3Interface(aggregator_);
        decimals = d;
        maxAgeSeconds = maxAgeSeconds_;
        _scaleDown = d > 18;
        _scale = 10 ** (d > 18 ? d - 18 : 18 - d);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IFeed
    function read() external view returns (uint256 priceWad, uint256 updatedAt) {
        (uint80 roundId, int256 answer,, uint256 updatedAt_, uint80 answeredInRound) = aggregator.latestRoundData();
        if (updatedAt_ == 0) revert IncompleteRound(roundId);
        if (answeredInRound < roundId) revert StaleRound(roundId, answeredInRound);
        if (answer < 0) revert NegativeAnswer(answer);
        if (answer == 0) revert ZeroAnswer();
        // forge-lint: disable-next-line(block-timestamp) -- oracle timekeeping; a validator's seconds of drift are within every bound.
        if (updatedAt_ > block.timestamp) revert FutureAnswer(updatedAt_, block.timestamp);
        // forge-lint: disable-next-line(block-timestamp) -- oracle timekeeping; a validator's seconds of drift are within every bound.
        if (block.timestamp - updatedAt_ > maxAgeSeconds) revert StaleAnswer(updatedAt_, maxAgeSeconds);
        // forge-lint: disable-next-line(unsafe-typecast) -- answer > 0 checked above.
        priceWad = normalize(uint256(answer));
        updatedAt = updatedAt_;
    }

    /// @notice `answer` (aggregator decimals) as WAD: multiplied by `10 ** (18 - decimals)`, or divided by
    /// `10 ** (decimals - 18)` rounded down. Reverts `ZeroPrice` if that is 0, `AnswerTooLarge` or
    /// `PriceOverflow` if it is above `type(uint128).max`.
    /// @param answer A positive answer with the aggregator's decimals.
    /// @return priceWad The answer as WAD.
    function normalize(uint256 answer) public view returns (uint256 priceWad) {
        if (_scaleDown) {
            priceWad = answer / _scale;
            if (priceWad == 0) revert ZeroPrice();
        } else {
            // Checked first so the multiplication cannot overflow.
            if (answer > type(uint128).max / _scale) revert AnswerTooLarge(answer);
            priceWad = answer * _scale;
        }
        if (priceWad > type(uint128).max) revert PriceOverflow(priceWad);
    }
}
