// The keeper against a real anvil (test/fixture.ts): kicks on a price drop (every unsafe vault,
// no safe one), takes once profitable and not before, and two keepers racing for the same takes.

import { collateralAuctionAbi, liquidationEngineAbi } from '@gavel/sdk';
import { readArtifact } from '@gavel/contracts/testing';
import { pino } from 'pino';
import { type Address, type Hex, bytesToHex, maxUint256, parseEventLogs } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeeperConfig } from '../src/config/config.ts';
import { Keeper, type KeeperOptions } from '../src/keeper.ts';
import { type IlkFixture, type System, deploySystem, ensureBidder, openVault, send, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

let sys: System;
const keepers: Keeper[] = [];
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });

function keyOf(i: number): Hex {
  const k = sys.node.accounts[i]?.getHdKey().privateKey;
  if (!k) throw new Error(`no key ${i}`);
  return bytesToHex(k);
}

function config(extra: Record<string, string> = {}): KeeperConfig {
  return testConfig(sys, extra);
}

async function keeper(o: Partial<KeeperOptions> & { keys: Hex[]; cfg?: Record<string, string> }): Promise<Keeper> {
  const k = new Keeper({ config: config(o.cfg), deployment: sys.deployment, logger: log, noCheckpoint: true, bidTickMs: 100, senderPollMs: 25, ...o });
  keepers.push(k);
  await k.start();
  return k;
}

async function liquidateLogs(fromBlock: bigint): Promise<{ ilk: Hex; owner: Address }[]> {
  const logs = await sys.node.publicClient.getContractEvents({ address: sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock });
  return logs.map((l) => ({ ilk: (l.args.ilk ?? '0x'), owner: l.args.owner as Address }));
}

async function listAuctions(ilk: IlkFixture): Promise<readonly bigint[]> {
  return sys.node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' });
}

const eth = (): IlkFixture => sys.ilks[2] as IlkFixture;
const wbtc = (): IlkFixture => sys.ilks[1] as IlkFixture;
const WAD = 10n ** 18n;

beforeAll(async () => {
  sys = await deploySystem();
}, 60_000);

afterAll(async () => {
  for (const k of keepers) await k.stop(0).catch(() => undefined);
  await sys.node.stop();
});

describe('keeper on anvil', () => {
  it('a price drop liquidates every unsafe vault and no safe one (batched per ilk)', async () => {
    // ETH-A: five vaults at 105..160% of the requirement; WBTC-A: two. A 15% drop makes the
    // ones below ~117.6% unsafe.
    const pcts = [105n, 110n, 116n, 125n, 160n];
    for (let a = 1; a <= 5; a++) expect(await openVault(sys, a, eth(), 1_000n + BigInt(a) * 100n, pcts[a - 1] ?? 200n)).toBe(true);
    expect(await openVault(sys, 1, wbtc(), 5_000n, 108n)).toBe(true);
    expect(await openVault(sys, 2, wbtc(), 5_000n, 150n)).toBe(true);
    const k = await keeper({ keys: [keyOf(0)], bid: false });
    const from = (await sys.node.publicClient.getBlockNumber()) + 1n;
    expect(k.kicker?.sent).toBe(0);
    const t0 = Date.now();
    // One ilk at a time (automine: every test transaction is a block of its own, so a drop of the
    // second ilk would otherwise sit between the first drop and its liquidation).
    await setPrice(sys, eth(), (eth().price * 85n) / 100n);
    await waitFor(async () => (await liquidateLogs(from)).length >= 3, 15_000, 'ETH-A liquidations');
    await setPrice(sys, wbtc(), (wbtc().price * 85n) / 100n);
    const expected = new Set([
      `${eth().id}|${sys.actors[0]}`,
      `${eth().id}|${sys.actors[1]}`,
      `${eth().id}|${sys.actors[2]}`,
      `${wbtc().id}|${sys.actors[0]}`,
    ].map((s) => s.toLowerCase()));
    await waitFor(async () => (await liquidateLogs(from)).length >= expected.size, 15_000, 'liquidations');
    await waitFor(() => (k.kicker?.kicks.length ?? 0) >= expected.size, 5_000, 'kick records');
    const ms = Date.now() - t0;
    // A little longer: nothing else may be liquidated.
    await new Promise((r) => setTimeout(r, 300));
    const got = (await liquidateLogs(from)).map((l) => `${l.ilk}|${l.owner}`.toLowerCase());
    expect(new Set(got)).toEqual(expected);
    expect(got.length).toBe(expected.size); // no double liquidation
    for (const r of k.kicker?.kicks ?? []) expect(r.latencyBlocks).toBeLessThanOrEqual(2n);
    // Three unsafe ETH-A vaults went in one liquidateMany.
    const ethKicks = (k.kicker?.kicks ?? []).filter((r) => r.ilk === eth().id);
    expect(new Set(ethKicks.map((r) => r.hash)).size).toBe(1);
    const sent = await k.metrics.registry.getSingleMetricAsString('gavel_keeper_tx_mined_total');
    expect(sent).toMatch(/kind="kick"} 2/);
    console.info(`kick: ${expected.size} vaults in ${k.kicker?.sent} txs, ${ms} ms from price drop to indexed liquidation`);
    await k.stop(0);
  }, 40_000);

  it('takes an auction once it is profitable and not before', async () => {
    await ensureBidder(sys);
    const ids = await listAuctions(wbtc());
    expect(ids.length).toBe(1);
    const id = ids[0] as bigint;
    // The reference is the new market price: auctions start at 120% of it and decay 0.001%/s,
    // so price <= 98% of the reference after ~5.6 h.
    const ref = wbtc().price;
    const refStr = (ref / WAD).toString();
    const k = await keeper({ keys: [keyOf(0), keyOf(sys.bidderIndex), keyOf(0)], kick: false, cfg: { reference: 'config', referencePrices: `WBTC-A=${refStr},ETH-A=1`, minMargin: '0.02' } });
    const pc = sys.node.publicClient;
    const takes = async (): Promise<number> => (await pc.getContractEvents({ address: wbtc().house, abi: collateralAuctionAbi, eventName: 'Take', fromBlock: 0n })).length;
    const advance = async (seconds: number): Promise<void> => {
      await sys.node.testClient.increaseTime({ seconds });
      await sys.node.testClient.mine({ blocks: 1 });
    };
    await advance(19_000);
    const [, price1] = await pc.readContract({ address: wbtc().house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [id] });
    expect(price1 > (ref * 98n) / 100n).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(await takes()).toBe(0);
    expect(k.bidder?.sent).toBe(0);
    await advance(1_500);
    const [, price2] = await pc.readContract({ address: wbtc().house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [id] });
    expect(price2 <= (ref * 98n) / 100n, `price ${price2} ref ${ref} (price1 ${price1})`).toBe(true);
    await waitFor(async () => (await takes()) === 1, 10_000, 'take');
    await waitFor(() => (k.bidder?.takes.length ?? 0) === 1, 5_000, 'take record');
    expect(k.bidder?.takes[0]?.status).toBe('success');
    expect((k.bidder?.takes[0]?.expectedProfit ?? 0n) > 0n).toBe(true);
    expect(await listAuctions(wbtc())).toEqual([]);
    await k.stop(0);
  }, 40_000);

  it('two keepers racing: exactly one wins each take, the loser stays healthy', async () => {
    // Second bidder (account 7) with stablecoin.
    await openVault(sys, 7, eth(), 500_000n, 1_000n);
    const erc20 = readArtifact('MockERC20').abi;
    await send(sys.node, 7, sys.stablecoin, erc20, 'approve', [eth().house, maxUint256]);
    const ids = await listAuctions(eth());
    expect(ids.length).toBe(3);
    const ref = (eth().price / WAD).toString();
    const cfg = { reference: 'config', referencePrices: `ETH-A=${ref}`, minMargin: '0.02' };
    const pc = sys.node.publicClient;
    const startBlock = await pc.getBlockNumber();
    // The auctions are already profitable (the previous test advanced time). Hold blocks: both
    // keepers index the same head and go for the same auctions; then one block decides.
    await sys.node.testClient.setAutomine(false);
    const a = await keeper({ keys: [keyOf(0), keyOf(sys.bidderIndex), keyOf(0)], kick: false, cfg });
    const b = await keeper({ keys: [keyOf(0), keyOf(7), keyOf(0)], kick: false, cfg });
    // Each keeper either sends a take for every auction or its simulation already sees the other's
    // pending take (anvil simulates against the pending block) and drops the auction.
    const settled = (k: Keeper): boolean => (k.bidder?.sent ?? 0) + (k.bidder?.lostRaces ?? 0) >= ids.length;
    await waitFor(() => settled(a) && settled(b), 10_000, 'both keepers sent or dropped every take').finally(async () => {
      await sys.node.testClient.setAutomine(true);
    });
    await sys.node.testClient.mine({ blocks: 1 });
    await waitFor(() => (a.bidder?.takes.length ?? 0) + (b.bidder?.takes.length ?? 0) >= (a.bidder?.sent ?? 0) + (b.bidder?.sent ?? 0), 10_000, 'outcomes');
    // A few more blocks: the loser must not retry into reverts.
    for (let i = 0; i < 5; i++) {
      await sys.node.testClient.mine({ blocks: 1 });
      await new Promise((r) => setTimeout(r, 60));
    }
    const takeLogs = await pc.getContractEvents({ address: eth().house, abi: collateralAuctionAbi, eventName: 'Take', fromBlock: startBlock });
    // Exactly one take per auction, and every auction is gone.
    expect(takeLogs.map((l) => l.args.id).sort()).toEqual([...ids].sort());
    expect(await listAuctions(eth())).toEqual([]);
    const all = [...(a.bidder?.takes ?? []), ...(b.bidder?.takes ?? [])];
    expect(all.filter((t) => t.status === 'success').length).toBe(ids.length);
    // Per keeper and auction: at most one failing transaction, no retries after it.
    for (const k of [a, b]) {
      const perAuction = new Map<string, number>();
      for (const t of k.bidder?.takes ?? []) if (t.status !== 'success') perAuction.set(t.key, (perAuction.get(t.key) ?? 0) + 1);
      for (const n of perAuction.values()) expect(n).toBeLessThanOrEqual(1);
      expect(k.bidder?.sent ?? 0).toBeLessThanOrEqual(ids.length);
    }
    const failing = all.filter((t) => t.status !== 'success').length;
    const loser = (a.bidder?.takes.filter((t) => t.status === 'success').length ?? 0) >= (b.bidder?.takes.filter((t) => t.status === 'success').length ?? 0) ? b : a;
    // Still healthy: indexing, and its auction view is empty.
    const head = await pc.getBlockNumber();
    await waitFor(() => loser.indexer.processed >= head, 5_000, 'loser indexing');
    expect(loser.indexer.model.liveAuctions(eth().house)).toEqual([]);
    // The loser knows it has a rival (the winner's Take logs, or its pending take beating ours in
    // simulation): its take jitter is on from now.
    expect(loser.bidder?.rivalSeenBlock).toBeDefined();
    expect((loser.bidder?.rivalSeenBlock ?? 0n) >= startBlock).toBe(true);
    // The reverted take (if any) was mined: both in the same block, the first one won.
    const receipts = await Promise.all(all.map((t) => pc.getTransactionReceipt({ hash: t.hash })));
    const parsed = receipts.flatMap((r) => parseEventLogs({ abi: collateralAuctionAbi, logs: r.logs, eventName: 'Take' }));
    expect(parsed.length).toBe(ids.length);
    const sentAfter = (a.bidder?.sent ?? 0) + (b.bidder?.sent ?? 0);
    for (let i = 0; i < 3; i++) await sys.node.testClient.mine({ blocks: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect((a.bidder?.sent ?? 0) + (b.bidder?.sent ?? 0)).toBe(sentAfter);
    console.info(`race: ${all.length} takes sent, winner 1, loser sent ${loser.bidder?.sent ?? 0} (${failing} reverted), lost races seen ${loser.bidder?.lostRaces ?? 0}`);
  }, 40_000);
});
