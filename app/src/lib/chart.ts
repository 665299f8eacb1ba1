// Geometry of the price-vs-time chart (an SVG drawn by hand): the curve sampled from the tier,
// the market price line, the floor and the takes, mapped into a viewBox.
import { priceAt, type Tier } from './auction.ts';

export interface ChartPoint {
  t: bigint;
  price: bigint;
}

export interface ChartBox {
  width: number;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
}

/** Samples the curve from `start` to `end` (chain seconds) in `n` steps, plus every stair edge it can see. */
export function sampleCurve(tier: Tier, top: bigint, start: bigint, end: bigint, n = 120): ChartPoint[] {
  const span = end > start ? end - start : 1n;
  const out: ChartPoint[] = [];
  for (let i = 0; i <= n; i++) {
    const t = start + (span * BigInt(i)) / BigInt(n);
    const p = priceAt(tier, top, start, t);
    const prev = out[out.length - 1];
    // Keep stair steps square: repeat the previous price at this time before dropping.
    if (prev && p !== prev.price && tier.kind === 2) out.push({ t, price: prev.price });
    out.push({ t, price: p });
  }
  return out;
}

export interface Scale {
  x: (t: bigint) => number;
  y: (price: bigint) => number;
}

/** Linear scales from (t, price) to the box; floats for pixels only. */
export function makeScale(box: ChartBox, t0: bigint, t1: bigint, maxPrice: bigint): Scale {
  const w = box.width - box.pad.left - box.pad.right;
  const h = box.height - box.pad.top - box.pad.bottom;
  const span = Number(t1 > t0 ? t1 - t0 : 1n);
  const max = maxPrice > 0n ? maxPrice : 1n;
  return {
    x: (t) => box.pad.left + (Number(t - t0) / span) * w,
    // Price ratio in 1e6 steps keeps precision for WAD values far beyond 2^53.
    y: (price) => box.pad.top + h - (Number((price * 1_000_000n) / max) / 1_000_000) * h,
  };
}

/** An SVG path through the points. */
export function pathOf(points: readonly ChartPoint[], s: Scale): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${s.x(p.t).toFixed(1)},${s.y(p.price).toFixed(1)}`).join(' ');
}
