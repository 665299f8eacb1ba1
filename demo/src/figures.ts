// System-wide figures read from the chain for the dashboard and the summary: bad debt on the books,
// the insurance fund's assets, and the stablecoin the auction houses raised but have not settled.

import type { PublicClient } from 'viem';
import { insuranceFundAbi, radToWad, stablecoinAbi, vaultEngineAbi } from '@gavel/sdk';
import type { DemoDeployment } from './deployment.ts';

export interface SystemFigures {
  /** VaultEngine bad debt, WAD (rounded down from RAD). */
  readonly badDebt: bigint;
  /** InsuranceFund assets, WAD: `totalAssets` plus revenue still vesting (the fund's gUSD either way). */
  readonly fund: bigint;
  /** gUSD held by the auction houses (raised, not yet settled), WAD. */
  readonly proceeds: bigint;
}

export async function systemFigures(client: PublicClient, d: DemoDeployment): Promise<SystemFigures> {
  const badDebt = radToWad(await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' }));
  // Revenue reaches the LP price over the fund's vesting period; the demo reports all of it.
  const [vested, unvested] = await Promise.all([
    client.readContract({ address: d.fund, abi: insuranceFundAbi, functionName: 'totalAssets' }),
    client.readContract({ address: d.fund, abi: insuranceFundAbi, functionName: 'unvestedRevenue' }),
  ]);
  const fund = vested + unvested;
  let proceeds = 0n;
  for (const ilk of d.ilks) proceeds += await client.readContract({ address: d.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [ilk.house] });
  return { badDebt, fund, proceeds };
}
