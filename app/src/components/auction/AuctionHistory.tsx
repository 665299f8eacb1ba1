'use client';
import { useQuery } from '@tanstack/react-query';
import type { Address } from 'viem';
import { auctionHistoryQueryOptions } from '../../queries/history';
import { HistoryState } from '../history/HistoryState';
import { TakeTable } from '../history/TakeTable';
import { Panel } from '../ui';

/** Every take of this auction from the indexer, each with its clearing price against the market then. */
export function AuctionHistory({ house, id, decimals }: { house: Address; id: bigint; decimals: number }) {
  const q = useQuery(auctionHistoryQueryOptions(house, id));
  return (
    <Panel title="Takes vs market (indexed)" testId="auction-history">
      <HistoryState query={q}>
        {(h) => (
          <>
            <TakeTable takes={[...h.takes].reverse()} decimalsOf={() => decimals} />
            {(h.redos > 0 || h.takenOver) && (
              <p className="mt-2 text-xs text-muted">
                {h.redos} redo{h.redos === 1 ? '' : 's'}
                {h.takenOver ? ' · taken over by the insurance fund' : ''}
              </p>
            )}
          </>
        )}
      </HistoryState>
    </Panel>
  );
}
