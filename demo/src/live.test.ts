// `--rpc` mode refuses a deployments file made on another chain before starting anything.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AnvilNode, startAnvil } from '@gavel/contracts/testing';
import { zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLive } from './live.ts';

let node: AnvilNode;
let dir: string;

beforeAll(async () => {
  node = await startAnvil();
  dir = mkdtempSync(path.join(tmpdir(), 'gavel-demo-live-'));
}, 60_000);

afterAll(async () => {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo --rpc', () => {
  it('refuses a deployments file whose genesis is not the node\'s, in one line', async () => {
    const file = path.join(dir, 'other.json');
    const other = `0x${'ab'.repeat(32)}`;
    writeFileSync(file, JSON.stringify({ chainId: 31337, genesisHash: other, block: 0, engine: zeroAddress, stablecoin: zeroAddress, fund: zeroAddress, spotter: zeroAddress, liquidationEngine: zeroAddress, ilks: [] }));
    const lines: string[] = [];
    const run = runLive({ rpcUrl: node.rpcUrl, deploymentsFile: file, keeper: false, appPort: 0, workDir: dir, log: (l) => lines.push(l), stopRequested: new Promise(() => undefined) });
    await expect(run).rejects.toThrow(new RegExp(`^--rpc: .*other\\.json: the deployment is for another chain 31337: genesis ${other} but the node's is 0x[0-9a-f]{64}`));
    expect(lines).toHaveLength(0);
  });
});
