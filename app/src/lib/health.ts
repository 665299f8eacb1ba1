// Vault risk figures as the VaultEngine computes them: debt (rounded up), health (collateral value
// at spot over debt: below 1 the vault can be liquidated), liquidation price, distance from the
// mark price, and what a liquidation would cost the owner (the penalty).
import { RAY, WAD } from '@gavel/contracts';

/** Health below this (WAD) shows a warning: 1.25 means a 20% fall liquidates the vault. */
export const HEALTH_WARNING_WAD: bigint = (WAD * 125n) / 100n;

/** Health at which the bar is full. */
export const HEALTH_BAR_MAX_WAD: bigint = 3n * WAD;

export interface VaultInputs {
  /** Collateral in the token's base units. */
  collateral: bigint;
  normalizedDebt: bigint;
  /** Rate accumulator (RAY). */
  rate: bigint;
  /** Mark price / liquidation ratio (WAD), as pushed by the spotter. */
  spot: bigint;
  /** `10 ** (18 - decimals)`. */
  scale: bigint;
  /** Liquidation ratio (WAD, e.g. 1.5e18). */
  liquidationRatio: bigint;
  /** Oracle mark price (WAD); 0 when unknown. */
  mark: bigint;
  /** Liquidation penalty multiplier (WAD, 1.13e18 = 13%). */
  penaltyWad: bigint;
}

export type HealthState = 'empty' | 'no-debt' | 'liquidatable' | 'warning' | 'healthy';

export interface VaultMetrics {
  debt: bigint;
  /** Collateral value at the mark price (WAD). */
  collateralValue: bigint;
  /** Health (WAD); undefined without debt (infinitely healthy). */
  health: bigint | undefined;
  /** Mark price at which the vault becomes liquidatable (WAD); undefined without debt. */
  liquidationPrice: bigint | undefined;
  /** How far the mark price may fall before liquidation, in bps of the mark (negative: already past). */
  distanceBps: bigint | undefined;
  /** Stablecoin the owner loses to the penalty if liquidated now (WAD). */
  penaltyCost: bigint;
  state: HealthState;
}

/** `_debtWadUp`: normalized debt × rate, rounded up to WAD. */
export function debtOf(normalizedDebt: bigint, rate: bigint): bigint {
  const rad = normalizedDebt * rate;
  return rad === 0n ? 0n : (rad - 1n) / RAY + 1n;
}

/** `health()`: collateral value at spot × WAD / debt. */
export function healthOf(collateral: bigint, scale: bigint, spot: bigint, debt: bigint): bigint | undefined {
  if (debt === 0n) return undefined;
  return (((collateral * scale * spot) / WAD) * WAD) / debt;
}

/** `liquidationPrice()`: debt × ratio / collateral, rounded up. */
export function liquidationPriceOf(debt: bigint, liquidationRatio: bigint, collateral: bigint, scale: bigint): bigint | undefined {
  if (debt === 0n) return undefined;
  const collateralWad = collateral * scale;
  if (collateralWad === 0n) return undefined;
  const p = debt * liquidationRatio;
  return (p - 1n) / collateralWad + 1n;
}

/** Basis points the mark may fall before reaching the liquidation price. */
export function distanceBps(mark: bigint, liquidationPrice: bigint): bigint | undefined {
  if (mark === 0n) return undefined;
  return ((mark - liquidationPrice) * 10_000n) / mark;
}

export function healthState(health: bigint | undefined, collateral: bigint): HealthState {
  if (health === undefined) return collateral === 0n ? 'empty' : 'no-debt';
  if (health < WAD) return 'liquidatable';
  if (health < HEALTH_WARNING_WAD) return 'warning';
  return 'healthy';
}

export function vaultMetrics(v: VaultInputs): VaultMetrics {
  const debt = debtOf(v.normalizedDebt, v.rate);
  const health = healthOf(v.collateral, v.scale, v.spot, debt);
  const liquidationPrice = v.collateral === 0n && debt > 0n ? undefined : liquidationPriceOf(debt, v.liquidationRatio, v.collateral, v.scale);
  const penaltyCost = v.penaltyWad > WAD ? (debt * (v.penaltyWad - WAD)) / WAD : 0n;
  return {
    debt,
    collateralValue: (v.collateral * v.scale * v.mark) / WAD,
    health,
    liquidationPrice,
    distanceBps: liquidationPrice === undefined ? undefined : distanceBps(v.mark, liquidationPrice),
    penaltyCost,
    state: healthState(health, v.collateral),
  };
}

/**
 * How full the health bar is, 0 to 1: 0 at health 1 (liquidation), 1 at HEALTH_BAR_MAX_WAD; no
 * debt is a full bar. Float only for display.
 */
export function healthBarFraction(health: bigint | undefined): number {
  if (health === undefined) return 1;
  if (health <= WAD) return 0;
  if (health >= HEALTH_BAR_MAX_WAD) return 1;
  return Number(((health - WAD) * 10_000n) / (HEALTH_BAR_MAX_WAD - WAD)) / 10_000;
}

/** The vault after adding collateral and changing debt (repay negative), for a rescue preview. */
export function projectVault(v: VaultInputs, collateralDelta: bigint, debtDelta: bigint): VaultMetrics {
  const collateral = v.collateral + collateralDelta;
  const debtNow = debtOf(v.normalizedDebt, v.rate);
  let debt = debtNow + debtDelta;
  if (debt < 0n) debt = 0n;
  // Re-normalize: repay rounds the normalized reduction down, borrow rounds it up.
  const normalizedDebt = debt === 0n ? 0n : (debt * RAY + v.rate - 1n) / v.rate;
  return vaultMetrics({ ...v, collateral: collateral < 0n ? 0n : collateral, normalizedDebt });
}
