// The index against a real anvil: rebuilt from logs it equals on-chain state after random
// activity; a tiny block range (and a provider that refuses large ranges) gives the same model;
// a reorg rolls back and re-applies; a restart resumes from the SQLite checkpoint.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom } from '@gavel/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcPool } from '../rpc/pool.ts';
import { collateralAuctionAbi } from '@gavel/sdk';
import { maxUint256 } from 'viem';
import { type System, deploySystem, ensureBidder, send, trySend, expectModelMatchesChain, openVault, randomStep, setPrice } from '../../test/fixture.ts';
import { deadUrl, startProxy } from '../../test/proxy.ts';
import { Indexer, type IndexerOptions, bloomMayContain } from './indexer.ts';

let sys: System;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gavel-index-'));
  sys = await deploySystem();
  const rng = seededRandom(process.env.GAVEL_TEST_SEED ?? 'index');
  // Vaults for everyone, then random activity with a crash so liquidations and auctions happen.
  for (let a = 1; a <= sys.actors.length; a++) {
    for (const ilk of sys.ilks) await openVault(sys, a, ilk, BigInt(200 + a * 100), BigInt(102 + a * 3));
  }
  for (let i = 0; i < 40; i++) await randomStep(sys, rng);
  for (const ilk of sys.ilks) await setPrice(sys, ilk, (ilk.price * 90n) / 100n);
  for (let i = 0; i < 40; i++) await randomStep(sys, rng);
  // At least one partial take (the random ones may all take whole lots).
  await ensureBidder(sys);
  for (const ilk of sys.ilks) {
    const [id] = await sys.node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' });
    if (id === undefined) continue;
    await trySend(sys.node, 0, ilk.house, collateralAuctionAbi, 'redo', [id, sys.node.accounts[0]?.address]);
    const s = await sys.node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
    await send(sys.node, sys.bidderIndex, ilk.house, collateralAuctionAbi, 'take', [id, s.lot / 4n, maxUint256, sys.node.accounts[sys.bidderIndex]?.address, '0x']);
    break;
  }
}, 120_000);

afterAll(async () => {
  await sys.node.stop();
  rmSync(dir, { recursive: true, force: true });
});

function indexer(opts: Partial<IndexerOptions> = {}, urls?: string[]): Indexer {
  return new Indexer({
    deployment: sys.deployment,
    chainId: sys.node.chain.id,
    pool: new RpcPool(urls ?? [sys.node.rpcUrl], { staleHeadMs: 60_000 }),
    pollIntervalMs: 20,
    ...opts,
  });
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('index rebuilt from logs', () => {
  it('equals on-chain state after random activity (ranges + per-block tail)', async () => {
    const ix = indexer({ reorgDepth: 16 });
    let kicks = 0;
    let unsafe = 0;
    const kinds = new Set<string>();
    ix.on('auction', (e) => {
      kinds.add(e.kind);
      if (e.kind === 'kick') kicks++;
    });
    ix.on('unsafe', (e) => (unsafe += e.becameUnsafe.length));
    await ix.syncOnce();
    expect(ix.processed).toBe(await sys.node.publicClient.getBlockNumber());
    await expectModelMatchesChain(sys, ix.model);
    expect(kicks).toBeGreaterThan(0);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['kick', 'take', 'closed', 'redo']));
    expect(unsafe).toBeGreaterThan(0);
    expect(ix.model.window.length).toBe(16);
  });

  it('a tiny block range, and a provider refusing ranges over 4 blocks, give the same model', async () => {
    // Through two URLs, the first of them dead: failover.
    const tiny = indexer({ blockRange: 3, reorgDepth: 2 }, [await deadUrl(), sys.node.rpcUrl]);
    await tiny.syncOnce();
    await expectModelMatchesChain(sys, tiny.model);

    const proxy = await startProxy(sys.node.rpcUrl);
    proxy.state.maxRange = 4;
    const limited = indexer({ blockRange: 1_000, reorgDepth: 2 }, [proxy.url]);
    const halvings: number[] = [];
    limited.on('rangeHalved', (e) => halvings.push(e.size));
    await limited.syncOnce();
    await proxy.close();
    expect(halvings.slice(0, 3)).toEqual([500, 250, 125]);
    expect(proxy.state.refusedRanges).toBeGreaterThan(0);
    await expectModelMatchesChain(sys, limited.model);
    expect(limited.model.snapshot()).toEqual(tiny.model.snapshot());
  });
});

describe('following the head', () => {
  it('asks for the head again before a slow answer is back (at most four at once) and applies the new block from the answer', async () => {
    // One ask at a time, with 300 ms to the node and a 100 ms interval, saw a new block up to 700 ms
    // after it was mined (the chaos suite's 300 ms row kicked 4 blocks late).
    const proxy = await startProxy(sys.node.rpcUrl);
    proxy.state.delayMs.eth_blockNumber = 400;
    const ix = indexer({ pollIntervalMs: 50 }, [proxy.url]);
    try {
      await ix.start();
      proxy.state.maxInFlight.eth_blockNumber = 0;
      const before = ix.processed;
      await sys.node.testClient.mine({ blocks: 1 });
      await waitFor(() => ix.processed > before);
      await new Promise((r) => setTimeout(r, 1_000));
      const most = proxy.state.maxInFlight.eth_blockNumber;
      expect(most, 'head asks in flight at once').toBeGreaterThanOrEqual(2);
      expect(most, 'head asks in flight at once').toBeLessThanOrEqual(4);
      expect(ix.processed).toBe(await sys.node.publicClient.getBlockNumber());
    } finally {
      await ix.stop();
      await proxy.close();
    }
  });
});

describe('logs bloom', () => {
  it('bloomMayContain is true for every address that logged in a block and false for the system addresses that did not', async () => {
    const pc = sys.node.publicClient;
    const head = await pc.getBlockNumber();
    const addresses = [sys.deployment.engine, ...(sys.deployment.liquidationEngine ? [sys.deployment.liquidationEngine] : []), ...sys.deployment.ilks.map((i) => i.house)];
    let hits = 0;
    let misses = 0;
    for (let n = head > 60n ? head - 60n : 1n; n <= head; n++) {
      const b = await pc.getBlock({ blockNumber: n });
      const logs = await pc.getLogs({ blockHash: b.hash });
      const logged = new Set(logs.map((l) => l.address.toLowerCase()));
      for (const a of addresses) {
        if (logged.has(a.toLowerCase())) {
          expect(bloomMayContain(b.logsBloom, a), `block ${n} ${a}`).toBe(true);
          hits++;
        } else if (!bloomMayContain(b.logsBloom, a)) misses++;
      }
    }
    expect(hits).toBeGreaterThan(0);
    // An address with no log is ruled out by the bloom (nearly always: false positives are rare).
    expect(misses).toBeGreaterThan(0);
  });
});

describe('reorgs', () => {
  it('rolls back to the common ancestor and re-applies the new branch', async () => {
    const ix = indexer({ reorgDepth: 64, confirmations: 0 });
    const reorgs: { ancestor: bigint; undone: number }[] = [];
    ix.on('reorg', (e) => reorgs.push(e));
    await ix.start();
    const tc = sys.node.testClient;
    const snap = await tc.snapshot();
    const forkBase = await sys.node.publicClient.getBlockNumber();
    const rng = seededRandom('branch-a');
    // Branch A: a crash, liquidations, more activity.
    for (const ilk of sys.ilks) await setPrice(sys, ilk, (ilk.price * 80n) / 100n);
    for (let i = 0; i < 15; i++) await randomStep(sys, rng);
    const headA = await sys.node.publicClient.getBlockNumber();
    await waitFor(() => ix.processed === headA);
    await expectModelMatchesChain(sys, ix.model);
    // Revert, then branch B: different activity, more blocks than A.
    await tc.revert({ id: snap });
    for (const ilk of sys.ilks) ilk.price = (ilk.price * 100n) / 80n; // the revert undid branch A's prices
    const rngB = seededRandom('branch-b');
    for (let i = 0; i < 10; i++) await randomStep(sys, rngB);
    const headB0 = await sys.node.publicClient.getBlockNumber();
    if (headB0 <= headA) await tc.mine({ blocks: Number(headA - headB0) + 2 });
    const headB = await sys.node.publicClient.getBlockNumber();
    await waitFor(() => ix.processed === headB);
    await ix.stop();
    expect(reorgs.length).toBeGreaterThanOrEqual(1);
    expect(reorgs[0]?.ancestor).toBe(forkBase);
    await expectModelMatchesChain(sys, ix.model);
  }, 60_000);

  it('handles a new branch shorter than the old one', async () => {
    const ix = indexer({ reorgDepth: 64 });
    await ix.syncOnce();
    const tc = sys.node.testClient;
    const snap = await tc.snapshot();
    const base = await sys.node.publicClient.getBlockNumber();
    const rng = seededRandom('short-a');
    for (let i = 0; i < 8; i++) await randomStep(sys, rng);
    await ix.syncOnce();
    await tc.revert({ id: snap });
    await tc.mine({ blocks: 1 });
    await ix.syncOnce();
    expect(ix.processed).toBe(base + 1n);
    await expectModelMatchesChain(sys, ix.model);
  }, 30_000);

  it('a running index follows a new branch shorter than the old one at once, not once the chain grows past the old head', async () => {
    const ix = indexer({ reorgDepth: 64 });
    await ix.start();
    try {
      const tc = sys.node.testClient;
      const snap = await tc.snapshot();
      const base = await sys.node.publicClient.getBlockNumber();
      const rng = seededRandom('short-running');
      for (let i = 0; i < 8; i++) await randomStep(sys, rng);
      const oldHead = await sys.node.publicClient.getBlockNumber();
      await waitFor(() => ix.processed === oldHead);
      await tc.revert({ id: snap });
      await tc.mine({ blocks: 1 });
      expect(base + 1n < oldHead, 'the new branch is shorter').toBe(true);
      await waitFor(() => ix.processed === base + 1n);
      await expectModelMatchesChain(sys, ix.model);
    } finally {
      await ix.stop();
    }
  }, 30_000);
});

describe('checkpoints', () => {
  it('restarts from the SQLite checkpoint, resuming at the stored block and missing nothing', async () => {
    const file = path.join(dir, 'restart.sqlite');
    const first = indexer({ checkpointFile: file, checkpointIntervalMs: 3_600_000, reorgDepth: 8 });
    await first.start(); // live: checkpoint written on reaching the head
    const checkpointed = first.processed;
    // Activity the first instance processes but never checkpoints...
    const rng = seededRandom('restart');
    for (let i = 0; i < 6; i++) await randomStep(sys, rng);
    const mid = await sys.node.publicClient.getBlockNumber();
    await waitFor(() => first.processed === mid);
    await first.kill(); // no final checkpoint, no clean close
    // ...and activity while it is down.
    for (const ilk of sys.ilks) await setPrice(sys, ilk, (ilk.price * 85n) / 100n);
    for (let i = 0; i < 10; i++) await randomStep(sys, rng);

    const second = indexer({ checkpointFile: file, reorgDepth: 8 });
    const loaded = await second.loadCheckpoint();
    expect(loaded?.block).toBe(checkpointed);
    expect(loaded?.vaults).toBeGreaterThan(0);
    const fromBlocks: bigint[] = [];
    second.on('block', (e) => fromBlocks.push(e.from));
    await second.syncOnce();
    expect(fromBlocks[0]).toBe(checkpointed + 1n);
    await expectModelMatchesChain(sys, second.model);
    await second.stop();

    // A third start from the clean checkpoint has nothing to replay.
    const third = indexer({ checkpointFile: file });
    expect((await third.loadCheckpoint())?.block).toBe(second.processed);
    await expectModelMatchesChain(sys, third.model);
    await third.stop();
  }, 60_000);
});
