// EIP-1559 fees with a ceiling: maxFee = 2 × baseFee + tip (room for six full blocks of base-fee
// growth), capped at the configured ceiling as long as the ceiling still covers baseFee + tip;
// above that nothing is sent (FeeCeilingError) and the caller logs and alerts.

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
