'use client';
import { isFreshRead, WAD } from '@gavel/sdk';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useConnection } from 'wagmi';
import { formatAuctionId, formatBps, formatDuration, formatToken, formatWad, shortAddress } from '../../lib/format';
import { useChainNow } from '../../live/useLive';
import { recentEventsQueryOptions } from '../../queries/events';
import { overviewQueryOptions, type Overview } from '../../queries/overview';
import { unsafeVaultsQueryOptions, type UnsafeVaults } from '../../queries/unsafe';
import { publicClient } from '../../wallet/chain';
import { BreakerBadge } from '../BreakerBadge';
import { useDeployment } from '../DeploymentContext';
import { QueryState } from '../QueryState';
import { LiquidateButton } from '../LiquidateButton';
import { HistoryCharts } from './HistoryCharts';
import { ViabilityPanel } from './ViabilityPanel';
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
      <HistoryCharts />
      <ViabilityPanel />
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
      <div className="grid grid-cols-2 gap-4 rounded-xl border border-line bg-panel p-5 md:grid-cols-3 lg:grid-cols-6">
        <Stat label="Total debt" value={`${formatWad(o.totalDebt, 0)} gUSD`} testId="total-debt" />
        <Stat label="Bad debt on the books" value={`${formatWad(o.badDebt, 0)} gUSD`} hint="moved there at liquidation" testId="bad-debt" />
        <Stat label="… live auction debt" value={`${formatWad(o.liveAuctionDebt, 0)} gUSD`} hint="still to raise in live auctions" testId="bad-debt-live" />
        <Stat label="… unsettled proceeds" value={`${formatWad(o.unsettledProceeds, 0)} gUSD`} hint="raised, paid down at settle()" testId="bad-debt-proceeds" />
        <Stat label="Insurance fund" value={`${formatWad(o.fund.assets, 0)} gUSD`} hint={`${formatWad(o.fund.shares, 0)} shares (ERC-4626)`} testId="fund-assets" />
        <Stat label="Active auctions" value={active.toString()} testId="active-auctions" />
      </div>
      <UnsafePanel unsafe={unsafe} unsafeError={unsafeError} />
      <section data-testid="ilks" className="space-y-3">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-muted">Collateral types</h2>
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {o.ilks.map((r) => {
            const used = r.info.debtCeiling > 0n ? (r.debt * 10_000n) / r.info.debtCeiling : 0n;
            const n = unsafeOf(r.ilk.id);
            return (
              <div key={r.ilk.id} data-testid={`ilk-row-${r.ilk.name}`} className="num min-w-0 rounded-xl border border-line bg-panel p-4 text-sm">
                <div className="flex items-start justify-between gap-3">
                  <div>
                    <div className="font-semibold">{r.ilk.name}</div>
                    <div className="text-xs text-muted">
                      {r.symbol} · {r.ilk.decimals} decimals
                    </div>
                  </div>
                  <div className="text-right">
                    <div className="text-lg font-semibold" data-testid="mark-price">
                      {r.mark.valid ? formatWad(r.mark.price) : <span className="text-bad">no valid price</span>}
                    </div>
                    <div className="text-xs text-muted">mark price</div>
                  </div>
                </div>
                <ul className="mt-3 space-y-1 text-xs" data-testid="feeds">
                  {r.feeds.map((f, i) => {
                    const stale = now !== undefined && r.maxAgeSeconds !== undefined && isFeedStale(f, now, r.maxAgeSeconds);
                    return (
                      <li key={f.feed} className="flex items-baseline justify-between gap-2" data-testid="feed" data-stale={stale ? 'true' : 'false'}>
                        <span className="truncate text-muted" title={f.feed}>
                          feed {i + 1} <span className="hidden sm:inline">{shortAddress(f.feed)}</span>
                        </span>
                        <span className="shrink-0 text-right">
                          {f.price !== undefined ? formatWad(f.price) : <span className="text-bad">no price</span>}
                          {f.updatedAt !== undefined && now !== undefined && <span className="text-muted"> · {formatDuration(now - f.updatedAt)} ago</span>}
                          {stale && (
                            <span className="ml-1 rounded bg-warn/15 px-1.5 py-0.5 text-warn" data-testid="feed-stale" title={`older than the oracle's ${formatDuration(r.maxAgeSeconds ?? 0n)} bound: not counted`}>
                              stale
                            </span>
                          )}
                        </span>
                      </li>
                    );
                  })}
                  {r.feeds.length === 0 && <li className="text-muted">feeds not listed in the deployment</li>}
                </ul>
                <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 border-t border-line pt-3">
                  <div>
                    <dt className="text-xs text-muted">Spot (mark ÷ ratio)</dt>
                    <dd>{formatWad(r.info.spot)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Liq. ratio · penalty</dt>
                    <dd>
                      {formatWad(r.info.liquidationRatio * 100n, 0)}% · {formatBps(((r.penaltyWad - WAD) * 10_000n) / WAD)}
                    </dd>
                  </div>
                  <div className="col-span-2">
                    <dt className="text-xs text-muted">Debt / ceiling</dt>
                    <dd>
                      {formatWad(r.debt, 0)} / {formatWad(r.info.debtCeiling, 0)}
                    </dd>
                    <div className="mt-1 h-1.5 w-full rounded bg-line">
                      <div className="h-1.5 rounded bg-accent" style={{ width: `${Math.min(100, Number(used) / 100)}%` }} />
                    </div>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Auctions</dt>
                    <dd>
                      <Link href={`/auctions?ilk=${encodeURIComponent(r.ilk.name)}`} className="text-accent">
                        {r.count.toString()} live
                      </Link>
                      <span className="block text-xs text-muted">{formatWad(r.inAuctions, 0)} gUSD to raise</span>
                    </dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Unsafe · breaker</dt>
                    <dd className="flex flex-wrap items-center gap-2">
                      <span data-testid={`unsafe-${r.ilk.name}`} className={n ? 'text-bad' : 'text-muted'}>
                        {n === undefined ? '…' : `${n} unsafe`}
                      </span>
                      <BreakerBadge level={r.breaker} />
                    </dd>
                  </div>
                </dl>
              </div>
            );
          })}
        </div>
        <p className="text-xs text-muted" data-testid="unsafe-note">
          Unsafe: vaults rebuilt from the engine&apos;s logs whose collateral at spot is below their debt (the engine&apos;s own rule); any
          vault can be checked on the Vaults page. A feed is stale when its last report is older than its oracle&apos;s age bound: the
          median does not count it.
        </p>
      </section>
    </>
  );
}

/** How many unsafe vaults the overview lists with a Liquidate button (largest debt first). */
const UNSAFE_LISTED = 10;

function UnsafePanel({ unsafe, unsafeError }: { unsafe: UnsafeVaults | undefined; unsafeError: boolean }) {
  const d = useDeployment();
  const { address } = useConnection();
  const nameOf = (ilk: string): string => d.ilks.find((i) => i.id.toLowerCase() === ilk.toLowerCase())?.name ?? 'unknown';
  const decimalsOf = (ilk: string): number => d.ilks.find((i) => i.id.toLowerCase() === ilk.toLowerCase())?.decimals ?? 18;
  return (
    <Panel
      title={
        <>
          Unsafe vaults{' '}
          <span data-testid="unsafe-vaults" className={unsafe && unsafe.total > 0 ? 'text-bad' : undefined}>
            {unsafe ? unsafe.total : unsafeError ? 'unavailable' : '…'}
          </span>
        </>
      }
      testId="unsafe-panel"
    >
      {!unsafe ? (
        <p className="text-sm text-muted">{unsafeError ? 'Cannot read the vaults right now.' : 'Reading the vaults…'}</p>
      ) : unsafe.list.length === 0 ? (
        <p className="text-sm text-muted">
          None of {unsafe.vaults} vaults is below its liquidation ratio.
        </p>
      ) : (
        <>
          <p className="mb-3 text-xs text-muted">
            Of {unsafe.vaults} vaults, these can be liquidated now by anyone; the liquidation incentive goes to the caller.
            {!address && ' Connect a wallet to liquidate.'}
          </p>
          <ul className="num divide-y divide-line text-sm">
            {unsafe.list.slice(0, UNSAFE_LISTED).map((v) => (
              <li key={`${v.ilk}:${v.owner}`} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid="unsafe-vault">
                <div className="min-w-0">
                  <Link className="text-accent" href={`/vaults?owner=${v.owner}`} title={v.owner}>
                    {shortAddress(v.owner)}
                  </Link>{' '}
                  <span className="text-muted">{nameOf(v.ilk)}</span>
                  <div className="text-xs text-muted">
                    debt {formatWad(v.debt, 2)} gUSD · collateral {formatToken(v.collateral, decimalsOf(v.ilk))}
                  </div>
                </div>
                <LiquidateButton ilk={v.ilk} ilkName={nameOf(v.ilk)} owner={v.owner} testId="overview-liquidate" />
              </li>
            ))}
          </ul>
          {unsafe.list.length > UNSAFE_LISTED && <p className="mt-2 text-xs text-muted">and {unsafe.list.length - UNSAFE_LISTED} more</p>}
        </>
      )}
    </Panel>
  );
}

/** A feed read the oracle would not count: missing, zero, from the future or older than its age bound (the SDK's rule). */
function isFeedStale(f: { price?: bigint; updatedAt?: bigint }, now: bigint, maxAgeSeconds: bigint): boolean {
  return !isFreshRead({ ok: f.price !== undefined, priceWad: f.price ?? 0n, updatedAt: f.updatedAt ?? 0n }, now, maxAgeSeconds);
}
