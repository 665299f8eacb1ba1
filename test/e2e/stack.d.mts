// Types for stack.mjs (plain Node ESM shared with app/bench/app.bench.mjs).
export interface StackDeployment {
  chainId: number;
  engine: `0x${string}`;
  stablecoin: `0x${string}`;
  spotter: `0x${string}`;
  liquidationEngine: `0x${string}`;
  /** Owner protection (absent in deployments written before issue 17). */
  preLiquidation?: `0x${string}`;
  topUpHook?: `0x${string}`;
  /** Portfolio vaults (absent in deployments written before issue 18). */
  portfolioEngine?: `0x${string}`;
  portfolioIlk?: `0x${string}`;
  ilks: { name: string; id: `0x${string}`; token: `0x${string}`; decimals: number; oracle: `0x${string}`; feeds: `0x${string}`[]; house: `0x${string}` }[];
  seed?: { vaults: number; firstAccountIndex: number; mnemonic: string };
}
export interface Scenario {
  liquidated: { owner: `0x${string}`; ilk: string; house: `0x${string}` }[];
  live: number;
  safeSeedOwners: { owner: `0x${string}`; ilk: string }[];
  /** With the indexer: the history driven on chain for it (makeHistory). */
  history?: History;
}
export interface History {
  bidders: { name: string; index: number; address: `0x${string}` }[];
  /** The auction Alice and Bob took whole between them. */
  ended: { house: `0x${string}`; ilk: string; id: string };
  /** The auction Alice took a tenth of. */
  partial: { house: `0x${string}`; ilk: string; id: string };
  live: number;
}
export interface Stack {
  rpcUrl: string;
  baseUrl: string;
  deploymentsFile: string;
  deployment: StackDeployment;
  scenario: Scenario;
  tmp: string;
  /** Process (and process group) id of the stack's anvil. */
  anvilPid: number;
  /** With the indexer: its base URL (inlined into the app build) and process group id. */
  indexerUrl?: string;
  indexerPid?: number;
  pids: number[];
  stop(): Promise<void>;
}
export interface StackOptions {
  seedVaults?: number;
  drops?: number;
  dropBps?: number;
  maxAuctions?: number;
  /** Start the real indexer, drive the history scenario, wait until it is indexed (default false). */
  indexer?: boolean;
}
export const repoRoot: string;
export const appDir: string;
export const VAULT_OWNER_INDEX: number;
export const TAKER_INDEX: number;
export const BIDDERS: readonly { name: string; index: number }[];
export const E2E_INDEXER_URL: string;
export const ANVIL_MNEMONIC: string;
export function freePort(): Promise<number>;
export function startStack(options?: StackOptions): Promise<Stack>;
export interface Anvil {
  rpcUrl: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}
export function indexedBlock(url: string): Promise<bigint>;
export function refreshPrices(rpcUrl: string, deployment: StackDeployment): Promise<void>;
export function startAnvil(port: number, options?: { loadState?: string }): Promise<Anvil>;
