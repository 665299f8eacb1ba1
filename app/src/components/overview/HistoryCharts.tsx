'use client';
import { useQuery } from '@tanstack/react-query';
import { seriesQueryOptions } from '../../queries/history';
import { useChainNow } from '../../live/useLive';
import { untilNow } from '../../lib/series';
import { BucketChart, StepChart, wadToNumber } from '../history/charts';
import { HistoryState } from '../history/HistoryState';
import { Panel } from '../ui';

/** Liquidations are counted per minute. */
const BUCKET_SECONDS = 60;

/** Liquidations and bad debt over time, from the indexer. */
export function HistoryCharts() {
  const q = useQuery(seriesQueryOptions(BUCKET_SECONDS));
  const now = useChainNow();
  return (
    <Panel title="History" testId="history-charts">
      <HistoryState query={q}>
        {(s) => (
          <div
            className="grid gap-6 md:grid-cols-2"
            data-testid="history-series"
            data-liquidations={s.liquidations.reduce((n, l) => n + l.count, 0)}
            data-bad-debt={s.badDebt.at(-1)?.badDebt.toString() ?? '0'}
            data-bad-debt-points={s.badDebt.length}
          >
            <div>
              <h3 className="mb-2 text-xs text-muted">Liquidations per minute</h3>
              {s.liquidations.length === 0 ? (
                <p className="text-sm text-muted">No liquidation yet.</p>
              ) : (
                <BucketChart testId="chart-liquidations" label="liquidations" points={s.liquidations.map((l) => ({ t: l.t, value: l.count }))} />
              )}
            </div>
            <div>
              <h3 className="mb-2 text-xs text-muted">Bad debt on the books (gUSD)</h3>
              {s.badDebt.length === 0 ? (
                <p className="text-sm text-muted">No bad debt recorded.</p>
              ) : (
                <StepChart testId="chart-bad-debt" label="bad debt" color="#f87171" points={untilNow(
                    s.badDebt.map((b) => ({ t: b.t, value: wadToNumber(b.badDebt) })),
                    now,
                  )}
                />
              )}
            </div>
          </div>
        )}
      </HistoryState>
    </Panel>
  );
}
