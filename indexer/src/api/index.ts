// The HTTP API the app reads (documented in indexer/README.md): Ponder's GraphQL and SQL over HTTP,
// plus JSON routes shaped for the app's views.
import { db } from 'ponder:api';
import schema, { auction, badDebt, bidder, fundFlow, ilk, liquidation, protocol, redo, take, takeover, vault, vaultHealth } from 'ponder:schema';
import { radToWad } from '@gavel/sdk';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { and, asc, client, count, desc, eq, graphql, sql } from 'ponder';
import type { SQL } from 'drizzle-orm';
import { getAddress, type Hex, isAddress, isHex } from 'viem';
import { pairOf, ilkInfo } from '../deployment.ts';
import { page, toJson } from './json.ts';

const app = new Hono();
app.use('*', cors());
// While the indexer rewrites rows (a reorg being reconciled), Ponder's read queries can hit their
// lock timeout: a transient 503 with Retry-After, not a 500, so clients retry instead of failing.
app.onError((err, c) => {
  if (/lock timeout|canceling statement/i.test(err.message)) {
    c.header('Retry-After', '1');
    return c.json({ error: 'busy: the indexer is rewriting rows (a reorg); retry' }, 503);
  }
  return c.json({ error: err.message }, 500);
});
app.use('/sql/*', client({ db, schema }));
app.use('/graphql', graphql({ db, schema }));

const ilkNames = async (): Promise<Map<string, string>> => new Map((await db.select({ id: ilk.id, name: ilk.name }).from(ilk)).map((r) => [r.id, r.name]));

/** Per ilk: vaults with collateral or debt, and how many are unsafe (isSafe false at the last indexed block). */
async function vaultCounts(): Promise<Map<string, { vaults: number; unsafeVaults: number }>> {
  const rows = await db
    .select({
      ilk: vault.ilk,
      vaults: sql<string>`count(*) filter (where ${vault.collateral} > 0 or ${vault.normalizedDebt} > 0)`,
      unsafeVaults: sql<string>`count(*) filter (where ${vault.safe} = false)`,
    })
    .from(vault)
    .groupBy(vault.ilk);
  return new Map(rows.map((r) => [r.ilk, { vaults: Number(r.vaults), unsafeVaults: Number(r.unsafeVaults) }]));
}

function addr(s: string | undefined): Hex | undefined {
  return s !== undefined && isAddress(s, { strict: false }) ? getAddress(s) : undefined;
}
function ilkId(s: string | undefined): Hex | undefined {
  return s !== undefined && isHex(s) && s.length === 66 ? (s.toLowerCase() as Hex) : undefined;
}

app.get('/api/head', async (c) => {
  const p = await db.select().from(protocol).where(eq(protocol.id, 'gavel'));
  return c.json(toJson({ block: p[0]?.lastBlock ?? null, timestamp: p[0]?.lastTimestamp ?? null }));
});

app.get('/api/overview', async (c) => {
  const ilks = await db.select().from(ilk).orderBy(asc(ilk.name));
  const live = await db
    .select({ ilk: auction.ilk, n: count(), lot: sql<string>`coalesce(sum(${auction.lotLeft}), 0)`, tab: sql<string>`coalesce(sum(${auction.tabLeft}), 0)` })
    .from(auction)
    .where(eq(auction.status, 'live'))
    .groupBy(auction.ilk);
  const byIlk = new Map(live.map((r) => [r.ilk, r]));
  const counts = await vaultCounts();
  const [p] = await db.select().from(protocol).where(eq(protocol.id, 'gavel'));
  const [liqs] = await db.select({ n: count() }).from(liquidation);
  const [ended] = await db.select({ n: count() }).from(auction).where(sql`${auction.status} <> 'live'`);
  const [takes] = await db.select({ n: count() }).from(take);
  const flows = await db.select({ kind: fundFlow.kind, n: count(), assets: sql<string>`coalesce(sum(${fundFlow.assets}), 0)` }).from(fundFlow).groupBy(fundFlow.kind);
  const rows = ilks.map((i) => {
    const l = byIlk.get(i.id);
    const n = counts.get(i.id);
    return { ...i, vaults: n?.vaults ?? 0, unsafeVaults: n?.unsafeVaults ?? 0, liveAuctions: l?.n ?? 0, liveLot: BigInt(l?.lot ?? 0), liveTab: BigInt(l?.tab ?? 0) };
  });
  return c.json(
    toJson({
      block: p?.lastBlock ?? null,
      timestamp: p?.lastTimestamp ?? null,
      vaults: rows.reduce((a, r) => a + r.vaults, 0),
      unsafeVaults: rows.reduce((a, r) => a + r.unsafeVaults, 0),
      liquidations: liqs?.n ?? 0,
      liveAuctions: rows.reduce((a, r) => a + r.liveAuctions, 0),
      endedAuctions: ended?.n ?? 0,
      takes: takes?.n ?? 0,
      liveTab: rows.reduce((a, r) => a + r.liveTab, 0n),
      badDebtRad: p?.badDebtRad ?? 0n,
      unsettledProceeds: p?.unsettledProceeds ?? 0n,
      fundFlows: Object.fromEntries(flows.map((f) => [f.kind, { count: f.n, assets: BigInt(f.assets) }])),
      ilks: rows,
    }),
  );
});

/** Largest chart bucket /api/series accepts: a day. */
const MAX_BUCKET_SECONDS = 86_400;

app.get('/api/series', async (c) => {
  const bucket = BigInt(Math.min(Math.max(Number.parseInt(c.req.query('bucket') ?? '60', 10) || 60, 1), MAX_BUCKET_SECONDS));
  // The bucket is inlined, not bound: a bound parameter in both SELECT and GROUP BY is two
  // different parameters to Postgres, which then refuses the query ("must appear in the GROUP BY
  // clause"; every /api/series answered 500). `bucket` is an integer parsed above.
  const b = sql.raw(bucket.toString());
  const t = sql<string>`(${liquidation.timestamp} / ${b}) * ${b}`;
  const liq = await db.select({ t, count: count(), debt: sql<string>`sum(${liquidation.debt})`, tab: sql<string>`sum(${liquidation.tab})` }).from(liquidation).groupBy(t).orderBy(asc(t));
  const tt = sql<string>`(${take.timestamp} / ${b}) * ${b}`;
  const tk = await db.select({ t: tt, count: count(), owe: sql<string>`sum(${take.owe})` }).from(take).groupBy(tt).orderBy(asc(tt));
  const bd = await db.select().from(badDebt).orderBy(asc(badDebt.block), asc(badDebt.logIndex)).limit(5000);
  return c.json(
    toJson({
      bucketSeconds: bucket,
      liquidations: liq.map((r) => ({ t: Number(r.t), count: r.count, debt: BigInt(r.debt), tab: BigInt(r.tab) })),
      takes: tk.map((r) => ({ t: Number(r.t), count: r.count, owe: BigInt(r.owe) })),
      badDebt: bd.map((r) => ({ t: r.timestamp, block: r.block, cause: r.cause, badDebtRad: r.badDebtRad, badDebt: radToWad(r.badDebtRad) })),
    }),
  );
});

app.get('/api/auctions', async (c) => {
  const q = c.req.query();
  const { limit, offset } = page(q);
  const conds: SQL[] = [];
  if (q.status === 'live') conds.push(eq(auction.status, 'live'));
  else if (q.status === 'ended') conds.push(sql`${auction.status} <> 'live'`);
  const house = addr(q.house);
  if (house !== undefined) conds.push(eq(auction.house, house));
  const il = ilkId(q.ilk);
  if (il !== undefined) conds.push(eq(auction.ilk, il));
  const bidderAddr = addr(q.bidder);
  if (bidderAddr !== undefined) conds.push(sql`${auction.id} in (select ${take.auction} from ${take} where ${take.bidder} = ${bidderAddr})`);
  const rows = await db.select().from(auction).where(and(...conds)).orderBy(desc(auction.kickBlock), desc(auction.auctionId)).limit(limit).offset(offset);
  const names = await ilkNames();
  return c.json(toJson(rows.map((r) => ({ ...r, ilkName: names.get(r.ilk) ?? r.ilk }))));
});

app.get('/api/auctions/:house/:id', async (c) => {
  const house = addr(c.req.param('house'));
  const idText = c.req.param('id');
  if (house === undefined || !/^\d+$/.test(idText)) return c.json({ error: 'bad auction reference' }, 400);
  const key = `${house}-${BigInt(idText).toString()}`;
  const [a] = await db.select().from(auction).where(eq(auction.id, key));
  if (a === undefined) return c.json({ error: 'unknown auction' }, 404);
  const takes = await db.select().from(take).where(eq(take.auction, key)).orderBy(asc(take.block), asc(take.logIndex));
  const redos = await db.select().from(redo).where(eq(redo.auction, key)).orderBy(asc(redo.block));
  const [to] = await db.select().from(takeover).where(eq(takeover.auction, key));
  const names = await ilkNames();
  return c.json(toJson({ auction: { ...a, ilkName: names.get(a.ilk) ?? a.ilk }, takes, redos, takeover: to ?? null }));
});

app.get('/api/vaults', async (c) => {
  const q = c.req.query();
  const { limit, offset } = page(q);
  const conds: SQL[] = [];
  const owner = addr(q.owner);
  if (owner !== undefined) conds.push(eq(vault.owner, owner));
  const il = ilkId(q.ilk);
  if (il !== undefined) conds.push(eq(vault.ilk, il));
  if (q.unsafe === '1' || q.unsafe === 'true') conds.push(eq(vault.safe, false));
  const rows = await db.select().from(vault).where(and(...conds)).orderBy(asc(vault.health), asc(vault.id)).limit(limit).offset(offset);
  const names = await ilkNames();
  return c.json(toJson(rows.map((r) => ({ ...r, ilkName: names.get(r.ilk) ?? r.ilk }))));
});

app.get('/api/vaults/:ilk/:owner', async (c) => {
  const il = ilkId(c.req.param('ilk'));
  const owner = addr(c.req.param('owner'));
  if (il === undefined || owner === undefined) return c.json({ error: 'bad vault reference' }, 400);
  const id = `${il}-${owner}`;
  const [v] = await db.select().from(vault).where(eq(vault.id, id));
  if (v === undefined) return c.json({ error: 'unknown vault' }, 404);
  const { limit } = page({ limit: c.req.query('limit') ?? '1000' });
  const health = await db.select().from(vaultHealth).where(eq(vaultHealth.vault, id)).orderBy(desc(vaultHealth.block), desc(vaultHealth.logIndex)).limit(limit);
  const liqs = await db.select().from(liquidation).where(and(eq(liquidation.ilk, il), eq(liquidation.owner, owner))).orderBy(asc(liquidation.block));
  const names = await ilkNames();
  return c.json(toJson({ vault: { ...v, ilkName: names.get(v.ilk) ?? v.ilk }, health: health.reverse(), liquidations: liqs }));
});

app.get('/api/unsafe', async (c) => {
  const rows = await db.select({ ilk: ilk.id, ilkName: ilk.name }).from(ilk).orderBy(asc(ilk.name));
  const counts = await vaultCounts();
  return c.json(toJson(rows.map((r) => ({ ...r, unsafeVaults: counts.get(r.ilk)?.unsafeVaults ?? 0, vaults: counts.get(r.ilk)?.vaults ?? 0 }))));
});

app.get('/api/liquidations', async (c) => {
  const q = c.req.query();
  const { limit, offset } = page(q);
  const conds: SQL[] = [];
  const il = ilkId(q.ilk);
  if (il !== undefined) conds.push(eq(liquidation.ilk, il));
  const owner = addr(q.owner);
  if (owner !== undefined) conds.push(eq(liquidation.owner, owner));
  const keeper = addr(q.keeper);
  if (keeper !== undefined) conds.push(eq(liquidation.keeper, keeper));
  const rows = await db.select().from(liquidation).where(and(...conds)).orderBy(desc(liquidation.block), desc(liquidation.id)).limit(limit).offset(offset);
  const names = await ilkNames();
  return c.json(toJson(rows.map((r) => ({ ...r, ilkName: names.get(r.ilk) ?? r.ilk }))));
});

app.get('/api/bidders', async (c) => {
  const { limit, offset } = page(c.req.query());
  const rows = await db.select().from(bidder).orderBy(desc(bidder.profitAtMarket)).limit(limit).offset(offset);
  return c.json(toJson(rows.map((r) => ({ ...r, address: r.id }))));
});

app.get('/api/bidders/:address', async (c) => {
  const who = addr(c.req.param('address'));
  if (who === undefined) return c.json({ error: 'bad address' }, 400);
  const [b] = await db.select().from(bidder).where(eq(bidder.id, who));
  const { limit, offset } = page(c.req.query());
  const takes = await db.select().from(take).where(eq(take.bidder, who)).orderBy(desc(take.block), desc(take.logIndex)).limit(limit).offset(offset);
  const names = await ilkNames();
  return c.json(
    toJson({
      bidder: b === undefined ? { address: who, takes: 0, paid: 0n, valueAtMarket: 0n, profitAtMarket: 0n, lastBlock: null } : { ...b, address: b.id },
      takes: takes.map((t) => ({ ...t, ilkName: names.get(t.ilk) ?? t.ilk })),
    }),
  );
});

app.get('/api/fund', async (c) => {
  const q = c.req.query();
  const { limit, offset } = page(q);
  const rows = await db
    .select()
    .from(fundFlow)
    .where(q.kind === undefined ? undefined : eq(fundFlow.kind, q.kind))
    .orderBy(desc(fundFlow.block), desc(fundFlow.id))
    .limit(limit)
    .offset(offset);
  return c.json(toJson(rows));
});

app.get('/api/viability', async (c) => {
  const ilks = await db.select().from(ilk).orderBy(asc(ilk.name));
  const live = await db
    .select({ ilk: auction.ilk, n: count(), lot: sql<string>`coalesce(sum(${auction.lotLeft}), 0)`, tab: sql<string>`coalesce(sum(${auction.tabLeft}), 0)` })
    .from(auction)
    .where(eq(auction.status, 'live'))
    .groupBy(auction.ilk);
  const byIlk = new Map(live.map((r) => [r.ilk, r]));
  return c.json(
    toJson(
      ilks.map((i) => {
        const l = byIlk.get(i.id);
        const info = ilkInfo(i.id);
        return {
          ilk: i.id,
          ilkName: i.name,
          token: i.token,
          decimals: i.decimals,
          markPrice: i.markPrice,
          liveAuctions: l?.n ?? 0,
          liveLot: BigInt(l?.lot ?? 0),
          liveTab: BigInt(l?.tab ?? 0),
          pair: info === undefined ? null : (pairOf(info) ?? null),
        };
      }),
    ),
  );
});

export default app;
