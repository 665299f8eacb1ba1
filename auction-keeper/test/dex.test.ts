// Bidding against a real Uniswap V2 on anvil (test/dex.ts): with `reference: dex` the keeper takes
// only once the auction price is at most the router's quote for the lot × (1 − minMargin), and the
// take pays after gas; with `capital: flash` a keeper that holds no gUSD at all takes through the
// UniswapV2FlashTaker and ends with a profit.

import { RAY, WAD, collateralAuctionAbi, curvePrice, iUniswapV2Router02Abi, liquidationEngineAbi, stablecoinAbi, uniswapV2FlashTakerAbi } from '@gavel/sdk';
import { readArtifact } from '@gavel/contracts/testing';
import { pino } from 'pino';
import { type Address, type Hex, bytesToHex, maxUint256, parseEventLogs, parseGwei } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { type Dex, deployDex, dexQuote } from './dex.ts';
import { type IlkFixture, type System, deploySystem, ensureBidder, openVault, send, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

/** The fixture's only tier: exponential decrease, 0.001% a second. */
const CURVE = { kind: 'ExponentialDecrease', cut: (99_999n * RAY) / 100_000n } as const;
const MARGIN_BPS = 200n; // minMargin 0.02
const NATIVE_PRICE = 3_000n; // gUSD per ETH (nativePrice)

let sys: System;
let dex: Dex;
const keepers: Keeper[] = [];
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });

function keyOf(i: number): Hex {
  const k = sys.node.accounts[i]?.getHdKey().privateKey;
  if (!k) throw new Error(`no key ${i}`);
  return bytesToHex(k);
}

/** `routerFrom: 'deployment'` leaves dexRouter unset: the keeper takes the deployment's dex.router. */
async function startKeeper(keys: Hex[], capital: 'own' | 'flash', routerFrom: 'config' | 'deployment' = 'config'): Promise<Keeper> {
  const config = testConfig(sys, {
    reference: 'dex',
    dexRouter: routerFrom === 'config' ? dex.router : undefined,
    minMargin: '0.02',
    nativePrice: NATIVE_PRICE.toString(),
    capital,
  });
  const k = new Keeper({ config, deployment: dex.deployment, keys, logger: log, noCheckpoint: true, kick: false, bidTickMs: 100, senderPollMs: 25 });
  keepers.push(k);
  await k.start();
  return k;
}

const eth = (): IlkFixture => sys.ilks.find((i) => i.name === 'ETH-A') as IlkFixture;

/** Liquidates `owner`'s ETH-A vault by hand (account 0; the incentive to `keeper`, default account 0) and returns the auction id. */
async function auctionOf(owner: Address, keeper?: Address): Promise<bigint> {
  await send(sys.node, 0, sys.dog, liquidationEngineAbi, 'liquidate', [eth().id, owner, keeper ?? sys.node.accounts[0]?.address]);
  const ids = await sys.node.publicClient.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' });
  expect(ids.length).toBe(1);
  return ids[0] as bigint;
}

/** The first second (auction age) at which the curve price is <= `limit`. */
function ageAtOrBelow(top: bigint, limit: bigint): bigint {
  let lo = 0n;
  let hi = 6n * 3600n;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (curvePrice(CURVE, top, mid) <= limit) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

async function mineAt(timestamp: bigint): Promise<void> {
  await sys.node.testClient.setNextBlockTimestamp({ timestamp });
  await sys.node.testClient.mine({ blocks: 1 });
}

async function takes(fromBlock: bigint) {
  return sys.node.publicClient.getContractEvents({ address: eth().house, abi: collateralAuctionAbi, eventName: 'Take', fromBlock });
}

const erc20 = () => readArtifact('MockERC20').abi;

beforeAll(async () => {
  sys = await deploySystem();
  dex = await deployDex(sys);
  // Two ETH-A vaults just above the requirement; the mark then drops 15% while the DEX stays at
  // 2,000: the DEX is worth more than the oracle says, so the DEX reference takes earlier.
  expect(await openVault(sys, 1, eth(), 10_000n, 105n)).toBe(true);
  expect(await openVault(sys, 2, eth(), 8_000n, 105n)).toBe(true);
  await setPrice(sys, eth(), (eth().price * 85n) / 100n);
}, 90_000);

afterAll(async () => {
  for (const k of keepers) await k.stop(0).catch(() => undefined);
  await sys.node.stop();
});

describe('bidding with a Uniswap V2 reference on anvil', () => {
  it('reference dex: takes only once price <= quote × (1 − minMargin), and the take pays after gas', async () => {
    await ensureBidder(sys);
    const bidder = sys.node.accounts[sys.bidderIndex]?.address as Address;
    const id = await auctionOf(sys.actors[0] as Address);
    const pc = sys.node.publicClient;
    const sale = await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
    const quote = await dexQuote(sys, dex, eth(), sale.lot);
    const limit = (((quote * WAD) / sale.lot) * (10_000n - MARGIN_BPS)) / 10_000n;
    // The oracle reference would wait far longer: its limit is below the DEX's.
    const oracleLimit = (eth().price * (10_000n - MARGIN_BPS)) / 10_000n;
    expect(oracleLimit < limit).toBe(true);
    const at = ageAtOrBelow(sale.top, limit);
    const startedAt = BigInt(sale.startedAt);
    const from = (await pc.getBlockNumber()) + 1n;
    const k = await startKeeper([keyOf(0), keyOf(sys.bidderIndex), keyOf(0)], 'own');
    // 300 s before the limit (price ~0.3% above it): nothing is sent.
    await mineAt(startedAt + at - 300n);
    await new Promise((r) => setTimeout(r, 700));
    expect(await takes(from)).toEqual([]);
    expect(k.bidder?.sent).toBe(0);
    const before = {
      gusd: await pc.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [bidder] }),
      eth: (await pc.readContract({ address: eth().token, abi: erc20(), functionName: 'balanceOf', args: [bidder] })) as bigint,
    };
    // At the limit: the keeper takes.
    await mineAt(startedAt + at);
    await waitFor(async () => (await takes(from)).length === 1, 10_000, 'take');
    await waitFor(() => (k.bidder?.takes.length ?? 0) === 1, 5_000, 'take record');
    const [ev] = await takes(from);
    if (!ev) throw new Error('no take');
    expect(ev.args.taker?.toLowerCase()).toBe(bidder.toLowerCase());
    const price = ev.args.price ?? 0n;
    expect(price <= limit, `take price ${price} above the DEX limit ${limit}`).toBe(true);
    expect(price > oracleLimit, 'took at a price the oracle reference would have taken at too: the DEX quote was not used').toBe(true);
    // Realized profit: the collateral received, sold on the DEX right after the take, minus what was
    // paid and the gas (at the configured native price).
    const receipt = await pc.getTransactionReceipt({ hash: ev.transactionHash });
    const gasWei = receipt.gasUsed * receipt.effectiveGasPrice;
    const after = {
      gusd: await pc.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [bidder] }),
      eth: (await pc.readContract({ address: eth().token, abi: erc20(), functionName: 'balanceOf', args: [bidder] })) as bigint,
    };
    const received = after.eth - before.eth;
    const paid = before.gusd - after.gusd;
    expect(received).toBe(ev.args.collateralOut);
    expect(paid).toBe(ev.args.owe);
    const value = await dexQuote(sys, dex, eth(), received, receipt.blockNumber);
    const profit = value - paid - (gasWei * NATIVE_PRICE);
    expect(profit > 0n, `profit after gas ${profit}`).toBe(true);
    expect(k.bidder?.takes[0]?.status).toBe('success');
    expect((k.bidder?.takes[0]?.expectedProfit ?? 0n) > 0n).toBe(true);
    console.info(`dex reference: took at ${price / 10n ** 14n / 10_000n}.${(price / 10n ** 14n) % 10_000n} (DEX limit ${limit / WAD}, oracle limit ${oracleLimit / WAD}), profit after gas ${profit / WAD} gUSD`);
    await k.stop(0);
  }, 60_000);

  it('capital flash: a keeper holding zero gUSD takes through the flash taker and ends with a profit', async () => {
    const pc = sys.node.publicClient;
    // A fresh account: ETH for gas, nothing else.
    const key = generatePrivateKey();
    const me = privateKeyToAccount(key).address;
    await sys.node.testClient.setBalance({ address: me, value: 10n * WAD });
    expect(await pc.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [me] })).toBe(0n);
    const id = await auctionOf(sys.actors[1] as Address);
    const sale = await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
    const quote = await dexQuote(sys, dex, eth(), sale.lot);
    const limit = (((quote * WAD) / sale.lot) * (10_000n - MARGIN_BPS)) / 10_000n;
    const at = ageAtOrBelow(sale.top, limit);
    const startedAt = BigInt(sale.startedAt);
    const from = (await pc.getBlockNumber()) + 1n;
    const ethBefore = await pc.getBalance({ address: me });
    const k = await startKeeper([key], 'flash', 'deployment');
    expect(k.bidder).toBeDefined();
    await mineAt(startedAt + at - 300n);
    await new Promise((r) => setTimeout(r, 700));
    expect(await takes(from)).toEqual([]);
    expect(k.bidder?.sent).toBe(0);
    await mineAt(startedAt + at);
    await waitFor(async () => (await takes(from)).length === 1, 10_000, 'flash take');
    await waitFor(() => (k.bidder?.takes.length ?? 0) === 1, 5_000, 'take record');
    const [ev] = await takes(from);
    if (!ev) throw new Error('no take');
    // The flash taker took (and received) the collateral; the keeper's account sent the transaction.
    expect(ev.args.taker?.toLowerCase()).toBe(dex.flashTaker.toLowerCase());
    expect((ev.args.price ?? 0n) <= limit).toBe(true);
    const receipt = await pc.getTransactionReceipt({ hash: ev.transactionHash });
    expect(receipt.from.toLowerCase()).toBe(me.toLowerCase());
    const [flash] = parseEventLogs({ abi: uniswapV2FlashTakerAbi, logs: receipt.logs, eventName: 'FlashTake' });
    expect(flash?.args.bidder.toLowerCase()).toBe(me.toLowerCase());
    const gusd = await pc.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [me] });
    expect(gusd).toBe(flash?.args.profit);
    const gasWei = ethBefore - (await pc.getBalance({ address: me }));
    expect(gasWei).toBe(receipt.gasUsed * receipt.effectiveGasPrice);
    // Profit after gas, with gas valued at the configured native price.
    expect(gusd > gasWei * NATIVE_PRICE, `profit ${gusd} vs gas ${gasWei * NATIVE_PRICE}`).toBe(true);
    expect(await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'list' })).toEqual([]);
    expect(k.bidder?.takes[0]?.status).toBe('success');
    console.info(`flash: zero-capital take, profit ${gusd / WAD} gUSD, gas ${gasWei} wei`);
    await k.stop(0);
  }, 60_000);

  it('capital flash: a take reverted by a swap ahead of it is no sign of a rival', async () => {
    const pc = sys.node.publicClient;
    // A third vault, then a 10% drop makes it unsafe (the first two are gone).
    expect(await openVault(sys, 3, eth(), 8_000n, 105n)).toBe(true);
    await setPrice(sys, eth(), (eth().price * 90n) / 100n);
    // The keeper's own kick (its address in the Kick log): nobody else acts on this auction.
    const key = generatePrivateKey();
    await sys.node.testClient.setBalance({ address: privateKeyToAccount(key).address, value: 10n * WAD });
    const id = await auctionOf(sys.actors[2] as Address, privateKeyToAccount(key).address);
    const sale = await pc.readContract({ address: eth().house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
    const quote = await dexQuote(sys, dex, eth(), sale.lot);
    const at = ageAtOrBelow(sale.top, (((quote * WAD) / sale.lot) * (10_000n - MARGIN_BPS)) / 10_000n);
    // Someone who is not a keeper will dump 10% of the pool's ETH (account 0 approved the router).
    const gov = sys.node.walletFor(0);
    const dump = ((await pc.readContract({ address: eth().token, abi: erc20(), functionName: 'balanceOf', args: [dex.pairs.get('ETH-A') as Address] })) as bigint) / 10n;
    await send(sys.node, 0, eth().token, erc20(), 'mint', [gov.account.address, dump]);
    const k = await startKeeper([key], 'flash', 'deployment');
    // The earlier tests' kicks and takes (other addresses) are rivals in this chain's history.
    const seenBefore = k.bidder?.rivalSeenBlock;
    expect(seenBefore).toBeDefined();
    await sys.node.testClient.setAutomine(false);
    let revertedIn = 0n;
    try {
      await mineAt(BigInt(sale.startedAt) + at);
      await waitFor(() => (k.bidder?.sent ?? 0) === 1, 10_000, 'flash take sent');
      // The dump, with a far higher tip, is mined first: the pool then pays too little for the lot
      // and the flash take reverts.
      const swap = await gov.writeContract({
        address: dex.router,
        abi: iUniswapV2Router02Abi,
        functionName: 'swapExactTokensForTokens',
        args: [dump, 0n, [eth().token, sys.stablecoin], gov.account.address, maxUint256],
        gas: 300_000n,
        maxPriorityFeePerGas: parseGwei('1000'),
        maxFeePerGas: parseGwei('2000'),
      });
      await sys.node.testClient.mine({ blocks: 1 });
      expect((await pc.getTransactionReceipt({ hash: swap })).status).toBe('success');
      await waitFor(() => (k.bidder?.takes.length ?? 0) === 1, 10_000, 'take outcome');
      expect(k.bidder?.takes[0]?.status).toBe('reverted');
      revertedIn = (await pc.getTransactionReceipt({ hash: k.bidder?.takes[0]?.hash ?? '0x' })).blockNumber;
    } finally {
      await sys.node.testClient.setAutomine(true);
    }
    // A revert is no sign of a rival: nobody else took or kicked since. Counting it turned the take
    // jitter on for a keeper alone (the demo's single keeper: later takes, an auction short of its debt).
    await sys.node.testClient.mine({ blocks: 3 });
    const head = await pc.getBlockNumber();
    await waitFor(() => k.indexer.processed >= head, 5_000, 'keeper indexed the head');
    expect(revertedIn > (seenBefore ?? 0n)).toBe(true);
    expect(k.bidder?.rivalSeenBlock).toBe(seenBefore);
    await k.stop(0);
  }, 60_000);
});
