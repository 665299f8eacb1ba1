// JSON for the HTTP API: bigints as decimal strings (amounts are exact on-chain integers), block
// timestamps as numbers.
const TIME_KEYS = new Set(['timestamp', 'kickTime', 'endTime', 't', 'lastTimestamp']);

export function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = TIME_KEYS.has(k) && typeof v === 'bigint' ? Number(v) : toJson(v);
    return out;
  }
  return value;
}

/** `?limit=` (default 100, at most 1000) and `?offset=`. */
export function page(q: { limit?: string; offset?: string }): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Number.parseInt(q.limit ?? '100', 10) || 100, 1), 1000);
  const offset = Math.max(Number.parseInt(q.offset ?? '0', 10) || 0, 0);
  return { limit, offset };
}
