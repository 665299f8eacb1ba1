import { formatRatio, formatWad } from '../../lib/format';
import type { VaultMetrics } from '../../lib/health';

/** Health and liquidation price after the action, next to now. */
export function Projection({ before, after }: { before: VaultMetrics; after: VaultMetrics | undefined }) {
  if (!after) return null;
  const h = (m: VaultMetrics): string => (m.health === undefined ? 'no debt' : formatRatio(m.health));
  const lp = (m: VaultMetrics): string => (m.liquidationPrice === undefined ? '—' : formatWad(m.liquidationPrice));
  return (
    <p className="num text-xs text-muted" data-testid="vault-projection">
      Health {h(before)} → <span className="text-slate-100">{h(after)}</span> · liquidation price {lp(before)} →{' '}
      <span className="text-slate-100">{lp(after)}</span>
    </p>
  );
}
