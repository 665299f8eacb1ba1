// `gavel-keeper run` as a process with a bad configuration against a real anvil: each one fails at
// start with exit code 2 and ONE line naming the field (no silent keeper indexing nothing):
// a dead RPC URL, the wrong chain id, a wrong engine or liquidationEngine address, a house that is
// another ilk's, a key with no ETH.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Hex, bytesToHex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, deploySystem } from './fixture.ts';
import { deadUrl } from './proxy.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gavel-keeper.mjs');

let sys: System;
let dir: string;
let base: Record<string, string>;

function writeDeployment(name: string, patch: (d: Record<string, unknown>) => void): string {
  const d: Record<string, unknown> = JSON.parse(JSON.stringify({ ...sys.deployment, block: sys.deployment.block.toString() })) as Record<string, unknown>;
  patch(d);
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(d));
  return file;
}

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [bin, 'run'], { env: { PATH: process.env.PATH ?? '', GAVEL_KEEPER_FROM_SOURCE: '1', ...base, ...env } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Exit 2 and exactly one stderr line (not a JSON log line) matching `re`. */
async function expectFailsFast(env: Record<string, string>, re: RegExp): Promise<void> {
  const r = await run(env);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(re);
  expect(r.code).toBe(2);
  // Fails at start rather than retrying (most of this is node loading the TypeScript sources).
  expect(r.ms).toBeLessThan(25_000);
}

beforeAll(async () => {
  sys = await deploySystem();
  dir = mkdtempSync(path.join(tmpdir(), 'gavel-startup-'));
  const key = (i: number): Hex => bytesToHex(sys.node.accounts[i]?.getHdKey().privateKey ?? new Uint8Array());
  base = {
    GAVEL_RPC_URLS: sys.node.rpcUrl,
    GAVEL_CHAIN_ID: String(sys.node.chain.id),
    GAVEL_DEPLOYMENTS_FILE: writeDeployment('good', () => undefined),
    GAVEL_CHECKPOINT_FILE: path.join(dir, 'keeper.sqlite'),
    GAVEL_LOG_LEVEL: 'warn',
    GAVEL_PRIVATE_KEYS: [key(6), key(7)].join(','),
  };
}, 60_000);

afterAll(async () => {
  await sys.node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('gavel-keeper run: bad configuration fails fast (one line, exit 2)', () => {
  it('a dead RPC URL', async () => {
    await expectFailsFast({ GAVEL_RPC_URLS: `${sys.node.rpcUrl},${await deadUrl()}` }, /^config: rpcUrls\.1 \(http:\/\/127\.0\.0\.1:\d+\/?\): does not answer/);
  }, 30_000);

  it('the wrong chain id', async () => {
    const file = writeDeployment('chain-1', (d) => {
      d.chainId = 1;
    });
    await expectFailsFast({ GAVEL_CHAIN_ID: '1', GAVEL_DEPLOYMENTS_FILE: file }, /^config: chainId: the RPC at rpcUrls\.0 .* serves chain 31337, the config says 1$/);
  }, 30_000);

  it('an engine address that is not the VaultEngine', async () => {
    const file = writeDeployment('bad-engine', (d) => {
      d.engine = sys.stablecoin;
    });
    await expectFailsFast({ GAVEL_DEPLOYMENTS_FILE: file }, /^config: deployments: engine: 0x[0-9a-fA-F]{40} is not the VaultEngine/);
  }, 30_000);

  it('a liquidationEngine address with no contract', async () => {
    const file = writeDeployment('bad-dog', (d) => {
      d.liquidationEngine = '0x000000000000000000000000000000000000dEaD';
    });
    await expectFailsFast({ GAVEL_DEPLOYMENTS_FILE: file }, /^config: deployments: liquidationEngine: no contract at 0x000000000000000000000000000000000000dEaD/);
  }, 30_000);

  it("a house that is another ilk's", async () => {
    const file = writeDeployment('swapped-house', (d) => {
      const ilks = d.ilks as { house: string }[];
      const [a, b] = ilks;
      if (!a || !b) throw new Error('two ilks');
      [a.house, b.house] = [b.house, a.house];
    });
    await expectFailsFast({ GAVEL_DEPLOYMENTS_FILE: file }, /^config: deployments: ilks\.[01]\.house: 0x[0-9a-fA-F]{40} is not the CollateralAuction of /);
  }, 30_000);

  it('a key with no ETH', async () => {
    await expectFailsFast({ GAVEL_PRIVATE_KEYS: generatePrivateKey() }, /^config: keys: account 0x[0-9a-fA-F]{40} \(lane kick, take, settle\) has no ETH on chain 31337/);
  }, 30_000);
});
