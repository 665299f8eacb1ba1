import type { Address, Hex, TransactionReceipt } from 'viem';
import type { TxError } from '../lib/errors.ts';

/** A contract call ready to simulate and send: built by one of the actions in src/actions. */
export interface Call {
  /** What the button says and the status line repeats ("Take 1.5 ETH"). */
  label: string;
  to: Address;
  data: Hex;
}

export type TxState =
  | { status: 'idle' }
  | { status: 'simulating'; label: string }
  | { status: 'signing'; label: string }
  | { status: 'pending'; label: string; hash: Hex }
  | { status: 'mined'; label: string; hash: Hex; receipt: TransactionReceipt }
  | { status: 'failed'; label: string; error: TxError; hash?: Hex };
