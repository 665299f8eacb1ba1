import { describe, expect, it } from 'vitest';
import { untilNow } from './series.ts';

describe('untilNow', () => {
  const points = [
    { t: 100, value: 1.67 },
    { t: 160, value: 1.38 },
  ];
  it('carries the last value on to now, so the last step has a width', () => {
    expect(untilNow(points, 400n)).toEqual([...points, { t: 400, value: 1.38 }]);
  });
  it('adds nothing before the chain clock is known, at or before the last point, or to an empty series', () => {
    expect(untilNow(points, undefined)).toBe(points);
    expect(untilNow(points, 160n)).toBe(points);
    expect(untilNow(points, 150n)).toBe(points);
    expect(untilNow([], 400n)).toEqual([]);
  });
});
