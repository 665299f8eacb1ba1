// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {IAuctionTakeCallee} from "../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";

/// @dev A take callee that always refuses with its own error.
contract RefusingCallee is IAuctionTakeCallee {
    error NotToday(uint256 owe);

    function onAuctionTake(address, uint256 owe, uint256, bytes calldata) external pure {
        revert NotToday(owe);
    }
}

/// @notice Every failure a third party can meet at the auction house and the liquidation engine
/// comes with a name from their own ABIs: no allowance vs no balance, a callee's revert wrapped
/// with its data, an unknown vs a finished auction, a batch skip's reason as an enum plus the
/// error a single liquidation would have raised.
contract FailuresByNameTest is LiquidationBaseTest {
    CollateralAuction internal h;
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        h = house[WBTC_A];
        _unsafeVault(alice, WBTC_A, 1e8, 40_000e18, 55_000e18);
        id = dog.liquidate(WBTC_A, alice, keeper);
    }

    /*//////////////////////////////////////////////////////////////
                                  take
    //////////////////////////////////////////////////////////////*/

    function test_Take_RevertWhen_NoAllowance() public {
        _open(bidder, ETH_A, 100e18, 50_000e18); // holds gUSD, approves nothing
        (, uint256 owe,) = h.quote(id, 0.5e8);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InsufficientAllowance.selector, bidder, owe, 0));
        h.take(id, 0.5e8, type(uint256).max, bidder, "");
    }

    function test_Take_RevertWhen_NoBalance() public {
        _open(bidder, ETH_A, 100e18, 10_000e18);
        vm.prank(bidder);
        gusd.approve(address(h), type(uint256).max);
        (, uint256 owe,) = h.quote(id, 0.5e8);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.InsufficientBalance.selector, bidder, owe, 10_000e18));
        h.take(id, 0.5e8, type(uint256).max, bidder, "");
    }

    function test_Take_RevertWhen_CalleeReverts_Wrapped() public {
        _fundStable(bidder, 50_000e18, address(h));
        RefusingCallee callee = new RefusingCallee();
        (, uint256 owe,) = h.quote(id, 0.5e8);
        vm.prank(bidder);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralAuction.TakeCallbackFailed.selector,
                address(callee),
                abi.encodeWithSelector(RefusingCallee.NotToday.selector, owe)
            )
        );
        h.take(id, 0.5e8, type(uint256).max, address(callee), hex"01");
    }

    function test_Take_RevertWhen_CalleeHasNoCode() public {
        _fundStable(bidder, 50_000e18, address(h));
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.CalleeNotContract.selector, carol));
        h.take(id, 0.5e8, type(uint256).max, carol, hex"01");
    }

    /*//////////////////////////////////////////////////////////////
                                  sale
    //////////////////////////////////////////////////////////////*/

    function test_Sale_RevertWhen_UnknownId() public {
        uint256[4] memory unknown = [
            uint256(0), // nonce 0 is never issued
            (uint256(2) << 32), // nonce not reached yet
            (uint256(1) << 32) | 7, // slot never allocated
            type(uint256).max
        ];
        for (uint256 i; i < unknown.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionNotFound.selector, unknown[i]));
            h.sale(unknown[i]);
        }
    }

    function test_Sale_RevertWhen_Finished() public {
        _fundStable(bidder, 50_000e18, address(h));
        vm.prank(bidder);
        h.take(id, 1e8, type(uint256).max, bidder, "");
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionFinished.selector, id));
        h.sale(id);
        // The slot is reused by the next auction: the old id still reads as finished, the new one
        // is live, and an id with a newer nonce than the slot's reads as unknown.
        _crash(WBTC_A, 60_000e18);
        _unsafeVault(bob, WBTC_A, 1e8, 40_000e18, 55_000e18);
        uint256 next = dog.liquidate(WBTC_A, bob, keeper);
        // forge-lint: disable-next-line(unsafe-typecast) the slot is the id's low 32 bits by design
        assertEq(uint32(next), uint32(id), "slot reused");
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionFinished.selector, id));
        h.sale(id);
        assertEq(h.sale(next).lot, 1e8);
    }

    /*//////////////////////////////////////////////////////////////
                          liquidateMany skips
    //////////////////////////////////////////////////////////////*/

    function test_LiquidateMany_SkipCarriesReasonAndError() public {
        vm.prank(gov);
        dog.configureIlk(WBTC_A, address(h), PENALTY, 45_200e18, 10_000_000e18); // alice's tab fills it
        _crash(WBTC_A, 60_000e18);
        _unsafeVault(bob, WBTC_A, 1e8, 40_000e18, 55_000e18);
        uint256 minTab = (engine.ilks(WBTC_A).dust * PENALTY + WAD - 1) / WAD;
        address[] memory owners = new address[](2);
        owners[0] = bob;
        owners[1] = makeAddr("nobody");
        vm.expectEmit(true, true, false, true, address(dog));
        emit ILiquidationEngine.LiquidationSkipped(
            WBTC_A,
            bob,
            ILiquidationEngine.SkipReason.NoRoom,
            abi.encodeWithSelector(ILiquidationEngine.NoRoom.selector, WBTC_A, 0, minTab)
        );
        vm.expectEmit(true, true, false, true, address(dog));
        emit ILiquidationEngine.LiquidationSkipped(
            WBTC_A,
            owners[1],
            ILiquidationEngine.SkipReason.VaultHasNoDebt,
            abi.encodeWithSelector(ILiquidationEngine.VaultHasNoDebt.selector, WBTC_A, owners[1])
        );
        uint256[] memory ids = dog.liquidateMany(WBTC_A, owners, keeper);
        assertEq(ids[0], 0);
        assertEq(ids[1], 0);
        // The single liquidation reverts with exactly the error the batch emitted.
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.NoRoom.selector, WBTC_A, 0, minTab));
        dog.liquidate(WBTC_A, bob, keeper);
    }
}
