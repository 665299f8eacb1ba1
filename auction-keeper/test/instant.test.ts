// Tier 1 end to end on anvil: the keeper liquidates a small vault whose tier starts below the mark and
// buys its whole auction in the same transaction through the flash taker's liquidateAndTake (zero
// capital, no auction left behind); a large vault (another tier) and a small vault for which the
// instant take does not pay (its DEX pool crashed below the tier's start price) are kicked in
// batches as usual. Judged from the chain: events, the houses' live auctions, vaults and balances.

import { RAY, WAD, collateralAuctionAbi, iUniswapV2Router02Abi, liquidationEngineAbi, stablecoinAbi, uniswapV2FlashTakerAbi, vaultEngineAbi } from '@gavel/sdk';
import { readArtifact } from '@gavel/contracts/testing';
import { pino } from 'pino';
import { type Address, maxUint256, parseEventLogs } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { type Dex, deployDex, dexQuote } from './dex.ts';
import { type IlkFixture, type System, deploySystem, keyOf, openVault, send, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

/** Tier 1: tabs up to 5,000 gUSD start 3 % below the mark. */
const TIER1_MAX_TAB = 5_000n * WAD;
const TIER1 = { kind: 3, cutRay: (99_999n * RAY) / 100_000n, periodSeconds: 0, tailSeconds: 6 * 3600, floorWad: (4n * WAD) / 10n, startPremiumBps: 9_700 };
const KEEPER_INDEX = 7;

let sys: System;
let dex: Dex;
let keeper: Keeper | undefined;
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });
const ilk = (name: string): IlkFixture => sys.ilks.find((i) => i.name === name) as IlkFixture;
const actor = (i: number): Address => sys.actors[i] as Address;

/** Adds tier 1 below the fixture's tier 0 (tier ids: 0 the fixture's, 1 this one). */
async function addTier1(house: Address): Promise<void> {
  await send(sys.node, 0, house, collateralAuctionAbi, 'addTier', [TIER1]);
  await send(sys.node, 0, house, collateralAuctionAbi, 'setTiers', [
    [1n, 0n],
    [TIER1_MAX_TAB, maxUint256],
  ]);
}

beforeAll(async () => {
  sys = await deploySystem();
  dex = await deployDex(sys);
  const eth = ilk('ETH-A');
  const wbtc = ilk('WBTC-A');
  await addTier1(eth.house);
  await addTier1(wbtc.house);
  // ETH-A: a small vault (tab ≈ 2,260: tier 1) and a large one (tab ≈ 22,600: tier 0).
  expect(await openVault(sys, 1, eth, 2_000n, 105n)).toBe(true);
  expect(await openVault(sys, 2, eth, 20_000n, 105n)).toBe(true);
  // WBTC-A: a small vault whose pool is about to crash.
  expect(await openVault(sys, 3, wbtc, 2_000n, 105n)).toBe(true);
  // The WBTC pool falls about 30 % (someone dumps WBTC into it): selling a lot there no longer
  // covers a start price 3 % below a mark that fell only 10 %.
  const gov = sys.node.accounts[0]?.address as Address;
  const dump = 10n ** 8n * 10n;
  const erc20 = readArtifact('MockERC20').abi;
  await send(sys.node, 0, wbtc.token, erc20, 'mint', [gov, dump]);
  await send(sys.node, 0, wbtc.token, erc20, 'approve', [dex.router, maxUint256]);
  const now = (await sys.node.publicClient.getBlock()).timestamp;
  await send(sys.node, 0, dex.router, iUniswapV2Router02Abi, 'swapExactTokensForTokens', [dump, 0n, [wbtc.token, sys.stablecoin], gov, now + 3600n]);
  expect(await dexQuote(sys, dex, wbtc, 10n ** 8n)).toBeLessThan((wbtc.price * 75n) / 100n);
}, 120_000);

afterAll(async () => {
  await keeper?.stop(0).catch(() => undefined);
  await sys.node.stop();
});

describe('tier 1: liquidate and sell in one transaction (flash taker liquidateAndTake)', () => {
  it('clears a small vault at once when it pays, and kicks the others (large tab, unprofitable pool) in batches', async () => {
    const pc = sys.node.publicClient;
    const eth = ilk('ETH-A');
    const wbtc = ilk('WBTC-A');
    const me = sys.node.accounts[KEEPER_INDEX]?.address as Address;
    const from = (await pc.getBlockNumber()) + 1n;
    const config = testConfig(sys, { reference: 'dex', dexRouter: dex.router, capital: 'flash', nativePrice: '3000' });
    expect(config.instantTake).toBe(true);
    keeper = new Keeper({ config, deployment: dex.deployment, keys: [keyOf(sys, KEEPER_INDEX)], logger: log, noCheckpoint: true, bid: false, senderPollMs: 25 });
    await keeper.start();
    // ETH's mark falls 15 % while its pool stays at 2,000; WBTC's mark falls 10 % (pool already 30 % down).
    await setPrice(sys, eth, (eth.price * 85n) / 100n);
    await setPrice(sys, wbtc, (wbtc.price * 90n) / 100n);
    const liquidations = async () => pc.getContractEvents({ address: sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: from });
    await waitFor(async () => (await liquidations()).length === 3, 20_000, 'three liquidations');
    await waitFor(() => (keeper?.kicker?.instants.length ?? 0) === 1, 5_000, 'instant record');

    const flash = await pc.getContractEvents({ address: dex.flashTaker, abi: uniswapV2FlashTakerAbi, eventName: 'FlashLiquidateAndTake', fromBlock: from });
    expect(flash.map((e) => e.args.owner?.toLowerCase())).toEqual([actor(0).toLowerCase()]);
    const ev = flash[0];
    if (!ev) throw new Error('no FlashLiquidateAndTake');
    expect(ev.args.bidder?.toLowerCase()).toBe(me.toLowerCase());
    const receipt = await pc.getTransactionReceipt({ hash: ev.transactionHash });
    expect(receipt.from.toLowerCase()).toBe(me.toLowerCase());
    // The same transaction liquidated the vault and bought its auction: nothing left in ETH-A's house but the large vault's auction.
    const [liq] = parseEventLogs({ abi: liquidationEngineAbi, logs: receipt.logs, eventName: 'Liquidate' });
    expect(liq?.args.owner.toLowerCase()).toBe(actor(0).toLowerCase());
    expect(liq?.args.tab ?? 0n).toBeLessThanOrEqual(TIER1_MAX_TAB);
    const [take] = parseEventLogs({ abi: collateralAuctionAbi, logs: receipt.logs, eventName: 'Take' });
    expect(take?.args.id).toBe(liq?.args.auctionId);
    const ethLive = await pc.readContract({ address: eth.house, abi: collateralAuctionAbi, functionName: 'list' });
    expect(ethLive.length).toBe(1);
    const bigSale = await pc.readContract({ address: eth.house, abi: collateralAuctionAbi, functionName: 'sale', args: [ethLive[0] as bigint] });
    expect(bigSale.owner.toLowerCase()).toBe(actor(1).toLowerCase());
    expect(bigSale.tab).toBeGreaterThan(TIER1_MAX_TAB);
    const [, smallDebt] = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'vault', args: [eth.id, actor(0)] });
    expect(smallDebt).toBe(0n);
    // WBTC's small vault: liquidate-and-take would not pay there, so it was kicked and its auction is live.
    const wbtcLive = await pc.readContract({ address: wbtc.house, abi: collateralAuctionAbi, functionName: 'list' });
    expect(wbtcLive.length).toBe(1);
    const wbtcSale = await pc.readContract({ address: wbtc.house, abi: collateralAuctionAbi, functionName: 'sale', args: [wbtcLive[0] as bigint] });
    expect(wbtcSale.owner.toLowerCase()).toBe(actor(2).toLowerCase());
    // Zero capital: the keeper's gUSD is exactly the instant profit plus the two kicks' incentives, and it covers the instant's gas.
    const incentives = (await liquidations()).filter((e) => e.transactionHash !== ev.transactionHash).reduce((a, e) => a + (e.args.incentive ?? 0n), 0n);
    const gusd = await pc.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [me] });
    expect(gusd).toBe((ev.args.profit ?? 0n) + incentives);
    const gasGusd = receipt.gasUsed * receipt.effectiveGasPrice * 3000n;
    expect((ev.args.profit ?? 0n) > gasGusd, `profit ${ev.args.profit} vs gas ${gasGusd}`).toBe(true);
    expect(keeper.kicker?.instants[0]?.profit).toBe(ev.args.profit);
    // No reverted transaction from the keeper's account.
    const blocks = await Promise.all(Array.from({ length: Number((await pc.getBlockNumber()) - from + 1n) }, (_, i) => pc.getBlock({ blockNumber: from + BigInt(i), includeTransactions: true })));
    const mine = blocks.flatMap((b) => b.transactions).filter((t) => t.from.toLowerCase() === me.toLowerCase());
    const statuses = await Promise.all(mine.map(async (t) => (await pc.getTransactionReceipt({ hash: t.hash })).status));
    expect(statuses.every((s) => s === 'success'), statuses.join(',')).toBe(true);
    console.info(`tier 1: liquidateAndTake gas ${receipt.gasUsed}, profit ${Number(ev.args.profit ?? 0n) / 1e18} gUSD, sold ${ev.args.collateralSold} wei for ${Number(ev.args.owe ?? 0n) / 1e18} gUSD`);
  }, 60_000);
});
