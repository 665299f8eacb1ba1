import { describe, expect, it } from 'vitest';
import { seededRandom } from '@gavel/contracts/testing';
import {
  collateralValueWadDown,
  debtOf,
  health,
  isSafe,
  isSafeUnrounded,
  liquidationPrice,
  liquidationSpot,
  scaleForDecimals,
} from './vault.ts';
import { MAX_UINT256, RAY, WAD } from './units.ts';

const ilk18 = { spot: 2000n * WAD, rate: RAY, scale: 1n };

describe('vault math', () => {
  it('scaleForDecimals', () => {
    expect(scaleForDecimals(18)).toBe(1n);
    expect(scaleForDecimals(8)).toBe(10n ** 10n);
    expect(scaleForDecimals(6)).toBe(10n ** 12n);
    expect(() => scaleForDecimals(19)).toThrow(RangeError);
    expect(() => scaleForDecimals(6.5)).toThrow(RangeError);
  });

  it('debtOf rounds up, value rounds down', () => {
    expect(debtOf(10n, RAY)).toBe(10n);
    expect(debtOf(10n, RAY + 1n)).toBe(11n);
    expect(debtOf(0n, 5n * RAY)).toBe(0n);
    expect(collateralValueWadDown(3n, 1n, WAD / 2n)).toBe(1n);
  });

  it('isSafe: equal value and debt is safe, one wei more debt is not', () => {
    // 1 token at 2000 → value 2000e18; debt 2000e18 exactly.
    expect(isSafe(WAD, 2000n * WAD, ilk18)).toBe(true);
    expect(isSafe(WAD, 2000n * WAD + 1n, ilk18)).toBe(false);
    expect(isSafeUnrounded(WAD, 2000n * WAD, ilk18)).toBe(true);
    expect(isSafeUnrounded(WAD, 2000n * WAD + 1n, ilk18)).toBe(false);
  });

  it('a vault without debt is always safe, debt without collateral never', () => {
    expect(isSafe(0n, 0n, { spot: 0n, rate: RAY, scale: 1n })).toBe(true);
    expect(isSafe(5n, 0n, { spot: 0n, rate: RAY, scale: 1n })).toBe(true);
    expect(isSafe(0n, 1n, ilk18)).toBe(false);
    expect(isSafeUnrounded(0n, 1n, ilk18)).toBe(false);
  });

  it('rounding: value − debt under one wei is unsafe on chain but safe unrounded', () => {
    // value = 3 × 0.5 = 1.5 wei → 1; debt = 1 × 1.2 = 1.2 wei → 2.
    const ilk = { spot: WAD / 2n, rate: (RAY * 12n) / 10n, scale: 1n };
    expect(isSafeUnrounded(3n, 1n, ilk)).toBe(true);
    expect(isSafe(3n, 1n, ilk)).toBe(false);
  });

  it('unrounded-unsafe implies unsafe (random)', () => {
    const rng = seededRandom('vault-7');
    for (let i = 0; i < 20_000; i++) {
      const ilk = { spot: rng.bits(rng.int(0, 69)), rate: RAY + rng.bits(rng.int(0, 89)), scale: rng.pick([1n, 10n ** 10n, 10n ** 12n]) };
      const c = rng.bits(rng.int(0, 79));
      const a = rng.bits(rng.int(0, 79));
      if (!isSafeUnrounded(c, a, ilk)) expect(isSafe(c, a, ilk)).toBe(false);
    }
  });

  it('liquidationSpot is the exact threshold of isSafe', () => {
    const rng = seededRandom('vault-11');
    for (let i = 0; i < 20_000; i++) {
      const scale = rng.pick([1n, 10n ** 10n, 10n ** 12n]);
      const rate = RAY + rng.bits(rng.int(0, 79));
      const c = rng.bits(1 + rng.int(0, 99)) + 1n;
      const a = rng.bits(rng.int(0, 99));
      const s = liquidationSpot(c, a, { rate, scale });
      if (s === undefined) throw new Error('collateral is positive');
      expect(isSafe(c, a, { spot: s, rate, scale })).toBe(true);
      if (s > 0n) expect(isSafe(c, a, { spot: s - 1n, rate, scale })).toBe(false);
    }
    expect(liquidationSpot(0n, 1n, { rate: RAY, scale: 1n })).toBeUndefined();
    expect(liquidationSpot(0n, 0n, { rate: RAY, scale: 1n })).toBe(0n);
  });

  it('liquidationPrice and health mirror VaultEngine', () => {
    const lr = (WAD * 3n) / 2n;
    expect(liquidationPrice(0n, 0n, { rate: RAY, scale: 1n, liquidationRatio: lr })).toBe(0n);
    expect(liquidationPrice(0n, 1n, { rate: RAY, scale: 1n, liquidationRatio: lr })).toBe(MAX_UINT256);
    // 1 token, 1000 debt, ratio 1.5 → 1500 per token.
    expect(liquidationPrice(WAD, 1000n * WAD, { rate: RAY, scale: 1n, liquidationRatio: lr })).toBe(1500n * WAD);
    // 1 USDC-like unit (6 decimals), 1 wei debt: ceil(1 × 1.5e18 / 1e12).
    expect(liquidationPrice(1n, 1n, { rate: RAY, scale: 10n ** 12n, liquidationRatio: lr })).toBe(1_500_000n);
    expect(health(WAD, 1000n * WAD, ilk18)).toBe(2n * WAD);
    expect(health(WAD, 0n, ilk18)).toBe(MAX_UINT256);
  });
});
