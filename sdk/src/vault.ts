// Vault rules, mirroring VaultEngine (contracts/src/VaultEngine.sol) to the wei, under the names of its
// views: `debtOf`, `isSafe`, `health`, `liquidationPrice`. Shared by the keeper (detection), the app
// (health, rescue preview), the demo's observer and third-party bots.
//
// Units: collateral in the token's native units; `normalizedDebt` WAD (as on chain; debt = normalizedDebt
// × rate); `rate` RAY (debt accumulator); `spot` WAD (mark price divided by the liquidation ratio);
// `scale = 10 ** (18 - decimals)`. See docs/contracts.md.

import { RayMathOverflowError } from './curves.ts';
import { divUp } from './math.ts';
import { MAX_UINT256, RAY, WAD } from './units.ts';

/** The ilk parameters that decide whether a vault is safe. */
export interface IlkRates {
  /** Mark price / liquidation ratio, WAD. */
  readonly spot: bigint;
  /** Debt accumulator, RAY (≥ RAY on chain). */
  readonly rate: bigint;
  /** `10 ** (18 - decimals)` of the collateral token. */
  readonly scale: bigint;
}

/** A vault as stored on chain. */
export interface VaultAmounts {
  /** Token native units. */
  readonly collateral: bigint;
  /** Normalized debt, WAD (debt = normalizedDebt × rate). */
  readonly normalizedDebt: bigint;
}

/** `10 ** (18 - decimals)`; decimals above 18 are rejected, as on chain. */
export function scaleForDecimals(decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 18) {
    throw new RangeError(`decimals must be an integer in [0, 18], got ${decimals}`);
  }
  return 10n ** BigInt(18 - decimals);
}

/** VaultEngine.debtOf: debt in WAD, rounded up, `ceil(normalizedDebt × rate / RAY)` (`_debtOf`). */
export function debtOf(normalizedDebt: bigint, rate: bigint): bigint {
  return divUp(normalizedDebt * rate, RAY);
}

/** Collateral value at spot in WAD, rounded down: `collateral × scale × spot / WAD`. */
export function collateralValueWadDown(collateral: bigint, scale: bigint, spot: bigint): bigint {
  return (collateral * scale * spot) / WAD;
}

/**
 * VaultEngine.isSafe: the collateral value at spot, rounded down, covers the debt, rounded up.
 * A vault without debt is always safe. This is the rule the liquidation engine enforces, so it is
 * the rule the keeper classifies with.
 */
export function isSafe(collateral: bigint, normalizedDebt: bigint, ilk: IlkRates): boolean {
  if (normalizedDebt === 0n) return true;
  return collateralValueWadDown(collateral, ilk.scale, ilk.spot) >= debtOf(normalizedDebt, ilk.rate);
}

/**
 * The unrounded rule: `collateral × scale × spot / WAD ≥ normalizedDebt × rate / RAY` compared exactly
 * (cross-multiplied). Every vault unsafe by this rule is also unsafe by {@link isSafe}; the two
 * differ only when value − debt is within one wei (see src/detect/README.md).
 */
export function isSafeUnrounded(collateral: bigint, normalizedDebt: bigint, ilk: IlkRates): boolean {
  if (normalizedDebt === 0n) return true;
  return collateral * ilk.scale * ilk.spot * RAY >= normalizedDebt * ilk.rate * WAD;
}

/**
 * VaultEngine.health: value × WAD / debt, rounded down (`fullMulDiv`); `MAX_UINT256` without debt.
 * Throws `RayMathOverflowError('FullMulDivFailed')` where the quotient exceeds 256 bits, as the contract reverts.
 */
export function health(collateral: bigint, normalizedDebt: bigint, ilk: IlkRates): bigint {
  const debt = debtOf(normalizedDebt, ilk.rate);
  if (debt === 0n) return MAX_UINT256;
  return fitsFullMulDiv((collateralValueWadDown(collateral, ilk.scale, ilk.spot) * WAD) / debt);
}

/**
 * VaultEngine.liquidationPrice: the mark price (WAD per whole token) below which the vault is
 * unsafe, `debtOf × liquidationRatio / (collateral × scale)` rounded up; 0 without debt;
 * `MAX_UINT256` with debt and no collateral. Throws `RayMathOverflowError('FullMulDivFailed')` where the
 * quotient exceeds 256 bits (`fullMulDivUp` reverts).
 */
export function liquidationPrice(
  collateral: bigint,
  normalizedDebt: bigint,
  ilk: { readonly rate: bigint; readonly scale: bigint; readonly liquidationRatio: bigint },
): bigint {
  const debt = debtOf(normalizedDebt, ilk.rate);
  if (debt === 0n) return 0n;
  const collateralWad = collateral * ilk.scale;
  if (collateralWad === 0n) return MAX_UINT256;
  return fitsFullMulDiv(divUp(debt * ilk.liquidationRatio, collateralWad));
}

/**
 * The smallest `spot` (WAD) at which {@link isSafe} holds at the given rate:
 * `ceil(debtOf × WAD / (collateral × scale))`; 0 without debt; `undefined` when no spot makes
 * the vault safe (debt and no collateral). For every spot: `isSafe ⟺ spot ≥ liquidationSpot`.
 */
export function liquidationSpot(
  collateral: bigint,
  normalizedDebt: bigint,
  ilk: { readonly rate: bigint; readonly scale: bigint },
): bigint | undefined {
  const debt = debtOf(normalizedDebt, ilk.rate);
  if (debt === 0n) return 0n;
  const collateralWad = collateral * ilk.scale;
  if (collateralWad === 0n) return undefined;
  return divUp(debt * WAD, collateralWad);
}

/** VaultEngine.liquidationView's `safe` and `isSafe` for a vault read with `vault(ilk, owner)`. */
export function isSafeVault(vault: VaultAmounts, ilk: IlkRates): boolean {
  return isSafe(vault.collateral, vault.normalizedDebt, ilk);
}

/** Normalized debt a borrow of `amount` (WAD) adds at `rate`: rounded up (VaultEngine `_applyDebt`). */
export function borrowNormalizedDebt(amount: bigint, rate: bigint): bigint {
  return divUp(amount * RAY, rate);
}

/** Normalized debt a repayment of `amount` (WAD) removes at `rate`: rounded down (VaultEngine `_applyDebt`). */
export function repayNormalizedDebt(amount: bigint, rate: bigint): bigint {
  return (amount * RAY) / rate;
}

function fitsFullMulDiv(q: bigint): bigint {
  if (q > MAX_UINT256) throw new RayMathOverflowError('FullMulDivFailed');
  return q;
}
