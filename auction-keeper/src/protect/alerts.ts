// Owner alerts: where a vault's health sits against its two lines (the owner's pre-liquidation
// threshold, if opted in, and the liquidation line 1.0), with owner-set warning distances. Pure: the
// keeper's index supplies health and parameters, `gavel-keeper watch` and the webhook notifier
// consume the levels. A level is reported when it changes, not on every block.
import { BPS, WAD } from '@gavel/sdk';

/** From calm to past the line, in order. */
export const ALERT_LEVELS = ['ok', 'nearPreThreshold', 'inPreBand', 'nearLiquidation', 'liquidatable'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Owner-set warning distances, bps of health above each line (500 = warn within 5%). */
export interface AlertDistances {
  readonly preThresholdBps: bigint;
  readonly thresholdBps: bigint;
}

/**
 * The alert level of a vault at `healthWad`. `preHealthWad` is the pre-threshold in force (0 when not
 * opted in: no pre-threshold levels). `nearLiquidation` wins over `inPreBand` when both hold.
 */
export function alertLevel(healthWad: bigint, preHealthWad: bigint, d: AlertDistances): AlertLevel {
  if (healthWad < WAD) return 'liquidatable';
  if (healthWad < (WAD * (BPS + d.thresholdBps)) / BPS) return 'nearLiquidation';
  if (preHealthWad > 0n && healthWad < preHealthWad) return 'inPreBand';
  if (preHealthWad > 0n && healthWad < (preHealthWad * (BPS + d.preThresholdBps)) / BPS) return 'nearPreThreshold';
  return 'ok';
}

/** True when `next` is worse than `prev` (alerts go out on the way down; recoveries too, see notifier). */
export function isWorse(prev: AlertLevel, next: AlertLevel): boolean {
  return ALERT_LEVELS.indexOf(next) > ALERT_LEVELS.indexOf(prev);
}

/** Remembers each vault's last level and reports changes only. */
export class AlertTracker {
  readonly #last = new Map<string, AlertLevel>();

  /** The change for `key` (ilk:owner), or undefined when the level is unchanged. A first sighting at `ok` is not a change. */
  update(key: string, level: AlertLevel): { previous: AlertLevel; level: AlertLevel } | undefined {
    const previous = this.#last.get(key) ?? 'ok';
    this.#last.set(key, level);
    return previous === level ? undefined : { previous, level };
  }
}

/* ------------------------ distances set by the owner ------------------------ */

/** At most this many warning distances per watch or subscription. */
export const MAX_DISTANCES = 8;
/** A vault counts as recovered from a level only once a health this much lower (bps) would also be out of it: no alert storm at a boundary. */
export const RECOVERY_BPS = 50n;

/**
 * Parses owner-set warning distances: `10%,5%` (percent, up to two decimals, each in (0, 100]) into
 * bps sorted from far to near, duplicates dropped. Throws an Error whose message says what is wrong.
 */
export function parseDistances(input: string | readonly string[]): bigint[] {
  const parts = (typeof input === 'string' ? input.split(',') : [...input]).map((p) => p.trim()).filter((p) => p !== '');
  const what = `must be percentages like 10%,5% (1 to ${MAX_DISTANCES}, each above 0% and at most 100%, two decimals at most)`;
  if (parts.length === 0 || parts.length > MAX_DISTANCES) throw new Error(what);
  const out = new Set<bigint>();
  for (const p of parts) {
    const m = /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(p);
    if (!m) throw new Error(`${what}, got ${JSON.stringify(p)}`);
    const bps = BigInt(m[1] ?? '0') * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
    if (bps === 0n || bps > BPS) throw new Error(`${what}, got ${JSON.stringify(p)}`);
    out.add(bps);
  }
  return [...out].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
}

/** Distances in bps back to the `10%,5%` form. */
export function formatDistances(bps: readonly bigint[]): string {
  return bps.map((b) => `${b / 100n}${b % 100n === 0n ? '' : `.${(b % 100n).toString().padStart(2, '0')}`}%`).join(',');
}

/** Where a vault stands: the level, and for the two `near…` levels the nearest distance it is within. */
export interface AlertState {
  readonly level: AlertLevel;
  readonly distanceBps: bigint | undefined;
}

export const OK_STATE: AlertState = { level: 'ok', distanceBps: undefined };

/** The nearest of `distancesBps` (sorted far to near) within which `healthWad` sits above `lineWad`, or undefined. */
function within(healthWad: bigint, lineWad: bigint, distancesBps: readonly bigint[]): bigint | undefined {
  let hit: bigint | undefined;
  for (const d of distancesBps) if (healthWad < (lineWad * (BPS + d)) / BPS) hit = d;
  return hit;
}

/**
 * The alert state of a vault at `healthWad` with warning distances `distancesBps` (from
 * {@link parseDistances}) above each line: the liquidation line 1.0 and, when opted in
 * (`preHealthWad` > 0), the pre-threshold. Near the liquidation line wins over inside the band.
 */
export function alertState(healthWad: bigint, preHealthWad: bigint, distancesBps: readonly bigint[]): AlertState {
  if (healthWad < WAD) return { level: 'liquidatable', distanceBps: undefined };
  const nearLine = within(healthWad, WAD, distancesBps);
  if (nearLine !== undefined) return { level: 'nearLiquidation', distanceBps: nearLine };
  if (preHealthWad > 0n && healthWad < preHealthWad) return { level: 'inPreBand', distanceBps: undefined };
  const nearPre = preHealthWad > 0n ? within(healthWad, preHealthWad, distancesBps) : undefined;
  if (nearPre !== undefined) return { level: 'nearPreThreshold', distanceBps: nearPre };
  return OK_STATE;
}

/** Orders states from calm to worst: by level, then nearer distances worse. */
export function alertRank(s: AlertState, distancesBps: readonly bigint[]): number {
  const i = s.distanceBps === undefined ? -1 : distancesBps.indexOf(s.distanceBps);
  return ALERT_LEVELS.indexOf(s.level) * (MAX_DISTANCES + 2) + (i + 1);
}

/**
 * The next state of a vault last seen at `prev`: worse at once; better only when a health
 * {@link RECOVERY_BPS} lower would be better too (then the state of that lower health).
 */
export function nextAlertState(prev: AlertState, healthWad: bigint, preHealthWad: bigint, distancesBps: readonly bigint[]): AlertState {
  const now = alertState(healthWad, preHealthWad, distancesBps);
  const prevRank = alertRank(prev, distancesBps);
  if (alertRank(now, distancesBps) >= prevRank) return now;
  const margin = alertState((healthWad * BPS) / (BPS + RECOVERY_BPS), preHealthWad, distancesBps);
  return alertRank(margin, distancesBps) < prevRank ? margin : prev;
}

/** One line's description: `within 5% of the pre-threshold 1.25`. */
export function describeState(s: AlertState, preHealthWad: bigint, fmt: (wad: bigint) => string): string {
  const d = s.distanceBps === undefined ? '' : formatDistances([s.distanceBps]);
  switch (s.level) {
    case 'ok':
      return 'clear of every warning distance';
    case 'nearPreThreshold':
      return `within ${d} of the pre-liquidation threshold ${fmt(preHealthWad)}`;
    case 'inPreBand':
      return `in the pre-liquidation band (below ${fmt(preHealthWad)}): partial closes may happen`;
    case 'nearLiquidation':
      return `within ${d} of the liquidation threshold 1.0`;
    case 'liquidatable':
      return 'below the liquidation threshold: liquidatable';
  }
}
