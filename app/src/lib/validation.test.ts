import { WAD } from '@gavel/sdk';
import { describe, expect, it } from 'vitest';
import {
  validateAddress,
  validateAdjust,
  validateDeposit,
  validateMaxPrice,
  validateRepay,
  validateSlippage,
  validateTakeAmount,
  validateTakeCost,
  proposedMaxPrice,
  roundUpSignificant,
  withSlippage,
} from './validation.ts';
import { toInputString } from './format.ts';

const msg = (r: { ok: boolean; message?: string }): string => (r.ok ? '' : (r.message ?? ''));

describe('take form', () => {
  const o = { decimals: 8, lot: 5n * 10n ** 8n, symbol: 'WBTC' };
  it('names every bad amount', () => {
    expect(msg(validateTakeAmount('', o))).toBe('Enter an amount');
    expect(msg(validateTakeAmount('-1', o))).toBe('Amount cannot be negative');
    expect(msg(validateTakeAmount('0.000000001', o))).toBe('At most 8 decimal places');
    expect(msg(validateTakeAmount('0', o))).toBe('Amount must be greater than zero');
    expect(msg(validateTakeAmount('5.00000001', o))).toBe('Only 5 WBTC left in this auction');
    expect(validateTakeAmount('5', o)).toEqual({ ok: true, value: 5n * 10n ** 8n });
  });
  it('checks the worst cost against the balance', () => {
    expect(msg(validateTakeCost(101n * WAD, 100n * WAD))).toBe('Costs up to 101 gUSD; your balance is 100 gUSD');
    expect(validateTakeCost(100n * WAD, 100n * WAD).ok).toBe(true);
  });
  it('parses max price and slippage', () => {
    expect(validateMaxPrice('1999.5')).toEqual({ ok: true, value: 19_995n * WAD / 10n });
    expect(msg(validateMaxPrice('abc'))).toBe('Max price is not a number');
    expect(msg(validateMaxPrice(''))).toBe('Enter a max price');
    expect(msg(validateMaxPrice('0'))).toBe('Max price must be greater than zero');
    expect(validateSlippage('0.5')).toEqual({ ok: true, value: 50n });
    expect(validateSlippage('0')).toEqual({ ok: true, value: 0n });
    expect(msg(validateSlippage('51'))).toBe('At most 50%');
    expect(msg(validateSlippage('0.001'))).toBe('At most 2 decimal places');
    expect(withSlippage(1_000n * WAD, 50n)).toBe(1_005n * WAD);
    expect(withSlippage(1n, 1n)).toBe(2n); // rounds up
  });

  it('proposes a max price of six significant digits, rounded up, never below price + slippage', () => {
    // 1,969.2345678912345678 + 0.5% = 1,979.0807407... -> 1,979.09
    const price = 1_969_234_567_891_234_567_800n;
    const max = proposedMaxPrice(price, 50n);
    expect(toInputString(max, 18)).toBe('1979.09');
    expect(max).toBeGreaterThanOrEqual(withSlippage(price, 50n));
    expect(roundUpSignificant(123_456n)).toBe(123_456n);
    expect(roundUpSignificant(1_234_561n)).toBe(1_234_570n);
    expect(roundUpSignificant(1_234_560n)).toBe(1_234_560n);
    expect(toInputString(roundUpSignificant(12_345_678_900_000_000n), 18)).toBe('0.0123457');
    expect(roundUpSignificant(0n)).toBe(0n);
  });
});

describe('vault forms', () => {
  it('deposit within balance', () => {
    const o = { decimals: 6, balance: 1_000_000n, symbol: 'USDC' };
    expect(msg(validateDeposit('1.000001', o))).toBe('Above your balance of 1 USDC');
    expect(msg(validateDeposit('1.0000001', o))).toBe('At most 6 decimal places');
    expect(validateDeposit('1', o)).toEqual({ ok: true, value: 1_000_000n });
  });
  it('repay within debt and balance, never leaving dust', () => {
    const o = { debt: 500n * WAD, balance: 400n * WAD, dust: 100n * WAD };
    expect(msg(validateRepay('600', o))).toBe('More than the debt of 500 gUSD');
    expect(msg(validateRepay('450', o))).toBe('Above your balance of 400 gUSD');
    expect(msg(validateRepay('450', { ...o, balance: 1000n * WAD }))).toMatch(/below the minimum debt of 100/);
    expect(validateRepay('500', { ...o, balance: 1000n * WAD }).ok).toBe(true);
    expect(validateRepay('300', o).ok).toBe(true);
    expect(msg(validateRepay('1', { ...o, debt: 0n }))).toBe('This vault has no debt');
  });
  it('open/adjust names the field and the rule', () => {
    const base = {
      deposit: '',
      borrow: '',
      decimals: 18,
      symbol: 'ETH',
      collateralBalance: 10n * WAD,
      collateral: 0n,
      debt: 0n,
      spot: 1_000n * WAD,
      scale: 1n,
      dust: 100n * WAD,
      room: 1_000_000n * WAD,
    };
    expect(validateAdjust(base)).toEqual({ ok: false, errors: { form: 'Enter collateral to deposit or an amount to borrow' } });
    expect(validateAdjust({ ...base, deposit: '11' })).toEqual({ ok: false, errors: { deposit: 'Above your balance of 10 ETH' } });
    expect(validateAdjust({ ...base, deposit: '1', borrow: '50' })).toEqual({
      ok: false,
      errors: { borrow: "The vault's debt must be at least 100 gUSD" },
    });
    const unsafe = validateAdjust({ ...base, deposit: '1', borrow: '1001' });
    expect(unsafe.ok ? '' : unsafe.errors.borrow).toMatch(/^Unsafe: at most 1,000 gUSD/);
    expect(validateAdjust({ ...base, deposit: '1', borrow: '1000' })).toEqual({ ok: true, deposit: WAD, borrow: 1_000n * WAD });
    const ceiling = validateAdjust({ ...base, deposit: '1', borrow: '500', room: 10n * WAD });
    expect(ceiling.ok ? '' : ceiling.errors.borrow).toMatch(/debt ceiling/);
  });
  it('addresses', () => {
    expect(msg(validateAddress(''))).toBe('Enter an address');
    expect(msg(validateAddress('0x123'))).toMatch(/Not an address/);
    expect(validateAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')).toEqual({
      ok: true,
      value: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    });
  });
});
