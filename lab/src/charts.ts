// Charts per scenario with Vega-Lite, rendered headless: SVG by vega's own renderer, PNG from that SVG
// by resvg (a prebuilt npm binary; system fonts, nothing downloaded). Top row: the collateral that
// moves most — market, mark and pool price, and every take and takeover at its clearing price; bottom
// row: bad debt on the books; one column per mechanism.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { fromWad } from './market.ts';
import type { Metrics } from './ledger.ts';
import type { Scenario } from './schema.ts';
import type { Sample } from './sim.ts';

export interface ChartRun {
  readonly mechanism: string;
  readonly samples: readonly Sample[];
  readonly metrics: Metrics;
}

/** The ilk whose path moves furthest from its start (ties: the first). */
export function mainIlk(sc: Scenario): string {
  let best = 'ETH-A';
  let move = -1;
  for (const [name, m] of Object.entries(sc.market)) {
    const values = m.path.map((p) => p[1]);
    const faults = m.oracle.faults.map((f) => f.multiple);
    const d = Math.max(...[...values, ...faults].map((v) => Math.abs(Math.log(v))));
    if (d > move) {
      move = d;
      best = name;
    }
  }
  return best;
}

export function chartSpec(sc: Scenario, runs: readonly ChartRun[]): TopLevelSpec {
  const ilk = mainIlk(sc);
  const minutes = (t: number, t0: number): number => (t - t0) / 60;
  const prices: Record<string, unknown>[] = [];
  const debt: Record<string, unknown>[] = [];
  for (const r of runs) {
    const t0 = r.samples[0]?.timestamp ?? 0;
    for (const s of r.samples) {
      const minute = minutes(s.timestamp, t0);
      prices.push({ mechanism: r.mechanism, minute, series: 'market', price: s.truth[ilk] });
      prices.push({ mechanism: r.mechanism, minute, series: 'mark (oracle)', price: s.mark[ilk] });
      prices.push({ mechanism: r.mechanism, minute, series: 'DEX pool', price: s.pool[ilk] });
      debt.push({ mechanism: r.mechanism, minute, series: 'bad debt on the books', gusd: s.badDebt });
      debt.push({ mechanism: r.mechanism, minute, series: 'tab in live auctions', gusd: s.debtInAuctions });
    }
    for (const t of r.metrics.takesList) {
      if (t.ilk !== ilk) continue;
      prices.push({ mechanism: r.mechanism, minute: minutes(t.timestamp, t0), series: t.byFund ? 'fund takeover' : 'take', price: fromWad(t.price) });
    }
  }
  const color = {
    field: 'series',
    type: 'nominal' as const,
    legend: { labelLimit: 220, title: null },
    scale: {
      domain: ['market', 'mark (oracle)', 'DEX pool', 'take', 'fund takeover', 'bad debt on the books', 'tab in live auctions'],
      range: ['#222222', '#1f77b4', '#aaaaaa', '#2ca02c', '#d62728', '#d62728', '#ff9f1c'],
    },
  };
  const x = { field: 'minute', type: 'quantitative' as const, title: 'minutes' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${sc.name}: ${ilk}`, subtitle: sc.title },
    config: { font: 'DejaVu Sans', view: { stroke: '#dddddd' } },
    vconcat: [
      {
        data: { values: prices },
        facet: { column: { field: 'mechanism', type: 'nominal', title: null } },
        spec: {
          width: 360,
          height: 220,
          layer: [
            { transform: [{ filter: "datum.series === 'market' || datum.series === 'mark (oracle)' || datum.series === 'DEX pool'" }], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'price', type: 'quantitative', title: `${ilk} price (gUSD)`, scale: { zero: false } }, color } },
            { transform: [{ filter: "datum.series === 'take' || datum.series === 'fund takeover'" }], mark: { type: 'point', filled: true, size: 28 }, encoding: { x, y: { field: 'price', type: 'quantitative' }, color } },
          ],
        },
      },
      {
        data: { values: debt },
        facet: { column: { field: 'mechanism', type: 'nominal', title: null } },
        spec: {
          width: 360,
          height: 140,
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: { x, y: { field: 'gusd', type: 'quantitative', title: 'gUSD' }, color },
        },
      },
    ],
  };
}

/** Writes `<dir>/<scenario>.svg` and `.png`; returns the two paths. */
export async function writeChart(dir: string, sc: Scenario, runs: readonly ChartRun[]): Promise<string[]> {
  const spec = compile(chartSpec(sc, runs)).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  const svgPath = path.join(dir, `${sc.name}.svg`);
  const pngPath = path.join(dir, `${sc.name}.png`);
  writeFileSync(svgPath, svg);
  writeFileSync(pngPath, png);
  return [svgPath, pngPath];
}
