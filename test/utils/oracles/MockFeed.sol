// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";

/// @notice An `IFeed` whose answer the test sets, returned as is (no validation: the oracle's own checks
/// are what is tested). `setRevert(true)` makes `read` revert like an adapter with nothing usable.
contract MockFeed is IFeed {
    uint256 public price;
    uint256 public updatedAt;
    bool public reverts;

    constructor(uint256 price_, uint256 updatedAt_) {
        price = price_;
        updatedAt = updatedAt_;
    }

    function set(uint256 price_, uint256 updatedAt_) external {
        price = price_;
        updatedAt = updatedAt_;
    }

    function setRevert(bool reverts_) external {
        reverts = reverts_;
    }

    function read() external view returns (uint256, uint256) {
        if (reverts) revert NoPrice();
        return (price, updatedAt);
    }
}

/// @notice A feed whose `read` returns only 32 bytes (malformed).
contract ShortReturnFeed {
    fallback() external {
        assembly {
            mstore(0x00, 1000000000000000000)
            return(0x00, 0x20)
        }
    }
}

/// @notice A feed whose `read` burns all the gas it is given.
contract GasGuzzlerFeed {
    fallback() external {
        assembly {
            for {} 1 {} {}
        }
    }
}

/// @notice A feed whose `read` returns a valid-looking price then 1 MB of extra data (return bomb).
contract ReturnBombFeed {
    uint256 internal immutable _price;

    constructor(uint256 price_) {
        _price = price_;
    }

    fallback() external {
        uint256 p = _price;
        assembly {
            mstore(0x00, p)
            mstore(0x20, timestamp())
            return(0x00, 100000)
        }
    }
}

/// @notice A feed that reports what another feed reports: lets a test that drives one feed give a
/// `MedianOracle` the three distinct feeds it requires (`MIN_FEEDS`) without changing how it pushes.
contract MirrorFeed is IFeed {
    IFeed public immutable source;

    constructor(IFeed source_) {
        source = source_;
    }

    function read() external view returns (uint256, uint256) {
        return source.read();
    }
}
