// Insurance-fund takeovers by the keeper against a real anvil (test/fixture.ts): an auction whose
// price fell below its floor with no profitable take is taken over (reward to the settle account,
// auction ended, no redo); an auction past its first tail is redone, and past its tail again taken
// over; an auction with a profitable take is taken, never taken over.
//
// Fixture tier (every ilk): exponential decay 0.999 99/s, tail 6 h, floor 40 % of top, start at
// 120 % of the mark: past the tail at 21,600 s (price ≈ 0.806 top, above the floor), below the
// floor after ≈ 91,630 s.

import { collateralAuctionAbi, floorPrice, insuranceFundAbi, liquidationEngineAbi, stablecoinAbi, tierPrice } from '@gavel/sdk';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { type Address, type Hex, bytesToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auctionStatusOf } from '../src/bid/bidder.ts';
import { Indexer } from '../src/index/indexer.ts';
import { auctionKey } from '../src/index/model.ts';
import { RpcPool } from '../src/rpc/pool.ts';
import { Keeper } from '../src/keeper.ts';
import { type IlkFixture, type System, deploySystem, ensureBidder, openVault, send, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

const WAD = 10n ** 18n;
const TIP = 50n * WAD;
/** The keeper's lanes: kick (unused), take (the funded bidder), settle (redo/takeover rewards). */
const SETTLE = 7;

let sys: System;
const keepers: Keeper[] = [];
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });
const eth = (): IlkFixture => sys.ilks[2] as IlkFixture;

function keyOf(i: number): Hex {
  const k = sys.node.accounts[i]?.getHdKey().privateKey;
  if (!k) throw new Error(`no key ${i}`);
  return bytesToHex(k);
}

function addr(i: number): Address {
  const a = sys.node.accounts[i]?.address;
  if (!a) throw new Error(`no account ${i}`);
  return a;
}

async function startKeeper(referencePrice: string, logger = log): Promise<Keeper> {
  const config = testConfig(sys, {
    reference: 'config',
    referencePrices: `ETH-A=${referencePrice}`,
    minMargin: '0.02',
  });
  const k = new Keeper({ config, deployment: sys.deployment, keys: [keyOf(0), keyOf(sys.bidderIndex), keyOf(SETTLE)], logger, kick: false, noCheckpoint: true, bidTickMs: 100, senderPollMs: 25 });
  keepers.push(k);
  await k.start();
  return k;
}

async function advance(seconds: number): Promise<void> {
  await sys.node.testClient.increaseTime({ seconds });
  await sys.node.testClient.mine({ blocks: 1 });
}

/** Opens an ETH-A vault for `actor`, drops the price 15 % and liquidates it by hand; returns the auction id. */
async function auctionFor(actor: number): Promise<bigint> {
  const pc = sys.node.publicClient;
  expect(await openVault(sys, actor, eth(), 1_000n, 105n)).toBe(true);
  const before = new Set(await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' }));
  await setPrice(sys, eth(), (eth().price * 85n) / 100n);
  await send(sys.node, 0, sys.dog, liquidationEngineAbi, 'liquidate', [eth().id, addr(actor), addr(0)]);
  const ids = (await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' })).filter((i) => !before.has(i));
  expect(ids.length).toBe(1);
  return ids[0] as bigint;
}

async function events(name: 'Takeover' | 'Redo' | 'Take', id: bigint, fromBlock: bigint): Promise<{ args: Record<string, unknown> }[]> {
  const logs = await sys.node.publicClient.getContractEvents({ address: eth().house, abi: collateralAuctionAbi, eventName: name, fromBlock });
  return logs.filter((l) => l.args.id === id);
}

const balance = (who: Address): Promise<bigint> => sys.node.publicClient.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [who] });

beforeAll(async () => {
  sys = await deploySystem();
  // The insurance fund backs the ETH-A house: takeover role, a 50 % cap, 200,000 gUSD of assets;
  // the house pays a 50 gUSD takeover tip.
  await ensureBidder(sys);
  const fund = sys.deployment.fund;
  if (!fund) throw new Error('fixture has no fund');
  await send(sys.node, 0, fund, insuranceFundAbi, 'grantRoles', [eth().house, 2n]);
  await send(sys.node, 0, fund, insuranceFundAbi, 'setTakeoverCap', [eth().house, 5_000n]);
  await send(sys.node, 0, eth().house, collateralAuctionAbi, 'setTakeoverTip', [TIP]);
  await send(sys.node, sys.bidderIndex, sys.stablecoin, stablecoinAbi, 'approve', [fund, 200_000n * WAD]);
  await send(sys.node, sys.bidderIndex, fund, insuranceFundAbi, 'deposit', [200_000n * WAD, addr(sys.bidderIndex)]);
}, 90_000);

afterAll(async () => {
  for (const k of keepers) await k.stop(0).catch(() => undefined);
  await sys.node.stop();
});

describe('keeper takeovers on anvil', () => {
  it('an auction below its floor that no take pays for is taken over: reward paid, auction ended, no redo', async () => {
    const pc = sys.node.publicClient;
    const id = await auctionFor(1);
    const from = await pc.getBlockNumber();
    // Reference 1 gUSD per ETH: no take is ever profitable.
    const k = await startKeeper('1');
    const fund = sys.deployment.fund as Address;
    const fundEthBefore = await pc.readContract({ address: eth().token, abi: stablecoinAbi, functionName: 'balanceOf', args: [fund] });
    const rewardBefore = await balance(addr(SETTLE));
    // Not eligible yet: nothing is sent.
    await new Promise((r) => setTimeout(r, 400));
    expect(k.bidder?.takeovers.sent).toBe(0);
    await advance(92_000);
    const [needsRedo, price] = await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [id] });
    const sale = await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
    expect(needsRedo).toBe(true);
    expect(price < (sale.top * 4n) / 10n, `price ${price} below the floor of top ${sale.top}`).toBe(true);
    await waitFor(async () => (await events('Takeover', id, from)).length === 1, 15_000, 'Takeover event');
    const key = auctionKey(eth().house, id);
    await waitFor(() => (k.bidder?.takeovers.records ?? []).some((r) => r.key === key), 5_000, 'takeover record');
    const ev = (await events('Takeover', id, from))[0]?.args;
    expect(ev?.trigger).toBe(addr(SETTLE));
    expect(ev?.reward).toBe(TIP);
    const rec = k.bidder?.takeovers.records.find((r) => r.key === key);
    expect(rec?.status).toBe('success');
    expect(rec?.reward).toBe(TIP);
    // The reward arrived, the fund holds the collateral, the auction ended, the index agrees.
    expect((await balance(addr(SETTLE))) - rewardBefore).toBe(TIP);
    const fundEthAfter = await pc.readContract({ address: eth().token, abi: stablecoinAbi, functionName: 'balanceOf', args: [fund] });
    expect(fundEthAfter - fundEthBefore).toBe(ev?.collateralOut);
    expect(await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' })).not.toContain(id);
    await waitFor(() => k.indexer.model.liveAuctions(eth().house).every((a) => a.id !== id), 5_000, 'index closed the auction');
    // Takeover first: never redone, never taken; and nothing more is sent afterwards.
    expect(await events('Redo', id, from)).toEqual([]);
    expect(k.bidder?.sent).toBe(0);
    for (let i = 0; i < 3; i++) await advance(60);
    await new Promise((r) => setTimeout(r, 300));
    expect(k.bidder?.takeovers.sent).toBe(1);
    await k.stop(0);
  }, 60_000);

  it('past its first tail (above the floor) the auction is redone; past its tail again it is taken over', async () => {
    const pc = sys.node.publicClient;
    const id = await auctionFor(2);
    const from = await pc.getBlockNumber();
    const k = await startKeeper('1');
    await advance(21_700);
    await waitFor(async () => (await events('Redo', id, from)).length === 1, 15_000, 'Redo event');
    // The redo alone: the first tail does not allow a takeover.
    expect(await events('Takeover', id, from)).toEqual([]);
    expect(k.bidder?.takeovers.sent).toBe(0);
    await advance(21_700);
    await waitFor(async () => (await events('Takeover', id, from)).length === 1, 15_000, 'Takeover event');
    expect((await events('Takeover', id, from))[0]?.args.trigger).toBe(addr(SETTLE));
    expect(await events('Redo', id, from)).toHaveLength(1);
    expect(await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' })).not.toContain(id);
    await k.stop(0);
  }, 60_000);

  it('an auction with a profitable take is taken, not taken over', async () => {
    const pc = sys.node.publicClient;
    const id = await auctionFor(3);
    const from = await pc.getBlockNumber();
    // Reference: the market (the new mark); price ≤ 98 % of it after ≈ 20,250 s, tail at 21,600 s.
    const k = await startKeeper((eth().price / WAD).toString());
    await advance(20_800);
    await waitFor(async () => (await events('Take', id, from)).length >= 1, 15_000, 'Take event');
    await waitFor(() => (k.bidder?.takes.length ?? 0) >= 1, 5_000, 'take record');
    expect(k.bidder?.takes[0]?.status).toBe('success');
    expect(await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' })).not.toContain(id);
    // Later the floor would have been reached: nothing left to take over.
    await advance(92_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(await events('Takeover', id, from)).toEqual([]);
    expect(k.bidder?.takeovers.sent).toBe(0);
    await k.stop(0);
  }, 60_000);

  it('when the fund cap refuses the takeover (error decoded in the log) the keeper redoes instead, without retrying', async () => {
    const pc = sys.node.publicClient;
    const fund = sys.deployment.fund as Address;
    // 1 bp of 200,000 gUSD = 20 gUSD: less than the auction's debt.
    await send(sys.node, 0, fund, insuranceFundAbi, 'setTakeoverCap', [eth().house, 1n]);
    try {
      const id = await auctionFor(5);
      const from = await pc.getBlockNumber();
      const lines: { msg?: string; why?: string }[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          for (const l of chunk.toString().split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as { msg?: string });
          cb();
        },
      });
      const k = await startKeeper('1', pino({ level: 'info' }, sink));
      await advance(92_000);
      await waitFor(async () => (await events('Redo', id, from)).length === 1, 15_000, 'Redo event');
      const refused = lines.filter((l) => l.msg === 'takeover not sent: backing off');
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]?.why).toMatch(/^reverted: TakeoverExceedsCap\(0x[0-9a-fA-F]{40}, \d+, \d+\)$/);
      // A few more blocks: the redone auction is above its floor again; nothing is retried.
      for (let i = 0; i < 3; i++) await advance(10);
      await new Promise((r) => setTimeout(r, 300));
      expect(await events('Takeover', id, from)).toEqual([]);
      expect(await events('Redo', id, from)).toHaveLength(1);
      expect(k.bidder?.takeovers.sent).toBe(0);
      expect(lines.filter((l) => l.msg === 'takeover not sent: backing off')).toHaveLength(refused.length);
      await k.stop(0);
    } finally {
      await send(sys.node, 0, fund, insuranceFundAbi, 'setTakeoverCap', [eth().house, 5_000n]);
    }
  }, 60_000);

  it('local redo and takeover eligibility agree with the contract at the tail and floor boundaries', async () => {
    const pc = sys.node.publicClient;
    const id = await auctionFor(4);
    const ix = new Indexer({ deployment: sys.deployment, chainId: sys.node.chain.id, pool: new RpcPool([sys.node.rpcUrl], { staleHeadMs: 60_000 }) });
    await ix.syncOnce();
    await ix.stop();
    const a = ix.model.auctions.get(auctionKey(eth().house, id));
    const tier = a?.tier;
    if (!a || !tier) throw new Error('auction not indexed');
    // First age whose price is below the floor (binary search on the SDK's tier curve).
    const floor = floorPrice(tier, a.top);
    let lo = 0n;
    let hi = 200_000n;
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (tierPrice(tier, a.top, mid) < floor) hi = mid;
      else lo = mid;
    }
    const tail = BigInt(tier.tailSeconds);
    const ages = [60n, tail, tail + 1n, hi - 1n, hi, hi + 1n];
    const snap = await sys.node.testClient.snapshot();
    try {
      for (const age of ages) {
        await sys.node.testClient.setNextBlockTimestamp({ timestamp: a.startedAt + age });
        await sys.node.testClient.mine({ blocks: 1 });
        const blockNumber = await pc.getBlockNumber();
        const [needsRedo] = await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [id], blockNumber });
        const allowed = await pc
          .simulateContract({ account: addr(SETTLE), address: eth().house, abi: collateralAuctionAbi, functionName: 'takeover', args: [id, addr(SETTLE)], blockNumber })
          .then(
            () => true,
            () => false,
          );
        const local = auctionStatusOf(a, a.startedAt + age);
        expect({ age, needsRedo: local?.needsRedo, takeover: local?.takeoverDue }).toEqual({ age, needsRedo, takeover: allowed });
      }
    } finally {
      await sys.node.testClient.revert({ id: snap });
    }
    // The boundaries were crossed both ways.
    expect(auctionStatusOf(a, a.startedAt + hi - 1n)?.takeoverDue).toBe(false);
    expect(auctionStatusOf(a, a.startedAt + hi)?.takeoverDue).toBe(true);
  }, 60_000);
});
