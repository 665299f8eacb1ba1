// The owner-protection forms: what the owner typed, parsed exactly, then checked by the SDK's own copy
// of the contracts' checks (`checkPreLiquidationParams`, `checkTopUpReserve`); this module only turns the
// SDK's refusal into a message next to the field it names. No protocol rule lives here.
import {
  BPS,
  TOP_UP_MAX_RESERVE,
  TOP_UP_MAX_TARGET_HEALTH_WAD,
  TOP_UP_MIN_TARGET_HEALTH_WAD,
  WAD,
  checkPreLiquidationParams,
  checkTopUpReserve,
  type PreLiquidationBounds,
  type PreLiquidationParamField,
  type PreLiquidationParams,
  type TopUpReserve,
} from '@gavel/sdk';
import { formatAmount, parseAmount } from './amount.ts';

/** Decimals of a percentage typed as "2.5": WAD fractions are 1e16 per percent. */
const PERCENT_OF_WAD_DECIMALS = 16;
/** Decimals of a close factor typed in percent ("12.5"): basis points are hundredths of a percent. */
const PERCENT_OF_BPS_DECIMALS = 2;

/** What the pre-liquidation form holds (text as typed). */
export interface PreLiquidationForm {
  /** Pre-threshold health, "1.30". */
  preHealth: string;
  /** Incentive at the pre-threshold / at the liquidation line, percent over 1 ("1" → 1.01). */
  incentiveStart: string;
  incentiveEnd: string;
  /** Share of the debt closable at the pre-threshold / at the line, percent ("10"). */
  closeFactorStart: string;
  closeFactorEnd: string;
}

export type PreLiquidationFormErrors = Partial<Record<keyof PreLiquidationForm, string>>;

const FIELD_OF: Record<PreLiquidationParamField, keyof PreLiquidationForm> = {
  preHealthWad: 'preHealth',
  incentiveStartWad: 'incentiveStart',
  incentiveEndWad: 'incentiveEnd',
  closeFactorStartBps: 'closeFactorStart',
  closeFactorEndBps: 'closeFactorEnd',
};

/** A WAD multiplier above 1 as the percent over 1 ("1.02e18" → "2"). */
export function wadPercent(wad: bigint): string {
  return formatAmount(wad > WAD ? wad - WAD : 0n, PERCENT_OF_WAD_DECIMALS, 2);
}

/** Basis points as a percent ("1250" → "12.5"). */
export function bpsPercent(bps: bigint | number): string {
  return formatAmount(BigInt(bps), PERCENT_OF_BPS_DECIMALS, 2);
}

/** The form prefilled from parameters on chain, or sensible defaults within the bounds when not opted in. */
export function preLiquidationFormFrom(p: PreLiquidationParams, b: PreLiquidationBounds): PreLiquidationForm {
  if (p.preHealthWad !== 0n) {
    return {
      preHealth: formatAmount(p.preHealthWad, 18, 4),
      incentiveStart: wadPercent(p.incentiveStartWad),
      incentiveEnd: wadPercent(p.incentiveEndWad),
      closeFactorStart: bpsPercent(p.closeFactorStartBps),
      closeFactorEnd: bpsPercent(p.closeFactorEndBps),
    };
  }
  // Not opted in: the middle of the allowed band, a small incentive, a tenth of the debt rising to the cap.
  const preHealth = WAD + (b.maxPreHealthWad - WAD) / 2n;
  const maxCf = BigInt(b.maxCloseFactorBps);
  return {
    preHealth: formatAmount(preHealth, 18, 2),
    incentiveStart: wadPercent(WAD + (b.maxIncentiveWad - WAD) / 4n),
    incentiveEnd: wadPercent(b.maxIncentiveWad),
    closeFactorStart: bpsPercent(maxCf < BPS / 10n ? maxCf : BPS / 10n),
    closeFactorEnd: bpsPercent(maxCf),
  };
}

/**
 * Parses the form and checks it as `setParams` will: each field's own syntax first, then the contract's
 * checks in its order (the first failure is named on its field, with the bound it breaks).
 */
export function validatePreLiquidationForm(
  f: PreLiquidationForm,
  b: PreLiquidationBounds,
): { ok: true; params: PreLiquidationParams } | { ok: false; errors: PreLiquidationFormErrors } {
  const errors: PreLiquidationFormErrors = {};
  const pre = parseAmount(f.preHealth, 18);
  const is = parseAmount(f.incentiveStart, PERCENT_OF_WAD_DECIMALS, true);
  const ie = parseAmount(f.incentiveEnd, PERCENT_OF_WAD_DECIMALS, true);
  const cs = parseAmount(f.closeFactorStart, PERCENT_OF_BPS_DECIMALS);
  const ce = parseAmount(f.closeFactorEnd, PERCENT_OF_BPS_DECIMALS);
  if (!pre.ok) errors.preHealth = pre.message;
  if (!is.ok) errors.incentiveStart = is.message;
  if (!ie.ok) errors.incentiveEnd = ie.message;
  if (!cs.ok) errors.closeFactorStart = cs.message;
  if (!ce.ok) errors.closeFactorEnd = ce.message;
  if (!pre.ok || !is.ok || !ie.ok || !cs.ok || !ce.ok) return { ok: false, errors };
  const params: PreLiquidationParams = {
    preHealthWad: pre.value,
    incentiveStartWad: WAD + is.value,
    incentiveEndWad: WAD + ie.value,
    closeFactorStartBps: cs.value,
    closeFactorEndBps: ce.value,
  };
  const bad = checkPreLiquidationParams(params, b);
  if (!bad) return { ok: true, params };
  const messages: Record<PreLiquidationParamField, string> = {
    preHealthWad: `Above 1 (the liquidation line) and at most ${formatAmount(bad.max, 18, 4)} (governance's bound)`,
    incentiveStartWad: `At most the incentive at the line (${wadPercent(bad.max)}%)`,
    incentiveEndWad: bad.value > bad.max ? `At most ${wadPercent(bad.max)}% (governance's bound)` : `At least the incentive at the pre-threshold (${wadPercent(bad.min)}%)`,
    closeFactorStartBps: bad.value < bad.min ? `At least ${bpsPercent(bad.min)}%` : `At most the close factor at the line (${bpsPercent(bad.max)}%)`,
    closeFactorEndBps: bad.value > bad.max ? `At most ${bpsPercent(bad.max)}% (governance's bound)` : `At least the close factor at the pre-threshold (${bpsPercent(bad.min)}%)`,
  };
  return { ok: false, errors: { [FIELD_OF[bad.field]]: messages[bad.field] } };
}

/** What the reserve form holds. */
export interface ReserveForm {
  /** Most collateral a rescue may add in total, in the token ("2.5"). */
  amount: string;
  /** Health a rescue tops up to ("1.50"). */
  targetHealth: string;
}

export type ReserveFormErrors = Partial<Record<keyof ReserveForm, string>>;

/** Parses the reserve form and checks it as `setReserve` will (target health within the hook's bounds). */
export function validateReserveForm(f: ReserveForm, decimals: number): { ok: true; reserve: TopUpReserve } | { ok: false; errors: ReserveFormErrors } {
  const errors: ReserveFormErrors = {};
  const amount = parseAmount(f.amount, decimals);
  const target = parseAmount(f.targetHealth, 18);
  if (!amount.ok) errors.amount = amount.message;
  else if (amount.value > TOP_UP_MAX_RESERVE) errors.amount = 'Too large';
  if (!target.ok) errors.targetHealth = target.message;
  if (!amount.ok || !target.ok || errors.amount) return { ok: false, errors };
  const reserve: TopUpReserve = { maxAmount: amount.value, targetHealthWad: target.value };
  const bad = checkTopUpReserve(reserve);
  if (bad) {
    return { ok: false, errors: { targetHealth: `Between ${formatAmount(TOP_UP_MIN_TARGET_HEALTH_WAD, 18, 2)} and ${formatAmount(TOP_UP_MAX_TARGET_HEALTH_WAD, 18, 2)}` } };
  }
  return { ok: true, reserve };
}
