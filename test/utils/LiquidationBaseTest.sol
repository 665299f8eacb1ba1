// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {LiquidationEngine} from "../../contracts/src/LiquidationEngine.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {IMarkPriceSource} from "../../contracts/src/interfaces/IMarkPriceSource.sol";
import {BaseTest} from "./BaseTest.sol";
import {MockMarkPrice} from "./liquidation/MockMarkPrice.sol";

/// @notice The ledger fixture plus the liquidation engine and one auction house per ilk, with a
/// test-set mark price. Default tier: exponential decay of 0.001% per second (about -0.1% per
/// 100 s), 6 h tail, 40% floor, start at 1.2× the mark price.
abstract contract LiquidationBaseTest is BaseTest {
    uint256 internal constant PENALTY = 1.13e18;
    uint256 internal constant TIP = 10e18;
    uint256 internal constant CHIP = 0.001e18;
    /// @dev 0.99999 per second: about -0.1% per 100 s.
    uint96 internal constant CUT_PER_SECOND = 0.99999e27;
    uint32 internal constant TAIL = 6 hours;
    uint64 internal constant FLOOR = 0.4e18;
    uint16 internal constant BUF_BPS = 12_000;

    LiquidationEngine internal dog;
    mapping(bytes32 => CollateralAuction) internal house;
    mapping(bytes32 => MockMarkPrice) internal mark;
    address internal bidder = makeAddr("bidder");

    function setUp() public virtual override {
        super.setUp();
        dog = new LiquidationEngine(gov, engine);
        vm.label(address(dog), "LiquidationEngine");
        vm.startPrank(gov);
        engine.grantRoles(address(dog), engine.LIQUIDATOR());
        dog.setGlobalMaxDebtInAuctions(100_000_000e18);
        dog.setIncentives(TIP, CHIP);
        vm.stopPrank();
        uint256[3] memory prices = [uint256(1e18), 60_000e18, 2000e18];
        for (uint256 i; i < 3; ++i) {
            bytes32 id = allIlks[i];
            MockMarkPrice m = new MockMarkPrice();
            m.set(prices[i], true);
            mark[id] = m;
            CollateralAuction h = new CollateralAuction(gov, id, engine, IMarkPriceSource(address(m)), address(fund));
            house[id] = h;
            vm.startPrank(gov);
            h.grantRoles(address(dog), h.KICKER());
            // As Deploy does: incentives (global) and collateral restores for its own ilk only.
            engine.grantRoles(address(h), engine.INCENTIVE_MINTER());
            engine.setAuctionHouse(id, address(h), true);
            uint256 tierId = h.addTier(_defaultTier());
            uint256[] memory ids = new uint256[](1);
            uint256[] memory maxTabs = new uint256[](1);
            ids[0] = tierId;
            maxTabs[0] = type(uint256).max;
            h.setTiers(ids, maxTabs);
            h.setRedoIncentive(5e18, 0.001e18);
            dog.configureIlk(id, address(h), PENALTY, 50_000_000e18, 10_000_000e18);
            vm.stopPrank();
        }
    }

    function _defaultTier() internal pure returns (ICollateralAuction.Tier memory) {
        return ICollateralAuction.Tier({
            kind: ICollateralAuction.CurveKind.Exponential,
            cutRay: CUT_PER_SECOND,
            periodSeconds: 0,
            tailSeconds: TAIL,
            floorWad: FLOOR,
            startPremiumBps: BUF_BPS
        });
    }

    /// @dev Moves both the engine's spot and the auction's mark price.
    function _crash(bytes32 id, uint256 priceWad) internal {
        _setPrice(id, priceWad);
        mark[id].set(priceWad, true);
    }

    /// @dev Opens a vault, then moves the price to `newPrice` (unsafe when it falls below the vault's
    /// liquidation price).
    function _unsafeVault(address user, bytes32 id, uint256 collateral, uint256 debt, uint256 newPrice) internal {
        _open(user, id, collateral, debt);
        _crash(id, newPrice);
    }

    /// @dev Mints stablecoin to `who` through a vault of its own, and approves `spender`.
    function _fundStable(address who, uint256 amount, address spender) internal {
        uint256 collateral = _units(ETH_A, amount / 500e18 + 1);
        _open(who, ETH_A, collateral, amount);
        vm.prank(who);
        gusd.approve(spender, type(uint256).max);
    }
}
