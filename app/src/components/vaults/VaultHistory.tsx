'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { Address, Hex } from 'viem';
import { formatAuctionId, formatWad, shortAddress } from '../../lib/format';
import { vaultHistoryQueryOptions } from '../../queries/history';
import { useChainNow } from '../../live/useLive';
import { untilNow } from '../../lib/series';
import { StepChart, wadToNumber } from '../history/charts';
import { HistoryState } from '../history/HistoryState';

/** Health over time and every liquidation of this vault, from the indexer. */
export function VaultHistory({ ilk, owner }: { ilk: Hex; owner: Address }) {
  const q = useQuery(vaultHistoryQueryOptions(ilk, owner));
  const now = useChainNow();
  return (
    <div className="mt-5 border-t border-line pt-4" data-testid="vault-history">
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted">Health over time</h3>
      <HistoryState query={q} notFound={<p className="text-sm text-muted">Not indexed yet.</p>}>
        {(h) => {
          const points = h.health.filter((p) => p.health !== undefined).map((p) => ({ t: p.timestamp, value: wadToNumber(p.health ?? 0n) }));
          return (
            <div data-testid="vault-history-data" data-points={h.health.length} data-last-health={h.health.at(-1)?.health?.toString() ?? ''}>
              {points.length < 2 ? (
                <p className="text-sm text-muted">Not enough history yet ({points.length} point{points.length === 1 ? '' : 's'}).</p>
              ) : (
                <StepChart testId="chart-health" label="health" points={untilNow(points, now)} height={160} digits={2} />
              )}
              <h3 className="mb-1 mt-3 text-xs font-semibold uppercase tracking-wide text-muted">Liquidations ({h.liquidations.length})</h3>
              {h.liquidations.length === 0 ? (
                <p className="text-sm text-muted">Never liquidated.</p>
              ) : (
                <ul className="num space-y-1 text-sm" data-testid="vault-liquidations">
                  {h.liquidations.map((l) => (
                    <li key={`${l.house}-${l.auctionId}`} data-testid="vault-liquidation" data-auction-id={l.auctionId.toString()} data-tab={l.tab.toString()}>
                      <Link className="text-accent" href={`/auctions/${l.house}/${l.auctionId}`}>
                        {formatAuctionId(l.auctionId)}
                      </Link>{' '}
                      debt {formatWad(l.debt, 2)} · tab {formatWad(l.tab, 2)}
                      {l.isPartial ? ' · partial' : ''} <span className="text-muted">by {shortAddress(l.keeper)} · block {l.block.toString()}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        }}
      </HistoryState>
    </div>
  );
}
