// Public runtime configuration. NEXT_PUBLIC_* values are inlined at build time by Next; both have
// local defaults so a plain `next build` targets a local anvil node.

/** The chain id of anvil and Hardhat: the only chain on which the development wallet exists. */
export const LOCAL_CHAIN_ID = 31337;

function parseChainId(raw: string | undefined): number {
  const n = Number(raw ?? LOCAL_CHAIN_ID);
  return Number.isSafeInteger(n) && n > 0 ? n : LOCAL_CHAIN_ID;
}

/** JSON-RPC endpoint the app reads from (and the development wallet sends to). */
export const RPC_URL: string = process.env.NEXT_PUBLIC_RPC_URL ?? 'http://127.0.0.1:8545';

/** The chain the app is built for. */
export const CHAIN_ID: number = parseChainId(process.env.NEXT_PUBLIC_CHAIN_ID);

/** Whether this build targets the local chain (and may offer the development wallet). */
export const IS_LOCAL_CHAIN: boolean = CHAIN_ID === LOCAL_CHAIN_ID;

/**
 * Base URL of the Gavel indexer (history: takes, health over time, bidders, series); unset: history
 * is shown as unavailable and everything live still comes from the chain.
 */
export const INDEXER_URL: string | undefined = process.env.NEXT_PUBLIC_GAVEL_INDEXER_URL?.replace(/\/+$/, '') || undefined;
