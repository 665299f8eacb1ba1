// A portfolio's liquidation spot for one asset (issue #18): the lowest `spot` of that asset at which
// `isPortfolioSafe` (portfolio.ts, PortfolioEngine's rule, docs/portfolio.md "The safety rule") still holds,
// every other input fixed. Exact against that rule to the wei: it is computed from the rule's own
// `scenarioValues` and `shockedPrice`, not from a second copy of them.
//
// Why it is well defined (monotone in the spot). With L ≥ WAD, `⌊(s+1)·L/WAD⌋ ≥ ⌊s·L/WAD⌋ + 1`, so the gap
// `g(s) = ⌊s·L/WAD⌋ − s` never falls as s grows and the shocked price `p(s) = s + ⌊g(s)·(WAD − θ)/WAD⌋`
// rises by at least 1 per wei of spot. Every shocked value `⌊c·scale·p/WAD⌋`, every scenario value V_j
// and so the rule's verdict can only improve as the spot rises: safe at s ⟹ safe above s.
//
// How it is computed. The asset's value at spot 0 is 0 (p(0) = 0), so `scenarioValues` with that spot
// set to 0 gives R_j, the other assets' value in scenario j. Scenario j holds at s ⟺
// `⌊c·scale·p(s)/WAD⌋ ≥ D − R_j` ⟺ `p(s) ≥ P_j = ⌈(D − R_j)·WAD / (c·scale)⌉`. The answer is the largest,
// over scenarios, of the lowest s with p(s) ≥ P_j. With F = 1 + (L/WAD − 1)(1 − θ/WAD) ≥ 1, the floors
// give `s·F − 2 < p(s) ≤ s·F`; so s0 = ⌈P_j / F⌉ has p(s0 − 1) ≤ (s0 − 1)·F < P_j and
// p(s0 + 2) > (s0 + 2)·F − 2 ≥ P_j: the lowest s is s0, s0 + 1 or s0 + 2, found by evaluating `shockedPrice`.

import { divUp } from './math.ts';
import { type AssetRisk, PortfolioRuleError, scenarioValues, shockedPrice } from './portfolio.ts';
import { WAD } from './units.ts';

/** PortfolioEngine's bound on a spot (`SpotOutOfRange` above it): the highest spot the rule is defined at. */
export const PORTFOLIO_MAX_SPOT = (1n << 128n) - 1n;

/** The lowest spot ≥ 0 at which `shockedPrice` reaches `price`, or undefined above {@link PORTFOLIO_MAX_SPOT}. */
function lowestSpotFor(risk: AssetRisk, shockWad: bigint, price: bigint): bigint | undefined {
  const factorWad2 = WAD * WAD + (risk.liquidationRatioWad - WAD) * (WAD - shockWad); // F · WAD²
  let spot = divUp(price * WAD * WAD, factorWad2);
  // At most two steps (see the header); more would mean the bound above is wrong.
  for (let step = 0; shockedPrice({ ...risk, spotWad: spot }, shockWad) < price; step++) {
    if (step === 2) throw new Error(`portfolioLiquidationSpot: no spot within 2 wei of ⌈price / F⌉ = ${spot - 2n} (price ${price})`);
    spot += 1n;
  }
  return spot > PORTFOLIO_MAX_SPOT ? undefined : spot;
}

/**
 * The portfolio's liquidation spot for `assets[asset]`: the lowest `spotWad` of that asset (WAD, the engine's
 * `spot` = mark price / liquidation ratio) at which {@link isPortfolioSafe} holds with every other input
 * fixed (`risks[asset].spotWad` itself is ignored). For every spot s in `[0, PORTFOLIO_MAX_SPOT]`:
 * `isPortfolioSafe` at s ⟺ s ≥ the result. Returns
 * - `0n` when the portfolio is safe at any spot of the asset (no debt, or the other assets cover it);
 * - `undefined` when no spot up to {@link PORTFOLIO_MAX_SPOT} makes it safe (as `liquidationSpot` for an
 *   isolated vault with debt and no collateral): the asset is not held, or cannot cover the shortfall.
 *
 * `debtWad` is the debt rounded up (`debtOf`), as {@link isPortfolioSafe} takes it. Throws `RangeError` for an
 * `asset` that is not an index of `risks`, and, when `debtWad > 0`, what {@link isPortfolioSafe} throws
 * (`NoScenarios`, `LengthMismatch`, `ScenarioWidthMismatch`, `ShockOutOfRange`, out-of-range risks or
 * collateral; never `SpotOutOfRange` for the asset's own spot).
 */
export function portfolioLiquidationSpot(
  risks: readonly AssetRisk[],
  collaterals: readonly bigint[],
  shocksWad: readonly (readonly bigint[])[],
  debtWad: bigint,
  asset: number,
): bigint | undefined {
  if (!Number.isInteger(asset) || asset < 0 || asset >= risks.length) throw new RangeError(`asset ${asset} is not an index of ${risks.length} risks`);
  if (debtWad === 0n) return 0n;
  if (shocksWad.length === 0) throw new PortfolioRuleError('NoScenarios');
  const risk = risks[asset] as AssetRisk;
  // The asset's own value at spot 0 is 0: these are the other assets' values per scenario (and the checks).
  const others = scenarioValues(risks.map((r, i) => (i === asset ? { ...r, spotWad: 0n } : r)), collaterals, shocksWad);
  const units = (collaterals[asset] ?? 0n) * risk.scale;
  let lowest = 0n;
  for (const [j, row] of shocksWad.entries()) {
    const need = debtWad - (others[j] as bigint);
    if (need <= 0n) continue;
    if (units === 0n) return undefined;
    const spot = lowestSpotFor(risk, row[asset] as bigint, divUp(need * WAD, units));
    if (spot === undefined) return undefined;
    if (spot > lowest) lowest = spot;
  }
  return lowest;
}
