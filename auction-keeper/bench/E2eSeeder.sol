// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

// Bench-only seeding helper for bench/e2e.bench.ts: opens many vaults per transaction. Each vault
// owner is a constructor-only contract (no runtime code) that mints itself the mock collateral,
// approves the engine and opens its vault with one `adjust`. Compiled by the bench with solc-js.

interface IE2eMintable {
    function mint(address to, uint256 amount) external;
    function approve(address spender, uint256 amount) external returns (bool);
}

interface IE2eEngine {
    function adjust(bytes32 ilk, int256 collateralDelta, int256 debtDelta) external;
}

contract E2eVaultOwner {
    constructor(address engine, address token, bytes32 ilk, uint256 collateral, uint256 debt) {
        IE2eMintable(token).mint(address(this), collateral);
        IE2eMintable(token).approve(engine, collateral);
        IE2eEngine(engine).adjust(ilk, int256(collateral), int256(debt));
        assembly {
            return(0, 0)
        }
    }
}

contract E2eSeeder {
    function seed(address engine, address token, bytes32 ilk, uint256[] calldata collateral, uint256[] calldata debt)
        external
    {
        for (uint256 i = 0; i < collateral.length; i++) {
            new E2eVaultOwner(engine, token, ilk, collateral[i], debt[i]);
        }
    }
}
