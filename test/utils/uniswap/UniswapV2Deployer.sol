// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdCheats} from "forge-std/StdCheats.sol";
import {Vm} from "forge-std/Vm.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {UniswapV2Artifacts} from "../../../contracts/script/lib/UniswapV2Artifacts.sol";

/// @notice Test mixin over `UniswapV2Artifacts` (which deploys the real Uniswap V2 from the npm
/// build artifacts, for scripts and tests alike): deploys it labelled, and seeds pairs at a given
/// price. Mix into a test contract next to forge-std's `Test`.
abstract contract UniswapV2Deployer is StdCheats {
    using SafeTransferLib for address;

    Vm private constant _VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev Deploys WETH9, the factory (fee setter: this contract) and Router02.
    function _deployUniswapV2() internal returns (UniswapV2Artifacts.UniswapV2 memory uni) {
        uni = UniswapV2Artifacts.deploy(address(this));
        _VM.label(uni.weth, "WETH9");
        _VM.label(address(uni.factory), "UniswapV2Factory");
        _VM.label(address(uni.router), "UniswapV2Router02");
    }

    /// @dev Amount of `quote` worth `baseAmount` of `base` at `priceWad` (whole `quote` tokens per
    /// whole `base` token, 18 decimals), in `quote`'s native units, rounded down. Any decimals <= 18.
    function _quoteAmount(address base, address quote, uint256 baseAmount, uint256 priceWad)
        internal
        view
        returns (uint256)
    {
        uint256 baseUnit = 10 ** _decimals(base);
        uint256 quoteUnit = 10 ** _decimals(quote);
        return FixedPointMathLib.fullMulDiv(baseAmount, priceWad * quoteUnit, baseUnit * 1e18);
    }

    /// @dev Creates the `base`/`quote` pair if needed and adds `baseAmount` of `base` (native
    /// units) plus the matching `quote` at `priceWad` (see `_quoteAmount`), so a new pair's spot
    /// price is `priceWad`. Tokens are minted to this contract with `deal`; LP tokens stay here.
    /// On an existing pair with reserves the router adds at the pair's current ratio instead.
    function _addLiquidityAtPrice(
        UniswapV2Artifacts.UniswapV2 memory uni,
        address base,
        address quote,
        uint256 baseAmount,
        uint256 priceWad
    ) internal returns (address pair) {
        pair = uni.factory.getPair(base, quote);
        if (pair == address(0)) pair = uni.factory.createPair(base, quote);
        uint256 quoteAmount = _quoteAmount(base, quote, baseAmount, priceWad);
        _fund(base, baseAmount);
        _fund(quote, quoteAmount);
        base.safeApproveWithRetry(address(uni.router), baseAmount);
        quote.safeApproveWithRetry(address(uni.router), quoteAmount);
        uni.router.addLiquidity(base, quote, baseAmount, quoteAmount, 0, 0, address(this), block.timestamp);
    }

    /// @dev Gives this contract `amount` more of `token` (balance storage write; supply untouched).
    function _fund(address token, uint256 amount) internal {
        deal(token, address(this), token.balanceOf(address(this)) + amount);
    }

    function _decimals(address token) private view returns (uint8) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature("decimals()"));
        require(ok && ret.length >= 32, "UniswapV2Deployer: decimals");
        return abi.decode(ret, (uint8));
    }
}
