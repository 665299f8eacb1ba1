// Tier 1: liquidate and sell in one transaction.
//
// A vault whose tab falls in a tier that starts below the mark (SDK `startsBelowMark`) can be
// liquidated and its whole auction bought at once through the flash taker's `liquidateAndTake`:
// the keeper earns the incentive plus what the DEX pays above the start price, and no auction is
// left behind. The planner here is pure (which
// vaults are candidates, from the index's tier tables); the Kicker prepares, prices and sends.

import { type Address, type Hex, maxUint256 } from 'viem';
import { type TierTable, startsBelowMark, tierFor } from '@gavel/sdk';
import type { IndexModel, TierParams } from '../index/model.ts';

export interface InstantOptions {
  /** The deployment's UniswapV2FlashTaker. */
  readonly flashTaker: Address;
  /** The stablecoin (the swap path's last token). */
  readonly stablecoin: Address;
}

/** The house's tier table and tiers as the index knows them (addresses compared case-insensitively). */
function houseTiers(model: IndexModel, ilk: Hex): { table: TierTable; tiers: ReadonlyMap<number, TierParams> } | undefined {
  const house = model.houses.get(ilk)?.toLowerCase();
  if (house === undefined) return undefined;
  const table = [...model.tierTables].find(([h]) => h.toLowerCase() === house)?.[1];
  const tiers = [...model.tiers].find(([h]) => h.toLowerCase() === house)?.[1];
  return table && tiers ? { table, tiers } : undefined;
}

/**
 * Whether a liquidation of tab `tab` on `ilk` would start in a tier priced below the mark, so that
 * `liquidateAndTake` can buy it at a discount in the kick's own transaction. False when the index
 * does not know the house's tiers (the vault is then kicked as usual).
 */
export function instantTier(model: IndexModel, ilk: Hex, tab: bigint): boolean {
  const h = houseTiers(model, ilk);
  if (!h || h.table.tierIds.length === 0) return false;
  const tier = h.tiers.get(Number(tierFor(h.table, tab)));
  return tier !== undefined && startsBelowMark(tier);
}

/**
 * The flash taker's `liquidateAndTake` arguments. `maxPrice` is unbounded: what protects the keeper
 * is `minProfit` (the swap must cover what the auction asks, and the incentive plus the surplus must
 * reach `minProfit`, the gas cost at the fee ceiling, or the transaction reverts).
 */
export function instantArgs(o: InstantOptions & { engine: Address; ilk: Hex; owner: Address; token: Address; profitTo: Address; minProfit: bigint }): readonly unknown[] {
  return [o.engine, o.ilk, o.owner, maxUint256, o.minProfit, [o.token, o.stablecoin], o.profitTo];
}

/** `liquidateAndTake`'s return value: (auctionId, collateralBought, paid, profit). */
export function instantProfit(result: unknown): bigint {
  const r = result as readonly [bigint, bigint, bigint, bigint];
  return r[3];
}
