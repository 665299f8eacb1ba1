'use client';
import { WAD } from '@gavel/contracts';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatAuctionId, formatBps, formatDuration, formatToken, formatWad, shortAddress } from '../../lib/format';
import { useChainNow } from '../../live/useLive';
import { recentEventsQueryOptions } from '../../queries/events';
import { overviewQueryOptions, type Overview } from '../../queries/overview';
import { unsafeVaultsQueryOptions, type UnsafeVaults } from '../../queries/unsafe';
import { publicClient } from '../../wallet/chain';
import { BreakerBadge } from '../BreakerBadge';
import { useDeployment } from '../DeploymentContext';
import { QueryState } from '../QueryState';
import { Panel, Stat } from '../ui';

export function OverviewPage() {
  const d = useDeployment();
  const overview = useQuery(overviewQueryOptions(publicClient, d));
  const events = useQuery(recentEventsQueryOptions(publicClient, d));
  const unsafe = useQuery(unsafeVaultsQueryOptions(publicClient, d));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Overview</h1>
      <QueryState query={overview} what="the system state">
        {(o) => <OverviewBody o={o} unsafe={unsafe.data} unsafeError={unsafe.isError && !unsafe.data} />}
      </QueryState>
      <Panel title="Recent liquidations and takes" testId="recent-events">
        <QueryState query={events} what="recent events">
          {(list) =>
            list.length === 0 ? (
              <p className="text-sm text-muted">No liquidations or takes in the last 5,000 blocks.</p>
            ) : (
              <ul className="divide-y divide-line text-sm">
                {list.map((e) => (
                  <li key={e.key} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`event-${e.kind}`}>
                    <span>
                      <span className={`mr-2 rounded px-1.5 py-0.5 text-xs ${e.kind === 'take' ? 'bg-good/15 text-good' : 'bg-warn/15 text-warn'}`}>
                        {e.kind === 'take' ? 'Take' : 'Liquidation'}
                      </span>
                      {e.ilkName}{' '}
                      {e.house ? (
                        <Link className="text-accent" href={`/auctions/${e.house}/${e.auctionId}`}>
                          {formatAuctionId(e.auctionId)}
                        </Link>
                      ) : (
                        formatAuctionId(e.auctionId)
                      )}
                    </span>
                    <span className="num text-muted">
                      {e.kind === 'take'
                        ? `${formatToken(e.collateralOut, e.decimals)} for ${formatWad(e.owe)} gUSD @ ${formatWad(e.price)} by ${shortAddress(e.taker)}`
                        : `${shortAddress(e.owner)} · debt ${formatWad(e.debt)} · tab ${formatWad(e.tab)}${e.isPartial ? ' · partial' : ''}`}
                      <span className="ml-3">block {e.block.toString()}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </Panel>
    </div>
  );
}

function OverviewBody({ o, unsafe, unsafeError }: { o: Overview; unsafe: UnsafeVaults | undefined; unsafeError: boolean }) {
  const now = useChainNow();
  const active = o.ilks.reduce((n, i) => n + i.count, 0n);
  const unsafeOf = (id: string): number | undefined => unsafe?.perIlk.get(id.toLowerCase());
  return (
    <>
      <div className="grid grid-cols-2 gap-4 rounded-xl border border-line bg-panel p-5 md:grid-cols-5">
        <Stat label="Total debt" value={`${formatWad(o.totalDebt)} gUSD`} testId="total-debt" />
        <Stat label="Bad debt" value={`${formatWad(o.badDebt)} gUSD`} hint="Healed by auction proceeds and the fund" testId="bad-debt" />
        <Stat
          label="Insurance fund"
          value={`${formatWad(o.fund.assets)} gUSD`}
          hint={`${formatWad(o.fund.shares)} shares (ERC-4626)`}
          testId="fund-assets"
        />
        <Stat label="Active auctions" value={active.toString()} testId="active-auctions" />
        <Stat
          label="Unsafe vaults"
          value={unsafe ? <span className={unsafe.total > 0 ? 'text-bad' : undefined}>{unsafe.total}</span> : unsafeError ? 'unavailable' : '…'}
          hint={unsafe ? `of ${unsafe.vaults} vaults · can be liquidated now` : 'vaults below the liquidation ratio'}
          testId="unsafe-vaults"
        />
      </div>
      <Panel title="Collateral types" testId="ilks">
        <div className="overflow-x-auto">
          <table className="num w-full text-left text-sm">
            <thead className="text-xs text-muted">
              <tr>
                <th className="py-2 pr-4 font-normal">Type</th>
                <th className="py-2 pr-4 font-normal">Mark price · feeds</th>
                <th className="py-2 pr-4 font-normal">Spot</th>
                <th className="py-2 pr-4 font-normal">Debt / ceiling</th>
                <th className="py-2 pr-4 font-normal">Liq. ratio · penalty</th>
                <th className="py-2 pr-4 font-normal">Auctions</th>
                <th className="py-2 font-normal">Breaker</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {o.ilks.map((r) => {
                const used = r.info.debtCeiling > 0n ? (r.debt * 10_000n) / r.info.debtCeiling : 0n;
                return (
                  <tr key={r.ilk.id} data-testid={`ilk-row-${r.ilk.name}`} className="align-top">
                    <td className="py-3 pr-4">
                      <div className="font-semibold">{r.ilk.name}</div>
                      <div className="text-xs text-muted">
                        {r.symbol} · {r.ilk.decimals} decimals
                      </div>
                      <div className="text-xs" data-testid={`unsafe-${r.ilk.name}`}>
                        {unsafeOf(r.ilk.id) === undefined ? '' : <span className={unsafeOf(r.ilk.id) ? 'text-bad' : 'text-muted'}>{unsafeOf(r.ilk.id)} unsafe</span>}
                      </div>
                    </td>
                    <td className="py-3 pr-4">
                      <div data-testid="mark-price">{r.mark.valid ? formatWad(r.mark.price) : <span className="text-bad">no valid price</span>}</div>
                      <ul className="mt-1 space-y-0.5 text-xs text-muted">
                        {r.feeds.map((f) => (
                          <li key={f.feed} title={f.feed}>
                            {shortAddress(f.feed)}: {f.price !== undefined ? formatWad(f.price) : 'no price'}
                            {f.updatedAt !== undefined && now !== undefined && ` · ${formatDuration(now - f.updatedAt)} ago`}
                          </li>
                        ))}
                        {r.feeds.length === 0 && <li>feeds not listed in the deployment</li>}
                      </ul>
                    </td>
                    <td className="py-3 pr-4">{formatWad(r.info.spot)}</td>
                    <td className="py-3 pr-4">
                      <div>
                        {formatWad(r.debt, 0)} / {formatWad(r.info.debtCeiling, 0)}
                      </div>
                      <div className="mt-1 h-1.5 w-32 rounded bg-line">
                        <div className="h-1.5 rounded bg-accent" style={{ width: `${Math.min(100, Number(used) / 100)}%` }} />
                      </div>
                    </td>
                    <td className="py-3 pr-4">
                      {formatWad(r.info.liquidationRatio * 100n, 0)}% · {formatBps(((r.penaltyWad - WAD) * 10_000n) / WAD)}
                    </td>
                    <td className="py-3 pr-4">
                      <Link href={`/auctions?ilk=${encodeURIComponent(r.ilk.name)}`} className="text-accent">
                        {r.count.toString()} live
                      </Link>
                      <div className="text-xs text-muted">{formatWad(r.inAuctions, 0)} gUSD to raise</div>
                    </td>
                    <td className="py-3">
                      <BreakerBadge level={r.breaker} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="mt-3 text-xs text-muted" data-testid="unsafe-note">
          Unsafe: vaults rebuilt from the engine&apos;s logs whose collateral at spot is below their debt (the engine&apos;s own rule); any
          vault can be checked on the Vaults page.
        </p>
      </Panel>
    </>
  );
}
