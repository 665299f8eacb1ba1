// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPortfolioEngine} from "../../contracts/src/interfaces/IPortfolioEngine.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {PortfolioBaseTest} from "../utils/PortfolioBaseTest.sol";
import {FeeOnTransferToken} from "../utils/mocks/FeeOnTransferToken.sol";

/// @notice Portfolio vaults (issue #18, slice 3): deposit, withdraw, borrow and repay against one debt
/// booked on the vault engine's `PORTFOLIO` ilk, the engine's side of it (`setRiskEngine`,
/// `externalDebt`, isolated operations refused), and the table change guard.
contract PortfolioVaultsTest is PortfolioBaseTest {
    /*//////////////////////////////////////////////////////////////
                                DEPOSIT
    //////////////////////////////////////////////////////////////*/

    function test_Deposit_AnyoneCreditsTheOwnerAndEmits() public {
        weth.mint(bob, 2e18);
        vm.startPrank(bob);
        weth.approve(address(portfolio), type(uint256).max);
        vm.expectEmit(address(portfolio));
        emit IPortfolioEngine.PortfolioCollateralChanged(alice, ETH_A, 2e18, 2e18);
        portfolio.deposit(alice, ETH_A, 2e18);
        vm.stopPrank();
        assertEq(portfolio.collateralOf(alice, ETH_A), 2e18);
        assertEq(portfolio.totalHeld(ETH_A), 2e18);
        assertEq(weth.balanceOf(address(portfolio)), 2e18);
        assertEq(portfolio.holdingsOf(alice)[2], 2e18);
    }

    function test_Deposit_RevertWhen_NotPortfolioAsset() public {
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.NotPortfolioAsset.selector, PORTFOLIO));
        vm.prank(alice);
        portfolio.deposit(alice, PORTFOLIO, 1e18);
    }

    function test_Deposit_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IPortfolioEngine.ZeroAmount.selector);
        vm.prank(alice);
        portfolio.deposit(alice, ETH_A, 0);
    }

    function test_Deposit_RevertWhen_FeeOnTransfer() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(18);
        bytes32 id = "FOT-A";
        vm.startPrank(gov);
        _addIlk(id, address(fot), 1.5e18, FEE_1_PCT, 1e24, 100e18);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = id;
        uint256[][] memory rows = new uint256[][](1);
        rows[0] = new uint256[](1);
        rows[0][0] = WAD;
        portfolio.setScenarioTable(ids, rows);
        vm.stopPrank();
        fot.mint(alice, 10e18);
        vm.startPrank(alice);
        fot.approve(address(portfolio), type(uint256).max);
        // The mock keeps 1% of each transfer.
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.FeeOnTransfer.selector, address(fot), 10e18, 9.9e18));
        portfolio.deposit(alice, id, 10e18);
        vm.stopPrank();
        assertEq(portfolio.totalHeld(id), 0);
    }

    /*//////////////////////////////////////////////////////////////
                                 BORROW
    //////////////////////////////////////////////////////////////*/

    function test_Borrow_AgainstSeveralAssetsUpToTheWorstScenario() public {
        _depositPortfolio(alice, WBTC_A, 1e8);
        _depositPortfolio(alice, ETH_A, 30e18);
        // The table holds a full crypto crash: the worst value is the sum of the isolated values.
        uint256 limit = _isolatedValue(WBTC_A, 1e8) + _isolatedValue(ETH_A, 30e18);
        (uint256 worst, uint256 j) = portfolio.portfolioRequirement(portfolio.holdingsOf(alice));
        assertEq(worst, limit);
        assertEq(j, 3);

        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.UnsafePortfolio.selector, alice, limit, limit + 1, 3));
        vm.prank(alice);
        portfolio.borrow(limit + 1);

        vm.prank(alice);
        portfolio.borrow(limit);
        assertEq(gusd.balanceOf(alice), limit);
        assertEq(portfolio.portfolioDebt(alice), limit);
        assertTrue(portfolio.isSafe(alice));
        _assertBooksBalance();
    }

    /// @notice One asset: the portfolio lends exactly what an isolated vault of the same collateral lends.
    function testFuzz_Borrow_OneAssetLimitEqualsTheIsolatedVault(uint256 amount, uint256 ilkSeed) public {
        // Asset k's single-asset scenario is row k (the first worst on ties).
        bytes32 id = _assets()[ilkSeed % 3];
        amount = bound(amount, _units(id, 1), _units(id, 100_000));
        uint256 limit = _isolatedValue(id, amount);
        vm.assume(limit >= PORTFOLIO_DUST + 1 && limit >= 100e18 + 1);
        // Only the collateral rule may decide: ceilings out of the way.
        vm.startPrank(gov);
        engine.setDebtCeiling(id, 1e30);
        engine.setDebtCeiling(PORTFOLIO, 1e30);
        vm.stopPrank();
        _depositPortfolio(alice, id, amount);
        _deal(id, bob, amount);
        vm.prank(bob);
        engine.deposit(id, amount);

        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnsafeVault.selector, id, bob, limit, limit + 1));
        vm.prank(bob);
        engine.borrow(id, limit + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IPortfolioEngine.UnsafePortfolio.selector, alice, limit, limit + 1, ilkSeed % 3)
        );
        vm.prank(alice);
        portfolio.borrow(limit + 1);

        vm.prank(bob);
        engine.borrow(id, limit);
        vm.prank(alice);
        portfolio.borrow(limit);
        assertEq(portfolio.portfolioDebt(alice), engine.debtOf(id, bob));
    }

    function test_Borrow_RevertWhen_DebtBelowDust() public {
        _depositPortfolio(alice, ETH_A, 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(IVaultEngine.DebtBelowDust.selector, PORTFOLIO, alice, 1e18, PORTFOLIO_DUST)
        );
        vm.prank(alice);
        portfolio.borrow(1e18);
    }

    function test_Borrow_RevertWhen_NoCollateral() public {
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.UnsafePortfolio.selector, alice, 0, 1000e18, 0));
        vm.prank(alice);
        portfolio.borrow(1000e18);
    }

    /*//////////////////////////////////////////////////////////////
                                WITHDRAW
    //////////////////////////////////////////////////////////////*/

    function test_Withdraw_SendsToTheRecipientWhileSafe() public {
        _depositPortfolio(alice, ETH_A, 10e18);
        vm.prank(alice);
        portfolio.borrow(1000e18);
        vm.expectEmit(address(portfolio));
        emit IPortfolioEngine.PortfolioCollateralChanged(alice, ETH_A, -4e18, 6e18);
        vm.prank(alice);
        portfolio.withdraw(ETH_A, 4e18, carol);
        assertEq(weth.balanceOf(carol), 4e18);
        assertEq(portfolio.collateralOf(alice, ETH_A), 6e18);
        assertEq(portfolio.totalHeld(ETH_A), 6e18);
    }

    function test_Withdraw_RevertWhen_UnsafePortfolio() public {
        _depositPortfolio(alice, ETH_A, 10e18);
        _depositPortfolio(alice, USDC_A, 1000e6);
        uint256 limit = _isolatedValue(ETH_A, 10e18) + _isolatedValue(USDC_A, 1000e6);
        vm.prank(alice);
        portfolio.borrow(limit);
        // Taking out one USDC leaves the crypto crash (with USDC at its implied mark) above the debt, the
        // USDC-only scenario (ETH at its implied mark) above it too, but the ETH scenario below.
        uint256 worstAfter =
            _isolatedValue(ETH_A, 10e18) + (999e6 * 1e12 * (engine.ilks(USDC_A).spot * 1.1e18 / WAD)) / WAD;
        assertGt(worstAfter, limit); // USDC at its mark still covers: this withdrawal is allowed
        vm.prank(alice);
        portfolio.withdraw(USDC_A, 1e6, alice);
        // Taking out everything but one USDC is not.
        uint256 rest = 999e6 - 1e6;
        uint256 left = 1e6;
        uint256 ethScenario =
            _isolatedValue(ETH_A, 10e18) + (left * 1e12 * (engine.ilks(USDC_A).spot * 1.1e18 / WAD)) / WAD;
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.UnsafePortfolio.selector, alice, ethScenario, limit, 2));
        vm.prank(alice);
        portfolio.withdraw(USDC_A, rest, alice);
    }

    function test_Withdraw_RevertWhen_InsufficientCollateral() public {
        _depositPortfolio(alice, ETH_A, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.InsufficientCollateral.selector, ETH_A, 2e18, 1e18));
        vm.prank(alice);
        portfolio.withdraw(ETH_A, 2e18, alice);
    }

    function test_Withdraw_RevertWhen_NotTheOwnersCollateral() public {
        _depositPortfolio(alice, ETH_A, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.InsufficientCollateral.selector, ETH_A, 1e18, 0));
        vm.prank(bob);
        portfolio.withdraw(ETH_A, 1e18, bob);
    }

    /*//////////////////////////////////////////////////////////////
                                 REPAY
    //////////////////////////////////////////////////////////////*/

    function test_Repay_AnyoneRepaysAndTheBooksBalance() public {
        _depositPortfolio(alice, ETH_A, 10e18);
        vm.prank(alice);
        portfolio.borrow(1000e18);
        skip(30 days);
        engine.drip(PORTFOLIO);
        vm.prank(alice);
        assertTrue(gusd.transfer(bob, 400e18));
        vm.prank(bob);
        portfolio.repay(alice, 400e18);
        assertEq(gusd.balanceOf(bob), 0);
        assertApproxEqAbs(portfolio.portfolioDebt(alice), engine.debtOf(PORTFOLIO, alice), 0);
        assertGt(portfolio.portfolioDebt(alice), 600e18); // fees accrued
        _assertBooksBalance();
    }

    /*//////////////////////////////////////////////////////////////
                         THE ENGINE'S DEBT LINE
    //////////////////////////////////////////////////////////////*/

    function test_IsolatedOperations_RevertWhen_ExternallyMargined() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ExternallyMargined.selector, PORTFOLIO));
        vm.prank(alice);
        engine.adjust(PORTFOLIO, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ExternallyMargined.selector, PORTFOLIO));
        vm.prank(alice);
        engine.close(PORTFOLIO);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ExternallyMargined.selector, PORTFOLIO));
        engine.isSafe(PORTFOLIO, alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ExternallyMargined.selector, PORTFOLIO));
        engine.liquidationView(PORTFOLIO, alice);
        assertEq(engine.riskEngine(PORTFOLIO), address(portfolio));
    }

    function test_ExternalDebt_RevertWhen_NotRiskEngine() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotRiskEngine.selector, PORTFOLIO, alice));
        vm.prank(alice);
        engine.externalDebt(PORTFOLIO, alice, 1000e18, alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotRiskEngine.selector, ETH_A, address(portfolio)));
        vm.prank(address(portfolio));
        engine.externalDebt(ETH_A, alice, 1000e18, alice);
    }

    function test_SetRiskEngine_EmitsAndIsOwnerOnly() public {
        bytes32 id = "PORTFOLIO-2";
        vm.startPrank(gov);
        _addIlk(id, address(gusd), 1e18, FEE_1_PCT, 1e24, 100e18);
        vm.expectEmit(address(engine));
        emit IVaultEngine.RiskEngineSet(id, address(portfolio));
        engine.setRiskEngine(id, address(portfolio));
        vm.stopPrank();
        vm.expectRevert();
        vm.prank(alice);
        engine.setRiskEngine(id, alice);
    }

    function test_SetRiskEngine_RevertWhen_IlkInUse() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        (, uint256 art) = engine.vault(ETH_A, alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.IlkInUse.selector, ETH_A, art));
        vm.prank(gov);
        engine.setRiskEngine(ETH_A, address(portfolio));
    }

    /*//////////////////////////////////////////////////////////////
                          TABLE CHANGE GUARD
    //////////////////////////////////////////////////////////////*/

    function test_SetScenarioTable_RevertWhen_AssetStillHeld() public {
        _depositPortfolio(alice, WBTC_A, 1e8);
        bytes32[] memory ids = new bytes32[](2);
        (ids[0], ids[1]) = (USDC_A, ETH_A);
        uint256[][] memory rows = new uint256[][](2);
        rows[0] = new uint256[](2);
        rows[1] = new uint256[](2);
        (rows[0][0], rows[1][1]) = (WAD, WAD);
        vm.expectRevert(abi.encodeWithSelector(IPortfolioEngine.AssetStillHeld.selector, WBTC_A, 1e8));
        vm.prank(gov);
        portfolio.setScenarioTable(ids, rows);
        // Reordered, with WBTC kept, is fine: holdings are per ilk, not per column.
        bytes32[] memory reordered = new bytes32[](3);
        (reordered[0], reordered[1], reordered[2]) = (ETH_A, WBTC_A, USDC_A);
        vm.prank(gov);
        portfolio.setScenarioTable(reordered, _typicalTable());
        assertEq(portfolio.holdingsOf(alice)[1], 1e8);
    }
}
