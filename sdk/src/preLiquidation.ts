// Pre-liquidation rules, mirroring PreLiquidation (contracts/src/PreLiquidation.sol) to the wei: where a
// vault sits in its band, the incentive and close factor there (linear, capped by governance bounds and
// the ilk's liquidation penalty), the largest repayment, the mark price used, and the collateral a
// repayment buys. Names as on chain.
import { min, mulDiv, mulWad, mulWadUp } from './math.ts';
import { BPS, RAY, WAD } from './units.ts';
import { type IlkRates, type VaultAmounts, debtOf, health, repayNormalizedDebt } from './vault.ts';

/** `IPreLiquidation.Params`: an owner's choice for one vault. */
export interface PreLiquidationParams {
  /** Pre-threshold health, WAD (> 1e18); 0 when not opted in. */
  readonly preHealthWad: bigint;
  /** Incentive at the pre-threshold, WAD. */
  readonly incentiveStartWad: bigint;
  /** Incentive at the liquidation line, WAD. */
  readonly incentiveEndWad: bigint;
  /** Close factor at the pre-threshold, bps. */
  readonly closeFactorStartBps: number | bigint;
  /** Close factor at the liquidation line, bps. */
  readonly closeFactorEndBps: number | bigint;
}

/** `IPreLiquidation.Bounds`: governance's limits. */
export interface PreLiquidationBounds {
  readonly maxPreHealthWad: bigint;
  readonly maxIncentiveWad: bigint;
  readonly maxCloseFactorBps: number | bigint;
}

/** What `quote` reads: the vault's health and debt, the ilk's spot, ratio and penalty. */
export interface PreLiquidationInputs {
  readonly params: PreLiquidationParams;
  readonly bounds: PreLiquidationBounds;
  /** `VaultEngine.health(ilk, owner)`, WAD. */
  readonly healthWad: bigint;
  /** `VaultEngine.debtOf(ilk, owner)`, WAD (rounded up). */
  readonly debt: bigint;
  /** The ilk's spot and liquidation ratio, WAD. */
  readonly spot: bigint;
  readonly liquidationRatio: bigint;
  /** `LiquidationEngine.ilkConfig(ilk).penaltyWad`. */
  readonly penaltyWad: bigint;
}

/** `IPreLiquidation.Quote`. */
export interface PreLiquidationQuote {
  readonly healthWad: bigint;
  readonly incentiveWad: bigint;
  readonly closeFactorBps: bigint;
  readonly maxRepay: bigint;
  readonly priceWad: bigint;
}

/** Why `quote` / `preLiquidate` refuses, named as the contract's errors. */
export type PreLiquidationRefusal =
  | { readonly ok: false; readonly error: 'NotOptedIn' }
  | { readonly ok: false; readonly error: 'VaultLiquidatable'; readonly healthWad: bigint }
  | { readonly ok: false; readonly error: 'VaultAbovePreThreshold'; readonly healthWad: bigint; readonly preHealthWad: bigint };

export type PreLiquidationQuoteResult = { readonly ok: true; readonly quote: PreLiquidationQuote } | PreLiquidationRefusal;

/** The pre-threshold in force: the owner's, clamped by today's bound. */
export function effectivePreHealth(params: PreLiquidationParams, bounds: PreLiquidationBounds): bigint {
  return min(params.preHealthWad, bounds.maxPreHealthWad);
}

/** Depth in the band, WAD: 0 at the pre-threshold, 1e18 at the liquidation line (`health` in [1e18, preHealth)). */
export function bandDepthWad(healthWad: bigint, preHealthWad: bigint): bigint {
  return mulDiv(preHealthWad - healthWad, WAD, preHealthWad - WAD);
}

/** `start + (end − start) × depth`, rounded down. */
export function preLiquidationLerp(start: bigint, end: bigint, depthWad: bigint): bigint {
  return start + mulWad(end - start, depthWad);
}

/** `PreLiquidation.quote(ilk, owner)`: the band position and what it allows, or the refusal. */
export function preLiquidationQuote(x: PreLiquidationInputs): PreLiquidationQuoteResult {
  const p = x.params;
  if (p.preHealthWad === 0n) return { ok: false, error: 'NotOptedIn' };
  const preHealth = effectivePreHealth(p, x.bounds);
  if (x.healthWad < WAD) return { ok: false, error: 'VaultLiquidatable', healthWad: x.healthWad };
  if (x.healthWad >= preHealth) return { ok: false, error: 'VaultAbovePreThreshold', healthWad: x.healthWad, preHealthWad: preHealth };
  const depth = bandDepthWad(x.healthWad, preHealth);
  const incentive = preLiquidationLerp(p.incentiveStartWad, p.incentiveEndWad, depth);
  const incentiveWad = min(min(incentive, x.bounds.maxIncentiveWad), x.penaltyWad);
  const closeFactorBps = min(preLiquidationLerp(BigInt(p.closeFactorStartBps), BigInt(p.closeFactorEndBps), depth), BigInt(x.bounds.maxCloseFactorBps));
  const maxRepay = (x.debt * closeFactorBps) / BPS;
  const priceWad = mulWadUp(x.spot, x.liquidationRatio);
  return { ok: true, quote: { healthWad: x.healthWad, incentiveWad, closeFactorBps, maxRepay, priceWad } };
}

/** `PreLiquidation.collateralFor` (prefixed: one name per quantity across the SDK): collateral (native units) `repay` buys, `repay × incentive / (price × scale)` rounded down. */
export function preLiquidationCollateralFor(repay: bigint, incentiveWad: bigint, priceWad: bigint, scale: bigint): bigint {
  if (priceWad === 0n) return 0n;
  return (repay * incentiveWad) / (priceWad * scale);
}

/** What `preLiquidate(ilk, owner, maxRepay, …)` would repay and send, given its quote. */
export function previewPreLiquidation(quote: PreLiquidationQuote, maxRepay: bigint, scale: bigint): { repaid: bigint; collateralOut: bigint } {
  const repaid = min(maxRepay, quote.maxRepay);
  return { repaid, collateralOut: preLiquidationCollateralFor(repaid, quote.incentiveWad, quote.priceWad, scale) };
}

/**
 * The caller's gain at the mark price, WAD of gUSD: collateral value minus the repayment (what a keeper
 * weighs against gas). Collateral valued at `priceWad` (the quote's price, or a market price).
 */
export function preLiquidationProfit(repaid: bigint, collateralOut: bigint, priceWad: bigint, scale: bigint): bigint {
  return (collateralOut * scale * priceWad) / WAD - repaid;
}

/** A field of `IPreLiquidation.Params`, as `setParams` checks them (in this order). */
export type PreLiquidationParamField = 'preHealthWad' | 'incentiveStartWad' | 'incentiveEndWad' | 'closeFactorStartBps' | 'closeFactorEndBps';

/** `InvalidParams(value, min, max)` of the first check `setParams` fails, with the field it names. */
export interface PreLiquidationParamsError {
  readonly error: 'InvalidParams';
  readonly field: PreLiquidationParamField;
  readonly value: bigint;
  readonly min: bigint;
  readonly max: bigint;
}

/**
 * `PreLiquidation.setParams`'s checks, in its order: the pre-threshold in (1, maxPreHealth]; the incentives
 * ordered, from 1 up to maxIncentive; the close factors ordered, from 1 bps up to maxCloseFactor. The first
 * failure as the contract reverts with it (`InvalidParams(value, min, max)`), or undefined when all pass.
 */
export function checkPreLiquidationParams(p: PreLiquidationParams, b: PreLiquidationBounds): PreLiquidationParamsError | undefined {
  const cfStart = BigInt(p.closeFactorStartBps);
  const cfEnd = BigInt(p.closeFactorEndBps);
  const checks: readonly (readonly [PreLiquidationParamField, bigint, bigint, bigint])[] = [
    ['preHealthWad', p.preHealthWad, WAD + 1n, b.maxPreHealthWad],
    ['incentiveStartWad', p.incentiveStartWad, WAD, p.incentiveEndWad],
    ['incentiveEndWad', p.incentiveEndWad, p.incentiveStartWad, b.maxIncentiveWad],
    ['closeFactorStartBps', cfStart, 1n, cfEnd],
    ['closeFactorEndBps', cfEnd, cfStart, BigInt(b.maxCloseFactorBps)],
  ];
  for (const [field, value, lo, hi] of checks) {
    if (value < lo || value > hi) return { error: 'InvalidParams', field, value, min: lo, max: hi };
  }
  return undefined;
}

/** The vault a pre-liquidation leaves, as `VaultEngine.preLiquidationClose` settles it. */
export interface PreLiquidationVaultAfter {
  /** Collateral left, native units. */
  readonly collateral: bigint;
  /** Normalized debt left: the repayment removes `repaid × RAY / rate`, rounded down (`_applyDebt`). */
  readonly normalizedDebt: bigint;
  /** `debtOf` after, WAD (rounded up). */
  readonly debt: bigint;
  /** `VaultEngine.health` after, WAD; `MAX_UINT256` when no debt is left. */
  readonly healthWad: bigint;
  /** The engine refuses the close: debt left is non-zero and below the ilk's dust (`DebtBelowDust`). */
  readonly belowDust: boolean;
}

/**
 * The vault after `preLiquidate` repays `repaid` and sends `collateralOut` (see {@link previewPreLiquidation}):
 * what the app previews as "health after". `ilk`: rate (RAY), spot (WAD), scale and dust (WAD) as `VaultEngine.ilks` reads.
 */
export function preLiquidationVaultAfter(
  vault: VaultAmounts,
  ilk: IlkRates & { readonly dust: bigint },
  repaid: bigint,
  collateralOut: bigint,
): PreLiquidationVaultAfter {
  const removed = repayNormalizedDebt(repaid, ilk.rate);
  const normalizedDebt = removed > vault.normalizedDebt ? 0n : vault.normalizedDebt - removed;
  const collateral = collateralOut > vault.collateral ? 0n : vault.collateral - collateralOut;
  const belowDust = normalizedDebt !== 0n && normalizedDebt * ilk.rate < ilk.dust * RAY;
  return { collateral, normalizedDebt, debt: debtOf(normalizedDebt, ilk.rate), healthWad: health(collateral, normalizedDebt, ilk), belowDust };
}
