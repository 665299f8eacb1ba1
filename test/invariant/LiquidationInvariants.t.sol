// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";
import {MockMarkPrice} from "../utils/liquidation/MockMarkPrice.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";
import {LiquidationHandler} from "./handlers/LiquidationHandler.sol";

/// @notice Liquidation invariants under random sequences (foundry.toml: 256 runs × depth 64; deeper
/// with FOUNDRY_PROFILE=deep): vault engine + liquidation engine + one auction house per ilk (6, 8
/// and 18 decimals), three tiers per house (linear, stairstep, exponential), tight room limits so
/// partial liquidations, NoRoom and the per-block cap all happen.
///
/// Properties (each is an `invariant_<Name>` below; foundry checks them after every call):
///  1. BooksBalanceExactly — gUSD.totalSupply × RAY + surplusRad == totalDebtRad + badDebtRad, to the wei.
///  2. CollateralConserved — per ilk: token supply == what the handler minted == balances of the
///     engine + the house + the fund + every actor, receiver and callee; the engine holds exactly
///     Σ vault collateral and the house exactly Σ live lots.
///  3. AuctionNeverSellsMoreThanLot — no take sells more than the lot (or the amount asked), and
///     no auction sells more over its life than the lot it was kicked with.
///  4. AuctionNeverCollectsMoreThanTab — no take collects more than the tab, and no auction more
///     over its life than the tab it was kicked with.
///  5. LivePriceNeverRisesExceptByRedo — a live auction's price, seen after every step, never rises
///     (mark moves, takes, time, drips cannot raise it); only a redo resets it. Exception: an
///     Adaptive auction's price follows its mark back up when the mark rises (never above its fixed
///     curve: 10b).
///  6. TakeNeverCostsMoreThanMaxPrice — no take succeeds above maxPrice (or when the auction needs a
///     redo), and owe <= ceil(price × min(amount, lot)) <= ceil(maxPrice × amount).
///  7. SafeVaultNeverLiquidated — liquidating a safe or debt-free vault reverts (VaultIsSafe /
///     VaultHasNoDebt); a batch skips it (id 0) and leaves it untouched.
///  8. HouseDebtEqualsLiveTabs — house.debtInAuctions() == Σ tab of list().
///  9. CountMatchesList — house.count() == list().length, every listed auction is live and was
///     kicked through the handler.
/// 10. TakeMatchesQuote — a take delivers and costs exactly what quote() said, and fails exactly as
///     quote() failed; tokens move exactly as reported.
/// 11. PartialTakeLeavesAtLeastMinTab — a take that leaves an auction live leaves tab >= minTab.
/// 12. LeftoverReturnsToOwner — when the tab is raised, the unsold lot goes back into the owner's
///     vault, exactly; a take that leaves the auction live returns nothing.
/// 13. EngineCounterNeverUnderstates — the liquidation engine's per-ilk reported debt and global
///     counter never fall below what the houses hold (lazy sync errs on the side of braking).
/// 14. LiquidationWithinRoom — a partial liquidation's tab never exceeds the room before it.
/// 15. ProceedsCoverRevenue — a house's gUSD balance covers the penalty revenue it owes the fund;
///     settle moves exactly what it reports and leaves one wei.
/// 16. RedoRestartsAtMark — a redo succeeds exactly when the auction needs one, at top =
///     mark × startPremium, starting now.
/// 17. NoUnexpectedReverts — every revert the handler saw is one the call's preconditions predict
///     (a batch liquidation, drip, settle never revert).
contract LiquidationInvariants is LiquidationBaseTest {
    LiquidationHandler internal handler;
    address[] internal actorList;
    CollateralAuction[3] internal houseList;

    function setUp() public override {
        super.setUp();
        actorList.push(alice);
        actorList.push(bob);
        actorList.push(carol);
        actorList.push(makeAddr("dave"));

        MockMarkPrice[3] memory markList;
        vm.startPrank(gov);
        // Tight limits: partial liquidations, NoRoom and the per-block brake all happen.
        dog.setGlobalMaxDebtInAuctions(1_200_000e18);
        for (uint256 k; k < 3; ++k) {
            bytes32 id = allIlks[k];
            houseList[k] = house[id];
            markList[k] = mark[id];
            dog.configureIlk(id, address(house[id]), PENALTY, 600_000e18, 250_000e18);
            _setTierTable(house[id]);
        }
        vm.stopPrank();

        handler = new LiquidationHandler(
            engine, dog, houseList, markList, allIlks, [uint256(1e18), 60_000e18, 2000e18], spotter, keeper, actorList
        );
        targetContract(address(handler));
        // Takeovers: the fund may buy auctions at their floor, up to 30% of its assets per house.
        vm.startPrank(gov);
        for (uint256 k; k < 3; ++k) {
            fund.grantRoles(address(houseList[k]), fund.TAKEOVER());
            fund.setTakeoverCap(address(houseList[k]), 3000);
            houseList[k].setTakeoverTip(5e18);
        }
        vm.stopPrank();
        handler.seedFund(1_000_000e18);

        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = LiquidationHandler.openVault.selector;
        selectors[1] = LiquidationHandler.adjustVault.selector;
        // Twice: crashes and recoveries, and takes, are frequent.
        selectors[2] = LiquidationHandler.movePrice.selector;
        selectors[3] = LiquidationHandler.movePrice.selector;
        selectors[4] = LiquidationHandler.liquidate.selector;
        selectors[5] = LiquidationHandler.liquidateMany.selector;
        selectors[6] = LiquidationHandler.take.selector;
        selectors[7] = LiquidationHandler.take.selector;
        selectors[8] = LiquidationHandler.redo.selector;
        selectors[9] = LiquidationHandler.warp.selector;
        selectors[10] = LiquidationHandler.settle.selector;
        selectors[11] = LiquidationHandler.drip.selector;
        selectors[12] = LiquidationHandler.openVault.selector;
        selectors[13] = LiquidationHandler.takeover.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev Four tiers: small tabs on a steep linear curve starting at the mark, medium on a
    /// stairstep, then an Adaptive tier (anchor following the mark), large on the fixture's
    /// exponential decay.
    function _setTierTable(CollateralAuction h) internal {
        uint256[] memory ids = new uint256[](4);
        uint256[] memory maxTabs = new uint256[](4);
        ids[0] = h.addTier(
            ICollateralAuction.Tier({
                kind: ICollateralAuction.CurveKind.Linear,
                cutRay: 0,
                periodSeconds: 1800,
                tailSeconds: 3600,
                floorWad: 0.2e18,
                startPremiumBps: 10_000
            })
        );
        ids[1] = h.addTier(
            ICollateralAuction.Tier({
                kind: ICollateralAuction.CurveKind.StairstepExponential,
                cutRay: 0.99e27,
                periodSeconds: 90,
                tailSeconds: 2 hours,
                floorWad: 0.3e18,
                startPremiumBps: 11_000
            })
        );
        ids[2] = h.addTier(
            ICollateralAuction.Tier({
                kind: ICollateralAuction.CurveKind.Adaptive,
                cutRay: 0.999e27,
                periodSeconds: 1800,
                tailSeconds: 2 hours,
                floorWad: 0.4e18,
                startPremiumBps: 11_000
            })
        );
        ids[3] = 0; // the fixture's default exponential tier
        maxTabs[0] = 2000e18;
        maxTabs[1] = 20_000e18;
        maxTabs[2] = 50_000e18;
        maxTabs[3] = type(uint256).max;
        h.setTiers(ids, maxTabs);
    }

    /*//////////////////////////////////////////////////////////////
                               INVARIANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice 1. The books balance exactly after every step.
    function invariant_BooksBalanceExactly() public view {
        _assertBooksBalance();
    }

    /// @notice 2. Collateral is conserved per ilk, and sits where the books say.
    function invariant_CollateralConserved() public view {
        for (uint256 k; k < 3; ++k) {
            bytes32 id = allIlks[k];
            MockERC20 token = _token(id);
            CollateralAuction h = houseList[k];
            uint256 vaults;
            uint256 held = token.balanceOf(address(engine)) + token.balanceOf(address(h))
                + token.balanceOf(address(fund)) + token.balanceOf(handler.eve())
                + token.balanceOf(address(handler.callee())) + token.balanceOf(keeper);
            for (uint256 a; a < actorList.length; ++a) {
                held += token.balanceOf(actorList[a]);
                (uint256 c,) = engine.vault(id, actorList[a]);
                vaults += c;
            }
            assertEq(token.totalSupply(), handler.ghostMinted(k), "supply == minted");
            assertEq(held, token.totalSupply(), "every token accounted for");
            assertEq(token.balanceOf(address(engine)), vaults, "engine holds the vaults' collateral");
            uint256[] memory ids = h.list();
            uint256 lots;
            for (uint256 i; i < ids.length; ++i) {
                lots += h.sale(ids[i]).lot;
            }
            assertEq(token.balanceOf(address(h)), lots, "house holds the live lots");
        }
    }

    /// @notice 3. No take and no auction sells more collateral than its lot.
    function invariant_AuctionNeverSellsMoreThanLot() public view {
        assertFalse(handler.ghostOversold(), "sold more than the lot");
        for (uint256 k; k < 3; ++k) {
            assertLe(handler.ghostSold(k), handler.ghostLotKicked(k), "sold more than kicked");
        }
    }

    /// @notice 4. No take and no auction collects more than its tab.
    function invariant_AuctionNeverCollectsMoreThanTab() public view {
        assertFalse(handler.ghostOvercollected(), "collected more than the tab");
    }

    /// @notice 5. A live auction's price never rises except through redo.
    function invariant_LivePriceNeverRisesExceptByRedo() public view {
        assertFalse(handler.ghostPriceRose(), "price rose without a redo");
    }

    /// @notice 6. A take never costs more than maxPrice × amount (rounded up).
    function invariant_TakeNeverCostsMoreThanMaxPrice() public view {
        assertFalse(handler.ghostTakeAboveMax(), "take above maxPrice");
    }

    /// @notice 7. A safe vault can never be liquidated.
    function invariant_SafeVaultNeverLiquidated() public view {
        assertFalse(handler.ghostSafeLiquidated(), "safe vault liquidated");
    }

    /// @notice 8. The house's debt in auctions is the sum of its live tabs.
    function invariant_HouseDebtEqualsLiveTabs() public view {
        for (uint256 k; k < 3; ++k) {
            CollateralAuction h = houseList[k];
            uint256[] memory ids = h.list();
            uint256 tabs;
            for (uint256 i; i < ids.length; ++i) {
                tabs += h.sale(ids[i]).tab;
            }
            assertEq(h.debtInAuctions(), tabs, "debtInAuctions == sum of live tabs");
        }
    }

    /// @notice 9. count() == list().length, and every listed auction was kicked through the handler.
    function invariant_CountMatchesList() public view {
        for (uint256 k; k < 3; ++k) {
            assertEq(houseList[k].count(), houseList[k].list().length, "count == list length");
        }
        assertFalse(handler.ghostUnknownAuction(), "unknown live auction");
    }

    /// @notice 10. A take matches its quote exactly and moves the tokens it reports.
    function invariant_TakeMatchesQuote() public view {
        assertFalse(handler.ghostQuoteMismatch(), "take differs from quote");
        assertFalse(handler.ghostBalanceMismatch(), "tokens moved differ from the reported amounts");
    }

    /// @notice 10b. An Adaptive auction's live price stays between its floor and its fixed curve
    /// however the mark moves (the handler moves the mark apart from the spot too), and its redo
    /// rule is the fixed curve's.
    function invariant_AdaptivePriceBetweenFloorAndFixedCurve() public view {
        assertFalse(handler.ghostAdaptiveOutOfBounds(), "adaptive price out of bounds");
    }

    /// @notice 11. A partial take never leaves a live auction with tab below its minTab.
    function invariant_PartialTakeLeavesAtLeastMinTab() public view {
        assertFalse(handler.ghostPartialBelowMinTab(), "tab left below minTab");
    }

    /// @notice 12. Collateral left once the tab is raised returns to the owner's vault, exactly.
    function invariant_LeftoverReturnsToOwner() public view {
        assertFalse(handler.ghostLeftoverLost(), "leftover not returned to the owner");
    }

    /// @notice 13. The liquidation engine's counters never understate what is in auction.
    function invariant_EngineCounterNeverUnderstates() public view {
        uint256 sum;
        for (uint256 k; k < 3; ++k) {
            uint256 d = houseList[k].debtInAuctions();
            assertGe(dog.ilkConfig(allIlks[k]).reportedDebt, d, "reported >= house debt");
            sum += d;
        }
        assertGe(dog.globalDebtInAuctions(), sum, "global >= sum of house debts");
    }

    /// @notice 14. A partial liquidation stays within the room.
    function invariant_LiquidationWithinRoom() public view {
        assertEq(handler.ghostRoomOvershoot(), 0, "partial liquidation tab above the room (overshoot, WAD)");
        assertFalse(handler.ghostRoomExceeded(), "partial liquidation above the room");
    }

    /// @notice 15. Proceeds cover revenue owed, and settle moves exactly what it reports.
    function invariant_ProceedsCoverRevenue() public view {
        for (uint256 k; k < 3; ++k) {
            assertGe(gusd.balanceOf(address(houseList[k])), houseList[k].pendingRevenue(), "revenue backed");
        }
        assertFalse(handler.ghostSettleMismatch(), "settle mismatch");
    }

    /// @notice 16. A redo restarts at mark × premium, now, exactly when one is due.
    function invariant_RedoRestartsAtMark() public view {
        assertFalse(handler.ghostRedoMismatch(), "redo mismatch");
    }

    /// @notice 17. Nothing reverted for a reason the preconditions do not predict.
    function invariant_NoUnexpectedReverts() public view {
        if (handler.ghostUnexpectedRevert()) {
            // Named for the report: the action and the raw revert data.
            assertEq(handler.lastUnexpectedRevert(), bytes(handler.lastUnexpectedAction()), "unexpected revert");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 SMOKE
    //////////////////////////////////////////////////////////////*/

    /// @notice The handler's paths work end to end (a campaign only reports invariant failures).
    function test_Handler_Smoke() public {
        // bob opens a WBTC vault at the limit; alice a half-used ETH vault.
        handler.openVault(1, 1, 100_000e18, 10_000);
        handler.openVault(0, 2, 50_000e18, 5000);
        handler.liquidate(1, 1, 1); // bob's WBTC vault as it is: safe, must revert VaultIsSafe
        assertEq(handler.calls("liquidate.safe"), 1, "safe vault refused");
        handler.movePrice(1, 7000, 0); // WBTC -30%, spot and mark
        handler.liquidateMany(1, 0x010200); // WBTC vaults of alice, carol, bob (one byte of the seed each)
        assertEq(handler.calls("liquidateMany.kicked"), 1, "bob kicked");
        assertEq(handler.calls("liquidateMany.skippedSafe"), 2, "empty vaults skipped");
        handler.liquidate(1, 1, 0); // no unsafe vault left: bob's, now empty, must revert VaultHasNoDebt
        assertEq(handler.calls("liquidate.noDebt"), 1, "empty vault refused");
        handler.take(1, 2, 1, 0, 0); // carol takes a part at the price, for herself
        handler.take(1, 3, 5, 1, 1); // dave takes a part, collateral to eve
        handler.warp(30 minutes);
        handler.take(1, 0, 3, 2, 2); // alice takes more than the lot (the whole), through the callee
        handler.warp(90 minutes);
        handler.warp(90 minutes);
        handler.redo(1);
        handler.settle(1);
        handler.drip(2, 30 days);
        assertGt(handler.calls("take.partial") + handler.calls("take.whole"), 0, "took");
        invariant_BooksBalanceExactly();
        invariant_CollateralConserved();
        invariant_HouseDebtEqualsLiveTabs();
        invariant_CountMatchesList();
        invariant_TakeMatchesQuote();
        invariant_NoUnexpectedReverts();
    }

    /// @dev The takeover action end to end: an auction far below its floor goes to the fund, and
    /// every property still holds.
    function test_Handler_TakeoverSmoke() public {
        handler.openVault(1, 1, 100_000e18, 10_000);
        handler.movePrice(1, 7000, 0);
        handler.liquidateMany(1, 0x010200);
        assertEq(handler.calls("liquidateMany.kicked"), 1, "bob kicked");
        vm.warp(block.timestamp + 3 days); // far below any floor
        handler.takeover(1);
        assertEq(handler.calls("takeover"), 1, "taken over");
        assertEq(houseList[1].count(), 0, "auction closed");
        invariant_BooksBalanceExactly();
        invariant_CollateralConserved();
        invariant_HouseDebtEqualsLiveTabs();
        invariant_CountMatchesList();
        invariant_NoUnexpectedReverts();
    }

    /// @notice Regression for a campaign counterexample (invariant 14): with rate > RAY, a partial
    /// liquidation sized to the room (here the 250,000 per-block cap) rounded its debt and its tab up
    /// after sizing the normalized debt with one combined floor, ending 1 wei above the room.
    /// Shrunk: drip WBTC-A (rate 1.001668944933207363560241012e27), carol opens 7.07771365 WBTC /
    /// 265,542.077464090535068361 normalized debt, spot falls, liquidate: dart
    /// 220,870.317655550213708826, debt 221,238.938053097345132744, tab 250,000.000000000000000001.
    function testFuzz_Regression_PartialLiquidationTabWithinRoom(uint256 elapsed, uint256 debt) public {
        skip(bound(elapsed, 1, 365 days));
        engine.drip(WBTC_A);
        debt = bound(debt, 260_000e18, 400_000e18);
        _open(carol, WBTC_A, 10e8, debt);
        _crash(WBTC_A, 30_000e18);
        uint256 room = dog.room(WBTC_A);
        assertEq(room, 250_000e18, "the per-block cap is the room");
        uint256 id = dog.liquidate(WBTC_A, carol, keeper);
        (, uint256 art) = engine.vault(WBTC_A, carol);
        assertGt(art, 0, "partial");
        assertLe(house[WBTC_A].sale(id).tab, room, "tab within the room");
    }

    /// @notice Logs (with -vv) how often each path ran, to see the campaign exercises them.
    function afterInvariant() external {
        string[35] memory names = [
            "takeover",
            "takeover.notAllowed",
            "takeover.cap",
            "openVault",
            "openVault.reverted",
            "adjustVault",
            "adjustVault.reverted",
            "movePrice",
            "liquidate",
            "liquidate.partial",
            "liquidate.safe",
            "liquidate.noDebt",
            "liquidate.noRoom",
            "liquidate.dustyPartial",
            "liquidateMany",
            "liquidateMany.kicked",
            "liquidateMany.skipped",
            "liquidateMany.skippedSafe",
            "kick",
            "take.partial",
            "take.whole",
            "take.closed",
            "take.otherReceiver",
            "take.needsRedo",
            "take.aboveMax",
            "take.quoteReverted",
            "take.adaptive",
            "take.adaptiveFollowing",
            "fundStable",
            "redo",
            "redo.notNeeded",
            "settle",
            "warp",
            "drip",
            "unexpectedRevert"
        ];
        for (uint256 k; k < names.length; ++k) {
            emit log_named_uint(names[k], handler.calls(bytes32(bytes(names[k]))));
        }
    }
}
