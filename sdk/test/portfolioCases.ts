// Random portfolios and scenario tables for the portfolio rule's property and differential tests: valid
// tables, tables broken in each way PortfolioEngine names, prices and holdings across the whole range the
// engine can hold (and just outside it, where the contract reverts).
import { type Hex, numberToHex } from 'viem';
import type { Random } from '@gavel/contracts/testing';
import type { AssetRisk, ScenarioTable } from '../src/portfolio.ts';
import { WAD } from '../src/units.ts';

export const U128 = (1n << 128n) - 1n;

/** A random nonzero bytes32 ilk id. */
export function randomIlk(rng: Random): Hex {
  return numberToHex(rng.bigint(1n, (1n << 256n) - 1n), { size: 32 });
}

/** A shock in [0, WAD], often exactly 0 or WAD. */
export function randomShock(rng: Random): bigint {
  const f = rng.float();
  if (f < 0.25) return 0n;
  if (f < 0.5) return WAD;
  return rng.bigint(0n, WAD);
}

/** A valid table of `n` assets and `m ≥ n` scenarios (each asset has a full-shock row). */
export function validTable(rng: Random, n: number, m: number): ScenarioTable {
  const assets = Array.from({ length: n }, () => randomIlk(rng));
  const shocksWad = Array.from({ length: m }, () => Array.from({ length: n }, () => randomShock(rng)));
  // Asset a's full shock in some row (rows may carry several).
  for (let a = 0; a < n; a++) {
    const row = shocksWad[rng.int(0, m - 1)] as bigint[];
    row[a] = WAD;
  }
  return { assets, shocksWad };
}

/** A table valid or broken in one of the ways the contract names (sometimes several at once). */
export function randomTable(rng: Random): ScenarioTable {
  const n = rng.chance(0.05) ? rng.pick([0, 9, 10]) : rng.int(1, 8);
  const m = rng.chance(0.05) ? rng.pick([0, 9]) : rng.int(Math.max(1, Math.min(n, 8)), 8);
  const base = validTable(rng, Math.max(n, 1), Math.max(m, 1));
  const assets = [...base.assets];
  const shocksWad = base.shocksWad.map((r) => [...r]);
  if (n === 0) assets.length = 0;
  while (assets.length < n) assets.push(randomIlk(rng));
  for (const row of shocksWad) while (row.length < assets.length) row.push(randomShock(rng));
  if (m === 0) shocksWad.length = 0;
  while (shocksWad.length < m) shocksWad.push(assets.map(() => randomShock(rng)));
  const breakage = rng.float();
  const a = rng.int(0, Math.max(0, assets.length - 1));
  const j = rng.int(0, Math.max(0, shocksWad.length - 1));
  if (breakage < 0.08 && assets.length > 0) assets[a] = numberToHex(0n, { size: 32 });
  else if (breakage < 0.16 && assets.length > 1) assets[a] = assets[(a + 1) % assets.length] as Hex;
  else if (breakage < 0.26 && shocksWad.length > 0) {
    const row = shocksWad[j] as bigint[];
    if (rng.chance(0.5)) row.push(randomShock(rng));
    else row.pop();
  } else if (breakage < 0.38 && shocksWad.length > 0 && assets.length > 0) {
    (shocksWad[j] as bigint[])[a] = rng.chance(0.5) ? WAD + 1n : rng.bigintLog(WAD + 1n, (1n << 256n) - 1n);
  } else if (breakage < 0.55 && assets.length > 0) {
    // Take away every full shock of asset a (sometimes one wei short of it).
    for (const row of shocksWad) if (row[a] === WAD) row[a] = rng.chance(0.5) ? WAD - 1n : rng.bigint(0n, WAD - 1n);
  }
  return { assets, shocksWad };
}

/** An asset's price data within the engine's bounds, sometimes at or just past them. */
export function randomRisk(rng: Random, outOfRange = 0): AssetRisk {
  const decimals = rng.pick([0, 6, 8, 18, rng.int(0, 18)]);
  let scale = 10n ** BigInt(18 - decimals);
  let spotWad = rng.chance(0.05) ? 0n : rng.chance(0.05) ? U128 : rng.bigintLog(1n, rng.chance(0.9) ? 10n ** 24n : U128);
  let liquidationRatioWad = rng.chance(0.2) ? WAD : rng.chance(0.1) ? 10n * WAD : rng.bigint(WAD, rng.chance(0.9) ? 3n * WAD : 10n * WAD);
  if (rng.chance(outOfRange)) {
    const which = rng.int(0, 2);
    if (which === 0) spotWad = U128 + rng.bigintLog(1n, U128);
    else if (which === 1) liquidationRatioWad = rng.chance(0.5) ? rng.bigint(0n, WAD - 1n) : 10n * WAD + rng.bigintLog(1n, U128);
    else scale = rng.chance(0.5) ? 0n : WAD + rng.bigintLog(1n, U128);
  }
  return { spotWad, liquidationRatioWad, scale };
}

/** Holdings for the given assets: zero, small, huge, at the bound `collateral × scale ≤ 2^128 − 1`. */
export function randomCollateral(rng: Random, risk: AssetRisk, outOfRange = 0): bigint {
  const max = risk.scale === 0n ? U128 : U128 / risk.scale;
  if (rng.chance(outOfRange)) return max + rng.bigintLog(1n, U128);
  const f = rng.float();
  if (f < 0.2) return 0n;
  if (f < 0.25) return max;
  return rng.bigintLog(1n, rng.chance(0.9) ? max / 10n ** 10n + 1n : max);
}
