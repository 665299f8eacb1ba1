import { WAD } from '@gavel/sdk';
import { describe, expect, it } from 'vitest';
import { formatAuctionId, formatBps, formatDuration, formatWad, shortAddress } from './format.ts';
import { filterAuctions, sortAuctions, type AuctionRow } from './auctionTable.ts';
import { makeScale, pathOf, sampleCurve } from './chart.ts';
import { parseDeployment } from './deployment.ts';
import { watchedAddresses } from './deploymentUtils.ts';

describe('display formatting', () => {
  it('formats', () => {
    expect(formatWad(1_234_567n * WAD / 1000n)).toBe('1,234.56');
    expect(formatBps(-325n)).toBe('−3.25%');
    expect(formatBps(5n, true)).toBe('+0.05%');
    expect(formatBps(0n, true)).toBe('0.00%');
    expect(formatDuration(3723n)).toBe('1h 02m');
    expect(formatDuration(187n)).toBe('3m 07s');
    expect(formatDuration(-4n)).toBe('0s');
    expect(shortAddress('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe('0xf39F…2266');
    expect(formatAuctionId((7n << 32n) | 3n)).toBe('#7·3');
  });
});

describe('auctions table', () => {
  const row = (key: string, over: Partial<AuctionRow>): AuctionRow => ({
    key,
    house: '0x0',
    id: 1n,
    ilkName: 'ETH-A',
    lot: 1n,
    lotWad: 1n,
    tab: 1n,
    price: 1n,
    premiumBps: 0n,
    age: 0n,
    needsRedo: false,
    ...over,
  });
  const rows = [
    row('a', { price: 3n, premiumBps: -100n, ilkName: 'ETH-A' }),
    row('b', { price: 1n, premiumBps: undefined, ilkName: 'WBTC-A', needsRedo: true }),
    row('c', { price: 2n, premiumBps: 200n, ilkName: 'ETH-A' }),
  ];
  it('sorts, keeping rows without a market price last', () => {
    expect(sortAuctions(rows, 'price', 'asc').map((r) => r.key)).toEqual(['c', 'a', 'b']);
    expect(sortAuctions(rows, 'id', 'asc').map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(sortAuctions(rows, 'premium', 'asc').map((r) => r.key)).toEqual(['a', 'c', 'b']);
    expect(sortAuctions(rows, 'premium', 'desc').map((r) => r.key)).toEqual(['c', 'a', 'b']);
  });
  it('never ranks an auction that needs a redo as a bargain, however far below the market', () => {
    const stale = row('d', { price: 1n, premiumBps: -4_900n, needsRedo: true });
    expect(sortAuctions([...rows, stale], 'premium', 'asc').map((r) => r.key)).toEqual(['a', 'c', 'd', 'b']);
    expect(sortAuctions([...rows, stale], 'premium', 'desc').map((r) => r.key)).toEqual(['c', 'a', 'd', 'b']);
  });
  it('filters by collateral and status', () => {
    expect(filterAuctions(rows, { ilk: 'ETH-A', status: 'all' }).map((r) => r.key)).toEqual(['a', 'c']);
    expect(filterAuctions(rows, { ilk: '', status: 'needs-redo' }).map((r) => r.key)).toEqual(['b']);
    expect(filterAuctions(rows, { ilk: '', status: 'live' }).map((r) => r.key)).toEqual(['a', 'c']);
  });
});

describe('chart geometry', () => {
  it('samples a linear curve and maps it into the box', () => {
    const tier = { kind: 1, cutRay: 0n, periodSeconds: 100, tailSeconds: 100, floorWad: 0n, startPremiumBps: 10_000 };
    const pts = sampleCurve(tier, 100n * WAD, 0n, 100n, 4);
    expect(pts.map((p) => p.price)).toEqual([100n * WAD, 75n * WAD, 50n * WAD, 25n * WAD, 0n]);
    const s = makeScale({ width: 110, height: 110, pad: { left: 10, right: 0, top: 0, bottom: 10 } }, 0n, 100n, 100n * WAD);
    expect(s.x(50n)).toBe(60);
    expect(s.y(100n * WAD)).toBe(0);
    expect(s.y(0n)).toBe(100);
    expect(pathOf(pts.slice(0, 2), s)).toBe('M10.0,0.0 L35.0,25.0');
  });
});

describe('deployment file', () => {
  const good = {
    chainId: 31337,
    genesisHash: `0x${'12'.repeat(32)}`,
    block: 12,
    engine: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    stablecoin: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
    fund: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
    spotter: '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9',
    liquidationEngine: '0xdc64a140aa3e981100a9beca4e685f962f0cf6c9',
    ilks: [
      {
        name: 'ETH-A',
        id: '0x4554482d41000000000000000000000000000000000000000000000000000000',
        token: '0x5fc8d32690cc91d4c39d9d3abcbd16989f875707',
        decimals: 18,
        oracle: '0x0165878a594ca255338adfa4d48449f69242eb8f',
        feeds: [],
        house: '0xa513e6e4b8f2a923d98304ec87f64353c4d5c853',
      },
    ],
  };
  it('validates and checksums', () => {
    const r = parseDeployment(good);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.deployment.engine).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
      expect(r.deployment.block).toBe(12n);
      expect(watchedAddresses(r.deployment)).toHaveLength(8);
    }
  });
  it('names bad fields', () => {
    const r = parseDeployment({ ...good, engine: 'nope', ilks: [{ ...good.ilks[0], id: '0x12' }] });
    expect(r.ok ? '' : r.message).toMatch(/engine: not an address; ilks\.0\.id: must be a bytes32 hex/);
  });
});

describe('live invalidation', () => {
  it('maps logs to the query families they make stale', async () => {
    const { familiesForLogs } = await import('./liveKeys.ts');
    const r = parseDeployment({
      chainId: 31337,
      genesisHash: `0x${'12'.repeat(32)}`,
      block: 0,
      engine: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      stablecoin: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
      fund: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
      spotter: '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9',
      liquidationEngine: '0xdc64a140aa3e981100a9beca4e685f962f0cf6c9',
      ilks: [
        {
          name: 'ETH-A',
          id: '0x4554482d41000000000000000000000000000000000000000000000000000000',
          token: '0x5fc8d32690cc91d4c39d9d3abcbd16989f875707',
          decimals: 18,
          oracle: '0x0165878a594ca255338adfa4d48449f69242eb8f',
          house: '0xa513e6e4b8f2a923d98304ec87f64353c4d5c853',
        },
      ],
    });
    if (!r.ok) throw new Error(r.message);
    const d = r.deployment;
    expect(familiesForLogs([{ address: d.ilks[0]?.house ?? '0x' }], d)).toEqual(['auction', 'auctions', 'events', 'overview', 'wallet']);
    expect(familiesForLogs([{ address: d.engine }], d)).toEqual(['overview', 'vaults', 'wallet']);
    expect(familiesForLogs([{ address: '0x0000000000000000000000000000000000000001' }], d)).toEqual([]);
    // Owner protection: an opt-in, a pre-liquidation, a reserve change or a top-up moves the vault cards,
    // and both contracts are watched.
    const pre = '0x0000000000000000000000000000000000000a11' as const;
    const hook = '0x0000000000000000000000000000000000000b22' as const;
    const withProtection = { ...d, preLiquidation: pre, topUpHook: hook };
    expect(familiesForLogs([{ address: pre }], withProtection)).toEqual(['vaults', 'wallet']);
    expect(familiesForLogs([{ address: hook }], withProtection)).toEqual(['vaults', 'wallet']);
    const { watchedAddresses } = await import('./deploymentUtils.ts');
    expect(watchedAddresses(withProtection)).toEqual(expect.arrayContaining([pre, hook]));
    expect(watchedAddresses(d)).not.toContain(pre);
    // Portfolio vaults: a deposit or withdrawal (the portfolio engine's log) moves the portfolio page and wallets.
    const portfolioEngine = '0x0000000000000000000000000000000000000c33' as const;
    const withPortfolio = { ...d, portfolioEngine };
    expect(familiesForLogs([{ address: portfolioEngine }], withPortfolio)).toEqual(['vaults', 'wallet']);
    expect(familiesForLogs([{ address: portfolioEngine }], d)).toEqual([]);
    expect(watchedAddresses(withPortfolio)).toContain(portfolioEngine);
    expect(watchedAddresses(d)).not.toContain(portfolioEngine);
  });
});
