// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PreLiquidation} from "../../contracts/src/PreLiquidation.sol";
import {IPreLiquidation} from "../../contracts/src/interfaces/IPreLiquidation.sol";
import {CollateralTopUpHook} from "../../contracts/src/periphery/CollateralTopUpHook.sol";
import {LiquidationBaseTest} from "./LiquidationBaseTest.sol";

/// @notice The liquidation fixture plus owner protection as Deploy wires it: a PreLiquidation holding
/// the engine's `PRE_LIQUIDATOR` role (bounds: pre-threshold up to 1.5, incentive up to 5%, close
/// factor up to 50%), and the collateral top-up hook on the liquidation engine's allow-list.
abstract contract ProtectionBaseTest is LiquidationBaseTest {
    uint64 internal constant MAX_PRE_HEALTH = 1.5e18;
    uint64 internal constant MAX_INCENTIVE = 1.05e18;
    uint16 internal constant MAX_CLOSE_BPS = 5000;

    PreLiquidation internal pre;
    CollateralTopUpHook internal topUp;
    address internal preLiquidator = makeAddr("preLiquidator");

    function setUp() public virtual override {
        super.setUp();
        pre = new PreLiquidation(gov, engine, dog, IPreLiquidation.Bounds(MAX_PRE_HEALTH, MAX_INCENTIVE, MAX_CLOSE_BPS));
        topUp = new CollateralTopUpHook(engine, address(dog));
        vm.startPrank(gov);
        engine.grantRoles(address(pre), engine.PRE_LIQUIDATOR());
        dog.setRescueHookAllowed(address(topUp), true);
        vm.stopPrank();
        vm.label(address(pre), "PreLiquidation");
        vm.label(address(topUp), "CollateralTopUpHook");
    }

    /// @dev Typical owner parameters: band up to health 1.2, incentive 1% → 4%, close 10% → 40%.
    function _defaultParams() internal pure returns (IPreLiquidation.Params memory) {
        return IPreLiquidation.Params({
            preHealthWad: 1.2e18,
            incentiveStartWad: 1.01e18,
            incentiveEndWad: 1.04e18,
            closeFactorStartBps: 1000,
            closeFactorEndBps: 4000
        });
    }

    function _optIn(address owner, bytes32 id, IPreLiquidation.Params memory p) internal {
        vm.prank(owner);
        pre.setParams(id, p);
    }

    /// @dev Sets the ilk's price so that `owner`'s vault has health ≈ `healthWad`.
    function _priceForHealth(bytes32 id, address owner, uint256 healthWad) internal view returns (uint256) {
        (uint256 collateral,) = engine.vault(id, owner);
        uint256 debt = engine.debtOf(id, owner);
        uint256 collateralWad = collateral * engine.ilks(id).scale;
        // health = collateralWad × price / ratio / debt
        return healthWad * debt / WAD * engine.liquidationRatio(id) / collateralWad;
    }

    /// @dev Gives `who` gUSD and approves the PreLiquidation.
    function _fundPreLiquidator(address who, uint256 amount) internal {
        _fundStable(who, amount, address(pre));
    }
}
