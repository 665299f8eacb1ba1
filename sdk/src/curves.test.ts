import { describe, expect, it } from 'vitest';
import {
  type Curve,
  CurveParameterError,
  MAX_TAU,
  RayMathOverflowError,
  curvePrice,
  exponentialDecreasePrice,
  linearDecreasePrice,
  rmul,
  rmulDown,
  rpow,
  rpowHalfUp,
  stairstepExponentialDecreasePrice,
  validateCurve,
} from './curves.ts';
import { MAX_UINT256, RAY, WAD } from './units.ts';

// Expected values are the ones the forge unit tests pin (test/unit/curves), computed by hand from the
// dss algorithm with exact integers.
const TOP = 2000n * WAD;
const CUT_99 = (99n * RAY) / 100n;

/** The sequential product, rounding half up each time: equals rpow only up to n = 3. */
function sequential(x: bigint, n: number): bigint {
  let z = RAY;
  for (let i = 0; i < n; i++) z = (z * x + RAY / 2n) / RAY;
  return z;
}

describe('units', () => {
  it('defines WAD, RAY and MAX_UINT256', () => {
    expect(WAD).toBe(1_000_000_000_000_000_000n);
    expect(RAY).toBe(10n ** 27n);
    expect(MAX_UINT256).toBe(2n ** 256n - 1n);
  });
});

describe('rmulDown', () => {
  it('multiplies by one RAY exactly', () => {
    expect(rmulDown(1234n, RAY)).toBe(1234n);
  });

  it('rounds down', () => {
    expect(rmulDown(3n, RAY / 2n)).toBe(1n);
    expect(rmulDown(RAY - 1n, 1n)).toBe(0n);
  });

  it('throws MulDivFailed when the product overflows, even if the quotient fits', () => {
    const x = MAX_UINT256 / RAY + 1n;
    expect(() => rmulDown(x, RAY)).toThrow(RayMathOverflowError);
    try {
      rmulDown(x, RAY);
    } catch (err) {
      expect(err).toMatchObject({ error: 'MulDivFailed', selector: '0xad251c27' });
    }
    expect(rmulDown(MAX_UINT256 / RAY, RAY)).toBe(MAX_UINT256 / RAY);
  });

  it('rejects values outside uint256', () => {
    expect(() => rmulDown(-1n, 1n)).toThrow(/uint256/);
    expect(() => rmulDown(1n, MAX_UINT256 + 1n)).toThrow(/uint256/);
  });

  it('is exported under its dss name', () => {
    expect(rmul).toBe(rmulDown);
  });
});

describe('rpowHalfUp', () => {
  it('handles the zero cases like dss', () => {
    expect(rpowHalfUp(0n, 0n)).toBe(RAY);
    expect(rpowHalfUp(CUT_99, 0n)).toBe(RAY);
    expect(rpowHalfUp(0n, 5n)).toBe(0n);
    expect(rpowHalfUp(0n, MAX_UINT256)).toBe(0n);
  });

  it('returns the base for n = 1 without squaring it', () => {
    expect(rpowHalfUp(MAX_UINT256, 1n)).toBe(MAX_UINT256);
  });

  it('keeps RAY fixed', () => {
    expect(rpowHalfUp(RAY, MAX_UINT256)).toBe(RAY);
  });

  it('computes small powers', () => {
    expect(rpowHalfUp(CUT_99, 2n)).toBe(980_100_000_000_000_000_000_000_000n);
    expect(rpowHalfUp(CUT_99, 4n)).toBe(960_596_010_000_000_000_000_000_000n);
  });

  it('rounds every squaring half up', () => {
    expect(rpowHalfUp(RAY / 2n + 1n, 2n)).toBe(RAY / 4n + 1n);
    expect(rpowHalfUp(1n, 2n)).toBe(0n);
    expect(rpowHalfUp(707_106_781_186_547_524_400_844_362n, 2n)).toBe(500_000_000_000_000_000_000_000_000n);
  });

  it('rounds in the order of squaring, not sequentially', () => {
    expect(rpowHalfUp(CUT_99, 16n)).toBe(851_457_771_094_875_639_645_014_412n);
    expect(sequential(CUT_99, 16)).toBe(851_457_771_094_875_639_645_014_411n);
  });

  it('equals the sequential product up to n = 3', () => {
    for (const x of [1n, 7n, CUT_99, RAY - 1n, RAY, 3n * RAY + 17n]) {
      for (let n = 0; n <= 3; n++) expect(rpowHalfUp(x, BigInt(n))).toBe(sequential(x, n));
    }
  });

  it('decays to zero for a huge exponent', () => {
    expect(rpowHalfUp(CUT_99, MAX_UINT256)).toBe(0n);
  });

  it('throws RPowOverflow where the contract reverts', () => {
    expect(() => rpowHalfUp(1n << 128n, 2n)).toThrow(RayMathOverflowError);
    expect(() => rpowHalfUp(1n << 127n, 3n)).toThrow(/RPowOverflow/);
    const x = (1n << 128n) - 1n;
    expect(rpowHalfUp(x, 2n)).toBe((x * x + RAY / 2n) / RAY);
  });

  it('is exported under its dss name', () => {
    expect(rpow).toBe(rpowHalfUp);
  });
});

describe('linearDecreasePrice', () => {
  const tau = 3600n;

  it('starts at top and reaches 0 at tau', () => {
    expect(linearDecreasePrice(TOP, 0n, tau)).toBe(TOP);
    expect(linearDecreasePrice(TOP, tau / 2n, tau)).toBe(TOP / 2n);
    expect(linearDecreasePrice(TOP, tau - 1n, tau)).toBe(555_555_555_555_555_555n);
    expect(linearDecreasePrice(TOP, tau, tau)).toBe(0n);
    expect(linearDecreasePrice(TOP, MAX_UINT256, tau)).toBe(0n);
  });

  it('returns 0 after tau even for a top that would overflow', () => {
    expect(linearDecreasePrice(MAX_UINT256, tau, tau)).toBe(0n);
    expect(() => linearDecreasePrice(MAX_UINT256, 0n, tau)).toThrow(RayMathOverflowError);
  });

  it('rounds down twice like dss', () => {
    const top = 1_234_567_890_123_456_789_012n;
    expect(linearDecreasePrice(top, 1n, 3n)).toBe(823_045_260_082_304_526_007n);
    expect((top * 2n) / 3n).toBe(823_045_260_082_304_526_008n);
  });

  it('accepts tau in [1, MAX_TAU] only', () => {
    expect(MAX_TAU).toBe(MAX_UINT256 / RAY);
    expect(linearDecreasePrice(TOP, 0n, MAX_TAU)).toBe(TOP);
    expect(linearDecreasePrice(TOP, 0n, 1n)).toBe(TOP);
    expect(() => linearDecreasePrice(TOP, 0n, 0n)).toThrow(CurveParameterError);
    expect(() => linearDecreasePrice(TOP, 0n, MAX_TAU + 1n)).toThrow('TauOutOfRange');
  });

  it('rejects a negative duration', () => {
    expect(() => linearDecreasePrice(TOP, -1n, tau)).toThrow(/dur must be a uint256/);
  });
});

describe('stairstepExponentialDecreasePrice', () => {
  const step = 60n;

  it('holds within a step and drops by cut at each multiple', () => {
    expect(stairstepExponentialDecreasePrice(TOP, 0n, CUT_99, step)).toBe(TOP);
    expect(stairstepExponentialDecreasePrice(TOP, step - 1n, CUT_99, step)).toBe(TOP);
    expect(stairstepExponentialDecreasePrice(TOP, step, CUT_99, step)).toBe(1980n * WAD);
    expect(stairstepExponentialDecreasePrice(TOP, 2n * step - 1n, CUT_99, step)).toBe(1980n * WAD);
    expect(stairstepExponentialDecreasePrice(TOP, 2n * step, CUT_99, step)).toBe(19_602n * 10n ** 17n);
    expect(stairstepExponentialDecreasePrice(TOP, 16n * step, CUT_99, step)).toBe(1_702_915_542_189_751_279_290n);
    expect(stairstepExponentialDecreasePrice(TOP, 17n * step - 1n, CUT_99, step)).toBe(1_702_915_542_189_751_279_290n);
  });

  it('is flat for cut = RAY and decays to 0 for a huge duration', () => {
    expect(stairstepExponentialDecreasePrice(TOP, MAX_UINT256, RAY, 1n)).toBe(TOP);
    expect(stairstepExponentialDecreasePrice(TOP, MAX_UINT256, CUT_99, step)).toBe(0n);
  });

  it('handles a tiny cut', () => {
    expect(stairstepExponentialDecreasePrice(10n ** 36n, 10n, 1n, 10n)).toBe(10n ** 9n);
    expect(stairstepExponentialDecreasePrice(10n ** 36n, 20n, 1n, 10n)).toBe(0n);
  });

  it('handles a huge step', () => {
    expect(stairstepExponentialDecreasePrice(TOP, MAX_UINT256 - 1n, CUT_99, MAX_UINT256)).toBe(TOP);
    expect(stairstepExponentialDecreasePrice(TOP, MAX_UINT256, CUT_99, MAX_UINT256)).toBe(1980n * WAD);
  });

  it('rejects parameters the constructor rejects, cut first', () => {
    expect(() => stairstepExponentialDecreasePrice(TOP, 0n, 0n, step)).toThrow('CutOutOfRange(0)');
    expect(() => stairstepExponentialDecreasePrice(TOP, 0n, RAY + 1n, step)).toThrow(CurveParameterError);
    expect(() => stairstepExponentialDecreasePrice(TOP, 0n, CUT_99, 0n)).toThrow('StepOutOfRange(0)');
    expect(() => stairstepExponentialDecreasePrice(TOP, 0n, 0n, 0n)).toThrow('CutOutOfRange(0)');
  });

  it('throws MulDivFailed for a top that overflows', () => {
    expect(() => stairstepExponentialDecreasePrice(MAX_UINT256, 0n, CUT_99, step)).toThrow(RayMathOverflowError);
  });
});

describe('exponentialDecreasePrice', () => {
  it('decays by cut every second', () => {
    expect(exponentialDecreasePrice(TOP, 0n, CUT_99)).toBe(TOP);
    expect(exponentialDecreasePrice(TOP, 1n, CUT_99)).toBe(1980n * WAD);
    expect(exponentialDecreasePrice(TOP, 16n, CUT_99)).toBe(1_702_915_542_189_751_279_290n);
    expect(exponentialDecreasePrice(TOP, 1_000_000n, 999_999n * 10n ** 21n)).toBe(735_758_514_463_290_188_571n);
  });

  it('equals the stairstep curve with step = 1', () => {
    for (const dur of [0n, 1n, 7n, 16n, 1000n, MAX_UINT256]) {
      expect(exponentialDecreasePrice(TOP, dur, CUT_99)).toBe(stairstepExponentialDecreasePrice(TOP, dur, CUT_99, 1n));
    }
  });

  it('handles cut bounds', () => {
    expect(exponentialDecreasePrice(TOP, MAX_UINT256, RAY)).toBe(TOP);
    expect(exponentialDecreasePrice(10n ** 36n, 1n, 1n)).toBe(10n ** 9n);
    expect(exponentialDecreasePrice(10n ** 36n, 2n, 1n)).toBe(0n);
    expect(() => exponentialDecreasePrice(TOP, 0n, 0n)).toThrow('CutOutOfRange');
    expect(() => exponentialDecreasePrice(TOP, 0n, RAY + 1n)).toThrow('CutOutOfRange');
  });
});

describe('curvePrice', () => {
  const linear: Curve = { kind: 'LinearDecrease', tau: 3600n };
  const stairs: Curve = { kind: 'StairstepExponentialDecrease', cut: CUT_99, step: 60n };
  const exponential: Curve = { kind: 'ExponentialDecrease', cut: CUT_99 };
  const curves = [linear, stairs, exponential];

  it('dispatches on the kind', () => {
    expect(curvePrice(linear, TOP, 1800n)).toBe(linearDecreasePrice(TOP, 1800n, 3600n));
    expect(curvePrice(stairs, TOP, 1800n)).toBe(stairstepExponentialDecreasePrice(TOP, 1800n, CUT_99, 60n));
    expect(curvePrice(exponential, TOP, 1800n)).toBe(exponentialDecreasePrice(TOP, 1800n, CUT_99));
  });

  it('never rises and never exceeds top', () => {
    for (const curve of curves) {
      let prev = TOP;
      for (let dur = 0n; dur <= 4000n; dur += 7n) {
        const p = curvePrice(curve, TOP, dur);
        expect(p).toBeLessThanOrEqual(prev);
        prev = p;
      }
    }
  });

  it('throws on an unknown kind', () => {
    expect(() => curvePrice({ kind: 'Nope' } as unknown as Curve, TOP, 0n)).toThrow(/unknown curve kind: Nope/);
  });

  it('validates parameters', () => {
    for (const curve of curves) {
      expect(() => {
        validateCurve(curve);
      }).not.toThrow();
    }
    expect(() => {
      validateCurve({ kind: 'LinearDecrease', tau: 0n });
    }).toThrow('TauOutOfRange(0)');
    expect(() => {
      validateCurve({ kind: 'ExponentialDecrease', cut: RAY + 1n });
    }).toThrow(CurveParameterError);
    expect(() => {
      validateCurve({ kind: 'StairstepExponentialDecrease', cut: RAY, step: 0n });
    }).toThrow('StepOutOfRange(0)');
  });
});
