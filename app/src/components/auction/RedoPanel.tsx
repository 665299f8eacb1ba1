'use client';
import type { Address } from 'viem';
import { useConnection } from 'wagmi';
import { redoCall } from '../../actions/redo';
import { useTransaction } from '../../tx/useTransaction';
import { TxStatus } from '../TxStatus';
import { Button, Notice } from '../ui';

/** Shown when the auction is past its tail or below its floor: anyone may restart it. */
export function RedoPanel({ house, id, breaker }: { house: Address; id: bigint; breaker: number }) {
  const { address } = useConnection();
  const tx = useTransaction();
  const blocked = breaker >= 2;
  return (
    <div data-testid="redo-panel">
      <Notice tone="warn" title="This auction needs a redo">
        It is older than its tail or its price fell below the floor, so it cannot be taken. A redo restarts it at a fresh price from the
        market and pays the caller an incentive.
        {blocked && ' The circuit breaker forbids redos right now.'}
      </Notice>
      <div className="mt-3">
        <Button
          testId="redo-submit"
          disabled={!address || blocked || tx.state.status === 'signing' || tx.state.status === 'pending'}
          onClick={() => {
            if (address) void tx.send(redoCall({ house, id, rewardRecipient: address }));
          }}
        >
          {address ? 'Redo auction' : 'Connect a wallet to redo'}
        </Button>
      </div>
      <TxStatus state={tx.state} testId="redo-status" />
    </div>
  );
}
