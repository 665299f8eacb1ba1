import { collateralAuctionAbi, debtOf, insuranceFundAbi, medianOracleAbi, radToWad, vaultEngineAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import { erc20Abi, type PublicClient } from 'viem';
import type { Deployment } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';
import { feedPrice, ilkConfig, ilkInfo, markPrice, tokenSymbol } from './reads.ts';

async function fetchOverview(client: PublicClient, d: Deployment) {
  const ilks = Promise.all(
    d.ilks.map(async (ilk) => {
      const [info, mark, feeds, breaker, count, inAuctions, config, symbol, maxAgeSeconds, proceeds] = await Promise.all([
        ilkInfo(client, d.engine, ilk.id),
        markPrice(client, ilk.oracle),
        Promise.all(ilk.feeds.map((f) => feedPrice(client, f))),
        client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'breakerLevel' }),
        client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'count' }),
        client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'debtInAuctions' }),
        ilkConfig(client, d.liquidationEngine, ilk.id),
        tokenSymbol(client, ilk.token, ilk.name),
        client.readContract({ address: ilk.oracle, abi: medianOracleAbi, functionName: 'maxAgeSeconds' }).catch(() => undefined),
        // Stablecoin the house raised and has not settled yet (settle() pays it against bad debt).
        client.readContract({ address: d.stablecoin, abi: erc20Abi, functionName: 'balanceOf', args: [ilk.house] }),
      ]);
      const debt = debtOf(info.normalizedDebt, info.rate);
      return {
        ilk,
        symbol,
        info,
        debt,
        mark,
        feeds,
        breaker,
        count,
        inAuctions,
        proceeds,
        maxAgeSeconds,
        penaltyWad: config.penaltyWad,
        maxDebtInAuctions: config.maxDebtInAuctions,
      };
    }),
  );
  const [rows, fundAssets, fundShares, fundAsset, badDebtRad, totalDebtRad, stableInFund] = await Promise.all([
    ilks,
    client.readContract({ address: d.fund, abi: insuranceFundAbi, functionName: 'totalAssets' }),
    client.readContract({ address: d.fund, abi: insuranceFundAbi, functionName: 'totalSupply' }),
    client.readContract({ address: d.fund, abi: insuranceFundAbi, functionName: 'asset' }),
    client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' }),
    client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'totalDebtRad' }),
    client.readContract({ address: d.stablecoin, abi: erc20Abi, functionName: 'balanceOf', args: [d.fund] }),
  ]);
  return {
    ilks: rows,
    fund: { assets: fundAssets, shares: fundShares, asset: fundAsset, stableBalance: stableInFund },
    badDebt: radToWad(badDebtRad),
    totalDebt: radToWad(totalDebtRad),
    /** Σ debt (tab) still to raise in live auctions, WAD. */
    liveAuctionDebt: rows.reduce((n, r) => n + r.inAuctions, 0n),
    /** Σ stablecoin the houses raised and have not settled, WAD. */
    unsettledProceeds: rows.reduce((n, r) => n + r.proceeds, 0n),
  };
}

export type Overview = Awaited<ReturnType<typeof fetchOverview>>;

/** Every collateral type with its prices, debt, auctions and breaker; the fund; system debt. */
export function overviewQueryOptions(client: PublicClient, d: Deployment) {
  return queryOptions({ queryKey: [...familyKey('overview'), d.chainId] as const, queryFn: () => fetchOverview(client, d) });
}
