import { describe, expect, it } from 'vitest';
import { type Random, seededRandom } from '@gavel/contracts/testing';
import { randomCollateral, randomRisk, randomShock, validTable } from '../test/portfolioCases.ts';
import { type AssetRisk, PortfolioRuleError, isPortfolioSafe, portfolioRequirement } from './portfolio.ts';
import { PORTFOLIO_MAX_SPOT, portfolioLiquidationSpot } from './portfolioLiquidationPrice.ts';
import { RAY, WAD } from './units.ts';
import { debtOf, liquidationSpot } from './vault.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-portfolio-liquidation-1';

/** The risks with asset `a` at `spot`. */
function at(risks: readonly AssetRisk[], a: number, spot: bigint): AssetRisk[] {
  return risks.map((r, i) => (i === a ? { ...r, spotWad: spot } : r));
}

function errorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof PortfolioRuleError) return err.error;
    throw err;
  }
  return undefined;
}

interface Case {
  readonly risks: AssetRisk[];
  readonly collaterals: bigint[];
  readonly shocksWad: bigint[][];
  readonly debtWad: bigint;
  readonly asset: number;
}

/** A random portfolio whose debt is often within a few wei of its requirement at some spot of `asset`. */
function randomCase(rng: Random): Case {
  const n = rng.int(1, 8);
  const shocksWad = rng.chance(0.7)
    ? validTable(rng, n, rng.int(n, 8)).shocksWad.map((r) => [...r])
    : Array.from({ length: rng.int(1, 8) }, () => Array.from({ length: n }, () => randomShock(rng)));
  const risks = Array.from({ length: n }, () => randomRisk(rng));
  const collaterals = risks.map((r) => randomCollateral(rng, r));
  const asset = rng.int(0, n - 1);
  let debtWad: bigint;
  const kind = rng.float();
  if (kind < 0.6) {
    // On the line at some spot of the asset, ± a few wei.
    const spot = rng.chance(0.5) ? (risks[asset] as AssetRisk).spotWad : rng.bigintLog(0n, PORTFOLIO_MAX_SPOT);
    const worst = portfolioRequirement(at(risks, asset, spot), collaterals, shocksWad).worstValueWad;
    debtWad = worst + rng.bigint(0n, 6n) - 3n;
  } else if (kind < 0.65) {
    debtWad = 0n;
  } else {
    debtWad = rng.bigintLog(1n, 1n << 210n);
  }
  return { risks, collaterals, shocksWad, debtWad: debtWad < 0n ? 0n : debtWad, asset };
}

describe('portfolioLiquidationSpot', () => {
  const eth: AssetRisk = { spotWad: (2000n * WAD * 2n) / 3n, liquidationRatioWad: (15n * WAD) / 10n, scale: 1n };
  const btc: AssetRisk = { spotWad: (60_000n * WAD * 100n) / 145n, liquidationRatioWad: (145n * WAD) / 100n, scale: 10n ** 10n };
  const rows = [[WAD, 0n], [0n, WAD], [(6n * WAD) / 10n, (6n * WAD) / 10n]];
  const holdings = [30n * WAD, 10n ** 8n]; // 30 ETH, 1 WBTC

  it('is the exact line: safe at the result, unsafe one wei below', () => {
    const debt = 50_000n * WAD;
    const s = portfolioLiquidationSpot([eth, btc], holdings, rows, debt, 0);
    if (s === undefined) throw new Error('expected a spot');
    expect(s).toBeGreaterThan(0n);
    expect(s).toBeLessThan(eth.spotWad);
    expect(isPortfolioSafe(at([eth, btc], 0, s), holdings, rows, debt)).toBe(true);
    expect(isPortfolioSafe(at([eth, btc], 0, s - 1n), holdings, rows, debt)).toBe(false);
    // The asset's own spot does not matter.
    expect(portfolioLiquidationSpot(at([eth, btc], 0, 1n), holdings, rows, debt, 0)).toBe(s);
  });

  it('0n when the rest covers the debt at any spot, undefined when no spot can', () => {
    expect(portfolioLiquidationSpot([eth, btc], holdings, rows, 0n, 0)).toBe(0n);
    // 1 WBTC's worst value (its full shock) covers 10,000 alone.
    expect(portfolioLiquidationSpot([eth, btc], holdings, rows, 10_000n * WAD, 0)).toBe(0n);
    // Not holding the asset: nothing to wait for.
    expect(portfolioLiquidationSpot([eth, btc], [0n, 10n ** 8n], rows, 50_000n * WAD, 0)).toBeUndefined();
    // Held, but the shortfall needs a spot above the engine's bound 2^128 − 1; and just at the bound.
    const huge = portfolioLiquidationSpot([eth, btc], [1n, 0n], [[WAD, 0n], [0n, WAD]], 1n << 200n, 0);
    expect(huge).toBeUndefined();
    expect(portfolioLiquidationSpot([eth, btc], [1n, 0n], [[WAD, 0n], [0n, WAD]], PORTFOLIO_MAX_SPOT / WAD, 0)).toBe(PORTFOLIO_MAX_SPOT - (PORTFOLIO_MAX_SPOT % WAD));
  });

  it('throws what isPortfolioSafe throws, and RangeError for a bad asset index', () => {
    expect(() => portfolioLiquidationSpot([eth], [WAD], [[WAD]], WAD, 1)).toThrow(RangeError);
    expect(() => portfolioLiquidationSpot([eth], [WAD], [[WAD]], WAD, -1)).toThrow(RangeError);
    expect(errorName(() => portfolioLiquidationSpot([eth], [WAD], [], WAD, 0))).toBe('NoScenarios');
    expect(errorName(() => portfolioLiquidationSpot([eth], [WAD, 1n], [[WAD]], WAD, 0))).toBe('LengthMismatch');
    expect(errorName(() => portfolioLiquidationSpot([eth], [WAD], [[WAD + 1n]], WAD, 0))).toBe('ShockOutOfRange');
    // The asset's own spot is ignored, even out of range.
    expect(portfolioLiquidationSpot([{ ...eth, spotWad: PORTFOLIO_MAX_SPOT + 1n }], [WAD], [[WAD]], WAD, 0)).toBe(WAD);
  });

  // A one-asset portfolio is the isolated vault (docs/portfolio.md): the same line as vault.ts's liquidationSpot.
  it('a one-asset portfolio has the isolated liquidationSpot', () => {
    const rng = seededRandom(`${SEED}-one-asset`);
    let defined = 0;
    for (let i = 0; i < 3000; i++) {
      const n = rng.int(1, 8);
      const table = validTable(rng, n, rng.int(n, 8));
      const a = rng.int(0, n - 1);
      const risks = Array.from({ length: n }, () => randomRisk(rng));
      const risk = risks[a] as AssetRisk;
      const collateral = randomCollateral(rng, risk);
      const rate = rng.chance(0.3) ? RAY : rng.bigintLog(RAY, 10n * RAY);
      const normalizedDebt = rng.bigintLog(0n, 1n << 160n);
      const isolated = liquidationSpot(collateral, normalizedDebt, { rate, scale: risk.scale });
      const holdings = risks.map((_, k) => (k === a ? collateral : 0n));
      const got = portfolioLiquidationSpot(risks, holdings, table.shocksWad, debtOf(normalizedDebt, rate), a);
      expect(got).toBe(isolated !== undefined && isolated <= PORTFOLIO_MAX_SPOT ? isolated : undefined);
      if (got !== undefined && got > 0n) defined++;
    }
    expect(defined).toBeGreaterThan(1000);
  });

  it('property: for random portfolios, safe ⟺ spot ≥ the result, at the line and anywhere else', () => {
    const rng = seededRandom(`${SEED}-property`);
    const seen = { zero: 0, line: 0, none: 0 };
    for (let i = 0; i < 6000; i++) {
      const c = randomCase(rng);
      const s = portfolioLiquidationSpot(c.risks, c.collaterals, c.shocksWad, c.debtWad, c.asset);
      const safeAt = (spot: bigint): boolean => isPortfolioSafe(at(c.risks, c.asset, spot), c.collaterals, c.shocksWad, c.debtWad);
      const where = `case ${i}`;
      if (s === undefined) {
        seen.none++;
        expect(safeAt(PORTFOLIO_MAX_SPOT), where).toBe(false);
      } else {
        expect(s >= 0n && s <= PORTFOLIO_MAX_SPOT, where).toBe(true);
        expect(safeAt(s), where).toBe(true);
        if (s > 0n) {
          seen.line++;
          expect(safeAt(s - 1n), where).toBe(false);
        } else seen.zero++;
      }
      // Anywhere else: near the line, and at random spots.
      const line = s ?? PORTFOLIO_MAX_SPOT + 1n;
      const probes = [rng.bigintLog(0n, PORTFOLIO_MAX_SPOT), (c.risks[c.asset] as AssetRisk).spotWad];
      if (s !== undefined) probes.push(s + rng.bigint(0n, 5n), s - rng.bigint(0n, 5n), (s * rng.bigint(900n, 1100n)) / 1000n);
      for (const p of probes) if (p >= 0n && p <= PORTFOLIO_MAX_SPOT) expect(safeAt(p), `${where} at ${p}`).toBe(p >= line);
    }
    expect(seen.line).toBeGreaterThan(2000);
    expect(seen.zero).toBeGreaterThan(300);
    expect(seen.none).toBeGreaterThan(100);
  });

  it('reverts as isPortfolioSafe does for out-of-range inputs', () => {
    const rng = seededRandom(`${SEED}-errors`);
    let thrown = 0;
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(1, 8);
      const shocksWad = validTable(rng, n, rng.int(n, 8)).shocksWad.map((r) => [...r]);
      if (rng.chance(0.1)) (shocksWad[rng.int(0, shocksWad.length - 1)] as bigint[])[rng.int(0, n - 1)] = WAD + rng.bigintLog(1n, WAD);
      const risks = Array.from({ length: n }, () => randomRisk(rng, 0.05));
      const collaterals = risks.map((r) => (r.scale === 0n ? 1n : randomCollateral(rng, r, 0.05)));
      const asset = rng.int(0, n - 1);
      const debtWad = rng.bigintLog(1n, 1n << 140n);
      const expected = errorName(() => isPortfolioSafe(at(risks, asset, 0n), collaterals, shocksWad, debtWad));
      expect(errorName(() => portfolioLiquidationSpot(risks, collaterals, shocksWad, debtWad, asset)), `case ${i}`).toBe(expected);
      if (expected !== undefined) thrown++;
    }
    expect(thrown).toBeGreaterThan(200);
  });
});
