// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPreLiquidation} from "../../contracts/src/interfaces/IPreLiquidation.sol";
import {ProtectionBaseTest} from "../utils/ProtectionBaseTest.sol";
import {ProtectionHandler} from "./handlers/ProtectionHandler.sol";

// Tests cast bounded values and literals freely.
// forge-lint: disable-start(unsafe-typecast)
/// @notice Owner-protection invariants under random sequences of price moves, pre-liquidations,
/// hooked liquidations, de-listings and reserve changes (foundry.toml runs × depth).
///  1. BooksBalanceExactly — gUSD supply × RAY + surplus == total debt + bad debt, to the wei.
///  2. PreLiquidationOnlyInBand — no pre-liquidation succeeded outside [1.0, preHealth).
///  3. PreLiquidationNeverLowersHealth — health after ≥ health before, every time.
///  4. PreLiquidationWithinPenalty — collateral taken at the mark ≤ repaid × penalty; the vault lost
///     exactly what was sent.
///  5. RescueLeavesVaultSafe — a liquidation that returned 0 (rescued) left the vault safe.
///  6. SafeVaultNeverLiquidated / UnsafeVaultAlwaysGoes — hooks never let a safe vault be liquidated
///     nor block an unsafe one.
///  7. ProtectionHoldsNothing — PreLiquidation holds no gUSD, the hook no collateral, after every call.
abstract contract ProtectionInvariantsBase is ProtectionBaseTest {
    ProtectionHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory owners = new address[](3);
        (owners[0], owners[1], owners[2]) = (alice, bob, carol);
        for (uint256 i; i < 3; ++i) {
            _open(owners[i], ETH_A, 10e18 + i * 1e18, 10_000e18);
            IPreLiquidation.Params memory p = _defaultParams();
            p.preHealthWad = uint64(1.1e18 + i * 0.1e18);
            _optIn(owners[i], ETH_A, p);
            _deal(ETH_A, owners[i], 5e18);
            vm.startPrank(owners[i]);
            weth.approve(address(topUp), type(uint256).max);
            topUp.setReserve(ETH_A, uint128(i * 1e18), 1.25e18);
            dog.setRescueHook(ETH_A, address(topUp));
            vm.stopPrank();
        }
        // The pre-liquidator's gUSD comes from a WBTC vault, untouched by ETH price moves.
        _open(preLiquidator, WBTC_A, 10e8, 200_000e18);
        vm.prank(preLiquidator);
        gusd.approve(address(pre), type(uint256).max);
        handler =
            new ProtectionHandler(engine, dog, pre, topUp, mark[ETH_A], spotter, gov, preLiquidator, ETH_A, owners);
        targetContract(address(handler));
    }
}

contract ProtectionInvariants is ProtectionInvariantsBase {
    /// @dev One campaign checks all seven (one function: seven campaigns would cost npm test 40 s).
    function invariant_OwnerProtection() public view {
        _assertBooksBalance();
        assertFalse(handler.preLiquidatedOutsideBand(), "2. pre-liquidation outside its band");
        assertFalse(handler.preLiquidationLoweredHealth(), "3. pre-liquidation lowered health");
        assertFalse(handler.preLiquidationAbovePenalty(), "4. pre-liquidation above the penalty");
        assertFalse(handler.rescueLeftVaultUnsafe(), "5. rescue left the vault unsafe");
        assertFalse(handler.safeVaultLiquidated(), "6. safe vault liquidated or unsafe vault kept");
        assertEq(gusd.balanceOf(address(pre)), 0, "7. pre holds no gUSD");
        assertEq(weth.balanceOf(address(topUp)), 0, "7. hook holds no collateral");
    }
}

/// @notice The handler reaches a pre-liquidation, a rescue and a liquidation (so the campaign can).
contract ProtectionHandlerSmokeTest is ProtectionInvariantsBase {
    function test_HandlerReachesEveryPath() public {
        handler.movePrice(1600e18);
        handler.preLiquidate(0, 1000e18);
        assertEq(handler.preLiquidations(), 1, "pre-liquidation");
        handler.movePrice(1100e18);
        handler.liquidate(2);
        handler.liquidate(0);
        assertEq(handler.rescues() + handler.liquidations(), 2, "liquidations");
    }
}
// forge-lint: disable-end(unsafe-typecast)
