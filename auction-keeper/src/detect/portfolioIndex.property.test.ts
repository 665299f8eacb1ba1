// Property test: after every operation of thousands of random sequences (spot and ratio moves, rate changes,
// portfolios created, changed and removed), the index's unsafe set, and the change each operation reported,
// equal a brute-force `isPortfolioSafe` over every portfolio. Spots are often set to a portfolio's exact
// liquidation spot ±1 (the SDK's `portfolioLiquidationSpot`) and debts put on the line ± a few wei, where
// only the bigint rule can decide.

import { describe, expect, it } from 'vitest';
import { RAY, WAD, debtOf, isPortfolioSafe, portfolioLiquidationSpot, portfolioRequirement } from '@gavel/sdk';
import type { AssetRisk } from '@gavel/sdk';
import { Prng } from '../util/prng.ts';
import { PortfolioIndex } from './portfolioIndex.ts';
import type { PortfolioChange } from './portfolioIndex.ts';

type Regime = 'realistic' | 'extreme' | 'mixed';
const U128 = (1n << 128n) - 1n;
const SCALES = [1n, 10n ** 10n, 10n ** 12n, WAD]; // 18, 8, 6, 0 decimals

interface Model {
  risks: AssetRisk[];
  rate: bigint;
  readonly portfolios: Map<string, { collaterals: bigint[]; normalizedDebt: bigint }>;
}

function bruteUnsafe(m: Model, shocks: readonly (readonly bigint[])[]): Set<string> {
  const out = new Set<string>();
  for (const [owner, p] of m.portfolios) {
    if (!isPortfolioSafe(m.risks, p.collaterals, shocks, debtOf(p.normalizedDebt, m.rate))) out.add(owner);
  }
  return out;
}

function sameSet(xs: readonly string[], set: ReadonlySet<string>): boolean {
  return xs.length === set.size && xs.every((x) => set.has(x));
}

function shock(rng: Prng): bigint {
  const f = rng.float();
  if (f < 0.3) return 0n;
  if (f < 0.6) return WAD;
  return rng.below(WAD + 1n);
}

/** A table of n assets (each with a full-shock row, as the engine requires) and m ≥ n scenarios. */
function randomTable(rng: Prng, n: number): bigint[][] {
  const m = n + rng.int(9 - n);
  const rows = Array.from({ length: m }, () => Array.from({ length: n }, () => shock(rng)));
  for (let a = 0; a < n; a++) (rows[rng.int(m)] as bigint[])[a] = WAD;
  return rows;
}

function randomSpot(rng: Prng, regime: Regime): bigint {
  const extreme = regime === 'extreme' || (regime === 'mixed' && rng.chance(0.3));
  if (extreme) return rng.chance(0.05) ? U128 : rng.bits(rng.int(129));
  return rng.bits(40 + rng.int(40)) + 1n;
}

function randomRatio(rng: Prng, regime: Regime): bigint {
  if (rng.chance(0.15)) return WAD;
  if (regime !== 'realistic' && rng.chance(0.1)) return 10n * WAD;
  return WAD + rng.below((regime === 'realistic' ? 2n : 9n) * WAD);
}

function randomCollateral(rng: Prng, regime: Regime, scale: bigint): bigint {
  if (rng.chance(0.3)) return 0n;
  const max = U128 / scale;
  const extreme = regime === 'extreme' || (regime === 'mixed' && rng.chance(0.3));
  if (extreme) return rng.chance(0.05) ? max : rng.below(max) + 1n;
  const bits = Math.min(max.toString(2).length - 1, 10 + rng.int(70));
  return rng.bits(bits) + 1n;
}

/** Normalized debt with debtOf(·, rate) near `value` (± a few wei), or anywhere. */
function debtNear(rng: Prng, value: bigint, rate: bigint): bigint {
  const d = value * RAY / rate + BigInt(rng.int(7) - 3);
  return d < 0n ? 0n : d;
}

interface Tally {
  checks: number;
  crossings: number;
  exact: number;
}

function runSequence(seed: number, steps: number, maxOwners: number, tally: Tally): void {
  const rng = new Prng(seed);
  const regime = rng.pick<Regime>(['realistic', 'extreme', 'mixed']);
  const n = 1 + rng.int(rng.chance(0.8) ? 4 : 8);
  const assets = Array.from({ length: n }, (_, a) => `A${a}`);
  const shocks = randomTable(rng, n);
  const scales = assets.map(() => rng.pick(SCALES));
  const m: Model = {
    risks: scales.map((scale) => ({ spotWad: randomSpot(rng, regime), liquidationRatioWad: randomRatio(rng, regime), scale })),
    rate: rng.chance(0.5) ? RAY : RAY + rng.bits(rng.int(90)),
    portfolios: new Map(),
  };
  const idx = new PortfolioIndex({ table: { assets, shocksWad: shocks }, risks: m.risks, rate: m.rate, initialCapacity: 16 });
  const owners = Array.from({ length: 1 + rng.int(maxOwners) }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`);
  for (let step = 0; step < steps; step++) {
    const before = bruteUnsafe(m, shocks);
    const existing = [...m.portfolios.keys()];
    const op = rng.float();
    let change: PortfolioChange;
    if (op < 0.3 || existing.length === 0) {
      const owner = rng.pick(owners);
      const collaterals = scales.map((s) => randomCollateral(rng, regime, s));
      const value = portfolioRequirement(m.risks, collaterals, shocks).worstValueWad;
      const normalizedDebt = rng.chance(0.1) ? 0n : rng.chance(0.6) ? debtNear(rng, value, m.rate) : debtNear(rng, (value * BigInt(rng.int(300))) / 100n, m.rate);
      change = idx.upsertPortfolio(owner, Object.fromEntries(assets.map((id, a) => [id, collaterals[a] ?? 0n])), normalizedDebt);
      if (normalizedDebt === 0n && collaterals.every((c) => c === 0n)) m.portfolios.delete(owner);
      else m.portfolios.set(owner, { collaterals, normalizedDebt });
    } else if (op < 0.4) {
      // One asset's collateral, or the debt, of an existing portfolio (a deposit, withdraw, borrow or repay).
      const owner = rng.pick(existing);
      const p = m.portfolios.get(owner) ?? { collaterals: scales.map(() => 0n), normalizedDebt: 0n };
      let { collaterals, normalizedDebt } = p;
      if (rng.chance(0.5)) {
        const a = rng.int(n);
        collaterals = collaterals.slice();
        collaterals[a] = rng.chance(0.3) ? 0n : ((collaterals[a] ?? 0n) * BigInt(rng.int(200))) / 100n + BigInt(rng.int(3));
        if ((collaterals[a] ?? 0n) * (scales[a] ?? 1n) > U128) collaterals[a] = U128 / (scales[a] ?? 1n);
        change = idx.setCollateral(owner, assets[a] ?? '', collaterals[a] ?? 0n);
      } else {
        normalizedDebt = rng.chance(0.2) ? 0n : debtNear(rng, portfolioRequirement(m.risks, collaterals, shocks).worstValueWad, m.rate);
        change = idx.setDebt(owner, normalizedDebt);
      }
      if (normalizedDebt === 0n && collaterals.every((c) => c === 0n)) m.portfolios.delete(owner);
      else m.portfolios.set(owner, { collaterals, normalizedDebt });
    } else if (op < 0.47) {
      const owner = existing.length > 0 && rng.chance(0.8) ? rng.pick(existing) : rng.pick(owners);
      change = idx.removePortfolio(owner);
      m.portfolios.delete(owner);
    } else if (op < 0.9) {
      // Spot move: relative, to a portfolio's exact liquidation spot ±1, tiny, to 0, or anywhere.
      const a = rng.int(n);
      const risk = m.risks[a] as AssetRisk;
      const kind = rng.float();
      let spot: bigint;
      if (kind < 0.4) {
        const p = m.portfolios.get(rng.pick(existing));
        const line = p ? portfolioLiquidationSpot(m.risks, p.collaterals, shocks, debtOf(p.normalizedDebt, m.rate), a) : undefined;
        spot = (line ?? risk.spotWad) + BigInt(rng.int(3) - 1);
      } else if (kind < 0.75) {
        const bp = BigInt(Math.round(rng.normal() * (rng.chance(0.5) ? 1000 : 50) + 10_000));
        spot = (risk.spotWad * (bp < 0n ? 0n : bp)) / 10_000n;
      } else if (kind < 0.85) {
        spot = risk.spotWad + BigInt(rng.int(5) - 2);
      } else if (kind < 0.9) {
        spot = 0n;
      } else {
        spot = randomSpot(rng, regime);
      }
      spot = spot < 0n ? 0n : spot > U128 ? U128 : spot;
      change = idx.setSpot(assets[a] ?? '', spot);
      m.risks = m.risks.map((r, i) => (i === a ? { ...r, spotWad: spot } : r));
    } else if (op < 0.95) {
      const a = rng.int(n);
      const risk: AssetRisk = { ...(m.risks[a] as AssetRisk), liquidationRatioWad: randomRatio(rng, regime) };
      change = idx.setRisk(assets[a] ?? '', risk);
      m.risks = m.risks.map((r, i) => (i === a ? risk : r));
    } else {
      const r = rng.float();
      const rate = r < 0.3 ? m.rate + BigInt(1 + rng.int(1000)) : r < 0.8 ? (m.rate * BigInt(1000 + rng.int(200) - 50)) / 1000n : RAY + rng.bits(rng.int(100));
      m.rate = rate < 1n ? 1n : rate;
      change = idx.setRate(m.rate);
    }

    const after = bruteUnsafe(m, shocks);
    const got = idx.unsafe();
    const where = `seed ${seed} (${regime}, ${n} assets) step ${step}`;
    if (!sameSet(got, after)) expect(new Set(got), `${where}: unsafe set`).toEqual(after);
    if (idx.unsafeCount() !== after.size) expect(idx.unsafeCount(), `${where}: count`).toBe(after.size);
    const entered = [...after].filter((o) => !before.has(o));
    const left = [...before].filter((o) => !after.has(o));
    if (!sameSet(change.becameUnsafe, new Set(entered))) expect([...change.becameUnsafe].sort(), `${where}: becameUnsafe`).toEqual(entered.sort());
    if (!sameSet(change.becameSafe, new Set(left))) expect([...change.becameSafe].sort(), `${where}: becameSafe`).toEqual(left.sort());
    if (idx.size() !== m.portfolios.size) expect(idx.size(), `${where}: size`).toBe(m.portfolios.size);
    tally.checks++;
    tally.crossings += entered.length + left.length;
  }
  tally.exact += idx.exactChecks();
  // The stored portfolios and the critical spots read back as the model's.
  for (const [owner, p] of m.portfolios) {
    expect(idx.portfolio(owner)).toEqual({ collaterals: Object.fromEntries(assets.map((id, a) => [id, p.collaterals[a] ?? 0n])), normalizedDebt: p.normalizedDebt });
    const a = rng.int(n);
    expect(idx.criticalSpot(owner, assets[a] ?? '')).toBe(portfolioLiquidationSpot(m.risks, p.collaterals, shocks, debtOf(p.normalizedDebt, m.rate), a));
  }
}

describe('PortfolioIndex property: equals a brute-force isPortfolioSafe after every step', () => {
  it('2,000 random sequences of 50 steps over up to 12 portfolios', { timeout: 120_000 }, () => {
    const tally: Tally = { checks: 0, crossings: 0, exact: 0 };
    for (let seed = 1; seed <= 2000; seed++) runSequence(seed, 50, 12, tally);
    expect(tally.checks).toBe(2000 * 50);
    // Enough crossings, and enough verdicts left to the bigint rule, for the test to mean something.
    expect(tally.crossings).toBeGreaterThan(20_000);
    expect(tally.exact).toBeGreaterThan(20_000);
  });

  it('12 long sequences of 600 steps over up to 150 portfolios', { timeout: 120_000 }, () => {
    const tally: Tally = { checks: 0, crossings: 0, exact: 0 };
    for (let seed = 300_001; seed <= 300_012; seed++) runSequence(seed, 600, 150, tally);
    expect(tally.checks).toBe(12 * 600);
    expect(tally.crossings).toBeGreaterThan(4000);
    expect(tally.exact).toBeGreaterThan(2000);
  });
});
