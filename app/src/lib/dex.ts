// Depth of a Uniswap V2 pool for selling collateral: how much can be sold before the average price
// received is `slippageBps` below the pool's spot price (reserveStable / reserveCollateral), fee
// included. This is Uniswap's arithmetic, not a Gavel rule; the viability query checks every figure
// against the router's own getAmountsOut on chain (queries/viability.ts).

/** Uniswap V2's fee: the input is counted at 997/1000. */
const FEE_NUMERATOR = 997n;
const FEE_DENOMINATOR = 1000n;
const BPS = 10_000n;

/** Uniswap V2 `getAmountOut`: what selling `amountIn` returns from reserves (in, out), rounded down. */
export function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n || reserveIn <= 0n || reserveOut <= 0n) return 0n;
  const inWithFee = amountIn * FEE_NUMERATOR;
  return (inWithFee * reserveOut) / (reserveIn * FEE_DENOMINATOR + inWithFee);
}

/**
 * The most collateral (native units) that sells at an average price at most `slippageBps` below spot:
 * out/in ≥ (1 − s)·y/x  ⇔  in ≤ x·(997 − 1000(1 − s)) / (997(1 − s)). Zero when the fee alone exceeds s.
 */
export function depthWithinSlippage(reserveCollateral: bigint, slippageBps: bigint): bigint {
  if (reserveCollateral <= 0n || slippageBps <= 0n || slippageBps >= BPS) return 0n;
  const keep = BPS - slippageBps;
  const numerator = FEE_NUMERATOR * BPS - FEE_DENOMINATOR * keep;
  if (numerator <= 0n) return 0n;
  return (reserveCollateral * numerator) / (FEE_NUMERATOR * keep);
}
