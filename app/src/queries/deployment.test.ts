// The deployment gate's query against a real anvil: a file for this node loads; a file with the
// same chain id but another genesis (another anvil, a restarted node) is a clear error state.
import { type AnvilNode, startAnvil } from '@gavel/contracts/testing';
import type { QueryFunctionContext } from '@tanstack/react-query';
import { type Hex, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const realFetch = globalThis.fetch;
let node: AnvilNode;
let genesis: Hex;

beforeAll(async () => {
  node = await startAnvil();
  genesis = (await node.publicClient.getBlock({ blockNumber: 0n })).hash;
  // Read by lib/env.ts when the query module is first imported.
  process.env.NEXT_PUBLIC_RPC_URL = node.rpcUrl;
  process.env.NEXT_PUBLIC_CHAIN_ID = '31337';
}, 60_000);

afterAll(async () => {
  vi.unstubAllGlobals();
  await node.stop();
});

function serve(genesisHash: Hex): void {
  const deployment = { chainId: 31337, genesisHash, block: 0, engine: zeroAddress, stablecoin: zeroAddress, fund: zeroAddress, spotter: zeroAddress, liquidationEngine: zeroAddress, ilks: [] };
  // The app's own API route answers with the file; the node's JSON-RPC goes to anvil.
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === '/api/deployment') return Promise.resolve(new Response(JSON.stringify({ status: 'ok', deployment })));
    return realFetch(input, init);
  });
}

async function load(): Promise<unknown> {
  const { deploymentQueryOptions } = await import('./deployment.ts');
  const fn = deploymentQueryOptions().queryFn;
  if (typeof fn !== 'function') throw new Error('no queryFn');
  return fn({} as QueryFunctionContext<readonly ['gavel', 'deployment']>);
}

describe('deployment query: chain identity', () => {
  it('loads a file made on the node the app talks to', async () => {
    serve(genesis);
    expect(await load()).toMatchObject({ status: 'ok' });
  });

  it('refuses a file with the same chain id and another genesis: wrong-genesis with a one-line message', async () => {
    serve(`0x${'ab'.repeat(32)}`);
    const s = (await load()) as { status: string; message?: string };
    expect(s.status).toBe('wrong-genesis');
    expect(s.message).toContain(`but the node's is ${genesis}`);
    expect(s.message).not.toContain('\n');
  });
});
