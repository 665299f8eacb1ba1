// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {BaseTest} from "../utils/BaseTest.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";

// Tests cast freely between int256/uint256/uint128 on bounded values.
// forge-lint: disable-start(unsafe-typecast)
/// @notice Fuzz over amounts, decimals (0..18), prices, ratios and time: safety boundary, rounding
/// direction, views and the accounting identity.
contract VaultEngineFuzzTest is BaseTest {
    bytes32 internal constant FUZZ = "FUZZ-A";

    /// @dev Lists a fresh token with `decimals`, ratio `ratio`, no fee, no dust, max ceiling, and a price.
    function _listFuzzIlk(uint8 decimals, uint256 ratio, uint256 price) internal returns (MockERC20 t) {
        t = new MockERC20("Fuzz", "FZ", decimals);
        vm.startPrank(gov);
        engine.addIlk(FUZZ, address(t));
        engine.setLiquidationRatio(FUZZ, ratio);
        engine.setDebtCeiling(FUZZ, type(uint128).max);
        vm.stopPrank();
        _setPrice(FUZZ, price);
    }

    /// @notice Borrowing exactly floor(collateral value at spot) succeeds; one wei more reverts UnsafeVault.
    function testFuzz_Borrow_SafetyBoundaryAcrossDecimals(
        uint8 decimals,
        uint256 wholeTokens,
        uint256 price,
        uint256 ratio
    ) public {
        decimals = uint8(bound(decimals, 0, 18));
        wholeTokens = bound(wholeTokens, 1, 1e9);
        price = bound(price, 1e12, 1e24); // 0.000001 .. 1,000,000 per token
        ratio = bound(ratio, 1e18, 10e18);
        _listFuzzIlk(decimals, ratio, price);
        uint256 collateral = wholeTokens * 10 ** decimals;
        _deal(FUZZ, alice, collateral);
        vm.prank(alice);
        engine.deposit(FUZZ, collateral);

        uint256 spot = engine.ilks(FUZZ).spot;
        uint256 maxDebt = collateral * 10 ** (18 - decimals) * spot / WAD;
        vm.assume(maxDebt > 0); // price × tokens below 1 wei of debt: nothing to borrow
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnsafeVault.selector, FUZZ, alice, maxDebt, maxDebt + 1));
        engine.borrow(FUZZ, maxDebt + 1);
        vm.prank(alice);
        engine.borrow(FUZZ, maxDebt);
        assertTrue(engine.isSafe(FUZZ, alice));
        assertGe(engine.health(FUZZ, alice), WAD);
        assertEq(gusd.balanceOf(alice), maxDebt);
        _assertBooksBalance();
    }

    /// @notice Below the liquidation price the vault is unsafe; 1% above it, safe.
    function testFuzz_LiquidationPrice_MatchesSafety(uint256 ilkSeed, uint256 wholeTokens, uint256 debtFraction)
        public
    {
        bytes32 id = _boundIlk(ilkSeed);
        wholeTokens = bound(wholeTokens, 1, 1e6);
        uint256 collateral = _units(id, wholeTokens);
        uint256 spot = engine.ilks(id).spot;
        uint256 maxDebt = collateral * engine.ilks(id).scale * spot / WAD;
        uint256 debt = bound(debtFraction, 100e18, 1e30);
        vm.assume(maxDebt >= 100e18); // at least dust of borrowing power
        debt = bound(debt, 100e18, maxDebt < 5_000_000e18 ? maxDebt : 5_000_000e18); // under every ceiling
        _open(alice, id, collateral, debt);

        uint256 lp = engine.liquidationPrice(id, alice);
        assertGt(lp, 0);
        _setPrice(id, lp - 1);
        assertFalse(engine.isSafe(id, alice), "unsafe below");
        assertLt(engine.health(id, alice), WAD);
        _setPrice(id, lp + lp / 100 + 1);
        assertTrue(engine.isSafe(id, alice), "safe above");
        assertGe(engine.health(id, alice), WAD);
    }

    /// @notice Borrow then repay with fees accrued in between: debt rounds against the borrower, and the
    /// books balance to the wei at every step.
    function testFuzz_BorrowDripRepayClose_BooksBalance(
        uint256 ilkSeed,
        uint256 debt,
        uint256 elapsed,
        uint256 repayFraction
    ) public {
        bytes32 id = _boundIlk(ilkSeed);
        uint256 collateral = _units(id, 1_000_000);
        debt = bound(debt, 100e18, 400_000e18); // at most ~44% of the weakest ilk's borrowing power
        _open(alice, id, collateral, debt);
        _assertBooksBalance();
        assertGe(engine.debtOf(id, alice), debt, "debt rounds up");

        elapsed = bound(elapsed, 1, 5 * 365 days);
        skip(elapsed);
        uint256 rate = engine.drip(id);
        (, uint256 art) = engine.vault(id, alice);
        assertEq(engine.debtOf(id, alice), (art * rate + RAY - 1) / RAY);
        _assertBooksBalance();

        // Partial repay, keeping at least dust. `owed` is rounded up; the engine checks dust on the
        // exact RAD debt, so keep one whole unit of margin above dust.
        uint256 owed = engine.debtOf(id, alice);
        if (owed <= 101e18) return;
        uint256 repayAmount = bound(repayFraction, 1, owed - 101e18 > debt ? debt : owed - 101e18);
        vm.prank(alice);
        engine.repay(id, repayAmount);
        assertGe(engine.debtOf(id, alice) + repayAmount, owed, "repay never reduces more than paid");
        _assertBooksBalance();

        // Close: borrow the shortfall from a second vault and pay off everything.
        uint256 remaining = engine.debtOf(id, alice);
        uint256 have = gusd.balanceOf(alice);
        if (remaining > have) _open(bob, ETH_A, 1_000_000e18, remaining - have + 100e18);
        if (remaining > have) {
            vm.prank(bob);
            assertTrue(gusd.transfer(alice, remaining - have));
        }
        vm.prank(alice);
        engine.close(id);
        (uint256 c, uint256 a) = engine.vault(id, alice);
        assertEq(c + a, 0);
        assertEq(_token(id).balanceOf(alice), collateral);
        _assertBooksBalance();
    }

    /// @notice Fees over any period add exactly normalizedDebt × Δrate to the surplus.
    function testFuzz_Drip_SurplusEqualsDebtGrowth(uint256 ilkSeed, uint256 fee, uint256 elapsed, uint256 debt) public {
        bytes32 id = _boundIlk(ilkSeed);
        fee = bound(fee, RAY, engine.MAX_STABILITY_FEE_RAY());
        vm.prank(gov);
        engine.setStabilityFee(id, fee);
        debt = bound(debt, 100e18, 1_000_000e18);
        _open(alice, id, _units(id, 10_000_000), debt);
        uint256 surplusBefore = engine.surplusRad();
        uint256 rateBefore = engine.ilks(id).rate;
        skip(bound(elapsed, 0, 10 * 365 days));
        uint256 rate = engine.drip(id);
        assertGe(rate, rateBefore);
        assertEq(engine.surplusRad() - surplusBefore, engine.ilks(id).normalizedDebt * (rate - rateBefore));
        _assertBooksBalance();
    }

    /// @notice Any seize then any heal keeps the books balanced; heal beyond bad debt turns into surplus.
    function testFuzz_SeizeHeal_BooksBalance(
        uint256 ilkSeed,
        uint256 debt,
        uint256 seizeCollateral,
        uint256 seizeDebt,
        uint256 healAmount
    ) public {
        bytes32 id = _boundIlk(ilkSeed);
        uint256 collateral = _units(id, 1_000_000);
        debt = bound(debt, 100e18, 500_000e18);
        _open(alice, id, collateral, debt);
        skip(30 days);
        engine.drip(id);
        (uint256 c, uint256 a) = engine.vault(id, alice);
        seizeCollateral = bound(seizeCollateral, 0, c);
        seizeDebt = bound(seizeDebt, 1, a);
        vm.prank(liquidator);
        uint256 debtRad = engine.seize(id, alice, seizeCollateral, seizeDebt, auction);
        assertEq(debtRad, seizeDebt * engine.ilks(id).rate);
        assertEq(engine.badDebtRad(), debtRad);
        assertEq(_token(id).balanceOf(auction), seizeCollateral);
        _assertBooksBalance();

        healAmount = bound(healAmount, 1, gusd.balanceOf(alice));
        uint256 bad = engine.badDebtRad();
        uint256 surplus = engine.surplusRad();
        vm.prank(alice);
        uint256 healed = engine.heal(healAmount);
        assertEq(healed, healAmount * RAY < bad ? healAmount * RAY : bad);
        assertEq(engine.badDebtRad(), bad - healed);
        assertEq(engine.surplusRad(), surplus + healAmount * RAY - healed);
        _assertBooksBalance();
    }

    /// @notice Out-of-range deltas are rejected with AmountOverflow, never a panic, and change nothing.
    function testFuzz_Adjust_OverflowSizedDeltas(int256 collateralDelta, int256 debtDelta) public {
        _open(alice, ETH_A, 10e18, 1000e18);
        uint256 big = uint256(type(uint128).max);
        collateralDelta = int256(bound(collateralDelta, int256(big) + 1, type(int256).max));
        if (debtDelta % 2 == 0) collateralDelta = -collateralDelta;
        (uint256 c0, uint256 a0) = engine.vault(ETH_A, alice);
        vm.expectPartialRevert(IVaultEngine.AmountOverflow.selector);
        vm.prank(alice);
        engine.adjust(ETH_A, collateralDelta, 0);
        debtDelta = int256(bound(debtDelta, int256(big) + 1, type(int256).max));
        vm.expectPartialRevert(IVaultEngine.AmountOverflow.selector);
        vm.prank(alice);
        engine.adjust(ETH_A, 0, debtDelta);
        (uint256 c1, uint256 a1) = engine.vault(ETH_A, alice);
        assertEq(c0, c1);
        assertEq(a0, a1);
    }
}
// forge-lint: disable-end(unsafe-typecast)
