// Vault risk figures for display. The rules (debt rounded up, health, liquidation price, re-normalized
// debt) are the SDK's, named as VaultEngine's views (`debtOf`, `health`, `liquidationPrice`); this module
// adds the distance from the mark price, the penalty a liquidation would cost and the health states.
import { MAX_UINT256, WAD, borrowNormalizedDebt, collateralValueWadDown, debtOf, health as healthWad, liquidationPrice as liquidationPriceWad, liquidationTab } from '@gavel/sdk';

/** Health below this (WAD) shows a warning: 1.25 means a 20% fall liquidates the vault. */
export const HEALTH_WARNING_WAD: bigint = (WAD * 125n) / 100n;

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
  const health = debt === 0n ? undefined : healthWad(v.collateral, v.normalizedDebt, v);
  const price = liquidationPriceWad(v.collateral, v.normalizedDebt, v);
  // Without debt there is no liquidation price; with debt and no collateral there is none either.
  const liquidationPrice = debt === 0n || price === MAX_UINT256 ? undefined : price;
  // The penalty part of the tab a liquidation would open now (`LiquidationEngine`: tab rounded up).
  const penaltyCost = v.penaltyWad > WAD ? liquidationTab(debt, v.penaltyWad) - debt : 0n;
  return {
    debt,
    collateralValue: collateralValueWadDown(v.collateral, v.scale, v.mark),
    health,
    liquidationPrice,
    distanceBps: liquidationPrice === undefined ? undefined : distanceBps(v.mark, liquidationPrice),
    penaltyCost,
    state: healthState(health, v.collateral),
  };
}

/** The fall of the mark price (bps) at which the health bar is full: 50%, health 2. */
export const HEALTH_BAR_FULL_FALL_BPS = 5_000n;

/** The fall of the mark price, in bps of the mark, that brings a vault of this health to 1: 1 − 1/health. */
export function fallToLiquidationBps(health: bigint): bigint {
  if (health <= WAD) return 0n;
  return ((health - WAD) * 10_000n) / health;
}

/**
 * How full the health bar is, 0 to 1: the fall to liquidation on a square-root scale, empty at
 * liquidation and full at a 50% fall. The root spreads the dangerous end: health 1.05 (a 4.8% fall
 * liquidates) fills 31% of the bar, where a linear health scale to 3 gave 2.5%. No debt is a full
 * bar. Float only for display.
 */
export function healthBarFraction(health: bigint | undefined): number {
  if (health === undefined) return 1;
  const fall = fallToLiquidationBps(health);
  if (fall >= HEALTH_BAR_FULL_FALL_BPS) return 1;
  return Math.sqrt(Number(fall) / Number(HEALTH_BAR_FULL_FALL_BPS));
}

/** The vault after adding collateral and changing debt (repay negative), for a rescue preview. */
export function projectVault(v: VaultInputs, collateralDelta: bigint, debtDelta: bigint): VaultMetrics {
  const collateral = v.collateral + collateralDelta;
  const debtNow = debtOf(v.normalizedDebt, v.rate);
  let debt = debtNow + debtDelta;
  if (debt < 0n) debt = 0n;
  // Re-normalize as a borrow of the whole debt (rounded up, against the borrower).
  const normalizedDebt = debt === 0n ? 0n : borrowNormalizedDebt(debt, v.rate);
  return vaultMetrics({ ...v, collateral: collateral < 0n ? 0n : collateral, normalizedDebt });
}
