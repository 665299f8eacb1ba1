import { healthBarFraction, type HealthState } from '../../lib/health';
import { formatRatio } from '../../lib/format';

const COLORS: Record<HealthState, string> = {
  empty: 'bg-line',
  'no-debt': 'bg-good',
  healthy: 'bg-good',
  warning: 'bg-warn',
  liquidatable: 'bg-bad',
};

/** Health from 1 (liquidation, empty bar) to 3 (full bar). */
export function HealthBar({ health, state }: { health: bigint | undefined; state: HealthState }) {
  const pct = Math.round(healthBarFraction(health) * 100);
  return (
    <div data-testid="health" data-state={state} data-health={health?.toString() ?? 'none'}>
      <div className="flex items-baseline justify-between text-xs">
        <span className="text-muted">Health</span>
        <span className="num font-semibold" data-testid="health-value">
          {health === undefined ? (state === 'empty' ? '—' : 'no debt') : formatRatio(health)}
        </span>
      </div>
      <div
        className="mt-1 h-2 w-full rounded-full bg-line"
        role="meter"
        aria-label="Vault health"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className={`h-2 rounded-full ${COLORS[state]}`} style={{ width: `${Math.max(pct, state === 'liquidatable' ? 100 : 2)}%` }} />
      </div>
    </div>
  );
}
