// Vault math, mirroring VaultEngine (contracts/src/VaultEngine.sol) to the wei. Shared by the keeper
// (detection), the demo (its independent observer) and anything else that classifies vaults.
//
// Units: collateral in the token's native units; normalized debt (`normDebt`, on chain
// `normalizedDebt`/`art`) WAD; `rate` RAY (debt accumulator); `spot` WAD (mark price divided by the
// liquidation ratio); `scale = 10 ** (18 - decimals)`. See docs/contracts.md.

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
  /** Normalized debt, WAD. */
  readonly normDebt: bigint;
}

/** `10 ** (18 - decimals)`; decimals above 18 are rejected, as on chain. */
export function scaleForDecimals(decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 18) {
    throw new RangeError(`decimals must be an integer in [0, 18], got ${decimals}`);
  }
  return 10n ** BigInt(18 - decimals);
}

/** Debt in WAD, rounded up: `ceil(normDebt × rate / RAY)` (VaultEngine `_debtWadUp`). */
export function debtWadUp(normDebt: bigint, rate: bigint): bigint {
  const rad = normDebt * rate;
  const q = rad / RAY;
  return q * RAY === rad ? q : q + 1n;
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
export function isSafe(collateral: bigint, normDebt: bigint, ilk: IlkRates): boolean {
  if (normDebt === 0n) return true;
  return collateralValueWadDown(collateral, ilk.scale, ilk.spot) >= debtWadUp(normDebt, ilk.rate);
}

/**
 * The unrounded rule: `collateral × scale × spot / WAD ≥ normDebt × rate / RAY` compared exactly
 * (cross-multiplied). Every vault unsafe by this rule is also unsafe by {@link isSafe}; the two
 * differ only when value − debt is within one wei (see src/detect/README.md).
 */
export function isSafeUnrounded(collateral: bigint, normDebt: bigint, ilk: IlkRates): boolean {
  if (normDebt === 0n) return true;
  return collateral * ilk.scale * ilk.spot * RAY >= normDebt * ilk.rate * WAD;
}

/** VaultEngine.health: value × WAD / debt, rounded down; `MAX_UINT256` without debt. */
export function health(collateral: bigint, normDebt: bigint, ilk: IlkRates): bigint {
  const debt = debtWadUp(normDebt, ilk.rate);
  if (debt === 0n) return MAX_UINT256;
  return (collateralValueWadDown(collateral, ilk.scale, ilk.spot) * WAD) / debt;
}

/**
 * VaultEngine.liquidationPrice: the mark price (WAD per whole token) below which the vault is
 * unsafe, `debtWadUp × liquidationRatio / (collateral × scale)` rounded up; 0 without debt;
 * `MAX_UINT256` with debt and no collateral.
 */
export function liquidationPrice(
  collateral: bigint,
  normDebt: bigint,
  ilk: { readonly rate: bigint; readonly scale: bigint; readonly liquidationRatio: bigint },
): bigint {
  const debt = debtWadUp(normDebt, ilk.rate);
  if (debt === 0n) return 0n;
  const collateralWad = collateral * ilk.scale;
  if (collateralWad === 0n) return MAX_UINT256;
  return divUp(debt * ilk.liquidationRatio, collateralWad);
}

/**
 * The smallest `spot` (WAD) at which {@link isSafe} holds at the given rate:
 * `ceil(debtWadUp × WAD / (collateral × scale))`; 0 without debt; `undefined` when no spot makes
 * the vault safe (debt and no collateral). For every spot: `isSafe ⟺ spot ≥ liquidationSpot`.
 */
export function liquidationSpot(
  collateral: bigint,
  normDebt: bigint,
  ilk: { readonly rate: bigint; readonly scale: bigint },
): bigint | undefined {
  const debt = debtWadUp(normDebt, ilk.rate);
  if (debt === 0n) return 0n;
  const collateralWad = collateral * ilk.scale;
  if (collateralWad === 0n) return undefined;
  return divUp(debt * WAD, collateralWad);
}

function divUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a ? q : q + 1n;
}
