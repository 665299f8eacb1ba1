// The Dutch-auction price curves, mirrored from contracts/src/curves to the wei. Each function computes
// exactly what the contract of the same name returns (and what MakerDAO dss `abaci.sol` returns), and
// throws where the contract reverts. Pure bigint arithmetic; no I/O.
import { MAX_UINT256, RAY } from './units.ts';

const HALF_RAY = RAY / 2n;

/** The largest `tau` a `LinearDecrease` accepts: `tau * RAY` fits in 256 bits. */
export const MAX_TAU = MAX_UINT256 / RAY;

/*                                   ERRORS                                   */

/**
 * Thrown where the Solidity computation reverts on a 256-bit overflow. `error` is the custom error the
 * contract reverts with (solady's `MulDivFailed()` from `rmulDown`, `RPowOverflow()` from `rpowHalfUp`,
 * `FullMulDivFailed()` from `fullMulDiv` when the quotient exceeds 256 bits);
 * `selector` is its 4-byte selector, the revert data.
 */
export class RayMathOverflowError extends RangeError {
  override readonly name = 'RayMathOverflowError';
  readonly selector: `0x${string}`;

  constructor(readonly error: 'MulDivFailed' | 'RPowOverflow' | 'FullMulDivFailed') {
    super(`${error}(): 256-bit overflow (the contract reverts here)`);
    this.selector = error === 'MulDivFailed' ? '0xad251c27' : error === 'RPowOverflow' ? '0x49f7642b' : '0xae47f702';
  }
}

/**
 * A curve parameter the contract's constructor would reject, named like the contract's custom error
 * (`TauOutOfRange(tau)`, `CutOutOfRange(cut)`, `StepOutOfRange(step)`).
 */
export class CurveParameterError extends RangeError {
  override readonly name = 'CurveParameterError';

  constructor(
    readonly error: 'TauOutOfRange' | 'CutOutOfRange' | 'StepOutOfRange',
    readonly value: bigint,
  ) {
    super(`${error}(${value})`);
  }
}

function assertUint256(name: string, value: bigint): void {
  if (value < 0n || value > MAX_UINT256) throw new RangeError(`${name} must be a uint256, got ${value}`);
}

/*                                  RAY MATH                                  */

/**
 * `x * y / RAY` rounded down: dss `rmul`, our `RayMath.rmulDown`. Throws `RayMathOverflowError` when
 * `x * y` exceeds 256 bits, even if the quotient would fit (as the contract reverts).
 */
export function rmulDown(x: bigint, y: bigint): bigint {
  assertUint256('x', x);
  assertUint256('y', y);
  const product = x * y;
  if (product > MAX_UINT256) throw new RayMathOverflowError('MulDivFailed');
  return product / RAY;
}

/**
 * `x ** n` in RAY by squaring, every squaring and every multiplication rounded half up: dss
 * `rpow(x, n, RAY)`, our `RayMath.rpowHalfUp`. The order of roundings matters (it is not the same as
 * multiplying `n` times in a row). `rpowHalfUp(x, 0) = RAY`, `rpowHalfUp(0, n > 0) = 0`. Throws
 * `RayMathOverflowError` where the contract reverts (never for `x <= RAY`).
 */
export function rpowHalfUp(x: bigint, n: bigint): bigint {
  assertUint256('x', x);
  assertUint256('n', n);
  if (n === 0n) return RAY;
  if (x === 0n) return 0n;
  // z starts at x for an odd exponent, at one otherwise; then walk the exponent's bits upwards,
  // squaring x at each bit and folding it into z where the bit is set.
  let z = (n & 1n) === 1n ? x : RAY;
  for (let bits = n >> 1n; bits > 0n; bits >>= 1n) {
    // Reverts on chain when x >= 2^128 (x * x overflows) or x * x + RAY/2 overflows: both are this.
    const squareRounded = x * x + HALF_RAY;
    if (squareRounded > MAX_UINT256) throw new RayMathOverflowError('RPowOverflow');
    x = squareRounded / RAY;
    if ((bits & 1n) === 1n) {
      const productRounded = z * x + HALF_RAY;
      if (productRounded > MAX_UINT256) throw new RayMathOverflowError('RPowOverflow');
      z = productRounded / RAY;
    }
  }
  return z;
}

/** dss name of `rmulDown`. */
export const rmul: (x: bigint, y: bigint) => bigint = rmulDown;

/** dss name of `rpowHalfUp` (base RAY). */
export const rpow: (x: bigint, n: bigint) => bigint = rpowHalfUp;

/*                                   CURVES                                   */

/**
 * `LinearDecrease(tau).price(top, dur)`: `top` falling linearly to 0 at `tau` seconds,
 * `rmulDown(top, (tau - dur) * RAY / tau)` (two roundings down, as dss), 0 when `dur >= tau`.
 * Throws `CurveParameterError` for a `tau` the constructor rejects (0 or above `MAX_TAU`).
 */
export function linearDecreasePrice(top: bigint, dur: bigint, tau: bigint): bigint {
  assertUint256('top', top);
  assertUint256('dur', dur);
  if (tau <= 0n || tau > MAX_TAU) throw new CurveParameterError('TauOutOfRange', tau);
  if (dur >= tau) return 0n;
  return rmulDown(top, ((tau - dur) * RAY) / tau);
}

/**
 * `StairstepExponentialDecrease(cut, step).price(top, dur)`: `top * cut ** floor(dur / step)`,
 * `rmulDown(top, rpowHalfUp(cut, dur / step))`. `cut` is a RAY factor in `(0, RAY]`, `step` >= 1 second;
 * other values throw `CurveParameterError` as the constructor reverts.
 */
export function stairstepExponentialDecreasePrice(top: bigint, dur: bigint, cut: bigint, step: bigint): bigint {
  assertUint256('top', top);
  assertUint256('dur', dur);
  assertCut(cut);
  if (step <= 0n || step > MAX_UINT256) throw new CurveParameterError('StepOutOfRange', step);
  return rmulDown(top, rpowHalfUp(cut, dur / step));
}

/**
 * `ExponentialDecrease(cut).price(top, dur)`: `top * cut ** dur`, `rmulDown(top, rpowHalfUp(cut, dur))`.
 * `cut` is a RAY factor in `(0, RAY]`; other values throw `CurveParameterError`.
 */
export function exponentialDecreasePrice(top: bigint, dur: bigint, cut: bigint): bigint {
  assertUint256('top', top);
  assertUint256('dur', dur);
  assertCut(cut);
  return rmulDown(top, rpowHalfUp(cut, dur));
}

function assertCut(cut: bigint): void {
  if (cut <= 0n || cut > RAY) throw new CurveParameterError('CutOutOfRange', cut);
}

/*                                 DISPATCHER                                 */

/** A deployed price curve: its contract name and its immutable parameters. */
export type Curve =
  | { readonly kind: 'LinearDecrease'; readonly tau: bigint }
  | { readonly kind: 'StairstepExponentialDecrease'; readonly cut: bigint; readonly step: bigint }
  | { readonly kind: 'ExponentialDecrease'; readonly cut: bigint };

/** The contract name of a curve (`LinearDecrease`, ...); the auction house's enum is `CurveKind` (auction.ts). */
export type CurveContractName = Curve['kind'];

/** The price `dur` seconds after an auction started at `top`, exactly as the curve's contract. */
export function curvePrice(curve: Curve, top: bigint, dur: bigint): bigint {
  switch (curve.kind) {
    case 'LinearDecrease':
      return linearDecreasePrice(top, dur, curve.tau);
    case 'StairstepExponentialDecrease':
      return stairstepExponentialDecreasePrice(top, dur, curve.cut, curve.step);
    case 'ExponentialDecrease':
      return exponentialDecreasePrice(top, dur, curve.cut);
    default:
      return unknownCurve(curve);
  }
}

/** Throws `CurveParameterError` when the curve's constructor would reject its parameters. */
export function validateCurve(curve: Curve): void {
  // The cheapest call that runs every parameter check.
  curvePrice(curve, 0n, 0n);
}

function unknownCurve(curve: never): never {
  throw new TypeError(`unknown curve kind: ${String((curve as { kind?: unknown }).kind)}`);
}
