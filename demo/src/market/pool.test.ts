import { describe, expect, it } from 'vitest';
import { amountOut, poolPriceWad, rebalanceTrade, sqrtDown } from './pool.ts';

const WAD = 10n ** 18n;

/** Applies a trade to the reserves the way the pair does. */
function apply(r: { collateral: bigint; stable: bigint; unit: bigint }, t: { sell: 'collateral' | 'stable'; amountIn: bigint }) {
  if (t.sell === 'collateral') {
    const out = amountOut(t.amountIn, r.collateral, r.stable);
    return { ...r, collateral: r.collateral + t.amountIn, stable: r.stable - out };
  }
  const out = amountOut(t.amountIn, r.stable, r.collateral);
  return { ...r, collateral: r.collateral - out, stable: r.stable + t.amountIn };
}

describe('sqrtDown', () => {
  it('is the floor of the square root', () => {
    for (const x of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 36n, 10n ** 36n - 1n, (1n << 255n) + 12345n]) {
      const r = sqrtDown(x);
      expect(r * r <= x).toBe(true);
      expect((r + 1n) * (r + 1n) > x).toBe(true);
    }
  });
});

describe('rebalanceTrade', () => {
  const eth = { collateral: 25_000n * WAD, stable: 50_000_000n * WAD, unit: WAD };
  const wbtc = { collateral: 500n * 10n ** 8n, stable: 30_000_000n * WAD, unit: 10n ** 8n };

  it('reads the pool price in WAD per whole token whatever the decimals', () => {
    expect(poolPriceWad(eth)).toBe(2000n * WAD);
    expect(poolPriceWad(wbtc)).toBe(60_000n * WAD);
  });

  it.each([
    ['a 40% drop (ETH, 18 decimals)', eth, 1200n * WAD],
    ['a 10% rise (ETH)', eth, 2200n * WAD],
    ['a 40% drop (WBTC, 8 decimals)', wbtc, 36_000n * WAD],
    ['a 0.5% rise (WBTC)', wbtc, 60_300n * WAD],
  ])('moves the pool to within 0.1%% of the target: %s', (_name, r, target) => {
    const trade = rebalanceTrade(r, target, 10n);
    expect(trade).toBeDefined();
    if (!trade) return;
    const after = poolPriceWad(apply(r, trade));
    const gap = after > target ? after - target : target - after;
    expect(gap * 1000n).toBeLessThanOrEqual(target);
  });

  it('does nothing within the tolerance', () => {
    expect(rebalanceTrade(eth, 2001n * WAD, 10n)).toBeUndefined();
    expect(rebalanceTrade(eth, 2003n * WAD, 10n)).toBeDefined();
  });

  it('rejects a non-positive target', () => {
    expect(() => rebalanceTrade(eth, 0n, 10n)).toThrow(/positive/);
  });
});
