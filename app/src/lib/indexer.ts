// The indexer's HTTP API (indexer/README.md): history the chain cannot answer cheaply. Amounts come
// as decimal strings of the on-chain integers and become bigint here; anything that is not the
// documented shape is an error. A missing, down or not-yet-ready indexer is not an error page: the
// result says "unavailable" and the view says so.
import { getAddress, type Address } from 'viem';

export type IndexerResult<T> = { available: true; data: T } | { available: false; reason: string };

/** 404 from a detail route: the indexer has no such row (e.g. a vault it never saw). */
export const NOT_FOUND = Symbol('not found');

export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

/** GETs `path` from the indexer at `base`; a network error, a non-JSON body or a status other than 2xx/404 is "unavailable". */
export async function indexerGet<T>(base: string | undefined, path: string, parse: (raw: unknown) => T, fetcher: Fetcher = fetch): Promise<IndexerResult<T | typeof NOT_FOUND>> {
  if (!base) return { available: false, reason: 'no indexer is configured for this app (NEXT_PUBLIC_GAVEL_INDEXER_URL)' };
  let res: Response;
  try {
    res = await fetcher(`${base}${path}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(8_000) });
  } catch (e) {
    return { available: false, reason: `the indexer at ${base} is not answering (${(e as Error).message})` };
  }
  if (res.status === 404) return { available: true, data: NOT_FOUND };
  if (!res.ok) return { available: false, reason: `the indexer answered ${res.status}${res.status === 503 ? ' (still catching up with the chain)' : ''}` };
  try {
    return { available: true, data: parse(await res.json()) };
  } catch (e) {
    return { available: false, reason: `the indexer's answer is not what this app expects (${(e as Error).message})` };
  }
}

// ---- field readers: throw on a missing or mistyped field ----

type Obj = Record<string, unknown>;

function obj(x: unknown, what: string): Obj {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new Error(`${what} is not an object`);
  return x as Obj;
}
function arr(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw new Error(`${what} is not a list`);
  return x;
}
export function big(x: unknown, what: string): bigint {
  if (typeof x === 'string' && /^-?\d+$/.test(x)) return BigInt(x);
  if (typeof x === 'number' && Number.isSafeInteger(x)) return BigInt(x);
  throw new Error(`${what} is not an integer`);
}
function bigOrNull(x: unknown, what: string): bigint | undefined {
  return x === null || x === undefined ? undefined : big(x, what);
}
function num(x: unknown, what: string): number {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && /^\d+$/.test(x)) return Number(x);
  throw new Error(`${what} is not a number`);
}
function str(x: unknown, what: string): string {
  if (typeof x !== 'string') throw new Error(`${what} is not a string`);
  return x;
}
function address(x: unknown, what: string): Address {
  return getAddress(str(x, what));
}

// ---- routes ----

export interface IndexedTake {
  key: string;
  taker: Address;
  bidder: Address;
  ilkName: string | undefined;
  house: Address;
  auctionId: bigint;
  price: bigint;
  owe: bigint;
  collateralOut: bigint;
  /** The Spotter's mark at the take's block (WAD). */
  markPrice: bigint;
  /** Price vs mark, bps (negative: below the market); undefined without a mark. */
  vsMarketBps: bigint | undefined;
  profitAtMarket: bigint;
  block: bigint;
  timestamp: number;
  txHash: string;
}

export function parseTake(raw: unknown, i: number): IndexedTake {
  const t = obj(raw, `take ${i}`);
  return {
    key: `${str(t.txHash, 'txHash')}-${typeof t.logIndex === 'number' ? t.logIndex : i}`,
    taker: address(t.taker, 'taker'),
    bidder: address(t.bidder ?? t.taker, 'bidder'),
    ilkName: typeof t.ilkName === 'string' ? t.ilkName : undefined,
    house: address(t.house, 'house'),
    auctionId: big(t.auctionId, 'auctionId'),
    price: big(t.price, 'price'),
    owe: big(t.owe, 'owe'),
    collateralOut: big(t.collateralOut, 'collateralOut'),
    markPrice: big(t.markPrice, 'markPrice'),
    vsMarketBps: bigOrNull(t.vsMarketBps, 'vsMarketBps'),
    profitAtMarket: big(t.profitAtMarket, 'profitAtMarket'),
    block: big(t.block, 'block'),
    timestamp: num(t.timestamp, 'timestamp'),
    txHash: str(t.txHash, 'txHash'),
  };
}

export interface AuctionHistory {
  takes: IndexedTake[];
  redos: number;
  takenOver: boolean;
}

export function parseAuctionHistory(raw: unknown): AuctionHistory {
  const r = obj(raw, 'auction');
  return { takes: arr(r.takes, 'takes').map(parseTake), redos: arr(r.redos, 'redos').length, takenOver: r.takeover !== null && r.takeover !== undefined };
}

export interface HealthPoint {
  timestamp: number;
  block: bigint;
  cause: string;
  /** WAD; undefined without debt. */
  health: bigint | undefined;
  markPrice: bigint | undefined;
}

export interface IndexedLiquidation {
  auctionId: bigint;
  house: Address;
  keeper: Address;
  debt: bigint;
  tab: bigint;
  isPartial: boolean;
  block: bigint;
  timestamp: number;
}

export interface VaultHistory {
  health: HealthPoint[];
  liquidations: IndexedLiquidation[];
}

export function parseVaultHistory(raw: unknown): VaultHistory {
  const r = obj(raw, 'vault');
  return {
    health: arr(r.health, 'health').map((x, i) => {
      const h = obj(x, `health ${i}`);
      return { timestamp: num(h.timestamp, 'timestamp'), block: big(h.block, 'block'), cause: str(h.cause, 'cause'), health: bigOrNull(h.health, 'health'), markPrice: bigOrNull(h.markPrice, 'markPrice') };
    }),
    liquidations: arr(r.liquidations, 'liquidations').map((x, i) => {
      const l = obj(x, `liquidation ${i}`);
      return {
        auctionId: big(l.auctionId, 'auctionId'),
        house: address(l.house, 'house'),
        keeper: address(l.keeper, 'keeper'),
        debt: big(l.debt, 'debt'),
        tab: big(l.tab, 'tab'),
        isPartial: l.isPartial === true,
        block: big(l.block, 'block'),
        timestamp: num(l.timestamp, 'timestamp'),
      };
    }),
  };
}

export interface BidderHistory {
  takes: number;
  paid: bigint;
  profitAtMarket: bigint;
  list: IndexedTake[];
}

export function parseBidder(raw: unknown): BidderHistory {
  const r = obj(raw, 'bidder response');
  const b = obj(r.bidder, 'bidder');
  return { takes: num(b.takes, 'takes'), paid: big(b.paid, 'paid'), profitAtMarket: big(b.profitAtMarket, 'profitAtMarket'), list: arr(r.takes, 'takes').map(parseTake) };
}

export interface Series {
  bucketSeconds: number;
  liquidations: { t: number; count: number; debt: bigint }[];
  badDebt: { t: number; badDebt: bigint }[];
}

export function parseSeries(raw: unknown): Series {
  const r = obj(raw, 'series');
  return {
    bucketSeconds: num(r.bucketSeconds, 'bucketSeconds'),
    liquidations: arr(r.liquidations, 'liquidations').map((x, i) => {
      const l = obj(x, `bucket ${i}`);
      return { t: num(l.t, 't'), count: num(l.count, 'count'), debt: big(l.debt, 'debt') };
    }),
    badDebt: arr(r.badDebt, 'badDebt').map((x, i) => {
      const b = obj(x, `bad debt ${i}`);
      return { t: num(b.t, 't'), badDebt: big(b.badDebt, 'badDebt') };
    }),
  };
}
