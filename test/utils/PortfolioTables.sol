// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Scenario-table builders shared by the portfolio tests: a three-asset row and the typical
/// table (the three single-asset scenarios, a crypto crash with correlation 1 and a milder
/// everything-down row), in the asset order of the test's `_assets()`.
abstract contract PortfolioTables {
    uint256 private constant _WAD = 1e18;

    function _row(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory r) {
        r = new uint256[](3);
        (r[0], r[1], r[2]) = (a, b, c);
    }

    function _typicalTable() internal pure returns (uint256[][] memory rows) {
        rows = new uint256[][](5);
        rows[0] = _row(_WAD, 0, 0);
        rows[1] = _row(0, _WAD, 0);
        rows[2] = _row(0, 0, _WAD);
        rows[3] = _row(0, _WAD, _WAD);
        rows[4] = _row(0.3e18, 0.6e18, 0.6e18);
    }
}
