// The parameter sweep (`npm run stress -- --sweep <name>`): a file in lab/sweeps/ names a template
// mechanism and a list of points; each point becomes a mechanism (the template with every ilk's tier
// table replaced by one tier built from the point), and the whole list runs as one matrix against
// every scenario, side by side with the baseline mechanism, on the same seeded markets. The table
// scores each point against the issue's targets: bad debt and owners' loss no worse than the
// baseline on every scenario, mean clearing ÷ market ≥ 97% over all bidders' takes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fromWad } from './market.ts';
import type { Metrics } from './ledger.ts';
import { type Mechanism, labRoot } from './schema.ts';

const tierFields = z
  .object({
    curve: z.string(),
    cutRay: z.string(),
    periodSeconds: z.string(),
    tailSeconds: z.string(),
    floorWad: z.string(),
    startPremiumBps: z.string(),
  })
  .partial();
type TierFields = z.infer<typeof tierFields>;

export const sweepSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  /** The mechanism whose incentives (redo, takeover) every point keeps. */
  template: z.string().min(1),
  /** The mechanism every point is compared with, run in the same matrix. */
  baseline: z.string().min(1),
  /** Per ilk: the tier every point starts from (one tier for every tab). */
  defaults: z.record(z.string(), tierFields),
  points: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9-]+$/),
        /** Applied to every ilk's tier. */
        all: tierFields.default({}),
        /** Applied after `all`, per ilk. */
        ilks: z.record(z.string(), tierFields).default({}),
        why: z.string().min(1),
      }),
    )
    .min(1),
  /** Target of the mean clearing price ÷ market over every bidder's take of every scenario. */
  clearingTarget: z.number().positive().max(1).default(0.97),
});
export type Sweep = z.infer<typeof sweepSchema>;

export function loadSweep(name: string, dir = path.join(labRoot, 'sweeps')): Sweep {
  const raw: unknown = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  const r = sweepSchema.safeParse(raw);
  if (!r.success) throw new Error(`sweep ${name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** The mechanisms of a sweep's points: the template with one tier per ilk (`maxTab` "max"). */
export function sweepMechanisms(sweep: Sweep, template: Mechanism): Mechanism[] {
  return sweep.points.map((p) => {
    const ilks: Record<string, Record<string, unknown>> = {};
    for (const [ilk, sections] of Object.entries(template.ilks)) {
      const auction = sections.auction as Record<string, unknown> | undefined;
      if (!auction) throw new Error(`template ${template.name}: ${ilk} has no auction section`);
      const tier: TierFields & { maxTab: string } = { maxTab: 'max', ...sweep.defaults[ilk], ...p.all, ...p.ilks[ilk] };
      ilks[ilk] = { ...sections, auction: { ...auction, tiers: [tier] } };
    }
    return {
      name: `${sweep.name}-${p.name}`,
      title: `sweep ${sweep.name}, point ${p.name}`,
      sources: [`lab/sweeps/${sweep.name}.json, point ${p.name}: ${p.why}`],
      notes: p.why,
      ilks,
      global: template.global,
    };
  });
}

/** Σ paid and Σ (collateral × market) over a cell's bidders' takes, whole gUSD. */
function takeSums(m: Metrics): { paid: number; value: number } {
  const paid = m.takesList.filter((t) => !t.byFund).reduce((s, t) => s + fromWad(t.owe), 0);
  return { paid, value: m.clearingMean ? paid / m.clearingMean : 0 };
}

export interface PointScore {
  readonly mechanism: string;
  /** Σ paid ÷ Σ market value over every bidder's take of every scenario. */
  readonly clearingPooled?: number;
  readonly badDebtOk: number;
  readonly ownerLossOk: number;
  readonly scenarios: number;
  readonly badDebtTotal: number;
  readonly ownerLossTotal: number;
  readonly debtLeftTotal: number;
  readonly takenOver: number;
  readonly meetsAll: boolean;
}

/** Tolerance of the "no worse than the baseline" comparisons, whole gUSD (the incentives' rounding). */
const TOLERANCE_GUSD = 1;

export function scorePoints(rows: readonly Metrics[], mechanisms: readonly string[], baseline: string, target: number): PointScore[] {
  const base = new Map(rows.filter((m) => m.mechanism === baseline).map((m) => [m.scenario, m]));
  return mechanisms.map((name) => {
    const mine = rows.filter((m) => m.mechanism === name);
    let paid = 0;
    let value = 0;
    for (const m of mine) {
      const s = takeSums(m);
      paid += s.paid;
      value += s.value;
    }
    const badDebtOk = mine.filter((m) => m.badDebt <= (base.get(m.scenario)?.badDebt ?? Infinity) + TOLERANCE_GUSD).length;
    const ownerLossOk = mine.filter((m) => m.ownerLossBeyondTab <= (base.get(m.scenario)?.ownerLossBeyondTab ?? Infinity) + TOLERANCE_GUSD).length;
    const clearingPooled = value > 0 ? paid / value : undefined;
    return {
      mechanism: name,
      ...(clearingPooled === undefined ? {} : { clearingPooled }),
      badDebtOk,
      ownerLossOk,
      scenarios: mine.length,
      badDebtTotal: mine.reduce((s, m) => s + m.badDebt, 0),
      ownerLossTotal: mine.reduce((s, m) => s + m.ownerLossBeyondTab, 0),
      debtLeftTotal: mine.reduce((s, m) => s + m.debtLeft, 0),
      takenOver: mine.reduce((s, m) => s + m.takenOver, 0),
      meetsAll: badDebtOk === mine.length && ownerLossOk === mine.length && (clearingPooled ?? 0) >= target,
    };
  });
}

const g = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (x: number | undefined): string => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** The sweep's markdown: the score of every point, then bad debt / clearing / owners' loss per scenario. */
export function sweepReport(sweep: Sweep, rows: readonly Metrics[], mechanisms: readonly Mechanism[], seconds: number): string {
  const names = mechanisms.map((m) => m.name);
  const scores = scorePoints(rows, names, sweep.baseline, sweep.clearingTarget);
  const scenarios = [...new Set(rows.map((m) => m.scenario))];
  const cell = (mech: string, sc: string): Metrics | undefined => rows.find((m) => m.mechanism === mech && m.scenario === sc);
  const out: string[] = [];
  out.push(`# Sweep ${sweep.name}`);
  out.push('');
  out.push(`${sweep.title}. Generated by \`npm run stress -- --sweep ${sweep.name}\` (lab/sweeps/${sweep.name}.json): ${sweep.points.length} points and the baseline \`${sweep.baseline}\` × ${scenarios.length} scenarios on the real contracts on anvil, seeded markets (the scenarios' seeds), ${seconds.toFixed(0)} s wall clock. Every point is one tier per ilk (all tabs) with the template \`${sweep.template}\`'s incentives.`);
  out.push('');
  out.push(`Targets: bad debt ≤ the baseline's on every scenario; owners' loss beyond tab ≤ the baseline's on every scenario; mean clearing ÷ market ≥ ${pct(sweep.clearingTarget)} over every bidder's take of every scenario (pooled, value-weighted).`);
  out.push('');
  out.push('| point | pooled clearing ÷ market | bad debt ≤ baseline | owners\' loss ≤ baseline | Σ bad debt | Σ owners\' loss beyond tab | Σ debt left in auctions | lots taken over | all targets |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of scores) {
    out.push(`| ${s.mechanism} | ${pct(s.clearingPooled)} | ${s.badDebtOk}/${s.scenarios} | ${s.ownerLossOk}/${s.scenarios} | ${g(s.badDebtTotal)} | ${g(s.ownerLossTotal)} | ${g(s.debtLeftTotal)} | ${s.takenOver} | ${s.meetsAll ? 'yes' : 'no'} |`);
  }
  out.push('');
  for (const [title, f] of [
    ['Bad debt (whole gUSD)', (m: Metrics) => g(m.badDebt)],
    ['Mean clearing ÷ market (bidders\' takes)', (m: Metrics) => pct(m.clearingMean)],
    ['Owners\' loss beyond tab (whole gUSD)', (m: Metrics) => g(m.ownerLossBeyondTab)],
    ['Sold / taken over / left', (m: Metrics) => `${m.sold} / ${m.takenOver} / ${m.left}`],
  ] as const) {
    out.push(`## ${title}`);
    out.push('');
    out.push(`| point | ${scenarios.join(' | ')} |`);
    out.push(`| --- | ${scenarios.map(() => '---').join(' | ')} |`);
    for (const name of [sweep.baseline, ...names]) {
      out.push(`| ${name} | ${scenarios.map((sc) => { const m = cell(name, sc); return m ? f(m) : '—'; }).join(' | ')} |`);
    }
    out.push('');
  }
  out.push('## Points');
  out.push('');
  for (const p of sweep.points) {
    out.push(`- **${sweep.name}-${p.name}** — ${JSON.stringify({ ...p.all, ...(Object.keys(p.ilks).length > 0 ? { ilks: p.ilks } : {}) })}: ${p.why}`);
  }
  out.push(`- defaults per ilk: ${JSON.stringify(sweep.defaults)}`);
  out.push('');
  return out.join('\n');
}
