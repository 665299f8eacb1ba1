// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test, stdError} from "forge-std/Test.sol";

/// @notice Proves the toolchain end to end: forge-std resolves from npm, solc-js compiles through
/// the wrapper, and a test runs. Replaced in spirit by the protocol's own suites as they land.
contract ToolchainTest is Test {
    function test_Toolchain_CompilerIsPinned() public pure {
        // 0.8.30 introduced nothing we test for directly; the pragma above pins it. Checked
        // arithmetic (0.8.x) must revert on overflow:
        uint256 max = type(uint256).max;
        bool overflowed;
        unchecked {
            overflowed = max + 1 == 0;
        }
        assertTrue(overflowed, "unchecked wraps");
    }

    function testFuzz_Toolchain_CheckedAdditionReverts(uint256 a) public {
        a = bound(a, 1, type(uint256).max);
        vm.expectRevert(stdError.arithmeticError);
        this.add(type(uint256).max, a);
    }

    function add(uint256 x, uint256 y) external pure returns (uint256) {
        return x + y;
    }
}
