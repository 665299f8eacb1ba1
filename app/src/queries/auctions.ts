import { collateralAuctionAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import type { Address, PublicClient } from 'viem';
import type { SaleCore, Tier } from '../lib/auction.ts';
import type { Deployment, Ilk } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';
import { markPrice, readTier } from './reads.ts';

export interface LiveAuction {
  house: Address;
  ilk: Ilk;
  id: bigint;
  sale: SaleCore & { tierId: number; owner: Address; redos: number; penalty: bigint };
  tier: Tier;
  /** Mark price of the collateral (WAD); 0 when the oracle has none. */
  mark: bigint;
  breaker: number;
}

/** Reads one auction house's live auctions; a sale that closes between list() and sale() is skipped. */
export async function fetchHouseAuctions(client: PublicClient, ilk: Ilk): Promise<LiveAuction[]> {
  const [ids, mark, breaker] = await Promise.all([
    client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'list' }),
    markPrice(client, ilk.oracle),
    client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'breakerLevel' }),
  ]);
  const sales = await Promise.all(
    ids.map(async (id) => {
      try {
        return { id, sale: await client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'sale', args: [id] }) };
      } catch {
        return undefined;
      }
    }),
  );
  const live = sales.filter((s) => s !== undefined);
  const tierIds = [...new Set(live.map((s) => s.sale.tierId))];
  const tiers = new Map(await Promise.all(tierIds.map(async (t) => [t, await readTier(client, ilk.house, t)] as const)));
  const out: LiveAuction[] = [];
  for (const { id, sale } of live) {
    const tier = tiers.get(sale.tierId);
    if (!tier) continue;
    out.push({
      house: ilk.house,
      ilk,
      id,
      sale: {
        tab: sale.tab,
        lot: sale.lot,
        top: sale.top,
        startedAt: BigInt(sale.startedAt),
        minTab: sale.minTab,
        tierId: sale.tierId,
        owner: sale.owner,
        redos: sale.redos,
        penalty: sale.penalty,
      },
      tier,
      mark: mark.valid ? mark.price : 0n,
      breaker,
    });
  }
  return out;
}

/** Every live auction of every house: sale, tier and market price; prices tick locally. */
export function auctionsQueryOptions(client: PublicClient, d: Deployment) {
  return queryOptions({
    queryKey: [...familyKey('auctions'), d.chainId] as const,
    queryFn: async () => (await Promise.all(d.ilks.map((ilk) => fetchHouseAuctions(client, ilk)))).flat(),
  });
}
