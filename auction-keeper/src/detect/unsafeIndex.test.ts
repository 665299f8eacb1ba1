import { describe, expect, it } from 'vitest';
import { RAY, WAD, liquidationSpot } from '@gavel/sdk';
import { UnsafeIndex } from './unsafeIndex.ts';
import type { SafetyChange } from './unsafeIndex.ts';

const ETH = 'ETH-A';
const USDC = 'USDC-A'; // 6 decimals
const eth = { spot: 2000n * WAD, rate: RAY, scale: 1n };

function sorted(xs: readonly string[]): string[] {
  return [...xs].sort();
}

describe('UnsafeIndex', () => {
  it('upsertVault classifies against the current parameters', () => {
    const idx = new UnsafeIndex();
    idx.setIlk(ETH, eth);
    // 1 ETH at 2000: debt 2000 is safe (equal), 2000 + 1 wei is not.
    expect(idx.upsertVault(ETH, 'a', WAD, 2000n * WAD)).toEqual({ ilk: ETH, becameUnsafe: [], becameSafe: [] });
    expect(idx.upsertVault(ETH, 'b', WAD, 2000n * WAD + 1n).becameUnsafe).toEqual(['b']);
    expect(idx.unsafe(ETH)).toEqual(['b']);
    expect(idx.unsafeCount(ETH)).toBe(1);
    expect(idx.isUnsafe(ETH, 'a')).toBe(false);
    expect(idx.isUnsafe(ETH, 'b')).toBe(true);
    // Rescue: add collateral.
    expect(idx.upsertVault(ETH, 'b', 2n * WAD, 2000n * WAD + 1n).becameSafe).toEqual(['b']);
    expect(idx.unsafe(ETH)).toEqual([]);
    expect(idx.vault(ETH, 'b')).toEqual({ collateral: 2n * WAD, normalizedDebt: 2000n * WAD + 1n });
    expect(idx.size(ETH)).toBe(2);
  });

  it('vaults indexed before the ilk parameters are all safe until setIlk', () => {
    const idx = new UnsafeIndex();
    idx.upsertVault(ETH, 'a', WAD, 1500n * WAD);
    idx.upsertVault(ETH, 'b', WAD, 2500n * WAD);
    idx.upsertVault(ETH, 'c', 0n, 1n); // debt without collateral
    expect(idx.unsafeCount(ETH)).toBe(0);
    expect(() => idx.setSpot(ETH, WAD)).toThrow(/setIlk/);
    const ch = idx.setIlk(ETH, eth);
    expect(sorted(ch.becameUnsafe)).toEqual(['b', 'c']);
    expect(idx.unsafe(ETH)).toEqual(['c', 'b']); // most under-collateralized first
  });

  it('setSpot walks only the crossed vaults, both directions', () => {
    const idx = new UnsafeIndex();
    idx.setIlk(ETH, eth);
    for (let i = 1; i <= 10; i++) idx.upsertVault(ETH, `v${i}`, WAD, BigInt(i) * 100n * WAD); // liquidation spot i × 100
    expect(idx.unsafeCount(ETH)).toBe(0);
    let ch = idx.setSpot(ETH, 750n * WAD);
    expect(sorted(ch.becameUnsafe)).toEqual(['v10', 'v8', 'v9']);
    expect(ch.becameSafe).toEqual([]);
    ch = idx.setSpot(ETH, 700n * WAD); // v7 sits exactly at the boundary: safe
    expect(ch.becameUnsafe).toEqual([]);
    ch = idx.setSpot(ETH, 700n * WAD - 1n);
    expect(ch.becameUnsafe).toEqual(['v7']);
    ch = idx.setSpot(ETH, 950n * WAD);
    expect(sorted(ch.becameSafe)).toEqual(['v7', 'v8', 'v9']);
    expect(idx.unsafe(ETH)).toEqual(['v10']);
    ch = idx.setSpot(ETH, 951n * WAD); // crosses nothing
    expect(ch).toEqual({ ilk: ETH, becameUnsafe: [], becameSafe: [] });
  });

  it('setRate: a rate increase makes vaults unsafe', () => {
    const idx = new UnsafeIndex();
    idx.setIlk(ETH, eth);
    idx.upsertVault(ETH, 'a', WAD, 1000n * WAD);
    idx.upsertVault(ETH, 'b', WAD, 1900n * WAD);
    const ch = idx.setRate(ETH, (RAY * 105n) / 100n); // b: 1995 ≤ 2000 safe
    expect(ch.becameUnsafe).toEqual([]);
    expect(idx.setRate(ETH, (RAY * 106n) / 100n).becameUnsafe).toEqual(['b']); // 2014 > 2000
    expect(idx.params(ETH)?.rate).toBe((RAY * 106n) / 100n);
  });

  it('6-decimal collateral uses scale', () => {
    const idx = new UnsafeIndex();
    idx.setIlk(USDC, { spot: (WAD * 9n) / 10n, rate: RAY, scale: 10n ** 12n });
    idx.upsertVault(USDC, 'a', 1_000_000n, (WAD * 9n) / 10n); // 1 USDC, debt 0.9: equal → safe
    idx.upsertVault(USDC, 'b', 1_000_000n, (WAD * 9n) / 10n + 1n);
    expect(idx.unsafe(USDC)).toEqual(['b']);
  });

  it('exact at the boundary under on-chain rounding (value down, debt up)', () => {
    const idx = new UnsafeIndex();
    const unrounded = new UnsafeIndex({ rule: 'unrounded' });
    const ilk = { spot: WAD / 2n, rate: (RAY * 12n) / 10n, scale: 1n };
    for (const i of [idx, unrounded]) {
      i.setIlk('X', ilk);
      i.upsertVault('X', 'tiny', 3n, 1n); // value 1.5 → 1, debt 1.2 → 2
    }
    expect(idx.unsafe('X')).toEqual(['tiny']);
    expect(unrounded.unsafe('X')).toEqual([]);

    // A large vault exactly at its on-chain threshold spot, then one wei of spot below it.
    const c = 123_456_789_012_345_678_901n;
    const a = 987_654_321_098_765_432_109_876n;
    const rate = RAY + 31_709_791_983_764_586_504n;
    const s = liquidationSpot(c, a, { rate, scale: 1n });
    if (s === undefined) throw new Error('unreachable');
    idx.setIlk('Y', { spot: s, rate, scale: 1n });
    idx.upsertVault('Y', 'big', c, a);
    expect(idx.isUnsafe('Y', 'big')).toBe(false);
    expect(idx.setSpot('Y', s - 1n).becameUnsafe).toEqual(['big']);
    expect(idx.setSpot('Y', s).becameSafe).toEqual(['big']);
  });

  it('spot 0 makes every vault with debt unsafe; no-debt vaults stay safe', () => {
    const idx = new UnsafeIndex();
    idx.setIlk(ETH, eth);
    idx.upsertVault(ETH, 'debt', 10n * WAD, 1n);
    idx.upsertVault(ETH, 'nodebt', 10n * WAD, 0n);
    expect(idx.setSpot(ETH, 0n).becameUnsafe).toEqual(['debt']);
    expect(idx.setSpot(ETH, 1n).becameSafe).toEqual(['debt']); // 10e18 × 1 / 1e18 = 10 ≥ 1
  });

  it('removeVault and upsert (0, 0) drop a vault; removing an unsafe vault reports it left', () => {
    const idx = new UnsafeIndex();
    idx.setIlk(ETH, eth);
    idx.upsertVault(ETH, 'a', WAD, 3000n * WAD);
    idx.upsertVault(ETH, 'b', WAD, 3000n * WAD);
    expect(idx.removeVault(ETH, 'a').becameSafe).toEqual(['a']);
    expect(idx.upsertVault(ETH, 'b', 0n, 0n).becameSafe).toEqual(['b']);
    expect(idx.size(ETH)).toBe(0);
    expect(idx.unsafeCount(ETH)).toBe(0);
    expect(idx.removeVault(ETH, 'nobody')).toEqual({ ilk: ETH, becameUnsafe: [], becameSafe: [] });
    expect(idx.removeVault('NOPE', 'nobody').becameSafe).toEqual([]);
    // Slots are reused.
    idx.upsertVault(ETH, 'c', WAD, 1n);
    expect(idx.owners(ETH)).toEqual(['c']);
  });

  it('ilks are independent', () => {
    const idx = new UnsafeIndex();
    idx.setIlk(ETH, eth);
    idx.setIlk('WBTC-A', { spot: 40_000n * WAD, rate: RAY, scale: 10n ** 10n });
    idx.upsertVault(ETH, 'a', WAD, 1500n * WAD);
    idx.upsertVault('WBTC-A', 'a', 100_000_000n, 30_000n * WAD);
    expect(idx.setSpot(ETH, 1000n * WAD).becameUnsafe).toEqual(['a']);
    expect(idx.unsafeCount('WBTC-A')).toBe(0);
    expect(sorted(idx.ilks())).toEqual([ETH, 'WBTC-A']);
  });

  it('onChange delivers non-empty changes until unsubscribed', () => {
    const idx = new UnsafeIndex();
    const seen: SafetyChange[] = [];
    const off = idx.onChange((c) => seen.push(c));
    idx.setIlk(ETH, eth);
    idx.upsertVault(ETH, 'a', WAD, 1000n * WAD); // safe: no event
    idx.setSpot(ETH, 900n * WAD);
    expect(seen).toEqual([{ ilk: ETH, becameUnsafe: ['a'], becameSafe: [] }]);
    off();
    idx.setSpot(ETH, 2000n * WAD);
    expect(seen).toHaveLength(1);
  });

  it('rejects values outside uint256 and a zero rate or scale', () => {
    const idx = new UnsafeIndex();
    expect(() => idx.upsertVault(ETH, 'a', -1n, 0n)).toThrow(RangeError);
    expect(() => idx.upsertVault(ETH, 'a', 1n, 1n << 256n)).toThrow(RangeError);
    expect(() => idx.setIlk(ETH, { ...eth, rate: 0n })).toThrow(RangeError);
    expect(() => idx.setIlk(ETH, { ...eth, scale: 0n })).toThrow(RangeError);
  });

  it('stores amounts wider than 128 bits exactly', () => {
    const idx = new UnsafeIndex();
    const big = (1n << 255n) + 12345n;
    idx.upsertVault(ETH, 'w', big, big - 1n);
    expect(idx.vault(ETH, 'w')).toEqual({ collateral: big, normalizedDebt: big - 1n });
    idx.upsertVault(ETH, 'w', 5n, 7n);
    expect(idx.vault(ETH, 'w')).toEqual({ collateral: 5n, normalizedDebt: 7n });
  });
});
