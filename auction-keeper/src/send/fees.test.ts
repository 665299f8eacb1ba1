// The fee planner (fees.ts): fees follow the base fee (2 × base + tip) up to the lower of the
// configured ceiling and the action's own (value × share / gas); above it the action waits.
import { describe, expect, it } from 'vitest';
import { FeeCeilingError, feesFor, feesForAction, profitCeilingPerGas } from './fees.ts';

const GWEI = 10n ** 9n;
const ETH = 10n ** 18n;
const policy = { maxFeePerGas: 200n * GWEI, priorityFeePerGas: GWEI };

describe('fee planner', () => {
  it('profitCeilingPerGas: value × share / gas, rounded down; 0 without gas or value', () => {
    // 50 gUSD at 3000 gUSD/ETH = 1/60 ETH; half of it over 200k gas = 41.66 gwei.
    const valueWei = ETH / 60n;
    expect(profitCeilingPerGas({ valueWei, gas: 200_000n, shareBps: 5_000n })).toBe(valueWei / 2n / 200_000n);
    expect(profitCeilingPerGas({ valueWei, gas: 200_000n, shareBps: 5_000n })).toBe(41_666_666_666n);
    expect(profitCeilingPerGas({ valueWei, gas: 0n, shareBps: 5_000n })).toBe(0n);
    expect(profitCeilingPerGas({ valueWei: 0n, gas: 1n, shareBps: 5_000n })).toBe(0n);
    expect(profitCeilingPerGas({ valueWei: -1n, gas: 1n, shareBps: 5_000n })).toBe(0n);
  });

  it('follows the base fee in congestion while the action is worth it', () => {
    const value = { valueWei: ETH / 60n, gas: 200_000n, shareBps: 5_000n };
    for (const base of [1n, 5n, 10n, 19n]) {
      const f = feesForAction(base * GWEI, policy, value);
      expect(f.maxFeePerGas).toBe(2n * base * GWEI + GWEI);
      expect(f.maxPriorityFeePerGas).toBe(GWEI);
      expect(f.baseFeePerGas).toBe(base * GWEI);
    }
  });

  it('caps maxFee at the action ceiling, then refuses once base + tip passes it', () => {
    const value = { valueWei: ETH / 60n, gas: 200_000n, shareBps: 5_000n };
    const ceiling = profitCeilingPerGas(value);
    const f = feesForAction(30n * GWEI, policy, value);
    expect(f.maxFeePerGas).toBe(ceiling);
    expect(() => feesForAction(ceiling, policy, value)).toThrow(FeeCeilingError);
    // A bigger action still goes at the same base fee.
    expect(feesForAction(ceiling, policy, { ...value, valueWei: 10n * value.valueWei }).maxFeePerGas).toBe(2n * ceiling + GWEI);
  });

  it('never goes above the configured ceiling however much the action earns', () => {
    const f = feesForAction(150n * GWEI, policy, { valueWei: 1_000n * ETH, gas: 100_000n, shareBps: 10_000n });
    expect(f.maxFeePerGas).toBe(policy.maxFeePerGas);
    expect(() => feesForAction(200n * GWEI, policy, { valueWei: 1_000n * ETH, gas: 100_000n, shareBps: 10_000n })).toThrow(FeeCeilingError);
    // Without an action the config alone decides (feesFor).
    expect(feesFor(150n * GWEI, policy).maxFeePerGas).toBe(policy.maxFeePerGas);
  });

  it('property: within bounds, base + tip ≤ maxFee ≤ min(config, action ceiling, 2·base + tip)', () => {
    let seed = 12345n;
    const next = (mod: bigint): bigint => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return seed % mod;
    };
    for (let i = 0; i < 2_000; i++) {
      const base = next(300n * GWEI);
      const value = { valueWei: next(ETH), gas: 21_000n + next(5_000_000n), shareBps: 1n + next(10_000n) };
      const own = profitCeilingPerGas(value);
      const cap = own < policy.maxFeePerGas ? own : policy.maxFeePerGas;
      const tip = policy.priorityFeePerGas < cap ? policy.priorityFeePerGas : cap;
      if (base + tip > cap) {
        expect(() => feesForAction(base, policy, value)).toThrow(FeeCeilingError);
        continue;
      }
      const f = feesForAction(base, policy, value);
      expect(f.maxFeePerGas >= base + f.maxPriorityFeePerGas).toBe(true);
      expect(f.maxFeePerGas <= cap).toBe(true);
      expect(f.maxFeePerGas <= 2n * base + tip).toBe(true);
    }
  });
});
