// The one chain this build talks to, and a public client for every read (batched JSON-RPC: anvil
// has no multicall contract, so reads made in the same tick share one HTTP request).
import { createPublicClient, defineChain, http, type PublicClient } from 'viem';
import { CHAIN_ID, IS_LOCAL_CHAIN, RPC_URL } from '../lib/env.ts';

export const chain = defineChain({
  id: CHAIN_ID,
  name: IS_LOCAL_CHAIN ? 'Local (anvil)' : `Chain ${CHAIN_ID}`,
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [RPC_URL] } },
});

export const transport = http(RPC_URL, { batch: { wait: 10 }, retryCount: 1, timeout: 10_000 });

export const publicClient: PublicClient = createPublicClient({ chain, transport, pollingInterval: 2_000 });
