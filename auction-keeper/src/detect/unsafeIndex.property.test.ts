// Property test: after every operation of thousands of random sequences, the index's unsafe set
// (and the change each operation reported) equals a brute-force scan with the safety rule.

import { describe, expect, it } from 'vitest';
import { collateralValueWadDown, isSafe, isSafeUnrounded, liquidationSpot, MAX_UINT256, RAY, WAD } from '@gavel/sdk';
import type { IlkRates } from '@gavel/sdk';
import { Prng } from '../util/prng.ts';
import { UnsafeIndex } from './unsafeIndex.ts';
import type { SafetyChange, SafetyRule } from './unsafeIndex.ts';

type Regime = 'realistic' | 'small' | 'extreme' | 'mixed';
const U128 = (1n << 128n) - 1n;
const SCALES = [1n, 10n ** 10n, 10n ** 12n]; // 18, 8, 6 decimals

interface Model {
  params: Map<string, IlkRates>;
  vaults: Map<string, Map<string, [bigint, bigint]>>;
}

function sameSet(xs: readonly string[], set: ReadonlySet<string>): boolean {
  if (xs.length !== set.size) return false;
  for (const x of xs) if (!set.has(x)) return false;
  return true;
}

function bruteUnsafe(m: Model, ilk: string, safe: (c: bigint, a: bigint, p: IlkRates) => boolean): Set<string> {
  const out = new Set<string>();
  const p = m.params.get(ilk);
  if (!p) return out;
  for (const [owner, [c, a]] of m.vaults.get(ilk) ?? []) if (!safe(c, a, p)) out.add(owner);
  return out;
}

/** A random amount for the regime; sometimes 0. */
function amount(rng: Prng, regime: Regime, decimals: 'coll' | 'debt'): bigint {
  const r: Regime = regime === 'mixed' ? rng.pick<Regime>(['realistic', 'small', 'extreme']) : regime;
  if (rng.chance(0.05)) return 0n;
  switch (r) {
    case 'small':
      return rng.bits(1 + rng.int(45));
    case 'extreme':
      if (rng.chance(0.1)) return rng.chance(0.5) ? U128 : (1n << 255n) + rng.bits(64);
      return rng.bits(1 + rng.int(130));
    default:
      // 1e-3 .. 1e7 tokens / stablecoin, with 18 decimals of precision for debt.
      return decimals === 'debt' ? rng.bits(60 + rng.int(45)) : rng.bits(20 + rng.int(70));
  }
}

function randomParams(rng: Prng, regime: Regime, scale: bigint): IlkRates {
  const extreme = regime === 'extreme' || (regime === 'mixed' && rng.chance(0.3));
  const spot = extreme ? rng.bits(rng.int(200)) : rng.bits(40 + rng.int(40));
  const rate = extreme && rng.chance(0.3) ? 1n + rng.bits(1 + rng.int(120)) : RAY + rng.bits(rng.int(92));
  return { spot, rate, scale };
}

/** A vault placed exactly on (or one unit off) the boundary of the current parameters. */
function boundaryVault(rng: Prng, p: IlkRates): [bigint, bigint] {
  const c = rng.bits(1 + rng.int(90)) + 1n;
  const value = collateralValueWadDown(c, p.scale, p.spot);
  let a = (value * RAY) / p.rate;
  if (rng.chance(0.5)) {
    // exact ratio: normalizedDebt = collateral × scale × q, unrounded-equal when spot = q × WAD, rate = RAY
    a = c * p.scale * ((p.spot / WAD) > 0n ? p.spot / WAD : 1n);
  }
  a += BigInt(rng.int(3) - 1);
  return [c, a < 0n ? 0n : a > MAX_UINT256 ? MAX_UINT256 : a];
}

function runSequence(seed: number, rule: SafetyRule, steps: number, maxOwners: number): number {
  const rng = new Prng(seed);
  const safe = rule === 'vaultEngine' ? isSafe : isSafeUnrounded;
  const regime = rng.pick<Regime>(['realistic', 'small', 'extreme', 'mixed']);
  const idx = new UnsafeIndex({ rule, initialCapacity: 16 });
  const m: Model = { params: new Map(), vaults: new Map() };
  const ilks = rng.chance(0.5) ? ['A'] : ['A', 'B'];
  const scaleOf = new Map(ilks.map((i) => [i, rng.pick(SCALES)]));
  const owners = Array.from({ length: 1 + rng.int(maxOwners) }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`);
  let checks = 0;

  for (let step = 0; step < steps; step++) {
    const ilk = rng.pick(ilks);
    const scale = scaleOf.get(ilk) ?? 1n;
    const p = m.params.get(ilk);
    const before = bruteUnsafe(m, ilk, safe);
    let change: SafetyChange;
    const op = rng.float();
    const vaults = m.vaults.get(ilk) ?? new Map<string, [bigint, bigint]>();
    m.vaults.set(ilk, vaults);
    const existing = [...vaults.keys()];

    if (!p && rng.chance(0.15)) {
      const np = randomParams(rng, regime, scale);
      change = idx.setIlk(ilk, np);
      m.params.set(ilk, np);
    } else if (op < 0.4 || !p) {
      const owner = rng.pick(owners);
      let c: bigint;
      let a: bigint;
      if (p && rng.chance(0.3)) [c, a] = boundaryVault(rng, p);
      else {
        c = amount(rng, regime, 'coll');
        a = amount(rng, regime, 'debt');
      }
      change = idx.upsertVault(ilk, owner, c, a);
      if (c === 0n && a === 0n) vaults.delete(owner);
      else vaults.set(owner, [c, a]);
    } else if (op < 0.5) {
      const owner = existing.length > 0 && rng.chance(0.8) ? rng.pick(existing) : rng.pick(owners);
      change = idx.removeVault(ilk, owner);
      vaults.delete(owner);
    } else if (op < 0.8) {
      // spot move: relative up/down, to a vault's exact threshold (±1), to q × WAD, or to 0
      let spot: bigint;
      const kind = rng.float();
      if (kind < 0.3 && existing.length > 0) {
        const [c, a] = vaults.get(rng.pick(existing)) ?? [0n, 0n];
        const s = liquidationSpot(c, a, p);
        spot = (s ?? p.spot) + BigInt(rng.int(3) - 1);
      } else if (kind < 0.4) {
        spot = BigInt(rng.int(5000)) * WAD;
      } else if (kind < 0.45) {
        spot = 0n;
      } else if (kind < 0.5) {
        spot = p.spot + BigInt(rng.int(5) - 2);
      } else {
        const bp = BigInt(Math.round((rng.normal() * (rng.chance(0.5) ? 500 : 50)) + 10_000));
        spot = (p.spot * (bp < 0n ? 0n : bp)) / 10_000n;
      }
      if (spot < 0n) spot = 0n;
      if (spot > MAX_UINT256) spot = MAX_UINT256;
      change = idx.setSpot(ilk, spot);
      m.params.set(ilk, { ...p, spot });
    } else if (op < 0.95) {
      // rate increase (drip): tiny, per-block-sized, or large
      const r = rng.float();
      const inc = r < 0.4 ? BigInt(1 + rng.int(1000)) : r < 0.8 ? (p.rate * BigInt(1 + rng.int(1_000_000))) / 10n ** 12n : (p.rate * BigInt(rng.int(500))) / 1000n;
      const rate = p.rate + inc > MAX_UINT256 ? MAX_UINT256 : p.rate + inc;
      change = idx.setRate(ilk, rate);
      m.params.set(ilk, { ...p, rate });
    } else {
      const np = randomParams(rng, regime, scale);
      change = idx.setIlk(ilk, np);
      m.params.set(ilk, np);
    }

    const after = bruteUnsafe(m, ilk, safe);
    const got = idx.unsafe(ilk);
    const where = `seed ${seed} (${rule}, ${regime}) step ${step}`;
    if (!sameSet(got, after)) expect(new Set(got), `${where}: unsafe set`).toEqual(after);
    if (got.length !== after.size) expect(got.length, `${where}: duplicates`).toBe(after.size);
    if (idx.unsafeCount(ilk) !== after.size) expect(idx.unsafeCount(ilk), `${where}: count`).toBe(after.size);
    const entered = [...after].filter((o) => !before.has(o));
    const left = [...before].filter((o) => !after.has(o));
    if (!sameSet(change.becameUnsafe, new Set(entered)) || change.becameUnsafe.length !== entered.length) {
      expect([...change.becameUnsafe].sort(), `${where}: becameUnsafe`).toEqual(entered.sort());
    }
    if (!sameSet(change.becameSafe, new Set(left)) || change.becameSafe.length !== left.length) {
      expect([...change.becameSafe].sort(), `${where}: becameSafe`).toEqual(left.sort());
    }
    if (idx.size(ilk) !== vaults.size) expect(idx.size(ilk), `${where}: size`).toBe(vaults.size);
    checks++;
  }
  // Untouched ilks agree too.
  for (const ilk of ilks) expect(new Set(idx.unsafe(ilk))).toEqual(bruteUnsafe(m, ilk, safe));
  return checks;
}

describe('UnsafeIndex property: equals a brute-force scan after every step', () => {
  it('vaultEngine rule: 3,000 random sequences, small vault sets', { timeout: 120_000 }, () => {
    let checks = 0;
    for (let seed = 1; seed <= 3000; seed++) checks += runSequence(seed, 'vaultEngine', 60, 24);
    expect(checks).toBe(3000 * 60);
  });

  it('unrounded rule: 1,000 random sequences', { timeout: 120_000 }, () => {
    let checks = 0;
    for (let seed = 100_001; seed <= 101_000; seed++) checks += runSequence(seed, 'unrounded', 60, 24);
    expect(checks).toBe(1000 * 60);
  });

  it('both rules: 16 long sequences of 1,000 steps over up to 400 vaults', { timeout: 120_000 }, () => {
    let checks = 0;
    for (let seed = 200_001; seed <= 200_016; seed++) {
      checks += runSequence(seed, seed % 2 === 0 ? 'vaultEngine' : 'unrounded', 1000, 400);
    }
    expect(checks).toBe(16 * 1000);
  });
});
