import { formatRatio, formatToken, formatWad, shortAddress } from '../../lib/format';
import { wadPercent } from '../../lib/protection';
import type { ProtectionEvent } from '../../queries/protection';
import type { VaultRow } from '../../queries/vaults';

/** The vault's latest pre-liquidations, top-ups and rescues (chain logs, most recent first). */
export function ProtectionEvents({ row, events }: { row: VaultRow; events: ProtectionEvent[] }) {
  if (events.length === 0) return null;
  const fmt = (x: bigint): string => `${formatToken(x, row.ilk.decimals)} ${row.symbol}`;
  return (
    <div className="mb-3 rounded-lg border border-accent/40 bg-accent/10 px-3 py-2 text-sm" data-testid="protection-events">
      <div className="mb-1 text-xs font-semibold uppercase tracking-wide text-accent">Protection at work</div>
      <ul className="num space-y-1">
        {events.slice(0, 5).map((e) => (
          <li key={e.key} data-testid={`protection-event-${e.kind}`}>
            {e.kind === 'pre-liquidate' ? (
              <>
                Pre-liquidated: {formatWad(e.repaid, 4)} gUSD of debt closed for {fmt(e.collateralOut)} ({wadPercent(e.incentiveWad)}% incentive), health {formatRatio(e.healthBeforeWad)} →{' '}
                {formatRatio(e.healthAfterWad)} <span className="text-muted">by {shortAddress(e.caller)} · block {e.block.toString()}</span>
              </>
            ) : e.kind === 'topped-up' ? (
              <>
                Topped up from the reserve: {fmt(e.amount)} added, {fmt(e.reserveLeft)} left <span className="text-muted">· block {e.block.toString()}</span>
              </>
            ) : (
              <>
                Rescued by its hook: the liquidation stopped, nothing was sold <span className="text-muted">· block {e.block.toString()}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
