// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {UniswapV2Artifacts} from "../../../contracts/script/lib/UniswapV2Artifacts.sol";
import {IUniswapV2Pair} from "../../../contracts/src/interfaces/uniswap/IUniswapV2Pair.sol";
import {MockERC20} from "../../utils/mocks/MockERC20.sol";
import {UniswapV2Deployer} from "../../utils/uniswap/UniswapV2Deployer.sol";

/// @notice The real Uniswap V2 deployed from the npm artifacts works: the router's hard-coded pair
/// init-code hash matches the factory's pairs, liquidity lands at the requested price, swaps work.
contract UniswapV2DeployerTest is Test, UniswapV2Deployer {
    UniswapV2Artifacts.UniswapV2 internal uni;
    MockERC20 internal stable;

    function setUp() public {
        uni = _deployUniswapV2();
        stable = new MockERC20("Gavel USD", "GUSD", 18);
    }

    function test_Deploy_WiresRouter() public view {
        assertEq(uni.router.factory(), address(uni.factory), "router.factory");
        assertEq(uni.router.WETH(), uni.weth, "router.WETH");
        assertEq(uni.factory.allPairsLength(), 0, "no pairs");
    }

    function test_Deploy_PairInitCodeHashMatchesRouter() public {
        // The hash of the Pair creation code in the v2-core artifact is the one the router uses...
        assertEq(
            keccak256(UniswapV2Artifacts.creationCode(UniswapV2Artifacts.PAIR_ARTIFACT)),
            UniswapV2Artifacts.PAIR_INIT_CODE_HASH,
            "pair code hash"
        );
        // ... the router's runtime code embeds it (UniswapV2Library.pairFor) ...
        assertTrue(
            _contains(address(uni.router).code, abi.encodePacked(UniswapV2Artifacts.PAIR_INIT_CODE_HASH)), "router"
        );
        // ... and the factory deploys pairs exactly there.
        MockERC20 token = new MockERC20("Token", "TKN", 8);
        address pair = uni.factory.createPair(address(token), address(stable));
        assertEq(
            pair, UniswapV2Artifacts.pairFor(address(uni.factory), address(stable), address(token)), "CREATE2 address"
        );
        assertEq(uni.factory.getPair(address(stable), address(token)), pair, "getPair");
    }

    function test_AddLiquidityAtPrice_AllDecimals() public {
        _checkLiquidityAtPrice(6, 1_000_000e6, 1e18); // a USD-pegged 6-decimal token at 1.00
        _checkLiquidityAtPrice(8, 100e8, 65_000e18); // a BTC-like 8-decimal token
        _checkLiquidityAtPrice(18, 1000e18, 2000e18); // an ETH-like 18-decimal token
    }

    function test_SwapThroughRouter_AllDecimals() public {
        for (uint8 i; i < 3; ++i) {
            uint8 dec = [6, 8, 18][i];
            MockERC20 token = new MockERC20("Token", "TKN", dec);
            _addLiquidityAtPrice(uni, address(token), address(stable), 1000 * 10 ** dec, 2000e18);

            address[] memory path = new address[](2);
            (path[0], path[1]) = (address(token), address(stable));
            uint256 amountIn = 10 ** dec; // one whole token
            uint256 expected = uni.router.getAmountsOut(amountIn, path)[1];
            // 0.3% fee and ~0.1% price impact on a 1000-token pool.
            assertApproxEqRel(expected, 2000e18 * 997 / 1000, 0.0011e18, "quote");

            token.mint(address(this), amountIn);
            token.approve(address(uni.router), amountIn);
            uint256 before = stable.balanceOf(address(this));
            uint256[] memory amounts =
                uni.router.swapExactTokensForTokens(amountIn, expected, path, address(this), block.timestamp);
            assertEq(amounts[1], expected, "swap output");
            assertEq(stable.balanceOf(address(this)) - before, expected, "received");
        }
    }

    function _checkLiquidityAtPrice(uint8 dec, uint256 baseAmount, uint256 priceWad) internal {
        MockERC20 token = new MockERC20("Token", "TKN", dec);
        address pair = _addLiquidityAtPrice(uni, address(token), address(stable), baseAmount, priceWad);
        (uint112 r0, uint112 r1,) = IUniswapV2Pair(pair).getReserves();
        (uint256 rToken, uint256 rStable) =
            IUniswapV2Pair(pair).token0() == address(token) ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        assertEq(rToken, baseAmount, "token reserve");
        assertEq(rStable, baseAmount * 10 ** (18 - dec) * priceWad / 1e18, "stable reserve");
    }

    function _contains(bytes memory haystack, bytes memory needle) internal pure returns (bool) {
        if (needle.length > haystack.length) return false;
        for (uint256 i; i <= haystack.length - needle.length; ++i) {
            bool match_ = true;
            for (uint256 j; j < needle.length; ++j) {
                if (haystack[i + j] != needle[j]) {
                    match_ = false;
                    break;
                }
            }
            if (match_) return true;
        }
        return false;
    }
}
