import { WAD } from '@gavel/sdk';
import { describe, expect, it } from 'vitest';
import { preLiquidationFormFrom, validatePreLiquidationForm, validateReserveForm, type PreLiquidationForm } from './protection.ts';

// The deploy script's default bounds: pre-threshold up to 1.5, incentive up to 5%, close factor up to 50%.
const bounds = { maxPreHealthWad: (WAD * 3n) / 2n, maxIncentiveWad: (WAD * 105n) / 100n, maxCloseFactorBps: 5_000 };
const good: PreLiquidationForm = { preHealth: '1.3', incentiveStart: '1', incentiveEnd: '4', closeFactorStart: '10', closeFactorEnd: '50' };

describe('pre-liquidation form', () => {
  it('parses percent fields exactly into the contract units', () => {
    const r = validatePreLiquidationForm(good, bounds);
    expect(r).toEqual({
      ok: true,
      params: { preHealthWad: 1_300_000_000_000_000_000n, incentiveStartWad: 1_010_000_000_000_000_000n, incentiveEndWad: 1_040_000_000_000_000_000n, closeFactorStartBps: 1_000n, closeFactorEndBps: 5_000n },
    });
  });

  it('names the field and the governance bound it breaks, before anything is sent', () => {
    const err = (f: Partial<PreLiquidationForm>) => {
      const r = validatePreLiquidationForm({ ...good, ...f }, bounds);
      return r.ok ? {} : r.errors;
    };
    const preMessage = "Above 1 (the liquidation line) and at most 1.5 (governance's bound)";
    expect(err({ preHealth: '1.6' })).toEqual({ preHealth: preMessage });
    expect(err({ preHealth: '1' })).toEqual({ preHealth: preMessage });
    expect(err({ incentiveEnd: '6' })).toEqual({ incentiveEnd: "At most 5% (governance's bound)" });
    expect(err({ incentiveStart: '5', incentiveEnd: '4' })).toEqual({ incentiveStart: 'At most the incentive at the line (4%)' });
    expect(err({ closeFactorEnd: '60' })).toEqual({ closeFactorEnd: "At most 50% (governance's bound)" });
    expect(err({ closeFactorStart: '60', closeFactorEnd: '50' })).toEqual({ closeFactorStart: 'At most the close factor at the line (50%)' });
    expect(err({ closeFactorStart: '0' })).toEqual({ closeFactorStart: 'Amount must be greater than zero' });
    expect(err({ preHealth: 'abc', closeFactorEnd: '' })).toEqual({ preHealth: 'Not a number', closeFactorEnd: 'Enter an amount' });
    expect(err({ closeFactorEnd: '12.345' })).toEqual({ closeFactorEnd: 'At most 2 decimal places' });
  });

  it('prefills from the chain when opted in, and inside the bounds when not', () => {
    const on = validatePreLiquidationForm(good, bounds);
    if (!on.ok) throw new Error('good form refused');
    expect(preLiquidationFormFrom(on.params, bounds)).toEqual({ preHealth: '1.3', incentiveStart: '1', incentiveEnd: '4', closeFactorStart: '10', closeFactorEnd: '50' });
    const fresh = preLiquidationFormFrom({ preHealthWad: 0n, incentiveStartWad: 0n, incentiveEndWad: 0n, closeFactorStartBps: 0, closeFactorEndBps: 0 }, bounds);
    expect(validatePreLiquidationForm(fresh, bounds).ok).toBe(true);
  });
});

describe('top-up reserve form', () => {
  it('accepts an amount in the token and a target inside the hook bounds', () => {
    expect(validateReserveForm({ amount: '2.5', targetHealth: '1.5' }, 8)).toEqual({ ok: true, reserve: { maxAmount: 250_000_000n, targetHealthWad: (WAD * 3n) / 2n } });
  });
  it('refuses a target outside [1.01, 5] and a bad amount', () => {
    expect(validateReserveForm({ amount: '1', targetHealth: '1.005' }, 18)).toEqual({ ok: false, errors: { targetHealth: 'Between 1.01 and 5' } });
    expect(validateReserveForm({ amount: '1', targetHealth: '5.01' }, 18)).toEqual({ ok: false, errors: { targetHealth: 'Between 1.01 and 5' } });
    expect(validateReserveForm({ amount: '0', targetHealth: '1.5' }, 18)).toEqual({ ok: false, errors: { amount: 'Amount must be greater than zero' } });
    expect(validateReserveForm({ amount: '1.123', targetHealth: '1.5' }, 2)).toEqual({ ok: false, errors: { amount: 'At most 2 decimal places' } });
  });
});
