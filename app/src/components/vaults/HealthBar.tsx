import { HEALTH_BAR_FULL_FALL_BPS, healthBarFraction, type HealthState } from '../../lib/health';
import { formatBps, formatRatio, formatWad } from '../../lib/format';

/** Falls marked under the bar. */
const SCALE_MARKS_BPS = [500n, 2_000n] as const;
/** Percent of the bar's width a centred label's middle stays within (so it never leaves the card at 390 px). */
const LABEL_EDGE_PCT = 12;

const COLORS: Record<HealthState, string> = {
  empty: 'bg-line',
  'no-debt': 'bg-good',
  healthy: 'bg-good',
  warning: 'bg-warn',
  liquidatable: 'bg-bad',
};

/**
 * Health as the fall to liquidation: empty at liquidation, full at a 50% fall (square-root scale, readable
 * near 1). Both thresholds are drawn and labelled: the liquidation line (health 1, the collateral at the
 * liquidation ratio of the debt) at the left edge, and, when the owner opted into pre-liquidation, the
 * pre-threshold with its band shaded between the two.
 */
export function HealthBar({
  health,
  state,
  liquidationRatio,
  preHealth,
}: {
  health: bigint | undefined;
  state: HealthState;
  /** The ilk's liquidation ratio (WAD, 1.5e18 = 150%). */
  liquidationRatio: bigint;
  /** The pre-threshold in force (WAD), when opted in. */
  preHealth?: bigint | undefined;
}) {
  const pct = Math.round(healthBarFraction(health) * 100);
  const prePct = preHealth === undefined ? undefined : Math.round(healthBarFraction(preHealth) * 1000) / 10;
  const inBand = preHealth !== undefined && health !== undefined && health < preHealth && state !== 'liquidatable';
  return (
    <div data-testid="health" data-state={state} data-health={health?.toString() ?? 'none'} data-pre-health={preHealth?.toString()} data-in-band={inBand ? 'true' : 'false'}>
      <div className="flex items-baseline justify-between text-xs">
        <span className="text-muted">Health</span>
        <span className="num font-semibold" data-testid="health-value">
          {health === undefined ? (state === 'empty' ? '—' : 'no debt') : formatRatio(health)}
        </span>
      </div>
      {prePct !== undefined && preHealth !== undefined && (
        <div className="relative mt-1 h-4 text-[11px] text-warn" aria-hidden>
          <span
            className="absolute -translate-x-1/2 whitespace-nowrap font-semibold"
            style={{ left: `${Math.min(Math.max(prePct, LABEL_EDGE_PCT), 100 - LABEL_EDGE_PCT)}%` }}
            data-testid="health-pre-label"
          >
            pre-liq {formatRatio(preHealth)}
          </span>
        </div>
      )}
      <div
        className="relative mt-1 h-2 w-full rounded-full bg-line"
        role="meter"
        aria-label="Vault health"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        {prePct !== undefined && (
          <div className="absolute inset-y-0 left-0 rounded-l-full bg-warn/30" style={{ width: `${prePct}%` }} data-testid="health-pre-band" />
        )}
        <div className={`relative h-2 rounded-full ${COLORS[state]}`} style={{ width: `${state === 'liquidatable' ? 100 : Math.max(pct, 3)}%` }} />
        {prePct !== undefined && <div className="absolute -inset-y-1 w-0.5 bg-warn" style={{ left: `${prePct}%` }} aria-hidden />}
      </div>
      <div className="relative mt-0.5 h-4 text-[11px] text-muted" aria-hidden>
        <span className="absolute left-0">liquidation</span>
        {SCALE_MARKS_BPS.map((bps) => (
          <span key={bps.toString()} className="absolute -translate-x-1/2" style={{ left: `${Math.round(Math.sqrt(Number(bps) / Number(HEALTH_BAR_FULL_FALL_BPS)) * 100)}%` }}>
            {formatBps(bps).replace('.00', '')}
          </span>
        ))}
        <span className="absolute right-0">50% fall</span>
      </div>
      <ul className="num mt-1 space-y-0.5 text-[11px] text-muted">
        <li data-testid="health-liquidation-line">
          <span className="mr-1 inline-block h-2 w-2 rounded-sm bg-bad align-middle" />
          Liquidation line: health 1.00 (collateral {formatWad(liquidationRatio * 100n, 0)}% of the debt)
        </li>
        {preHealth !== undefined && (
          <li data-testid="health-pre-threshold">
            <span className="mr-1 inline-block h-2 w-2 rounded-sm bg-warn align-middle" />
            Pre-liquidation band: health 1.00 to {formatRatio(preHealth)}
            {inBand ? ' — in the band now' : ''}
          </li>
        )}
      </ul>
    </div>
  );
}
