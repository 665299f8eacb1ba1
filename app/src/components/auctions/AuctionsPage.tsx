'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { auctionTick, premiumBps, scaleForDecimals } from '../../lib/auction';
import { filterAuctions, sortAuctions, type AuctionFilter, type AuctionRow, type SortDir, type SortKey } from '../../lib/auctionTable';
import { formatAuctionId, formatBps, formatDuration, formatToken, formatWad } from '../../lib/format';
import { useChainNow } from '../../live/useLive';
import { auctionsQueryOptions, type LiveAuction } from '../../queries/auctions';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';
import { QueryState } from '../QueryState';
import { Panel } from '../ui';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'id', label: 'Auction' },
  { key: 'lot', label: 'Lot left' },
  { key: 'tab', label: 'Debt left' },
  { key: 'price', label: 'Price now' },
  { key: 'premium', label: 'vs market' },
  { key: 'age', label: 'Age' },
];

export function AuctionsPage() {
  const d = useDeployment();
  const q = useQuery(auctionsQueryOptions(publicClient, d));
  const params = useSearchParams();
  const [filter, setFilter] = useState<AuctionFilter>({ ilk: params.get('ilk') ?? '', status: 'all' });
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'premium', dir: 'asc' });
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Auctions</h1>
          <p className="text-sm text-muted">Prices fall every second along each auction&apos;s curve; the cheapest against the market come first.</p>
        </div>
        <div className="flex gap-2 text-sm">
          <select
            aria-label="Collateral"
            data-testid="filter-ilk"
            className="rounded-lg border border-line bg-panel px-2 py-2"
            value={filter.ilk}
            onChange={(e) => {
              setFilter({ ...filter, ilk: e.target.value });
            }}
          >
            <option value="">All collateral</option>
            {d.ilks.map((i) => (
              <option key={i.id} value={i.name}>
                {i.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Status"
            data-testid="filter-status"
            className="rounded-lg border border-line bg-panel px-2 py-2"
            value={filter.status}
            onChange={(e) => {
              setFilter({ ...filter, status: e.target.value as AuctionFilter['status'] });
            }}
          >
            <option value="all">All</option>
            <option value="live">Takeable</option>
            <option value="needs-redo">Needs redo</option>
          </select>
        </div>
      </div>
      <Panel testId="auctions-panel">
        <QueryState query={q} what="the auctions">
          {(list) => <AuctionTable auctions={list} filter={filter} sort={sort} onSort={setSort} />}
        </QueryState>
      </Panel>
    </div>
  );
}

function AuctionTable({
  auctions,
  filter,
  sort,
  onSort,
}: {
  auctions: LiveAuction[];
  filter: AuctionFilter;
  sort: { key: SortKey; dir: SortDir };
  onSort: (s: { key: SortKey; dir: SortDir }) => void;
}) {
  const now = useChainNow();
  const rows = useMemo((): (AuctionRow & { a: LiveAuction })[] => {
    if (now === undefined) return [];
    return auctions.map((a) => {
      const t = auctionTick(a.tier, a.sale, now);
      return {
        key: `${a.house}-${a.id}`,
        house: a.house,
        id: a.id,
        ilkName: a.ilk.name,
        lot: a.sale.lot,
        lotWad: a.sale.lot * scaleForDecimals(a.ilk.decimals),
        tab: a.sale.tab,
        price: t.price,
        premiumBps: premiumBps(t.price, a.mark),
        age: t.age,
        needsRedo: t.needsRedo,
        a,
      };
    });
  }, [auctions, now]);
  const shown = sortAuctions(filterAuctions(rows, filter), sort.key, sort.dir) as (AuctionRow & { a: LiveAuction })[];
  if (now === undefined) return <p className="text-sm text-muted">Waiting for the first block…</p>;
  if (auctions.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-muted" data-testid="no-auctions">
        No live auctions. When a vault is liquidated its auction appears here at once.
      </p>
    );
  }
  // One list for both sizes: on a phone each auction is a card with the price, "vs market" and the
  // action on top (DOM order); from md up the same cells are reordered into table columns.
  return (
    <div data-testid="auctions-table">
      <div className="mb-3 flex items-center gap-2 text-xs text-muted md:hidden">
        <label htmlFor="sort-phone">Sort by</label>
        <select
          id="sort-phone"
          data-testid="sort-phone"
          className="rounded-lg border border-line bg-ink px-2 py-1.5 text-sm text-slate-100"
          value={`${sort.key}:${sort.dir}`}
          onChange={(e) => {
            const [key, dir] = e.target.value.split(':') as [SortKey, SortDir];
            onSort({ key, dir });
          }}
        >
          {COLUMNS.flatMap((c) => [
            <option key={`${c.key}:asc`} value={`${c.key}:asc`}>
              {c.label} ↑
            </option>,
            <option key={`${c.key}:desc`} value={`${c.key}:desc`}>
              {c.label} ↓
            </option>,
          ])}
        </select>
      </div>
      <div className={`${GRID} hidden border-b border-line pb-2 text-xs text-muted md:grid`} role="row">
        {COLUMNS.map((c) => (
          <div key={c.key} role="columnheader">
            <button
              type="button"
              data-testid={`sort-${c.key}`}
              className={`hover:text-white ${sort.key === c.key ? 'text-white' : ''}`}
              onClick={() => {
                onSort({ key: c.key, dir: sort.key === c.key && sort.dir === 'asc' ? 'desc' : 'asc' });
              }}
            >
              {c.label}
              {sort.key === c.key ? (sort.dir === 'asc' ? ' ↑' : ' ↓') : ''}
            </button>
          </div>
        ))}
        <div role="columnheader">Status</div>
        <div role="columnheader" />
      </div>
      <ul className="num divide-y divide-line text-sm">
        {shown.map((r) => (
          <li
            key={r.key}
            data-testid="auction-row"
            data-auction-id={r.id.toString()}
            data-house={r.house}
            data-needs-redo={r.needsRedo ? 'true' : 'false'}
            className={`${GRID} grid grid-cols-[1fr_auto] items-center gap-x-3 gap-y-1 py-3 hover:bg-line/30 md:py-2.5`}
          >
            <div className="text-lg font-semibold md:order-4 md:text-sm" data-testid="auction-price" data-price={r.price.toString()}>
              {formatWad(r.price, 4)}
              <span className="ml-1 text-xs font-normal text-muted md:hidden">gUSD</span>
            </div>
            <div
              className={`text-right md:order-5 md:text-left ${!r.needsRedo && r.premiumBps !== undefined && r.premiumBps < 0n ? 'text-good' : ''}`}
              data-testid="auction-premium"
            >
              {r.needsRedo ? (
                <span className="text-warn">needs redo</span>
              ) : (
                <>
                  {r.premiumBps === undefined ? '—' : formatBps(r.premiumBps, true)}
                  <span className="ml-1 text-xs text-muted md:hidden">vs market</span>
                </>
              )}
            </div>
            <div className="md:order-1">
              <Link href={`/auctions/${r.house}/${r.id}`} className="text-accent" data-testid="auction-link">
                {formatAuctionId(r.id)}
              </Link>
              <span className="ml-2 text-muted md:ml-0 md:block md:text-xs">{r.ilkName}</span>
            </div>
            <div className="text-right md:order-8">
              <Link
                href={`/auctions/${r.house}/${r.id}`}
                data-testid="auction-action"
                className={`inline-block rounded-lg px-3 py-1.5 text-xs font-semibold ${r.needsRedo ? 'border border-warn/60 text-warn' : 'bg-accent text-ink'}`}
              >
                {r.needsRedo ? 'Redo' : 'Take'}
              </Link>
            </div>
            <div className="md:order-2" data-testid="auction-lot">
              <span className="text-xs text-muted md:hidden">Lot </span>
              {formatToken(r.lot, r.a.ilk.decimals)}
            </div>
            <div className="text-right md:order-3 md:text-left" data-testid="auction-tab">
              <span className="text-xs text-muted md:hidden">Debt </span>
              {formatWad(r.tab)}
            </div>
            <div className="text-xs text-muted md:order-6 md:text-sm" data-testid="auction-age">
              <span className="md:hidden">Age </span>
              {formatDuration(r.age)}
            </div>
            <div className="hidden md:order-7 md:block">
              {r.needsRedo ? (
                <span className="rounded bg-warn/15 px-2 py-0.5 text-xs text-warn" data-testid="needs-redo">
                  needs redo
                </span>
              ) : (
                <span className="rounded bg-good/15 px-2 py-0.5 text-xs text-good">live</span>
              )}
            </div>
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="py-4 text-center text-sm text-muted">No auction matches the filter.</p>}
    </div>
  );
}

/** Table columns from md up (auction, lot, debt, price, vs market, age, status, action). */
const GRID = 'md:grid-cols-[minmax(7rem,1.2fr)_1fr_1fr_1fr_0.8fr_0.7fr_0.8fr_5rem] md:gap-x-4';
