// Vault engine calls. Adding collateral and repaying are allowed on anyone's vault (rescue), so
// both go through adjustFor with the owner; borrowing needs the owner (or an operator).
import { vaultEngineAbi } from '@gavel/sdk';
import { encodeFunctionData, type Address, type Hex } from 'viem';
import type { Call } from '../tx/types.ts';

/** Add collateral to `owner`'s vault; the caller pays (approve the engine first). */
export function depositCall(p: { engine: Address; ilk: Hex; owner: Address; amount: bigint; label: string }): Call {
  return {
    label: p.label,
    to: p.engine,
    data: encodeFunctionData({ abi: vaultEngineAbi, functionName: 'adjustFor', args: [p.ilk, p.owner, p.amount, 0n] }),
  };
}

/** Repay `owner`'s debt; the engine burns the caller's stablecoin directly (no allowance needed). */
export function repayCall(p: { engine: Address; ilk: Hex; owner: Address; amount: bigint; label: string }): Call {
  return {
    label: p.label,
    to: p.engine,
    data: encodeFunctionData({ abi: vaultEngineAbi, functionName: 'adjustFor', args: [p.ilk, p.owner, 0n, -p.amount] }),
  };
}

/** Open or grow the caller's own vault: deposit and borrow in one call. */
export function adjustCall(p: { engine: Address; ilk: Hex; deposit: bigint; borrow: bigint; label: string }): Call {
  return {
    label: p.label,
    to: p.engine,
    data: encodeFunctionData({ abi: vaultEngineAbi, functionName: 'adjust', args: [p.ilk, p.deposit, p.borrow] }),
  };
}
