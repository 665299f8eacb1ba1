'use client';
import Link from 'next/link';
import type { IndexedTake } from '../../lib/indexer';
import { formatAuctionId, formatBps, formatToken, formatWad, shortAddress } from '../../lib/format';

/** Indexed takes: clearing price against the market at that block, and the bidder's profit at market. */
export function TakeTable({ takes, decimalsOf, showAuction = false, showBidder = true }: { takes: IndexedTake[]; decimalsOf: (house: string) => number; showAuction?: boolean; showBidder?: boolean }) {
  if (takes.length === 0) return <p className="text-sm text-muted">No takes indexed yet.</p>;
  return (
    <ul className="num divide-y divide-line text-sm" data-testid="indexed-takes">
      {takes.map((t) => (
        <li
          key={t.key}
          className="grid grid-cols-2 gap-x-3 gap-y-0.5 py-2 md:grid-cols-[1fr_1fr_1fr_1fr_1fr]"
          data-testid="indexed-take"
          data-tx={t.txHash}
          data-price={t.price.toString()}
          data-mark-price={t.markPrice.toString()}
          data-vs-market-bps={t.vsMarketBps?.toString() ?? ''}
          data-owe={t.owe.toString()}
          data-collateral-out={t.collateralOut.toString()}
          data-profit={t.profitAtMarket.toString()}
          data-bidder={t.bidder}
        >
          <div>
            <span className="font-semibold" data-testid="take-price">{formatWad(t.price, 4)}</span>
            <span className="block text-xs text-muted">market {formatWad(t.markPrice, 2)}</span>
          </div>
          <div className={`text-right md:text-left ${t.vsMarketBps !== undefined && t.vsMarketBps < 0n ? 'text-good' : ''}`} data-testid="take-vs-market">
            {t.vsMarketBps === undefined ? '—' : formatBps(t.vsMarketBps, true)}
            <span className="block text-xs text-muted">vs market</span>
          </div>
          <div>
            {formatToken(t.collateralOut, decimalsOf(t.house))} for {formatWad(t.owe, 2)}
            <span className="block text-xs text-muted">bought · paid gUSD</span>
          </div>
          <div className={`text-right md:text-left ${t.profitAtMarket >= 0n ? 'text-good' : 'text-bad'}`} data-testid="take-profit">
            {formatWad(t.profitAtMarket, 2)}
            <span className="block text-xs text-muted">profit at market</span>
          </div>
          <div className="col-span-2 text-xs text-muted md:col-span-1">
            {showAuction && (
              <Link className="mr-2 text-accent" href={`/auctions/${t.house}/${t.auctionId}`}>
                {t.ilkName ?? ''} {formatAuctionId(t.auctionId)}
              </Link>
            )}
            {showBidder && (
              <Link className="text-accent" href={`/bidders/${t.bidder}`} data-testid="bidder-link">
                {shortAddress(t.bidder)}
              </Link>
            )}{' '}
            block {t.block.toString()}
          </div>
        </li>
      ))}
    </ul>
  );
}
