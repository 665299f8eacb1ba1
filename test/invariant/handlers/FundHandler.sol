// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {InsuranceFund} from "../../../contracts/src/InsuranceFund.sol";
import {Stablecoin} from "../../../contracts/src/Stablecoin.sol";
import {VaultEngine} from "../../../contracts/src/VaultEngine.sol";
import {IInsuranceFund} from "../../../contracts/src/interfaces/IInsuranceFund.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Drives the insurance fund as its LPs, revenue and losses do: deposit / mint / request / cancel /
/// redeem / withdraw / share transfers across four LPs, lump revenue, healed losses, time and sync. Records
/// ghosts for what must never happen: the share price dropping without a loss, an escrow moving by anyone
/// but its owner, a redemption paying above its cap or its value, `maxWithdraw` promising other than what
/// redeeming pays.
contract FundHandler is Test {
    InsuranceFund public immutable fund;
    Stablecoin public immutable gusd;
    VaultEngine public immutable engine;
    address public immutable healer;
    address public immutable source;

    address[] public actors;

    bool public ghostPriceDroppedWithoutLoss;
    bool public ghostEscrowMovedByOther;
    bool public ghostPaidAboveCapOrValue;
    bool public ghostMaxWithdrawMismatch;

    mapping(bytes32 => uint256) public calls;

    /// @param source_ Holds gUSD and pays revenue into the fund (stands in for `settle`/`sendSurplus`).
    /// @param healer_ Holds the fund's HEALER role; the engine carries bad debt for it to heal.
    constructor(InsuranceFund fund_, VaultEngine engine_, address healer_, address source_, address[] memory actors_) {
        fund = fund_;
        engine = engine_;
        gusd = Stablecoin(engine_.stablecoin());
        healer = healer_;
        source = source_;
        actors = actors_;
        for (uint256 a; a < actors_.length; ++a) {
            vm.prank(actors_[a]);
            gusd.approve(address(fund_), type(uint256).max);
        }
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    /*//////////////////////////////////////////////////////////////
                                 CHECKS
    //////////////////////////////////////////////////////////////*/

    struct Before {
        uint256 assets;
        uint256 supply;
        uint256[] escrow;
    }

    function _before() internal view returns (Before memory b) {
        b.assets = fund.totalAssets() + 1;
        b.supply = fund.totalSupply() + 1;
        b.escrow = new uint256[](actors.length);
        for (uint256 a; a < actors.length; ++a) {
            b.escrow[a] = fund.redeemRequest(actors[a]).shares;
        }
    }

    /// @dev After an operation by `owner` (address(0): nobody's escrow may change): the price per share
    /// did not drop (unless `loss`), and no escrow but the owner's moved.
    function _after(Before memory b, address owner, bool loss) internal {
        if (!loss && (fund.totalAssets() + 1) * b.supply < b.assets * (fund.totalSupply() + 1)) {
            ghostPriceDroppedWithoutLoss = true;
        }
        for (uint256 a; a < actors.length; ++a) {
            if (actors[a] != owner && fund.redeemRequest(actors[a]).shares != b.escrow[a]) {
                ghostEscrowMovedByOther = true;
            }
        }
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    /*//////////////////////////////////////////////////////////////
                                  LPS
    //////////////////////////////////////////////////////////////*/

    function deposit(uint256 seed, uint256 amount) external {
        address who = _actor(seed);
        amount = bound(amount, 1, gusd.balanceOf(who) / 4 + 1);
        if (amount > gusd.balanceOf(who)) return;
        Before memory b = _before();
        vm.prank(who);
        fund.deposit(amount, who);
        _after(b, address(0), false);
        calls["deposit"]++;
    }

    function mint(uint256 seed, uint256 shares) external {
        address who = _actor(seed);
        shares = bound(shares, 1, 100_000e18);
        if (fund.previewMint(shares) > gusd.balanceOf(who)) return;
        Before memory b = _before();
        vm.prank(who);
        fund.mint(shares, who);
        _after(b, address(0), false);
        calls["mint"]++;
    }

    function requestRedeem(uint256 seed, uint256 bps) external {
        address who = _actor(seed);
        uint256 bal = fund.balanceOf(who);
        if (bal == 0) return;
        uint256 shares = bound(bps, 1, 10_000) * bal / 10_000;
        if (shares == 0) return;
        Before memory b = _before();
        vm.prank(who);
        fund.requestRedeem(shares);
        _after(b, who, false);
        calls["requestRedeem"]++;
    }

    function cancel(uint256 seed) external {
        address who = _actor(seed);
        if (fund.redeemRequest(who).shares == 0) return;
        Before memory b = _before();
        vm.prank(who);
        fund.cancelRedeemRequest();
        _after(b, who, false);
        calls["cancel"]++;
    }

    function redeem(uint256 seed, uint256 bps) external {
        address who = _actor(seed);
        uint256 max = fund.maxRedeem(who);
        if (max == 0) return;
        uint256 shares = bound(bps, 1, 10_000) * max / 10_000;
        if (shares == 0) return;
        IInsuranceFund.RedeemRequest memory r = fund.redeemRequest(who);
        uint256 value = fund.convertToAssets(shares);
        uint256 capPart = uint256(r.assetsCap) * shares / r.shares;
        uint256 promised = fund.maxWithdraw(who);
        Before memory b = _before();
        vm.prank(who);
        uint256 out = fund.redeem(shares, who, who);
        if (out > value || out > capPart) ghostPaidAboveCapOrValue = true;
        if (shares == max && out != promised) ghostMaxWithdrawMismatch = true;
        _after(b, who, false);
        calls["redeem"]++;
    }

    function withdraw(uint256 seed, uint256 bps) external {
        address who = _actor(seed);
        uint256 max = fund.maxWithdraw(who);
        if (max == 0) return;
        uint256 assets = bound(bps, 1, 10_000) * max / 10_000;
        if (assets == 0) return;
        Before memory b = _before();
        vm.prank(who);
        fund.withdraw(assets, who, who);
        _after(b, who, false);
        calls["withdraw"]++;
    }

    function transferShares(uint256 fromSeed, uint256 toSeed, uint256 bps) external {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        uint256 bal = fund.balanceOf(from);
        if (bal == 0) return;
        Before memory b = _before();
        vm.prank(from);
        assertTrue(fund.transfer(to, bound(bps, 1, 10_000) * bal / 10_000));
        _after(b, address(0), false);
        calls["transferShares"]++;
    }

    /*//////////////////////////////////////////////////////////////
                          REVENUE, LOSS, TIME
    //////////////////////////////////////////////////////////////*/

    function revenue(uint256 amount) external {
        amount = bound(amount, 1, 50_000e18);
        if (amount > gusd.balanceOf(source)) return;
        Before memory b = _before();
        vm.prank(source);
        assertTrue(gusd.transfer(address(fund), amount));
        _after(b, address(0), false);
        calls["revenue"]++;
    }

    function loss(uint256 amount) external {
        uint256 bad = engine.badDebtRad() / 1e27;
        uint256 cap = gusd.balanceOf(address(fund));
        if (bad < cap) cap = bad;
        if (cap == 0) return;
        amount = bound(amount, 1, cap);
        Before memory b = _before();
        vm.prank(healer);
        fund.heal(amount);
        _after(b, address(0), true);
        calls["loss"]++;
    }

    function warp(uint256 secs) external {
        secs = bound(secs, 1, 3 days);
        Before memory b = _before();
        vm.warp(block.timestamp + secs);
        _after(b, address(0), false);
        calls["warp"]++;
    }

    function sync() external {
        Before memory b = _before();
        fund.sync();
        _after(b, address(0), false);
        calls["sync"]++;
    }
}
