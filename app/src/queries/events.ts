import { collateralAuctionAbi, liquidationEngineAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import { getAbiItem, type Address, type Hex, type PublicClient } from 'viem';
import type { Deployment } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';

/** How far back the overview looks for liquidations and takes. */
const LOOKBACK_BLOCKS = 5_000n;

export type RecentEvent =
  | { kind: 'liquidate'; key: string; block: bigint; tx: Hex; ilkName: string; owner: Address; auctionId: bigint; house: Address | undefined; debt: bigint; tab: bigint; isPartial: boolean }
  | { kind: 'take'; key: string; block: bigint; tx: Hex; ilkName: string; house: Address; auctionId: bigint; taker: Address; price: bigint; owe: bigint; collateralOut: bigint; decimals: number };

async function fetchRecent(client: PublicClient, d: Deployment, limit: number): Promise<RecentEvent[]> {
  const latest = await client.getBlockNumber();
  const fromBlock = latest > d.block + LOOKBACK_BLOCKS ? latest - LOOKBACK_BLOCKS : d.block;
  const [liqs, takes] = await Promise.all([
    client.getLogs({ address: d.liquidationEngine, event: getAbiItem({ abi: liquidationEngineAbi, name: 'Liquidate' }), fromBlock, toBlock: latest }),
    d.ilks.length === 0
      ? Promise.resolve([])
      : client.getLogs({ address: d.ilks.map((i) => i.house), event: getAbiItem({ abi: collateralAuctionAbi, name: 'Take' }), fromBlock, toBlock: latest }),
  ]);
  const out: RecentEvent[] = [];
  for (const l of liqs) {
    const ilk = d.ilks.find((i) => i.id === l.args.ilk?.toLowerCase());
    out.push({
      kind: 'liquidate',
      key: `${l.transactionHash}-${l.logIndex}`,
      block: l.blockNumber,
      tx: l.transactionHash,
      ilkName: ilk?.name ?? 'unknown',
      owner: l.args.owner ?? '0x',
      auctionId: l.args.auctionId ?? 0n,
      house: ilk?.house,
      debt: l.args.debt ?? 0n,
      tab: l.args.tab ?? 0n,
      isPartial: l.args.isPartial ?? false,
    });
  }
  for (const l of takes) {
    const ilk = d.ilks.find((i) => i.house.toLowerCase() === l.address.toLowerCase());
    out.push({
      kind: 'take',
      key: `${l.transactionHash}-${l.logIndex}`,
      block: l.blockNumber,
      tx: l.transactionHash,
      ilkName: ilk?.name ?? 'unknown',
      house: l.address,
      auctionId: l.args.id ?? 0n,
      taker: l.args.taker ?? '0x',
      price: l.args.price ?? 0n,
      owe: l.args.owe ?? 0n,
      collateralOut: l.args.collateralOut ?? 0n,
      decimals: ilk?.decimals ?? 18,
    });
  }
  return out.sort((a, b) => (a.block === b.block ? b.key.localeCompare(a.key) : a.block > b.block ? -1 : 1)).slice(0, limit);
}

/** The latest liquidations and takes (most recent first). */
export function recentEventsQueryOptions(client: PublicClient, d: Deployment, limit = 15) {
  return queryOptions({ queryKey: [...familyKey('events'), d.chainId, limit] as const, queryFn: () => fetchRecent(client, d, limit) });
}
