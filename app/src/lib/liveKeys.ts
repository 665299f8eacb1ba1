// Which cached reads a block's logs make stale. One block subscription fetches the logs of every
// Gavel contract since the last block it saw and invalidates only the query families they touch.
import type { Address } from 'viem';
import type { Deployment } from './deployment.ts';

export type QueryFamily = 'overview' | 'events' | 'auctions' | 'auction' | 'vaults' | 'wallet';

/** Root of every chain-derived query key: invalidating it refreshes everything. */
export const CHAIN_KEY = ['gavel', 'chain'] as const;

export function familyKey(family: QueryFamily): readonly ['gavel', 'chain', QueryFamily] {
  return [...CHAIN_KEY, family];
}

/** The query families a log emitted by `address` can change. */
export function familiesFor(address: Address, d: Deployment): QueryFamily[] {
  const a = address.toLowerCase();
  const eq = (b: string): boolean => b.toLowerCase() === a;
  const out = new Set<QueryFamily>();
  if (d.ilks.some((i) => eq(i.house))) ['auctions', 'auction', 'overview', 'events', 'wallet'].forEach((f) => out.add(f as QueryFamily));
  if (eq(d.liquidationEngine)) ['auctions', 'overview', 'events', 'vaults'].forEach((f) => out.add(f as QueryFamily));
  if (eq(d.engine)) ['vaults', 'overview', 'wallet'].forEach((f) => out.add(f as QueryFamily));
  if (eq(d.spotter) || d.ilks.some((i) => eq(i.oracle))) ['overview', 'auctions', 'auction', 'vaults'].forEach((f) => out.add(f as QueryFamily));
  if (eq(d.stablecoin) || d.ilks.some((i) => eq(i.token))) ['wallet', 'overview'].forEach((f) => out.add(f as QueryFamily));
  if (eq(d.fund)) out.add('overview');
  // Owner protection (opt-in, pre-liquidation, reserve, top-up): the vault cards and the owner's wallet.
  if ((d.preLiquidation && eq(d.preLiquidation)) || (d.topUpHook && eq(d.topUpHook))) ['vaults', 'wallet'].forEach((f) => out.add(f as QueryFamily));
  // Portfolio vaults (read under the 'vaults' family): holdings moved, and the payer's or receiver's wallet.
  if (d.portfolioEngine && eq(d.portfolioEngine)) ['vaults', 'wallet'].forEach((f) => out.add(f as QueryFamily));
  return [...out];
}

/** The union of families touched by a batch of logs. */
export function familiesForLogs(logs: readonly { address: Address }[], d: Deployment): QueryFamily[] {
  const out = new Set<QueryFamily>();
  for (const log of logs) for (const f of familiesFor(log.address, d)) out.add(f);
  return [...out].sort();
}
