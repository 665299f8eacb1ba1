// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Script, console} from "forge-std/Script.sol";
import {ERC20} from "solady/tokens/ERC20.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

import {InsuranceFund} from "../src/InsuranceFund.sol";
import {PortfolioEngine} from "../src/PortfolioEngine.sol";
import {VaultEngine} from "../src/VaultEngine.sol";
import {IVaultEngine} from "../src/interfaces/IVaultEngine.sol";
import {MedianOracle} from "../src/oracles/MedianOracle.sol";
import {PushedFeed} from "../src/oracles/PushedFeed.sol";
import {Spotter} from "../src/oracles/Spotter.sol";
import {UniswapV2FlashTaker} from "../src/periphery/UniswapV2FlashTaker.sol";
import {DemoToken} from "../src/testing/DemoToken.sol";
import {GavelDeployment, GavelDeploymentJson, IlkDeployment} from "./lib/GavelDeployment.sol";
import {SeedFunder} from "./lib/SeedFunder.sol";
import {UniswapV2Artifacts} from "./lib/UniswapV2Artifacts.sol";

/// @title SeedLocal
/// @notice Seeds a freshly deployed LOCAL chain (chain id 31337 only) for the demo, from
/// `deployments/31337.json` and the `seed` sections of `contracts/config/$GAVEL_CONFIG.json`:
/// 1. account 0 of the anvil mnemonic (the seeder, also the feeds' pusher) deploys the real
///    Uniswap V2 (WETH9, factory, Router02 from the npm artifacts) and a UniswapV2FlashTaker when
///    the deployment has none; pushes every pushed feed to the ilk's `seed.price`, pokes the
///    oracles and the spotter; opens one large, very safe vault per ilk and puts its gUSD with
///    `seed.poolCollateral` into a collateral/gUSD pool at the mark price; deposits
///    `seed.insuranceDeposit` into the insurance fund; then, through a `SeedFunder` (50 vaults per
///    transaction), deposits the collateral of `GAVEL_SEED_VAULTS` (default 300) vaults owned by the
///    mnemonic's accounts 10, 11, ... and sends each owner `seed.ethPerAccount` for gas; when the
///    deployment has a portfolio engine, deposits `GAVEL_SEED_PORTFOLIOS` (default 0) portfolios of every
///    table asset for the accounts after the vault owners (`_planPortfolio`);
/// 2. each owner draws its debt (one `borrow` each): the ilk by `seed.vaultWeight`, the debt
///    log-uniform in [`seed.minDebt`, `seed.maxDebt`], the health (collateral value at spot / debt)
///    from the `seed.health` buckets, so some vaults sit just above the liquidation ratio;
/// 3. writes `dex` (factory, router, weth, pairs by ilk), `flashTaker` and `seed` into
///    `deployments/31337.json`.
/// Everything is deterministic: the same config and vault count give the same vaults.
/// @dev The mark price is fresh for the oracle's `maxAgeSeconds` after the seed's poke; the market
/// simulator keeps it fresh from there. Run once per fresh chain (it refuses a seeded one).
contract SeedLocal is Script {
    using FixedPointMathLib for uint256;

    /// @notice anvil's default mnemonic.
    string public constant MNEMONIC = "test test test test test test test test test test test junk";
    /// @notice Mnemonic index of the first vault owner (0-9 are anvil's funded accounts).
    uint32 public constant FIRST_VAULT_ACCOUNT = 10;
    uint256 internal constant LOCAL_CHAIN_ID = 31_337;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    /// @dev Gas limit of an oracle poke: covers `FEED_READ_GAS_REQUIRED` before each of up to 16 feeds.
    uint256 internal constant POKE_GAS = 2_000_000;
    /// @dev Vaults funded per SeedFunder transaction (about 170,000 gas each).
    uint256 internal constant FUND_BATCH = 50;

    /// @dev One ilk as the seed sees it.
    struct SeedIlk {
        IlkDeployment d;
        DemoToken token;
        uint256 scale; // 10 ** (18 - decimals)
        uint256 price; // WAD
        uint256 ratio; // WAD
        uint256 poolCollateral; // native units
        uint256 weight;
        address pair;
    }

    /// @dev A health bucket: `weightBps` of the vaults get a health in [minWad, maxWad).
    struct Bucket {
        uint256 weightBps;
        uint256 minWad;
        uint256 maxWad;
    }

    /// @dev The global seed parameters.
    struct Plan {
        uint256 vaults;
        uint256 minDebt;
        uint256 maxDebt;
        uint256 ethPerAccount;
        uint256 lpRatio;
        uint256 insuranceDeposit;
        uint256 totalWeight;
        Bucket[] health;
    }

    /// @dev One vault to open.
    struct VaultPlan {
        uint256 key; // the owner's private key
        address owner;
        uint256 ilk;
        uint256 debt;
        uint256 health;
        uint256 collateral;
    }

    /// @dev One portfolio to open: its owner's key and the debt it draws.
    struct PortfolioPlan {
        uint256 key;
        address owner;
        uint256 debt;
    }

    /// @notice Seeds the local chain; see the contract's notice.
    function run() external {
        require(block.chainid == LOCAL_CHAIN_ID, "SeedLocal: only for the local chain (chain id 31337)");
        string memory path = GavelDeploymentJson.path(block.chainid);
        GavelDeployment memory d = GavelDeploymentJson.read(path);
        _requireNotSeeded(path);
        string memory cfg =
            vm.readFile(string.concat("contracts/config/", vm.envOr("GAVEL_CONFIG", string("local")), ".json"));
        SeedIlk[] memory ilks = _readIlks(cfg, d);
        Plan memory p = _readPlan(cfg, ilks);
        VaultPlan[] memory vaults = new VaultPlan[](p.vaults);
        for (uint256 i; i < p.vaults; ++i) {
            vaults[i] = _planVault(ilks, p, i);
        }

        uint256 seederKey = vm.deriveKey(MNEMONIC, 0);
        address seeder = vm.addr(seederKey);
        vm.startBroadcast(seederKey);
        UniswapV2Artifacts.UniswapV2 memory uni = UniswapV2Artifacts.deploy(seeder);
        if (d.flashTaker == address(0)) d.flashTaker = address(new UniswapV2FlashTaker(address(uni.router)));
        for (uint256 i; i < ilks.length; ++i) {
            _setMarkPrice(d, ilks[i], seeder);
            _provideLiquidity(d, uni, ilks[i], p, seeder, i == 0 ? p.insuranceDeposit : 0);
        }
        _depositInsurance(d, p.insuranceDeposit, seeder);
        _fundVaults(d, ilks, vaults, p.ethPerAccount);
        PortfolioPlan[] memory portfolios = _fundPortfolios(d, ilks, p, seeder);
        vm.stopBroadcast();

        // Each owner draws its own debt: one transaction per vault.
        for (uint256 i; i < p.vaults; ++i) {
            vm.startBroadcast(vaults[i].key);
            VaultEngine(d.engine).borrow(ilks[vaults[i].ilk].d.id, vaults[i].debt);
            vm.stopBroadcast();
        }
        for (uint256 i; i < portfolios.length; ++i) {
            vm.startBroadcast(portfolios[i].key);
            PortfolioEngine(d.portfolioEngine).borrow(portfolios[i].debt);
            vm.stopBroadcast();
        }
        if (portfolios.length > 0) console.log("SeedLocal: %s portfolios", portfolios.length);

        _writeSeed(path, d, uni, ilks, p.vaults);
        _logSummary(ilks, vaults, address(uni.router));
    }

    /*//////////////////////////////////////////////////////////////
                                 CONFIG
    //////////////////////////////////////////////////////////////*/

    function _requireNotSeeded(string memory path) internal view {
        string memory json = vm.readFile(path);
        if (!vm.keyExistsJson(json, ".dex.router")) return;
        address router = vm.parseJsonAddress(json, ".dex.router");
        require(router.code.length == 0, "SeedLocal: this chain is already seeded (deploy again on a fresh chain)");
    }

    /// @dev Each deployed ilk with its `seed` section (matched by name) and its on-chain ratio.
    function _readIlks(string memory cfg, GavelDeployment memory d) internal view returns (SeedIlk[] memory ilks) {
        ilks = new SeedIlk[](d.ilks.length);
        for (uint256 i; i < d.ilks.length; ++i) {
            SeedIlk memory s = ilks[i];
            s.d = d.ilks[i];
            s.token = DemoToken(s.d.token);
            s.scale = 10 ** (18 - uint256(s.d.decimals));
            s.ratio = VaultEngine(d.engine).liquidationRatio(s.d.id);
            string memory key = string.concat(_configIlkKey(cfg, s.d.name), ".seed");
            s.price = vm.parseJsonUint(cfg, string.concat(key, ".price"));
            s.poolCollateral = vm.parseJsonUint(cfg, string.concat(key, ".poolCollateral"));
            s.weight = vm.parseJsonUint(cfg, string.concat(key, ".vaultWeight"));
        }
    }

    /// @dev `.ilks[k]` of the config entry named `name`.
    function _configIlkKey(string memory cfg, string memory name) internal view returns (string memory key) {
        uint256 n = GavelDeploymentJson.count(cfg, ".ilks");
        for (uint256 k; k < n; ++k) {
            key = string.concat(".ilks[", vm.toString(k), "]");
            if (keccak256(bytes(vm.parseJsonString(cfg, string.concat(key, ".name")))) == keccak256(bytes(name))) {
                return key;
            }
        }
        revert(string.concat("SeedLocal: ilk ", name, " is not in the config"));
    }

    function _readPlan(string memory cfg, SeedIlk[] memory ilks) internal view returns (Plan memory p) {
        p.vaults = vm.envOr("GAVEL_SEED_VAULTS", uint256(300));
        p.minDebt = vm.parseJsonUint(cfg, ".seed.minDebt");
        p.maxDebt = vm.parseJsonUint(cfg, ".seed.maxDebt");
        p.ethPerAccount = vm.parseJsonUint(cfg, ".seed.ethPerAccount");
        p.lpRatio = vm.parseJsonUint(cfg, ".seed.lpCollateralRatioWad");
        p.insuranceDeposit = vm.parseJsonUint(cfg, ".seed.insuranceDeposit");
        require(p.minDebt > 0 && p.minDebt <= p.maxDebt, "SeedLocal: need 0 < seed.minDebt <= seed.maxDebt");
        for (uint256 i; i < ilks.length; ++i) {
            require(p.lpRatio > ilks[i].ratio, "SeedLocal: seed.lpCollateralRatioWad must exceed every ratio");
            p.totalWeight += ilks[i].weight;
        }
        require(p.totalWeight > 0, "SeedLocal: every seed.vaultWeight is 0");
        uint256 n = GavelDeploymentJson.count(cfg, ".seed.health");
        p.health = new Bucket[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            string memory key = string.concat(".seed.health[", vm.toString(i), "]");
            Bucket memory b = p.health[i];
            b.weightBps = vm.parseJsonUint(cfg, string.concat(key, ".weightBps"));
            b.minWad = vm.parseJsonUint(cfg, string.concat(key, ".minWad"));
            b.maxWad = vm.parseJsonUint(cfg, string.concat(key, ".maxWad"));
            require(b.minWad > WAD && b.minWad <= b.maxWad, "SeedLocal: need 1e18 < minWad <= maxWad in seed.health");
            total += b.weightBps;
        }
        require(total == BPS, "SeedLocal: seed.health weights must sum to 10000");
    }

    /*//////////////////////////////////////////////////////////////
                                 SEEDER
    //////////////////////////////////////////////////////////////*/

    /// @dev Pushes `price` to every pushed feed of the ilk, pokes its oracle and the spotter.
    function _setMarkPrice(GavelDeployment memory d, SeedIlk memory s, address seeder) internal {
        for (uint256 j; j < s.d.feeds.length; ++j) {
            PushedFeed feed = PushedFeed(s.d.feeds[j]);
            // Only pushed feeds answer PUSHER_ROLE; other adapters (Chainlink) are left alone.
            try feed.PUSHER_ROLE() returns (uint256 role) {
                require(feed.hasAnyRole(seeder, role), "SeedLocal: anvil account 0 is not the feeds' pusher");
                feed.push(s.price);
            } catch {}
        }
        // A fixed gas limit: the oracle requires FEED_READ_GAS_REQUIRED gas left before each feed read,
        // far more than a poke uses, so forge's estimate (gas used x 1.3) would make it revert.
        MedianOracle(s.d.oracle).poke{gas: POKE_GAS}();
        Spotter(d.spotter).poke(s.d.id);
    }

    /// @dev Opens the seeder's vault for the pool's gUSD (plus `extraDebt`) at `lpRatio`, then adds
    /// `poolCollateral` and its value in gUSD to the collateral/gUSD pool, i.e. at the mark price.
    function _provideLiquidity(
        GavelDeployment memory d,
        UniswapV2Artifacts.UniswapV2 memory uni,
        SeedIlk memory s,
        Plan memory p,
        address seeder,
        uint256 extraDebt
    ) internal {
        uint256 poolStable = (s.poolCollateral * s.scale).mulWad(s.price);
        uint256 debt = poolStable + extraDebt;
        uint256 collateral = debt.mulWadUp(p.lpRatio).divWadUp(s.price).divUp(s.scale);
        s.token.mint(seeder, collateral + s.poolCollateral);
        s.token.approve(d.engine, collateral);
        // forge-lint: disable-next-line(unsafe-typecast) demo amounts far below 2^255
        VaultEngine(d.engine).adjust(s.d.id, int256(collateral), int256(debt));
        s.token.approve(address(uni.router), s.poolCollateral);
        ERC20(d.stablecoin).approve(address(uni.router), poolStable);
        uni.router
            .addLiquidity(
                address(s.token),
                d.stablecoin,
                s.poolCollateral,
                poolStable,
                s.poolCollateral,
                poolStable,
                seeder,
                block.timestamp + 1 hours
            );
        s.pair = uni.factory.getPair(address(s.token), d.stablecoin);
    }

    function _depositInsurance(GavelDeployment memory d, uint256 amount, address seeder) internal {
        if (amount == 0) return;
        ERC20(d.stablecoin).approve(d.fund, amount);
        InsuranceFund(d.fund).deposit(amount, seeder);
    }

    /// @dev Mints and deposits every vault's collateral and sends the owners gas money, through a
    /// SeedFunder, `FUND_BATCH` vaults per transaction.
    function _fundVaults(GavelDeployment memory d, SeedIlk[] memory ilks, VaultPlan[] memory vaults, uint256 eth)
        internal
    {
        SeedFunder funder = new SeedFunder();
        for (uint256 start; start < vaults.length; start += FUND_BATCH) {
            uint256 n = FixedPointMathLib.min(FUND_BATCH, vaults.length - start);
            address[] memory owners = new address[](n);
            bytes32[] memory ids = new bytes32[](n);
            address[] memory tokens = new address[](n);
            uint256[] memory amounts = new uint256[](n);
            for (uint256 k; k < n; ++k) {
                VaultPlan memory v = vaults[start + k];
                (owners[k], ids[k], tokens[k], amounts[k]) =
                (v.owner, ilks[v.ilk].d.id, ilks[v.ilk].d.token, v.collateral);
            }
            funder.fundVaults{value: eth * n}(IVaultEngine(d.engine), owners, ids, tokens, amounts, eth);
        }
    }

    /// @dev Deposits every portfolio's holdings (the seeder mints and deposits for the owner: `deposit` is
    /// anyone's for anyone), sends the owners gas money, and plans each one's debt: the worst scenario's value
    /// of its holdings (read from the engine) over a health drawn from `seed.health`.
    function _fundPortfolios(GavelDeployment memory d, SeedIlk[] memory ilks, Plan memory p, address seeder)
        internal
        returns (PortfolioPlan[] memory plans)
    {
        uint256 n = d.portfolioEngine == address(0) ? 0 : vm.envOr("GAVEL_SEED_PORTFOLIOS", uint256(0));
        plans = new PortfolioPlan[](n);
        if (n == 0) return plans;
        PortfolioEngine pe = PortfolioEngine(d.portfolioEngine);
        bytes32[] memory assets = pe.assets();
        for (uint256 i; i < n; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast) vault and portfolio counts far below 2^32
            plans[i].key = vm.deriveKey(MNEMONIC, FIRST_VAULT_ACCOUNT + uint32(p.vaults + i));
            plans[i].owner = vm.addr(plans[i].key);
            uint256 h = uint256(keccak256(abi.encode("gavel.seed.portfolio", i)));
            // Holdings worth `value` at the mark in total, split over the table's assets by the draw.
            uint256 value = _logUniform(p.minDebt, p.maxDebt, (h >> 64) % WAD) * 4;
            uint256[] memory held = new uint256[](assets.length);
            for (uint256 a; a < assets.length; ++a) {
                SeedIlk memory s = _seedIlk(ilks, assets[a]);
                // Shares 1 .. 4 parts each: every portfolio holds every asset.
                uint256 share = value * (1 + (h >> (8 * a)) % 4) / (4 * assets.length);
                held[a] = share.divWad(s.price) / s.scale;
                if (held[a] == 0) continue;
                s.token.mint(seeder, held[a]);
                s.token.approve(address(pe), held[a]);
                pe.deposit(plans[i].owner, assets[a], held[a]);
            }
            (uint256 worst,) = pe.portfolioRequirement(held);
            plans[i].debt = worst.divWad(_pickHealth(p.health, (h >> 128) % BPS, (h >> 160) % WAD)) / WAD * WAD;
            payable(plans[i].owner).transfer(p.ethPerAccount);
        }
    }

    /// @dev The seed view of the ilk with id `id`.
    function _seedIlk(SeedIlk[] memory ilks, bytes32 id) internal pure returns (SeedIlk memory) {
        for (uint256 k; k < ilks.length; ++k) {
            if (ilks[k].d.id == id) return ilks[k];
        }
        revert("SeedLocal: a portfolio asset is not a deployed ilk");
    }

    /*//////////////////////////////////////////////////////////////
                                 VAULTS
    //////////////////////////////////////////////////////////////*/

    /// @dev Vault `i`, drawn deterministically from `keccak256("gavel.seed", i)`; its owner is the
    /// mnemonic's account `FIRST_VAULT_ACCOUNT + i`.
    function _planVault(SeedIlk[] memory ilks, Plan memory p, uint256 i) internal pure returns (VaultPlan memory v) {
        // forge-lint: disable-next-line(unsafe-typecast) a vault count far below 2^32
        v.key = vm.deriveKey(MNEMONIC, FIRST_VAULT_ACCOUNT + uint32(i));
        v.owner = vm.addr(v.key);
        uint256 h = uint256(keccak256(abi.encode("gavel.seed", i)));
        v.ilk = _pickIlk(ilks, h % p.totalWeight);
        v.debt = _logUniform(p.minDebt, p.maxDebt, (h >> 64) % WAD) / WAD * WAD;
        if (v.debt < p.minDebt) v.debt = p.minDebt;
        v.health = _pickHealth(p.health, (h >> 128) % BPS, (h >> 160) % WAD);
        SeedIlk memory s = ilks[v.ilk];
        // collateral value at spot = debt × health, i.e. collateral × price = debt × ratio × health.
        v.collateral = v.debt.mulWadUp(s.ratio).mulWadUp(v.health).divWadUp(s.price).divUp(s.scale);
    }

    function _pickIlk(SeedIlk[] memory ilks, uint256 r) internal pure returns (uint256 k) {
        for (; k < ilks.length - 1; ++k) {
            if (r < ilks[k].weight) return k;
            r -= ilks[k].weight;
        }
    }

    function _pickHealth(Bucket[] memory buckets, uint256 r, uint256 u) internal pure returns (uint256) {
        for (uint256 k; k < buckets.length; ++k) {
            Bucket memory b = buckets[k];
            if (r < b.weightBps || k == buckets.length - 1) return b.minWad + (b.maxWad - b.minWad).mulWad(u);
            r -= b.weightBps;
        }
        return WAD; // unreachable: the weights sum to 10000
    }

    /// @dev `min × (max / min) ^ u` for `u` in [0, 1) (WAD): every order of magnitude equally likely.
    function _logUniform(uint256 min, uint256 max, uint256 u) internal pure returns (uint256) {
        // forge-lint: disable-next-line(unsafe-typecast) ratios and exponents of demo amounts fit int256
        int256 lnRatio = FixedPointMathLib.lnWad(int256(max.divWad(min)));
        // forge-lint: disable-next-line(unsafe-typecast) u < 1e18 and 0 <= lnRatio < 135e18
        uint256 factor = uint256(FixedPointMathLib.expWad(lnRatio * int256(u) / int256(WAD)));
        return min.mulWad(factor);
    }

    /*//////////////////////////////////////////////////////////////
                                 OUTPUT
    //////////////////////////////////////////////////////////////*/

    /// @dev Adds `dex`, `flashTaker` and `seed` to the deployment file, keeping everything else.
    function _writeSeed(
        string memory path,
        GavelDeployment memory d,
        UniswapV2Artifacts.UniswapV2 memory uni,
        SeedIlk[] memory ilks,
        uint256 vaults
    ) internal {
        string memory pairs;
        for (uint256 i; i < ilks.length; ++i) {
            pairs = vm.serializeAddress("gavel.seed.pairs", ilks[i].d.name, ilks[i].pair);
        }
        vm.serializeAddress("gavel.seed.dex", "factory", address(uni.factory));
        vm.serializeAddress("gavel.seed.dex", "router", address(uni.router));
        vm.serializeAddress("gavel.seed.dex", "weth", uni.weth);
        string memory dex = vm.serializeString("gavel.seed.dex", "pairs", pairs);

        vm.serializeUint("gavel.seed.vaults", "vaults", vaults);
        vm.serializeUint("gavel.seed.vaults", "firstAccountIndex", FIRST_VAULT_ACCOUNT);
        string memory seed = vm.serializeString("gavel.seed.vaults", "mnemonic", MNEMONIC);

        string memory o = "gavel.seed.out";
        vm.serializeJson(o, vm.readFile(path));
        vm.serializeAddress(o, "flashTaker", d.flashTaker);
        vm.serializeString(o, "seed", seed);
        vm.writeJson(vm.serializeString(o, "dex", dex), path);
    }

    function _logSummary(SeedIlk[] memory ilks, VaultPlan[] memory vaults, address router) internal pure {
        uint256[] memory opened = new uint256[](ilks.length);
        uint256 totalDebt;
        for (uint256 i; i < vaults.length; ++i) {
            opened[vaults[i].ilk]++;
            totalDebt += vaults[i].debt;
        }
        for (uint256 i; i < ilks.length; ++i) {
            console.log("SeedLocal: %s vaults on %s, pool %s", opened[i], ilks[i].d.name, ilks[i].pair);
        }
        console.log("SeedLocal: %s vaults, %s gUSD of debt; router %s", vaults.length, totalDebt / WAD, router);
    }
}
