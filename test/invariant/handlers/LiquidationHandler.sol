// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

import {CollateralAuction} from "../../../contracts/src/CollateralAuction.sol";
import {InsuranceFund} from "../../../contracts/src/InsuranceFund.sol";
import {LiquidationEngine} from "../../../contracts/src/LiquidationEngine.sol";
import {Stablecoin} from "../../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../../contracts/src/VaultEngine.sol";
import {CurvePrice} from "../../../contracts/src/curves/CurvePrice.sol";
import {IAuctionTakeCallee} from "../../../contracts/src/interfaces/IAuctionTakeCallee.sol";
import {ICollateralAuction} from "../../../contracts/src/interfaces/ICollateralAuction.sol";
import {IInsuranceFund} from "../../../contracts/src/interfaces/IInsuranceFund.sol";
import {ILiquidationEngine} from "../../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IVaultEngine} from "../../../contracts/src/interfaces/IVaultEngine.sol";
import {MockMarkPrice} from "../../utils/liquidation/MockMarkPrice.sol";
import {MockERC20} from "../../utils/mocks/MockERC20.sol";
import {Test} from "forge-std/Test.sol";

/// @dev A take receiver with a callback that only records it was called (the payer pays).
contract NoopCallee is IAuctionTakeCallee {
    uint256 public calls;

    function onAuctionTake(address, uint256, uint256, bytes calldata) external {
        calls++;
    }
}

// Tests cast freely between int256/uint256 on bounded values.
// forge-lint: disable-start(unsafe-typecast)
/// @notice Drives the liquidation system (vault engine, liquidation engine, one auction house per
/// ilk) with random sequences across four vault owners and three ilks (6, 8, 18 decimals): open /
/// adjust vaults, price moves (engine spot and auction mark price, together or apart), liquidate
/// (single and batch), take (partial and whole; receiver the taker, another address or a callee),
/// redo, time warp, settle and drip. Expected reverts are caught and counted; every other revert,
/// and every broken per-step property, sets a ghost flag the invariant contract asserts.
contract LiquidationHandler is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant RAY = 1e27;
    uint256 internal constant BPS = 10_000;

    /// @dev What the handler knows about one auction (per ilk index and id).
    struct AuctionGhost {
        uint256 lot0; // lot at kick
        uint256 tab0; // tab at kick
        uint256 sold; // collateral sold so far
        uint256 collected; // stablecoin collected so far
        uint256 lastPrice; // last price seen (reset by redo)
        address owner;
    }

    VaultEngine public immutable engine;
    Stablecoin public immutable gusd;
    LiquidationEngine public immutable dog;
    address public immutable spotter;
    address public immutable keeper;
    /// @dev Receives collateral without ever owning a vault or paying.
    address public immutable eve;
    NoopCallee public immutable callee;

    bytes32[3] public ilkIds;
    CollateralAuction[3] public houses;
    MockMarkPrice[3] public marks;
    address[] public actors;

    /// @dev Ilk index => price behind the engine's spot / the auction's mark (WAD), and the start price.
    uint256[3] public enginePrice;
    uint256[3] public markPrice;
    uint256[3] internal _initialPrice;

    /// @dev Ilk index => collateral tokens minted by the handler (the only minter).
    uint256[3] public ghostMinted;
    /// @dev Ilk index => Σ lots kicked and Σ collateral sold (all auctions).
    uint256[3] public ghostLotKicked;
    uint256[3] public ghostSold;
    mapping(uint256 => mapping(uint256 => AuctionGhost)) public auctions;

    // Per-step properties: set when broken, never cleared.
    bool public ghostOversold; // a take or an auction sold more than its lot
    bool public ghostOvercollected; // a take or an auction collected more than its tab
    bool public ghostPriceRose; // a live auction's price rose without a redo
    bool public ghostTakeAboveMax; // a take cost more than maxPrice × amount (rounded up) or priced above maxPrice
    bool public ghostSafeLiquidated; // a safe (or debt-free) vault was liquidated or changed by a batch
    bool public ghostQuoteMismatch; // a take differed from its quote, or failed where the quote succeeded
    bool public ghostPartialBelowMinTab; // a take left a live auction with tab below its minTab
    bool public ghostLeftoverLost; // collateral left once the tab was raised did not return to the owner's vault
    bool public ghostBalanceMismatch; // a take moved other amounts of tokens than it reported
    bool public ghostRoomExceeded; // a partial liquidation's tab exceeded the room before it
    bool public ghostUnknownAuction; // a live auction the handler did not see kicked
    bool public ghostSettleMismatch; // settle moved other amounts than it reported
    bool public ghostRedoMismatch; // a redo did not restart at mark × premium now
    bool public ghostAdaptiveOutOfBounds; // a live Adaptive price above its fixed curve or below its floor
    bool public ghostUnexpectedRevert; // a call reverted for a reason its preconditions do not predict
    bytes public lastUnexpectedRevert;
    string public lastUnexpectedAction;
    /// @dev Largest overshoot of the room by a partial liquidation (WAD).
    uint256 public ghostRoomOvershoot;

    mapping(bytes32 => uint256) public calls;

    constructor(
        VaultEngine engine_,
        LiquidationEngine dog_,
        CollateralAuction[3] memory houses_,
        MockMarkPrice[3] memory marks_,
        bytes32[3] memory ilks_,
        uint256[3] memory prices_,
        address spotter_,
        address keeper_,
        address[] memory actors_
    ) {
        engine = engine_;
        gusd = Stablecoin(engine_.stablecoin());
        dog = dog_;
        spotter = spotter_;
        keeper = keeper_;
        eve = makeAddr("eve");
        callee = new NoopCallee();
        actors = actors_;
        for (uint256 k; k < 3; ++k) {
            ilkIds[k] = ilks_[k];
            houses[k] = houses_[k];
            marks[k] = marks_[k];
            enginePrice[k] = prices_[k];
            markPrice[k] = prices_[k];
            observedMark[k] = prices_[k];
            _initialPrice[k] = prices_[k];
        }
        for (uint256 a; a < actors_.length; ++a) {
            vm.startPrank(actors_[a]);
            for (uint256 k; k < 3; ++k) {
                MockERC20(engine_.ilks(ilks_[k]).token).approve(address(engine_), type(uint256).max);
                gusd.approve(address(houses_[k]), type(uint256).max);
            }
            vm.stopPrank();
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function auctionGhost(uint256 k, uint256 id) external view returns (AuctionGhost memory) {
        return auctions[k][id];
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _token(uint256 k) internal view returns (MockERC20) {
        return MockERC20(engine.ilks(ilkIds[k]).token);
    }

    function _mint(uint256 k, address to, uint256 amount) internal {
        _token(k).mint(to, amount);
        ghostMinted[k] += amount;
    }

    function _unexpected(string memory action, bytes memory reason) internal {
        ghostUnexpectedRevert = true;
        lastUnexpectedRevert = reason;
        lastUnexpectedAction = action;
        calls["unexpectedRevert"]++;
    }

    function _selector(bytes memory reason) internal pure returns (bytes4 sel) {
        if (reason.length >= 4) {
            assembly {
                sel := mload(add(reason, 0x20))
            }
        }
    }

    /// @dev After every action: every live auction is known and its price has not risen since last
    /// seen, except an Adaptive auction's when its mark rose (its anchor follows the mark back up, to
    /// its fixed curve at most: invariant 10b).
    modifier observe() {
        _;
        for (uint256 k; k < 3; ++k) {
            uint256[] memory ids = houses[k].list();
            uint256 markNow = marks[k].price();
            bool markRose = markNow > observedMark[k];
            observedMark[k] = markNow;
            for (uint256 i; i < ids.length; ++i) {
                AuctionGhost storage g = auctions[k][ids[i]];
                if (g.tab0 == 0) ghostUnknownAuction = true;
                (, uint256 price,,) = houses[k].getStatus(ids[i]);
                if (price > g.lastPrice && !(markRose && _isAdaptive(k, ids[i]))) ghostPriceRose = true;
                g.lastPrice = price;
            }
        }
    }

    /// @dev Mark price each house's source reported when last observed.
    uint256[3] internal observedMark;

    function _isAdaptive(uint256 k, uint256 id) internal view returns (bool) {
        CollateralAuction h = houses[k];
        return h.tier(h.sale(id).tierId).kind == ICollateralAuction.CurveKind.Adaptive;
    }

    /// @dev A live auction chosen by `seed`: from the seeded ilk and index on, the first whose
    /// needsRedo equals `wantRedo`, or else the first live one (so the other path is still hit).
    function _pickAuction(uint256 seed, bool wantRedo) internal view returns (bool found, uint256 k, uint256 id) {
        for (uint256 pass; pass < 2; ++pass) {
            for (uint256 j; j < 3; ++j) {
                uint256 kk = (seed % 3 + j) % 3;
                uint256[] memory ids = houses[kk].list();
                for (uint256 i; i < ids.length; ++i) {
                    uint256 candidate = ids[((seed / 3) % ids.length + i) % ids.length];
                    (bool needsRedo,,,) = houses[kk].getStatus(candidate);
                    if (pass == 1 || needsRedo == wantRedo) return (true, kk, candidate);
                }
            }
        }
    }

    function _recordKick(uint256 k, uint256 id, address owner) internal {
        ICollateralAuction.Sale memory s = houses[k].sale(id);
        AuctionGhost storage g = auctions[k][id];
        g.lot0 = s.lot;
        g.tab0 = s.tab;
        g.owner = owner;
        (, g.lastPrice,,) = houses[k].getStatus(id);
        ghostLotKicked[k] += s.lot;
        calls["kick"]++;
    }

    /// @dev Gives `who` at least `amount` gUSD by borrowing against fresh USDC-A collateral (2× the
    /// vault's whole debt at the current spot). Returns false when the engine refuses.
    function _fundStable(address who, uint256 amount) internal returns (bool) {
        uint256 bal = gusd.balanceOf(who);
        if (bal >= amount) return true;
        uint256 k = 0; // USDC-A
        bytes32 ilk = ilkIds[k];
        IVaultEngine.Ilk memory info = engine.ilks(ilk);
        uint256 deficit = amount - bal;
        uint256 debt = engine.debtOf(ilk, who);
        if (debt == 0 && deficit < info.dust) deficit = info.dust;
        (uint256 c,) = engine.vault(ilk, who);
        uint256 need = FixedPointMathLib.mulDivUp((debt + deficit + 1) * 2, WAD, info.scale * info.spot);
        uint256 dc = need > c ? need - c : 0;
        if (dc > 0) _mint(k, who, dc);
        vm.prank(who);
        try engine.adjust(ilk, int256(dc), int256(deficit)) {
            calls["fundStable"]++;
            return true;
        } catch {
            calls["fundStable.reverted"]++;
            return false;
        }
    }

    /*//////////////////////////////////////////////////////////////
                             VAULT ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Opens (or grows) a vault worth 200..250,000 gUSD, borrowing 50..100% of what it allows.
    function openVault(uint256 actorSeed, uint256 ilkSeed, uint256 valueSeed, uint256 ltvBps) external observe {
        address actor = _actor(actorSeed);
        uint256 k = ilkSeed % 3;
        bytes32 ilk = ilkIds[k];
        IVaultEngine.Ilk memory info = engine.ilks(ilk);
        uint256 value = _bound(valueSeed, 200e18, 250_000e18);
        uint256 collateral = value * WAD / (enginePrice[k] * info.scale);
        if (collateral == 0) collateral = 1;
        uint256 maxDebt = collateral * info.scale * info.spot / WAD;
        uint256 debt = maxDebt * _bound(ltvBps, 5000, BPS) / BPS;
        if (engine.debtOf(ilk, actor) == 0 && debt < info.dust) debt = info.dust;
        _mint(k, actor, collateral);
        vm.prank(actor);
        try engine.adjust(ilk, int256(collateral), int256(debt)) {
            calls["openVault"]++;
        } catch {
            // Unsafe (an existing vault underwater, or the dust top-up), ceiling: owner input, counted.
            calls["openVault.reverted"]++;
        }
    }

    /// @notice A vault owner's rescue or exit: deposit, repay, withdraw or close.
    function adjustVault(uint256 actorSeed, uint256 ilkSeed, uint256 mode, uint256 amountSeed) external observe {
        address actor = _actor(actorSeed);
        uint256 k = ilkSeed % 3;
        bytes32 ilk = ilkIds[k];
        (uint256 c,) = engine.vault(ilk, actor);
        uint256 debt = engine.debtOf(ilk, actor);
        mode = mode % 4;
        vm.startPrank(actor);
        bool ok;
        if (mode == 0) {
            // Add collateral (up to as much again, or one whole token for an empty vault).
            uint256 amount = _bound(amountSeed, 1, c > 0 ? c : 10 ** engine.ilks(ilk).decimals);
            vm.stopPrank();
            _mint(k, actor, amount);
            vm.startPrank(actor);
            try engine.deposit(ilk, amount) {
                ok = true;
            } catch {}
        } else if (mode == 1) {
            uint256 bal = gusd.balanceOf(actor);
            uint256 max = debt < bal ? debt : bal;
            if (max == 0) {
                vm.stopPrank();
                return;
            }
            try engine.repay(ilk, _bound(amountSeed, 1, max)) {
                ok = true;
            } catch {}
        } else if (mode == 2) {
            if (c == 0) {
                vm.stopPrank();
                return;
            }
            try engine.withdraw(ilk, _bound(amountSeed, 1, c)) {
                ok = true;
            } catch {}
        } else {
            if (c == 0 && debt == 0) {
                vm.stopPrank();
                return;
            }
            try engine.close(ilk) {
                ok = true;
            } catch {}
        }
        vm.stopPrank();
        calls[ok ? bytes32("adjustVault") : bytes32("adjustVault.reverted")]++;
    }

    /// @notice Drips an ilk's stability fee after up to 2 days (up to a year one time in 16).
    function drip(uint256 ilkSeed, uint256 elapsed) external observe {
        skip(elapsed % 16 == 0 ? _bound(elapsed, 0, 365 days) : _bound(elapsed, 0, 2 days));
        vm.roll(block.number + 1);
        try engine.drip(ilkIds[ilkSeed % 3]) {
            calls["drip"]++;
        } catch (bytes memory reason) {
            _unexpected("drip", reason);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 PRICES
    //////////////////////////////////////////////////////////////*/

    /// @notice Crash or recovery: × 0.4 .. 1.6, within 1/10 .. 3× the start price; `target` 0 moves
    /// both the engine's spot (as the Spotter does) and the auction's mark, 1 only the spot, 2 only the mark.
    function movePrice(uint256 ilkSeed, uint256 moveBps, uint256 target) external observe {
        uint256 k = ilkSeed % 3;
        uint256 move = _bound(moveBps, 4000, 16_000);
        uint256 lo = _initialPrice[k] / 10;
        uint256 hi = _initialPrice[k] * 3;
        target = target % 3;
        if (target != 2) {
            uint256 p = FixedPointMathLib.clamp(enginePrice[k] * move / BPS, lo, hi);
            enginePrice[k] = p;
            uint256 spot = p * WAD / engine.liquidationRatio(ilkIds[k]);
            vm.prank(spotter);
            engine.setSpot(ilkIds[k], spot);
        }
        if (target != 1) {
            uint256 p = FixedPointMathLib.clamp(markPrice[k] * move / BPS, lo, hi);
            markPrice[k] = p;
            marks[k].set(p, true);
        }
        calls["movePrice"]++;
    }

    /*//////////////////////////////////////////////////////////////
                              LIQUIDATION
    //////////////////////////////////////////////////////////////*/

    /// @notice Liquidates one vault: half the time the first unsafe vault from the seeds on, else the
    /// seeded vault as it is (often safe: must revert).
    function liquidate(uint256 ownerSeed, uint256 ilkSeed, uint256 mode) external observe {
        address owner = _actor(ownerSeed);
        uint256 k = ilkSeed % 3;
        if (mode % 2 == 0) {
            uint256 n = actors.length * 3;
            for (uint256 j; j < n; ++j) {
                address o = _actor(ownerSeed % actors.length + j / 3);
                uint256 kk = (ilkSeed % 3 + j) % 3;
                IVaultEngine.LiquidationView memory w = engine.liquidationView(ilkIds[kk], o);
                if (w.normalizedDebt != 0 && !w.safe) {
                    (owner, k) = (o, kk);
                    break;
                }
            }
        }
        bytes32 ilk = ilkIds[k];
        IVaultEngine.LiquidationView memory v = engine.liquidationView(ilk, owner);
        uint256 roomBefore = dog.room(ilk);
        uint256 houseBalBefore = _token(k).balanceOf(address(houses[k]));
        vm.prank(keeper);
        try dog.liquidate(ilk, owner, keeper) returns (uint256 id) {
            if (v.safe || v.normalizedDebt == 0) ghostSafeLiquidated = true;
            _recordKick(k, id, owner);
            ICollateralAuction.Sale memory s = houses[k].sale(id);
            (uint256 cAfter, uint256 artAfter) = engine.vault(ilk, owner);
            if (v.collateral - cAfter != s.lot) ghostBalanceMismatch = true;
            if (_token(k).balanceOf(address(houses[k])) - houseBalBefore != s.lot) ghostBalanceMismatch = true;
            if (artAfter != 0 && s.tab > roomBefore) {
                ghostRoomExceeded = true;
                if (s.tab - roomBefore > ghostRoomOvershoot) ghostRoomOvershoot = s.tab - roomBefore;
            }
            calls[artAfter == 0 ? bytes32("liquidate") : bytes32("liquidate.partial")]++;
        } catch (bytes memory reason) {
            bytes4 sel = _selector(reason);
            if (sel == ILiquidationEngine.VaultIsSafe.selector && v.safe && v.normalizedDebt != 0) {
                calls["liquidate.safe"]++;
            } else if (sel == ILiquidationEngine.VaultHasNoDebt.selector && v.normalizedDebt == 0) {
                calls["liquidate.noDebt"]++;
            } else if (sel == ILiquidationEngine.NoRoom.selector && !v.safe) {
                calls["liquidate.noRoom"]++;
            } else if (sel == ILiquidationEngine.DustyPartialLiquidation.selector && !v.safe) {
                calls["liquidate.dustyPartial"]++;
            } else {
                _unexpected("liquidate", reason);
            }
        }
    }

    /// @notice Liquidates three seeded vaults of one ilk in a batch (duplicates and safe ones included).
    function liquidateMany(uint256 ilkSeed, uint256 ownersSeed) external observe {
        uint256 k = ilkSeed % 3;
        bytes32 ilk = ilkIds[k];
        address[] memory owners = new address[](3);
        bool[] memory safeBefore = new bool[](3);
        uint256[] memory cBefore = new uint256[](3);
        uint256[] memory artBefore = new uint256[](3);
        for (uint256 i; i < 3; ++i) {
            owners[i] = _actor(ownersSeed >> (8 * i));
            IVaultEngine.LiquidationView memory v = engine.liquidationView(ilk, owners[i]);
            safeBefore[i] = v.safe || v.normalizedDebt == 0;
            (cBefore[i], artBefore[i]) = (v.collateral, v.normalizedDebt);
        }
        vm.prank(keeper);
        try dog.liquidateMany(ilk, owners, keeper) returns (uint256[] memory ids) {
            for (uint256 i; i < 3; ++i) {
                if (safeBefore[i]) {
                    (uint256 c, uint256 art) = engine.vault(ilk, owners[i]);
                    if (ids[i] != 0 || c != cBefore[i] || art != artBefore[i]) ghostSafeLiquidated = true;
                    calls["liquidateMany.skippedSafe"]++;
                } else if (ids[i] != 0) {
                    _recordKick(k, ids[i], owners[i]);
                    calls["liquidateMany.kicked"]++;
                } else {
                    calls["liquidateMany.skipped"]++;
                }
            }
            calls["liquidateMany"]++;
        } catch (bytes memory reason) {
            // A batch never reverts for safe, empty or room-limited vaults.
            _unexpected("liquidateMany", reason);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                AUCTIONS
    //////////////////////////////////////////////////////////////*/

    /// @dev A take's inputs, kept in memory to spare the stack.
    struct TakeCase {
        uint256 k;
        uint256 id;
        address taker;
        address receiver;
        bytes data;
        uint256 amount;
        uint256 maxPrice;
        uint256 price;
        bool needsRedo;
        bool quoted;
        uint256 qOut;
        uint256 qOwe;
        bytes quoteReason;
        ICollateralAuction.Sale s;
        uint256 scale;
        uint256 ownerCollateralBefore;
        uint256 takerStableBefore;
        uint256 receiverCollateralBefore;
    }

    /// @notice Takes part or all of a live auction. `amountSeed`: a third of the time the whole lot
    /// (exactly, or more than it), else a random part. `maxPriceSeed`: the price, above it, unbounded,
    /// or below it (must revert). `receiverSeed`: the taker, another address, or a callee with data.
    function take(
        uint256 auctionSeed,
        uint256 takerSeed,
        uint256 amountSeed,
        uint256 maxPriceSeed,
        uint256 receiverSeed
    ) external observe {
        TakeCase memory t;
        bool found;
        (found, t.k, t.id) = _pickAuction(auctionSeed, false);
        if (!found) return;
        CollateralAuction h = houses[t.k];
        t.s = h.sale(t.id);
        t.scale = engine.ilks(ilkIds[t.k]).scale;
        (t.needsRedo, t.price,,) = h.getStatus(t.id);
        _checkAdaptiveBounds(h, t);
        t.taker = _actor(takerSeed);
        uint256 r = receiverSeed % 3;
        t.receiver = r == 0 ? t.taker : r == 1 ? eve : address(callee);
        if (r == 2) t.data = hex"01";
        if (amountSeed % 3 == 0) {
            t.amount = amountSeed % 2 == 0 ? t.s.lot : t.s.lot + _bound(amountSeed, 1, 1e30);
        } else {
            t.amount = _bound(amountSeed, 1, t.s.lot);
        }
        uint256 m = maxPriceSeed % 4;
        if (m == 0) t.maxPrice = t.price;
        else if (m == 1) t.maxPrice = t.price + _bound(maxPriceSeed, 0, t.price);
        else if (m == 2) t.maxPrice = type(uint256).max;
        else t.maxPrice = t.price == 0 ? 0 : _bound(maxPriceSeed, 0, t.price - 1);

        try h.quote(t.id, t.amount) returns (uint256 qOut, uint256 qOwe, uint256 qPrice) {
            (t.quoted, t.qOut, t.qOwe) = (true, qOut, qOwe);
            if (qPrice != t.price) ghostQuoteMismatch = true;
            if (!_fundStable(t.taker, qOwe)) return;
        } catch (bytes memory reason) {
            t.quoteReason = reason;
        }

        (t.ownerCollateralBefore,) = engine.vault(ilkIds[t.k], t.s.owner);
        t.takerStableBefore = gusd.balanceOf(t.taker);
        t.receiverCollateralBefore = _token(t.k).balanceOf(t.receiver);

        vm.prank(t.taker);
        try h.take(t.id, t.amount, t.maxPrice, t.receiver, t.data) returns (uint256 out, uint256 owe) {
            _checkTake(t, out, owe);
        } catch (bytes memory reason) {
            _checkTakeRevert(t, reason);
        }
    }

    /// @dev An Adaptive auction's live price, whatever the mark did: at most its fixed (Exponential)
    /// curve, at least its floor, and the redo rule is the fixed curve's.
    function _checkAdaptiveBounds(CollateralAuction h, TakeCase memory t) internal {
        ICollateralAuction.Tier memory tier = h.tier(t.s.tierId);
        if (tier.kind != ICollateralAuction.CurveKind.Adaptive) return;
        calls["take.adaptive"]++;
        uint256 age = block.timestamp - t.s.startedAt;
        uint256 fixedPrice = CurvePrice.exponential(t.s.top, age, tier.cutRay);
        uint256 floorPrice = FixedPointMathLib.mulWadUp(t.s.top, tier.floorWad);
        bool redoDue = age > tier.tailSeconds || fixedPrice < floorPrice;
        if (redoDue != t.needsRedo || t.price > fixedPrice) ghostAdaptiveOutOfBounds = true;
        if (!redoDue && t.price < floorPrice) ghostAdaptiveOutOfBounds = true;
        if (!redoDue && t.price < fixedPrice) calls["take.adaptiveFollowing"]++;
    }

    function _checkTake(TakeCase memory t, uint256 out, uint256 owe) internal {
        calls[t.amount >= t.s.lot ? bytes32("take.whole") : bytes32("take.partial")]++;
        if (t.receiver != t.taker) calls["take.otherReceiver"]++;
        if (t.needsRedo || t.price > t.maxPrice) ghostTakeAboveMax = true;
        if (!t.quoted || out != t.qOut || owe != t.qOwe) ghostQuoteMismatch = true;

        // Bounds of this take.
        uint256 eff = t.amount < t.s.lot ? t.amount : t.s.lot;
        if (out > t.s.lot || out > t.amount) ghostOversold = true;
        if (owe > t.s.tab) ghostOvercollected = true;
        if (owe > FixedPointMathLib.mulDivUp(eff * t.scale, t.price, WAD)) ghostTakeAboveMax = true;

        // Tokens moved exactly as reported.
        if (t.takerStableBefore - gusd.balanceOf(t.taker) != owe) ghostBalanceMismatch = true;
        if (_token(t.k).balanceOf(t.receiver) - t.receiverCollateralBefore != out) ghostBalanceMismatch = true;

        // Bounds over the auction's life.
        AuctionGhost storage g = auctions[t.k][t.id];
        g.sold += out;
        g.collected += owe;
        ghostSold[t.k] += out;
        if (g.sold > g.lot0) ghostOversold = true;
        if (g.collected > g.tab0) ghostOvercollected = true;

        uint256 lotLeft = t.s.lot - out;
        uint256 tabLeft = t.s.tab - owe;
        (uint256 ownerCollateral,) = engine.vault(ilkIds[t.k], t.s.owner);
        if (lotLeft == 0 || tabLeft == 0) {
            calls["take.closed"]++;
            // Collateral left once the tab is raised goes back into the owner's vault.
            if (ownerCollateral - t.ownerCollateralBefore != lotLeft) ghostLeftoverLost = true;
        } else {
            ICollateralAuction.Sale memory after_ = houses[t.k].sale(t.id);
            if (after_.lot != lotLeft || after_.tab != tabLeft) ghostBalanceMismatch = true;
            if (tabLeft < t.s.minTab) ghostPartialBelowMinTab = true;
            if (ownerCollateral != t.ownerCollateralBefore) ghostLeftoverLost = true;
        }
    }

    function _checkTakeRevert(TakeCase memory t, bytes memory reason) internal {
        bytes4 sel = _selector(reason);
        if (t.needsRedo) {
            if (sel == ICollateralAuction.AuctionNeedsRedo.selector) calls["take.needsRedo"]++;
            else _unexpected("take", reason);
        } else if (t.price > t.maxPrice) {
            if (sel == ICollateralAuction.PriceAboveMax.selector) calls["take.aboveMax"]++;
            else _unexpected("take", reason);
        } else if (!t.quoted) {
            // The take fails exactly as its quote did.
            if (keccak256(reason) == keccak256(t.quoteReason)) calls["take.quoteReverted"]++;
            else ghostQuoteMismatch = true;
        } else {
            // The quote said the take works.
            ghostQuoteMismatch = true;
            _unexpected("take", reason);
        }
    }

    /// @notice Restarts a live auction: must succeed when it needs a redo, and revert otherwise.
    function redo(uint256 auctionSeed) external observe {
        (bool found, uint256 k, uint256 id) = _pickAuction(auctionSeed, true);
        if (!found) return;
        CollateralAuction h = houses[k];
        (bool needsRedo,,,) = h.getStatus(id);
        vm.prank(keeper);
        try h.redo(id, keeper) {
            if (!needsRedo) ghostRedoMismatch = true;
            ICollateralAuction.Sale memory s = h.sale(id);
            uint256 top = markPrice[k] * h.tier(s.tierId).startPremiumBps / BPS;
            // A test checking the redo restarted at this block's time, not a time-dependent decision.
            // forge-lint: disable-next-line(block-timestamp)
            if (s.top != top || s.startedAt != block.timestamp) ghostRedoMismatch = true;
            // The one way a live auction's price may rise: a fresh start.
            (, auctions[k][id].lastPrice,,) = h.getStatus(id);
            calls["redo"]++;
        } catch (bytes memory reason) {
            if (!needsRedo && _selector(reason) == ICollateralAuction.AuctionDoesNotNeedRedo.selector) {
                calls["redo.notNeeded"]++;
            } else {
                _unexpected("redo", reason);
            }
        }
    }

    /// @notice Backstop capital for takeovers: an actor borrows gUSD against USDC and deposits it
    /// into the insurance fund (called once by the invariant set-up, through the handler so the
    /// collateral it mints is counted).
    function seedFund(uint256 amount) external {
        address lp = actors[actors.length - 1];
        require(_fundStable(lp, amount), "seedFund");
        address fund = houses[0].insuranceFund();
        vm.startPrank(lp);
        gusd.approve(fund, amount);
        InsuranceFund(fund).deposit(amount, lp);
        vm.stopPrank();
    }

    /// @notice The insurance fund takes over a live auction (allowed below its floor or after a
    /// second tail); the fund pays the current price and receives the collateral.
    function takeover(uint256 auctionSeed) external observe {
        (bool found, uint256 k, uint256 id) = _pickAuction(auctionSeed, true);
        if (!found) return;
        CollateralAuction h = houses[k];
        ICollateralAuction.Sale memory s = h.sale(id);
        address fund = h.insuranceFund();
        uint256 fundCollateralBefore = _token(k).balanceOf(fund);
        (uint256 ownerCollateralBefore,) = engine.vault(ilkIds[k], s.owner);
        vm.prank(keeper);
        try h.takeover(id, keeper) returns (uint256 out, uint256 owe, uint256) {
            if (out > s.lot) ghostOversold = true;
            if (owe > s.tab) ghostOvercollected = true;
            if (_token(k).balanceOf(fund) - fundCollateralBefore != out) ghostBalanceMismatch = true;
            AuctionGhost storage g = auctions[k][id];
            g.sold += out;
            g.collected += owe;
            ghostSold[k] += out;
            if (g.sold > g.lot0) ghostOversold = true;
            if (g.collected > g.tab0) ghostOvercollected = true;
            if (s.tab - owe == 0 && s.lot - out > 0) {
                (uint256 ownerCollateral,) = engine.vault(ilkIds[k], s.owner);
                if (ownerCollateral - ownerCollateralBefore != s.lot - out) ghostLeftoverLost = true;
            }
            calls["takeover"]++;
        } catch (bytes memory reason) {
            bytes4 sel = _selector(reason);
            if (sel == ICollateralAuction.TakeoverNotAllowed.selector) {
                calls["takeover.notAllowed"]++;
            } else if (sel == IInsuranceFund.TakeoverExceedsCap.selector) {
                calls["takeover.cap"]++;
            } else {
                _unexpected("takeover", reason);
            }
        }
    }

    /// @notice Burns proceeds against bad debt and pays penalty revenue to the fund.
    function settle(uint256 ilkSeed) external observe {
        CollateralAuction h = houses[ilkSeed % 3];
        address fund = h.insuranceFund();
        uint256 badBefore = engine.badDebtRad();
        uint256 fundBefore = gusd.balanceOf(fund);
        uint256 houseBefore = gusd.balanceOf(address(h));
        try h.settle() returns (uint256 healed, uint256 revenue) {
            if (badBefore - engine.badDebtRad() != healed * RAY) ghostSettleMismatch = true;
            if (gusd.balanceOf(fund) - fundBefore != revenue) ghostSettleMismatch = true;
            // Everything but one wei leaves the house.
            if (gusd.balanceOf(address(h)) != (houseBefore > 0 ? 1 : 0)) ghostSettleMismatch = true;
            if (h.pendingRevenue() != 0) ghostSettleMismatch = true;
            calls["settle"]++;
        } catch (bytes memory reason) {
            _unexpected("settle", reason);
        }
    }

    /// @notice Time passes: up to 90 minutes (auctions decay, pass their tail), one block per 12 s.
    function warp(uint256 seconds_) external observe {
        seconds_ = _bound(seconds_, 1, 90 minutes);
        skip(seconds_);
        vm.roll(block.number + 1 + seconds_ / 12);
        calls["warp"]++;
    }
}
// forge-lint: disable-end(unsafe-typecast)
