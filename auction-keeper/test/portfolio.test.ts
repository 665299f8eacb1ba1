// Portfolio vaults in the keeper (issue #18) on anvil: three portfolios of WBTC and ETH borrowed near
// their limit and one with room to spare; ETH's price falls 20 %. The keeper's PortfolioKicker must
// liquidate exactly the portfolios that became unsafe (each held asset to its own house), its bidder must
// take the lots, and the isolated kicker must leave the portfolio debt line alone. Judged from the chain:
// the portfolio engine's rule, debts, holdings, the houses' auctions and every keeper receipt.

import { collateralAuctionAbi, liquidationEngineAbi, portfolioEngineAbi } from '@gavel/sdk';
import { pino } from 'pino';
import { type Address, decodeFunctionData, getAddress, parseEventLogs } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { type IlkFixture, type System, deployPortfolio, deploySystem, depositPortfolio, ensureBidder, keyOf, send, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

// The keeper account is the fixture's bidder: it holds gUSD (ensureBidder) and pays for the lots it takes.
const KEEPER_INDEX = 6;
let sys: System;
let portfolio: Address;
let keeper: Keeper | undefined;
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });
const ilk = (name: string): IlkFixture => sys.ilks.find((i) => i.name === name) as IlkFixture;
const actor = (i: number): Address => sys.node.accounts[i]?.address as Address;

async function requirement(owner: Address): Promise<bigint> {
  const pc = sys.node.publicClient;
  const held = await pc.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'holdingsOf', args: [owner] });
  const [worst] = await pc.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'portfolioRequirement', args: [held] });
  return worst;
}

async function chainDebt(owner: Address): Promise<bigint> {
  return sys.node.publicClient.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'portfolioDebt', args: [owner] });
}

beforeAll(async () => {
  sys = await deploySystem();
  portfolio = await deployPortfolio(sys);
  // Actors 1–3: 1 WBTC and 20 ETH, borrowed to 95 % of the worst scenario; actor 4: 60 % (stays safe).
  for (const [i, share] of [
    [1, 95n],
    [2, 95n],
    [3, 95n],
    [4, 60n],
  ] as const) {
    await depositPortfolio(sys, portfolio, i, { 'WBTC-A': 1n, 'ETH-A': 20n });
    const room = await requirement(actor(i));
    await send(sys.node, i, portfolio, portfolioEngineAbi, 'borrow', [(room * share) / 100n]);
  }
  await ensureBidder(sys);
}, 180_000);

afterAll(async () => {
  await keeper?.stop(0).catch(() => undefined);
  await sys.node.stop();
});

describe('portfolio vaults: detection and liquidation by the keeper', () => {
  it('liquidates the portfolios a price fall makes unsafe, takes their lots, and leaves the safe one alone', async () => {
    const pc = sys.node.publicClient;
    const me = actor(KEEPER_INDEX);
    const from = (await pc.getBlockNumber()) + 1n;
    const safeDebt = await chainDebt(actor(4));
    keeper = new Keeper({ config: testConfig(sys, { minMargin: '0.01' }), deployment: sys.deployment, keys: [keyOf(sys, KEEPER_INDEX)], logger: log, noCheckpoint: true, senderPollMs: 25 });
    await keeper.start();
    // ETH falls 20 %: the three portfolios at 95 % are now short in the worst scenario; the one at 60 % is not.
    await setPrice(sys, ilk('ETH-A'), (ilk('ETH-A').price * 80n) / 100n);
    for (const i of [1, 2, 3]) expect(await pc.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'isSafe', args: [actor(i)] })).toBe(false);
    expect(await pc.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'isSafe', args: [actor(4)] })).toBe(true);

    await waitFor(async () => (await Promise.all([1, 2, 3].map((i) => chainDebt(actor(i))))).every((d) => d === 0n), 60_000, 'the three unsafe portfolios liquidated');
    const to = await pc.getBlockNumber();
    const logs = await pc.getLogs({ address: sys.dog, fromBlock: from, toBlock: to });
    const liquidated = parseEventLogs({ abi: liquidationEngineAbi, logs, eventName: 'LiquidatePortfolio' });
    expect(liquidated.map((l) => l.args.owner).sort()).toEqual([actor(1), actor(2), actor(3)].sort());
    for (const l of liquidated) {
      expect(getAddress(l.args.keeper)).toBe(getAddress(me));
      expect(l.args.lots).toBe(2n); // WBTC and ETH, each to its own house
      expect(l.args.isPartial).toBe(false);
    }
    // The safe portfolio was not touched.
    expect(await chainDebt(actor(4))).toBe(safeDebt);

    // The keeper's bidder takes the six lots once their price is below its reference (they start 20 %
    // above the mark and fall about 0.1 % per 100 s; while any is left, time runs on 500 s per check).
    // What a lot did not need to sell is back in its portfolio.
    await waitFor(async () => {
      const live = await Promise.all(['WBTC-A', 'ETH-A'].map((n) => pc.readContract({ address: ilk(n).house, abi: collateralAuctionAbi, functionName: 'count' })));
      if (live.every((c) => c === 0n)) return true;
      await sys.node.testClient.increaseTime({ seconds: 500 });
      await sys.node.testClient.mine({ blocks: 1 });
      return false;
    }, 60_000, 'every portfolio lot taken');
    const end = await pc.getBlockNumber();
    for (const n of ['WBTC-A', 'ETH-A']) {
      const houseLogs = await pc.getLogs({ address: ilk(n).house, fromBlock: from, toBlock: end });
      const kicks = parseEventLogs({ abi: collateralAuctionAbi, logs: houseLogs, eventName: 'Kick' });
      expect(kicks).toHaveLength(3);
      for (const k of kicks) expect(getAddress(k.args.owner)).toBe(getAddress(portfolio));
    }
    const restored = parseEventLogs({ abi: portfolioEngineAbi, logs: await pc.getLogs({ address: portfolio, fromBlock: from, toBlock: end }), eventName: 'PortfolioCollateralRestored' });
    expect(restored.length).toBeGreaterThan(0); // lots start 20 % above the mark: some rest comes back
    for (const r of restored) expect(await pc.readContract({ address: portfolio, abi: portfolioEngineAbi, functionName: 'collateralOf', args: [r.args.owner, r.args.ilk] })).toBeGreaterThan(0n);

    // No keeper liquidation reverted: in particular no isolated `liquidateMany` on the portfolio debt line
    // (its house-less ilk would revert IlkNotConfigured), and exactly three `liquidatePortfolio`.
    const blocks = await Promise.all(Array.from({ length: Number(end - from + 1n) }, (_, k) => pc.getBlock({ blockNumber: from + BigInt(k), includeTransactions: true })));
    const kicks = blocks.flatMap((b) => b.transactions).filter((t) => t.from.toLowerCase() === me.toLowerCase() && t.to?.toLowerCase() === sys.dog.toLowerCase());
    const called = kicks.map((t) => decodeFunctionData({ abi: liquidationEngineAbi, data: t.input }).functionName);
    expect(called).toEqual(['liquidatePortfolio', 'liquidatePortfolio', 'liquidatePortfolio']);
    const receipts = await Promise.all(kicks.map((t) => pc.getTransactionReceipt({ hash: t.hash })));
    expect(receipts.map((r) => r.status)).toEqual(['success', 'success', 'success']);
    expect(keeper.portfolios?.liquidations.length).toBe(3);
  }, 240_000);
});
