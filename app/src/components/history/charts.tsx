'use client';
// Charts of indexed history (recharts). Amounts are bigint until here; a chart plots numbers, so
// each point is converted once for display only.
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimePoint } from '../../lib/series';

export type { TimePoint };

const AXIS = { stroke: '#8a94a7', fontSize: 11 } as const;
const GRID = '#1f2735';
const TOOLTIP = { contentStyle: { background: '#121723', border: '1px solid #1f2735', fontSize: 12 }, labelStyle: { color: '#8a94a7' } } as const;

/** WAD to a float for plotting only. */
export function wadToNumber(wad: bigint): number {
  return Number(wad / 10n ** 12n) / 1e6;
}

function clock(t: number): string {
  return new Date(t * 1000).toISOString().slice(11, 19);
}

/** A step line over time (bad debt, health). `reference`: a horizontal level (health 1). */
export function StepChart({ points, label, color = '#7c9cff', testId, height = 200, digits = 0 }: { points: TimePoint[]; label: string; color?: string; testId: string; height?: number; digits?: number }) {
  return (
    <div data-testid={testId} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={clock} tick={AXIS} stroke={GRID} minTickGap={40} />
          <YAxis tick={AXIS} stroke={GRID} width={64} tickFormatter={(v: number) => v.toLocaleString('en-US', { maximumFractionDigits: digits })} />
          <Tooltip {...TOOLTIP} labelFormatter={(t) => clock(Number(t))} formatter={(v) => [Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }), label]} />
          <Line type="stepAfter" dataKey="value" stroke={color} strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Counts per time bucket (liquidations per minute). */
export function BucketChart({ points, label, testId, height = 200 }: { points: TimePoint[]; label: string; testId: string; height?: number }) {
  return (
    <div data-testid={testId} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="t" tickFormatter={clock} tick={AXIS} stroke={GRID} minTickGap={40} />
          <YAxis allowDecimals={false} tick={AXIS} stroke={GRID} width={40} />
          <Tooltip {...TOOLTIP} labelFormatter={(t) => clock(Number(t))} formatter={(v) => [String(v), label]} />
          <Bar dataKey="value" fill="#fbbf24" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
