import { RAY, WAD, debtOf } from '@gavel/sdk';
import { describe, expect, it } from 'vitest';
import { fallToLiquidationBps, healthBarFraction, healthState, projectVault, vaultMetrics, type VaultInputs } from './health.ts';

// 10 ETH (18 decimals) at a mark of 2000, liquidation ratio 150% → spot 1333.33…
const mark = 2_000n * WAD;
const ratio = (3n * WAD) / 2n;
const base: VaultInputs = {
  collateral: 10n * WAD,
  normalizedDebt: 10_000n * WAD,
  rate: RAY,
  spot: (mark * WAD) / ratio,
  scale: 1n,
  liquidationRatio: ratio,
  mark,
  penaltyWad: (WAD * 113n) / 100n,
};

describe('vault metrics', () => {
  it('computes health, liquidation price, distance and penalty', () => {
    const m = vaultMetrics(base);
    expect(m.debt).toBe(10_000n * WAD);
    // value at spot 13,333.33… / 10,000
    expect(m.health).toBe(1_333_333_333_333_333_333n);
    // 10,000 × 1.5 / 10 = 1,500
    expect(m.liquidationPrice).toBe(1_500n * WAD);
    expect(m.distanceBps).toBe(2_500n); // 25% fall
    expect(m.penaltyCost).toBe(1_300n * WAD);
    expect(m.collateralValue).toBe(20_000n * WAD);
    expect(m.state).toBe('healthy');
  });

  it('rounds debt up with the rate accumulator', () => {
    expect(debtOf(3n, (RAY * 3n) / 2n + 1n)).toBe(5n);
    expect(debtOf(0n, RAY)).toBe(0n);
  });

  it('names the states', () => {
    expect(healthState(undefined, 0n)).toBe('empty');
    expect(healthState(undefined, 1n)).toBe('no-debt');
    expect(healthState(WAD - 1n, 1n)).toBe('liquidatable');
    expect(healthState((WAD * 12n) / 10n, 1n)).toBe('warning');
    expect(healthState((WAD * 13n) / 10n, 1n)).toBe('healthy');
  });

  it('fills the health bar from 1 to 3', () => {
    expect(healthBarFraction(WAD / 2n)).toBe(0);
    expect(healthBarFraction(WAD)).toBe(0);
    // Near 1 the bar stays readable: health 1.05 is a 4.76% fall, a third of the bar.
    expect(fallToLiquidationBps((WAD * 105n) / 100n)).toBe(476n);
    expect(healthBarFraction((WAD * 105n) / 100n)).toBeCloseTo(0.3085, 3);
    expect(healthBarFraction((WAD * 125n) / 100n)).toBeCloseTo(Math.sqrt(0.4), 6);
    expect(healthBarFraction(2n * WAD)).toBe(1);
    expect(healthBarFraction(5n * WAD)).toBe(1);
    expect(healthBarFraction(undefined)).toBe(1);
    // Monotone: more health never shortens the bar.
    let last = 0;
    for (let h = 100n; h <= 300n; h += 5n) {
      const f = healthBarFraction((WAD * h) / 100n);
      expect(f).toBeGreaterThanOrEqual(last);
      last = f;
    }
  });

  it('projects a rescue: adding collateral raises health, repaying lowers the liquidation price', () => {
    const before = vaultMetrics(base);
    const more = projectVault(base, 5n * WAD, 0n);
    expect((more.health ?? 0n) > (before.health ?? 0n)).toBe(true);
    expect(more.liquidationPrice).toBe(1_000n * WAD);
    const repaid = projectVault(base, 0n, -5_000n * WAD);
    expect(repaid.liquidationPrice).toBe(750n * WAD);
    expect(repaid.penaltyCost).toBe(650n * WAD);
    const closed = projectVault(base, 0n, -20_000n * WAD);
    expect(closed.state).toBe('no-debt');
  });

  it('reports a vault past its liquidation price', () => {
    const crashed = vaultMetrics({ ...base, mark: 1_400n * WAD, spot: (1_400n * WAD * WAD) / ratio });
    expect(crashed.state).toBe('liquidatable');
    expect((crashed.distanceBps ?? 0n) < 0n).toBe(true);
  });
});
