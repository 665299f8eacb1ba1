// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {InsuranceFund} from "../../contracts/src/InsuranceFund.sol";
import {IInsuranceFund} from "../../contracts/src/interfaces/IInsuranceFund.sol";
import {FundBaseTest} from "../utils/FundBaseTest.sol";
import {Ownable} from "solady/auth/Ownable.sol";
import {ERC20} from "solady/tokens/ERC20.sol";

contract InsuranceFundTest is FundBaseTest {
    /// @dev Creates `debt` of system bad debt by seizing a fresh vault (collateral goes to `auction`).
    function _badDebt(uint256 debt) internal {
        _open(carol, ETH_A, debt / 500 + 1e18, debt);
        (uint256 c, uint256 a) = engine.vault(ETH_A, carol);
        vm.prank(liquidator);
        engine.seize(ETH_A, carol, c, a, auction);
    }

    /*//////////////////////////////////////////////////////////////
                         CONSTRUCTOR AND METADATA
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_Wires() public view {
        assertEq(fund.asset(), address(gusd));
        assertEq(fund.engine(), address(engine));
        assertEq(fund.owner(), gov);
        assertEq(fund.cooldownSeconds(), COOLDOWN);
        assertEq(fund.windowSeconds(), WINDOW);
        assertEq(fund.name(), "Gavel Insurance Fund");
        assertEq(fund.symbol(), "gIF");
        assertEq(fund.decimals(), 18);
        assertEq(fund.revenueVestingSeconds(), fund.DEFAULT_REVENUE_VESTING_SECONDS());
    }

    function test_Constructor_RevertWhen_ZeroAddress() public {
        vm.expectRevert(IInsuranceFund.ZeroAddress.selector);
        new InsuranceFund(address(0), gov, 1, 1 hours);
        vm.expectRevert(IInsuranceFund.ZeroAddress.selector);
        new InsuranceFund(address(engine), address(0), 1, 1 hours);
    }

    function test_Constructor_RevertWhen_BoundsBroken() public {
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.CooldownOutOfBounds.selector, 31 days));
        new InsuranceFund(address(engine), gov, 31 days, 1 hours);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.WindowOutOfBounds.selector, 1 hours - 1));
        new InsuranceFund(address(engine), gov, 1 days, 1 hours - 1);
    }

    /*//////////////////////////////////////////////////////////////
                         DEPOSIT AND REVENUE
    //////////////////////////////////////////////////////////////*/

    function test_Deposit_MintsShares() public {
        uint256 shares = _provide(alice, 1000e18);
        assertEq(shares, 1000e18);
        assertEq(fund.totalAssets(), 1000e18);
        assertEq(fund.balanceOf(alice), 1000e18);
    }

    function test_Revenue_RaisesSharePriceProRata() public {
        _provide(alice, 1000e18);
        _provide(bob, 3000e18);
        _open(keeper, ETH_A, 10e18, 400e18);
        vm.prank(keeper);
        assertTrue(gusd.transfer(address(fund), 400e18)); // penalty revenue: a plain transfer
        assertEq(fund.totalAssets(), 4000e18, "revenue vests: nothing counted at once");
        fund.sync();
        skip(fund.revenueVestingSeconds());
        assertApproxEqAbs(fund.convertToAssets(fund.balanceOf(alice)), 1100e18, 1);
        assertApproxEqAbs(fund.convertToAssets(fund.balanceOf(bob)), 3300e18, 1);
    }

    function test_Revenue_SurplusSentByEngine() public {
        _provide(alice, 1000e18);
        skip(365 days);
        engine.drip(ETH_A);
        uint256 amount = engine.surplusRad() / RAY;
        engine.sendSurplus(amount);
        assertEq(fund.totalAssets(), 1000e18, "detected, not yet vested");
        assertEq(fund.unvestedRevenue(), amount);
        fund.sync();
        skip(fund.revenueVestingSeconds());
        assertEq(fund.totalAssets(), 1000e18 + amount);
    }

    /*//////////////////////////////////////////////////////////////
                         REDEMPTION COOLDOWN
    //////////////////////////////////////////////////////////////*/

    function test_RequestRedeem_RecordsAndEmits() public {
        _provide(alice, 1000e18);
        uint256 unlockAt = block.timestamp + COOLDOWN;
        vm.expectEmit(address(fund));
        emit IInsuranceFund.RedeemRequested(alice, 400e18, 400e18, 400e18, unlockAt, unlockAt + WINDOW);
        vm.prank(alice);
        assertEq(fund.requestRedeem(400e18), unlockAt);
        IInsuranceFund.RedeemRequest memory r = fund.redeemRequest(alice);
        assertEq(r.shares, 400e18);
        assertEq(r.assetsCap, 400e18);
        assertEq(fund.balanceOf(alice), 600e18, "requested shares left the owner");
        assertEq(fund.balanceOf(address(fund)), 400e18, "and sit in escrow");
        assertEq(fund.totalEscrowedShares(), 400e18);
        assertEq(r.unlockAt, unlockAt);
        assertEq(r.expiresAt, unlockAt + WINDOW);
    }

    function test_RequestRedeem_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IInsuranceFund.ZeroAmount.selector);
        vm.prank(alice);
        fund.requestRedeem(0);
    }

    function test_RequestRedeem_RevertWhen_InsufficientShares() public {
        _provide(alice, 1000e18);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.InsufficientShares.selector, 1001e18, 1000e18));
        vm.prank(alice);
        fund.requestRedeem(1001e18);
    }

    function test_Redeem_AfterCooldownWithinWindow() public {
        _provide(alice, 1000e18);
        vm.prank(alice);
        fund.requestRedeem(400e18);
        assertEq(fund.maxRedeem(alice), 0);
        assertEq(fund.maxWithdraw(alice), 0);
        skip(COOLDOWN);
        assertEq(fund.maxRedeem(alice), 400e18);
        vm.prank(alice);
        uint256 assets = fund.redeem(400e18, alice, alice);
        assertEq(assets, 400e18);
        assertEq(gusd.balanceOf(alice), 400e18);
        assertEq(fund.redeemRequest(alice).shares, 0);
    }

    function test_Withdraw_AfterCooldownByAssets() public {
        _provide(alice, 1000e18);
        vm.prank(alice);
        fund.requestRedeem(500e18);
        skip(COOLDOWN + 1);
        vm.prank(alice);
        uint256 shares = fund.withdraw(300e18, bob, alice);
        assertEq(shares, 300e18);
        assertEq(gusd.balanceOf(bob), 300e18);
        assertEq(fund.redeemRequest(alice).shares, 200e18);
    }

    function test_Redeem_RevertWhen_CooldownActive() public {
        _provide(alice, 1000e18);
        vm.prank(alice);
        fund.requestRedeem(400e18);
        skip(COOLDOWN - 1);
        uint256 unlockAt = block.timestamp + 1;
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.CooldownActive.selector, unlockAt, block.timestamp));
        vm.prank(alice);
        fund.redeem(1, alice, alice);
    }

    function test_Redeem_RevertWhen_RequestExpired() public {
        _provide(alice, 1000e18);
        vm.prank(alice);
        fund.requestRedeem(400e18);
        uint256 expiresAt = block.timestamp + COOLDOWN + WINDOW;
        skip(COOLDOWN + WINDOW + 1);
        assertEq(fund.maxRedeem(alice), 0);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.RequestExpired.selector, expiresAt, block.timestamp));
        vm.prank(alice);
        fund.redeem(1, alice, alice);
    }

    function test_Redeem_RevertWhen_ExceedsRequest() public {
        _provide(alice, 1000e18);
        vm.prank(alice);
        fund.requestRedeem(400e18);
        skip(COOLDOWN);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.ExceedsRequest.selector, 401e18, 400e18));
        vm.prank(alice);
        fund.redeem(401e18, alice, alice);
    }

    function test_Redeem_RevertWhen_NoRequest() public {
        _provide(alice, 1000e18);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.NoRedeemRequest.selector, alice));
        vm.prank(alice);
        fund.redeem(1, alice, alice);
    }

    function test_Redeem_RevertWhen_ZeroShares() public {
        vm.expectRevert(IInsuranceFund.ZeroAmount.selector);
        vm.prank(alice);
        fund.redeem(0, alice, alice);
    }

    function test_Transfer_RevertWhen_SharesEscrowed() public {
        _provide(alice, 1000e18);
        vm.startPrank(alice);
        fund.requestRedeem(1000e18);
        vm.expectRevert(ERC20.InsufficientBalance.selector);
        // forge-lint: disable-next-line(erc20-unchecked-transfer)
        fund.transfer(bob, 1);
        vm.stopPrank();
    }

    function test_Redeem_ByApprovedSpenderUsesOwnersRequest() public {
        _provide(alice, 1000e18);
        vm.startPrank(alice);
        fund.requestRedeem(100e18);
        fund.approve(bob, 100e18);
        vm.stopPrank();
        skip(COOLDOWN);
        vm.prank(bob);
        fund.redeem(100e18, bob, alice);
        assertEq(gusd.balanceOf(bob), 100e18);
    }

    function test_CancelRedeemRequest() public {
        _provide(alice, 1000e18);
        vm.startPrank(alice);
        fund.requestRedeem(100e18);
        vm.expectEmit(address(fund));
        emit IInsuranceFund.RedeemRequestCancelled(alice, 100e18, 0);
        fund.cancelRedeemRequest();
        vm.stopPrank();
        assertEq(fund.redeemRequest(alice).shares, 0);
        assertEq(fund.balanceOf(alice), 1000e18, "escrow returned");
        assertEq(fund.totalEscrowedShares(), 0);
    }

    function test_CancelRedeemRequest_RevertWhen_None() public {
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.NoRedeemRequest.selector, alice));
        vm.prank(alice);
        fund.cancelRedeemRequest();
    }

    /// @notice The property the cooldown exists for: a provider who sees bad debt coming and asks to leave
    /// at once still takes its pro-rata share of the loss, exactly like one who stays.
    function test_Cooldown_ProviderCannotFleeIncomingLoss() public {
        _provide(alice, 1000e18);
        _provide(bob, 1000e18);
        _badDebt(500e18); // visible on chain: a vault was seized and its auction is running

        vm.prank(alice);
        fund.requestRedeem(1000e18);
        vm.expectPartialRevert(IInsuranceFund.CooldownActive.selector);
        vm.prank(alice);
        fund.redeem(1000e18, alice, alice);

        // The auction ends short: the fund covers the bad debt before alice's cooldown ends.
        skip(1 days);
        vm.prank(liquidator);
        fund.heal(500e18);

        skip(COOLDOWN);
        vm.prank(alice);
        uint256 aliceOut = fund.redeem(1000e18, alice, alice);
        uint256 bobWorth = fund.convertToAssets(fund.balanceOf(bob));
        assertApproxEqAbs(aliceOut, 750e18, 1, "alice bears half the loss");
        assertApproxEqAbs(bobWorth, 750e18, 1, "bob bears half the loss");
    }

    /*//////////////////////////////////////////////////////////////
                                 HEAL
    //////////////////////////////////////////////////////////////*/

    function test_Heal_BurnsFundBalanceAgainstBadDebt() public {
        _provide(alice, 1000e18);
        _badDebt(300e18);
        vm.expectEmit(address(fund));
        emit IInsuranceFund.Healed(gov, 300e18);
        vm.prank(gov);
        fund.heal(300e18);
        assertEq(engine.badDebtRad(), 0);
        assertEq(fund.totalAssets(), 700e18);
        _assertBooksBalance();
    }

    function test_Heal_NetsSurplusFirst() public {
        _open(bob, ETH_A, 100e18, 10_000e18);
        skip(365 days);
        engine.drip(ETH_A); // ~500 gUSD of surplus
        _provide(alice, 1000e18);
        _badDebt(800e18);
        uint256 surplus = engine.surplusRad();
        uint256 healable = (engine.badDebtRad() - surplus + RAY - 1) / RAY;
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.HealExceedsBadDebt.selector, 800e18, healable));
        vm.prank(liquidator);
        fund.heal(800e18);
        vm.prank(liquidator);
        fund.heal(healable);
        assertEq(engine.badDebtRad(), 0);
        assertEq(fund.totalAssets(), 1000e18 - healable);
        _assertBooksBalance();
    }

    function test_Heal_RevertWhen_NotHealer() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        fund.heal(1);
    }

    function test_Heal_RevertWhen_ZeroAmount() public {
        vm.expectRevert(IInsuranceFund.ZeroAmount.selector);
        vm.prank(gov);
        fund.heal(0);
    }

    function test_Heal_RevertWhen_ExceedsBadDebt() public {
        _provide(alice, 1000e18);
        _badDebt(100e18);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.HealExceedsBadDebt.selector, 101e18, 100e18));
        vm.prank(gov);
        fund.heal(101e18);
    }

    function test_Heal_RevertWhen_ExceedsBalance() public {
        _provide(alice, 100e18);
        _badDebt(500e18);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.HealExceedsBalance.selector, 200e18, 100e18));
        vm.prank(gov);
        fund.heal(200e18);
    }

    /*//////////////////////////////////////////////////////////////
                        COLLATERAL AND SETTERS
    //////////////////////////////////////////////////////////////*/

    function test_TransferCollateral_MovesTakenOverCollateral() public {
        weth.mint(address(fund), 5e18);
        assertEq(fund.totalAssets(), 0, "collateral is not counted");
        vm.expectEmit(address(fund));
        emit IInsuranceFund.CollateralTransferred(address(weth), keeper, 2e18);
        vm.prank(gov);
        fund.transferCollateral(address(weth), keeper, 2e18);
        assertEq(weth.balanceOf(keeper), 2e18);
    }

    function test_TransferCollateral_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        fund.transferCollateral(address(weth), alice, 1);
    }

    function test_TransferCollateral_RevertWhen_Asset() public {
        vm.expectRevert(IInsuranceFund.CannotTransferAsset.selector);
        vm.prank(gov);
        fund.transferCollateral(address(gusd), gov, 1);
    }

    function test_TransferCollateral_RevertWhen_ZeroArgs() public {
        vm.startPrank(gov);
        vm.expectRevert(IInsuranceFund.ZeroAddress.selector);
        fund.transferCollateral(address(weth), address(0), 1);
        vm.expectRevert(IInsuranceFund.ZeroAddress.selector);
        fund.transferCollateral(address(0), gov, 1);
        vm.expectRevert(IInsuranceFund.ZeroAmount.selector);
        fund.transferCollateral(address(weth), gov, 0);
        vm.stopPrank();
    }

    function test_SetCooldownSeconds_SetsAndEmits() public {
        vm.expectEmit(address(fund));
        emit IInsuranceFund.CooldownSecondsSet(3 days);
        vm.prank(gov);
        fund.setCooldownSeconds(3 days);
        assertEq(fund.cooldownSeconds(), 3 days);
    }

    function test_SetCooldownSeconds_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        fund.setCooldownSeconds(1);
    }

    function test_SetCooldownSeconds_RevertWhen_OutOfBounds() public {
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.CooldownOutOfBounds.selector, 30 days + 1));
        vm.prank(gov);
        fund.setCooldownSeconds(30 days + 1);
    }

    function test_SetWindowSeconds_SetsAndEmits() public {
        vm.expectEmit(address(fund));
        emit IInsuranceFund.WindowSecondsSet(5 days);
        vm.prank(gov);
        fund.setWindowSeconds(5 days);
        assertEq(fund.windowSeconds(), 5 days);
    }

    function test_SetWindowSeconds_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        fund.setWindowSeconds(1 days);
    }

    function test_SetWindowSeconds_RevertWhen_OutOfBounds() public {
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.WindowOutOfBounds.selector, 59 minutes));
        fund.setWindowSeconds(59 minutes);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceFund.WindowOutOfBounds.selector, 31 days));
        fund.setWindowSeconds(31 days);
        vm.stopPrank();
    }
}
