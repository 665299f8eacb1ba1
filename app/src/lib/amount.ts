// Exact decimal ↔ bigint conversion for form inputs and display. No floats touch an amount.

export type AmountError = 'empty' | 'negative' | 'not-a-number' | 'too-many-decimals' | 'zero';

export type ParsedAmount = { ok: true; value: bigint } | { ok: false; error: AmountError; message: string };

const MESSAGES: Record<AmountError, (decimals: number) => string> = {
  empty: () => 'Enter an amount',
  negative: () => 'Amount cannot be negative',
  'not-a-number': () => 'Not a number',
  'too-many-decimals': (d) => `At most ${d} decimal places`,
  zero: () => 'Amount must be greater than zero',
};

function fail(error: AmountError, decimals: number): ParsedAmount {
  return { ok: false, error, message: MESSAGES[error](decimals) };
}

/**
 * Parses a user-typed decimal ("1,234.5" is rejected: no grouping) into base units exactly.
 * @param input what the user typed; surrounding spaces are ignored
 * @param decimals the token's decimals (0-36)
 * @param allowZero whether "0" is a valid amount (a max-price field may allow it, an amount does not)
 */
export function parseAmount(input: string, decimals: number, allowZero = false): ParsedAmount {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) throw new RangeError(`decimals out of range: ${decimals}`);
  const s = input.trim();
  if (s === '') return fail('empty', decimals);
  if (s.startsWith('-')) return fail('negative', decimals);
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return fail('not-a-number', decimals);
  const whole = m[1] ?? '';
  const frac = m[2] ?? '';
  if (frac.length > decimals) return fail('too-many-decimals', decimals);
  const value = BigInt(whole === '' ? '0' : whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
  if (value === 0n && !allowZero) return fail('zero', decimals);
  return { ok: true, value };
}

/**
 * Formats base units as a decimal string, truncating (never rounding up) to `maxFraction` digits.
 * @param value amount in base units
 * @param decimals the token's decimals
 * @param maxFraction digits after the point to keep (default: all significant ones)
 */
export function formatAmount(value: bigint, decimals: number, maxFraction = decimals): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(decimals, '0').slice(0, maxFraction).replace(/0+$/, '');
  const wholeStr = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${wholeStr}${frac ? `.${frac}` : ''}`;
}
