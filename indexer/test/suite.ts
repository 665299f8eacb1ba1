// The indexer's tests, run against each database (pglite.test.ts, postgres.test.ts): the real
// indexer process on a real anvil with the real contracts (the keeper's fixture deploys them and
// scripts the history: vaults, price moves, drips, liquidations, takes, redos). Each table is judged
// against chain truth (views and logs), then after a kill -9 and restart, then after anvil_reorg.
import { collateralAuctionAbi, insuranceFundAbi, liquidationEngineAbi, stablecoinAbi, vaultEngineAbi } from '@gavel/sdk';
import { seededRandom } from '@gavel/contracts/testing';
import { type Address, type Hex, decodeEventLog, getAddress, parseAbiItem } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IlkFixture, type System, deploySystem, ensureBidder, openVault, randomStep, resetBidderCache, send, setPrice } from '../../auction-keeper/test/fixture.ts';
import { type Database, type IndexerProcess, type PostgresCluster, api, startIndexer, startPostgres, tempDir, waitIndexed, writeJson } from './harness.ts';
import path from 'node:path';
import { rmSync } from 'node:fs';

const WAD = 10n ** 18n;
const t0 = Date.now();
const mark = (what: string): void => {
  if (process.env.GAVEL_INDEXER_TIMING === '1') console.info(`[indexer test] ${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);
};

interface VaultJson {
  ilk: Hex;
  owner: Address;
  collateral: string;
  normalizedDebt: string;
  debt: string;
  health: string | null;
  safe: boolean;
}
interface TakeJson {
  id: string;
  price: string;
  owe: string;
  collateralOut: string;
  markPrice: string;
  vsMarketBps: string | null;
  profitAtMarket: string;
  valueAtMarket: string;
  block: string;
  txHash: Hex;
}
interface AuctionJson {
  house: Address;
  auctionId: string;
  status: string;
  tabLeft: string;
  lotLeft: string;
  top: string;
  startedAt: string;
  takes: number;
  redos: number;
}

const takeEvent = parseAbiItem('event Take(uint256 indexed id, address indexed taker, address indexed receiver, uint256 price, uint256 owe, uint256 collateralOut, uint256 tabLeft, uint256 lotLeft)');
const liquidateEvent = liquidationEngineAbi.find((x) => x.type === 'event' && x.name === 'Liquidate') as Extract<(typeof liquidationEngineAbi)[number], { type: 'event'; name: 'Liquidate' }>;
const redoEvent = parseAbiItem('event Redo(uint256 indexed id, address indexed keeper, uint256 top, uint256 startedAt, uint256 incentive)');
const kickEvent = parseAbiItem('event Kick(uint256 indexed id, address indexed owner, uint256 tab, uint256 lot, uint256 top, uint256 startedAt, uint256 tierId, uint256 minTab, uint256 penalty, address keeper)');
const markAbi = [{ type: 'function', name: 'peek', stateMutability: 'view', inputs: [], outputs: [{ type: 'uint256' }, { type: 'bool' }] }] as const;

/** Every indexed table against the chain at its head. */
async function expectIndexMatchesChain(sys: System, p: IndexerProcess): Promise<void> {
  const pc = sys.node.publicClient;
  const head = await pc.getBlockNumber();
  await waitIndexed(p, head);
  const from = sys.deployment.block;
  const owners = [...sys.actors, sys.node.accounts[sys.bidderIndex]?.address as Address];

  // Vaults: amounts, debt, health and safety as the engine's views say.
  const vaults = await api<VaultJson[]>(p, '/api/vaults?limit=1000');
  const byKey = new Map(vaults.map((v) => [`${v.ilk}-${getAddress(v.owner)}`, v]));
  const unsafePerIlk = new Map<string, number>();
  for (const ilk of sys.ilks) {
    for (const owner of owners) {
      const [c, d] = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'vault', args: [ilk.id, owner] });
      const row = byKey.get(`${ilk.id}-${owner}`);
      if (row === undefined) {
        expect([c, d], `vault ${ilk.name} ${owner} not indexed`).toEqual([0n, 0n]);
        continue;
      }
      const safe = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [ilk.id, owner] });
      const health = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'health', args: [ilk.id, owner] });
      const debt = await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'debtOf', args: [ilk.id, owner] }).catch(() => undefined);
      expect({ c: BigInt(row.collateral), d: BigInt(row.normalizedDebt), safe: row.safe, health: row.health === null ? undefined : BigInt(row.health) }, `vault ${ilk.name} ${owner}`).toEqual({
        c,
        d,
        safe,
        health: d === 0n ? undefined : health,
      });
      if (debt !== undefined) expect(BigInt(row.debt)).toBe(debt);
      if (!safe) unsafePerIlk.set(ilk.id, (unsafePerIlk.get(ilk.id) ?? 0) + 1);
    }
  }
  const unsafe = await api<{ ilk: Hex; unsafeVaults: number }[]>(p, '/api/unsafe');
  for (const ilk of sys.ilks) expect(unsafe.find((u) => u.ilk === ilk.id)?.unsafeVaults, `unsafe ${ilk.name}`).toBe(unsafePerIlk.get(ilk.id) ?? 0);

  // Liquidations: one row per Liquidate log, none doubled.
  const liqLogs = await pc.getLogs({ address: sys.dog, event: liquidateEvent, fromBlock: from, toBlock: head });
  const liqs = await api<{ txHash: Hex; tab: string }[]>(p, '/api/liquidations?limit=1000');
  expect(liqs.map((l) => l.txHash).sort()).toEqual(liqLogs.map((l) => l.transactionHash).sort());
  // The overview's charts: liquidations per bucket add up to the logs, the bad debt series ends at the books.
  const series = await api<{ liquidations: { count: number }[]; badDebt: { badDebtRad: string }[] }>(p, '/api/series?bucket=60');
  expect(series.liquidations.reduce((n, b) => n + b.count, 0)).toBe(liqLogs.length);
  expect(BigInt(series.badDebt.at(-1)?.badDebtRad ?? '0')).toBe(await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' }));

  // Auctions, takes, redos per house.
  let takesSeen = 0;
  for (const ilk of sys.ilks) {
    const kicks = await pc.getLogs({ address: ilk.house, event: kickEvent, fromBlock: from, toBlock: head });
    const auctions = await api<AuctionJson[]>(p, `/api/auctions?house=${ilk.house}&limit=1000`);
    expect(auctions.map((a) => a.auctionId).sort(), `auctions of ${ilk.name}`).toEqual(kicks.map((k) => String(k.args.id)).sort());
    const ids = await pc.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' });
    expect(auctions.filter((a) => a.status === 'live').map((a) => a.auctionId).sort(), `live auctions of ${ilk.name}`).toEqual(ids.map(String).sort());
    const takeLogs = await pc.getLogs({ address: ilk.house, event: takeEvent, fromBlock: from, toBlock: head });
    const redoLogs = await pc.getLogs({ address: ilk.house, event: redoEvent, fromBlock: from, toBlock: head });
    for (const a of auctions) {
      const detail = await api<{ auction: AuctionJson; takes: TakeJson[]; redos: unknown[] }>(p, `/api/auctions/${ilk.house}/${a.auctionId}`);
      const mine = takeLogs.filter((l) => String(l.args.id) === a.auctionId);
      expect(detail.takes.map((t) => `${t.txHash}:${t.owe}:${t.collateralOut}:${t.price}`), `takes of ${ilk.name} #${a.auctionId}`).toEqual(
        mine.map((l) => `${l.transactionHash}:${String(l.args.owe)}:${String(l.args.collateralOut)}:${String(l.args.price)}`),
      );
      expect(detail.redos.length).toBe(redoLogs.filter((l) => String(l.args.id) === a.auctionId).length);
      takesSeen += mine.length;
      for (const t of detail.takes) {
        // The mark at the take: the oracle's price at that block (the fixture pokes every price change).
        const [mark] = await pc.readContract({ address: ilk.mark, abi: markAbi, functionName: 'peek', blockNumber: BigInt(t.block) });
        expect(BigInt(t.markPrice), `mark at take ${t.id}`).toBe(mark);
        expect(BigInt(t.profitAtMarket)).toBe(BigInt(t.valueAtMarket) - BigInt(t.owe));
      }
      if (a.status === 'live') {
        const s = await pc.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'sale', args: [BigInt(a.auctionId)] });
        expect({ tab: a.tabLeft, lot: a.lotLeft, top: a.top, startedAt: a.startedAt, redos: a.redos }).toEqual({ tab: String(s.tab), lot: String(s.lot), top: String(s.top), startedAt: String(s.startedAt), redos: s.redos });
      }
    }
  }
  const bidderAddr = sys.node.accounts[sys.bidderIndex]?.address as Address;
  const b = await api<{ bidder: { takes: number } }>(p, `/api/bidders/${bidderAddr}`);
  expect(b.bidder.takes).toBe(takesSeen);

  // Fund flows: one row per fund event of the kinds indexed.
  const fundKinds: Record<string, string> = { Deposit: 'deposit', Withdraw: 'withdraw', RedeemRequested: 'redeemRequested', RedeemRequestCancelled: 'redeemCancelled', RevenueRecognized: 'revenue', LossBooked: 'loss', Healed: 'healed', TakeoverPaid: 'takeoverPaid' };
  const fundLogs = (await pc.getLogs({ address: sys.deployment.fund as Address, fromBlock: from, toBlock: head })).flatMap((l) => {
    try {
      const d = decodeEventLog({ abi: insuranceFundAbi, data: l.data, topics: l.topics });
      const kind = fundKinds[d.eventName];
      return kind === undefined ? [] : [`${kind}:${l.transactionHash}`];
    } catch {
      return [];
    }
  });
  const flows = await api<{ kind: string; txHash: Hex }[]>(p, '/api/fund?limit=1000');
  expect(flows.map((f) => `${f.kind}:${f.txHash}`).sort(), 'fund flows').toEqual(fundLogs.sort());

  // Health over time: a point per vault event and price change; the last equals the vault now.
  const someVault = vaults.find((v) => BigInt(v.normalizedDebt) > 0n);
  if (someVault !== undefined) {
    const h = await api<{ vault: VaultJson; health: { health: string | null; block: string; cause: string }[] }>(p, `/api/vaults/${someVault.ilk}/${someVault.owner}`);
    expect(h.health.length).toBeGreaterThan(0);
    expect(h.health.at(-1)?.health).toBe(h.vault.health);
    const blocks = h.health.map((x) => BigInt(x.block));
    expect([...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(blocks);
  }

  // Bad debt: the running total equals the engine's books.
  const overview = await api<{ badDebtRad: string }>(p, '/api/overview');
  expect(BigInt(overview.badDebtRad)).toBe(await pc.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' }));
}

/** A history with every kind of event: vaults, a crash, liquidations, partial and full takes, a redo. */
async function scriptedHistory(sys: System, ilk: IlkFixture): Promise<void> {
  for (let a = 1; a <= 4; a++) await openVault(sys, a, ilk, BigInt(1_000 * a), 120n);
  await setPrice(sys, ilk, (ilk.price * 80n) / 100n);
  for (const owner of sys.actors) {
    await send(sys.node, 0, sys.dog, liquidationEngineAbi, 'liquidate', [ilk.id, owner, sys.node.accounts[0]?.address]).catch(() => undefined);
  }
  await ensureBidder(sys);
  const ids = await sys.node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' });
  expect(ids.length, 'the crash started auctions').toBeGreaterThan(1);
  const bidder = sys.node.accounts[sys.bidderIndex]?.address;
  const [first, second] = ids;
  const s = await sys.node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'sale', args: [first as bigint] });
  await send(sys.node, sys.bidderIndex, ilk.house, collateralAuctionAbi, 'take', [first, s.lot / 3n, 2n ** 256n - 1n, bidder, '0x']);
  await send(sys.node, sys.bidderIndex, ilk.house, collateralAuctionAbi, 'take', [first, s.lot, 2n ** 256n - 1n, bidder, '0x']);
  await sys.node.testClient.increaseTime({ seconds: 7 * 3600 });
  await sys.node.testClient.mine({ blocks: 1 });
  await send(sys.node, 0, ilk.house, collateralAuctionAbi, 'redo', [second, sys.node.accounts[0]?.address]);
  await setPrice(sys, ilk, (ilk.price * 105n) / 100n);
  // Proceeds settled (bad debt healed, revenue to the fund) and an LP deposit: fund flows.
  const fund = sys.deployment.fund as Address;
  await send(sys.node, 0, ilk.house, collateralAuctionAbi, 'settle', []);
  await send(sys.node, sys.bidderIndex, sys.stablecoin, stablecoinAbi, 'approve', [fund, 2n ** 256n - 1n]);
  await send(sys.node, sys.bidderIndex, fund, insuranceFundAbi, 'deposit', [1_000n * WAD, bidder]);
}

export function indexerSuite(kind: 'pglite' | 'postgres'): void {
  describe(`indexer on ${kind}`, () => {
    let sys: System;
    let pg: PostgresCluster | undefined;
    let db: Database;
    let p: IndexerProcess | undefined;
    let file: string;
    let work: string;
    const rng = seededRandom(`indexer-${kind}`);
    const start = async (): Promise<IndexerProcess> => startIndexer({ rpcUrl: sys.node.rpcUrl, deploymentsFile: file, db, schema: 'gavel_test' });

    beforeAll(async () => {
      resetBidderCache();
      work = tempDir('gavel-indexer-');
      if (kind === 'postgres') {
        pg = await startPostgres();
        db = { kind: 'postgres', url: pg.url };
      } else {
        db = { kind: 'pglite', dir: path.join(work, 'db') };
      }
      mark('start');
      sys = await deploySystem();
      mark('deployed');
      file = path.join(work, `${String(sys.deployment.chainId)}.json`);
      writeJson(file, sys.deployment);
    }, 120_000);

    afterAll(async () => {
      await p?.kill('SIGKILL');
      await sys.node.stop();
      await pg?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    it('indexes a scripted history and every table matches the chain', async () => {
      await scriptedHistory(sys, sys.ilks[2] as IlkFixture);
      mark('history');
      p = await start();
      mark('indexer ready');
      if (process.env.GAVEL_INDEXER_TIMING === '1') console.info(p.logs());
      // More history while it follows the head.
      for (let i = 0; i < 12; i++) await randomStep(sys, rng);
      mark('steps');
      await expectIndexMatchesChain(sys, p);
      mark('checked');
      // The history has every kind of row the checks above compare.
      const o = await api<{ liquidations: number; takes: number; endedAuctions: number; fundFlows: Record<string, unknown> }>(p, '/api/overview');
      expect(o.liquidations).toBeGreaterThan(1);
      expect(o.takes).toBeGreaterThanOrEqual(2);
      expect(o.endedAuctions).toBeGreaterThanOrEqual(1);
      expect(Object.keys(o.fundFlows)).toContain('deposit');
      const redos = await api<{ redos: number }[]>(p, '/api/auctions?limit=1000');
      expect(redos.some((a) => a.redos > 0)).toBe(true);
      // Ponder's GraphQL over the same tables (documented for the app).
      const gql = await fetch(`${p.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ takes(orderBy: "block", orderDirection: "desc", limit: 5) { items { taker price markPrice vsMarketBps } totalCount } }' }),
      });
      const body = (await gql.json()) as { data?: { takes: { totalCount: number; items: unknown[] } } };
      expect(body.data?.takes.totalCount).toBe(o.takes);
    }, 180_000);

    it('survives kill -9 and a restart: no row lost or doubled', async () => {
      if (p === undefined) throw new Error('no indexer');
      for (let i = 0; i < 6; i++) await randomStep(sys, rng);
      await p.kill('SIGKILL');
      for (let i = 0; i < 8; i++) await randomStep(sys, rng);
      mark('killed, steps');
      p = await start();
      mark('restarted');
      await expectIndexMatchesChain(sys, p);
      mark('checked');
    }, 180_000);

    it('survives anvil_reorg: rows of dropped blocks removed, new ones added, none doubled', async () => {
      if (p === undefined) throw new Error('no indexer');
      const ilk = sys.ilks[1] as IlkFixture;
      const before = await sys.node.publicClient.getBlockNumber();
      // Blocks the reorg will drop: a vault, a crash and its liquidation, a take.
      await openVault(sys, 5, ilk, 3_000n, 110n);
      await setPrice(sys, ilk, (ilk.price * 85n) / 100n);
      await send(sys.node, 0, sys.dog, liquidationEngineAbi, 'liquidate', [ilk.id, sys.actors[4], sys.node.accounts[0]?.address]);
      const head = await sys.node.publicClient.getBlockNumber();
      await waitIndexed(p, head);
      const liqsBefore = await api<unknown[]>(p, '/api/liquidations?limit=1000');
      const depth = Number(head - before);
      expect(depth).toBeLessThan(30); // within Ponder's finality window for a local chain
      await sys.node.testClient.request({ method: 'anvil_reorg' as never, params: [depth, []] as never });
      // A new block on the new branch, so the indexer sees the fork.
      await setPrice(sys, ilk, ilk.price);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const liqs = await api<unknown[]>(p, '/api/liquidations?limit=1000');
        if (liqs.length === liqsBefore.length - 1) break;
        if (Date.now() > deadline) throw new Error(`the reorged liquidation is still indexed (${String(liqs.length)} rows):\n${p.logs().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      for (let i = 0; i < 6; i++) await randomStep(sys, rng);
      await expectIndexMatchesChain(sys, p);
    }, 180_000);
  });
}

export { WAD };
