// Float64 bounds on the portfolio rule (sdk/src/portfolio.ts, docs/portfolio.md "The safety rule"), so the
// portfolio index can classify nearly every portfolio with a few multiply-adds and leave only those within
// about 1e-12 of the line to the exact bigint `isPortfolioSafe`. Pure functions; the argument is in
// ./README.md ("Portfolio index").
//
// The real-valued rule. For asset b with spot s, ratio L, shock θ: F = 1 + (L/WAD − 1)(1 − θ/WAD) ≥ 1 and
// the shocked price p = s + ⌊(⌊s·L/WAD⌋ − s)(WAD − θ)/WAD⌋ satisfies s·F − 2 < p ≤ s·F. With u = c·scale/WAD
// (whole tokens), the shocked value v = ⌊c·scale·p/WAD⌋ satisfies u·s·F − (2u + 1) < v ≤ u·s·F. Summed over
// the held assets: Ṽ_j − E < V_j ≤ Ṽ_j with Ṽ_j = Σ_b u_b·(s_b·F_{j,b}) and E = Σ_held (2u_b + 1). The debt
// D = ⌈normalizedDebt · rate / RAY⌉ satisfies D̃ ≤ D < D̃ + 1 with D̃ = normalizedDebt · rate / RAY.

import { RAY, WAD } from '@gavel/sdk';
import type { AssetRisk } from '@gavel/sdk';

/**
 * Relative slack on every float64 quantity. Each is computed from exact integers with at most ~20 correctly
 * rounded operations on non-negative terms, so its relative error is below 20 · 2⁻⁵³ ≈ 2.2e-15.
 */
export const TOL = 1e-12;

const WAD_F = Number(WAD);
const RAY_F = Number(RAY);

/** The float verdicts: certainly safe, certainly unsafe, or too close to call (ask the bigint rule). */
export const SAFE = 0;
export const UNSAFE = 1;
export const UNSURE = 2;
export type Verdict = typeof SAFE | typeof UNSAFE | typeof UNSURE;

/** `s · F` (WAD), the real-valued shocked price: an upper bound of `shockedPrice` within 2 wei of it. */
export function shockedPriceApprox(risk: AssetRisk, shockWad: bigint): number {
  const margin = Number(risk.liquidationRatioWad - WAD) / WAD_F;
  const kept = Number(WAD - shockWad) / WAD_F;
  return Number(risk.spotWad) * (1 + margin * kept);
}

/** `c · scale / WAD`: the holding in whole tokens, as a float. */
export function unitsApprox(collateral: bigint, scale: bigint): number {
  return Number(collateral * scale) / WAD_F;
}

/** E·(1 + TOL) for a portfolio whose held assets have the given `unitsApprox`: what floors can take off Ṽ_j. */
export function floorLossBound(units: ArrayLike<number>, from: number, count: number): number {
  let e = 0;
  for (let b = from; b < from + count; b++) {
    const u = units[b] ?? 0;
    if (u > 0) e += 2 * u + 1;
  }
  return e * (1 + TOL);
}

/** `rate / RAY` as a float (the debt line's accumulated fees). */
export function rateFactor(rate: bigint): number {
  return Number(rate) / RAY_F;
}

/**
 * Classifies one portfolio from floats: `minValue` ≈ min_j Ṽ_j, `lossBound` = {@link floorLossBound}, `debt` ≈ D̃
 * (`Number(normalizedDebt) × rateFactor`, > 0). SAFE and UNSAFE are certain for the exact rule; UNSURE is
 * returned within about 1e-12 (relative) of the line.
 */
export function classifyApprox(minValue: number, lossBound: number, debt: number): Verdict {
  // min_j V_j > min_j Ṽ_j − E ≥ D̃, and V_j is an integer: V_j ≥ ⌈D̃⌉ = D.
  if (minValue * (1 - TOL) - lossBound >= debt * (1 + TOL)) return SAFE;
  // min_j V_j ≤ min_j Ṽ_j < D̃ ≤ D.
  if (minValue * (1 + TOL) < debt * (1 - TOL)) return UNSAFE;
  return UNSURE;
}
