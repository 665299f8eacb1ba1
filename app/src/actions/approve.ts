import { encodeFunctionData, erc20Abi, type Address } from 'viem';
import type { Call } from '../tx/types.ts';

/** ERC-20 `approve(spender, amount)`: exactly the amount needed, no unlimited allowance. */
export function approveCall(p: { token: Address; spender: Address; amount: bigint; label: string }): Call {
  return { label: p.label, to: p.token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [p.spender, p.amount] }) };
}
