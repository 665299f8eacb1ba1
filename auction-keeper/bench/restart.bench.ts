// Restart benchmark (issue 6, "restart with 100,000 vaults indexed"): a SQLite checkpoint holding
// 100,000 vaults across 3 ilks (plus the real system's ilks, auctions and marks from an anvil
// deployment) → time for a new Indexer to load it and be live (one sync against the node's head).
// Target < 3 s. Writes/merges `restartSeconds` (and restartLoadMs) into <repo>/bench-results/keeper.json.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Address, Hex } from 'viem';
import { expect, it } from 'vitest';
import { Indexer } from '../src/index/indexer.ts';
import { RpcPool } from '../src/rpc/pool.ts';
import { Prng } from '../src/util/prng.ts';
import { deploySystem } from '../test/fixture.ts';

const VAULTS = Number(process.env.GAVEL_BENCH_RESTART_VAULTS ?? 100_000);
const RUNS = 3;
const RESULTS = fileURLToPath(new URL('../../bench-results/keeper.json', import.meta.url));

it(`restart with ${VAULTS} vaults in the checkpoint`, async () => {
  const sys = await deploySystem();
  const dir = mkdtempSync(path.join(tmpdir(), 'gavel-restart-'));
  const file = path.join(dir, 'checkpoint.sqlite');
  try {
    const make = (): Indexer =>
      new Indexer({ deployment: sys.deployment, chainId: sys.node.chain.id, pool: new RpcPool([sys.node.rpcUrl]), checkpointFile: file, pollIntervalMs: 50 });
    // Build the checkpoint: synthetic vaults (safe and unsafe alike), then a real sync to the head.
    const first = make();
    const rng = new Prng(42);
    const ilks = sys.ilks.map((i) => i.id);
    for (let i = 0; i < VAULTS; i++) {
      const ilk = ilks[i % ilks.length] as Hex;
      const owner: Address = `0x${(i + 1).toString(16).padStart(40, '0')}`;
      const collateral = BigInt(Math.floor(rng.float() * 1e12)) * 10n ** 6n + 1n;
      const normalizedDebt = BigInt(Math.floor(rng.float() * 1e9)) * 10n ** 18n;
      first.model.loadVault(ilk, owner, collateral, normalizedDebt);
      first.model.markDirty(`${ilk}|${owner}`);
    }
    const tw = performance.now();
    await first.syncOnce(); // live → checkpoint
    const writeMs = performance.now() - tw;
    await first.kill();

    const totals: number[] = [];
    const loads: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const ix = make();
      const loaded = await ix.loadCheckpoint();
      const t1 = performance.now();
      await ix.syncOnce();
      const t2 = performance.now();
      expect(loaded?.vaults).toBe(VAULTS);
      expect(ix.live).toBe(true);
      expect(ix.model.vaultCount()).toBe(VAULTS);
      loads.push(t1 - t0);
      totals.push(t2 - t0);
      await ix.kill();
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const restartSeconds = Math.round(median(totals)) / 1000;
    const restartLoadMs = median(loads);
    console.table({
      vaults: { value: VAULTS },
      'first checkpoint write (ms)': { value: Math.round(writeMs) },
      'load checkpoint (ms, median)': { value: Math.round(restartLoadMs) },
      'load + live (s, median)': { value: Number(restartSeconds.toFixed(3)) },
      'target (s)': { value: 3 },
    });
    expect(restartSeconds).toBeLessThan(3);
    mkdirSync(dirname(RESULTS), { recursive: true });
    const previous: unknown = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
    const merged = { ...(typeof previous === 'object' && previous !== null ? previous : {}), restartSeconds, restartLoadMs: Math.round(restartLoadMs), restartVaults: VAULTS };
    writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
    console.log(`wrote ${RESULTS}`);
  } finally {
    await sys.node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
