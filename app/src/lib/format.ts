// Display formatting. Amounts stay bigint; truncation never rounds a figure up.
import { formatAmount } from './amount.ts';

/** A WAD amount with `digits` decimals kept (truncated). */
export function formatWad(value: bigint, digits = 2): string {
  return formatAmount(value, 18, digits);
}

/** A token amount in base units. */
export function formatToken(value: bigint, decimals: number, digits = 4): string {
  return formatAmount(value, decimals, digits);
}

/** Basis points as a signed percentage with two decimals: -325n → "-3.25%". */
export function formatBps(bps: bigint, signed = false): string {
  const neg = bps < 0n;
  const abs = neg ? -bps : bps;
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}%`;
  if (neg) return `−${s}`;
  return signed && abs > 0n ? `+${s}` : s;
}

/** Seconds as "1h 02m", "3m 07s" or "42s". */
export function formatDuration(seconds: bigint): string {
  const s = seconds < 0n ? 0n : seconds;
  const h = s / 3600n;
  const m = (s % 3600n) / 60n;
  const sec = s % 60n;
  const two = (n: bigint): string => n.toString().padStart(2, '0');
  if (h > 0n) return `${h}h ${two(m)}m`;
  if (m > 0n) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}

/** 0x1234…abcd */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** An auction id `nonce << 32 | slot` as "#nonce" with the slot. */
export function formatAuctionId(id: bigint): string {
  return `#${id >> 32n}·${id & 0xffffffffn}`;
}

/** A WAD ratio (1.5e18) as "1.50". */
export function formatRatio(wad: bigint, digits = 2): string {
  return formatAmount(wad, 18, digits);
}

/** A base-unit amount as plain input text (no grouping), e.g. for a Max button. */
export function toInputString(value: bigint, decimals: number): string {
  return formatAmount(value, decimals).replaceAll(',', '');
}
