// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IUniswapV2PairLike} from "../../../contracts/src/oracles/external/IUniswapV2PairLike.sol";

/// @notice A token with only `decimals` (all the TWAP feed reads).
contract MockDecimalsToken {
    uint8 public immutable decimals;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }
}

/// @notice Uniswap-V2-style pair reduced to its oracle: reserves and cumulative prices accumulated
/// exactly as `UniswapV2Pair._update` does (UQ112x112, uint32 timestamps, wrapping arithmetic).
contract MockUniswapV2Pair is IUniswapV2PairLike {
    uint256 internal constant Q112 = 2 ** 112;

    address public immutable token0;
    address public immutable token1;
    uint112 internal _reserve0;
    uint112 internal _reserve1;
    uint32 internal _blockTimestampLast;
    uint256 public price0CumulativeLast;
    uint256 public price1CumulativeLast;

    constructor(address tokenA, address tokenB) {
        (token0, token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
    }

    function getReserves() external view returns (uint112, uint112, uint32) {
        return (_reserve0, _reserve1, _blockTimestampLast);
    }

    /// @notice Accumulates the old reserves' prices up to now, then sets new reserves (the pair's `_update`).
    function setReserves(uint112 reserve0, uint112 reserve1) external {
        uint32 blockTimestamp = uint32(block.timestamp);
        unchecked {
            uint32 timeElapsed = blockTimestamp - _blockTimestampLast;
            if (timeElapsed > 0 && _reserve0 != 0 && _reserve1 != 0) {
                price0CumulativeLast += uint256(uint224(uint256(_reserve1) * Q112 / _reserve0)) * timeElapsed;
                price1CumulativeLast += uint256(uint224(uint256(_reserve0) * Q112 / _reserve1)) * timeElapsed;
            }
        }
        _reserve0 = reserve0;
        _reserve1 = reserve1;
        _blockTimestampLast = blockTimestamp;
    }

    /// @notice Overwrites the accumulators (to test wrap-around).
    function setCumulatives(uint256 p0, uint256 p1) external {
        price0CumulativeLast = p0;
        price1CumulativeLast = p1;
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
