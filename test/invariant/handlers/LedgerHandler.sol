// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {InsuranceFund} from "../../../contracts/src/InsuranceFund.sol";
import {Stablecoin} from "../../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../../contracts/src/VaultEngine.sol";
import {IVaultEngine} from "../../../contracts/src/interfaces/IVaultEngine.sol";
import {MockERC20} from "../../utils/mocks/MockERC20.sol";
import {Test} from "forge-std/Test.sol";

// Tests cast freely between int256/uint256/uint128 on bounded values.
// forge-lint: disable-start(unsafe-typecast)
/// @notice Drives the ledger with random deposit / withdraw / borrow / repay / adjust / close / drip /
/// poke (setSpot) / seize / heal / sendSurplus / fund heal sequences across five users and three ilks,
/// recording ghost state the invariants check.
contract LedgerHandler is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant RAY = 1e27;

    VaultEngine public immutable engine;
    Stablecoin public immutable gusd;
    InsuranceFund public immutable fund;
    address public immutable spotter;
    address public immutable liquidator;
    address public immutable auction;

    bytes32[] public ilkIds;
    address[] public actors;

    /// @dev Ilk => current mark price (WAD), random-walked by `poke`.
    mapping(bytes32 => uint256) public price;
    mapping(bytes32 => uint256) internal _initialPrice;

    /// @dev Ilk => collateral sent to `auction` by seize.
    mapping(bytes32 => uint256) public ghostSeized;

    /// @dev Set if an owner's own risk-increasing call succeeded and left its vault unsafe.
    bool public ghostUnsafeByOwner;
    /// @dev Set if bad debt moved during any call other than seize / heal / healWithSurplus / sendSurplus /
    /// fund heal / mintUnbacked, or moved by other than the exact amount those report.
    bool public ghostBadDebtChangedElsewhere;
    /// @dev Highest rate seen per ilk, to check rates never fall.
    mapping(bytes32 => uint256) public ghostLastRate;
    bool public ghostRateDecreased;

    mapping(bytes32 => uint256) public calls;

    constructor(
        VaultEngine engine_,
        InsuranceFund fund_,
        address spotter_,
        address liquidator_,
        address auction_,
        bytes32[3] memory ilks_,
        uint256[3] memory prices_,
        address[] memory actors_
    ) {
        engine = engine_;
        gusd = Stablecoin(engine_.stablecoin());
        fund = fund_;
        spotter = spotter_;
        liquidator = liquidator_;
        auction = auction_;
        for (uint256 k; k < 3; ++k) {
            ilkIds.push(ilks_[k]);
            price[ilks_[k]] = prices_[k];
            _initialPrice[ilks_[k]] = prices_[k];
            ghostLastRate[ilks_[k]] = RAY;
        }
        actors = actors_;
        for (uint256 a; a < actors_.length; ++a) {
            for (uint256 k; k < 3; ++k) {
                MockERC20 token = MockERC20(engine_.ilks(ilks_[k]).token);
                vm.prank(actors_[a]);
                token.approve(address(engine_), type(uint256).max);
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _ilk(uint256 seed) internal view returns (bytes32) {
        return ilkIds[seed % ilkIds.length];
    }

    function _token(bytes32 id) internal view returns (MockERC20) {
        return MockERC20(engine.ilks(id).token);
    }

    /// @dev Wraps a call that must not move bad debt.
    modifier badDebtUnchanged() {
        uint256 before = engine.badDebtRad();
        _;
        if (engine.badDebtRad() != before) ghostBadDebtChangedElsewhere = true;
        _checkRates();
    }

    function _checkRates() internal {
        for (uint256 k; k < ilkIds.length; ++k) {
            uint256 r = engine.ilks(ilkIds[k]).rate;
            if (r < ghostLastRate[ilkIds[k]]) ghostRateDecreased = true;
            ghostLastRate[ilkIds[k]] = r;
        }
    }

    function _ownerLeftSafe(bytes32 id, address owner) internal {
        if (!engine.isSafe(id, owner)) ghostUnsafeByOwner = true;
    }

    /// @dev Gives an empty vault some collateral first, so borrow paths are exercised often.
    function _ensureCollateral(bytes32 id, address actor, uint256 seed) internal {
        (uint256 c,) = engine.vault(id, actor);
        if (c != 0) return;
        uint256 amount = _bound(seed, 1, 1000) * 10 ** engine.ilks(id).decimals / 10;
        if (amount == 0) amount = 1;
        _token(id).mint(actor, amount);
        vm.prank(actor);
        engine.deposit(id, amount);
        calls["deposit"]++;
    }

    /// @dev Debt the vault can still take at the current spot (WAD).
    function _room(bytes32 id, address owner) internal view returns (uint256) {
        (uint256 c,) = engine.vault(id, owner);
        IVaultEngine.Ilk memory i = engine.ilks(id);
        uint256 value = c * i.scale * i.spot / WAD;
        uint256 debt = engine.debtOf(id, owner);
        return value > debt ? value - debt : 0;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    function deposit(uint256 actorSeed, uint256 ilkSeed, uint256 wholeTokensMilli) external badDebtUnchanged {
        address actor = _actor(actorSeed);
        bytes32 id = _ilk(ilkSeed);
        uint256 amount = _bound(wholeTokensMilli, 1, 1_000_000) * 10 ** engine.ilks(id).decimals / 1000;
        if (amount == 0) amount = 1;
        _token(id).mint(actor, amount);
        vm.prank(actor);
        engine.deposit(id, amount);
        calls["deposit"]++;
    }

    function withdraw(uint256 actorSeed, uint256 ilkSeed, uint256 amount) external badDebtUnchanged {
        address actor = _actor(actorSeed);
        bytes32 id = _ilk(ilkSeed);
        (uint256 c,) = engine.vault(id, actor);
        if (c == 0) return;
        amount = _bound(amount, 1, c);
        vm.prank(actor);
        try engine.withdraw(id, amount) {
            calls["withdraw"]++;
            _ownerLeftSafe(id, actor);
        } catch {
            calls["withdraw.reverted"]++;
        }
    }

    function borrow(uint256 actorSeed, uint256 ilkSeed, uint256 amount) external badDebtUnchanged {
        address actor = _actor(actorSeed);
        bytes32 id = _ilk(ilkSeed);
        _ensureCollateral(id, actor, amount);
        uint256 room = _room(id, actor);
        // Mostly within room, sometimes past it (the engine must refuse); a new debt starts at dust.
        uint256 min = engine.debtOf(id, actor) == 0 ? engine.ilks(id).dust : 1;
        // A third of the time borrow the whole room, so price drops make vaults unsafe (seize paths).
        amount = amount % 3 == 0 && room >= min ? room : _bound(amount, min, min + room + room / 10);
        vm.prank(actor);
        try engine.borrow(id, amount) {
            calls["borrow"]++;
            _ownerLeftSafe(id, actor);
        } catch {
            calls["borrow.reverted"]++;
        }
    }

    function repay(uint256 actorSeed, uint256 ilkSeed, uint256 amount) external badDebtUnchanged {
        address actor = _actor(actorSeed);
        bytes32 id = _ilk(ilkSeed);
        uint256 debt = engine.debtOf(id, actor);
        uint256 bal = gusd.balanceOf(actor);
        uint256 max = debt < bal ? debt : bal;
        if (max == 0) return;
        amount = _bound(amount, 1, max);
        vm.prank(actor);
        try engine.repay(id, amount) {
            calls["repay"]++;
        } catch {
            calls["repay.reverted"]++;
        }
    }

    function adjust(uint256 actorSeed, uint256 ilkSeed, int256 collateralDelta, int256 debtDelta)
        external
        badDebtUnchanged
    {
        address actor = _actor(actorSeed);
        bytes32 id = _ilk(ilkSeed);
        _ensureCollateral(id, actor, uint256(debtDelta));
        (uint256 c,) = engine.vault(id, actor);
        uint256 unit = 10 ** engine.ilks(id).decimals;
        collateralDelta = _bound(collateralDelta, -int256(c), int256(100 * unit));
        if (collateralDelta > 0) _token(id).mint(actor, uint256(collateralDelta));
        uint256 room = _room(id, actor);
        uint256 debt = engine.debtOf(id, actor);
        uint256 bal = gusd.balanceOf(actor);
        int256 down = -int256(debt < bal ? debt : bal);
        debtDelta = _bound(debtDelta, down, int256(room + room / 10 + 1));
        if (debt == 0 && debtDelta > 0) {
            uint256 dust = engine.ilks(id).dust;
            if (uint256(debtDelta) < dust) debtDelta = int256(dust);
        }
        vm.prank(actor);
        try engine.adjust(id, collateralDelta, debtDelta) {
            calls["adjust"]++;
            if (collateralDelta < 0 || debtDelta > 0) _ownerLeftSafe(id, actor);
        } catch {
            calls["adjust.reverted"]++;
        }
    }

    function close(uint256 actorSeed, uint256 ilkSeed) external badDebtUnchanged {
        address actor = _actor(actorSeed);
        bytes32 id = _ilk(ilkSeed);
        vm.prank(actor);
        try engine.close(id) {
            calls["close"]++;
        } catch {
            calls["close.reverted"]++;
        }
    }

    function drip(uint256 ilkSeed, uint256 elapsed) external badDebtUnchanged {
        skip(_bound(elapsed, 0, 60 days));
        engine.drip(_ilk(ilkSeed));
        calls["drip"]++;
    }

    /// @dev The Spotter's poke: a price random walk (±25% per step, within 1/20 .. 20× the start).
    function poke(uint256 ilkSeed, uint256 moveBps) external badDebtUnchanged {
        bytes32 id = _ilk(ilkSeed);
        uint256 p = price[id] * _bound(moveBps, 7500, 12_500) / 10_000;
        uint256 p0 = _initialPrice[id];
        if (p < p0 / 20) p = p0 / 20;
        if (p > p0 * 20) p = p0 * 20;
        price[id] = p;
        uint256 spot = p * WAD / engine.liquidationRatio(id);
        vm.prank(spotter);
        engine.setSpot(id, spot);
        calls["poke"]++;
    }

    /// @dev The liquidation engine's confiscation of an unsafe vault (part or all).
    function seize(uint256 actorSeed, uint256 ilkSeed, uint256 fractionBps) external {
        // Scan every vault from the seeds on; seize the first unsafe one.
        address actor;
        bytes32 id;
        uint256 c;
        uint256 a;
        bool found;
        uint256 n = actors.length * ilkIds.length;
        for (uint256 k; k < n && !found; ++k) {
            actor = _actor(actorSeed % actors.length + k / ilkIds.length);
            id = _ilk(ilkSeed % ilkIds.length + k);
            (c, a) = engine.vault(id, actor);
            found = a != 0 && !engine.isSafe(id, actor);
        }
        if (!found) return;
        fractionBps = _bound(fractionBps, 1, 10_000);
        uint256 dart = a * fractionBps / 10_000;
        if (dart == 0) dart = 1;
        uint256 dink = c * dart / a;
        uint256 before = engine.badDebtRad();
        vm.prank(liquidator);
        uint256 debtRad = engine.seize(id, actor, dink, dart, auction);
        if (engine.badDebtRad() != before + debtRad) ghostBadDebtChangedElsewhere = true;
        ghostSeized[id] += dink;
        calls["seize"]++;
        _checkRates();
    }

    function heal(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        uint256 bal = gusd.balanceOf(actor);
        if (bal == 0) return;
        amount = _bound(amount, 1, bal);
        uint256 before = engine.badDebtRad();
        vm.prank(actor);
        uint256 healed = engine.heal(amount);
        if (engine.badDebtRad() != before - healed) ghostBadDebtChangedElsewhere = true;
        calls["heal"]++;
        _checkRates();
    }

    function sendSurplus(uint256 amount) external {
        // Nets surplus against bad debt (healWithSurplus) first: bad debt may only fall.
        uint256 before = engine.badDebtRad();
        uint256 surplus = engine.surplusRad();
        uint256 netted = surplus < before ? surplus : before;
        uint256 free = (surplus - netted) / RAY;
        if (free == 0 || before > surplus) {
            engine.healWithSurplus();
            if (engine.badDebtRad() != before - netted) ghostBadDebtChangedElsewhere = true;
            calls["healWithSurplus"]++;
            return;
        }
        amount = _bound(amount, 1, free);
        engine.sendSurplus(amount);
        if (engine.badDebtRad() != 0) ghostBadDebtChangedElsewhere = true;
        calls["sendSurplus"]++;
        _checkRates();
    }

    /// @dev The fund's heal (by its HEALER), within its balance and the healable bad debt.
    function fundHeal(uint256 amount) external {
        engine.healWithSurplus();
        uint256 healable = engine.badDebtRad() / RAY;
        uint256 bal = gusd.balanceOf(address(fund));
        uint256 max = healable < bal ? healable : bal;
        if (max == 0) return;
        amount = _bound(amount, 1, max);
        uint256 before = engine.badDebtRad();
        vm.prank(liquidator);
        fund.heal(amount);
        if (engine.badDebtRad() != before - amount * RAY) ghostBadDebtChangedElsewhere = true;
        calls["fundHeal"]++;
    }
}
// forge-lint: disable-end(unsafe-typecast)
