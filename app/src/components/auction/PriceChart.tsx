'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { auctionTick, floorPrice, redoAt, type Tier } from '../../lib/auction';
import { makeScale, pathOf, sampleCurve, type ChartBox } from '../../lib/chart';
import { formatDuration, formatWad } from '../../lib/format';
import type { TakePoint } from '../../queries/auction';

/** Width before the first measurement (and the server render). */
const DEFAULT_WIDTH = 720;
/** Below this width the chart is a phone chart: shorter, three time labels. */
const NARROW_WIDTH = 520;
/** Axis label size in CSS pixels: the SVG is drawn at its real width, so this is what the eye sees. */
const LABEL_PX = 11;

/** The chart box at the measured width: 1 SVG unit = 1 CSS pixel. */
function boxFor(width: number): ChartBox {
  const narrow = width < NARROW_WIDTH;
  return { width, height: narrow ? 220 : 280, pad: { left: 56, right: 12, top: 16, bottom: 26 } };
}

/** The element's content width, followed with a ResizeObserver. */
function useWidth<T extends Element>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
    };
  }, []);
  return [ref, width];
}

/** Price against time: the curve, the floor, the market price, the takes so far and now. */
export function PriceChart({
  tier,
  sale,
  mark,
  takes,
  now,
}: {
  tier: Tier;
  sale: { top: bigint; startedAt: bigint };
  mark: bigint;
  takes: TakePoint[];
  now: bigint;
}) {
  const [ref, width] = useWidth<HTMLElement>();
  const BOX = useMemo(() => boxFor(width), [width]);
  const geo = useMemo(() => {
    const t0 = sale.startedAt;
    const due = redoAt(tier, sale);
    const t1 = (due > now + 30n ? due : now + 30n) + 10n;
    const maxPrice = ((sale.top > mark ? sale.top : mark) * 105n) / 100n;
    const scale = makeScale(BOX, t0, t1, maxPrice);
    const curve = pathOf(sampleCurve(tier, sale.top, t0, t1, 160), scale);
    return { t0, t1, maxPrice, scale, curve, floor: floorPrice(tier, sale.top), due };
  }, [tier, sale, mark, now, BOX]);
  const { scale, t0, t1, maxPrice } = geo;
  const tick = auctionTick(tier, sale, now);
  const yTicks = [0n, 1n, 2n, 3n, 4n].map((i) => (maxPrice * i) / 4n);
  const xSteps = BigInt(width < NARROW_WIDTH ? 2 : 4);
  const xTicks = Array.from({ length: Number(xSteps) + 1 }, (_, i) => t0 + ((t1 - t0) * BigInt(i)) / xSteps);
  const visibleTakes = takes.filter((t) => t.timestamp >= t0 && t.timestamp <= t1);
  return (
    <figure data-testid="price-chart" ref={ref}>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} width={BOX.width} height={BOX.height} className="block max-w-full" role="img" aria-label="Auction price over time">
        {yTicks.map((p) => (
          <g key={`y${p}`}>
            <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={scale.y(p)} y2={scale.y(p)} stroke="#1f2735" />
            <text x={BOX.pad.left - 6} y={scale.y(p) + 4} textAnchor="end" fontSize={LABEL_PX} fill="#8a94a7" data-testid="chart-label">
              {formatWad(p, 0)}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          // First label starts at its tick, last ends at it: neither is clipped by the box.
          <text key={`x${t}`} x={scale.x(t)} y={BOX.height - 8} textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'} fontSize={LABEL_PX} fill="#8a94a7" data-testid="chart-label">
            +{formatDuration(t - t0)}
          </text>
        ))}
        {geo.floor > 0n && (
          <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={scale.y(geo.floor)} y2={scale.y(geo.floor)} stroke="#fbbf24" strokeDasharray="2 4" />
        )}
        {mark > 0n && (
          <g data-testid="chart-market-line">
            <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={scale.y(mark)} y2={scale.y(mark)} stroke="#34d399" strokeDasharray="6 4" />
            <text x={BOX.width - BOX.pad.right - 4} y={scale.y(mark) - 4} textAnchor="end" fontSize={LABEL_PX} fill="#34d399">
              market {formatWad(mark)}
            </text>
          </g>
        )}
        <path d={geo.curve} fill="none" stroke="#7c9cff" strokeWidth="2" data-testid="chart-curve" />
        <line x1={scale.x(now)} x2={scale.x(now)} y1={BOX.pad.top} y2={BOX.height - BOX.pad.bottom} stroke="#e2e8f0" strokeOpacity="0.35" />
        <circle cx={scale.x(now)} cy={scale.y(tick.price)} r="5" fill="#7c9cff" stroke="#0b0e14" strokeWidth="2" />
        {visibleTakes.map((t) => (
          <circle key={t.key} cx={scale.x(t.timestamp)} cy={scale.y(t.price)} r="4.5" fill="#34d399" stroke="#0b0e14" strokeWidth="1.5" data-testid="chart-take">
            <title>
              Take at {formatWad(t.price)}: {formatWad(t.owe)} gUSD
            </title>
          </circle>
        ))}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-muted">
        <span><span className="text-accent">━</span> price curve</span>
        <span><span className="text-good">┅</span> market (mark) price</span>
        <span><span className="text-warn">┄</span> floor (redo below)</span>
        <span><span className="text-good">●</span> takes</span>
        <span>redo due at +{formatDuration(geo.due - t0)}</span>
      </figcaption>
    </figure>
  );
}
