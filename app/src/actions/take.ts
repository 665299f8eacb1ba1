import { collateralAuctionAbi } from '@gavel/sdk';
import { encodeFunctionData, type Address } from 'viem';
import type { Call } from '../tx/types.ts';

/** `take(id, amount, maxPrice, receiver, "")`: buy up to `amount` collateral, never above `maxPrice`. */
export function takeCall(p: { house: Address; id: bigint; amount: bigint; maxPrice: bigint; receiver: Address; label: string }): Call {
  return {
    label: p.label,
    to: p.house,
    data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'take', args: [p.id, p.amount, p.maxPrice, p.receiver, '0x'] }),
  };
}
