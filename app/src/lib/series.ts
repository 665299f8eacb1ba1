// Time series for the history charts (display only: values are already numbers).

export interface TimePoint {
  t: number;
  value: number;
}

/**
 * A step series carried on to `now` (chain seconds): a step line ends at its last point, so the
 * last change (a vault's latest health, bad debt after a settle) was a zero-width tick at the right
 * edge. The last value holds until something changes it.
 */
export function untilNow(points: TimePoint[], now: bigint | undefined): TimePoint[] {
  const last = points.at(-1);
  if (last === undefined || now === undefined || Number(now) <= last.t) return points;
  return [...points, { t: Number(now), value: last.value }];
}
