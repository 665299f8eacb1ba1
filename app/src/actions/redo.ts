import { collateralAuctionAbi } from '@gavel/sdk';
import { encodeFunctionData, type Address } from 'viem';
import type { Call } from '../tx/types.ts';

/** `redo(id, rewardRecipient)`: restart a stale auction at a fresh top price. */
export function redoCall(p: { house: Address; id: bigint; rewardRecipient: Address }): Call {
  return {
    label: 'Restart auction (redo)',
    to: p.house,
    data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'redo', args: [p.id, p.rewardRecipient] }),
  };
}
