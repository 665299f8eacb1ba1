// Transactions a node loses where the index cannot see it, on a real anvil (blocks mined by hand):
//  - a depth-1 reorg of the block our kicks were mined in, before the index applied that block:
//    the sender has their receipts, the index only ever sees the replacement block. The receipt's
//    block hash differs from the one the index applies, so the sender resyncs its nonces at once;
//  - the node's pool emptied (anvil_dropAllTransactions) while our kicks wait in it: the lowest
//    pending transaction is no longer known at the chain's next nonce, so it and those behind it are
//    sent again at the next block.
// Before, both waited for the stuck check (`stuckBlocks`, here 3): the vaults stayed unliquidated
// and the nonces stuck behind a gap for blocks. Judged from the chain and the keeper's own log lines.

import { spotterAbi, vaultEngineAbi } from '@gavel/sdk';
import { readArtifact, startAnvil } from '@gavel/contracts/testing';
import { type Hex, encodeFunctionData } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { type IlkFixture, type System, captureLogger, deploySystem, keyOf, openVault, rpc, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

interface Setup {
  readonly sys: System;
  readonly ilk: IlkFixture;
  readonly k: Keeper;
  readonly lines: { msg?: string; [k: string]: unknown }[];
}

/** Five vaults just above the requirement, a keeper whose index polls every `pollMs`, automine off. */
async function setup(pollMs: number): Promise<Setup> {
  const node = await startAnvil({ accounts: 8 });
  cleanups.push(() => node.stop());
  const sys = await deploySystem(node);
  const ilk = sys.ilks[2] as IlkFixture;
  for (let a = 1; a <= 5; a++) expect(await openVault(sys, a, ilk, 1_000n + BigInt(a) * 50n, 104n + BigInt(a))).toBe(true);
  const { logger, lines } = captureLogger();
  const k = new Keeper({
    config: testConfig(sys, {
      pollIntervalMs: String(pollMs),
      // One vault per transaction: five in flight.
      kickGasBudget: '4000000',
      kickGasPerVault: '4000000',
      stuckBlocks: '3',
    }),
    deployment: sys.deployment,
    keys: [keyOf(sys, 7)],
    logger,
    noCheckpoint: true,
    bid: false,
    senderPollMs: 25,
  });
  cleanups.push(() => k.stop(0));
  await k.start();
  await node.testClient.setAutomine(false);
  return { sys, ilk, k, lines };
}

/** A 30% drop of `ilk`, mined in one block by hand. */
async function crash(s: Setup): Promise<void> {
  const { node, spotter } = s.sys;
  const gov = node.walletFor(0);
  // Sent without waiting (automine is off), both mined in the next block.
  await gov.sendTransaction({ to: s.ilk.mark, data: encodeFunctionData({ abi: readArtifact('MockMarkPrice').abi, functionName: 'set', args: [(s.ilk.price * 70n) / 100n, true] }) });
  await gov.sendTransaction({ to: spotter, data: encodeFunctionData({ abi: spotterAbi, functionName: 'poke', args: [s.ilk.id] }) });
  await node.testClient.mine({ blocks: 1 });
}

async function unsafeCount(s: Setup): Promise<number> {
  const safe = await Promise.all(s.sys.actors.slice(0, 5).map((owner) => s.sys.node.publicClient.readContract({ address: s.sys.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [s.ilk.id, owner] })));
  return safe.filter((x) => !x).length;
}

/** Mines one block at a time until every vault is liquidated; returns how many blocks it took. */
async function blocksUntilLiquidated(s: Setup, max: number): Promise<number> {
  for (let n = 1; n <= max; n++) {
    // Time for the keeper to see the last block and send before this one is mined.
    await new Promise((r) => setTimeout(r, 1_500));
    await s.sys.node.testClient.mine({ blocks: 1 });
    if ((await unsafeCount(s)) === 0) return n;
  }
  return Number.POSITIVE_INFINITY;
}

async function noncesSettled(s: Setup): Promise<void> {
  const me = s.k.sender.address('kick');
  await waitFor(async () => {
    const [latest, pending] = await Promise.all([
      s.sys.node.publicClient.getTransactionCount({ address: me, blockTag: 'latest' }),
      s.sys.node.publicClient.getTransactionCount({ address: me, blockTag: 'pending' }),
    ]);
    return latest === pending && s.k.sender.pendingCount() === 0 && s.k.sender.nextNonce('kick') === latest;
  }, 10_000, 'keeper nonce = chain nonce, nothing in flight', 100);
}

describe('transactions lost where the index cannot see it', () => {
  it('a depth-1 reorg of the block our kicks were mined in, before the index applied it: nonces resync when the index applies the replacement', async () => {
    // The index looks every 2.5 s; the sender every 25 ms: it has the receipts long before the index
    // applies the block.
    const s = await setup(2_500);
    await crash(s);
    await waitFor(() => s.k.sender.pendingCount() === 5, 10_000, 'five kicks in the pool');
    const before = s.k.indexer.processed;
    await s.sys.node.testClient.mine({ blocks: 1 });
    await waitFor(() => (s.k.kicker?.kicks.length ?? 0) === 5, 5_000, 'the sender saw the five receipts');
    expect(await unsafeCount(s)).toBe(0);
    expect(s.k.indexer.processed).toBe(before); // the index has not applied the kicks' block
    await rpc(s.sys.node.rpcUrl, 'anvil_reorg', [1, []]);
    expect(await unsafeCount(s)).toBe(5);
    // The replacement block is applied at the index's next look; the kicks go again at nonce 0.
    const blocks = await blocksUntilLiquidated(s, 6);
    expect(s.lines.some((l) => l.reason === 'a block our transactions were mined in was replaced'), 'the sender resynced on the replaced receipt block').toBe(true);
    expect(blocks).toBeLessThanOrEqual(3);
    await noncesSettled(s);
  }, 90_000);

  it("the node's pool emptied while our kicks wait in it: they are sent again a block later, not at the stuck check", async () => {
    const s = await setup(100);
    await crash(s);
    await waitFor(() => s.k.sender.pendingCount() === 5, 10_000, 'five kicks in the pool');
    await rpc(s.sys.node.rpcUrl, 'anvil_dropAllTransactions');
    const pool = (await rpc(s.sys.node.rpcUrl, 'txpool_status')) as { pending: Hex };
    expect(BigInt(pool.pending)).toBe(0n);
    const blocks = await blocksUntilLiquidated(s, 6);
    expect(s.lines.filter((l) => l.msg === "lost from the node's pool: sent again").length).toBeGreaterThanOrEqual(5);
    // One empty block shows them gone; they are in the next (stuck check: 3 blocks).
    expect(blocks).toBeLessThanOrEqual(2);
    await noncesSettled(s);
  }, 90_000);
});
