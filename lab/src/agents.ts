// The lab's modelled agents (the real keeper is not run: see lab/README.md, "What is modelled"). Pure
// decision rules, so they are unit-tested without a chain: which vaults the keeper kicks, which
// auctions it restarts or hands to the insurance fund, and what each bidder takes.
import { amountOut } from '@gavel/demo/market/pool';
import { WAD, collateralValueUp, lotValue } from '@gavel/sdk';
import type { BidderSpec } from './schema.ts';

/** A live auction as the agents see it after the market block. */
export interface LiveAuction {
  readonly ilk: string;
  readonly house: `0x${string}`;
  readonly id: bigint;
  readonly price: bigint;
  readonly needsRedo: boolean;
  readonly lot: bigint;
  readonly tab: bigint;
  readonly redos: number;
  /** The step in which the auction (re)started. */
  readonly startedStep: number;
  /** 10 ** (18 - decimals). */
  readonly scale: bigint;
}

/** Gas a bidder budgets for a take (its own capital / through the flash taker), for the profit check. */
export const TAKE_GAS = 200_000n;
export const FLASH_TAKE_GAS = 450_000n;

/** Gas cost in gUSD (WAD) of `gas` units at `baseFeeWei` with the gas token at `gasTokenPrice` (WAD). */
export function gasCostGusd(gas: bigint, baseFeeWei: bigint, gasTokenPrice: bigint): bigint {
  return (gas * baseFeeWei * gasTokenPrice) / WAD;
}

/** Unsafe-since bookkeeping: returns the vaults to kick this step. */
export function vaultsToKick(
  unsafeSince: Map<string, number>,
  unsafeNow: ReadonlySet<string>,
  step: number,
  kickDelaySteps: number,
): string[] {
  for (const key of [...unsafeSince.keys()]) if (!unsafeNow.has(key)) unsafeSince.delete(key);
  const due: string[] = [];
  for (const key of unsafeNow) {
    const since = unsafeSince.get(key);
    if (since === undefined) unsafeSince.set(key, step);
    if (step - (since ?? step) >= kickDelaySteps) due.push(key);
  }
  return due;
}

/** The keeper's housekeeping of one auction: restart it, hand it to the fund, or leave it. */
export function housekeeping(a: LiveAuction, takeoverAfterRedos: number): 'redo' | 'takeover' | 'none' {
  if (!a.needsRedo) return 'none';
  return a.redos >= takeoverAfterRedos ? 'takeover' : 'redo';
}

export interface TakePlan {
  readonly amount: bigint;
  readonly maxPrice: bigint;
  /** Expected profit in gUSD after gas (WAD). */
  readonly profit: bigint;
}

/**
 * A capital bidder: buys when the price is at least `marginBps` under the market (where it sells the
 * collateral off chain) and the take pays for its gas; as much as its gUSD buys.
 */
export function planCapitalTake(a: LiveAuction, market: bigint, capital: bigint, spec: BidderSpec, gasCost: bigint): TakePlan | undefined {
  if (a.needsRedo || a.price === 0n || capital === 0n) return undefined;
  if (a.price * (10_000n + BigInt(spec.marginBps)) > market * 10_000n) return undefined;
  const affordable = (capital * WAD) / (a.price * a.scale);
  const amount = affordable < a.lot ? affordable : a.lot;
  if (amount === 0n) return undefined;
  const owe = collateralValueUp(amount, a.price, a.scale);
  const cappedOwe = owe < a.tab ? owe : a.tab;
  const worth = lotValue(amount, market, a.scale) - (owe - cappedOwe); // a take capped at the tab delivers less
  const profit = worth - cappedOwe - gasCost;
  return profit > 0n ? { amount, maxPrice: a.price, profit } : undefined;
}

/** Pool reserves oriented for a collateral. */
export interface PoolReserves {
  readonly collateral: bigint;
  readonly stable: bigint;
}

/**
 * A flash bidder: buys through the flash taker and sells on the pool in the same transaction, when the
 * pool pays at least `marginBps` over the auction's price and covers the gas. Picks the largest of 32
 * slices of the lot that does.
 */
export function planFlashTake(a: LiveAuction, pool: PoolReserves, spec: BidderSpec, gasCost: bigint): TakePlan | undefined {
  if (a.needsRedo || a.price === 0n || pool.collateral === 0n) return undefined;
  const SLICES = 32n;
  let best: TakePlan | undefined;
  for (let k = SLICES; k >= 1n; k--) {
    const amount = (a.lot * k) / SLICES;
    if (amount === 0n) continue;
    let owe = collateralValueUp(amount, a.price, a.scale);
    let sold = amount;
    if (owe > a.tab) {
      owe = a.tab;
      sold = (a.tab * WAD) / (a.price * a.scale);
    }
    const proceeds = amountOut(sold, pool.collateral, pool.stable);
    const need = (owe * (10_000n + BigInt(spec.marginBps))) / 10_000n + gasCost;
    if (proceeds >= need) {
      best = { amount, maxPrice: a.price, profit: proceeds - owe - gasCost };
      break;
    }
  }
  return best;
}
