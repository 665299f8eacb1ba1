// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";

import {IUniswapV2Factory} from "../../src/interfaces/uniswap/IUniswapV2Factory.sol";
import {IUniswapV2Router02} from "../../src/interfaces/uniswap/IUniswapV2Router02.sol";

/// @title UniswapV2Artifacts
/// @notice Deploys the real Uniswap V2 (Factory and Pair from npm `uniswap/v2-core`, Router02 and
/// WETH9 from npm `uniswap/v2-periphery`: their solc 0.5.16 / 0.6.6 build artifacts) from a forge
/// script or test. Shared by `SeedLocal.s.sol` and the tests.
/// @dev The artifacts are Waffle JSON with both a top-level `bytecode` (hex without `0x`) and
/// `evm.bytecode`: forge 1.7's `vm.getCode` / `deployCode` reject them ("duplicate field
/// `bytecode`"), so the creation code is read with `vm.readFile` + `vm.parseJsonBytes(".bytecode")`
/// and deployed with `create` (in a script under broadcast, each `create` is a deployment
/// transaction from the broadcaster). Needs `fs_permissions` read access to the Uniswap packages in node_modules.
library UniswapV2Artifacts {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    string internal constant FACTORY_ARTIFACT = "node_modules/@uniswap/v2-core/build/UniswapV2Factory.json";
    string internal constant PAIR_ARTIFACT = "node_modules/@uniswap/v2-core/build/UniswapV2Pair.json";
    string internal constant ROUTER02_ARTIFACT = "node_modules/@uniswap/v2-periphery/build/UniswapV2Router02.json";
    string internal constant WETH9_ARTIFACT = "node_modules/@uniswap/v2-periphery/build/WETH9.json";

    /// @dev The pair init-code hash hard-coded in the router's `UniswapV2Library.pairFor` (mainnet's).
    bytes32 internal constant PAIR_INIT_CODE_HASH = 0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f;

    /// @notice A deployed Uniswap V2.
    struct UniswapV2 {
        IUniswapV2Factory factory;
        IUniswapV2Router02 router;
        address weth;
    }

    /// @notice Deploys WETH9, the factory (with `feeToSetter`) and Router02.
    function deploy(address feeToSetter) internal returns (UniswapV2 memory uni) {
        uni.weth = deployArtifact(WETH9_ARTIFACT, "");
        uni.factory = IUniswapV2Factory(deployArtifact(FACTORY_ARTIFACT, abi.encode(feeToSetter)));
        uni.router = IUniswapV2Router02(deployArtifact(ROUTER02_ARTIFACT, abi.encode(uni.factory, uni.weth)));
    }

    /// @notice Creation code of a Waffle artifact (its top-level `bytecode`).
    function creationCode(string memory artifact) internal view returns (bytes memory) {
        return VM.parseJsonBytes(VM.readFile(artifact), ".bytecode");
    }

    /// @notice Deploys `artifact` with ABI-encoded constructor `args`.
    function deployArtifact(string memory artifact, bytes memory args) internal returns (address deployed) {
        bytes memory code = abi.encodePacked(creationCode(artifact), args);
        /// @solidity memory-safe-assembly
        assembly {
            deployed := create(0, add(code, 0x20), mload(code))
        }
        require(deployed != address(0) && deployed.code.length != 0, string.concat("deploy failed: ", artifact));
    }

    /// @notice The CREATE2 address the factory gives the `tokenA`/`tokenB` pair (either order).
    function pairFor(address factory, address tokenA, address tokenB) internal pure returns (address) {
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        bytes32 salt = keccak256(abi.encodePacked(token0, token1));
        return address(uint160(uint256(keccak256(abi.encodePacked(hex"ff", factory, salt, PAIR_INIT_CODE_HASH)))));
    }
}
