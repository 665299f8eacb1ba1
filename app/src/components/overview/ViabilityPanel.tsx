'use client';
import { useQuery } from '@tanstack/react-query';
import { formatBps, formatToken, formatWad } from '../../lib/format';
import { viabilityQueryOptions, type IlkViability } from '../../queries/viability';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { QueryState } from '../QueryState';
import { Panel } from '../ui';

/** Share of the live lot the pool absorbs within the slippage, in bps (capped at 100%). */
function coverBps(depth: bigint, lot: bigint): bigint {
  if (lot === 0n) return 10_000n;
  const bps = (depth * 10_000n) / lot;
  return bps > 10_000n ? 10_000n : bps;
}

/** The seed's "Liquidation Viability": can the market absorb what is being auctioned right now? */
export function ViabilityPanel() {
  const d = useDeployment();
  const q = useQuery(viabilityQueryOptions(publicClient, d));
  return (
    <Panel title="Liquidation viability" testId="viability">
      <p className="mb-3 text-xs text-muted">
        Collateral in live auctions against what its DEX pool absorbs now within 1%, 5% and 10% slippage (fee included; each figure is the
        router&apos;s own quote). Below 100%, selling every live lot at once would move the market more than that.
      </p>
      <QueryState query={q} what="liquidation viability">
        {(rows) => (
          <div className="grid gap-3 md:grid-cols-3">
            {rows.map((r) => (
              <ViabilityCard key={r.ilk.id} r={r} />
            ))}
          </div>
        )}
      </QueryState>
    </Panel>
  );
}

function ViabilityCard({ r }: { r: IlkViability }) {
  return (
    <div
      className="num min-w-0 rounded-lg border border-line p-3 text-sm"
      data-testid={`viability-${r.ilk.name}`}
      data-live-auctions={r.liveAuctions}
      data-live-lot={r.liveLot.toString()}
    >
      <div className="flex items-baseline justify-between gap-2">
        <span className="font-semibold">{r.ilk.name}</span>
        <span className="text-xs text-muted">
          {r.liveAuctions} live · lot {formatToken(r.liveLot, r.ilk.decimals)}
        </span>
      </div>
      {r.pool === undefined ? (
        <p className="mt-2 text-xs text-muted">No DEX pool in the deployment.</p>
      ) : (
        <ul className="mt-2 space-y-1.5">
          {r.pool.depth.map((x) => {
            const cover = coverBps(x.collateral, r.liveLot);
            return (
              <li
                key={x.slippageBps.toString()}
                data-testid="viability-depth"
                data-slippage-bps={x.slippageBps.toString()}
                data-depth={x.collateral.toString()}
                data-stable-out={x.stableOut.toString()}
              >
                <div className="flex justify-between gap-2 text-xs">
                  <span className="text-muted">within {formatBps(x.slippageBps).replace('.00', '')}</span>
                  <span>
                    {formatToken(x.collateral, r.ilk.decimals)} → {formatWad(x.stableOut, 0)} gUSD
                  </span>
                </div>
                <div className="mt-0.5 h-1.5 w-full rounded bg-line" title={`${formatBps(cover)} of the live lot`}>
                  <div className={`h-1.5 rounded ${cover >= 10_000n ? 'bg-good' : 'bg-warn'}`} style={{ width: `${Number(cover) / 100}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
