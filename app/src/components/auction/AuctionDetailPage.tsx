'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { isAddress } from 'viem';
import { auctionTick, premiumBps, redoAt } from '../../lib/auction';
import type { Ilk } from '../../lib/deployment';
import { ilkByHouse } from '../../lib/deploymentUtils';
import { formatAuctionId, formatBps, formatDuration, formatToken, formatWad, shortAddress } from '../../lib/format';
import { useChainNow } from '../../live/useLive';
import { auctionQueryOptions, type AuctionDetail, type TakePoint } from '../../queries/auction';
import { publicClient } from '../../wallet/chain';
import { BreakerBadge } from '../BreakerBadge';
import { useDeployment } from '../DeploymentContext';
import { QueryState } from '../QueryState';
import { Notice, Panel, Stat } from '../ui';
import { AuctionHistory } from './AuctionHistory';
import { PriceChart } from './PriceChart';
import { RedoPanel } from './RedoPanel';
import { TakeForm } from './TakeForm';

function parseId(s: string): bigint | undefined {
  return /^\d{1,78}$/.test(s) ? BigInt(s) : undefined;
}

export function AuctionDetailPage({ house, id }: { house: string; id: string }) {
  const d = useDeployment();
  const auctionId = parseId(id);
  const ilk = isAddress(house, { strict: false }) ? ilkByHouse(d, house) : undefined;
  if (auctionId === undefined || !ilk) {
    return (
      <Notice tone="bad" title="Unknown auction" testId="unknown-auction">
        {ilk ? `“${id}” is not an auction id.` : `${house} is not an auction house of this deployment.`}{' '}
        <Link className="text-accent" href="/auctions">
          See the live auctions
        </Link>
      </Notice>
    );
  }
  return <AuctionDetailBody ilk={ilk} id={auctionId} />;
}

function AuctionDetailBody({ ilk, id }: { ilk: Ilk; id: bigint }) {
  const d = useDeployment();
  const q = useQuery(auctionQueryOptions(publicClient, ilk, id, d.block));
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-3">
        <Link href="/auctions" className="text-sm text-muted hover:text-white">
          ← Auctions
        </Link>
        <h1 className="text-2xl font-bold" data-testid="auction-title">
          {ilk.name} auction {formatAuctionId(id)}
        </h1>
      </div>
      <QueryState query={q} what="this auction">
        {(a) =>
          a.status === 'missing' ? (
            <Notice tone="bad" title="No such auction" testId="no-such-auction">
              {ilk.name}&apos;s auction house never started an auction {formatAuctionId(id)}.{' '}
              <Link className="text-accent" href="/auctions">
                See the live auctions
              </Link>
            </Notice>
          ) : a.status === 'closed' ? (
            <>
              <Closed takes={a.takes} ilk={ilk} symbol={a.symbol} />
              <AuctionHistory house={ilk.house} id={id} decimals={ilk.decimals} />
            </>
          ) : (
            <Live a={a} ilk={ilk} id={id} />
          )
        }
      </QueryState>
    </div>
  );
}

function Closed({ takes, ilk, symbol }: { takes: TakePoint[]; ilk: Ilk; symbol: string }) {
  return (
    <div className="space-y-6">
      <Notice tone="info" title="This auction is over" testId="auction-closed">
        Its lot was sold, its debt raised, or it was removed.
      </Notice>
      <Takes takes={takes} ilk={ilk} symbol={symbol} />
    </div>
  );
}

function Live({ a, ilk, id }: { a: Extract<AuctionDetail, { status: 'live' }>; ilk: Ilk; id: bigint }) {
  const now = useChainNow();
  if (now === undefined) return <p className="text-sm text-muted">Waiting for the first block…</p>;
  const tick = auctionTick(a.tier, a.sale, now);
  const prem = premiumBps(tick.price, a.mark);
  const due = redoAt(a.tier, a.sale);
  const disabledReason = tick.needsRedo ? 'Needs a redo before it can be taken' : a.breaker >= 3 ? 'Takes are paused by the circuit breaker' : undefined;
  // One column on a phone in reading order: figures, then the take (the action), then the chart and
  // the takes. From lg up the take column sits on the right beside the three.
  return (
    <div className="grid items-start gap-6 lg:grid-cols-3 lg:grid-rows-[auto_auto_1fr]">
      <div className="lg:col-span-2">
        <div className="grid grid-cols-2 gap-4 rounded-xl border border-line bg-panel p-5 md:grid-cols-4">
          <Stat
            label="Price now"
            value={<span data-testid="detail-price-wad" data-price={tick.price.toString()} data-chain-time={now.toString()}>{formatWad(tick.price, 4)}</span>}
            hint="gUSD per token, ticking"
            testId="detail-price"
          />
          <Stat label="vs market" value={prem === undefined ? '—' : formatBps(prem, true)} hint={`mark ${formatWad(a.mark)}`} testId="detail-premium" />
          <Stat
            label="Lot left"
            value={`${formatToken(a.sale.lot, ilk.decimals)} ${a.symbol}`}
            hint={a.initialLot !== undefined ? `of ${formatToken(a.initialLot, ilk.decimals)}` : undefined}
            testId="detail-lot"
          />
          <Stat label="Debt left" value={`${formatWad(a.sale.tab)} gUSD`} hint={`min ${formatWad(a.sale.minTab)}`} testId="detail-tab" />
          <Stat label="Age" value={formatDuration(tick.age)} hint={`redo due in ${formatDuration(due - now)}`} testId="detail-age" />
          <Stat label="Start price" value={formatWad(a.sale.top)} hint={`${a.sale.redos} redos`} />
          <Stat label="Vault owner" value={shortAddress(a.sale.owner)} />
          <div>
            <div className="text-xs text-muted">Breaker</div>
            <div className="mt-1">
              <BreakerBadge level={a.breaker} />
            </div>
          </div>
          </div>
      </div>
      <div className="space-y-6 lg:col-start-3 lg:row-span-3 lg:row-start-1" data-testid="take-column">
        {tick.needsRedo && <RedoPanel house={ilk.house} id={id} breaker={a.breaker} />}
        <Panel title="Take">
          <TakeForm ilk={ilk} id={id} sale={a.sale} price={tick.price} symbol={a.symbol} disabledReason={disabledReason} now={now} />
        </Panel>
      </div>
      <div className="lg:col-span-2">
        <Panel title="Price over time">
          <PriceChart tier={a.tier} sale={a.sale} mark={a.mark} takes={a.takes} now={now} />
        </Panel>
      </div>
      <div className="space-y-6 lg:col-span-2">
        <AuctionHistory house={ilk.house} id={id} decimals={ilk.decimals} />
        <Takes takes={a.takes} ilk={ilk} symbol={a.symbol} />
      </div>
    </div>
  );
}

function Takes({ takes, ilk, symbol }: { takes: TakePoint[]; ilk: Ilk; symbol: string }) {
  return (
    <Panel title={`Takes (${takes.length})`} testId="takes">
      {takes.length === 0 ? (
        <p className="text-sm text-muted">No takes yet.</p>
      ) : (
        <table className="num w-full text-left text-sm">
          <thead className="text-xs text-muted">
            <tr>
              <th className="py-1 font-normal">Block</th>
              <th className="py-1 font-normal">Taker</th>
              <th className="py-1 font-normal">Bought</th>
              <th className="py-1 font-normal">Paid</th>
              <th className="py-1 font-normal">Price</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {[...takes].reverse().map((t) => (
              <tr key={t.key} data-testid="take-row">
                <td className="py-1.5">{t.block.toString()}</td>
                <td className="py-1.5">{shortAddress(t.taker)}</td>
                <td className="py-1.5">
                  {formatToken(t.collateralOut, ilk.decimals)} {symbol}
                </td>
                <td className="py-1.5">{formatWad(t.owe)}</td>
                <td className="py-1.5">{formatWad(t.price, 4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
