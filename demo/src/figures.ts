// System-wide figures read from the chain for the dashboard and the summary: bad debt on the books,
// the insurance fund's assets, and the stablecoin the auction houses raised but have not settled.

import type { PublicClient } from 'viem';
import { insuranceFundAbi, RAY, stablecoinAbi, vaultEngineAbi } from '@gavel/contracts';
import type { DemoDeployment } from './deployment.ts';

export interface SystemFigures {
  /** VaultEngine bad debt, WAD (rounded down from RAD). */
  readonly badDebt: bigint;
  /** InsuranceFund.totalAssets, WAD. */
  readonly fund: bigint;
  /** gUSD held by the auction houses (raised, not yet settled), WAD. */
  readonly proceeds: bigint;
}

export async function systemFigures(client: PublicClient, d: DemoDeployment): Promise<SystemFigures> {
  const badDebt = (await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' })) / RAY;
  const fund = await client.readContract({ address: d.fund, abi: insuranceFundAbi, functionName: 'totalAssets' });
  let proceeds = 0n;
  for (const ilk of d.ilks) proceeds += await client.readContract({ address: d.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [ilk.house] });
  return { badDebt, fund, proceeds };
}
