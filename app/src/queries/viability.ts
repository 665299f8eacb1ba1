import { queryOptions } from '@tanstack/react-query';
import { parseAbi, type Address, type PublicClient } from 'viem';
import { depthWithinSlippage } from '../lib/dex.ts';
import type { Deployment, Ilk } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';
import { fetchHouseAuctions } from './auctions.ts';

const pairAbi = parseAbi(['function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)', 'function token0() view returns (address)']);
const routerAbi = parseAbi(['function getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)']);

/** Slippage levels the viability table shows, bps. */
export const VIABILITY_SLIPPAGE_BPS = [100n, 500n, 1_000n] as const;

export interface DepthAt {
  slippageBps: bigint;
  /** Collateral (native units) sellable within the slippage. */
  collateral: bigint;
  /** gUSD the router says that sale returns (getAmountsOut on chain), WAD. */
  stableOut: bigint;
}

export interface IlkViability {
  ilk: Ilk;
  /** Collateral in live auctions now (native units) and their debt left (WAD). */
  liveLot: bigint;
  liveTab: bigint;
  liveAuctions: number;
  /** undefined: no pool for this collateral in the deployment. */
  pool: { pair: Address; reserveCollateral: bigint; reserveStable: bigint; depth: DepthAt[] } | undefined;
}

async function poolDepth(client: PublicClient, d: Deployment, ilk: Ilk): Promise<IlkViability['pool']> {
  const pair = d.dex?.pairs[ilk.name];
  const router = d.dex?.router;
  if (!pair || !router) return undefined;
  const [[r0, r1], token0] = await Promise.all([
    client.readContract({ address: pair, abi: pairAbi, functionName: 'getReserves' }),
    client.readContract({ address: pair, abi: pairAbi, functionName: 'token0' }),
  ]);
  const collateralFirst = token0.toLowerCase() === ilk.token.toLowerCase();
  const reserveCollateral = collateralFirst ? r0 : r1;
  const reserveStable = collateralFirst ? r1 : r0;
  const depth = await Promise.all(
    VIABILITY_SLIPPAGE_BPS.map(async (slippageBps) => {
      const collateral = depthWithinSlippage(reserveCollateral, slippageBps);
      // The router's own quote of that sale: the figure shown is the pool's, not ours.
      const stableOut =
        collateral === 0n ? 0n : ((await client.readContract({ address: router, abi: routerAbi, functionName: 'getAmountsOut', args: [collateral, [ilk.token, d.stablecoin]] }))[1] ?? 0n);
      return { slippageBps, collateral, stableOut };
    }),
  );
  return { pair, reserveCollateral, reserveStable, depth };
}

async function fetchViability(client: PublicClient, d: Deployment): Promise<IlkViability[]> {
  return Promise.all(
    d.ilks.map(async (ilk) => {
      const [auctions, pool] = await Promise.all([fetchHouseAuctions(client, ilk), poolDepth(client, d, ilk)]);
      return {
        ilk,
        liveLot: auctions.reduce((n, a) => n + a.sale.lot, 0n),
        liveTab: auctions.reduce((n, a) => n + a.sale.tab, 0n),
        liveAuctions: auctions.length,
        pool,
      };
    }),
  );
}

/** Liquidation viability per collateral: live lots against what its DEX pool absorbs within 1/5/10% slippage. */
export function viabilityQueryOptions(client: PublicClient, d: Deployment) {
  return queryOptions({ queryKey: [...familyKey('overview'), 'viability', d.chainId] as const, queryFn: () => fetchViability(client, d) });
}
