// The system as Deploy.s.sol + SeedLocal.s.sol wire it (what the demo runs): the indexer reads the
// deployments file the scripts write (dex pairs, flash taker, seeded vaults) and indexes every
// seeded vault with the engine's figures.
import { vaultEngineAbi } from '@gavel/sdk';
import { parseDeployment } from '@gavel/sdk/deployment';
import { deployLocalSystem, type LocalSystem, startAnvil, type AnvilNode } from '@gavel/contracts/testing';
import path from 'node:path';
import { rmSync } from 'node:fs';
import type { Address, Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexerProcess, api, startIndexer, tempDir, waitIndexed } from './harness.ts';

describe('indexer on the deployed and seeded system (PGlite)', () => {
  let node: AnvilNode;
  let sys: LocalSystem;
  let p: IndexerProcess | undefined;
  let work: string;

  beforeAll(async () => {
    work = tempDir('gavel-indexer-deployed-');
    node = await startAnvil({ accounts: 20 });
    sys = await deployLocalSystem(node, { vaults: 12 });
  }, 300_000);

  afterAll(async () => {
    await p?.kill('SIGKILL');
    await node.stop();
    sys.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('indexes every seeded vault, its ilk name and the viability inputs', async () => {
    const parsed = parseDeployment(sys.raw);
    if (!parsed.ok) throw new Error(parsed.message);
    const d = parsed.deployment;
    p = await startIndexer({ rpcUrl: node.rpcUrl, deploymentsFile: sys.deploymentsFile, db: { kind: 'pglite', dir: path.join(work, 'db') }, schema: 'gavel' });
    await waitIndexed(p, await node.publicClient.getBlockNumber());
    const vaults = await api<{ ilk: Hex; owner: Address; collateral: string; normalizedDebt: string; safe: boolean; ilkName: string }[]>(p, '/api/vaults?limit=1000');
    expect(vaults.filter((v) => BigInt(v.normalizedDebt) > 0n).length).toBeGreaterThanOrEqual(12);
    for (const v of vaults) {
      const [c, n] = await node.publicClient.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'vault', args: [v.ilk, v.owner] });
      expect([BigInt(v.collateral), BigInt(v.normalizedDebt)]).toEqual([c, n]);
      expect(v.ilkName).toBe(d.ilks.find((i) => i.id === v.ilk)?.name);
    }
    const viability = await api<{ ilkName: string; pair: string | null; markPrice: string }[]>(p, '/api/viability');
    expect(viability.map((v) => v.ilkName).sort()).toEqual(d.ilks.map((i) => i.name).sort());
    for (const v of viability) {
      expect(v.pair).toBe(d.dex?.pairs[v.ilkName] ?? null);
      expect(BigInt(v.markPrice)).toBeGreaterThan(0n);
    }
  }, 180_000);
});
