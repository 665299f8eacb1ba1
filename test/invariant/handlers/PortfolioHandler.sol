// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PortfolioEngine} from "../../../contracts/src/PortfolioEngine.sol";
import {Stablecoin} from "../../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../../contracts/src/VaultEngine.sol";
import {MockERC20} from "../../utils/mocks/MockERC20.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Drives portfolio vaults with random deposit / withdraw / borrow / repay / drip / poke sequences
/// across the actors and the three table assets, recording ghost state the invariants check.
contract PortfolioHandler is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    /// @dev A price step moves at most ±25%, within 1/20 .. 20× the start.
    uint256 internal constant MIN_MOVE_BPS = 7500;
    uint256 internal constant MAX_MOVE_BPS = 12_500;
    uint256 internal constant PRICE_RANGE = 20;

    VaultEngine public immutable engine;
    PortfolioEngine public immutable portfolio;
    Stablecoin public immutable gusd;
    address public immutable spotter;
    bytes32 public immutable portfolioIlk;

    bytes32[] public ilkIds;
    address[] public actors;
    mapping(bytes32 => uint256) public price;
    mapping(bytes32 => uint256) internal _initialPrice;

    /// @dev Set if an owner's own withdraw or borrow succeeded and left its portfolio unsafe.
    bool public ghostUnsafeByOwner;

    mapping(bytes32 => uint256) public calls;

    constructor(
        PortfolioEngine portfolio_,
        address spotter_,
        bytes32[3] memory ilks_,
        uint256[3] memory prices_,
        address[] memory actors_
    ) {
        portfolio = portfolio_;
        engine = VaultEngine(portfolio_.vaultEngine());
        gusd = Stablecoin(engine.stablecoin());
        spotter = spotter_;
        portfolioIlk = portfolio_.portfolioIlk();
        for (uint256 k; k < 3; ++k) {
            ilkIds.push(ilks_[k]);
            price[ilks_[k]] = prices_[k];
            _initialPrice[ilks_[k]] = prices_[k];
        }
        actors = actors_;
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

    /// @dev After an owner's own risk-adding call succeeded: its portfolio must be safe.
    function _checkOwner(address owner) internal {
        if (!portfolio.isSafe(owner)) ghostUnsafeByOwner = true;
    }

    /// @notice Anyone deposits 1 .. 1000 whole tokens into an actor's portfolio.
    function deposit(uint256 actorSeed, uint256 ilkSeed, uint256 amountSeed) external {
        address owner = _actor(actorSeed);
        address payer = _actor(actorSeed >> 8);
        bytes32 id = _ilk(ilkSeed);
        uint256 amount = _bound(amountSeed, 1, 1000) * 10 ** engine.ilks(id).decimals;
        _token(id).mint(payer, amount);
        vm.startPrank(payer);
        _token(id).approve(address(portfolio), amount);
        portfolio.deposit(owner, id, amount);
        vm.stopPrank();
        calls["deposit"]++;
    }

    /// @notice The owner withdraws a random share of a holding; it may revert (unsafe), which is fine.
    function withdraw(uint256 actorSeed, uint256 ilkSeed, uint256 shareBps) external {
        address owner = _actor(actorSeed);
        bytes32 id = _ilk(ilkSeed);
        uint256 amount = portfolio.collateralOf(owner, id) * _bound(shareBps, 1, BPS) / BPS;
        if (amount == 0) return;
        vm.prank(owner);
        try portfolio.withdraw(id, amount, owner) {
            calls["withdraw"]++;
            _checkOwner(owner);
        } catch {
            calls["withdraw.reverted"]++;
        }
    }

    /// @notice The owner borrows: exactly its room in the worst scenario (rounding may refuse it once fees
    /// accrued), 99% of it, or a random amount up to twice it (reverts are fine).
    function borrow(uint256 actorSeed, uint256 amountSeed) external {
        address owner = _actor(actorSeed);
        (uint256 worst,) = portfolio.portfolioRequirement(portfolio.holdingsOf(owner));
        uint256 debt = portfolio.portfolioDebt(owner);
        uint256 room = worst > debt ? worst - debt : 0;
        uint256 mode = amountSeed % 3;
        uint256 amount = mode == 0 ? room : mode == 1 ? room * 99 / 100 : _bound(amountSeed, 1, 2 * room + 1);
        if (amount == 0) return;
        vm.prank(owner);
        try portfolio.borrow(amount) {
            calls["borrow"]++;
            _checkOwner(owner);
        } catch {
            calls["borrow.reverted"]++;
        }
    }

    /// @notice An actor repays part of its own debt (whole debt when the rest would be dust).
    function repay(uint256 actorSeed, uint256 shareBps) external {
        address owner = _actor(actorSeed);
        uint256 debt = portfolio.portfolioDebt(owner);
        if (debt == 0) return;
        uint256 amount = debt * _bound(shareBps, 1, BPS) / BPS;
        if (debt - amount < engine.ilks(portfolioIlk).dust) amount = debt;
        uint256 balance = gusd.balanceOf(owner);
        if (amount > balance) return;
        vm.prank(owner);
        try portfolio.repay(owner, amount) {
            calls["repay"]++;
        } catch {
            calls["repay.reverted"]++;
        }
    }

    /// @notice Time passes and the portfolio debt line accrues its fee.
    function drip(uint256 elapsed) external {
        skip(_bound(elapsed, 0, 60 days));
        engine.drip(portfolioIlk);
        calls["drip"]++;
    }

    /// @notice The Spotter's poke: a price random walk of one asset.
    function poke(uint256 ilkSeed, uint256 moveBps) public virtual {
        bytes32 id = _ilk(ilkSeed);
        uint256 p = price[id] * _bound(moveBps, MIN_MOVE_BPS, MAX_MOVE_BPS) / BPS;
        uint256 p0 = _initialPrice[id];
        if (p < p0 / PRICE_RANGE) p = p0 / PRICE_RANGE;
        if (p > p0 * PRICE_RANGE) p = p0 * PRICE_RANGE;
        price[id] = p;
        uint256 spot = p * WAD / engine.liquidationRatio(id);
        vm.prank(spotter);
        engine.setSpot(id, spot);
        calls["poke"]++;
    }
}
