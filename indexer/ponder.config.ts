// Ponder configuration: one chain (the node at RPC_URL), the contracts of the deployments file with
// the SDK's ABIs, from the deployment block; PGlite unless DATABASE_URL names a PostgreSQL server.
import path from 'node:path';
import { checkDeploymentChain } from '@gavel/sdk/deployment';
import { collateralAuctionAbi, insuranceFundAbi, liquidationEngineAbi, spotterAbi, uniswapV2FlashTakerAbi, vaultEngineAbi } from '@gavel/sdk';
import { createConfig } from 'ponder';
import { createPublicClient, http, zeroAddress } from 'viem';
import { deployment, IndexerConfigError } from './src/deployment.ts';

const rpcUrl = process.env.RPC_URL;
if (rpcUrl === undefined || rpcUrl === '') throw new IndexerConfigError('RPC_URL is not set: the node to index');

// Refuse a deployments file made on another chain (same chain id, other genesis: a restarted anvil).
await checkDeploymentChain(deployment, createPublicClient({ transport: http(rpcUrl) }));

const databaseUrl = process.env.DATABASE_URL;
// Relative to the package (bin/gavel-indexer.mjs runs Ponder there), like Ponder's own default.
const pgliteDir = path.resolve(process.env.GAVEL_INDEXER_DIR ?? '.ponder', 'pglite');
// Local chains restart with the same chain id: never reuse Ponder's RPC cache across them.
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);
const startBlock = Number(deployment.block);
const pollingInterval = Number(process.env.GAVEL_INDEXER_POLL_MS ?? '1000');

export default createConfig({
  database: databaseUrl !== undefined && databaseUrl !== '' ? { kind: 'postgres', connectionString: databaseUrl } : { kind: 'pglite', directory: pgliteDir },
  chains: {
    gavel: { id: deployment.chainId, rpc: rpcUrl, pollingInterval, disableCache: LOCAL_CHAIN_IDS.has(deployment.chainId) },
  },
  contracts: {
    VaultEngine: { chain: 'gavel', abi: vaultEngineAbi, address: deployment.engine, startBlock },
    Spotter: { chain: 'gavel', abi: spotterAbi, address: deployment.spotter, startBlock },
    LiquidationEngine: { chain: 'gavel', abi: liquidationEngineAbi, address: deployment.liquidationEngine, startBlock },
    CollateralAuction: { chain: 'gavel', abi: collateralAuctionAbi, address: deployment.ilks.map((i) => i.house), startBlock },
    InsuranceFund: { chain: 'gavel', abi: insuranceFundAbi, address: deployment.fund, startBlock },
    // No flash taker in the file: the zero address, which emits nothing.
    FlashTaker: { chain: 'gavel', abi: uniswapV2FlashTakerAbi, address: deployment.flashTaker ?? zeroAddress, startBlock },
  },
});
