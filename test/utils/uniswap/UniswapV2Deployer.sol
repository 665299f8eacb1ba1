// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdCheats} from "forge-std/StdCheats.sol";
import {Vm} from "forge-std/Vm.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

import {IUniswapV2Factory} from "../../../contracts/src/interfaces/uniswap/IUniswapV2Factory.sol";
import {IUniswapV2Router02} from "../../../contracts/src/interfaces/uniswap/IUniswapV2Router02.sol";

/// @notice Deploys the real Uniswap V2 (Factory and Pair from npm `uniswap/v2-core`, Router02 and
/// WETH9 from npm `uniswap/v2-periphery`: their solc 0.5.16 / 0.6.6 build artifacts) into a forge
/// test, and seeds pairs at a given price. Mix into a test contract next to forge-std's `Test`.
/// @dev The artifacts are Waffle JSON with both a top-level `bytecode` (hex without `0x`) and
/// `evm.bytecode`: forge 1.7's `vm.getCode` / `deployCode` reject them ("duplicate field
/// `bytecode`"), so the creation code is read with `vm.readFile` + `vm.parseJsonBytes(".bytecode")`
/// and deployed with `create`.
abstract contract UniswapV2Deployer is StdCheats {
    using SafeTransferLib for address;

    Vm private constant _VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    string internal constant UNISWAP_V2_FACTORY_ARTIFACT = "node_modules/@uniswap/v2-core/build/UniswapV2Factory.json";
    string internal constant UNISWAP_V2_PAIR_ARTIFACT = "node_modules/@uniswap/v2-core/build/UniswapV2Pair.json";
    string internal constant UNISWAP_V2_ROUTER02_ARTIFACT =
        "node_modules/@uniswap/v2-periphery/build/UniswapV2Router02.json";
    string internal constant WETH9_ARTIFACT = "node_modules/@uniswap/v2-periphery/build/WETH9.json";

    /// @dev The pair init-code hash hard-coded in `UniswapV2Library.pairFor` (router) — the same
    /// as mainnet's.
    bytes32 internal constant UNISWAP_V2_PAIR_INIT_CODE_HASH =
        0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f;

    struct UniswapV2 {
        IUniswapV2Factory factory;
        IUniswapV2Router02 router;
        address weth;
    }

    /// @dev Deploys WETH9, the factory (fee setter: this contract) and Router02.
    function _deployUniswapV2() internal returns (UniswapV2 memory uni) {
        uni.weth = _deployArtifact(WETH9_ARTIFACT, "");
        uni.factory = IUniswapV2Factory(_deployArtifact(UNISWAP_V2_FACTORY_ARTIFACT, abi.encode(address(this))));
        uni.router =
            IUniswapV2Router02(_deployArtifact(UNISWAP_V2_ROUTER02_ARTIFACT, abi.encode(uni.factory, uni.weth)));
        _VM.label(uni.weth, "WETH9");
        _VM.label(address(uni.factory), "UniswapV2Factory");
        _VM.label(address(uni.router), "UniswapV2Router02");
    }

    /// @dev Creation code of a Waffle artifact (top-level `bytecode`).
    function _artifactCreationCode(string memory artifact) internal view returns (bytes memory) {
        string memory json = _VM.readFile(artifact);
        return _VM.parseJsonBytes(json, ".bytecode");
    }

    /// @dev Deploys `artifact` with ABI-encoded constructor `args`.
    function _deployArtifact(string memory artifact, bytes memory args) internal returns (address deployed) {
        bytes memory code = abi.encodePacked(_artifactCreationCode(artifact), args);
        /// @solidity memory-safe-assembly
        assembly {
            deployed := create(0, add(code, 0x20), mload(code))
        }
        require(deployed != address(0) && deployed.code.length != 0, "UniswapV2Deployer: deploy failed");
    }

    /// @dev The CREATE2 address the factory gives the `tokenA`/`tokenB` pair (either order).
    function _pairFor(IUniswapV2Factory factory, address tokenA, address tokenB) internal pure returns (address) {
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        bytes32 salt = keccak256(abi.encodePacked(token0, token1));
        return address(
            uint160(
                uint256(keccak256(abi.encodePacked(hex"ff", address(factory), salt, UNISWAP_V2_PAIR_INIT_CODE_HASH)))
            )
        );
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
        UniswapV2 memory uni,
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
