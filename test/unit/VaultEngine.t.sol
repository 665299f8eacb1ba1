// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Stablecoin} from "../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../contracts/src/VaultEngine.sol";
import {IVaultEngine} from "../../contracts/src/interfaces/IVaultEngine.sol";
import {BaseTest} from "../utils/BaseTest.sol";
import {BadDecimalsToken} from "../utils/mocks/BadDecimalsToken.sol";
import {FeeOnTransferToken} from "../utils/mocks/FeeOnTransferToken.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";
import {ReturnsFalseToken} from "../utils/mocks/ReturnsFalseToken.sol";
import {Ownable} from "solady/auth/Ownable.sol";
import {ERC20} from "solady/tokens/ERC20.sol";

// Tests cast freely between int256/uint256/uint128 on bounded values.
// forge-lint: disable-start(unsafe-typecast)
contract VaultEngineTest is BaseTest {
    /// @dev Snapshot of everything a reverted call must leave unchanged.
    struct State {
        uint256 collateral;
        uint256 normalizedDebt;
        uint256 ilkDebt;
        uint256 engineBalance;
        uint256 userBalance;
        uint256 gusdBalance;
        uint256 supply;
        uint256 surplus;
        uint256 badDebt;
    }

    function _state(bytes32 id, address user) internal view returns (State memory s) {
        (s.collateral, s.normalizedDebt) = engine.vault(id, user);
        IVaultEngine.Ilk memory i = engine.ilks(id);
        s.ilkDebt = i.normalizedDebt;
        if (i.token != address(0)) {
            s.engineBalance = MockERC20(i.token).balanceOf(address(engine));
            s.userBalance = MockERC20(i.token).balanceOf(user);
        }
        s.gusdBalance = gusd.balanceOf(user);
        s.supply = gusd.totalSupply();
        s.surplus = engine.surplusRad();
        s.badDebt = engine.badDebtRad();
    }

    function _assertUnchanged(State memory a, State memory b) internal pure {
        assertEq(a.collateral, b.collateral, "collateral");
        assertEq(a.normalizedDebt, b.normalizedDebt, "normalizedDebt");
        assertEq(a.ilkDebt, b.ilkDebt, "ilkDebt");
        assertEq(a.engineBalance, b.engineBalance, "engineBalance");
        assertEq(a.userBalance, b.userBalance, "userBalance");
        assertEq(a.gusdBalance, b.gusdBalance, "gusdBalance");
        assertEq(a.supply, b.supply, "supply");
        assertEq(a.surplus, b.surplus, "surplus");
        assertEq(a.badDebt, b.badDebt, "badDebt");
    }

    /// @dev Adds an ilk backed by `token` with a price, ratio 150%, no fee, a large ceiling.
    function _listToken(bytes32 id, address token, uint256 price) internal {
        vm.startPrank(gov);
        engine.addIlk(id, token);
        engine.setLiquidationRatio(id, 1.5e18);
        engine.setDebtCeiling(id, 1_000_000e18);
        vm.stopPrank();
        _setPrice(id, price);
    }

    /*//////////////////////////////////////////////////////////////
                         CONSTRUCTOR AND ILKS
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_SetsOwnerAndStablecoin() public view {
        assertEq(engine.owner(), gov);
        assertEq(gusd.engine(), address(engine));
        assertEq(gusd.totalSupply(), 0);
        assertEq(engine.insuranceFund(), address(fund));
    }

    function test_Constructor_RevertWhen_ZeroOwner() public {
        vm.expectRevert(IVaultEngine.ZeroAddress.selector);
        new VaultEngine(address(0));
    }

    function test_AddIlk_StoresDefaultsForEachDecimals() public {
        uint8[3] memory decs = [uint8(6), 8, 18];
        for (uint256 k; k < 3; ++k) {
            MockERC20 t = new MockERC20("T", "T", decs[k]);
            bytes32 id = bytes32(uint256(k + 1));
            vm.expectEmit(address(engine));
            emit IVaultEngine.IlkAdded(id, address(t), decs[k], 10 ** (18 - decs[k]));
            vm.prank(gov);
            engine.addIlk(id, address(t));
            IVaultEngine.Ilk memory i = engine.ilks(id);
            assertEq(i.token, address(t));
            assertEq(i.decimals, decs[k]);
            assertEq(i.scale, 10 ** (18 - decs[k]));
            assertEq(i.rate, RAY);
            assertEq(i.stabilityFeeRay, RAY);
            assertEq(i.liquidationRatio, WAD);
            assertEq(i.spot, 0);
            assertEq(i.debtCeiling, 0);
            assertEq(i.dust, 0);
            assertEq(i.normalizedDebt, 0);
            assertEq(i.lastDrip, block.timestamp);
        }
        assertEq(engine.ilkList().length, 6);
    }

    function test_AddIlk_AcceptsZeroDecimals() public {
        MockERC20 t = new MockERC20("T", "T", 0);
        vm.prank(gov);
        engine.addIlk("ZERO", address(t));
        assertEq(engine.ilks("ZERO").scale, 1e18);
    }

    function test_AddIlk_AllowsSharedToken() public {
        vm.prank(gov);
        engine.addIlk("ETH-B", address(weth));
        assertEq(engine.ilks("ETH-B").token, address(weth));
    }

    function test_AddIlk_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        engine.addIlk("X", address(weth));
    }

    function test_AddIlk_RevertWhen_ZeroIlk() public {
        vm.expectRevert(IVaultEngine.ZeroIlk.selector);
        vm.prank(gov);
        engine.addIlk(bytes32(0), address(weth));
    }

    function test_AddIlk_RevertWhen_ZeroToken() public {
        vm.expectRevert(IVaultEngine.ZeroAddress.selector);
        vm.prank(gov);
        engine.addIlk("X", address(0));
    }

    function test_AddIlk_RevertWhen_AlreadyExists() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.IlkAlreadyExists.selector, ETH_A));
        vm.prank(gov);
        engine.addIlk(ETH_A, address(usdc));
    }

    function test_AddIlk_RevertWhen_DecimalsAbove18() public {
        BadDecimalsToken t = new BadDecimalsToken(24);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnsupportedDecimals.selector, address(t), 24));
        vm.prank(gov);
        engine.addIlk("X", address(t));
    }

    function test_AddIlk_RevertWhen_NotAToken() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.InvalidToken.selector, alice));
        vm.prank(gov);
        engine.addIlk("X", alice);
    }

    function test_AddIlk_RevertWhen_TooManyIlks() public {
        vm.startPrank(gov);
        for (uint256 k = 3; k < engine.MAX_ILKS(); ++k) {
            engine.addIlk(bytes32(k + 100), address(weth));
        }
        vm.expectRevert(IVaultEngine.TooManyIlks.selector);
        engine.addIlk("ONE-MORE", address(weth));
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                               SETTERS
    //////////////////////////////////////////////////////////////*/

    function test_SetDebtCeiling_SetsAndEmits() public {
        vm.expectEmit(address(engine));
        emit IVaultEngine.DebtCeilingSet(ETH_A, 5e18);
        vm.prank(gov);
        engine.setDebtCeiling(ETH_A, 5e18);
        assertEq(engine.ilks(ETH_A).debtCeiling, 5e18);
    }

    function test_SetDebtCeiling_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        engine.setDebtCeiling(ETH_A, 1);
    }

    function test_SetDebtCeiling_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(gov);
        engine.setDebtCeiling("NOPE", 1);
    }

    function test_SetDebtCeiling_RevertWhen_OutOfBounds() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ParameterOutOfBounds.selector, v, 0, type(uint128).max));
        vm.prank(gov);
        engine.setDebtCeiling(ETH_A, v);
    }

    function test_SetDust_SetsAndEmits() public {
        vm.expectEmit(address(engine));
        emit IVaultEngine.DustSet(ETH_A, 7e18);
        vm.prank(gov);
        engine.setDust(ETH_A, 7e18);
        assertEq(engine.ilks(ETH_A).dust, 7e18);
    }

    function test_SetDust_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        engine.setDust(ETH_A, 1);
    }

    function test_SetDust_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(gov);
        engine.setDust("NOPE", 1);
    }

    function test_SetDust_RevertWhen_OutOfBounds() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ParameterOutOfBounds.selector, v, 0, type(uint128).max));
        vm.prank(gov);
        engine.setDust(ETH_A, v);
    }

    function test_SetLiquidationRatio_SetsAndEmits() public {
        vm.expectEmit(address(engine));
        emit IVaultEngine.LiquidationRatioSet(ETH_A, 2e18);
        vm.prank(gov);
        engine.setLiquidationRatio(ETH_A, 2e18);
        assertEq(engine.liquidationRatio(ETH_A), 2e18);
        assertEq(engine.ilks(ETH_A).liquidationRatio, 2e18);
    }

    function test_SetLiquidationRatio_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        engine.setLiquidationRatio(ETH_A, 2e18);
    }

    function test_SetLiquidationRatio_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(gov);
        engine.setLiquidationRatio("NOPE", 2e18);
    }

    function test_SetLiquidationRatio_RevertWhen_BelowOne() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ParameterOutOfBounds.selector, 1e18 - 1, 1e18, 10e18));
        vm.prank(gov);
        engine.setLiquidationRatio(ETH_A, 1e18 - 1);
    }

    function test_SetLiquidationRatio_RevertWhen_AboveMax() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ParameterOutOfBounds.selector, 10e18 + 1, 1e18, 10e18));
        vm.prank(gov);
        engine.setLiquidationRatio(ETH_A, 10e18 + 1);
    }

    function test_SetStabilityFee_DripsAtOldFeeFirst() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(365 days);
        uint256 snap = vm.snapshotState();
        uint256 expectedRate = engine.drip(ETH_A); // what the old fee accrues
        vm.revertToState(snap);
        vm.expectEmit(address(engine));
        emit IVaultEngine.StabilityFeeSet(ETH_A, FEE_1_PCT);
        vm.prank(gov);
        engine.setStabilityFee(ETH_A, FEE_1_PCT);
        assertEq(engine.ilks(ETH_A).rate, expectedRate);
        assertEq(engine.ilks(ETH_A).stabilityFeeRay, FEE_1_PCT);
        assertApproxEqRel(expectedRate, 1.05e27, 1e12);
    }

    function test_SetStabilityFee_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        engine.setStabilityFee(ETH_A, RAY);
    }

    function test_SetStabilityFee_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(gov);
        engine.setStabilityFee("NOPE", RAY);
    }

    function test_SetStabilityFee_RevertWhen_BelowOne() public {
        uint256 max = engine.MAX_STABILITY_FEE_RAY();
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ParameterOutOfBounds.selector, RAY - 1, RAY, max));
        vm.prank(gov);
        engine.setStabilityFee(ETH_A, RAY - 1);
    }

    function test_SetStabilityFee_RevertWhen_AboveMax() public {
        uint256 max = engine.MAX_STABILITY_FEE_RAY();
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ParameterOutOfBounds.selector, max + 1, RAY, max));
        vm.prank(gov);
        engine.setStabilityFee(ETH_A, max + 1);
    }

    function test_SetInsuranceFund_SetsAndEmits() public {
        vm.expectEmit(address(engine));
        emit IVaultEngine.InsuranceFundSet(carol);
        vm.prank(gov);
        engine.setInsuranceFund(carol);
        assertEq(engine.insuranceFund(), carol);
    }

    function test_SetInsuranceFund_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        engine.setInsuranceFund(carol);
    }

    function test_SetInsuranceFund_RevertWhen_Zero() public {
        vm.expectRevert(IVaultEngine.ZeroAddress.selector);
        vm.prank(gov);
        engine.setInsuranceFund(address(0));
    }

    function test_SetSpot_SetsAndEmits() public {
        vm.expectEmit(address(engine));
        emit IVaultEngine.SpotUpdated(ETH_A, 1234e18);
        vm.prank(spotter);
        engine.setSpot(ETH_A, 1234e18);
        assertEq(engine.ilks(ETH_A).spot, 1234e18);
    }

    function test_SetSpot_RevertWhen_NotSpotter() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(gov); // even governance needs the role
        engine.setSpot(ETH_A, 1);
    }

    function test_SetSpot_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(spotter);
        engine.setSpot("NOPE", 1);
    }

    function test_SetSpot_RevertWhen_OutOfBounds() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.ParameterOutOfBounds.selector, v, 0, type(uint128).max));
        vm.prank(spotter);
        engine.setSpot(ETH_A, v);
    }

    function test_LiquidationRatio_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        engine.liquidationRatio("NOPE");
    }

    /*//////////////////////////////////////////////////////////////
                               OPERATORS
    //////////////////////////////////////////////////////////////*/

    function test_SetOperator_AllowsAndEmits() public {
        vm.expectEmit(address(engine));
        emit IVaultEngine.OperatorSet(alice, bob, true);
        vm.prank(alice);
        engine.setOperator(bob, true);
        assertTrue(engine.isOperator(alice, bob));
        vm.prank(alice);
        engine.setOperator(bob, false);
        assertFalse(engine.isOperator(alice, bob));
    }

    function test_SetOperator_RevertWhen_ZeroOperator() public {
        vm.expectRevert(IVaultEngine.ZeroAddress.selector);
        vm.prank(alice);
        engine.setOperator(address(0), true);
    }

    /*//////////////////////////////////////////////////////////////
                                DEPOSIT
    //////////////////////////////////////////////////////////////*/

    function test_Deposit_PullsCollateralForEachDecimals() public {
        for (uint256 k; k < 3; ++k) {
            bytes32 id = allIlks[k];
            uint256 amount = _units(id, 3);
            _deal(id, alice, amount);
            vm.expectEmit(address(engine));
            emit IVaultEngine.VaultChanged(id, alice, int256(amount), 0, amount, 0);
            vm.prank(alice);
            engine.deposit(id, amount);
            (uint256 c, uint256 a) = engine.vault(id, alice);
            assertEq(c, amount);
            assertEq(a, 0);
            assertEq(_token(id).balanceOf(address(engine)), amount);
            assertEq(_token(id).balanceOf(alice), 0);
        }
    }

    function test_Deposit_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        vm.prank(alice);
        engine.deposit(ETH_A, 0);
    }

    function test_Deposit_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(alice);
        engine.deposit("NOPE", 1);
    }

    function test_Deposit_RevertWhen_AmountOverflow() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, v));
        vm.prank(alice);
        engine.deposit(ETH_A, v);
    }

    function test_Deposit_RevertWhen_CollateralOverflowAfterScaling() public {
        // 6 decimals: scale 1e12, so more than 2^128 / 1e12 native units cannot be valued.
        uint256 amount = uint256(type(uint128).max) / 1e12 + 1;
        _deal(USDC_A, alice, amount);
        State memory before = _state(USDC_A, alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.CollateralOverflow.selector, amount));
        vm.prank(alice);
        engine.deposit(USDC_A, amount);
        _assertUnchanged(before, _state(USDC_A, alice));
    }

    function test_Deposit_RevertWhen_InsufficientAllowance() public {
        weth.mint(alice, 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVaultEngine.CollateralTransferFailed.selector, address(weth), alice, address(engine), 1e18
            )
        );
        vm.prank(alice);
        engine.deposit(ETH_A, 1e18);
    }

    function test_Deposit_RevertWhen_FeeOnTransfer() public {
        FeeOnTransferToken t = new FeeOnTransferToken(18);
        _listToken("FEE-A", address(t), 1e18);
        t.mint(alice, 100e18);
        vm.prank(alice);
        t.approve(address(engine), type(uint256).max);
        State memory before = _state("FEE-A", alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.FeeOnTransfer.selector, address(t), 100e18, 99e18));
        vm.prank(alice);
        engine.deposit("FEE-A", 100e18);
        _assertUnchanged(before, _state("FEE-A", alice));
    }

    function test_Deposit_RevertWhen_TokenReturnsFalse() public {
        ReturnsFalseToken t = new ReturnsFalseToken(8);
        _listToken("FALSE-A", address(t), 1e18);
        t.mint(alice, 100e8);
        vm.prank(alice);
        t.approve(address(engine), type(uint256).max);
        t.setFailing(true);
        State memory before = _state("FALSE-A", alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVaultEngine.CollateralTransferFailed.selector, address(t), alice, address(engine), 1e8
            )
        );
        vm.prank(alice);
        engine.deposit("FALSE-A", 1e8);
        _assertUnchanged(before, _state("FALSE-A", alice));
    }

    function test_Deposit_AnyoneCanTopUpAnotherVault() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        _deal(ETH_A, bob, 1e18);
        vm.prank(bob);
        engine.adjustFor(ETH_A, alice, 1e18, 0);
        (uint256 c,) = engine.vault(ETH_A, alice);
        assertEq(c, 2e18);
        assertEq(weth.balanceOf(bob), 0);
    }

    function test_Deposit_AllowedWhileUnsafe() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        _setPrice(ETH_A, 1000e18); // now unsafe
        assertFalse(engine.isSafe(ETH_A, alice));
        _deal(ETH_A, alice, 1e17);
        vm.prank(alice);
        engine.deposit(ETH_A, 1e17);
        assertFalse(engine.isSafe(ETH_A, alice));
    }

    /*//////////////////////////////////////////////////////////////
                               WITHDRAW
    //////////////////////////////////////////////////////////////*/

    function test_Withdraw_SendsCollateral() public {
        _open(alice, WBTC_A, 2e8, 0);
        vm.expectEmit(address(engine));
        emit IVaultEngine.VaultChanged(WBTC_A, alice, -0.5e8, 0, 1.5e8, 0);
        vm.prank(alice);
        engine.withdraw(WBTC_A, 0.5e8);
        assertEq(wbtc.balanceOf(alice), 0.5e8);
        assertEq(wbtc.balanceOf(address(engine)), 1.5e8);
    }

    function test_Withdraw_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        vm.prank(alice);
        engine.withdraw(ETH_A, 0);
    }

    function test_Withdraw_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(alice);
        engine.withdraw("NOPE", 1);
    }

    function test_Withdraw_RevertWhen_InsufficientCollateral() public {
        _open(alice, ETH_A, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.InsufficientCollateral.selector, 1e18 + 1, 1e18));
        vm.prank(alice);
        engine.withdraw(ETH_A, 1e18 + 1);
    }

    function test_Withdraw_RevertWhen_UnsafeVault() public {
        // 1 ETH at 2000, ratio 150%: spot 1333.33…, so 1333 gUSD of debt is safe.
        _open(alice, ETH_A, 1e18, 1000e18);
        State memory before = _state(ETH_A, alice);
        uint256 value = (1e18 - 0.3e18) * engine.ilks(ETH_A).spot / WAD;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnsafeVault.selector, ETH_A, alice, value, 1000e18));
        vm.prank(alice);
        engine.withdraw(ETH_A, 0.3e18);
        _assertUnchanged(before, _state(ETH_A, alice));
    }

    function test_Withdraw_RevertWhen_NotAllowed() public {
        _open(alice, ETH_A, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAllowed.selector, alice, bob));
        vm.prank(bob);
        engine.adjustFor(ETH_A, alice, -1, 0);
    }

    function test_Withdraw_OperatorCanWithdrawToItself() public {
        _open(alice, ETH_A, 1e18, 0);
        vm.prank(alice);
        engine.setOperator(bob, true);
        vm.prank(bob);
        engine.adjustFor(ETH_A, alice, -0.4e18, 0);
        assertEq(weth.balanceOf(bob), 0.4e18);
        (uint256 c,) = engine.vault(ETH_A, alice);
        assertEq(c, 0.6e18);
    }

    function test_Withdraw_RevertWhen_TokenReturnsFalse() public {
        ReturnsFalseToken t = new ReturnsFalseToken(18);
        _listToken("FALSE-A", address(t), 1e18);
        t.mint(alice, 10e18);
        vm.prank(alice);
        t.approve(address(engine), type(uint256).max);
        vm.prank(alice);
        engine.deposit("FALSE-A", 10e18);
        t.setFailing(true);
        State memory before = _state("FALSE-A", alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVaultEngine.CollateralTransferFailed.selector, address(t), address(engine), alice, 1e18
            )
        );
        vm.prank(alice);
        engine.withdraw("FALSE-A", 1e18);
        _assertUnchanged(before, _state("FALSE-A", alice));
    }

    function test_Withdraw_RevertWhen_AmountOverflow() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, v));
        vm.prank(alice);
        engine.withdraw(ETH_A, v);
    }

    /*//////////////////////////////////////////////////////////////
                                BORROW
    //////////////////////////////////////////////////////////////*/

    function test_Borrow_MintsAndRecordsDebt() public {
        _open(alice, ETH_A, 10e18, 0);
        vm.expectEmit(address(engine));
        emit IVaultEngine.VaultChanged(ETH_A, alice, 0, 5000e18, 10e18, 5000e18);
        vm.prank(alice);
        engine.borrow(ETH_A, 5000e18);
        assertEq(gusd.balanceOf(alice), 5000e18);
        (, uint256 art) = engine.vault(ETH_A, alice);
        assertEq(art, 5000e18);
        assertEq(engine.ilks(ETH_A).normalizedDebt, 5000e18);
        assertEq(engine.debtOf(ETH_A, alice), 5000e18);
        _assertBooksBalance();
    }

    function test_Borrow_RoundsNormalizedDebtUpIntoSurplus() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(123_457);
        uint256 rate = engine.drip(ETH_A);
        assertGt(rate, RAY);
        uint256 surplusBefore = engine.surplusRad();
        vm.prank(alice);
        engine.borrow(ETH_A, 1000e18);
        (, uint256 art) = engine.vault(ETH_A, alice);
        uint256 dart = art - 1000e18;
        assertEq(dart, (1000e18 * RAY + rate - 1) / rate, "dart rounded up");
        assertEq(engine.surplusRad() - surplusBefore, dart * rate - 1000e18 * RAY, "rounding surplus");
        assertGe(dart * rate, 1000e18 * RAY);
        _assertBooksBalance();
    }

    function test_Borrow_UpToExactlySafe() public {
        // 1 ETH at 2000, ratio 1.5 -> spot = 1333.333…e18 (rounded down): max debt = floor(spot).
        _open(alice, ETH_A, 1e18, 0);
        uint256 maxDebt = engine.ilks(ETH_A).spot;
        vm.prank(alice);
        engine.borrow(ETH_A, maxDebt);
        assertTrue(engine.isSafe(ETH_A, alice));
        assertEq(engine.health(ETH_A, alice), WAD);
    }

    function test_Borrow_RevertWhen_UnsafeVault() public {
        _open(alice, ETH_A, 1e18, 0);
        uint256 spot = engine.ilks(ETH_A).spot;
        State memory before = _state(ETH_A, alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnsafeVault.selector, ETH_A, alice, spot, spot + 1));
        vm.prank(alice);
        engine.borrow(ETH_A, spot + 1);
        _assertUnchanged(before, _state(ETH_A, alice));
    }

    function test_Borrow_RevertWhen_CeilingExceeded() public {
        vm.prank(gov);
        engine.setDebtCeiling(ETH_A, 1000e18);
        _open(alice, ETH_A, 10e18, 600e18);
        _deal(ETH_A, bob, 10e18);
        State memory before = _state(ETH_A, bob);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.CeilingExceeded.selector, ETH_A, 1001e18, 1000e18));
        vm.prank(bob);
        engine.adjust(ETH_A, 10e18, 401e18);
        _assertUnchanged(before, _state(ETH_A, bob));
        vm.prank(bob);
        engine.adjust(ETH_A, 10e18, 400e18); // exactly at the ceiling
    }

    function test_Borrow_RevertWhen_DebtBelowDust() public {
        _open(alice, ETH_A, 1e18, 0);
        State memory before = _state(ETH_A, alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.DebtBelowDust.selector, ETH_A, alice, 99e18, 100e18));
        vm.prank(alice);
        engine.borrow(ETH_A, 99e18);
        _assertUnchanged(before, _state(ETH_A, alice));
    }

    function test_Borrow_RevertWhen_NotAllowed() public {
        _open(alice, ETH_A, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAllowed.selector, alice, bob));
        vm.prank(bob);
        engine.adjustFor(ETH_A, alice, 0, 100e18);
    }

    function test_Borrow_OperatorReceivesStablecoin() public {
        _open(alice, ETH_A, 1e18, 0);
        vm.prank(alice);
        engine.setOperator(bob, true);
        vm.prank(bob);
        engine.adjustFor(ETH_A, alice, 0, 100e18);
        assertEq(gusd.balanceOf(bob), 100e18);
        assertEq(engine.debtOf(ETH_A, alice), 100e18);
    }

    function test_Borrow_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        vm.prank(alice);
        engine.borrow(ETH_A, 0);
    }

    function test_Borrow_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(alice);
        engine.borrow("NOPE", 100e18);
    }

    function test_Borrow_RevertWhen_AmountOverflow() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, v));
        vm.prank(alice);
        engine.borrow(ETH_A, v);
    }

    function test_Adjust_RevertWhen_DebtDeltaOverflow() public {
        _open(alice, ETH_A, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, uint256(type(int256).max)));
        vm.prank(alice);
        engine.adjust(ETH_A, 0, type(int256).max);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, uint256(1) << 255));
        vm.prank(alice);
        engine.adjust(ETH_A, type(int256).min, 0);
    }

    function test_Borrow_RevertWhen_NoSpotYet() public {
        MockERC20 t = new MockERC20("T", "T", 18);
        vm.startPrank(gov);
        engine.addIlk("NEW", address(t));
        engine.setDebtCeiling("NEW", 1e30);
        vm.stopPrank();
        t.mint(alice, 1e18);
        vm.startPrank(alice);
        t.approve(address(engine), 1e18);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnsafeVault.selector, bytes32("NEW"), alice, 0, 1));
        engine.adjust("NEW", 1e18, 1);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                 REPAY
    //////////////////////////////////////////////////////////////*/

    function test_Repay_BurnsAndReducesDebt() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        vm.expectEmit(address(engine));
        emit IVaultEngine.VaultChanged(ETH_A, alice, 0, -400e18, 10e18, 600e18);
        vm.prank(alice);
        engine.repay(ETH_A, 400e18);
        assertEq(gusd.balanceOf(alice), 600e18);
        assertEq(engine.debtOf(ETH_A, alice), 600e18);
        _assertBooksBalance();
    }

    function test_Repay_ExactDebtAfterFeesClearsVault() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(200 days);
        engine.drip(ETH_A);
        uint256 debt = engine.debtOf(ETH_A, alice);
        assertGt(debt, 1000e18);
        _open(bob, ETH_A, 10e18, 2000e18);
        vm.prank(bob);
        assertTrue(gusd.transfer(alice, debt - 1000e18));
        vm.prank(alice);
        engine.repay(ETH_A, debt);
        (, uint256 art) = engine.vault(ETH_A, alice);
        assertEq(art, 0);
        _assertBooksBalance();
    }

    function test_Repay_RevertWhen_RepayExceedsDebt() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        _open(bob, ETH_A, 10e18, 1000e18);
        vm.prank(bob);
        assertTrue(gusd.transfer(alice, 1000e18));
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.RepayExceedsDebt.selector, 1001e18, 1001e18, 1000e18));
        vm.prank(alice);
        engine.repay(ETH_A, 1001e18);
    }

    function test_Repay_RevertWhen_DebtBelowDust() public {
        _open(alice, ETH_A, 10e18, 150e18);
        State memory before = _state(ETH_A, alice);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.DebtBelowDust.selector, ETH_A, alice, 50e18, 100e18));
        vm.prank(alice);
        engine.repay(ETH_A, 100e18);
        _assertUnchanged(before, _state(ETH_A, alice));
    }

    function test_Repay_RevertWhen_InsufficientStablecoin() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        vm.prank(alice);
        assertTrue(gusd.transfer(bob, 500e18));
        vm.expectRevert(ERC20.InsufficientBalance.selector);
        vm.prank(alice);
        engine.repay(ETH_A, 600e18);
    }

    function test_Repay_AnyoneCanRescueAnotherVault() public {
        _open(alice, ETH_A, 1e18, 1300e18);
        _setPrice(ETH_A, 1900e18);
        assertFalse(engine.isSafe(ETH_A, alice));
        _open(bob, ETH_A, 10e18, 1000e18);
        vm.prank(bob);
        engine.adjustFor(ETH_A, alice, 0, -500e18);
        assertTrue(engine.isSafe(ETH_A, alice));
        assertEq(gusd.balanceOf(bob), 500e18);
        assertEq(gusd.balanceOf(alice), 1300e18);
    }

    function test_Repay_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        vm.prank(alice);
        engine.repay(ETH_A, 0);
    }

    function test_Repay_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(alice);
        engine.repay("NOPE", 1);
    }

    /*//////////////////////////////////////////////////////////////
                                 CLOSE
    //////////////////////////////////////////////////////////////*/

    function test_Close_RepaysAllAndReturnsCollateral() public {
        _open(alice, WBTC_A, 1e8, 10_000e18);
        skip(30 days);
        engine.drip(WBTC_A);
        uint256 debt = engine.debtOf(WBTC_A, alice);
        _open(bob, WBTC_A, 1e8, 10_000e18);
        vm.prank(bob);
        assertTrue(gusd.transfer(alice, debt - 10_000e18));
        vm.expectEmit(address(engine));
        emit IVaultEngine.VaultChanged(WBTC_A, alice, -1e8, -int256(debt), 0, 0);
        vm.prank(alice);
        engine.close(WBTC_A);
        (uint256 c, uint256 a) = engine.vault(WBTC_A, alice);
        assertEq(c + a, 0);
        assertEq(wbtc.balanceOf(alice), 1e8);
        assertEq(gusd.balanceOf(alice), 0);
        _assertBooksBalance();
    }

    function test_Close_RevertWhen_EmptyVault() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        vm.prank(alice);
        engine.close(ETH_A);
    }

    function test_Close_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(alice);
        engine.close("NOPE");
    }

    function test_CloseFor_RevertWhen_NotAllowed() public {
        _open(alice, ETH_A, 1e18, 0);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.NotAllowed.selector, alice, bob));
        vm.prank(bob);
        engine.closeFor(ETH_A, alice);
    }

    function test_CloseFor_OperatorPaysAndReceives() public {
        _open(alice, ETH_A, 1e18, 500e18);
        vm.prank(alice);
        assertTrue(gusd.transfer(bob, 500e18));
        vm.prank(alice);
        engine.setOperator(bob, true);
        vm.prank(bob);
        engine.closeFor(ETH_A, alice);
        assertEq(weth.balanceOf(bob), 1e18);
        assertEq(gusd.balanceOf(bob), 0);
    }

    /*//////////////////////////////////////////////////////////////
                                ADJUST
    //////////////////////////////////////////////////////////////*/

    function test_Adjust_DepositAndBorrowInOneCall() public {
        _deal(USDC_A, alice, 10_000e6);
        vm.expectEmit(address(engine));
        emit IVaultEngine.VaultChanged(USDC_A, alice, 10_000e6, 9000e18, 10_000e6, 9000e18);
        vm.prank(alice);
        engine.adjust(USDC_A, 10_000e6, 9000e18);
        assertEq(usdc.balanceOf(address(engine)), 10_000e6);
        assertEq(gusd.balanceOf(alice), 9000e18);
        assertTrue(engine.isSafe(USDC_A, alice));
    }

    function test_Adjust_WithdrawAndRepayInOneCall() public {
        _open(alice, ETH_A, 2e18, 2000e18);
        vm.prank(alice);
        engine.adjust(ETH_A, -1e18, -1000e18);
        (uint256 c, uint256 a) = engine.vault(ETH_A, alice);
        assertEq(c, 1e18);
        assertEq(a, 1000e18);
    }

    function test_Adjust_RevertWhen_BothZero() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        vm.prank(alice);
        engine.adjust(ETH_A, 0, 0);
    }

    function test_Adjust_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(alice);
        engine.adjust("NOPE", 1, 0);
    }

    function test_Adjust_RepayAllowedWhileStillUnsafe() public {
        _open(alice, ETH_A, 1e18, 1300e18);
        _setPrice(ETH_A, 1000e18);
        vm.prank(alice);
        engine.repay(ETH_A, 100e18); // less risky: allowed although the vault stays unsafe
        assertFalse(engine.isSafe(ETH_A, alice));
    }

    function test_Adjust_DustCheckOnlyWhenDebtChanges() public {
        _open(alice, ETH_A, 10e18, 100e18);
        vm.prank(gov);
        engine.setDust(ETH_A, 500e18);
        _deal(ETH_A, alice, 1e18);
        vm.prank(alice);
        engine.deposit(ETH_A, 1e18); // debt unchanged: allowed
        vm.prank(alice);
        engine.withdraw(ETH_A, 1e18);
    }

    /// @dev Marks the engine, the collateral token and gUSD cold, as at the start of a real transaction.
    function _coolLedger(bytes32 id) internal {
        vm.cool(address(engine));
        vm.cool(address(gusd));
        vm.cool(engine.ilks(id).token);
    }

    /// @notice Gas of `adjust` with cold storage (execution only: excludes the 21,000 base and calldata).
    /// Recorded in snapshots/VaultEngine.json by forge.
    function test_Adjust_Gas() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        _deal(ETH_A, alice, 1e18);
        skip(1 hours);
        engine.drip(ETH_A); // rate > RAY, as in production

        _coolLedger(ETH_A);
        vm.prank(alice);
        engine.adjust(ETH_A, 1e18, 500e18);
        uint256 gasAdjust = vm.snapshotGasLastCall("VaultEngine", "adjust_depositAndBorrow");

        _coolLedger(ETH_A);
        vm.prank(alice);
        engine.adjust(ETH_A, -0.5e18, -200e18);
        uint256 gasUnwind = vm.snapshotGasLastCall("VaultEngine", "adjust_withdrawAndRepay");

        _deal(ETH_A, bob, 10e18);
        _coolLedger(ETH_A);
        vm.prank(bob);
        engine.adjust(ETH_A, 10e18, 1000e18);
        uint256 gasOpen = vm.snapshotGasLastCall("VaultEngine", "adjust_openNewVault");

        _coolLedger(ETH_A);
        vm.prank(liquidator);
        engine.seize(ETH_A, bob, 5e18, 500e18, auction);
        uint256 gasSeize = vm.snapshotGasLastCall("VaultEngine", "seize_partial");

        emit log_named_uint("adjust: deposit + borrow, existing vault (cold)", gasAdjust);
        emit log_named_uint("adjust: withdraw + repay (cold)", gasUnwind);
        emit log_named_uint("adjust: open new vault, deposit + borrow (cold)", gasOpen);
        emit log_named_uint("seize: partial, first bad debt (cold)", gasSeize);
    }

    /*//////////////////////////////////////////////////////////////
                                 DRIP
    //////////////////////////////////////////////////////////////*/

    function test_Drip_AccruesFeeIntoSurplus() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(365 days);
        uint256 expected = 1000e18 * (uint256(1.05e27) - RAY); // ≈, exact below
        uint256 rate = engine.drip(ETH_A);
        assertApproxEqRel(rate, 1.05e27, 1e12);
        assertEq(engine.surplusRad(), 1000e18 * (rate - RAY));
        assertApproxEqRel(engine.surplusRad(), expected, 1e12);
        assertEq(engine.ilks(ETH_A).lastDrip, block.timestamp);
        _assertBooksBalance();
    }

    function test_Drip_EmitsAndIsPermissionless() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(1 days);
        vm.recordLogs();
        vm.prank(carol);
        uint256 rate = engine.drip(ETH_A);
        assertEq(vm.getRecordedLogs().length, 1);
        assertGt(rate, RAY);
    }

    function test_Drip_SameBlockIsNoop() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(1 days);
        uint256 r1 = engine.drip(ETH_A);
        vm.recordLogs();
        uint256 r2 = engine.drip(ETH_A);
        assertEq(r1, r2);
        assertEq(vm.getRecordedLogs().length, 0);
    }

    function test_Drip_ZeroFeeKeepsRate() public {
        vm.prank(gov);
        engine.setStabilityFee(ETH_A, RAY);
        skip(10 days);
        assertEq(engine.drip(ETH_A), RAY);
    }

    function test_Drip_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        engine.drip("NOPE");
    }

    function test_Drip_RevertWhen_RateOverflow() public {
        uint256 max = engine.MAX_STABILITY_FEE_RAY();
        vm.prank(gov);
        engine.setStabilityFee(ETH_A, max);
        skip(45 * 365 days); // ~2^45 growth: above 2^128 in RAY
        vm.expectPartialRevert(IVaultEngine.RateOverflow.selector);
        engine.drip(ETH_A);
    }

    /*//////////////////////////////////////////////////////////////
                                 SEIZE
    //////////////////////////////////////////////////////////////*/

    function test_Seize_MovesCollateralAndDebtToBadDebt() public {
        _open(alice, ETH_A, 1e18, 1300e18);
        skip(10 days);
        uint256 rate = engine.drip(ETH_A);
        _setPrice(ETH_A, 1500e18);
        vm.expectEmit(address(engine));
        emit IVaultEngine.Seized(ETH_A, alice, auction, 0.6e18, 800e18, 800e18 * rate);
        vm.prank(liquidator);
        uint256 debtRad = engine.seize(ETH_A, alice, 0.6e18, 800e18, auction);
        assertEq(debtRad, 800e18 * rate);
        (uint256 c, uint256 a) = engine.vault(ETH_A, alice);
        assertEq(c, 0.4e18);
        assertEq(a, 500e18);
        assertEq(weth.balanceOf(auction), 0.6e18);
        assertEq(weth.balanceOf(address(engine)), 0.4e18);
        assertEq(engine.badDebtRad(), debtRad);
        assertEq(engine.ilks(ETH_A).normalizedDebt, 500e18);
        _assertBooksBalance();
    }

    function test_Seize_RevertWhen_NotLiquidator() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(gov);
        engine.seize(ETH_A, alice, 1, 1, auction);
    }

    function test_Seize_RevertWhen_UnknownIlk() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE")));
        vm.prank(liquidator);
        engine.seize("NOPE", alice, 1, 1, auction);
    }

    function test_Seize_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        vm.prank(liquidator);
        engine.seize(ETH_A, alice, 0, 0, auction);
    }

    function test_Seize_RevertWhen_InsufficientCollateral() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.InsufficientCollateral.selector, 2e18, 1e18));
        vm.prank(liquidator);
        engine.seize(ETH_A, alice, 2e18, 1, auction);
    }

    function test_Seize_RevertWhen_SeizeExceedsDebt() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.SeizeExceedsDebt.selector, 1001e18, 1000e18));
        vm.prank(liquidator);
        engine.seize(ETH_A, alice, 1, 1001e18, auction);
    }

    function test_Seize_RevertWhen_ZeroRecipient() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        vm.expectRevert(IVaultEngine.ZeroAddress.selector);
        vm.prank(liquidator);
        engine.seize(ETH_A, alice, 1, 1, address(0));
    }

    /*//////////////////////////////////////////////////////////////
                           HEAL AND SURPLUS
    //////////////////////////////////////////////////////////////*/

    function _seizeAll(address user, bytes32 id) internal returns (uint256 debtRad) {
        (uint256 c, uint256 a) = engine.vault(id, user);
        vm.prank(liquidator);
        debtRad = engine.seize(id, user, c, a, auction);
    }

    function test_Heal_BurnsAgainstBadDebt() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        _seizeAll(alice, ETH_A);
        vm.expectEmit(address(engine));
        emit IVaultEngine.Healed(alice, 400e18, 400e18 * RAY);
        vm.prank(alice);
        uint256 healed = engine.heal(400e18);
        assertEq(healed, 400e18 * RAY);
        assertEq(engine.badDebtRad(), 600e18 * RAY);
        assertEq(gusd.balanceOf(alice), 600e18);
        _assertBooksBalance();
    }

    function test_Heal_ExcessBecomesSurplus() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        _seizeAll(alice, ETH_A);
        vm.prank(alice);
        uint256 healed = engine.heal(300e18);
        _open(bob, ETH_A, 10e18, 1000e18);
        vm.prank(bob);
        healed = engine.heal(1000e18); // only 700 of bad debt left
        assertEq(healed, 700e18 * RAY);
        assertEq(engine.badDebtRad(), 0);
        assertEq(engine.surplusRad(), 300e18 * RAY);
        _assertBooksBalance();
    }

    function test_Heal_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        engine.heal(0);
    }

    function test_Heal_RevertWhen_AmountOverflow() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, v));
        engine.heal(v);
    }

    function test_Heal_RevertWhen_InsufficientBalance() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        _seizeAll(alice, ETH_A);
        vm.expectRevert(ERC20.InsufficientBalance.selector);
        vm.prank(bob);
        engine.heal(1);
    }

    function test_HealWithSurplus_NetsMin() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(365 days);
        uint256 rate = engine.drip(ETH_A);
        assertEq(engine.surplusRad(), 1000e18 * (rate - RAY));
        _open(bob, ETH_A, 1e18, 1000e18); // adds its rounding to the surplus
        uint256 surplus = engine.surplusRad();
        uint256 bad = _seizeAll(bob, ETH_A);
        vm.expectEmit(address(engine));
        emit IVaultEngine.HealedWithSurplus(surplus);
        uint256 netted = engine.healWithSurplus();
        assertEq(netted, surplus);
        assertEq(engine.surplusRad(), 0);
        assertEq(engine.badDebtRad(), bad - surplus);
        assertEq(engine.healWithSurplus(), 0); // nothing more to net
        _assertBooksBalance();
    }

    function test_SendSurplus_MintsToFund() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(365 days);
        engine.drip(ETH_A);
        uint256 surplus = engine.surplusRad();
        uint256 amount = surplus / RAY;
        vm.expectEmit(address(engine));
        emit IVaultEngine.SurplusSent(address(fund), amount);
        vm.prank(carol);
        engine.sendSurplus(amount);
        assertEq(gusd.balanceOf(address(fund)), amount);
        assertEq(engine.surplusRad(), surplus - amount * RAY);
        _assertBooksBalance();
    }

    function test_SendSurplus_RevertWhen_InsufficientSurplus() public {
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.InsufficientSurplus.selector, RAY, 0));
        engine.sendSurplus(1);
    }

    function test_SendSurplus_RevertWhen_BadDebtOutstanding() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        skip(30 days);
        engine.drip(ETH_A);
        _open(bob, ETH_A, 1e18, 1000e18);
        uint256 bad = _seizeAll(bob, ETH_A);
        uint256 surplus = engine.surplusRad();
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.BadDebtOutstanding.selector, bad - surplus));
        engine.sendSurplus(1);
    }

    function test_SendSurplus_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        engine.sendSurplus(0);
    }

    function test_SendSurplus_RevertWhen_FundNotSet() public {
        VaultEngine e = new VaultEngine(gov);
        vm.expectRevert(IVaultEngine.InsuranceFundNotSet.selector);
        e.sendSurplus(1);
    }

    function test_SendSurplus_RevertWhen_AmountOverflow() public {
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, v));
        engine.sendSurplus(v);
    }

    function test_MintUnbacked_AddsBadDebt() public {
        vm.expectEmit(address(engine));
        emit IVaultEngine.UnbackedMinted(keeper, 25e18);
        vm.prank(liquidator);
        engine.mintUnbacked(keeper, 25e18);
        assertEq(gusd.balanceOf(keeper), 25e18);
        assertEq(engine.badDebtRad(), 25e18 * RAY);
        _assertBooksBalance();
    }

    function test_MintUnbacked_ByIncentiveMinter() public {
        vm.startPrank(gov);
        engine.grantRoles(auction, engine.INCENTIVE_MINTER());
        vm.stopPrank();
        vm.prank(auction);
        engine.mintUnbacked(keeper, 1e18);
        assertEq(gusd.balanceOf(keeper), 1e18);
    }

    function test_MintUnbacked_RevertWhen_NotAllowed() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(gov);
        engine.mintUnbacked(keeper, 1);
    }

    function test_MintUnbacked_RevertWhen_BadInput() public {
        vm.startPrank(liquidator);
        vm.expectRevert(IVaultEngine.ZeroAmount.selector);
        engine.mintUnbacked(keeper, 0);
        vm.expectRevert(IVaultEngine.ZeroAddress.selector);
        engine.mintUnbacked(address(0), 1);
        uint256 v = uint256(type(uint128).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaultEngine.AmountOverflow.selector, v));
        engine.mintUnbacked(keeper, v);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_Views_NoDebt() public {
        _open(alice, ETH_A, 1e18, 0);
        assertTrue(engine.isSafe(ETH_A, alice));
        assertEq(engine.health(ETH_A, alice), type(uint256).max);
        assertEq(engine.liquidationPrice(ETH_A, alice), 0);
        assertEq(engine.debtOf(ETH_A, alice), 0);
    }

    function test_Views_HealthAndLiquidationPrice() public {
        // 2 ETH at 2000, ratio 1.5, debt 2000: value at spot = 2666.66…, health 1.333…
        _open(alice, ETH_A, 2e18, 2000e18);
        uint256 value = 2e18 * engine.ilks(ETH_A).spot / WAD;
        assertEq(engine.health(ETH_A, alice), value * WAD / 2000e18);
        // Liquidation price = 2000 × 1.5 / 2 = 1500.
        assertEq(engine.liquidationPrice(ETH_A, alice), 1500e18);
        _setPrice(ETH_A, 1500e18);
        assertTrue(engine.isSafe(ETH_A, alice));
        _setPrice(ETH_A, 1500e18 - 1);
        assertFalse(engine.isSafe(ETH_A, alice));
        assertLt(engine.health(ETH_A, alice), WAD);
    }

    function test_Views_LiquidationPriceFor6And8Decimals() public {
        _open(alice, USDC_A, 1000e6, 800e18); // 800 × 1.1 / 1000 = 0.88
        assertEq(engine.liquidationPrice(USDC_A, alice), 0.88e18);
        _open(alice, WBTC_A, 0.5e8, 20_000e18); // 20000 × 1.45 / 0.5 = 58000
        assertEq(engine.liquidationPrice(WBTC_A, alice), 58_000e18);
    }

    function test_Views_LiquidationPriceNoCollateral() public {
        _open(alice, ETH_A, 1e18, 1000e18);
        _setPrice(ETH_A, 1e18);
        vm.prank(liquidator);
        engine.seize(ETH_A, alice, 1e18, 0, auction);
        assertEq(engine.liquidationPrice(ETH_A, alice), type(uint256).max);
        assertEq(engine.health(ETH_A, alice), 0);
    }

    function test_Views_TotalsAcrossIlks() public {
        _open(alice, ETH_A, 10e18, 1000e18);
        _open(bob, WBTC_A, 1e8, 2000e18);
        _open(carol, USDC_A, 10_000e6, 3000e18);
        assertEq(engine.totalDebtRad(), 6000e18 * RAY);
        assertEq(engine.ilkList().length, 3);
        IVaultEngine.Ilk memory unknown = engine.ilks("NOPE");
        assertEq(unknown.token, address(0));
        _assertBooksBalance();
    }

    function test_LiquidationView_MatchesViews() public {
        _open(alice, WBTC_A, 1e8, 40_000e18);
        skip(3 days);
        engine.drip(WBTC_A);
        IVaultEngine.LiquidationView memory v = engine.liquidationView(WBTC_A, alice);
        IVaultEngine.Ilk memory i = engine.ilks(WBTC_A);
        (uint256 c, uint256 a) = engine.vault(WBTC_A, alice);
        assertEq(v.collateral, c);
        assertEq(v.normalizedDebt, a);
        assertEq(v.rate, i.rate);
        assertEq(v.spot, i.spot);
        assertEq(v.scale, 1e10);
        assertEq(v.dust, i.dust);
        assertEq(v.safe, engine.isSafe(WBTC_A, alice));
        assertTrue(v.safe);
        _setPrice(WBTC_A, 50_000e18);
        assertFalse(engine.liquidationView(WBTC_A, alice).safe);
    }

    function test_Views_UnknownIlkReverts() public {
        bytes memory err = abi.encodeWithSelector(IVaultEngine.UnknownIlk.selector, bytes32("NOPE"));
        vm.expectRevert(err);
        engine.isSafe("NOPE", alice);
        vm.expectRevert(err);
        engine.health("NOPE", alice);
        vm.expectRevert(err);
        engine.liquidationPrice("NOPE", alice);
        vm.expectRevert(err);
        engine.liquidationView("NOPE", alice);
    }

    /*//////////////////////////////////////////////////////////////
                              STABLECOIN
    //////////////////////////////////////////////////////////////*/

    function test_Stablecoin_DeployedWithEngine() public view {
        assertEq(Stablecoin(engine.stablecoin()).engine(), address(engine));
    }
}
// forge-lint: disable-end(unsafe-typecast)
