// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IlkDeployment} from "../../contracts/script/lib/GavelDeployment.sol";
import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {DeployFixture} from "../utils/DeployFixture.sol";

/// @notice `contracts/config/adaptive.json` — the configuration for real-time chains: `local.json`
/// with every ilk's auction section replaced by the crash lab's choice (`lab/mechanisms/
/// adaptive-tuned.json`; `lab/src/schema.test.ts` keeps the two equal). Deployed by the same
/// script, every house gets one Adaptive tier for any tab, and a liquidation starts at mark × 1.08.
contract DeployAdaptiveTest is DeployFixture {
    /// @dev The lab's tuned point (lab/sweeps/adaptive.md, point c with follow 1,800 s).
    uint256 internal constant CUT_RAY = 0.9999e27;
    uint256 internal constant FOLLOW_SECONDS = 1800;
    uint256 internal constant TAIL_SECONDS = 7200;
    uint256 internal constant FLOOR_WAD = 0.7e18;
    uint256 internal constant START_PREMIUM_BPS = 10_800;

    function _configName() internal pure override returns (string memory) {
        return "adaptive";
    }

    function test_DeployAdaptive_EveryHouseHasOneAdaptiveTierForAnyTab() public view {
        assertEq(d.ilks.length, 3, "three ilks");
        for (uint256 i; i < d.ilks.length; ++i) {
            CollateralAuction house = CollateralAuction(d.ilks[i].house);
            uint256 id = house.tierFor(0);
            assertEq(house.tierFor(type(uint112).max), id, "one tier for every tab");
            ICollateralAuction.Tier memory t = house.tier(id);
            assertEq(uint8(t.kind), uint8(ICollateralAuction.CurveKind.Adaptive), "Adaptive kind");
            assertEq(t.cutRay, CUT_RAY, "cut");
            assertEq(t.periodSeconds, FOLLOW_SECONDS, "follow period");
            assertEq(t.tailSeconds, TAIL_SECONDS, "tail");
            assertEq(t.floorWad, FLOOR_WAD, "floor");
            assertEq(t.startPremiumBps, START_PREMIUM_BPS, "start premium");
        }
    }

    /// @dev A liquidation on the deployed adaptive system: the auction starts 8 % above the mark and
    /// follows the mark down when it falls further (never below the fixed curve's floor).
    function test_DeployAdaptive_LiquidationStartsAboveTheMarkAndFollowsItDown() public {
        IlkDeployment memory eth = d.ilks[0];
        _setPrice(0, 2000e18);
        _openVault(alice, 0, 1e18, 1300e18);
        _setPrice(0, 1900e18); // spot 1266.67 < 1300: unsafe
        vm.prank(keeper);
        uint256 id = dog.liquidate(eth.id, alice, keeper);
        CollateralAuction house = CollateralAuction(eth.house);
        (, uint256 top,,) = house.getStatus(id);
        assertEq(top, 1900e18 * START_PREMIUM_BPS / 10_000, "starts at mark x 1.08");
        // Ten minutes later with the mark unchanged: the fixed curve only (0.01 %/s).
        vm.warp(block.timestamp + 600);
        (, uint256 fixedOnly,,) = house.getStatus(id);
        assertLt(fixedOnly, top, "decays");
        assertGt(fixedOnly, top * 93 / 100, "about 6 % in ten minutes");
        // The mark falls 10 % and stays there for 200 s (within the feeds' 300 s max age): against the
        // same auction at the same time with no new mark (a snapshot: the fixed curve), it is lower.
        uint256 snap = vm.snapshotState();
        _setPrice(0, 1710e18);
        uint256 at = block.timestamp + 200;
        vm.warp(at);
        (, uint256 followed,,) = house.getStatus(id);
        vm.revertToState(snap);
        vm.warp(at);
        (, uint256 unchanged,,) = house.getStatus(id);
        assertLt(followed, unchanged, "follows the falling mark");
        assertGe(followed, top * FLOOR_WAD / 1e18, "never below the floor");
    }
}
