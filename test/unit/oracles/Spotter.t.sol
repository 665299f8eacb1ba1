// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-lint: disable-start(unsafe-typecast, incorrect-shift, block-timestamp) -- test code: casts of bounded fuzz inputs, bit masks.

import {IFeed} from "../../../contracts/src/interfaces/IFeed.sol";
import {ISpotter} from "../../../contracts/src/interfaces/ISpotter.sol";
import {MedianOracle} from "../../../contracts/src/oracles/MedianOracle.sol";
import {PushedFeed} from "../../../contracts/src/oracles/PushedFeed.sol";
import {Spotter} from "../../../contracts/src/oracles/Spotter.sol";
import {MirrorFeed, MockFeed} from "../../utils/oracles/MockFeed.sol";
import {MockRiseGuard} from "../../utils/oracles/MockRiseGuard.sol";
import {MockVaultEngineSpot} from "../../utils/oracles/MockVaultEngineSpot.sol";
import {Test, console2} from "forge-std/Test.sol";
import {Ownable} from "solady/auth/Ownable.sol";

contract SpotterTest is Test {
    event OracleSet(bytes32 indexed ilk, address indexed oracle);
    event Poke(bytes32 indexed ilk, uint256 markPrice, uint256 spot);
    event SpotUpdated(bytes32 indexed ilk, uint256 spotWad);

    uint256 internal constant T0 = 1_700_000_000;
    bytes32 internal constant ETH = "ETH-A";
    bytes32 internal constant WBTC = "WBTC-A";

    address internal gov = makeAddr("gov");
    MockVaultEngineSpot internal engine;
    Spotter internal spotter;
    MockFeed internal ethFeed;
    MockFeed internal btcFeed;
    MedianOracle internal ethOracle;
    MedianOracle internal btcOracle;

    function setUp() public {
        vm.warp(T0);
        engine = new MockVaultEngineSpot();
        spotter = new Spotter(gov, address(engine));
        engine.setSpotter(address(spotter));
        engine.setLiquidationRatio(ETH, 1.5e18);
        engine.setLiquidationRatio(WBTC, 1.3e18);

        ethFeed = new MockFeed(2000e18, T0);
        btcFeed = new MockFeed(60_000e18, T0);
        ethOracle = _oracle(address(ethFeed));
        btcOracle = _oracle(address(btcFeed));
        ethOracle.poke();
        btcOracle.poke();

        vm.startPrank(gov);
        spotter.setOracle(ETH, address(ethOracle));
        spotter.setOracle(WBTC, address(btcOracle));
        vm.stopPrank();
    }

    function _oracle(address feed) internal returns (MedianOracle) {
        // Three distinct feeds (MIN_FEEDS) that all report what `feed` reports.
        address[] memory fs = new address[](3);
        fs[0] = feed;
        fs[1] = address(new MirrorFeed(IFeed(feed)));
        fs[2] = address(new MirrorFeed(IFeed(feed)));
        return new MedianOracle(gov, fs, 2, 1 hours, 5000, 0);
    }

    function _ilks(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](2);
        (l[0], l[1]) = (a, b);
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_Constructor_SetsOwnerAndEngine() public view {
        assertEq(spotter.owner(), gov);
        assertEq(spotter.engine(), address(engine));
    }

    function test_Constructor_RevertWhen_ZeroOwner() public {
        vm.expectRevert(ISpotter.ZeroAddress.selector);
        new Spotter(address(0), address(engine));
    }

    function test_Constructor_RevertWhen_ZeroEngine() public {
        vm.expectRevert(ISpotter.ZeroAddress.selector);
        new Spotter(gov, address(0));
    }

    function test_Constructor_RevertWhen_EngineNotContract() public {
        address eoa = makeAddr("eoa");
        vm.expectRevert(abi.encodeWithSelector(ISpotter.NotContract.selector, eoa));
        new Spotter(gov, eoa);
    }

    /*//////////////////////////////////////////////////////////////
                               SET ORACLE
    //////////////////////////////////////////////////////////////*/

    function test_SetOracle_SetsAndEmits() public {
        bytes32 ilk = "NEW-A";
        vm.expectEmit(address(spotter));
        emit OracleSet(ilk, address(ethOracle));
        vm.prank(gov);
        spotter.setOracle(ilk, address(ethOracle));
        assertEq(spotter.oracles(ilk), address(ethOracle));
    }

    function test_SetOracle_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        spotter.setOracle(ETH, address(btcOracle));
    }

    function test_SetOracle_RevertWhen_ZeroAddress() public {
        vm.prank(gov);
        vm.expectRevert(ISpotter.ZeroAddress.selector);
        spotter.setOracle(ETH, address(0));
    }

    function test_SetOracle_RevertWhen_NotContract() public {
        address eoa = makeAddr("eoa");
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ISpotter.NotContract.selector, eoa));
        spotter.setOracle(ETH, eoa);
    }

    /*//////////////////////////////////////////////////////////////
                                  POKE
    //////////////////////////////////////////////////////////////*/

    function test_Poke_WritesSpotAndEmits() public {
        uint256 expected = uint256(2000e18) * 1e18 / 1.5e18; // 1333.333...e18, rounded down
        vm.expectEmit(address(engine));
        emit SpotUpdated(ETH, expected);
        vm.expectEmit(address(spotter));
        emit Poke(ETH, 2000e18, expected);
        uint256 spot = spotter.poke(ETH);
        assertEq(spot, expected);
        assertEq(engine.spot(ETH), 1_333_333_333_333_333_333_333);
    }

    function test_Poke_RoundsDown() public {
        ethFeed.set(2, block.timestamp + 1);
        vm.warp(T0 + 1);
        ethOracle.poke(); // clamped: 2000e18 -> 1000e18 (50% max change)
        vm.prank(gov);
        ethOracle.setMaxChange(10_000);
        vm.warp(T0 + 2);
        ethFeed.set(2, block.timestamp);
        ethOracle.poke();
        (uint256 p,) = ethOracle.peek();
        assertEq(p, 2);
        assertEq(spotter.poke(ETH), 1, "2 * 1e18 / 1.5e18 = 1.33 rounds down to 1");
    }

    function test_Poke_IsPermissionless() public {
        vm.prank(makeAddr("keeper"));
        spotter.poke(WBTC);
        assertEq(engine.spot(WBTC), uint256(60_000e18) * 1e18 / 1.3e18);
    }

    function test_Poke_RevertWhen_NoOracle() public {
        vm.expectRevert(abi.encodeWithSelector(ISpotter.NoOracle.selector, bytes32("NONE")));
        spotter.poke("NONE");
    }

    function test_Poke_RevertWhen_NoValidPrice() public {
        // An oracle never poked has no price.
        MedianOracle fresh = _oracle(address(ethFeed));
        vm.prank(gov);
        spotter.setOracle(ETH, address(fresh));
        vm.expectRevert(abi.encodeWithSelector(ISpotter.NoValidPrice.selector, ETH, 0));
        spotter.poke(ETH);
        assertEq(engine.spot(ETH), 0, "state unchanged");
    }

    function test_Poke_RevertWhen_PriceStale() public {
        spotter.poke(ETH);
        uint256 before = engine.spot(ETH);
        vm.warp(T0 + 1 hours + 1);
        vm.expectRevert(abi.encodeWithSelector(ISpotter.NoValidPrice.selector, ETH, 2000e18));
        spotter.poke(ETH);
        assertEq(engine.spot(ETH), before, "state unchanged");
    }

    function test_Poke_RevertWhen_ZeroLiquidationRatio() public {
        bytes32 ilk = "NO-RATIO";
        vm.prank(gov);
        spotter.setOracle(ilk, address(ethOracle));
        vm.expectRevert(abi.encodeWithSelector(ISpotter.ZeroLiquidationRatio.selector, ilk));
        spotter.poke(ilk);
    }

    function test_Poke_FollowsOracleUpdates() public {
        spotter.poke(ETH);
        vm.warp(T0 + 12);
        ethFeed.set(1500e18, block.timestamp);
        ethOracle.poke();
        spotter.poke(ETH);
        assertEq(engine.spot(ETH), 1000e18);
    }

    /*//////////////////////////////////////////////////////////////
                        RISE GUARD (CIRCUIT BREAKER)
    //////////////////////////////////////////////////////////////*/

    event BreakerSet(address indexed breaker);
    event RiseHeld(bytes32 indexed ilk, uint256 markPrice, uint256 heldMarkPrice);

    function _guarded(bool hold, bool reverts) internal returns (MockRiseGuard guard) {
        guard = new MockRiseGuard();
        guard.set(hold, reverts);
        vm.prank(gov);
        spotter.setBreaker(address(guard));
        spotter.poke(ETH); // markPrices(ETH) = 2000
    }

    function _ethTo(uint256 priceWad) internal {
        vm.warp(block.timestamp + 12);
        ethFeed.set(priceWad, block.timestamp);
        ethOracle.poke();
    }

    function test_SetBreaker_SetsAndEmits() public {
        MockRiseGuard guard = new MockRiseGuard();
        vm.expectEmit(address(spotter));
        emit BreakerSet(address(guard));
        vm.prank(gov);
        spotter.setBreaker(address(guard));
        assertEq(spotter.breaker(), address(guard));
        vm.prank(gov);
        spotter.setBreaker(address(0));
        assertEq(spotter.breaker(), address(0), "zero disables the guard");
    }

    function test_SetBreaker_RevertWhen_NotOwner() public {
        vm.expectRevert(Ownable.Unauthorized.selector);
        spotter.setBreaker(address(0));
    }

    function test_SetBreaker_RevertWhen_NotContract() public {
        address eoa = makeAddr("eoa");
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ISpotter.NotContract.selector, eoa));
        spotter.setBreaker(eoa);
    }

    function test_Poke_RecordsMarkPriceBehindSpot() public {
        assertEq(spotter.markPrices(ETH), 0);
        spotter.poke(ETH);
        assertEq(spotter.markPrices(ETH), 2000e18);
    }

    function test_Poke_RiseHeld_WritesHeldMark() public {
        _guarded(true, false);
        _ethTo(2200e18);
        vm.expectEmit(address(spotter));
        emit RiseHeld(ETH, 2200e18, 2000e18);
        vm.expectEmit(address(spotter));
        emit Poke(ETH, 2000e18, uint256(2000e18) * 1e18 / 1.5e18);
        spotter.poke(ETH);
        assertEq(engine.spot(ETH), uint256(2000e18) * 1e18 / 1.5e18);
        assertEq(spotter.markPrices(ETH), 2000e18);
    }

    function test_Poke_RiseNotHeld_WritesNewMark() public {
        MockRiseGuard guard = _guarded(false, false);
        _ethTo(2200e18);
        spotter.poke(ETH);
        assertEq(engine.spot(ETH), uint256(2200e18) * 1e18 / 1.5e18);
        assertEq(guard.calls(), 1, "asked on a rise");
    }

    function test_Poke_DropDoesNotAskTheGuard() public {
        MockRiseGuard guard = _guarded(true, true);
        _ethTo(1800e18);
        spotter.poke(ETH);
        assertEq(engine.spot(ETH), uint256(1800e18) * 1e18 / 1.5e18, "a drop always passes");
        assertEq(guard.calls(), 0);
    }

    function test_Poke_GuardReverting_HoldsRise() public {
        _guarded(false, true);
        _ethTo(2200e18);
        vm.expectEmit(address(spotter));
        emit RiseHeld(ETH, 2200e18, 2000e18);
        spotter.poke(ETH);
        assertEq(engine.spot(ETH), uint256(2000e18) * 1e18 / 1.5e18, "fail safe: held");
    }

    /*//////////////////////////////////////////////////////////////
                               POKE MANY
    //////////////////////////////////////////////////////////////*/

    function test_PokeMany_PokesEveryIlk() public {
        vm.expectEmit(address(spotter));
        emit Poke(ETH, 2000e18, uint256(2000e18) * 1e18 / 1.5e18);
        vm.expectEmit(address(spotter));
        emit Poke(WBTC, 60_000e18, uint256(60_000e18) * 1e18 / 1.3e18);
        spotter.pokeMany(_ilks(ETH, WBTC));
        assertGt(engine.spot(ETH), 0);
        assertGt(engine.spot(WBTC), 0);
    }

    function test_PokeMany_EmptyListIsNoop() public {
        spotter.pokeMany(new bytes32[](0));
        assertEq(engine.spot(ETH), 0);
    }

    function test_PokeMany_RevertWhen_AnyIlkFails() public {
        vm.expectRevert(abi.encodeWithSelector(ISpotter.NoOracle.selector, bytes32("NONE")));
        spotter.pokeMany(_ilks(ETH, "NONE"));
        assertEq(engine.spot(ETH), 0, "all or nothing");
    }

    /*//////////////////////////////////////////////////////////////
                                  FUZZ
    //////////////////////////////////////////////////////////////*/

    function testFuzz_Poke_SpotIsPriceOverRatioRoundedDown(uint256 price, uint256 ratio) public {
        price = bound(price, 1, type(uint128).max);
        ratio = bound(ratio, 1e18, 10e18);
        MockFeed feed = new MockFeed(price, block.timestamp);
        MedianOracle o = _oracle(address(feed));
        o.poke();
        bytes32 ilk = "FUZZ";
        engine.setLiquidationRatio(ilk, ratio);
        vm.prank(gov);
        spotter.setOracle(ilk, address(o));
        uint256 spot = spotter.poke(ilk);
        assertEq(spot, price * 1e18 / ratio);
        // Rounded down: spot * ratio <= price * 1e18 < (spot + 1) * ratio.
        assertLe(spot * ratio, price * 1e18);
        assertGt((spot + 1) * ratio, price * 1e18);
    }
}

/// @notice Gas of `Spotter.poke` and `MedianOracle.poke` in steady state: a MedianOracle over 3 pushed feeds, hop = 0, the ilk
/// already poked once (the engine's spot slot is non-zero), every account and slot cold.
contract SpotterGasTest is Test {
    bytes32 internal constant ETH = "ETH-A";
    Spotter internal spotter;
    MockVaultEngineSpot internal engine;
    MedianOracle internal oracle;
    address[] internal feeds;

    function setUp() public {
        vm.warp(1_700_000_000);
        address gov = makeAddr("gov");
        engine = new MockVaultEngineSpot();
        spotter = new Spotter(gov, address(engine));
        engine.setSpotter(address(spotter));
        engine.setLiquidationRatio(ETH, 1.5e18);
        address[] memory fs = new address[](3);
        uint256[3] memory prices = [uint256(2000e18), 2010e18, 1990e18];
        for (uint256 i; i < 3; ++i) {
            PushedFeed f = new PushedFeed(gov, address(this));
            f.push(prices[i]);
            fs[i] = address(f);
        }
        feeds = fs;
        oracle = new MedianOracle(gov, fs, 2, 1 hours, 1000, 0);
        oracle.poke();
        vm.prank(gov);
        spotter.setOracle(ETH, address(oracle));
        spotter.poke(ETH);
        vm.warp(block.timestamp + 12);
        for (uint256 i; i < 3; ++i) {
            PushedFeed(fs[i]).push(prices[i] - 100e18);
        }
        oracle.poke();
    }

    function test_Poke_Gas_ThreeFeedMedianHopZero() public {
        vm.cool(address(spotter));
        vm.cool(address(engine));
        vm.cool(spotter.oracles(ETH));
        vm.cool(address(spotter)); // oracles(ETH) above warmed the slot again.
        spotter.poke(ETH);
        uint256 gasUsed = vm.lastCallGas().gasTotalUsed;
        console2.log("Spotter.poke gas (3-feed median, hop = 0, cold, excl. 21000 base):", gasUsed);
        assertEq(engine.spot(ETH), uint256(1900e18) * 1e18 / 1.5e18);
        assertLt(gasUsed, 40_000);
    }

    function test_OraclePoke_Gas_ThreeFeeds() public {
        vm.warp(block.timestamp + 12);
        for (uint256 i; i < 3; ++i) {
            PushedFeed(feeds[i]).push(1800e18 + i * 10e18);
            vm.cool(feeds[i]);
        }
        vm.cool(address(oracle));
        oracle.poke();
        uint256 gasUsed = vm.lastCallGas().gasTotalUsed;
        console2.log("MedianOracle.poke gas (3 feeds, hop = 0, cold, excl. 21000 base):", gasUsed);
        (uint256 p,) = oracle.peek();
        assertEq(p, 1810e18);
    }
}
// forge-lint: disable-end(unsafe-typecast, incorrect-shift, block-timestamp)
