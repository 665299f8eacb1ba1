// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CollateralAuction} from "../../../contracts/src/CollateralAuction.sol";
import {LiquidationEngine} from "../../../contracts/src/LiquidationEngine.sol";
import {PortfolioEngine} from "../../../contracts/src/PortfolioEngine.sol";
import {ICollateralAuction} from "../../../contracts/src/interfaces/ICollateralAuction.sol";
import {MockMarkPrice} from "../../utils/liquidation/MockMarkPrice.sol";
import {PortfolioHandler} from "./PortfolioHandler.sol";

/// @notice The portfolio handler plus the liquidation side: keepers liquidate portfolios (safe ones too:
/// the call must refuse them), a bidder takes lots at the decaying price, and the houses' mark prices follow
/// every price move. Ghost state counts every token that left the system through a take.
contract PortfolioLiquidationHandler is PortfolioHandler {
    LiquidationEngine public immutable dog;
    address public immutable bidder;
    address public immutable keeper;

    mapping(bytes32 => CollateralAuction) public houseOf;
    mapping(bytes32 => MockMarkPrice) public markOf;

    /// @dev Set if `liquidatePortfolio` succeeded on a portfolio that was safe just before.
    bool public ghostSafeLiquidated;

    constructor(
        PortfolioEngine portfolio_,
        address spotter_,
        bytes32[3] memory ilks_,
        uint256[3] memory prices_,
        address[] memory actors_,
        LiquidationEngine dog_,
        address bidder_,
        address keeper_
    ) PortfolioHandler(portfolio_, spotter_, ilks_, prices_, actors_) {
        dog = dog_;
        bidder = bidder_;
        keeper = keeper_;
    }

    /// @notice Setup only: the house and mark source of `id`.
    function setHouse(bytes32 id, CollateralAuction house, MockMarkPrice mark) external {
        houseOf[id] = house;
        markOf[id] = mark;
    }

    /// @notice A keeper sweeps: tries to liquidate every actor's portfolio, starting at a random one; each
    /// safe or empty one must be refused.
    function liquidate(uint256 actorSeed) external {
        uint256 n = actors.length;
        for (uint256 k; k < n; ++k) {
            address owner = _actor(actorSeed % n + k);
            bool safeBefore = portfolio.isSafe(owner);
            vm.prank(keeper);
            try dog.liquidatePortfolio(owner, keeper) {
                calls["liquidate"]++;
                if (safeBefore) ghostSafeLiquidated = true;
            } catch {
                calls["liquidate.reverted"]++;
            }
        }
    }

    /// @notice The bidder takes a random share of a live lot at the current price (any price).
    function take(uint256 ilkSeed, uint256 auctionSeed, uint256 shareBps) external {
        bytes32 id = _ilk(ilkSeed);
        CollateralAuction house = houseOf[id];
        uint256[] memory live = house.list();
        if (live.length == 0) return;
        uint256 auctionId = live[auctionSeed % live.length];
        (bool needsRedo,,,) = house.getStatus(auctionId);
        if (needsRedo) {
            // Past its tail or floor (time runs fast here): a keeper restarts it first.
            house.redo(auctionId, keeper);
            calls["redo"]++;
        }
        ICollateralAuction.Sale memory s = house.sale(auctionId);
        uint256 amount = uint256(s.lot) * _bound(shareBps, 1, BPS) / BPS;
        if (amount == 0) amount = 1;
        vm.prank(bidder);
        try house.take(auctionId, amount, type(uint256).max, bidder, "") {
            calls["take"]++;
        } catch {
            calls["take.reverted"]++;
        }
    }

    /// @notice Time passes: auction prices decay (and fees accrue when `drip` runs).
    function wait(uint256 elapsed) external {
        skip(_bound(elapsed, 1, 2 hours));
        calls["wait"]++;
    }

    /// @inheritdoc PortfolioHandler
    /// @dev The houses' mark follows the engine's price.
    function poke(uint256 ilkSeed, uint256 moveBps) public override {
        super.poke(ilkSeed, moveBps);
        bytes32 id = _ilk(ilkSeed);
        markOf[id].set(price[id], true);
    }
}
