// `gavel-keeper run` as a real process against anvil: it kicks a vault that becomes unsafe,
// SIGTERM / SIGINT stop it with exit code 0 and a written checkpoint; and the read-only commands
// (vaults, auctions, watch) run beside it without writing (or resetting) its checkpoint file.

import { waitFor as waitUntil } from './wait.ts';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { liquidationEngineAbi } from '@gavel/sdk';
import { type Address, type Hex, bytesToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexModel } from '../src/index/model.ts';
import { CheckpointStore } from '../src/store/checkpoint.ts';
import { type System, deploySystem, openVault, setPrice } from './fixture.ts';

const waitFor = (cond: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> => waitUntil(cond, ms, what, 50);

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gavel-keeper.mjs');

interface Proc {
  readonly child: ChildProcess;
  readonly lines: { msg?: string; [k: string]: unknown }[];
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', GAVEL_KEEPER_FROM_SOURCE: '1', ...env } });
  const p: Proc = {
    child,
    lines: [],
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => {
      resolve(code);
    })),
  };
  let partial = '';
  child.stdout.on('data', (c: Buffer) => (p.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    p.stderr += c.toString();
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      try {
        p.lines.push(JSON.parse(line) as { msg?: string });
      } catch {
        // not a log line
      }
    }
  });
  return p;
}

function storedBlock(file: string): bigint | undefined {
  const store = new CheckpointStore(file, { readOnly: true });
  try {
    return store.storedBlock();
  } finally {
    store.close();
  }
}

/** A free TCP port (for the keeper's /metrics). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

/** The keeper's gavel_keeper_indexed_block from its /metrics endpoint (undefined while unreachable). */
async function indexedBlock(port: number): Promise<bigint | undefined> {
  try {
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = /^gavel_keeper_indexed_block (\d+)/m.exec(body);
    return m?.[1] === undefined ? undefined : BigInt(m[1]);
  } catch {
    return undefined;
  }
}

const digest = (file: string): string => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent');

let sys: System;
let dir: string;
let env: Record<string, string>;
const procs: Proc[] = [];

beforeAll(async () => {
  sys = await deploySystem();
  dir = mkdtempSync(path.join(tmpdir(), 'gavel-cli-run-'));
  const d = sys.deployment;
  const deploymentsFile = path.join(dir, 'deployment.json');
  writeFileSync(deploymentsFile, JSON.stringify({ ...d, block: d.block.toString() }, null, 2));
  const key = (i: number): Hex => bytesToHex(sys.node.accounts[i]?.getHdKey().privateKey ?? new Uint8Array());
  env = {
    GAVEL_RPC_URLS: sys.node.rpcUrl,
    GAVEL_CHAIN_ID: String(sys.node.chain.id),
    GAVEL_DEPLOYMENTS_FILE: deploymentsFile,
    GAVEL_CHECKPOINT_FILE: path.join(dir, 'keeper.sqlite'),
    GAVEL_POLL_INTERVAL_MS: '100',
    // Checkpoints only when going live and when stopping: the file changes at known moments.
    GAVEL_CHECKPOINT_INTERVAL_MS: '3600000',
    GAVEL_SETTLE_INTERVAL_BLOCKS: '0',
    GAVEL_LOG_LEVEL: 'info',
    GAVEL_PRIVATE_KEYS: [key(0), key(6), key(7)].join(','),
  };
}, 60_000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await sys.node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('gavel-keeper run (process)', () => {
  it('refuses a deployments file from another chain (same chain id, other genesis): one line, config exit code', async () => {
    const d = sys.deployment;
    const other = path.join(dir, 'other-chain.json');
    writeFileSync(other, JSON.stringify({ ...d, genesisHash: `0x${'ab'.repeat(32)}`, block: d.block.toString() }));
    const keeper = start(['run'], { ...env, GAVEL_DEPLOYMENTS_FILE: other, GAVEL_CHECKPOINT_FILE: path.join(dir, 'other.sqlite') });
    procs.push(keeper);
    expect(await keeper.exited).toBe(2);
    const lines = keeper.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^config: deploymentsFile \(.*other-chain\.json\): the deployment is for another chain 31337: genesis 0x(ab){32} but the node's is 0x[0-9a-f]{64}/);
  }, 30_000);

  it('kicks an unsafe vault; read-only commands beside it leave its checkpoint alone; SIGTERM exits 0 with a checkpoint', async () => {
    const eth = sys.ilks[2];
    if (!eth) throw new Error('no ETH-A');
    const owner = sys.actors[0] as Address;
    expect(await openVault(sys, 1, eth, 3_000n, 105n)).toBe(true);
    const port = await freePort();
    const keeper = start(['run', '--metrics-port', String(port)], env);
    procs.push(keeper);
    await waitFor(() => keeper.lines.some((l) => l.msg === 'index live'), 30_000, `index live (stderr: ${keeper.stderr.slice(-500)})`);
    const ckpt = env.GAVEL_CHECKPOINT_FILE as string;
    await waitFor(() => storedBlock(ckpt) !== undefined, 5_000, 'first checkpoint');
    // The chain moves past the keeper's checkpoint (so a command that wrote checkpoints would write).
    await sys.node.testClient.mine({ blocks: 2 });
    const head0 = await sys.node.publicClient.getBlockNumber();
    await waitFor(async () => ((await indexedBlock(port)) ?? 0n) >= head0, 10_000, 'keeper indexed the new blocks');

    // Read-only commands while the keeper runs: they read the checkpoint, never write it.
    const before = [digest(ckpt), digest(`${ckpt}-wal`)];
    const readEnv = { ...env, GAVEL_PRIVATE_KEYS: '' };
    const vaults = start(['vaults'], readEnv);
    const auctions = start(['auctions', '--once'], readEnv);
    const watch = start(['watch', owner, '--threshold', '5'], readEnv);
    const [vc, ac, wc] = await Promise.all([vaults.exited, auctions.exited, watch.exited]);
    expect(vc, vaults.stderr).toBe(0);
    expect(vaults.stdout.toLowerCase()).toContain(owner.toLowerCase());
    expect(ac, auctions.stderr).toBe(0);
    expect(auctions.stdout).toMatch(/0 live auctions at block \d+/);
    expect(wc, watch.stderr).toBe(3); // health ~1.05 < 5: the watch alert exit code
    expect(watch.stderr).toContain('ALERT');
    expect([digest(ckpt), digest(`${ckpt}-wal`)]).toEqual(before);

    // The price drop: the running keeper liquidates the vault.
    const from = (await sys.node.publicClient.getBlockNumber()) + 1n;
    await setPrice(sys, eth, (eth.price * 85n) / 100n);
    await waitFor(() => keeper.lines.some((l) => l.msg === 'liquidated' && String(l.owner).toLowerCase() === owner.toLowerCase()), 15_000, 'liquidated log');
    const logs = await sys.node.publicClient.getContractEvents({ address: sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: from });
    expect(logs.map((l) => l.args.owner)).toEqual([owner]);
    const liquidatedAt = logs[0]?.blockNumber ?? 0n;
    await waitFor(async () => ((await indexedBlock(port)) ?? 0n) >= liquidatedAt, 10_000, 'keeper indexed the liquidation');

    keeper.child.kill('SIGTERM');
    expect(await keeper.exited).toBe(0);
    expect(keeper.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
    expect(keeper.lines.some((l) => l.msg === 'stopped (checkpoint written)')).toBe(true);
    expect((storedBlock(ckpt) ?? 0n) >= liquidatedAt).toBe(true);
    // The checkpoint holds the liquidated vault's new state (collateral confiscated).
    const model = new IndexModel();
    const store = new CheckpointStore(ckpt, { readOnly: true });
    try {
      const deployBlock = await sys.node.publicClient.getBlock({ blockNumber: sys.deployment.block });
      expect(store.load(model, { chainId: sys.node.chain.id, engine: sys.engine.toLowerCase(), deploymentBlock: sys.deployment.block.toString(), deploymentBlockHash: deployBlock.hash.toLowerCase() })).toBeDefined();
    } finally {
      store.close();
    }
    expect(model.vault(eth.id, owner)).toEqual({ collateral: 0n, normalizedDebt: 0n });
  }, 90_000);

  it('restarts from the checkpoint and SIGINT exits 0 with a newer checkpoint', async () => {
    const ckpt = env.GAVEL_CHECKPOINT_FILE as string;
    const saved = storedBlock(ckpt) ?? 0n;
    await sys.node.testClient.mine({ blocks: 3 });
    const keeper = start(['run'], env);
    procs.push(keeper);
    await waitFor(() => keeper.lines.some((l) => l.msg === 'index live'), 30_000, 'index live');
    const head = await sys.node.publicClient.getBlockNumber();
    keeper.child.kill('SIGINT');
    expect(await keeper.exited).toBe(0);
    expect(keeper.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGINT')).toBe(true);
    expect((storedBlock(ckpt) ?? 0n) >= head).toBe(true);
    expect((storedBlock(ckpt) ?? 0n) > saved).toBe(true);
    // With no keeper running (no -wal/-shm beside the file), a read-only command still loads it.
    const before = digest(ckpt);
    const vaults = start(['vaults'], { ...env, GAVEL_PRIVATE_KEYS: '' });
    expect(await vaults.exited, vaults.stderr).toBe(0);
    expect(vaults.stdout).toMatch(new RegExp(`vaults at block ${head}`));
    expect(digest(ckpt)).toBe(before);
  }, 60_000);
});
