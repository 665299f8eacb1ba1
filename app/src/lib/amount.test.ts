import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from './amount.ts';

describe('parseAmount', () => {
  it('parses exactly, without float rounding', () => {
    expect(parseAmount('0.1', 18)).toEqual({ ok: true, value: 100_000_000_000_000_000n });
    expect(parseAmount('1234.567891', 6)).toEqual({ ok: true, value: 1_234_567_891n });
    expect(parseAmount('  .5 ', 8)).toEqual({ ok: true, value: 50_000_000n });
    expect(parseAmount('7.', 2)).toEqual({ ok: true, value: 700n });
    // 2^64 + 1 wei survives: a float would not.
    expect(parseAmount('18446744073709551617', 0)).toEqual({ ok: true, value: 18_446_744_073_709_551_617n });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['-1', 'negative'],
    ['abc', 'not-a-number'],
    ['1e18', 'not-a-number'],
    ['1,000', 'not-a-number'],
    ['.', 'not-a-number'],
    ['1.2.3', 'not-a-number'],
    ['0.0000001', 'too-many-decimals'],
    ['0', 'zero'],
    ['0.000', 'zero'],
  ] as const)('rejects %j as %s', (input, error) => {
    const r = parseAmount(input, 6);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBe(error);
      expect(r.message.length).toBeGreaterThan(0);
    }
  });

  it('accepts zero when asked to', () => {
    expect(parseAmount('0', 18, true)).toEqual({ ok: true, value: 0n });
  });

  it('names the decimal limit in the message', () => {
    const r = parseAmount('1.123', 2);
    expect(r.ok ? '' : r.message).toBe('At most 2 decimal places');
  });

  it('rejects impossible decimals', () => {
    expect(() => parseAmount('1', -1)).toThrow(RangeError);
    expect(() => parseAmount('1', 1.5)).toThrow(RangeError);
  });
});

describe('formatAmount', () => {
  it('truncates and groups', () => {
    expect(formatAmount(1_234_567_891n, 6)).toBe('1,234.567891');
    expect(formatAmount(1_234_567_891n, 6, 2)).toBe('1,234.56');
    expect(formatAmount(10n ** 18n, 18)).toBe('1');
    expect(formatAmount(-5n, 1)).toBe('-0.5');
    expect(formatAmount(0n, 18)).toBe('0');
  });

  it('round-trips with parseAmount', () => {
    for (const [s, d] of [['1.5', 18], ['0.000001', 6], ['99999999.12345678', 8]] as const) {
      const r = parseAmount(s, d);
      expect(r.ok && formatAmount(r.value, d).replaceAll(',', '')).toBe(s);
    }
  });
});
