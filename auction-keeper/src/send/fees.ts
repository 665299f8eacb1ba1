// EIP-1559 fees with a ceiling: maxFee = 2 × baseFee + tip (room for six full blocks of base-fee
// growth), capped at the configured ceiling as long as the ceiling still covers baseFee + tip;
// above that nothing is sent (FeeCeilingError) and the caller logs and alerts.
//
// Per action (feesForAction): the fee follows the base fee in congestion up to a ceiling that
// depends on what the action earns — a take's expected profit before gas, a kick's incentive —
// converted to wei: at most `shareBps` of that value per unit of gas (value × share / gas), and
// never above the configured ceiling. A take worth 50 gUSD and 200k gas at 3000 gUSD/ETH with a
// 50% share may pay up to 41.6 gwei; when baseFee + tip passes that, it waits (the action is not
// worth sending at this base fee) while bigger actions still go.

import type { PublicClient } from 'viem';

export interface Fees {
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
  readonly baseFeePerGas: bigint;
}

export class FeeCeilingError extends Error {
  override readonly name = 'FeeCeilingError';
  constructor(
    readonly needed: bigint,
    readonly ceiling: bigint,
  ) {
    super(`fee ceiling: base fee + tip ${needed} wei/gas exceeds the ceiling ${ceiling} wei/gas`);
  }
}

export interface FeePolicy {
  /** Ceiling on maxFeePerGas (wei). */
  readonly maxFeePerGas: bigint;
  /** Tip per gas (wei). */
  readonly priorityFeePerGas: bigint;
}

/** Fees for a base fee under a policy; throws FeeCeilingError when even baseFee + tip is above the ceiling. */
export function feesFor(baseFeePerGas: bigint, policy: FeePolicy): Fees {
  const tip = policy.priorityFeePerGas < policy.maxFeePerGas ? policy.priorityFeePerGas : policy.maxFeePerGas;
  const needed = baseFeePerGas + tip;
  if (needed > policy.maxFeePerGas) throw new FeeCeilingError(needed, policy.maxFeePerGas);
  const wanted = 2n * baseFeePerGas + tip;
  return { maxFeePerGas: wanted > policy.maxFeePerGas ? policy.maxFeePerGas : wanted, maxPriorityFeePerGas: tip, baseFeePerGas };
}

/** Fees from the latest block's base fee. */
export async function estimateFees(client: PublicClient, policy: FeePolicy): Promise<Fees> {
  const block = await client.getBlock({ blockTag: 'latest' });
  return feesFor(block.baseFeePerGas ?? 0n, policy);
}

/** A replacement's fees: both at least +12.5% (the geth/anvil rule is +10%), rounded up, and at least the current estimate. */
export function bumpFees(prev: Pick<Fees, 'maxFeePerGas' | 'maxPriorityFeePerGas'>, current?: Fees): { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } {
  const bump = (x: bigint): bigint => (x * 1125n + 999n) / 1000n + 1n;
  let maxFeePerGas = bump(prev.maxFeePerGas);
  let maxPriorityFeePerGas = bump(prev.maxPriorityFeePerGas);
  if (current && current.maxFeePerGas > maxFeePerGas) maxFeePerGas = current.maxFeePerGas;
  if (current && current.maxPriorityFeePerGas > maxPriorityFeePerGas) maxPriorityFeePerGas = current.maxPriorityFeePerGas;
  if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas;
  return { maxFeePerGas, maxPriorityFeePerGas };
}

/** Basis points in one. */
export const BPS = 10_000n;

/** What an action earns, for its fee ceiling. */
export interface ActionValue {
  /** The action's value before gas, in wei (a take's profit before gas, a kick's incentive). */
  readonly valueWei: bigint;
  /** The transaction's gas limit. */
  readonly gas: bigint;
  /** Share of the value the keeper pays for gas at most (basis points). */
  readonly shareBps: bigint;
}

/** The most per gas an action's value allows: value × share / (BPS × gas), rounded down; 0 for no gas or no value. */
export function profitCeilingPerGas(v: ActionValue): bigint {
  if (v.gas <= 0n || v.valueWei <= 0n) return 0n;
  return (v.valueWei * v.shareBps) / (BPS * v.gas);
}

/**
 * Fees for an action at this base fee: 2 × baseFee + tip, capped by the configured ceiling and by
 * the action's own ({@link profitCeilingPerGas}); FeeCeilingError when baseFee + tip is above the
 * lower of the two (not worth sending now).
 */
export function feesForAction(baseFeePerGas: bigint, policy: FeePolicy, value: ActionValue): Fees {
  const own = profitCeilingPerGas(value);
  return feesFor(baseFeePerGas, { ...policy, maxFeePerGas: own < policy.maxFeePerGas ? own : policy.maxFeePerGas });
}
