// Form validation: every bad input is named next to its field before any transaction is sent.
// Pure functions over what the user typed and what the chain says; amounts are bigint throughout.
import { collateralValueWadDown } from '@gavel/sdk';
import { isAddress, type Address, getAddress } from 'viem';
import { formatAmount, parseAmount, type AmountError } from './amount.ts';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

const bad = <T>(message: string): FieldResult<T> => ({ ok: false, message });

/** Collateral amount for a take: a positive decimal within the token's decimals, at most the lot. */
export function validateTakeAmount(input: string, o: { decimals: number; lot: bigint; symbol: string }): FieldResult<bigint> {
  const r = parseAmount(input, o.decimals);
  if (!r.ok) return bad(r.message);
  if (r.value > o.lot) return bad(`Only ${formatAmount(o.lot, o.decimals)} ${o.symbol} left in this auction`);
  return { ok: true, value: r.value };
}

const MAX_PRICE_MESSAGES: Record<AmountError, string> = {
  empty: 'Enter a max price',
  negative: 'Max price cannot be negative',
  'not-a-number': 'Max price is not a number',
  'too-many-decimals': 'Max price has at most 18 decimal places',
  zero: 'Max price must be greater than zero',
};

/** Highest price the bidder accepts (WAD per whole token); its errors say "Max price". */
export function validateMaxPrice(input: string): FieldResult<bigint> {
  const r = parseAmount(input, 18);
  if (!r.ok) return bad(MAX_PRICE_MESSAGES[r.error]);
  return { ok: true, value: r.value };
}

/** Significant digits a max price proposed by the form keeps (6: 1,979.13 or 0.0123457). */
export const MAX_PRICE_SIGNIFICANT_DIGITS = 6;

/**
 * A WAD value rounded UP to `digits` significant digits: the max price the form proposes is this
 * exact, readable number (what the field shows is what is sent), and rounding up only widens the
 * bidder's own tolerance by less than one unit in the last digit kept.
 */
export function roundUpSignificant(wad: bigint, digits: number = MAX_PRICE_SIGNIFICANT_DIGITS): bigint {
  if (wad <= 0n) return wad;
  const len = wad.toString().length;
  if (len <= digits) return wad;
  const unit = 10n ** BigInt(len - digits);
  return ((wad + unit - 1n) / unit) * unit;
}

/** The max price the form proposes: price plus slippage, rounded up to a readable number. */
export function proposedMaxPrice(price: bigint, slippageBps: bigint): bigint {
  return roundUpSignificant(withSlippage(price, slippageBps));
}

/** Slippage tolerance as typed in percent ("0.5"), to basis points; 0 to 50%. */
export function validateSlippage(input: string): FieldResult<bigint> {
  const r = parseAmount(input, 2, true);
  if (!r.ok) return bad(r.message);
  if (r.value > 5000n) return bad('At most 50%');
  return { ok: true, value: r.value };
}

/** `price × (1 + bps / 10 000)`, rounded up: the max price sent with a take. */
export function withSlippage(price: bigint, bps: bigint): bigint {
  const p = price * (10_000n + bps);
  return p === 0n ? 0n : (p - 1n) / 10_000n + 1n;
}

/** The most a take can cost at `maxPrice` must be covered by the stablecoin balance. */
export function validateTakeCost(worstCost: bigint, balance: bigint): FieldResult<bigint> {
  if (worstCost > balance) {
    return bad(`Costs up to ${formatAmount(worstCost, 18, 4)} gUSD; your balance is ${formatAmount(balance, 18, 4)} gUSD`);
  }
  return { ok: true, value: worstCost };
}

/** Collateral to add to a vault: positive, within decimals, at most the wallet balance. */
export function validateDeposit(input: string, o: { decimals: number; balance: bigint; symbol: string }): FieldResult<bigint> {
  const r = parseAmount(input, o.decimals);
  if (!r.ok) return bad(r.message);
  if (r.value > o.balance) return bad(`Above your balance of ${formatAmount(o.balance, o.decimals)} ${o.symbol}`);
  return { ok: true, value: r.value };
}

/** Stablecoin to repay: positive, at most the debt and the balance, not leaving dust. */
export function validateRepay(input: string, o: { debt: bigint; balance: bigint; dust: bigint }): FieldResult<bigint> {
  const r = parseAmount(input, 18);
  if (!r.ok) return bad(r.message);
  if (o.debt === 0n) return bad('This vault has no debt');
  if (r.value > o.debt) return bad(`More than the debt of ${formatAmount(o.debt, 18, 4)} gUSD`);
  if (r.value > o.balance) return bad(`Above your balance of ${formatAmount(o.balance, 18, 4)} gUSD`);
  const left = o.debt - r.value;
  if (left > 0n && left < o.dust) {
    return bad(`Would leave ${formatAmount(left, 18, 4)} gUSD, below the minimum debt of ${formatAmount(o.dust, 18, 4)}; repay all or less`);
  }
  return { ok: true, value: r.value };
}

export interface AdjustInputs {
  /** Collateral to deposit ('' for none). */
  deposit: string;
  /** Stablecoin to borrow ('' for none). */
  borrow: string;
  decimals: number;
  symbol: string;
  collateralBalance: bigint;
  /** Current vault. */
  collateral: bigint;
  debt: bigint;
  /** spot (WAD), scale, dust (WAD), ceiling room (WAD). */
  spot: bigint;
  scale: bigint;
  dust: bigint;
  room: bigint;
}

export interface AdjustErrors {
  deposit?: string;
  borrow?: string;
  form?: string;
}

/**
 * Open or top up a vault: deposit and/or borrow. Field errors name the field; a form error names
 * a rule the pair breaks (unsafe, below dust, above the ceiling).
 */
export function validateAdjust(i: AdjustInputs): { ok: true; deposit: bigint; borrow: bigint } | { ok: false; errors: AdjustErrors } {
  const errors: AdjustErrors = {};
  let deposit = 0n;
  let borrow = 0n;
  if (i.deposit.trim() !== '') {
    const d = validateDeposit(i.deposit, { decimals: i.decimals, balance: i.collateralBalance, symbol: i.symbol });
    if (d.ok) deposit = d.value;
    else errors.deposit = d.message;
  }
  if (i.borrow.trim() !== '') {
    const b = parseAmount(i.borrow, 18);
    if (b.ok) borrow = b.value;
    else errors.borrow = b.message;
  }
  if (errors.deposit || errors.borrow) return { ok: false, errors };
  if (deposit === 0n && borrow === 0n) return { ok: false, errors: { form: 'Enter collateral to deposit or an amount to borrow' } };
  if (borrow > 0n) {
    const debt = i.debt + borrow;
    const value = collateralValueWadDown(i.collateral + deposit, i.scale, i.spot);
    if (borrow > i.room) errors.borrow = `Above the remaining debt ceiling of ${formatAmount(i.room, 18, 2)} gUSD`;
    else if (debt < i.dust) errors.borrow = `The vault's debt must be at least ${formatAmount(i.dust, 18, 2)} gUSD`;
    else if (value < debt) errors.borrow = `Unsafe: at most ${formatAmount(value > i.debt ? value - i.debt : 0n, 18, 2)} gUSD can be borrowed against this collateral`;
    if (errors.borrow) return { ok: false, errors };
  }
  return { ok: true, deposit, borrow };
}

/** An address typed in the vault search. */
export function validateAddress(input: string): FieldResult<Address> {
  const s = input.trim();
  if (s === '') return bad('Enter an address');
  if (!isAddress(s, { strict: false })) return bad('Not an address (0x followed by 40 hex digits)');
  return { ok: true, value: getAddress(s) };
}
