// Query factories for the indexer's history. Keys sit under the chain families their events touch,
// so the block subscription refreshes them too; a catch-up refetch covers the indexer's own lag.
import { queryOptions } from '@tanstack/react-query';
import type { Address, Hex } from 'viem';
import { INDEXER_URL } from '../lib/env.ts';
import { indexerGet, parseAuctionHistory, parseBidder, parseSeries, parseVaultHistory } from '../lib/indexer.ts';
import { familyKey } from '../lib/liveKeys.ts';

/** The indexer trails the node by a poll or two: look again after this long. */
const CATCH_UP_MS = 10_000;
const common = { retry: false, refetchInterval: CATCH_UP_MS, staleTime: 5_000 } as const;

export function auctionHistoryQueryOptions(house: Address, id: bigint) {
  return queryOptions({
    ...common,
    queryKey: [...familyKey('auction'), 'history', house, id.toString()] as const,
    queryFn: () => indexerGet(INDEXER_URL, `/api/auctions/${house}/${id}`, parseAuctionHistory),
  });
}

export function vaultHistoryQueryOptions(ilk: Hex, owner: Address) {
  return queryOptions({
    ...common,
    queryKey: [...familyKey('vaults'), 'history', ilk, owner] as const,
    queryFn: () => indexerGet(INDEXER_URL, `/api/vaults/${ilk}/${owner}`, parseVaultHistory),
  });
}

export function bidderHistoryQueryOptions(address: Address) {
  return queryOptions({
    ...common,
    queryKey: [...familyKey('auctions'), 'bidder', address] as const,
    queryFn: () => indexerGet(INDEXER_URL, `/api/bidders/${address}?limit=200`, parseBidder),
  });
}

export function seriesQueryOptions(bucketSeconds: number) {
  return queryOptions({
    ...common,
    queryKey: [...familyKey('overview'), 'series', bucketSeconds] as const,
    queryFn: () => indexerGet(INDEXER_URL, `/api/series?bucket=${bucketSeconds}`, parseSeries),
  });
}
