// Checkpoint chain identity with two real anvil chains: a checkpoint written on chain A is not
// reused on chain B, a fresh anvil where the same deployment landed at the same addresses and the
// same deployment block (what a restarted local chain looks like). The deployment block's hash
// differs, so the keeper warns and re-indexes B from the deployment block; a read-only index
// ignores the checkpoint and leaves the file as it was.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Hex } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { Indexer, type IndexerEvents } from '../src/index/indexer.ts';
import { IndexModel } from '../src/index/model.ts';
import { Keeper } from '../src/keeper.ts';
import { RpcPool } from '../src/rpc/pool.ts';
import { CheckpointStore } from '../src/store/checkpoint.ts';
import { type IlkFixture, type System, deploySystem, expectModelMatchesChain, openVault, keyOf } from './fixture.ts';

let dir: string | undefined;
const systems: System[] = [];

afterAll(async () => {
  for (const s of systems) await s.node.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A keeper that only indexes (no kicks, no bids), with the checkpoint file, logging to `lines`. */
function indexingKeeper(sys: System, file: string, lines: { msg?: string; reason?: string }[]): Keeper {
  const config = loadConfig(undefined, {}, {
    rpcUrls: sys.node.rpcUrl,
    chainId: String(sys.node.chain.id),
    pollIntervalMs: '25',
    deploymentsFile: '/dev/null',
    checkpointFile: file,
    reorgDepth: '4',
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as { msg?: string });
      cb();
    },
  });
  return new Keeper({ config, deployment: sys.deployment, keys: [keyOf(sys, 0)], logger: pino({ level: 'warn' }, sink), kick: false, bid: false, senderPollMs: 25 });
}

function readOnlyIndexer(sys: System, file: string): Indexer {
  return new Indexer({
    deployment: sys.deployment,
    chainId: sys.node.chain.id,
    pool: new RpcPool([sys.node.rpcUrl], { staleHeadMs: 60_000 }),
    checkpointFile: file,
    checkpointReadOnly: true,
    pollIntervalMs: 20,
    reorgDepth: 4,
  });
}

function stored(file: string): { block: bigint | undefined; mismatch: (s: System, hash: Hex) => string | undefined } {
  const store = new CheckpointStore(file, { readOnly: true });
  try {
    const block = store.storedBlock();
    return {
      block,
      mismatch: (s, hash) => {
        const again = new CheckpointStore(file, { readOnly: true });
        try {
          return again.mismatch({ chainId: s.node.chain.id, engine: s.engine.toLowerCase(), deploymentBlock: s.deployment.block.toString(), deploymentBlockHash: hash.toLowerCase() });
        } finally {
          again.close();
        }
      },
    };
  } finally {
    store.close();
  }
}

const eth = (sys: System): IlkFixture => sys.ilks[2] as IlkFixture;

describe('checkpoint chain identity (two anvil chains, same addresses)', () => {
  it("a checkpoint of a previous chain is ignored with a warning and the new chain re-indexed from the deployment block", async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gavel-ckpt-'));
    const file = path.join(dir, 'keeper.sqlite');

    // Chain A: a vault for actor 1, indexed and checkpointed by a keeper.
    const a = await deploySystem();
    systems.push(a);
    expect(await openVault(a, 1, eth(a), 1_000n, 150n)).toBe(true);
    const linesA: { msg?: string; reason?: string }[] = [];
    const ka = indexingKeeper(a, file, linesA);
    await ka.start();
    const headA = await a.node.publicClient.getBlockNumber();
    await ka.stop(0);
    expect(stored(file).block).toBe(headA);
    expect(linesA.filter((l) => l.msg?.startsWith('checkpoint is from another chain'))).toEqual([]);
    const deployA = await a.node.publicClient.getBlock({ blockNumber: a.deployment.block });
    expect(stored(file).mismatch(a, deployA.hash)).toBeUndefined();
    await a.node.stop();
    // (Block timestamps have a 1 s resolution: let the clock move on, as it would for a restart.)
    while (BigInt(Math.floor(Date.now() / 1000)) <= deployA.timestamp + 1n) await new Promise((r) => setTimeout(r, 100));

    // Chain B: a fresh anvil, the same deployment at the same addresses and block; different
    // activity (actor 2's vault, not actor 1's), and more blocks than A's checkpoint so a wrongly
    // reused checkpoint would resume after B's vault and miss it.
    const b = await deploySystem();
    systems.push(b);
    expect(b.engine).toBe(a.engine);
    expect(b.deployment.block).toBe(a.deployment.block);
    expect(b.ilks.map((i) => i.house)).toEqual(a.ilks.map((i) => i.house));
    expect(b.node.chain.id).toBe(a.node.chain.id);
    const deployB = await b.node.publicClient.getBlock({ blockNumber: b.deployment.block });
    expect(deployB.hash).not.toBe(deployA.hash);
    expect(await openVault(b, 2, eth(b), 2_000n, 150n)).toBe(true);
    await b.node.testClient.mine({ blocks: 20 });
    expect(stored(file).mismatch(b, deployB.hash)).toMatch(/another chain with the same id and addresses/);

    // Read-only (the vaults / auctions / watch commands): the checkpoint is ignored, not touched.
    const ro = readOnlyIndexer(b, file);
    const roMismatch: IndexerEvents['checkpointMismatch'][] = [];
    ro.on('checkpointMismatch', (e) => roMismatch.push(e));
    await ro.start();
    expect(roMismatch).toHaveLength(1);
    expect(roMismatch[0]?.discarded).toBe(false);
    await expectModelMatchesChain(b, ro.model);
    expect(ro.model.vault(eth(b).id, b.actors[1] ?? '0x').normalizedDebt > 0n).toBe(true);
    expect(ro.model.vault(eth(a).id, a.actors[0] ?? '0x').collateral).toBe(0n);
    await ro.stop();
    expect(stored(file).block).toBe(headA);
    expect(stored(file).mismatch(a, deployA.hash)).toBeUndefined();

    // The keeper: a warning, a rebuild from the deployment block, the model equals chain B.
    const linesB: { msg?: string; reason?: string }[] = [];
    const kb = indexingKeeper(b, file, linesB);
    const froms: bigint[] = [];
    kb.indexer.on('block', (e) => froms.push(e.from));
    await kb.start();
    const warned = linesB.filter((l) => l.msg?.startsWith('checkpoint is from another chain'));
    expect(warned).toHaveLength(1);
    expect(warned[0]?.reason).toContain(deployB.hash);
    expect(froms[0]).toBe(b.deployment.block);
    await expectModelMatchesChain(b, kb.indexer.model);
    const headB = await b.node.publicClient.getBlockNumber();
    expect(headB > headA).toBe(true);
    await kb.stop(0);

    // Now the file is chain B's: the next start resumes from it without a warning.
    expect(stored(file).block).toBe(headB);
    expect(stored(file).mismatch(b, deployB.hash)).toBeUndefined();
    const linesC: { msg?: string; reason?: string }[] = [];
    const kc = indexingKeeper(b, file, linesC);
    const fromsC: bigint[] = [];
    kc.indexer.on('block', (e) => fromsC.push(e.from));
    await b.node.testClient.mine({ blocks: 1 });
    await kc.start();
    expect(linesC.filter((l) => l.msg?.startsWith('checkpoint is from another chain'))).toEqual([]);
    expect(fromsC[0]).toBe(headB + 1n);
    await expectModelMatchesChain(b, kc.indexer.model);
    await kc.stop(0);
    const model = new IndexModel();
    const store = new CheckpointStore(file, { readOnly: true });
    try {
      expect(store.load(model, { chainId: b.node.chain.id, engine: b.engine.toLowerCase(), deploymentBlock: b.deployment.block.toString(), deploymentBlockHash: deployB.hash.toLowerCase() })?.vaults).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 120_000);
});
