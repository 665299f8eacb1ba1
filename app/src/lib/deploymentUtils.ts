// Lookups over a loaded deployment (kept apart from the zod schema so pages do not ship zod).
import type { Address } from 'viem';
import type { Deployment, Ilk } from './deployment.ts';

/** The ilk whose auction house is `house` (case-insensitive). */
export function ilkByHouse(deployment: Deployment, house: string): Ilk | undefined {
  const h = house.toLowerCase();
  return deployment.ilks.find((i) => i.house.toLowerCase() === h);
}

/** Every contract address the app watches for events. */
export function watchedAddresses(deployment: Deployment): Address[] {
  const set = new Set<Address>([deployment.engine, deployment.stablecoin, deployment.fund, deployment.spotter, deployment.liquidationEngine]);
  for (const ilk of deployment.ilks) {
    set.add(ilk.house);
    set.add(ilk.oracle);
    set.add(ilk.token);
  }
  // Owner protection: an opt-in, a pre-liquidation or a reserve change moves the vault cards.
  if (deployment.preLiquidation) set.add(deployment.preLiquidation);
  if (deployment.topUpHook) set.add(deployment.topUpHook);
  // Portfolio vaults: a deposit or withdrawal is the portfolio engine's log (debt changes are the engine's).
  if (deployment.portfolioEngine) set.add(deployment.portfolioEngine);
  return [...set];
}
