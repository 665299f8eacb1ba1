import { liquidationEngineAbi } from '@gavel/sdk';
import { encodeFunctionData, type Address, type Hex } from 'viem';
import type { Call } from '../tx/types.ts';

/** `liquidate(ilk, owner, rewardRecipient)`: start the auction of an unsafe vault; the caller's reward goes to `rewardRecipient`. */
export function liquidateCall(p: { liquidationEngine: Address; ilk: Hex; owner: Address; rewardRecipient: Address; label: string }): Call {
  return {
    label: p.label,
    to: p.liquidationEngine,
    data: encodeFunctionData({ abi: liquidationEngineAbi, functionName: 'liquidate', args: [p.ilk, p.owner, p.rewardRecipient] }),
  };
}
