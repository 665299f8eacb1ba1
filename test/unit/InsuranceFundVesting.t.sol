// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IInsuranceFund} from "../../contracts/src/interfaces/IInsuranceFund.sol";
import {FundBaseTest} from "../utils/FundBaseTest.sol";
import {Ownable} from "solady/auth/Ownable.sol";

/// @notice Revenue the fund detects by its balance vests linearly into `totalAssets`; losses land at once,
/// on unvested revenue first.
contract InsuranceFundVestingTest is FundBaseTest {
    uint256 internal vesting;

    function setUp() public override {
        super.setUp();
        vesting = fund.revenueVestingSeconds();
    }

    /// @dev A plain transfer into the fund, as `CollateralAuction.settle` pays penalty revenue.
    function _revenue(uint256 amount) internal {
        _open(keeper, ETH_A, amount / 500 + 1e18, amount);
        vm.prank(keeper);
        assertTrue(gusd.transfer(address(fund), amount));
    }

    function _badDebt(uint256 debt) internal {
        _open(carol, ETH_A, debt / 500 + 1e18, debt);
        (uint256 c, uint256 a) = engine.vault(ETH_A, carol);
        vm.prank(liquidator);
        engine.seize(ETH_A, carol, c, a, auction);
    }

    function test_Revenue_DetectedByBalanceNotCountedAtOnce() public {
        _provide(alice, 1000e18);
        _revenue(300e18);
        assertEq(fund.totalAssets(), 1000e18);
        assertEq(fund.unvestedRevenue(), 300e18);
        skip(30 days);
        assertEq(fund.totalAssets(), 1000e18, "unrecognized revenue waits for the next interaction");
    }

    function test_Sync_StartsVestingAndEmits() public {
        _provide(alice, 1000e18);
        _revenue(300e18);
        vm.expectEmit(address(fund));
        emit IInsuranceFund.RevenueRecognized(300e18, 300e18, block.timestamp + vesting);
        fund.sync();
        assertEq(fund.vestingEnd(), block.timestamp + vesting);
    }

    function testFuzz_Vesting_Linear(uint256 elapsed) public {
        _provide(alice, 1000e18);
        _revenue(300e18);
        fund.sync();
        elapsed = bound(elapsed, 0, vesting + 1 days);
        skip(elapsed);
        uint256 vested = elapsed >= vesting ? 300e18 : 300e18 * elapsed / vesting;
        assertApproxEqAbs(fund.totalAssets(), 1000e18 + vested, 1, "linear, rounded against the LP");
        assertLe(fund.totalAssets(), 1000e18 + vested);
    }

    function test_Vesting_NewRevenueMovesEndToWeightedAverage() public {
        _provide(alice, 1000e18);
        _revenue(300e18);
        fund.sync();
        uint256 start = block.timestamp;
        skip(vesting / 2); // 150 left, half a period to go
        _revenue(150e18);
        fund.sync();
        // (150 × V/2 + 150 × V) / 300 = 3V/4 from now.
        assertEq(fund.vestingEnd(), block.timestamp + vesting * 3 / 4);
        assertApproxEqAbs(fund.unvestedRevenue(), 300e18, 1);
        start;
    }

    function test_Vesting_DustCannotPushTheScheduleBack() public {
        _provide(alice, 1000e18);
        _revenue(1000e18);
        fund.sync();
        uint256 end = fund.vestingEnd();
        skip(vesting / 2);
        _revenue(1);
        fund.sync();
        assertLe(fund.vestingEnd(), end + 1, "one wei moves the end by at most a second");
    }

    function test_Deposit_IsNotRevenue() public {
        _provide(alice, 1000e18);
        _provide(bob, 500e18);
        assertEq(fund.unvestedRevenue(), 0);
        assertEq(fund.totalAssets(), 1500e18);
    }

    function test_Deposit_DuringVestingEarnsOnlyWhatVestsAfter() public {
        _provide(alice, 1000e18);
        _revenue(400e18);
        fund.sync();
        skip(vesting / 2); // alice alone has earned 200
        uint256 bobShares = _provide(bob, 1200e18); // at 1.2
        skip(vesting);
        // The last 200 split 1000 : 1000 shares.
        assertApproxEqAbs(fund.convertToAssets(fund.balanceOf(alice)), 1300e18, 2);
        assertApproxEqAbs(fund.convertToAssets(bobShares), 1300e18, 2);
    }

    function test_Loss_AbsorbedByUnvestedRevenueFirst() public {
        _provide(alice, 1000e18);
        _revenue(300e18);
        fund.sync();
        _badDebt(200e18);
        vm.expectEmit(address(fund));
        emit IInsuranceFund.LossBooked(200e18, 200e18, 100e18);
        vm.prank(liquidator);
        fund.heal(200e18);
        assertEq(fund.totalAssets(), 1000e18, "the price does not move");
        assertEq(fund.unvestedRevenue(), 100e18);
    }

    function test_Loss_BeyondUnvestedHitsThePriceAtOnce() public {
        _provide(alice, 1000e18);
        _revenue(100e18);
        fund.sync();
        _badDebt(300e18);
        vm.prank(liquidator);
        fund.heal(300e18);
        assertEq(fund.totalAssets(), 800e18);
        assertEq(fund.unvestedRevenue(), 0);
    }

    function test_Loss_UnrecognizedRevenueAbsorbsToo() public {
        _provide(alice, 1000e18);
        _revenue(300e18); // no sync: heal syncs first
        _badDebt(200e18);
        vm.prank(liquidator);
        fund.heal(200e18);
        assertEq(fund.totalAssets(), 1000e18);
        assertEq(fund.unvestedRevenue(), 100e18);
    }

    function test_PayTakeover_IsALoss() public {
        _provide(alice, 1000e18);
        _revenue(150e18);
        address house = makeAddr("house");
        vm.startPrank(gov);
        fund.grantRoles(house, fund.TAKEOVER());
        fund.setTakeoverCap(house, 5000);
        vm.stopPrank();
        vm.expectEmit(address(fund));
        emit IInsuranceFund.LossBooked(200e18, 150e18, 0);
        vm.prank(house);
        fund.payTakeover(200e18);
        assertEq(fund.totalAssets(), 950e18);
        assertEq(gusd.balanceOf(house), 200e18);
    }

    /*//////////////////////////////////////////////////////////////
                                SETTER
    //////////////////////////////////////////////////////////////*/

    function test_SetRevenueVestingSeconds_SetsAndEmits() public {
        vm.expectEmit(address(fund));
        emit IInsuranceFund.RevenueVestingSecondsSet(2 days);
        vm.prank(gov);
        fund.setRevenueVestingSeconds(2 days);
        assertEq(fund.revenueVestingSeconds(), 2 days);
    }

    function test_SetRevenueVestingSeconds_RevertWhen_OutOfBounds() public {
        vm.startPrank(gov);
        vm.expectRevert(
            abi.encodeWithSelector(IInsuranceFund.RevenueVestingOutOfBounds.selector, 1 hours - 1, 1 hours, 30 days)
        );
        fund.setRevenueVestingSeconds(1 hours - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IInsuranceFund.RevenueVestingOutOfBounds.selector, 30 days + 1, 1 hours, 30 days)
        );
        fund.setRevenueVestingSeconds(30 days + 1);
        vm.stopPrank();
    }

    function test_SetRevenueVestingSeconds_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        vm.prank(alice);
        fund.setRevenueVestingSeconds(1 days);
    }

    function test_SetRevenueVestingSeconds_RunningScheduleKept() public {
        _provide(alice, 1000e18);
        _revenue(300e18); // arrives before the change: recognized under the old period
        uint256 end = block.timestamp + vesting;
        vm.prank(gov);
        fund.setRevenueVestingSeconds(1 hours);
        assertEq(fund.vestingEnd(), end);
    }
}
