// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PortfolioBaseTest} from "../utils/PortfolioBaseTest.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";
import {PortfolioHandler} from "./handlers/PortfolioHandler.sol";

/// @notice Portfolio vault invariants under random sequences (issue #18): collateral and debt conserved,
/// the engine's books exact with portfolio debt in them, no portfolio made unsafe by its owner.
/// forge-config: default.invariant.runs = 64
contract PortfolioInvariants is PortfolioBaseTest {
    PortfolioHandler internal handler;
    address[] internal actorList;

    function setUp() public override {
        super.setUp();
        actorList.push(alice);
        actorList.push(bob);
        actorList.push(carol);
        actorList.push(makeAddr("dave"));
        handler = new PortfolioHandler(portfolio, spotter, allIlks, [uint256(1e18), 60_000e18, 2000e18], actorList);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = PortfolioHandler.deposit.selector;
        selectors[1] = PortfolioHandler.withdraw.selector;
        selectors[2] = PortfolioHandler.borrow.selector;
        selectors[3] = PortfolioHandler.repay.selector;
        selectors[4] = PortfolioHandler.drip.selector;
        selectors[5] = PortfolioHandler.poke.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice stablecoin.totalSupply × RAY + surplus == Σ normalizedDebt × rate + bad debt, exactly,
    /// with the portfolio debt line among the ilks.
    function invariant_BooksBalanceExactly() public view {
        _assertBooksBalance();
    }

    /// @notice Per asset: the portfolio engine's token balance == Σ holdings == its total held.
    function invariant_CollateralConserved() public view {
        for (uint256 k; k < 3; ++k) {
            bytes32 id = allIlks[k];
            uint256 sum;
            for (uint256 a; a < actorList.length; ++a) {
                sum += portfolio.collateralOf(actorList[a], id);
            }
            assertEq(MockERC20(engine.ilks(id).token).balanceOf(address(portfolio)), sum, "balance == holdings");
            assertEq(portfolio.totalHeld(id), sum, "total held == holdings");
        }
    }

    /// @notice The debt line's normalized debt is the sum of the portfolios', and it holds no collateral.
    function invariant_DebtConserved() public view {
        uint256 sum;
        for (uint256 a; a < actorList.length; ++a) {
            (uint256 c, uint256 n) = engine.vault(PORTFOLIO, actorList[a]);
            assertEq(c, 0, "no collateral on the debt line");
            sum += n;
        }
        assertEq(engine.ilks(PORTFOLIO).normalizedDebt, sum, "debt line normalized debt");
        assertEq(gusd.totalSupply(), _gusdHeld(), "every gUSD held by an actor");
    }

    /// @notice No owner's own withdraw or borrow leaves its portfolio unsafe.
    function invariant_NoPortfolioMadeUnsafeByItsOwner() public view {
        assertFalse(handler.ghostUnsafeByOwner(), "owner produced an unsafe portfolio");
    }

    /// @notice The handler's paths work end to end (a campaign only reports invariant failures).
    function test_Handler_Smoke() public {
        handler.deposit(0, 2, 50);
        handler.deposit(0, 1, 1);
        handler.borrow(0, 3); // 3 % 3 == 0: the whole room
        handler.withdraw(0, 2, 5000); // reverts: no room left
        handler.poke(2, 12_500);
        handler.withdraw(0, 2, 100);
        handler.drip(30 days);
        handler.repay(0, 5000);
        assertEq(handler.calls("borrow"), 1, "borrow");
        assertEq(handler.calls("withdraw.reverted"), 1, "unsafe withdraw refused");
        assertEq(handler.calls("withdraw"), 1, "withdraw after a rise");
        assertEq(handler.calls("repay"), 1, "repay");
        invariant_BooksBalanceExactly();
        invariant_CollateralConserved();
        invariant_DebtConserved();
        invariant_NoPortfolioMadeUnsafeByItsOwner();
    }

    /// @notice Logs (with -vv) how often each path succeeded, to see the campaign exercises them.
    function afterInvariant() external {
        string[8] memory names =
            ["deposit", "withdraw", "withdraw.reverted", "borrow", "borrow.reverted", "repay", "drip", "poke"];
        for (uint256 k; k < names.length; ++k) {
            emit log_named_uint(names[k], handler.calls(bytes32(bytes(names[k]))));
        }
    }

    function _gusdHeld() internal view returns (uint256 sum) {
        for (uint256 a; a < actorList.length; ++a) {
            sum += gusd.balanceOf(actorList[a]);
        }
    }
}
