'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { auctionTick, premiumBps, scaleOf } from '../../lib/auction';
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
  { key: 'ilk', label: 'Collateral' },
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
        lotWad: a.sale.lot * scaleOf(a.ilk.decimals),
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
  return (
    <div className="overflow-x-auto">
      <table className="num w-full text-left text-sm" data-testid="auctions-table">
        <thead className="text-xs text-muted">
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} className="py-2 pr-4 font-normal">
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
              </th>
            ))}
            <th className="py-2 font-normal">Status</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {shown.map((r) => (
            <tr key={r.key} data-testid="auction-row" data-auction-id={r.id.toString()} data-house={r.house} className="hover:bg-line/30">
              <td className="py-2.5 pr-4">
                <Link href={`/auctions/${r.house}/${r.id}`} className="text-accent" data-testid="auction-link">
                  {formatAuctionId(r.id)}
                </Link>
              </td>
              <td className="py-2.5 pr-4">{r.ilkName}</td>
              <td className="py-2.5 pr-4" data-testid="auction-lot">
                {formatToken(r.lot, r.a.ilk.decimals)}
              </td>
              <td className="py-2.5 pr-4" data-testid="auction-tab">
                {formatWad(r.tab)}
              </td>
              <td className="py-2.5 pr-4 font-semibold" data-testid="auction-price" data-price={r.price.toString()}>
                {formatWad(r.price, 4)}
              </td>
              <td className={`py-2.5 pr-4 ${r.premiumBps !== undefined && r.premiumBps < 0n ? 'text-good' : ''}`} data-testid="auction-premium">
                {r.premiumBps === undefined ? '—' : formatBps(r.premiumBps, true)}
              </td>
              <td className="py-2.5 pr-4 text-muted" data-testid="auction-age">
                {formatDuration(r.age)}
              </td>
              <td className="py-2.5">
                {r.needsRedo ? (
                  <span className="rounded bg-warn/15 px-2 py-0.5 text-xs text-warn" data-testid="needs-redo">
                    needs redo
                  </span>
                ) : (
                  <span className="rounded bg-good/15 px-2 py-0.5 text-xs text-good">live</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="py-4 text-center text-sm text-muted">No auction matches the filter.</p>}
    </div>
  );
}
