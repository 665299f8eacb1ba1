import { collateralAuctionAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import { getAbiItem, type Address, type Hex, type PublicClient } from 'viem';
import type { Tier } from '../lib/auction.ts';
import type { Ilk } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';
import { markPrice, readTier, tokenSymbol } from './reads.ts';

export interface TakePoint {
  key: string;
  tx: Hex;
  block: bigint;
  timestamp: bigint;
  taker: Address;
  price: bigint;
  owe: bigint;
  collateralOut: bigint;
}

export type AuctionDetail =
  /** No Kick event for this id: it never existed on this deployment. */
  | { status: 'missing' }
  | { status: 'closed'; symbol: string; takes: TakePoint[] }
  | {
      status: 'live';
      symbol: string;
      sale: { tab: bigint; lot: bigint; top: bigint; startedAt: bigint; minTab: bigint; tierId: number; redos: number; owner: Address; penalty: bigint };
      tier: Tier;
      mark: bigint;
      breaker: number;
      /** Lot when the auction was kicked (from the Kick event), for "x of y left". */
      initialLot: bigint | undefined;
      takes: TakePoint[];
    };

async function fetchAuction(client: PublicClient, ilk: Ilk, id: bigint, fromBlock: bigint): Promise<AuctionDetail> {
  const house = ilk.house;
  const [takeLogs, kickLogs, symbol] = await Promise.all([
    client.getLogs({ address: house, event: getAbiItem({ abi: collateralAuctionAbi, name: 'Take' }), args: { id }, fromBlock }),
    client.getLogs({ address: house, event: getAbiItem({ abi: collateralAuctionAbi, name: 'Kick' }), args: { id }, fromBlock }),
    tokenSymbol(client, ilk.token, ilk.name),
  ]);
  const blocks = [...new Set(takeLogs.map((l) => l.blockNumber))].slice(-50);
  const stamps = new Map(await Promise.all(blocks.map(async (n) => [n, (await client.getBlock({ blockNumber: n })).timestamp] as const)));
  const takes: TakePoint[] = takeLogs.map((l) => ({
    key: `${l.transactionHash}-${l.logIndex}`,
    tx: l.transactionHash,
    block: l.blockNumber,
    timestamp: stamps.get(l.blockNumber) ?? 0n,
    taker: l.args.taker ?? '0x',
    price: l.args.price ?? 0n,
    owe: l.args.owe ?? 0n,
    collateralOut: l.args.collateralOut ?? 0n,
  }));
  let sale;
  try {
    sale = await client.readContract({ address: house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] });
  } catch {
    // sale() reverts for every id that is not live; only a Kick says the id ever was an auction.
    return kickLogs.length === 0 ? { status: 'missing' } : { status: 'closed', symbol, takes };
  }
  const [tier, mark, breaker] = await Promise.all([
    readTier(client, house, sale.tierId),
    markPrice(client, ilk.oracle),
    client.readContract({ address: house, abi: collateralAuctionAbi, functionName: 'breakerLevel' }),
  ]);
  const kick = kickLogs[kickLogs.length - 1];
  return {
    status: 'live',
    symbol,
    sale: { ...sale, startedAt: BigInt(sale.startedAt) },
    tier,
    mark: mark.valid ? mark.price : 0n,
    breaker,
    initialLot: kick?.args.lot,
    takes,
  };
}

/** One auction with its tier, market price and every take so far (with block times for the chart). */
export function auctionQueryOptions(client: PublicClient, ilk: Ilk, id: bigint, fromBlock: bigint) {
  return queryOptions({
    queryKey: [...familyKey('auction'), ilk.house, id.toString()] as const,
    queryFn: () => fetchAuction(client, ilk, id, fromBlock),
  });
}

/** `quote(id, amount)`: what the chain says a take would pay and deliver right now. */
export function quoteQueryOptions(client: PublicClient, house: Address, id: bigint, amount: bigint | undefined) {
  return queryOptions({
    queryKey: [...familyKey('auction'), house, id.toString(), 'quote', amount?.toString() ?? ''] as const,
    enabled: amount !== undefined && amount > 0n,
    queryFn: async () => {
      const [collateralOut, owe, price] = await client.readContract({
        address: house,
        abi: collateralAuctionAbi,
        functionName: 'quote',
        args: [id, amount ?? 0n],
      });
      return { collateralOut, owe, price };
    },
    retry: false,
  });
}
