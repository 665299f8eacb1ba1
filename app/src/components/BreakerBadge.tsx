import { BreakerLevel } from '@gavel/sdk';

const LEVELS = ['Normal', 'No new auctions', 'No new auctions or redos', 'Takes paused'] as const;

export function BreakerBadge({ level }: { level: number }) {
  const color = level === BreakerLevel.Normal ? 'bg-good/15 text-good' : level >= BreakerLevel.TakesPaused ? 'bg-bad/15 text-bad' : 'bg-warn/15 text-warn';
  return (
    <span className={`rounded px-2 py-0.5 text-xs ${color}`} data-testid="breaker-level" data-level={level} title={`Circuit breaker level ${level}`}>
      {level} · {LEVELS[level] ?? 'Unknown'}
    </span>
  );
}
