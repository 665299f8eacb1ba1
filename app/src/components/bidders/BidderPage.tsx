'use client';
import { useQuery } from '@tanstack/react-query';
import { getAddress, isAddress } from 'viem';
import { ilkByHouse } from '../../lib/deploymentUtils';
import { formatWad, shortAddress } from '../../lib/format';
import { bidderHistoryQueryOptions } from '../../queries/history';
import { useDeployment } from '../DeploymentContext';
import { HistoryState } from '../history/HistoryState';
import { TakeTable } from '../history/TakeTable';
import { Notice, Panel, Stat } from '../ui';

/** One bidder's takes and profit at market, from the indexer. */
export function BidderPage({ address }: { address: string }) {
  const d = useDeployment();
  const ok = isAddress(address, { strict: false });
  const who = ok ? getAddress(address) : undefined;
  const q = useQuery({ ...bidderHistoryQueryOptions(who ?? '0x0000000000000000000000000000000000000000'), enabled: who !== undefined });
  if (!who) return <Notice tone="bad" title="Not an address" testId="bad-bidder">{address}</Notice>;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold" title={who}>
        Bidder {shortAddress(who)}
      </h1>
      <Panel testId="bidder">
        <HistoryState query={q}>
          {(b) => (
            <div className="space-y-5">
              <div className="grid grid-cols-3 gap-4">
                <Stat label="Takes" value={b.takes} testId="bidder-takes" />
                <Stat label="Paid" value={<span data-paid={b.paid.toString()}>{formatWad(b.paid, 0)} gUSD</span>} testId="bidder-paid" />
                <Stat
                  label="Profit at market"
                  value={
                    <span className={b.profitAtMarket >= 0n ? 'text-good' : 'text-bad'} data-profit={b.profitAtMarket.toString()}>
                      {formatWad(b.profitAtMarket, 2)} gUSD
                    </span>
                  }
                  testId="bidder-profit"
                />
              </div>
              <TakeTable takes={b.list} decimalsOf={(house) => ilkByHouse(d, house)?.decimals ?? 18} showAuction showBidder={false} />
            </div>
          )}
        </HistoryState>
      </Panel>
    </div>
  );
}
