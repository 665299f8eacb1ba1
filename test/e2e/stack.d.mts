// Types for stack.mjs (plain Node ESM shared with app/bench/app.bench.mjs).
export interface StackDeployment {
  chainId: number;
  engine: `0x${string}`;
  stablecoin: `0x${string}`;
  spotter: `0x${string}`;
  liquidationEngine: `0x${string}`;
  ilks: { name: string; id: `0x${string}`; token: `0x${string}`; decimals: number; oracle: `0x${string}`; feeds: `0x${string}`[]; house: `0x${string}` }[];
  seed?: { vaults: number; firstAccountIndex: number; mnemonic: string };
}
export interface Scenario {
  liquidated: { owner: `0x${string}`; ilk: string; house: `0x${string}` }[];
  live: number;
  safeSeedOwners: { owner: `0x${string}`; ilk: string }[];
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
  pids: number[];
  stop(): Promise<void>;
}
export interface StackOptions {
  seedVaults?: number;
  drops?: number;
  dropBps?: number;
  maxAuctions?: number;
}
export const repoRoot: string;
export const appDir: string;
export const VAULT_OWNER_INDEX: number;
export const TAKER_INDEX: number;
export const ANVIL_MNEMONIC: string;
export function freePort(): Promise<number>;
export function startStack(options?: StackOptions): Promise<Stack>;
export interface Anvil {
  rpcUrl: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}
export function startAnvil(port: number, options?: { loadState?: string }): Promise<Anvil>;
