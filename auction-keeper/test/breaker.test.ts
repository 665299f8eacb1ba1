// Breaker levels on the take side (anvil): while a house's level forbids takes (TakesPaused) the
// keeper never even simulates a take, redo or takeover there, and takes once the level is lowered;
// while it forbids redos (NoRedo) a due redo is never tried, and it is sent once the level is
// Normal again. Judged from the keeper's preparations and the chain's Take / Redo logs.

import { BreakerLevel, collateralAuctionAbi, liquidationEngineAbi } from '@gavel/sdk';
import { pino } from 'pino';
import { type Address, type Hex, bytesToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { type IlkFixture, type System, deploySystem, ensureBidder, openVault, send, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

const WAD = 10n ** 18n;
/** Auctions start at 120% of the mark and lose 0.001%/s: at 98% of it (profitable at a 2% margin) after about 20,250 s. */
const PROFITABLE_AFTER_S = 20_500;
/** The fixture tier's tail: a redo is due after it. */
const TAIL_S = 6 * 3600;

let sys: System;
let keeper: Keeper | undefined;
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });
const wbtc = (): IlkFixture => sys.ilks[1] as IlkFixture;
const eth = (): IlkFixture => sys.ilks[2] as IlkFixture;

function keyOf(i: number): Hex {
  const k = sys.node.accounts[i]?.getHdKey().privateKey;
  if (!k) throw new Error(`no key ${i}`);
  return bytesToHex(k);
}

async function events(house: Address, eventName: 'Take' | 'Redo'): Promise<number> {
  return (await sys.node.publicClient.getContractEvents({ address: house, abi: collateralAuctionAbi, eventName, fromBlock: 0n })).length;
}

async function advance(seconds: number): Promise<void> {
  await sys.node.testClient.increaseTime({ seconds });
  await sys.node.testClient.mine({ blocks: 1 });
}

/** Mines `n` blocks and waits until the keeper has processed them (and a bid pass has run). */
async function blocksPass(k: Keeper, n: number): Promise<void> {
  const seen = k.indexer.processed;
  await sys.node.testClient.mine({ blocks: n });
  await waitFor(() => k.indexer.processed >= seen + BigInt(n), 15_000, `${n} blocks processed`);
  await new Promise((r) => setTimeout(r, 600));
}

beforeAll(async () => {
  sys = await deploySystem();
  const owner = sys.node.accounts[1]?.address as Address;
  for (const ilk of [wbtc(), eth()]) {
    expect(await openVault(sys, 1, ilk, 2_000n, 104n)).toBe(true);
    await setPrice(sys, ilk, (ilk.price * 85n) / 100n);
    await send(sys.node, 0, sys.dog, liquidationEngineAbi, 'liquidate', [ilk.id, owner, sys.node.accounts[0]?.address]);
  }
  await ensureBidder(sys);
}, 90_000);

afterAll(async () => {
  await keeper?.stop(0);
  await sys.node.stop();
});

describe('breaker levels on the take side', () => {
  it('TakesPaused: no take, redo or takeover tried; NoRedo: takes resume, a due redo is not tried; Normal: the redo is sent', async () => {
    for (const ilk of [wbtc(), eth()]) await send(sys.node, 0, ilk.house, collateralAuctionAbi, 'setBreakerLevel', [BreakerLevel.TakesPaused]);
    const ref = (i: IlkFixture): string => (i.price / WAD).toString();
    const config = testConfig(sys, {
      reference: 'config',
      referencePrices: `WBTC-A=${ref(wbtc())},ETH-A=${ref(eth())}`,
      minMargin: '0.02',
      takeJitterMs: '0',
    });
    const k = new Keeper({ config, deployment: sys.deployment, keys: [keyOf(0), keyOf(sys.bidderIndex), keyOf(0)], logger: log, noCheckpoint: true, kick: false, bidTickMs: 100, senderPollMs: 25 });
    keeper = k;
    // Every take / redo / takeover the keeper even simulates, per house.
    const tried: { fn: string; house: string }[] = [];
    const prepare = k.sender.prepare.bind(k.sender);
    k.sender.prepare = (lane, kind, call, opts) => {
      if (['take', 'redo', 'takeover'].includes(call.functionName)) tried.push({ fn: call.functionName, house: call.address.toLowerCase() });
      return prepare(lane, kind, call, opts);
    };
    await k.start();
    const triedAt = (house: Address, fn: string): number => tried.filter((t) => t.house === house.toLowerCase() && t.fn === fn).length;

    // 1. Both auctions profitable, both houses at TakesPaused: nothing is tried.
    await advance(PROFITABLE_AFTER_S);
    await blocksPass(k, 3);
    expect(tried).toEqual([]);
    expect(await events(wbtc().house, 'Take')).toBe(0);
    expect(await events(eth().house, 'Take')).toBe(0);

    // 2. WBTC lowered to NoRedo (takes allowed): taken.
    await send(sys.node, 0, wbtc().house, collateralAuctionAbi, 'setBreakerLevel', [BreakerLevel.NoRedo]);
    await waitFor(async () => (await events(wbtc().house, 'Take')) === 1, 15_000, 'the WBTC take once takes are allowed');

    // 3. ETH past its tail (a redo is due, no take possible) at NoRedo: no redo or takeover tried.
    await advance(TAIL_S - PROFITABLE_AFTER_S + 60);
    await send(sys.node, 0, eth().house, collateralAuctionAbi, 'setBreakerLevel', [BreakerLevel.NoRedo]);
    await blocksPass(k, 3);
    const [needsRedo] = await sys.node.publicClient.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [(await sys.node.publicClient.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' }))[0] ?? 0n] });
    expect(needsRedo).toBe(true);
    expect(triedAt(eth().house, 'redo')).toBe(0);
    expect(triedAt(eth().house, 'takeover')).toBe(0);
    expect(triedAt(eth().house, 'take')).toBe(0);
    expect(await events(eth().house, 'Redo')).toBe(0);

    // 4. ETH back to Normal: the redo is sent and mined.
    await send(sys.node, 0, eth().house, collateralAuctionAbi, 'setBreakerLevel', [BreakerLevel.Normal]);
    await waitFor(async () => (await events(eth().house, 'Redo')) === 1, 15_000, 'the ETH redo once redos are allowed');
    expect(triedAt(eth().house, 'redo')).toBeGreaterThanOrEqual(1);
    await k.stop(0);
    keeper = undefined;
  }, 90_000);
});
