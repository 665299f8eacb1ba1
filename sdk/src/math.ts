// solady FixedPointMathLib as the contracts use it, on bigints: the same names, the same rounding.
// Overflow is not modelled here (the rules that can overflow on chain check it themselves).
import { WAD } from './units.ts';

/** `x * y / d` rounded down (`mulDiv`, `fullMulDiv`). */
export function mulDiv(x: bigint, y: bigint, d: bigint): bigint {
  return (x * y) / d;
}

/** `x * y / d` rounded up (`mulDivUp`, `fullMulDivUp`). */
export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  return divUp(x * y, d);
}

/** `x * y / WAD` rounded down (`mulWad`). */
export function mulWad(x: bigint, y: bigint): bigint {
  return (x * y) / WAD;
}

/** `x * y / WAD` rounded up (`mulWadUp`). */
export function mulWadUp(x: bigint, y: bigint): bigint {
  return divUp(x * y, WAD);
}

/** `a / b` rounded up (`divUp`). */
export function divUp(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const q = a / b;
  return q * b === a ? q : q + 1n;
}

/** The smaller of two. */
export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** `a - b`, or 0 when `b > a` (LiquidationEngine `_sub0`). */
export function sub0(a: bigint, b: bigint): bigint {
  return a > b ? a - b : 0n;
}
