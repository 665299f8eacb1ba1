// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {IVaultEngine} from "../../src/interfaces/IVaultEngine.sol";
import {DemoToken} from "../../src/testing/DemoToken.sol";

/// @title SeedFunder
/// @notice LOCAL CHAINS ONLY: a helper `SeedLocal.s.sol` deploys to seed many vaults in few
/// transactions. In one call it mints each owner's demo collateral, deposits it into the owner's
/// vault (the VaultEngine lets anyone add collateral to any vault) and tops the owner up with gas
/// money; each owner then only sends its own `borrow`. Holds nothing between calls.
contract SeedFunder {
    /// @notice The arrays differ in length.
    error LengthMismatch();

    /// @notice For each `i`: mints `amounts[i]` of `tokens[i]` (a DemoToken), deposits it into
    /// `owners[i]`'s `ilks[i]` vault, and raises the owner's ETH balance to `ethEach`. Leftover ETH
    /// returns to the caller.
    function fundVaults(
        IVaultEngine engine,
        address[] calldata owners,
        bytes32[] calldata ilks,
        address[] calldata tokens,
        uint256[] calldata amounts,
        uint256 ethEach
    ) external payable {
        uint256 n = owners.length;
        if (ilks.length != n || tokens.length != n || amounts.length != n) revert LengthMismatch();
        for (uint256 i; i < n; ++i) {
            DemoToken(tokens[i]).mint(address(this), amounts[i]);
            if (DemoToken(tokens[i]).allowance(address(this), address(engine)) < amounts[i]) {
                DemoToken(tokens[i]).approve(address(engine), type(uint256).max);
            }
            // forge-lint: disable-next-line(unsafe-typecast) demo amounts far below 2^255
            engine.adjustFor(ilks[i], owners[i], int256(amounts[i]), 0);
            uint256 balance = owners[i].balance;
            if (balance < ethEach) SafeTransferLib.safeTransferETH(owners[i], ethEach - balance);
        }
        if (address(this).balance > 0) SafeTransferLib.safeTransferETH(msg.sender, address(this).balance);
    }
}
