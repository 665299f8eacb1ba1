// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BaseTest} from "../utils/BaseTest.sol";
import {MockERC20} from "../utils/mocks/MockERC20.sol";
import {LedgerHandler} from "./handlers/LedgerHandler.sol";

/// @notice Ledger invariants under random sequences (foundry.toml: 256 runs × depth 64; deeper with
/// FOUNDRY_PROFILE=deep). The accounting identity is asserted to the wei.
contract LedgerInvariants is BaseTest {
    LedgerHandler internal handler;
    address[] internal actorList;

    function setUp() public override {
        super.setUp();
        actorList.push(alice);
        actorList.push(bob);
        actorList.push(carol);
        actorList.push(makeAddr("dave"));
        actorList.push(makeAddr("erin"));
        handler = new LedgerHandler(
            engine, fund, spotter, liquidator, auction, allIlks, [uint256(1e18), 60_000e18, 2000e18], actorList
        );
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = LedgerHandler.deposit.selector;
        selectors[1] = LedgerHandler.withdraw.selector;
        selectors[2] = LedgerHandler.borrow.selector;
        selectors[3] = LedgerHandler.repay.selector;
        selectors[4] = LedgerHandler.adjust.selector;
        selectors[5] = LedgerHandler.close.selector;
        selectors[6] = LedgerHandler.drip.selector;
        selectors[7] = LedgerHandler.poke.selector;
        selectors[8] = LedgerHandler.seize.selector;
        selectors[9] = LedgerHandler.heal.selector;
        selectors[10] = LedgerHandler.sendSurplus.selector;
        selectors[11] = LedgerHandler.fundHeal.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice stablecoin.totalSupply × RAY + surplus == Σ normalizedDebt × rate + bad debt, exactly.
    function invariant_BooksBalanceExactly() public view {
        assertEq(gusd.totalSupply() * RAY + engine.surplusRad(), engine.totalDebtRad() + engine.badDebtRad(), "books");
    }

    /// @notice Per ilk: the engine holds exactly Σ vault collateral, and what left by seize is at the auction.
    function invariant_CollateralConserved() public view {
        for (uint256 k; k < 3; ++k) {
            bytes32 id = allIlks[k];
            MockERC20 token = _token(id);
            uint256 sum;
            for (uint256 a; a < actorList.length; ++a) {
                (uint256 c,) = engine.vault(id, actorList[a]);
                sum += c;
            }
            assertEq(token.balanceOf(address(engine)), sum, "engine balance == sum of vault collateral");
            assertEq(token.balanceOf(auction), handler.ghostSeized(id), "seized collateral at the auction");
        }
    }

    /// @notice Per ilk: the ilk's normalized debt is the sum of its vaults'.
    function invariant_IlkDebtIsSumOfVaults() public view {
        for (uint256 k; k < 3; ++k) {
            bytes32 id = allIlks[k];
            uint256 sum;
            for (uint256 a; a < actorList.length; ++a) {
                (, uint256 n) = engine.vault(id, actorList[a]);
                sum += n;
            }
            assertEq(engine.ilks(id).normalizedDebt, sum, "ilk normalized debt");
        }
    }

    /// @notice Every gUSD is held by a known account: the actors and the fund.
    function invariant_SupplyHeldByKnownAccounts() public view {
        uint256 sum = gusd.balanceOf(address(fund));
        for (uint256 a; a < actorList.length; ++a) {
            sum += gusd.balanceOf(actorList[a]);
        }
        assertEq(sum, gusd.totalSupply(), "supply");
    }

    /// @notice No owner action that adds risk (withdraw, borrow, riskier adjust) leaves its vault unsafe.
    function invariant_NoUnsafeVaultByOwnerAction() public view {
        assertFalse(handler.ghostUnsafeByOwner(), "owner produced an unsafe vault");
    }

    /// @notice Bad debt moves only through seize (up) and heal / healWithSurplus (down), by exactly the
    /// reported amounts.
    function invariant_BadDebtOnlyViaSeizeAndHeal() public view {
        assertFalse(handler.ghostBadDebtChangedElsewhere(), "bad debt moved elsewhere");
    }

    /// @notice Rate accumulators never fall below RAY nor decrease.
    function invariant_RatesMonotonic() public view {
        assertFalse(handler.ghostRateDecreased(), "rate decreased");
        for (uint256 k; k < 3; ++k) {
            assertGe(engine.ilks(allIlks[k]).rate, RAY);
        }
    }

    /// @notice The handler's paths work end to end (a campaign only reports invariant failures).
    function test_Handler_Smoke() public {
        handler.deposit(0, 2, 5_000_000);
        handler.borrow(0, 2, 3); // 3 % 3 == 0: borrow the whole room
        handler.poke(2, 8000);
        handler.seize(0, 2, 5000);
        handler.heal(0, 100e18);
        handler.drip(0, 30 days);
        handler.sendSurplus(1);
        handler.fundHeal(1e18);
        assertEq(handler.calls("borrow"), 1, "borrow");
        assertEq(handler.calls("seize"), 1, "seize");
        assertEq(handler.calls("heal"), 1, "heal");
        assertGt(engine.badDebtRad(), 0, "bad debt left");
        invariant_BooksBalanceExactly();
        invariant_CollateralConserved();
    }

    /// @notice Logs (with -vv) how often each path succeeded, to see the campaign exercises them.
    function afterInvariant() external {
        string[15] memory names = [
            "deposit",
            "withdraw",
            "withdraw.reverted",
            "borrow",
            "borrow.reverted",
            "repay",
            "adjust",
            "adjust.reverted",
            "close",
            "drip",
            "poke",
            "seize",
            "heal",
            "sendSurplus",
            "fundHeal"
        ];
        for (uint256 k; k < names.length; ++k) {
            emit log_named_uint(names[k], handler.calls(bytes32(bytes(names[k]))));
        }
    }
}
