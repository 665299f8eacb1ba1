// RPC failover against a real anvil: a dead URL first, a node that comes back, a stalled head
// (a proxy that freezes eth_blockNumber), WebSocket heads.
import { startAnvil, type AnvilNode } from '@gavel/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadUrl, startProxy } from '../../test/proxy.ts';
import { type RpcPoolEvent, RpcPool, isEndpointFailure, isRangeError } from './pool.ts';

let node: AnvilNode;
beforeAll(async () => {
  node = await startAnvil({ accounts: 1 });
});
afterAll(async () => {
  await node.stop();
});

describe('RpcPool', () => {
  it('fails over from a dead URL to a live one', async () => {
    const pool = new RpcPool([await deadUrl(), node.rpcUrl], { backoffMs: 50 });
    const events: RpcPoolEvent[] = [];
    pool.onEvent((e) => events.push(e));
    await node.testClient.mine({ blocks: 3 });
    const head = BigInt((await pool.request('eth_blockNumber')) as string);
    expect(head).toBe(await node.publicClient.getBlockNumber());
    expect(events[0]?.type).toBe('failover');
    expect(pool.activeUrl).toBe(node.rpcUrl);
    pool.close();
  });

  it('survives an endpoint going away and coming back (backoff, then recovery)', async () => {
    const proxy = await startProxy(node.rpcUrl);
    const pool = new RpcPool([proxy.url], { backoffMs: 20, maxBackoffMs: 100, maxAttempts: 3 });
    expect(await pool.request('eth_chainId')).toBe('0x7a69');
    proxy.state.down = true;
    await expect(pool.request('eth_chainId')).rejects.toSatisfy(isEndpointFailure);
    setTimeout(() => (proxy.state.down = false), 150);
    // Retries with backoff until the endpoint answers again.
    const retrying = new RpcPool([proxy.url], { backoffMs: 40, maxBackoffMs: 80, maxAttempts: 20 });
    proxy.state.down = true;
    setTimeout(() => (proxy.state.down = false), 150);
    expect(await retrying.request('eth_chainId')).toBe('0x7a69');
    await proxy.close();
    pool.close();
    retrying.close();
  });

  it('a burst of concurrent failures raises the backoff one step, not one step per request', async () => {
    const proxy = await startProxy(node.rpcUrl);
    const pool = new RpcPool([proxy.url], { backoffMs: 100, maxBackoffMs: 5_000, maxAttempts: 1 });
    const waits: number[] = [];
    pool.onEvent((e) => {
      if (e.type === 'backoff') waits.push(e.waitMs);
    });
    expect(await pool.request('eth_chainId')).toBe('0x7a69');
    proxy.state.down = true;
    // Fifty requests on the wire together, all failing: one failure episode.
    const failed = await Promise.allSettled(Array.from({ length: 50 }, () => pool.request('eth_chainId')));
    expect(failed.every((r) => r.status === 'rejected')).toBe(true);
    proxy.state.down = false;
    expect(pool.status()[0]?.failures).toBe(1);
    expect(await pool.request('eth_chainId')).toBe('0x7a69');
    // The next request waited at most the first step (100 ms × 1.25 jitter), not 2^49 × 100 ms capped at 5 s.
    expect(Math.max(0, ...waits)).toBeLessThanOrEqual(125);
    await proxy.close();
    pool.close();
  });

  it('rotates away from an endpoint whose head stopped advancing while another is ahead', async () => {
    const proxy = await startProxy(node.rpcUrl);
    const pool = new RpcPool([proxy.url, node.rpcUrl], { staleHeadMs: 200 });
    const events: RpcPoolEvent[] = [];
    pool.onEvent((e) => events.push(e));
    const start = BigInt((await pool.request('eth_blockNumber')) as string);
    proxy.state.frozenHead = `0x${start.toString(16)}`;
    expect(pool.activeUrl).toBe(proxy.url);
    // A quiet chain is not a stalled node: no rotation while nobody is ahead.
    await new Promise((r) => setTimeout(r, 250));
    expect(BigInt((await pool.request('eth_blockNumber')) as string)).toBe(start);
    expect(pool.activeUrl).toBe(proxy.url);
    await node.testClient.mine({ blocks: 2 });
    let head = start;
    const until = Date.now() + 3_000;
    while (pool.activeUrl === proxy.url && Date.now() < until) {
      head = BigInt((await pool.request('eth_blockNumber')) as string);
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(pool.activeUrl).toBe(node.rpcUrl);
    expect(head).toBe(start + 2n);
    expect(events.find((e) => e.type === 'rotate')).toMatchObject({ type: 'rotate', staleHead: start, aheadHead: start + 2n });
    await proxy.close();
    pool.close();
  });

  it('uses WebSocket for ws:// URLs and wakes on new heads', async () => {
    const pool = new RpcPool([node.rpcUrl.replace('http', 'ws')]);
    const before = BigInt((await pool.request('eth_blockNumber')) as string);
    const waiting = pool.waitForHead(5_000);
    await new Promise((r) => setTimeout(r, 100)); // let the subscription start
    const t0 = Date.now();
    await node.testClient.mine({ blocks: 1 });
    await waiting;
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(BigInt((await pool.request('eth_blockNumber')) as string)).toBe(before + 1n);
    pool.close();
  });

  it('classifies range errors', () => {
    const e = Object.assign(new Error('query returned more than 10000 results'), { code: -32602 });
    expect(isRangeError(e)).toBe(true);
    expect(isRangeError(Object.assign(new Error('x'), { code: -32005 }))).toBe(true);
    expect(isRangeError(new Error('execution reverted'))).toBe(false);
  });
});
