import { describe, expect, it } from 'vitest';
import { indexerGet, NOT_FOUND, parseAuctionHistory, parseSeries, type Fetcher } from './indexer.ts';

const json = (status: number, body: unknown): Fetcher => () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
const take = {
  txHash: '0xaa',
  logIndex: 3,
  taker: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  bidder: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  house: '0x7a2088a1bfc9d81c55368ae168c2c02570cb814f',
  auctionId: '4294967296',
  price: '1900000000000000000000',
  owe: '190000000000000000000',
  collateralOut: '100000000000000000',
  markPrice: '2000000000000000000000',
  vsMarketBps: '-500',
  profitAtMarket: '10000000000000000000',
  block: '120',
  timestamp: 1_700_000_000,
};

describe('indexer client', () => {
  it('is unavailable, not an error, when there is no indexer, it is down, or it is catching up', async () => {
    expect(await indexerGet(undefined, '/api/series', parseSeries)).toMatchObject({ available: false });
    const down: Fetcher = () => Promise.reject(new TypeError('fetch failed'));
    const r = await indexerGet('http://127.0.0.1:9', '/api/series', parseSeries, down);
    expect(r).toMatchObject({ available: false });
    expect(r.available ? '' : r.reason).toContain('not answering');
    const busy = await indexerGet('http://x', '/api/series', parseSeries, json(503, { error: 'not ready' }));
    expect(busy.available ? '' : busy.reason).toContain('catching up');
  });

  it('says "not found" for a 404 and refuses an answer of the wrong shape', async () => {
    expect(await indexerGet('http://x', '/api/auctions/0x1/2', parseAuctionHistory, json(404, { error: 'unknown auction' }))).toEqual({ available: true, data: NOT_FOUND });
    const bad = await indexerGet('http://x', '/api/auctions/0x1/2', parseAuctionHistory, json(200, { takes: [{ ...take, price: 1.5 }], redos: [] }));
    expect(bad.available ? '' : bad.reason).toContain('price is not an integer');
  });

  it('reads amounts as exact bigints', async () => {
    const r = await indexerGet('http://x', '/api/auctions/0x1/2', parseAuctionHistory, json(200, { takes: [take], redos: [], takeover: null }));
    if (!r.available || r.data === NOT_FOUND) throw new Error('expected data');
    const [t] = r.data.takes;
    expect(t?.price).toBe(1_900n * 10n ** 18n);
    expect(t?.vsMarketBps).toBe(-500n);
    expect(t?.auctionId).toBe(1n << 32n);
    expect(r.data.takenOver).toBe(false);
  });
});
