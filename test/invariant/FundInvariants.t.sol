// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BaseTest} from "../utils/BaseTest.sol";
import {FundHandler} from "./handlers/FundHandler.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Insurance-fund invariants for its LPs under random sequences of deposits, requests, cancels,
/// redemptions, share transfers, revenue, losses and time (foundry.toml: 256 runs × depth 64).
contract FundInvariants is BaseTest {
    FundHandler internal handler;
    address[] internal lps;
    address internal source = makeAddr("revenueSource");

    function setUp() public override {
        super.setUp();
        lps.push(alice);
        lps.push(bob);
        lps.push(makeAddr("dave"));
        lps.push(makeAddr("erin"));
        for (uint256 i; i < lps.length; ++i) {
            _open(lps[i], ETH_A, 1000e18, 500_000e18);
        }
        _open(source, ETH_A, 2000e18, 1_000_000e18);
        // A pool of bad debt for the fund to heal (a seized vault whose auction ended short).
        _open(carol, ETH_A, 1000e18, 500_000e18);
        (uint256 c, uint256 a) = engine.vault(ETH_A, carol);
        vm.prank(liquidator);
        engine.seize(ETH_A, carol, c, a, auction);

        handler = new FundHandler(fund, engine, liquidator, source, lps);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = FundHandler.deposit.selector;
        selectors[1] = FundHandler.mint.selector;
        selectors[2] = FundHandler.requestRedeem.selector;
        selectors[3] = FundHandler.cancel.selector;
        selectors[4] = FundHandler.redeem.selector;
        selectors[5] = FundHandler.withdraw.selector;
        selectors[6] = FundHandler.transferShares.selector;
        selectors[7] = FundHandler.revenue.selector;
        selectors[8] = FundHandler.loss.selector;
        selectors[9] = FundHandler.warp.selector;
        selectors[10] = FundHandler.sync.selector;
        selectors[11] = FundHandler.warp.selector; // time matters: twice the weight
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice The fund's own share balance is exactly the escrow, and the escrow is the sum of requests.
    function invariant_FundHoldsExactlyTheEscrow() public view {
        uint256 sum;
        for (uint256 i; i < lps.length; ++i) {
            sum += fund.redeemRequest(lps[i]).shares;
        }
        assertEq(fund.totalEscrowedShares(), sum, "escrow == sum of requests");
        assertEq(fund.balanceOf(address(fund)), sum, "fund share balance == escrow");
    }

    /// @notice Every share is held by an LP or the escrow.
    function invariant_SharesAccountedFor() public view {
        uint256 sum = fund.balanceOf(address(fund));
        for (uint256 i; i < lps.length; ++i) {
            sum += fund.balanceOf(lps[i]);
        }
        assertEq(fund.totalSupply(), sum);
    }

    /// @notice totalAssets + unvested revenue is the gUSD the fund holds.
    function invariant_AssetsPlusUnvestedIsBalance() public view {
        assertEq(fund.totalAssets() + fund.unvestedRevenue(), gusd.balanceOf(address(fund)));
    }

    /// @notice The share price never drops except when a loss is booked (redemptions, cancels, deposits,
    /// transfers, revenue, time and sync never lower it).
    function invariant_PriceNeverDropsWithoutALoss() public view {
        assertFalse(handler.ghostPriceDroppedWithoutLoss());
    }

    /// @notice An escrow only changes by its owner's own request, cancel, redeem or withdraw.
    function invariant_EscrowOnlyMovesByItsOwner() public view {
        assertFalse(handler.ghostEscrowMovedByOther());
    }

    /// @notice A redemption never pays more than the shares' value now or their part of the cap.
    function invariant_RedemptionWithinCapAndValue() public view {
        assertFalse(handler.ghostPaidAboveCapOrValue());
    }

    /// @notice `maxWithdraw(owner)` is what redeeming `maxRedeem(owner)` pays; neither exceeds the escrow.
    function invariant_MaxLimitsHonest() public view {
        assertFalse(handler.ghostMaxWithdrawMismatch());
        for (uint256 i; i < lps.length; ++i) {
            assertLe(fund.maxRedeem(lps[i]), fund.redeemRequest(lps[i]).shares);
            assertLe(fund.maxWithdraw(lps[i]), fund.redeemRequest(lps[i]).assetsCap);
        }
    }

    function afterInvariant() external view {
        string[11] memory names = [
            "deposit",
            "mint",
            "requestRedeem",
            "cancel",
            "redeem",
            "withdraw",
            "transferShares",
            "revenue",
            "loss",
            "warp",
            "sync"
        ];
        for (uint256 i; i < names.length; ++i) {
            console2.log(names[i], handler.calls(bytes32(bytes(names[i]))));
        }
    }
}
