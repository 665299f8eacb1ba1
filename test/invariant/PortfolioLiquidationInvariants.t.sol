// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {PortfolioLiquidationBaseTest} from "../utils/PortfolioLiquidationBaseTest.sol";
import {PortfolioHandler} from "./handlers/PortfolioHandler.sol";
import {PortfolioLiquidationHandler} from "./handlers/PortfolioLiquidationHandler.sol";

/// @notice Portfolio liquidation invariants under random sequences (issue #18): no safe portfolio
/// liquidated, every token of every portfolio asset accounted for (held, or in a live lot), lots credited
/// back to the portfolio they came from, the books exact, and no portfolio made unsafe by its owner.
/// forge-config: default.invariant.runs = 32
/// forge-config: default.invariant.depth = 128
/// forge-config: deep.invariant.runs = 512
contract PortfolioLiquidationInvariants is PortfolioLiquidationBaseTest {
    PortfolioLiquidationHandler internal handler;
    address[] internal actorList;

    function setUp() public override {
        super.setUp();
        actorList.push(alice);
        actorList.push(bob);
        actorList.push(carol);
        // The bidder's stablecoin comes from an isolated vault far from its limit over the whole price range.
        _bidderFunds(bidder, 5_000_000e18);
        bytes32[3] memory ids = [allIlks[0], allIlks[1], allIlks[2]];
        handler = new PortfolioLiquidationHandler(
            portfolio, spotter, ids, [uint256(1e18), 60_000e18, 2000e18], actorList, dog, bidder, keeper
        );
        for (uint256 k; k < 3; ++k) {
            handler.setHouse(ids[k], house[ids[k]], mark[ids[k]]);
        }
        targetContract(address(handler));
        // Weighted towards the subject: borrowing to the limit, price moves, liquidations and takes.
        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = PortfolioHandler.deposit.selector;
        selectors[1] = PortfolioHandler.withdraw.selector;
        selectors[2] = PortfolioHandler.borrow.selector;
        selectors[3] = PortfolioHandler.borrow.selector;
        selectors[4] = PortfolioHandler.repay.selector;
        selectors[5] = PortfolioHandler.drip.selector;
        selectors[6] = PortfolioHandler.poke.selector;
        selectors[7] = PortfolioHandler.poke.selector;
        selectors[8] = PortfolioLiquidationHandler.liquidate.selector;
        selectors[9] = PortfolioLiquidationHandler.liquidate.selector;
        selectors[10] = PortfolioLiquidationHandler.take.selector;
        selectors[11] = PortfolioLiquidationHandler.take.selector;
        selectors[12] = PortfolioLiquidationHandler.take.selector;
        selectors[13] = PortfolioLiquidationHandler.wait.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice A portfolio that covered its debt in every scenario was never liquidated.
    function invariant_NoSafePortfolioLiquidated() public view {
        assertFalse(handler.ghostSafeLiquidated(), "a safe portfolio was liquidated");
    }

    /// @notice Per asset: the portfolio engine's balance == Σ holdings == total held; and the house's
    /// balance == Σ live lots (every lot here is a portfolio's: no isolated vault of that asset exists,
    /// except the bidder's ETH vault, which is never liquidated).
    function invariant_CollateralAccountedFor() public view {
        for (uint256 k; k < 3; ++k) {
            bytes32 id = allIlks[k];
            uint256 sum;
            for (uint256 a; a < actorList.length; ++a) {
                sum += portfolio.collateralOf(actorList[a], id);
            }
            assertEq(_token(id).balanceOf(address(portfolio)), sum, "balance == holdings");
            assertEq(portfolio.totalHeld(id), sum, "total held == holdings");
            assertEq(_token(id).balanceOf(address(house[id])), _liveLots(house[id]), "house balance == live lots");
            (uint256 parked,) = engine.vault(id, address(portfolio));
            assertEq(parked, 0, "no lot parked in an isolated vault");
        }
    }

    /// @notice stablecoin.totalSupply × RAY + surplus == Σ normalizedDebt × rate + bad debt, exactly.
    function invariant_BooksBalanceExactly() public view {
        _assertBooksBalance();
    }

    /// @notice No owner's own withdraw or borrow leaves its portfolio unsafe.
    function invariant_NoPortfolioMadeUnsafeByItsOwner() public view {
        assertFalse(handler.ghostUnsafeByOwner(), "owner produced an unsafe portfolio");
    }

    /// @notice The handler's liquidation path works end to end: an unsafe portfolio is liquidated, a safe one
    /// refused, a lot taken with its rest credited back.
    function test_Handler_Smoke() public {
        handler.deposit(0, 2, 50); // alice: 50 ETH
        handler.deposit(0, 1, 1); // alice: 1 WBTC
        handler.borrow(0, 3); // the whole room
        handler.liquidate(0); // every portfolio safe or empty: three refusals (three actors)
        handler.poke(2, 7500); // ETH -25%
        handler.liquidate(0); // alice's liquidated, two refusals
        handler.take(2, 0, 10_000); // the whole ETH lot at the start price: the rest comes back
        assertEq(handler.calls("liquidate.reverted"), 5, "safe and empty portfolios refused");
        assertEq(handler.calls("liquidate"), 1, "unsafe portfolio liquidated");
        assertEq(handler.calls("take"), 1, "lot taken");
        assertGt(portfolio.collateralOf(alice, allIlks[2]), 0, "the unsold ETH is back in the portfolio");
        invariant_NoSafePortfolioLiquidated();
        invariant_CollateralAccountedFor();
        invariant_BooksBalanceExactly();
        invariant_NoPortfolioMadeUnsafeByItsOwner();
    }

    /// @notice Logs (with -vv) how often each path succeeded, to see the campaign exercises them.
    function afterInvariant() external {
        string[9] memory names =
            ["deposit", "borrow", "poke", "liquidate", "liquidate.reverted", "take", "take.reverted", "redo", "wait"];
        for (uint256 k; k < names.length; ++k) {
            emit log_named_uint(names[k], handler.calls(bytes32(bytes(names[k]))));
        }
    }

    function _liveLots(CollateralAuction h) internal view returns (uint256 sum) {
        uint256[] memory live = h.list();
        for (uint256 i; i < live.length; ++i) {
            ICollateralAuction.Sale memory s = h.sale(live[i]);
            sum += s.lot;
        }
    }
}
