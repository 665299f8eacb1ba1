// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";

import {UniswapV2Artifacts} from "../../contracts/script/lib/UniswapV2Artifacts.sol";
import {CollateralAuction} from "../../contracts/src/CollateralAuction.sol";
import {ICollateralAuction} from "../../contracts/src/interfaces/ICollateralAuction.sol";
import {ILiquidationEngine} from "../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IUniswapV2FlashTaker} from "../../contracts/src/interfaces/IUniswapV2FlashTaker.sol";
import {UniswapV2FlashTaker} from "../../contracts/src/periphery/UniswapV2FlashTaker.sol";
import {LiquidationBaseTest} from "../utils/LiquidationBaseTest.sol";
import {AttackerHouse, FakeLiquidationEngine} from "../utils/periphery/FakeLiquidationEngine.sol";
import {UniswapV2Deployer} from "../utils/uniswap/UniswapV2Deployer.sol";

/// @notice Zero-capital liquidate-and-take end to end: `UniswapV2FlashTaker.liquidateAndTake`
/// against the real `LiquidationEngine` and `CollateralAuction` (LiquidationBaseTest fixture) and the
/// real Uniswap V2 (npm build artifacts). WBTC-A gets a small-debt tier (tabs up to 5,000) that starts
/// 3% below the mark, so a pool priced at the mark buys the lot at once at a profit. The pool's gUSD
/// is minted the protocol's way, by opening a vault, so the books stay exact.
contract FlashLiquidateAndTakeTest is LiquidationBaseTest, UniswapV2Deployer {
    /// @dev Small-debt tier: start 3% below the mark, for tabs up to 5,000 gUSD.
    uint16 internal constant SMALL_START_BPS = 9700;
    uint256 internal constant SMALL_MAX_TAB = 5000e18;
    /// @dev alice's vault: 0.1 WBTC against 4,000 gUSD (safe at 60,000, unsafe below 58,000).
    uint256 internal constant LOT = 0.1e8;
    uint256 internal constant DEBT = 4000e18;
    /// @dev WBTC has 8 decimals: native units × 1e10 = WAD.
    uint256 internal constant WBTC_SCALE = 1e10;
    /// @dev 45,000: the lot at the start price (4,365) is worth less than the tab (4,520), so it all sells.
    uint256 internal constant DEEP_CRASH = 45_000e18;
    /// @dev 55,000: the lot (5,335) is worth more than the tab: only the tab is raised.
    uint256 internal constant SHALLOW_CRASH = 55_000e18;
    /// @dev The pool's depth in whole WBTC.
    uint256 internal constant POOL_WBTC = 100;

    UniswapV2Artifacts.UniswapV2 internal uni;
    UniswapV2FlashTaker internal taker;
    CollateralAuction internal h;
    uint256 internal smallTierId;
    address internal lp = makeAddr("lp");
    address internal treasury = makeAddr("treasury");
    address internal victim = makeAddr("victim");
    address internal attacker = makeAddr("attacker");

    function setUp() public override {
        super.setUp();
        uni = _deployUniswapV2();
        taker = new UniswapV2FlashTaker(address(uni.router));
        vm.label(address(taker), "UniswapV2FlashTaker");
        h = house[WBTC_A];
        smallTierId = _smallDebtTier();
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Governance adds a tier starting 3% below the mark for tabs up to 5,000; the fixture's
    /// default tier (120% of the mark) stays for larger tabs.
    function _smallDebtTier() internal returns (uint256 id) {
        ICollateralAuction.Tier memory small = _defaultTier();
        small.startPremiumBps = SMALL_START_BPS;
        uint256[] memory ids = new uint256[](2);
        uint256[] memory maxTabs = new uint256[](2);
        vm.startPrank(gov);
        id = h.addTier(small);
        (ids[0], ids[1]) = (id, 0);
        (maxTabs[0], maxTabs[1]) = (SMALL_MAX_TAB, type(uint256).max);
        h.setTiers(ids, maxTabs);
        vm.stopPrank();
    }

    /// @dev A WBTC/gUSD pool of `POOL_WBTC` at `priceWad`, its gUSD borrowed by `lp` from an ETH vault.
    function _pool(uint256 priceWad) internal {
        uint256 amount = POOL_WBTC * 1e8;
        uint256 stable = POOL_WBTC * priceWad;
        _fundStable(lp, stable, address(uni.router));
        wbtc.mint(lp, amount);
        vm.startPrank(lp);
        wbtc.approve(address(uni.router), amount);
        uni.router.addLiquidity(address(wbtc), address(gusd), amount, stable, amount, stable, lp, block.timestamp);
        vm.stopPrank();
        assertTrue(uni.factory.getPair(address(wbtc), address(gusd)) != address(0), "pair");
    }

    /// @dev Pool at `poolPrice`; alice's vault (0.1 WBTC, 4,000 debt) made unsafe at mark `mark`.
    function _setUpVault(uint256 poolPrice, uint256 mark) internal {
        _pool(poolPrice);
        _unsafeVault(alice, WBTC_A, LOT, DEBT, mark);
        assertFalse(engine.liquidationView(WBTC_A, alice).safe, "setup: alice's vault is unsafe");
        assertEq(gusd.balanceOf(bidder), 0, "setup: bidder has no gUSD");
        assertEq(wbtc.balanceOf(bidder), 0, "setup: bidder has no WBTC");
    }

    function _path() internal view returns (address[] memory path) {
        path = new address[](2);
        (path[0], path[1]) = (address(wbtc), address(gusd));
    }

    function _swapOut(uint256 amount) internal view returns (uint256) {
        return uni.router.getAmountsOut(amount, _path())[1];
    }

    /// @dev What a liquidate-and-take of alice's vault at mark `mark` must do, worked out from the
    /// engine's incentives, the tier and the pool's quote, not from the house.
    struct Expected {
        uint256 id;
        uint256 tab;
        uint256 incentive;
        uint256 top;
        uint256 bought;
        uint256 owe;
        uint256 swapOut;
        uint256 profit;
    }

    function _expected(uint256 mark) internal view returns (Expected memory e) {
        uint256 debt = engine.debtOf(WBTC_A, alice);
        assertEq(debt, DEBT, "setup: no fee accrued");
        e.tab = (debt * PENALTY + WAD - 1) / WAD; // rounded up
        uint256 incentive = dog.tip() + e.tab * dog.chipWad() / WAD;
        e.incentive = incentive < e.tab - debt ? incentive : e.tab - debt;
        e.top = mark * SMALL_START_BPS / 10_000;
        uint256 lotValue = (LOT * WBTC_SCALE * e.top + WAD - 1) / WAD; // rounded up
        if (lotValue > e.tab) {
            (e.owe, e.bought) = (e.tab, e.tab * WAD / (e.top * WBTC_SCALE));
        } else {
            (e.owe, e.bought) = (lotValue, LOT);
        }
        e.swapOut = _swapOut(e.bought);
        // Only meaningful when the swap covers the owe (the tests that need it check that).
        if (e.swapOut >= e.owe) e.profit = e.incentive + e.swapOut - e.owe;
        e.id = uint256(1) << 32; // the house's first auction: nonce 1, slot 0
    }

    function _liquidateAndTake(uint256 maxPrice, uint256 minProfit, address profitTo)
        internal
        returns (uint256 id, uint256 bought, uint256 paid, uint256 profit)
    {
        address[] memory path = _path(); // built before the prank: building it makes calls
        vm.prank(bidder);
        (id, bought, paid, profit) =
            taker.liquidateAndTake(address(dog), WBTC_A, alice, maxPrice, minProfit, path, profitTo);
    }

    /// @dev The taker holds no tokens and no allowances.
    function _assertTakerClean() internal view {
        assertEq(gusd.balanceOf(address(taker)), 0, "taker keeps no gUSD");
        assertEq(wbtc.balanceOf(address(taker)), 0, "taker keeps no WBTC");
        assertEq(gusd.allowance(address(taker), address(h)), 0, "taker: no gUSD allowance to the house");
        assertEq(wbtc.allowance(address(taker), address(uni.router)), 0, "taker: no WBTC allowance to the router");
    }

    /// @dev Everything a failed call must leave as it was.
    struct Snapshot {
        uint256 ink;
        uint256 art;
        bool safe;
        uint256 auctions;
        uint256 houseDebt;
        uint256 supply;
        uint256 badDebtRad;
        uint256 pairWbtc;
        uint256 pairGusd;
        uint256 bidderGusd;
        uint256 takerGusd;
        uint256 takerWbtc;
    }

    function _snapshot() internal view returns (Snapshot memory s) {
        address pair = uni.factory.getPair(address(wbtc), address(gusd));
        (s.ink, s.art) = engine.vault(WBTC_A, alice);
        s.safe = engine.liquidationView(WBTC_A, alice).safe;
        s.auctions = h.count();
        s.houseDebt = h.debtInAuctions();
        s.supply = gusd.totalSupply();
        s.badDebtRad = engine.badDebtRad();
        s.pairWbtc = pair == address(0) ? 0 : wbtc.balanceOf(pair);
        s.pairGusd = pair == address(0) ? 0 : gusd.balanceOf(pair);
        s.bidderGusd = gusd.balanceOf(bidder);
        s.takerGusd = gusd.balanceOf(address(taker));
        s.takerWbtc = wbtc.balanceOf(address(taker));
    }

    function _assertUnchanged(Snapshot memory before) internal view {
        Snapshot memory now_ = _snapshot();
        assertEq(now_.ink, LOT, "vault collateral unchanged");
        assertEq(now_.art, DEBT, "vault debt unchanged");
        assertEq(now_.auctions, 0, "no auction started");
        assertEq(keccak256(abi.encode(now_)), keccak256(abi.encode(before)), "nothing moved");
        _assertTakerClean();
        _assertBooksBalance();
    }

    /*//////////////////////////////////////////////////////////////
                                SUCCESS
    //////////////////////////////////////////////////////////////*/

    function test_LiquidateAndTake_SmallTierUsesTheDiscountedTier() public view {
        assertEq(h.tierFor(4520e18), smallTierId, "a 4,520 tab gets the small tier");
        assertEq(h.tier(smallTierId).startPremiumBps, SMALL_START_BPS, "small tier starts 3% below the mark");
        assertEq(h.tierFor(SMALL_MAX_TAB + 1), 0, "larger tabs keep the default tier");
    }

    /// @dev The lot at the start price is worth less than the tab: the whole lot sells, the vault
    /// is emptied, the unraised rest of the tab stays bad debt (as any auction that sells out).
    function test_LiquidateAndTake_WholeLot_ZeroCapitalProfit() public {
        _setUpVault(DEEP_CRASH, DEEP_CRASH);
        Expected memory e = _expected(DEEP_CRASH);
        assertEq(e.bought, LOT, "setup: the whole lot sells");
        assertLt(e.owe, e.tab, "setup: the lot does not cover the tab");
        assertGt(e.swapOut, e.owe, "setup: the pool pays more than the auction asks");
        uint256 supplyBefore = gusd.totalSupply();

        vm.expectEmit(address(taker));
        emit IUniswapV2FlashTaker.FlashLiquidateAndTake(
            address(dog), WBTC_A, alice, e.id, bidder, e.bought, e.owe, e.profit
        );
        (uint256 id, uint256 bought, uint256 paid, uint256 profit) = _liquidateAndTake(e.top, e.incentive, address(0));

        assertEq(id, e.id, "auction id");
        assertEq(bought, LOT, "bought the whole lot");
        assertEq(paid, e.owe, "paid lot x start price");
        assertEq(profit, e.profit, "profit = incentive + swap out - owe");
        assertEq(e.incentive, TIP + 4.52e18, "incentive: tip + chip x tab");
        assertGt(profit, e.incentive, "the swap added a surplus to the incentive");
        // No live auction is left.
        assertEq(h.count(), 0, "no live auction");
        assertEq(h.debtInAuctions(), 0, "no debt in auctions");
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.AuctionFinished.selector, id));
        h.sale(id);
        // The vault is emptied: all its collateral and debt were seized.
        (uint256 ink, uint256 art) = engine.vault(WBTC_A, alice);
        assertEq(ink, 0, "vault: no collateral left");
        assertEq(art, 0, "vault: no debt left");
        // The house holds the proceeds; the part of them above the debt is penalty revenue.
        assertEq(gusd.balanceOf(address(h)), e.owe, "house holds the proceeds");
        assertEq(wbtc.balanceOf(address(h)), 0, "house holds no WBTC");
        assertEq(h.pendingRevenue(), e.owe - DEBT, "penalty part raised is revenue");
        // Only the incentive was minted: the pool paid the rest.
        assertEq(gusd.totalSupply(), supplyBefore + e.incentive, "supply grew by the incentive only");
        // The bidder holds exactly the profit; the taker holds nothing.
        assertEq(gusd.balanceOf(bidder), e.profit, "bidder: exactly the profit in gUSD");
        assertEq(wbtc.balanceOf(bidder), 0, "bidder: no WBTC");
        _assertTakerClean();
        _assertBooksBalance();

        // Proceeds settle against the bad debt; the books still balance.
        h.settle();
        _assertBooksBalance();
    }

    /// @dev The lot at the start price is worth more than the tab: only the tab is raised and the
    /// unsold collateral goes back into the owner's vault. Profit to a separate receiver.
    function test_LiquidateAndTake_LotWorthMoreThanTab_RestBackToOwner() public {
        _setUpVault(SHALLOW_CRASH, SHALLOW_CRASH);
        Expected memory e = _expected(SHALLOW_CRASH);
        assertEq(e.owe, e.tab, "setup: the lot covers the tab");
        assertLt(e.bought, LOT, "setup: part of the lot suffices");

        vm.expectEmit(address(taker));
        emit IUniswapV2FlashTaker.FlashLiquidateAndTake(
            address(dog), WBTC_A, alice, e.id, bidder, e.bought, e.tab, e.profit
        );
        (uint256 id, uint256 bought, uint256 paid, uint256 profit) = _liquidateAndTake(type(uint256).max, 0, treasury);

        assertEq(id, e.id, "auction id");
        assertEq(paid, 4520e18, "raised exactly the tab");
        assertEq(bought, e.bought, "collateral for the tab at the start price");
        assertEq(profit, e.profit, "profit = incentive + swap out - tab");
        assertEq(h.count(), 0, "no live auction");
        assertEq(h.debtInAuctions(), 0, "no debt in auctions");
        (uint256 ink, uint256 art) = engine.vault(WBTC_A, alice);
        assertEq(ink, LOT - bought, "unsold collateral back in alice's vault");
        assertEq(art, 0, "vault: no debt left");
        assertEq(wbtc.balanceOf(alice), 0, "not sent to alice's address");
        assertEq(h.pendingRevenue(), 520e18, "the whole penalty is revenue");
        assertEq(gusd.balanceOf(treasury), profit, "treasury got the profit");
        assertEq(gusd.balanceOf(bidder), 0, "bidder got nothing");
        _assertTakerClean();
        _assertBooksBalance();
        h.settle();
        _assertBooksBalance();
    }

    /*//////////////////////////////////////////////////////////////
                                REVERTS
    //////////////////////////////////////////////////////////////*/

    /// @dev One wei above what it would earn: the taker's own check fails after the take, and the
    /// whole liquidation rolls back. Exactly the minimum then passes.
    function test_LiquidateAndTake_RevertWhen_ProfitBelowMinimum() public {
        _setUpVault(DEEP_CRASH, DEEP_CRASH);
        Expected memory e = _expected(DEEP_CRASH);
        Snapshot memory before = _snapshot();
        address[] memory path = _path();

        vm.prank(bidder);
        vm.expectRevert(
            abi.encodeWithSelector(IUniswapV2FlashTaker.ProfitBelowMinimum.selector, e.profit, e.profit + 1)
        );
        taker.liquidateAndTake(address(dog), WBTC_A, alice, e.top, e.profit + 1, path, address(0));

        _assertUnchanged(before);
        assertFalse(engine.liquidationView(WBTC_A, alice).safe, "vault still unsafe");

        // The lock was rolled back with the revert: exactly the minimum passes.
        (,,, uint256 profit) = _liquidateAndTake(e.top, e.profit, address(0));
        assertEq(profit, e.profit, "profit at the minimum");
    }

    function test_LiquidateAndTake_RevertWhen_VaultIsSafe() public {
        _pool(60_000e18);
        _open(alice, WBTC_A, LOT, DEBT); // 0.1 WBTC at 60,000 against 4,000: ratio 1.5 > 1.45
        assertTrue(engine.liquidationView(WBTC_A, alice).safe, "setup: safe");
        Snapshot memory before = _snapshot();
        address[] memory path = _path();

        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.VaultIsSafe.selector, WBTC_A, alice));
        taker.liquidateAndTake(address(dog), WBTC_A, alice, type(uint256).max, 0, path, address(0));

        _assertUnchanged(before);
    }

    /// @dev The path is checked against the engine's house for the ilk before anything moves.
    function test_LiquidateAndTake_RevertWhen_PathInvalid() public {
        _setUpVault(DEEP_CRASH, DEEP_CRASH);
        Snapshot memory before = _snapshot();
        address[] memory ethPath = new address[](2);
        (ethPath[0], ethPath[1]) = (address(weth), address(gusd)); // ETH-A's path, not WBTC-A's
        address[] memory wrongEnd = new address[](2);
        (wrongEnd[0], wrongEnd[1]) = (address(wbtc), address(usdc));
        address[] memory tooShort = new address[](1);
        tooShort[0] = address(wbtc);

        vm.startPrank(bidder);
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InvalidPath.selector, address(weth), address(gusd)));
        taker.liquidateAndTake(address(dog), WBTC_A, alice, type(uint256).max, 0, ethPath, address(0));
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InvalidPath.selector, address(wbtc), address(usdc)));
        taker.liquidateAndTake(address(dog), WBTC_A, alice, type(uint256).max, 0, wrongEnd, address(0));
        vm.expectRevert(abi.encodeWithSelector(IUniswapV2FlashTaker.InvalidPath.selector, address(0), address(0)));
        taker.liquidateAndTake(address(dog), WBTC_A, alice, type(uint256).max, 0, tooShort, address(0));
        vm.stopPrank();

        _assertUnchanged(before);
    }

    /// @dev The house prices the take before any transfer: its `PriceAboveMax` bubbles unwrapped
    /// through the engine and the taker.
    function test_LiquidateAndTake_RevertWhen_MaxPriceBelowStartPrice() public {
        _setUpVault(DEEP_CRASH, DEEP_CRASH);
        Expected memory e = _expected(DEEP_CRASH);
        assertEq(e.top, 43_650e18, "setup: start price 3% below the mark");
        Snapshot memory before = _snapshot();
        address[] memory path = _path();

        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.PriceAboveMax.selector, e.top, e.top - 1));
        taker.liquidateAndTake(address(dog), WBTC_A, alice, e.top - 1, 0, path, address(0));

        _assertUnchanged(before);
    }

    /// @dev The pool pays less than the auction asks: the swap alone must cover `owe` (the incentive
    /// is not used for it), and the house wraps the callback's error.
    function test_LiquidateAndTake_RevertWhen_PoolBelowStartPrice() public {
        _setUpVault(40_000e18, DEEP_CRASH);
        Expected memory e = _expected(DEEP_CRASH);
        assertLt(e.swapOut, e.owe, "setup: the swap cannot cover the owe");
        Snapshot memory before = _snapshot();
        address[] memory path = _path();

        bytes memory inner =
            abi.encodeWithSelector(IUniswapV2FlashTaker.InsufficientSwapOutput.selector, e.swapOut, e.owe);
        vm.prank(bidder);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAuction.TakeCallbackFailed.selector, address(taker), inner));
        taker.liquidateAndTake(address(dog), WBTC_A, alice, type(uint256).max, 0, path, address(0));

        _assertUnchanged(before);
    }

    /*//////////////////////////////////////////////////////////////
                                 ATTACK
    //////////////////////////////////////////////////////////////*/

    /// @dev The attacker's setup: an `AttackerHouse` named by a `FakeLiquidationEngine`, holding
    /// `ATTACKER_OWN` WBTC of its own for the control step (it tells the taker to owe 90% of what
    /// that sells for), re-entry targets the real engine and house with alice's unsafe vault.
    uint256 internal constant ATTACKER_OWN = 0.01e8;

    function _attacker() internal returns (AttackerHouse evil, FakeLiquidationEngine fake, uint256 ownOut) {
        evil = new AttackerHouse(address(wbtc), address(gusd), victim);
        fake = new FakeLiquidationEngine(evil);
        vm.label(address(evil), "AttackerHouse");
        vm.label(address(fake), "FakeLiquidationEngine");
        wbtc.mint(address(evil), ATTACKER_OWN);
        ownOut = _swapOut(ATTACKER_OWN);
        evil.configure(address(dog), address(h), WBTC_A, alice, ATTACKER_OWN, ownOut * 9 / 10, _path());
    }

    /// @dev The victim holds gUSD and WBTC and approved the taker for both, without limit.
    function _victimApprovesTaker() internal {
        _fundStable(victim, 10_000e18, address(taker));
        wbtc.mint(victim, 1e8);
        vm.prank(victim);
        wbtc.approve(address(taker), type(uint256).max);
        assertEq(gusd.balanceOf(victim), 10_000e18, "setup: victim's gUSD");
    }

    /// @dev What each of the attacker house's attempts ended with.
    function _assertAttackAttempts(AttackerHouse evil) internal view {
        assertTrue(evil.attacked(), "the attack ran");
        // (0) The callback must carry the data the taker passed: a substituted path is refused.
        assertFalse(evil.substituteSucceeded(), "substituted callback data");
        assertEq(
            evil.substituteError(),
            abi.encodeWithSelector(IUniswapV2FlashTaker.UnexpectedCallbackData.selector),
            "substituted callback data: UnexpectedCallbackData"
        );
        // (1) The callback naming the victim's collateral fails: the router pulls from the taker.
        assertFalse(evil.drainVictimSucceeded(), "cannot sell the victim's collateral");
        assertEq(
            evil.drainVictimError(),
            abi.encodeWithSignature("Error(string)", "TransferHelper: TRANSFER_FROM_FAILED"),
            "the router's pull from the (empty) taker failed"
        );
        // (2) No allowance from the taker to pull with.
        assertFalse(evil.pullFromTakerSucceeded(), "nothing to pull from the taker");
        // (3) The lock stops both re-entries, against the real house and engine.
        bytes memory reentrancy = abi.encodeWithSelector(IUniswapV2FlashTaker.Reentrancy.selector);
        assertFalse(evil.reenterTakeSucceeded(), "take re-entry");
        assertEq(evil.reenterTakeError(), reentrancy, "take re-entry: Reentrancy");
        assertFalse(evil.reenterLiquidateSucceeded(), "liquidateAndTake re-entry");
        assertEq(evil.reenterLiquidateError(), reentrancy, "liquidateAndTake re-entry: Reentrancy");
        // (5) One callback per call.
        assertFalse(evil.secondCallbackSucceeded(), "second callback");
        assertEq(
            evil.secondCallbackError(),
            abi.encodeWithSelector(IUniswapV2FlashTaker.UnexpectedCaller.selector, address(evil)),
            "second callback: UnexpectedCaller"
        );
    }

    /// @dev A fake engine names an attacker house; the taker accepts that house's callback while the
    /// call is in progress. The attacker still cannot move a victim's tokens (the victim approved the
    /// taker for both its gUSD and WBTC: the approvals are never used, the taker never pulls from
    /// anyone), cannot pull anything from the taker, and cannot re-enter `take` or `liquidateAndTake`
    /// (the lock). What it routes through the taker is only its own collateral.
    function test_LiquidateAndTake_Attack_FakeEngineCannotTakeThirdPartyTokensOrReenter() public {
        _setUpVault(DEEP_CRASH, DEEP_CRASH); // alice: a real unsafe vault for the re-entry attempts
        _victimApprovesTaker();
        (AttackerHouse evil, FakeLiquidationEngine fake, uint256 ownOut) = _attacker();
        address[] memory path = _path();
        Snapshot memory before = _snapshot();

        vm.prank(attacker);
        (uint256 id, uint256 sold, uint256 paid, uint256 profit) =
            taker.liquidateAndTake(address(fake), WBTC_A, victim, type(uint256).max, 0, path, address(0));

        _assertAttackAttempts(evil);
        // (4) Control: the house's callback was accepted, with the attacker's own collateral only.
        assertEq(id, 1, "the fake engine's id");
        assertEq(sold, ATTACKER_OWN, "sold the attacker's own collateral");
        assertEq(paid, ownOut * 9 / 10, "the attacker house collected its owe");
        // The victim lost nothing and its approvals were never used.
        assertEq(gusd.balanceOf(victim), 10_000e18, "victim's gUSD untouched");
        assertEq(wbtc.balanceOf(victim), 1e8, "victim's WBTC untouched");
        assertEq(gusd.allowance(victim, address(taker)), type(uint256).max, "victim's gUSD approval unused");
        assertEq(wbtc.allowance(victim, address(taker)), type(uint256).max, "victim's WBTC approval unused");
        // The attacker got back only what its own collateral sold for (owe to its house, rest as profit).
        assertEq(profit, ownOut - paid, "profit: the rest of its own sale");
        assertEq(gusd.balanceOf(attacker), profit, "attacker: its own sale's rest");
        assertEq(gusd.balanceOf(address(evil)), paid, "attacker house: its own sale's owe");
        assertEq(wbtc.balanceOf(address(evil)), 0, "attacker house spent its own WBTC");
        assertEq(gusd.allowance(address(taker), address(evil)), 0, "taker: no allowance to the attacker");
        _assertTakerClean();
        // The real protocol was not touched: alice's vault is still unsafe and un-liquidated.
        Snapshot memory after_ = _snapshot();
        assertEq(after_.ink, before.ink, "alice's collateral");
        assertEq(after_.art, before.art, "alice's debt");
        assertFalse(after_.safe, "alice still unsafe");
        assertEq(after_.auctions, 0, "no auction");
        assertEq(after_.badDebtRad, before.badDebtRad, "no bad debt minted");
        _assertBooksBalance();

        // The lock was released: the real liquidate-and-take works right after.
        Expected memory e = _expected(DEEP_CRASH);
        (,,, uint256 realProfit) = _liquidateAndTake(e.top, 0, address(0));
        assertEq(realProfit, e.profit, "real liquidate-and-take after the attack");
    }

    /// @dev An ilk the engine does not know: the engine's own error, not a call to address 0.
    function test_LiquidateAndTake_RevertWhen_IlkNotConfigured() public {
        bytes32 unknown = "NOPE-A";
        address[] memory path = _path();
        vm.expectRevert(abi.encodeWithSelector(ILiquidationEngine.IlkNotConfigured.selector, unknown));
        vm.prank(bidder);
        taker.liquidateAndTake(address(dog), unknown, alice, type(uint256).max, 0, path, address(0));
    }

    /*//////////////////////////////////////////////////////////////
                                  GAS
    //////////////////////////////////////////////////////////////*/

    /// @dev Gas of the whole call (liquidation, auction kick and take, swap, payment, profit out),
    /// measured around the call, plus an estimate of receipt gas from `vm.lastCallGas` (+ 21,000 base
    /// and calldata, - refunds capped at 1/5), as `test_Gas_FlashTake` does. In one test transaction
    /// the setup's storage is warm; run with `--isolate` for the cold-storage figure.
    function test_LiquidateAndTake_Gas() public {
        _setUpVault(DEEP_CRASH, DEEP_CRASH);
        Expected memory e = _expected(DEEP_CRASH);
        address[] memory path = _path();
        bytes memory callData =
            abi.encodeCall(taker.liquidateAndTake, (address(dog), WBTC_A, alice, e.top, 0, path, address(0)));

        vm.prank(bidder);
        uint256 start = gasleft();
        (,,, uint256 profit) = taker.liquidateAndTake(address(dog), WBTC_A, alice, e.top, 0, path, address(0));
        uint256 used = start - gasleft();
        Vm.Gas memory g = vm.lastCallGas();

        assertEq(profit, e.profit, "the measured call succeeded");
        assertEq(h.count(), 0, "the measured call cleared the auction");
        emit log_named_uint("liquidateAndTake gas, whole call (gasleft)", used);
        emit log_named_uint("liquidateAndTake execution gas (lastCallGas)", g.gasTotalUsed);
        emit log_named_uint("liquidateAndTake receipt gas (estimate)", _receiptGas(g, callData));
        assertLt(used, 600_000, "liquidateAndTake gas bound");
    }

    /// @dev Execution gas + 21,000 + calldata gas, minus the refund capped at a fifth (EIP-3529).
    function _receiptGas(Vm.Gas memory g, bytes memory callData) internal pure returns (uint256) {
        uint256 gross = g.gasTotalUsed + 21_000;
        for (uint256 i; i < callData.length; ++i) {
            gross += callData[i] == 0 ? 4 : 16;
        }
        uint256 refund = g.gasRefunded > 0 ? uint256(int256(g.gasRefunded)) : 0;
        return gross - (refund > gross / 5 ? gross / 5 : refund);
    }
}
