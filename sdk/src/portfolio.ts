// Portfolio margin (issue #18), mirroring PortfolioEngine (contracts/src/PortfolioEngine.sol) to the wei,
// reverts included: the scenario table's validation and the rule "in every scenario the shocked collateral
// value covers the debt". docs/portfolio.md states the rule, its rounding and the proof that a one-asset
// portfolio gets exactly the isolated rule of vault.ts's `isSafe`.
//
// Units: collateral in the token's native units; `spot`, `liquidationRatio`, values and debt WAD;
// a shock is the share (WAD, [0, 1]) of the asset's isolated margin a scenario applies.

import type { Hex } from 'viem';
import { WAD } from './units.ts';

/** PortfolioEngine.MAX_ASSETS: most assets a table (and a portfolio) may hold. */
export const PORTFOLIO_MAX_ASSETS = 8n;
/** PortfolioEngine.MAX_SCENARIOS: most scenarios a table may hold. */
export const PORTFOLIO_MAX_SCENARIOS = 8n;
/** PortfolioEngine.MIN_LIQUIDATION_RATIO / MAX_LIQUIDATION_RATIO (the engine's bounds). */
export const PORTFOLIO_MIN_LIQUIDATION_RATIO = WAD;
export const PORTFOLIO_MAX_LIQUIDATION_RATIO = 10n * WAD;
/** PortfolioEngine.MAX_SCALE: `10 ** 18`, a 0-decimal token. */
export const PORTFOLIO_MAX_SCALE = WAD;
const MAX_U128 = (1n << 128n) - 1n;

/** The custom errors of PortfolioEngine's table and rule. */
export type PortfolioErrorName =
  | 'NoAssets'
  | 'TooManyAssets'
  | 'NoScenarios'
  | 'TooManyScenarios'
  | 'ScenarioWidthMismatch'
  | 'ShockOutOfRange'
  | 'ZeroIlk'
  | 'DuplicateAsset'
  | 'MissingSingleAssetScenario'
  | 'LengthMismatch'
  | 'SpotOutOfRange'
  | 'LiquidationRatioOutOfRange'
  | 'ScaleOutOfRange'
  | 'CollateralOutOfRange';

/** Thrown exactly where PortfolioEngine reverts, named and with the arguments of its custom error. */
export class PortfolioRuleError extends RangeError {
  override readonly name = 'PortfolioRuleError';
  constructor(
    readonly error: PortfolioErrorName,
    readonly args: readonly (bigint | Hex)[] = [],
  ) {
    super(`${error}(${args.join(', ')})`);
  }
}

/** What the rule reads about one asset (PortfolioEngine.AssetRisk; VaultEngine.ilks fields). */
export interface AssetRisk {
  /** Mark price / liquidation ratio, WAD (the engine's `spot`). */
  readonly spotWad: bigint;
  /** The ilk's liquidation ratio, WAD, in [1, 10]. */
  readonly liquidationRatioWad: bigint;
  /** `10 ** (18 - decimals)`. */
  readonly scale: bigint;
}

/** A scenario table: `shocksWad[j][a]` is scenario `j`'s shock of `assets[a]` (bytes32 ilk ids). */
export interface ScenarioTable {
  readonly assets: readonly Hex[];
  readonly shocksWad: readonly (readonly bigint[])[];
}

/**
 * PortfolioEngine.validateTable: throws {@link PortfolioRuleError} with the first broken condition, in the
 * contract's order (counts, ilk ids, rows, then each asset's full-shock scenario). Engine membership
 * (`UnknownIlk`) is checked only by `setScenarioTable` on chain.
 */
export function validateScenarioTable(table: ScenarioTable): void {
  const n = BigInt(table.assets.length);
  if (n === 0n) throw new PortfolioRuleError('NoAssets');
  if (n > PORTFOLIO_MAX_ASSETS) throw new PortfolioRuleError('TooManyAssets', [n, PORTFOLIO_MAX_ASSETS]);
  const m = BigInt(table.shocksWad.length);
  if (m === 0n) throw new PortfolioRuleError('NoScenarios');
  if (m > PORTFOLIO_MAX_SCENARIOS) throw new PortfolioRuleError('TooManyScenarios', [m, PORTFOLIO_MAX_SCENARIOS]);
  const seen = new Set<bigint>();
  for (const ilk of table.assets) {
    const id = BigInt(ilk);
    if (id === 0n) throw new PortfolioRuleError('ZeroIlk');
    if (seen.has(id)) throw new PortfolioRuleError('DuplicateAsset', [ilk]);
    seen.add(id);
  }
  const full = table.assets.map(() => false);
  table.shocksWad.forEach((row, j) => {
    if (row.length !== table.assets.length) throw new PortfolioRuleError('ScenarioWidthMismatch', [BigInt(j), BigInt(row.length), n]);
    row.forEach((shock, a) => {
      if (shock > WAD) throw new PortfolioRuleError('ShockOutOfRange', [BigInt(j), BigInt(a), shock]);
      if (shock === WAD) full[a] = true;
    });
  });
  full.forEach((ok, a) => {
    if (!ok) throw new PortfolioRuleError('MissingSingleAssetScenario', [table.assets[a] as Hex]);
  });
}

/**
 * The shocked price of one asset: `spot + ⌊(⌊spot × L / WAD⌋ − spot) × (WAD − shock) / WAD⌋`. A shock of
 * WAD gives the spot exactly (the isolated rule's price), 0 the implied mark `⌊spot × L / WAD⌋`.
 */
export function shockedPrice(risk: AssetRisk, shockWad: bigint): bigint {
  const gap = (risk.spotWad * risk.liquidationRatioWad) / WAD - risk.spotWad;
  return risk.spotWad + (gap * (WAD - shockWad)) / WAD;
}

/** `⌊collateral × scale × shockedPrice / WAD⌋`, the value of one holding in one scenario (rounded down). */
export function shockedValue(collateral: bigint, risk: AssetRisk, shockWad: bigint): bigint {
  if (collateral === 0n) return 0n;
  return (collateral * risk.scale * shockedPrice(risk, shockWad)) / WAD;
}

/**
 * PortfolioEngine.scenarioValues: every scenario's shocked collateral value (WAD, rounded down). Inputs are
 * checked in the contract's order (lengths; per asset spot, ratio, scale, collateral; per scenario width
 * and shocks) and throw {@link PortfolioRuleError} where it reverts.
 */
export function scenarioValues(risks: readonly AssetRisk[], collaterals: readonly bigint[], shocksWad: readonly (readonly bigint[])[]): bigint[] {
  const n = BigInt(risks.length);
  if (BigInt(collaterals.length) !== n) throw new PortfolioRuleError('LengthMismatch', [n, BigInt(collaterals.length)]);
  risks.forEach((r, i) => {
    const a = BigInt(i);
    const c = collaterals[i] ?? 0n;
    if (r.spotWad > MAX_U128) throw new PortfolioRuleError('SpotOutOfRange', [a, r.spotWad]);
    if (r.liquidationRatioWad < PORTFOLIO_MIN_LIQUIDATION_RATIO || r.liquidationRatioWad > PORTFOLIO_MAX_LIQUIDATION_RATIO) {
      throw new PortfolioRuleError('LiquidationRatioOutOfRange', [a, r.liquidationRatioWad]);
    }
    if (r.scale === 0n || r.scale > PORTFOLIO_MAX_SCALE) throw new PortfolioRuleError('ScaleOutOfRange', [a, r.scale]);
    if (c > MAX_U128 / r.scale) throw new PortfolioRuleError('CollateralOutOfRange', [a, c]);
  });
  return shocksWad.map((row, j) => {
    if (BigInt(row.length) !== n) throw new PortfolioRuleError('ScenarioWidthMismatch', [BigInt(j), BigInt(row.length), n]);
    let value = 0n;
    row.forEach((shock, i) => {
      if (shock > WAD) throw new PortfolioRuleError('ShockOutOfRange', [BigInt(j), BigInt(i), shock]);
      const risk = risks[i] as AssetRisk;
      value += shockedValue(collaterals[i] ?? 0n, risk, shock);
    });
    return value;
  });
}

/** The worst scenario: its value (WAD, rounded down) and index (the first on ties). */
export interface PortfolioRequirement {
  readonly worstValueWad: bigint;
  readonly worstScenario: number;
}

/**
 * PortfolioEngine.requirementUnder / portfolioRequirement: the lowest scenario value and its index (first on
 * ties). Throws `NoScenarios` for an empty table, and what {@link scenarioValues} throws.
 */
export function portfolioRequirement(risks: readonly AssetRisk[], collaterals: readonly bigint[], shocksWad: readonly (readonly bigint[])[]): PortfolioRequirement {
  if (shocksWad.length === 0) throw new PortfolioRuleError('NoScenarios');
  const values = scenarioValues(risks, collaterals, shocksWad);
  let worstScenario = 0;
  let worstValueWad = values[0] as bigint;
  values.forEach((v, j) => {
    if (v < worstValueWad) {
      worstValueWad = v;
      worstScenario = j;
    }
  });
  return { worstValueWad, worstScenario };
}

/**
 * PortfolioEngine.isPortfolioSafe: true when `debtWad` (rounded up, as `debtOf`) is 0 or every scenario's
 * shocked value covers it.
 */
export function isPortfolioSafe(risks: readonly AssetRisk[], collaterals: readonly bigint[], shocksWad: readonly (readonly bigint[])[], debtWad: bigint): boolean {
  if (debtWad === 0n) return true;
  return portfolioRequirement(risks, collaterals, shocksWad).worstValueWad >= debtWad;
}
