// Uniswap V2 pool arithmetic for the market simulator: the pool's price and the trade that moves it
// to a target (what an arbitrageur does every block). All amounts bigint; a price is stablecoin WAD
// per whole collateral token, as everywhere in the protocol.

/** Pool reserves, oriented: collateral in native units, stablecoin in WAD. */
export interface OrientedReserves {
  readonly collateral: bigint;
  readonly stable: bigint;
  /** 10 ** decimals of the collateral token. */
  readonly unit: bigint;
}

/** The trade that moves the pool to a price: sell `amountIn` of `sell` into the pool. */
export interface RebalanceTrade {
  readonly sell: 'collateral' | 'stable';
  readonly amountIn: bigint;
}

/** Integer square root, rounded down (Newton's method). */
export function sqrtDown(x: bigint): bigint {
  if (x < 0n) throw new RangeError('sqrt of a negative number');
  if (x < 2n) return x;
  let r = 1n << (BigInt(x.toString(2).length + 1) >> 1n);
  for (;;) {
    const next = (r + x / r) >> 1n;
    if (next >= r) return r;
    r = next;
  }
}

/** Pool price, WAD stablecoin per whole collateral token, rounded down: `stable × unit / collateral`. */
export function poolPriceWad(r: OrientedReserves): bigint {
  if (r.collateral === 0n) return 0n;
  return (r.stable * r.unit) / r.collateral;
}

/**
 * The swap that moves the pool's price to `targetWad` (within the 0.3% fee's rounding), or
 * undefined when the pool is already within `toleranceBps` of it. With `k = collateral × stable`
 * and price `stable × unit / collateral`, the target reserves are
 * `collateral' = sqrt(k × unit / target)` and `stable' = sqrt(k × target / unit)`; the trade adds
 * the difference, grossed up for the fee (only 997/1000 of the input counts toward k).
 */
export function rebalanceTrade(r: OrientedReserves, targetWad: bigint, toleranceBps: bigint): RebalanceTrade | undefined {
  if (targetWad <= 0n) throw new RangeError('target price must be positive');
  const price = poolPriceWad(r);
  const gap = price > targetWad ? price - targetWad : targetWad - price;
  if (gap * 10_000n <= targetWad * toleranceBps) return undefined;
  const k = r.collateral * r.stable;
  if (price > targetWad) {
    const collateralAfter = sqrtDown((k * r.unit) / targetWad);
    return { sell: 'collateral', amountIn: ((collateralAfter - r.collateral) * 1000n) / 997n };
  }
  const stableAfter = sqrtDown((k * targetWad) / r.unit);
  return { sell: 'stable', amountIn: ((stableAfter - r.stable) * 1000n) / 997n };
}

/** Uniswap V2 `getAmountOut`: output for an exact input, after the 0.3% fee, rounded down. */
export function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const inWithFee = amountIn * 997n;
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee);
}
