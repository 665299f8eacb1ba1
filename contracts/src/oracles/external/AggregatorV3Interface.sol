// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title AggregatorV3Interface
/// @notice The part of Chainlink's `AggregatorV3Interface` the `ChainlinkFeed` adapter reads (same
/// signatures, so a real aggregator or proxy plugs in unchanged).
// Chainlink's own interface name, kept so integrators recognise it.
// solhint-disable-next-line interface-starts-with-i
interface AggregatorV3Interface {
    /// @notice Decimals of `answer`.
    function decimals() external view returns (uint8);

    /// @notice Human-readable pair, e.g. "ETH / USD".
    function description() external view returns (string memory);

    /// @notice The latest round.
    /// @return roundId Round id.
    /// @return answer Price with `decimals()` decimals.
    /// @return startedAt Unix time the round started.
    /// @return updatedAt Unix time the answer was computed; 0 while the round is incomplete.
    /// @return answeredInRound Round in which `answer` was computed (deprecated; `== roundId` in OCR).
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
