'use client';
import { useMemo } from 'react';
import { auctionTick, floorPrice, redoAt, type Tier } from '../../lib/auction';
import { makeScale, pathOf, sampleCurve, type ChartBox } from '../../lib/chart';
import { formatDuration, formatWad } from '../../lib/format';
import type { TakePoint } from '../../queries/auction';

const BOX: ChartBox = { width: 720, height: 280, pad: { left: 64, right: 16, top: 16, bottom: 28 } };

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
  const geo = useMemo(() => {
    const t0 = sale.startedAt;
    const due = redoAt(tier, sale);
    const t1 = (due > now + 30n ? due : now + 30n) + 10n;
    const maxPrice = ((sale.top > mark ? sale.top : mark) * 105n) / 100n;
    const scale = makeScale(BOX, t0, t1, maxPrice);
    const curve = pathOf(sampleCurve(tier, sale.top, t0, t1, 160), scale);
    return { t0, t1, maxPrice, scale, curve, floor: floorPrice(tier, sale.top), due };
  }, [tier, sale, mark, now]);
  const { scale, t0, t1, maxPrice } = geo;
  const tick = auctionTick(tier, sale, now);
  const yTicks = [0n, 1n, 2n, 3n, 4n].map((i) => (maxPrice * i) / 4n);
  const xTicks = [0n, 1n, 2n, 3n, 4n].map((i) => t0 + ((t1 - t0) * i) / 4n);
  const visibleTakes = takes.filter((t) => t.timestamp >= t0 && t.timestamp <= t1);
  return (
    <figure data-testid="price-chart">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="h-auto w-full" role="img" aria-label="Auction price over time">
        {yTicks.map((p) => (
          <g key={`y${p}`}>
            <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={scale.y(p)} y2={scale.y(p)} stroke="#1f2735" />
            <text x={BOX.pad.left - 6} y={scale.y(p) + 4} textAnchor="end" fontSize="10" fill="#8a94a7">
              {formatWad(p, 0)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={scale.x(t)} y={BOX.height - 8} textAnchor="middle" fontSize="10" fill="#8a94a7">
            +{formatDuration(t - t0)}
          </text>
        ))}
        {geo.floor > 0n && (
          <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={scale.y(geo.floor)} y2={scale.y(geo.floor)} stroke="#fbbf24" strokeDasharray="2 4" />
        )}
        {mark > 0n && (
          <g data-testid="chart-market-line">
            <line x1={BOX.pad.left} x2={BOX.width - BOX.pad.right} y1={scale.y(mark)} y2={scale.y(mark)} stroke="#34d399" strokeDasharray="6 4" />
            <text x={BOX.width - BOX.pad.right - 4} y={scale.y(mark) - 4} textAnchor="end" fontSize="10" fill="#34d399">
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
