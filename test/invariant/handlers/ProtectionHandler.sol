// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LiquidationEngine} from "../../../contracts/src/LiquidationEngine.sol";
import {PreLiquidation} from "../../../contracts/src/PreLiquidation.sol";
import {VaultEngine} from "../../../contracts/src/VaultEngine.sol";
import {IPreLiquidation} from "../../../contracts/src/interfaces/IPreLiquidation.sol";
import {CollateralTopUpHook} from "../../../contracts/src/periphery/CollateralTopUpHook.sol";
import {MockMarkPrice} from "../../utils/liquidation/MockMarkPrice.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Drives owner protection on one ilk (ETH-A, 18 decimals): price moves, pre-liquidations of
/// random size, liquidations of vaults with the top-up hook (reserves large, small or empty),
/// de-listing and re-listing the hook, and reserve changes. Each step's own property is checked on
/// the spot; a breach sets a ghost flag the invariant contract asserts.
contract ProtectionHandler is Test {
    uint256 internal constant WAD = 1e18;

    VaultEngine public immutable engine;
    LiquidationEngine public immutable dog;
    PreLiquidation public immutable pre;
    CollateralTopUpHook public immutable topUp;
    MockMarkPrice public immutable mark;
    address public immutable spotter;
    address public immutable gov;
    address public immutable preLiquidator;
    bytes32 public immutable ilk;
    address[] public owners;

    /// @dev Ghosts: a breach of a per-step property.
    bool public preLiquidatedOutsideBand;
    bool public preLiquidationLoweredHealth;
    bool public preLiquidationAbovePenalty;
    bool public rescueLeftVaultUnsafe;
    bool public safeVaultLiquidated;
    uint256 public preLiquidations;
    uint256 public rescues;
    uint256 public liquidations;

    constructor(
        VaultEngine engine_,
        LiquidationEngine dog_,
        PreLiquidation pre_,
        CollateralTopUpHook topUp_,
        MockMarkPrice mark_,
        address spotter_,
        address gov_,
        address preLiquidator_,
        bytes32 ilk_,
        address[] memory owners_
    ) {
        (engine, dog, pre, topUp, mark, spotter, gov, preLiquidator, ilk) =
        (engine_, dog_, pre_, topUp_, mark_, spotter_, gov_, preLiquidator_, ilk_);
        owners = owners_;
    }

    function movePrice(uint256 priceSeed) external {
        uint256 price = bound(priceSeed, 1000e18, 2500e18);
        uint256 spot = price * WAD / engine.liquidationRatio(ilk);
        vm.prank(spotter);
        engine.setSpot(ilk, spot);
        mark.set(price, true);
    }

    function preLiquidate(uint256 ownerSeed, uint256 amount) external {
        address owner = owners[ownerSeed % owners.length];
        uint256 healthBefore = engine.health(ilk, owner);
        (uint256 collateralBefore,) = engine.vault(ilk, owner);
        uint256 debtBefore = engine.debtOf(ilk, owner);
        amount = bound(amount, 1e18, 20_000e18);
        vm.prank(preLiquidator);
        try pre.preLiquidate(ilk, owner, amount, 0, preLiquidator) returns (uint256 repaid, uint256 out) {
            ++preLiquidations;
            IPreLiquidation.Params memory p = pre.params(ilk, owner);
            if (healthBefore < WAD || healthBefore >= p.preHealthWad) preLiquidatedOutsideBand = true;
            if (engine.health(ilk, owner) < healthBefore) preLiquidationLoweredHealth = true;
            // Collateral value taken ≤ repaid × penalty (at the mark, rounded up for slack).
            uint256 price = mark.price();
            uint256 penalty = dog.ilkConfig(ilk).penaltyWad;
            if (out * price / WAD > repaid * penalty / WAD + 1) preLiquidationAbovePenalty = true;
            if (collateralBefore - out != _collateral(owner)) preLiquidationAbovePenalty = true;
            if (debtBefore < repaid) preLiquidationAbovePenalty = true;
        } catch {}
    }

    function liquidate(uint256 ownerSeed) external {
        address owner = owners[ownerSeed % owners.length];
        bool wasSafe = engine.isSafe(ilk, owner);
        (, uint256 art) = engine.vault(ilk, owner);
        try dog.liquidate(ilk, owner, preLiquidator) returns (uint256 id) {
            if (wasSafe) safeVaultLiquidated = true;
            if (id == 0) {
                ++rescues;
                if (!engine.isSafe(ilk, owner)) rescueLeftVaultUnsafe = true;
            } else {
                ++liquidations;
            }
        } catch {
            // Only a safe or empty vault (or no room) may refuse; an unsafe vault with debt must go.
            if (!wasSafe && art != 0 && dog.room(ilk) > 1_000_000e18) safeVaultLiquidated = true;
        }
    }

    function toggleHookListing(bool allowed) external {
        vm.prank(gov);
        dog.setRescueHookAllowed(address(topUp), allowed);
    }

    function setReserve(uint256 ownerSeed, uint128 maxAmount) external {
        address owner = owners[ownerSeed % owners.length];
        maxAmount = uint128(bound(maxAmount, 0, 5e18));
        vm.prank(owner);
        topUp.setReserve(ilk, maxAmount, 1.25e18);
    }

    function _collateral(address owner) internal view returns (uint256 c) {
        (c,) = engine.vault(ilk, owner);
    }
}
