// Kick batch sizing on anvil: batches are sized from the measured (estimated) gas per vault, not
// from the configured planning figure — a pessimistic figure still gives one full batch, an
// optimistic one never gives a transaction above the gas budget.

import { liquidationEngineAbi } from '@gavel/contracts';
import { pino } from 'pino';
import { type Hex, bytesToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { Keeper } from '../src/keeper.ts';
import { type IlkFixture, type System, deploySystem, openVault, setPrice } from './fixture.ts';
import { waitFor } from './wait.ts';

let sys: System;
const keepers: Keeper[] = [];
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });

async function kickKeeper(budget: number, perVault: number): Promise<Keeper> {
  const key = sys.node.accounts[0]?.getHdKey().privateKey;
  if (!key) throw new Error('no key');
  const config = loadConfig(undefined, {}, {
    rpcUrls: sys.node.rpcUrl,
    chainId: String(sys.node.chain.id),
    pollIntervalMs: '25',
    deploymentsFile: '/dev/null',
    checkpointFile: '/dev/null',
    settleIntervalBlocks: '0',
    kickGasBudget: String(budget),
    kickGasPerVault: String(perVault),
  });
  const k = new Keeper({ config, deployment: sys.deployment, keys: [bytesToHex(key)], logger: log, noCheckpoint: true, bid: false, senderPollMs: 25 });
  keepers.push(k);
  await k.start();
  return k;
}

/** Five vaults of `ilk` (actors 1-5) made unsafe by a 15% drop; returns the kick transactions: vaults and gas limit. */
async function dropAndKick(k: Keeper, ilk: IlkFixture): Promise<{ vaults: number; gasLimit: bigint }[]> {
  const from = (await sys.node.publicClient.getBlockNumber()) + 1n;
  // Automine: hold the block so the five vaults become unsafe together and the keeper sees one set.
  await setPrice(sys, ilk, (ilk.price * 85n) / 100n);
  await waitFor(() => (k.kicker?.kicks.length ?? 0) >= 5, 15_000, 'five liquidations');
  const logs = await sys.node.publicClient.getContractEvents({ address: sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: from });
  expect(logs.filter((l) => l.args.ilk === ilk.id).length).toBe(5);
  const byTx = new Map<Hex, number>();
  for (const l of logs) byTx.set(l.transactionHash, (byTx.get(l.transactionHash) ?? 0) + 1);
  return Promise.all([...byTx].map(async ([hash, vaults]) => ({ vaults, gasLimit: (await sys.node.publicClient.getTransaction({ hash })).gas })));
}

beforeAll(async () => {
  sys = await deploySystem();
  for (const ilk of [sys.ilks[2], sys.ilks[1]] as IlkFixture[]) {
    for (let a = 1; a <= 5; a++) expect(await openVault(sys, a, ilk, 1_000n + BigInt(a) * 200n, 105n)).toBe(true);
  }
}, 60_000);

afterAll(async () => {
  for (const k of keepers) await k.stop(0).catch(() => undefined);
  await sys.node.stop();
});

describe('kick batch sizing', () => {
  it('a pessimistic planning figure (400k/vault, budget 1M: 2 a batch) still sends one batch of all five: sized from the estimate', async () => {
    const k = await kickKeeper(1_000_000, 400_000);
    const txs = await dropAndKick(k, sys.ilks[2] as IlkFixture);
    expect(txs).toHaveLength(1);
    expect(txs[0]?.vaults).toBe(5);
    expect((txs[0]?.gasLimit ?? 0n) <= 1_000_000n).toBe(true);
    const measured = k.kicker?.gasPerVault() ?? 0;
    expect(measured).toBeGreaterThan(50_000);
    expect(measured).toBeLessThan(400_000);
    await k.stop(0);
  }, 40_000);

  it('an optimistic planning figure (20k/vault) never sends a transaction above the gas budget (500k)', async () => {
    const k = await kickKeeper(500_000, 20_000);
    const txs = await dropAndKick(k, sys.ilks[1] as IlkFixture);
    expect(txs.length).toBeGreaterThan(1);
    for (const t of txs) expect(t.gasLimit <= 500_000n, `gas limit ${t.gasLimit}`).toBe(true);
    expect(txs.reduce((a, t) => a + t.vaults, 0)).toBe(5);
    await k.stop(0);
  }, 40_000);
});
