import { describe, expect, it } from 'vitest';
import { amountOut, depthWithinSlippage } from './dex.ts';

const WAD = 10n ** 18n;

describe('pool depth within slippage', () => {
  // 1,000 WETH against 2,000,000 gUSD: spot 2,000.
  const x = 1_000n * WAD;
  const y = 2_000_000n * WAD;

  it('sells the depth at (just) the slippage, one unit more goes past it', () => {
    for (const bps of [100n, 500n, 1_000n]) {
      const dx = depthWithinSlippage(x, bps);
      expect(dx).toBeGreaterThan(0n);
      // average price received vs spot, in bps of spot: out/dx vs y/x  ⇔  out·x vs y·dx
      const within = (amount: bigint): boolean => amountOut(amount, x, y) * x * 10_000n >= y * amount * (10_000n - bps);
      expect(within(dx), `${bps} bps at the depth`).toBe(true);
      expect(within((dx * 1_001n) / 1_000n), `${bps} bps just past it`).toBe(false);
    }
  });

  it('is monotone in the slippage and zero below the 0.3% fee', () => {
    expect(depthWithinSlippage(x, 20n)).toBe(0n);
    expect(depthWithinSlippage(x, 100n)).toBeLessThan(depthWithinSlippage(x, 500n));
    expect(depthWithinSlippage(x, 500n)).toBeLessThan(depthWithinSlippage(x, 1_000n));
    // 1%: 0.709% of the reserve.
    expect(Number((depthWithinSlippage(x, 100n) * 100_000n) / x)).toBe(709);
    expect(depthWithinSlippage(0n, 100n)).toBe(0n);
  });
});
