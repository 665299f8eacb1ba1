// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";

/// @notice One collateral type as deployed.
/// @param name Ilk name, e.g. "ETH-A"; `id` is `bytes32(bytes(name))`.
/// @param feeds The oracle's feed adapters, in the oracle's order.
/// @param house The ilk's CollateralAuction.
struct IlkDeployment {
    string name;
    bytes32 id;
    address token;
    uint8 decimals;
    address oracle;
    address[] feeds;
    address house;
}

/// @notice The whole system as deployed: the content of `deployments/<chainId>.json`.
/// @param chainId With `genesisHash`, the chain's identity: clients refuse a file from another chain.
/// @param genesisHash Hash of the chain's block 0.
/// @param blockNumber Chain head when the deployment started: indexers backfill from here
/// (written as `block`).
/// @param deployer The broadcaster; it keeps no ownership or role once governance took over.
/// @param governance The Timelock that owns every owned contract.
/// @param breaker The CircuitBreaker wired to every house.
/// @param flashTaker Zero when none was deployed (the key is then omitted from the file).
/// @param preLiquidation The PreLiquidation (opt-in soft liquidation).
/// @param topUpHook The CollateralTopUpHook (an allow-listed rescue hook).
/// @param portfolioEngine The PortfolioEngine (portfolio margin, issue #18); zero when the config has no
/// `.portfolio` section (the keys are then omitted from the file).
/// @param portfolioIlk The engine ilk that books portfolio debt (externally margined by `portfolioEngine`);
/// zero when there is no portfolio engine.
struct GavelDeployment {
    uint256 chainId;
    bytes32 genesisHash;
    uint256 blockNumber;
    address deployer;
    address governance;
    address breaker;
    address engine;
    address stablecoin;
    address fund;
    address spotter;
    address liquidationEngine;
    address flashTaker;
    address preLiquidation;
    address topUpHook;
    address portfolioEngine;
    bytes32 portfolioIlk;
    IlkDeployment[] ilks;
}

/// @title GavelDeploymentJson
/// @notice Reads and writes `deployments/<chainId>.json`, the file the keeper and the app read.
/// Shape: `{chainId, genesisHash, block, deployer, governance, breaker, engine, stablecoin, fund, spotter,
/// liquidationEngine, preLiquidation, topUpHook, flashTaker?, portfolioEngine?, portfolioIlk?, ilks: [{name, id, token,
/// decimals, oracle, feeds[], house}], dex?}` (numbers as JSON numbers, `id` and `portfolioIlk` as bytes32 hex;
/// `portfolioEngine` and `portfolioIlk` only when the config has a `.portfolio` section; `dex` is added by
/// `SeedLocal.s.sol` on a local chain).
library GavelDeploymentJson {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice `deployments/<chainId>.json`.
    function defaultPath(uint256 chainId) internal pure returns (string memory) {
        return string.concat("deployments/", VM.toString(chainId), ".json");
    }

    /// @notice The deployment file the scripts write and read: `$GAVEL_DEPLOYMENTS_FILE` when set (it must
    /// lie under `deployments/`, the only folder the scripts may write), else {defaultPath}. Lets two
    /// local chains (the demo and a test run) deploy side by side without sharing one file.
    function path(uint256 chainId) internal view returns (string memory) {
        return VM.envOr("GAVEL_DEPLOYMENTS_FILE", defaultPath(chainId));
    }

    /// @notice Writes `d` to `path` (creating its directory), replacing the file.
    function write(GavelDeployment memory d, string memory path) internal {
        string memory ilks = "[";
        for (uint256 i; i < d.ilks.length; ++i) {
            ilks = string.concat(ilks, i == 0 ? "" : ",", _ilkJson(d.ilks[i]));
        }
        string memory o = "gavel.deployment";
        VM.serializeJson(o, string.concat('{"ilks":', ilks, "]}"));
        VM.serializeUint(o, "chainId", d.chainId);
        VM.serializeBytes32(o, "genesisHash", d.genesisHash);
        VM.serializeUint(o, "block", d.blockNumber);
        VM.serializeAddress(o, "deployer", d.deployer);
        VM.serializeAddress(o, "governance", d.governance);
        VM.serializeAddress(o, "breaker", d.breaker);
        VM.serializeAddress(o, "engine", d.engine);
        VM.serializeAddress(o, "stablecoin", d.stablecoin);
        VM.serializeAddress(o, "fund", d.fund);
        VM.serializeAddress(o, "spotter", d.spotter);
        VM.serializeAddress(o, "preLiquidation", d.preLiquidation);
        VM.serializeAddress(o, "topUpHook", d.topUpHook);
        string memory json = VM.serializeAddress(o, "liquidationEngine", d.liquidationEngine);
        if (d.flashTaker != address(0)) json = VM.serializeAddress(o, "flashTaker", d.flashTaker);
        if (d.portfolioEngine != address(0)) {
            VM.serializeBytes32(o, "portfolioIlk", d.portfolioIlk);
            json = VM.serializeAddress(o, "portfolioEngine", d.portfolioEngine);
        }
        VM.createDir(_dirname(path), true);
        VM.writeJson(json, path);
    }

    /// @notice Reads the deployment at `path`.
    function read(string memory path) internal view returns (GavelDeployment memory d) {
        string memory json = VM.readFile(path);
        d.chainId = VM.parseJsonUint(json, ".chainId");
        d.genesisHash = VM.parseJsonBytes32(json, ".genesisHash");
        d.blockNumber = VM.parseJsonUint(json, ".block");
        d.deployer = VM.parseJsonAddress(json, ".deployer");
        d.governance = VM.parseJsonAddress(json, ".governance");
        d.breaker = VM.parseJsonAddress(json, ".breaker");
        d.engine = VM.parseJsonAddress(json, ".engine");
        d.stablecoin = VM.parseJsonAddress(json, ".stablecoin");
        d.fund = VM.parseJsonAddress(json, ".fund");
        d.spotter = VM.parseJsonAddress(json, ".spotter");
        d.liquidationEngine = VM.parseJsonAddress(json, ".liquidationEngine");
        if (VM.keyExistsJson(json, ".preLiquidation")) d.preLiquidation = VM.parseJsonAddress(json, ".preLiquidation");
        if (VM.keyExistsJson(json, ".topUpHook")) d.topUpHook = VM.parseJsonAddress(json, ".topUpHook");
        if (VM.keyExistsJson(json, ".flashTaker")) d.flashTaker = VM.parseJsonAddress(json, ".flashTaker");
        if (VM.keyExistsJson(json, ".portfolioEngine")) {
            d.portfolioEngine = VM.parseJsonAddress(json, ".portfolioEngine");
            d.portfolioIlk = VM.parseJsonBytes32(json, ".portfolioIlk");
        }
        uint256 n = count(json, ".ilks");
        d.ilks = new IlkDeployment[](n);
        for (uint256 i; i < n; ++i) {
            d.ilks[i] = _readIlk(json, string.concat(".ilks[", VM.toString(i), "]"));
        }
    }

    /// @notice Length of the JSON array at `key` (0 when absent).
    function count(string memory json, string memory key) internal view returns (uint256 n) {
        while (VM.keyExistsJson(json, string.concat(key, "[", VM.toString(n), "]"))) ++n;
    }

    function _ilkJson(IlkDeployment memory ilk) private returns (string memory) {
        string memory o = string.concat("gavel.deployment.ilk.", ilk.name);
        VM.serializeJson(o, "{}");
        VM.serializeString(o, "name", ilk.name);
        VM.serializeBytes32(o, "id", ilk.id);
        VM.serializeAddress(o, "token", ilk.token);
        VM.serializeUint(o, "decimals", ilk.decimals);
        VM.serializeAddress(o, "oracle", ilk.oracle);
        VM.serializeAddress(o, "feeds", ilk.feeds);
        return VM.serializeAddress(o, "house", ilk.house);
    }

    function _readIlk(string memory json, string memory key) private pure returns (IlkDeployment memory ilk) {
        ilk.name = VM.parseJsonString(json, string.concat(key, ".name"));
        ilk.id = VM.parseJsonBytes32(json, string.concat(key, ".id"));
        ilk.token = VM.parseJsonAddress(json, string.concat(key, ".token"));
        ilk.decimals = uint8(VM.parseJsonUint(json, string.concat(key, ".decimals")));
        ilk.oracle = VM.parseJsonAddress(json, string.concat(key, ".oracle"));
        ilk.feeds = VM.parseJsonAddressArray(json, string.concat(key, ".feeds"));
        ilk.house = VM.parseJsonAddress(json, string.concat(key, ".house"));
    }

    /// @dev Everything before the last '/', or "." when there is none.
    function _dirname(string memory path) private pure returns (string memory) {
        bytes memory b = bytes(path);
        for (uint256 i = b.length; i > 0; --i) {
            if (b[i - 1] == "/") {
                bytes memory dir = new bytes(i - 1);
                for (uint256 j; j < i - 1; ++j) {
                    dir[j] = b[j];
                }
                return string(dir);
            }
        }
        return ".";
    }
}
