// `npm run stress`: the crash lab's CLI. Runs every scenario × mechanism (or the ones named), prints the
// table, writes bench-results/stress/{report.md,results.json,<scenario>.svg,.png}.
//   npm run stress -- [--scenarios a,b] [--mechanisms x,y] [--jobs 2] [--out dir] [--publish]
//   npm run stress -- --sweep <name> [--scenarios a,b] [--jobs 2] [--publish]
//   npm run stress -- --margin [--scenarios a,b] [--mechanisms adaptive-tuned] [--book file] [--jobs 2] [--publish]
// --publish also writes docs/stress-report.md and docs/stress/<scenario>.png (the committed copy); with
// --sweep, lab/sweeps/<name>.md (the sweep's committed table); with --margin, docs/portfolio-lab.md.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@gavel/contracts/testing';
import { writeChart } from './charts.ts';
import { MARGIN_MODELS, type MarginCell, marginReport, marginRows, marginTable, unsoundMargin } from './margin.ts';
import { runMatrix } from './matrix.ts';
import { markdownReport, terminalTable } from './report.ts';
import { type MarginBook, type Scenario, labRoot, loadMarginBook, loadMechanisms, loadScenarios } from './schema.ts';
import { loadSweep, sweepMechanisms, sweepReport } from './sweep.ts';

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

function pick<T extends { name: string }>(all: readonly T[], wanted: string | undefined, what: string): T[] {
  if (!wanted) return [...all];
  const names = wanted.split(',').map((s) => s.trim()).filter(Boolean);
  return names.map((n) => {
    const found = all.find((x) => x.name === n);
    if (!found) throw new UsageError(`unknown ${what} ${n} (have: ${all.map((x) => x.name).join(', ')})`);
    return found;
  });
}

class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const scenarios = pick(loadScenarios(), option(argv, 'scenarios'), 'scenario');
    const sweepName = option(argv, 'sweep');
    if (sweepName !== undefined) return await runSweep(argv, sweepName, scenarios);
    if (argv.includes('--margin')) return await runMarginComparison(argv, scenarios);
    const mechanisms = pick(loadMechanisms(), option(argv, 'mechanisms'), 'mechanism');
    const jobs = Number(option(argv, 'jobs') ?? '2');
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs must be a positive integer');
    const out = path.resolve(option(argv, 'out') ?? path.join(repoRoot, 'bench-results', 'stress'));
    mkdirSync(out, { recursive: true });
    const t0 = performance.now();
    const log = (s: string): void => {
      process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s  ${s}\n`);
    };
    log(`${scenarios.length} scenarios × ${mechanisms.length} mechanisms, ${jobs} chains at a time`);
    const cells = await runMatrix(scenarios, mechanisms, jobs, log);
    const charts: string[] = [];
    for (const sc of scenarios) {
      const runs = cells.filter((c) => c.scenario === sc).map((c) => ({ mechanism: c.mechanism.name, samples: c.result.samples, metrics: c.metrics }));
      if (runs.length === 0) continue;
      await writeChart(out, sc, runs);
      charts.push(sc.name);
    }
    const rows = cells.map((c) => c.metrics);
    const seconds = (performance.now() - t0) / 1000;
    const report = markdownReport({ rows, scenarios, mechanisms, seconds, jobs, charts });
    writeFileSync(path.join(out, 'report.md'), report);
    if (argv.includes('--publish')) publish(out, report, charts);
    writeFileSync(
      path.join(out, 'results.json'),
      `${JSON.stringify(cells.map((c) => ({ ...c.metrics, seconds: c.seconds, gasUsed: c.metrics.gasUsed.toString(), takesList: undefined, auctions: undefined })), null, 2)}\n`,
    );
    process.stdout.write(`${terminalTable(rows)}\n\n`);
    process.stdout.write(`report, charts and results in ${path.relative(process.cwd(), out) || '.'} (${seconds.toFixed(0)} s)\n`);
    const unsound = rows.filter((m) => m.infraReverts > 0 || Math.abs(m.badDebt - m.badDebtFromEvents) > 1e-6);
    if (unsound.length > 0) {
      process.stderr.write(`gavel-stress: the books disagree with the event ledger, or the market's own transactions reverted, in: ${unsound.map((m) => `${m.scenario}×${m.mechanism}`).join(', ')}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gavel-stress: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** `--sweep <name>`: the sweep's points and its baseline as one matrix; the scored table. */
async function runSweep(argv: readonly string[], name: string, scenarios: readonly Scenario[]): Promise<number> {
  let sweep;
  try {
    sweep = loadSweep(name);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const all = loadMechanisms();
  const template = pick(all, sweep.template, 'mechanism')[0];
  const baseline = pick(all, sweep.baseline, 'mechanism')[0];
  if (!template || !baseline) throw new UsageError('template and baseline must name mechanisms');
  const points = sweepMechanisms(sweep, template);
  const jobs = Number(option(argv, 'jobs') ?? '2');
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs must be a positive integer');
  const out = path.resolve(option(argv, 'out') ?? path.join(repoRoot, 'bench-results', 'stress'));
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const log = (s: string): void => {
    process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s  ${s}\n`);
  };
  log(`sweep ${name}: ${points.length} points + ${baseline.name} × ${scenarios.length} scenarios, ${jobs} chains at a time`);
  const cells = await runMatrix(scenarios, [baseline, ...points], jobs, log);
  const rows = cells.map((c) => c.metrics);
  const report = sweepReport(sweep, rows, points, (performance.now() - t0) / 1000);
  writeFileSync(path.join(out, `sweep-${name}.md`), report);
  writeFileSync(
    path.join(out, `sweep-${name}.json`),
    `${JSON.stringify(rows.map((m) => ({ ...m, gasUsed: m.gasUsed.toString(), takesList: undefined, auctions: undefined })), null, 2)}\n`,
  );
  if (argv.includes('--publish')) writeFileSync(path.join(labRoot, 'sweeps', `${name}.md`), report);
  process.stdout.write(`${report}\n`);
  return rows.some((m) => m.infraReverts > 0 || Math.abs(m.badDebt - m.badDebtFromEvents) > 1e-6) ? 1 : 0;
}

/** The margin mechanisms when `--mechanisms` names none: the tuned tiers the sweep chose (lab/README.md), and the demo tiers (the only ones that clear the demo crash's compressed clock). */
const MARGIN_MECHANISMS = 'adaptive-tuned,gavel-demo';

/** `--margin`: every scenario twice per mechanism (the book as isolated vaults, then as portfolios); one row per scenario. */
async function runMarginComparison(argv: readonly string[], scenarios: readonly Scenario[]): Promise<number> {
  const mechanisms = pick(loadMechanisms(), option(argv, 'mechanisms') ?? MARGIN_MECHANISMS, 'mechanism');
  let book: MarginBook;
  try {
    const file = option(argv, 'book');
    book = file ? loadMarginBook(path.resolve(file)) : loadMarginBook();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const jobs = Number(option(argv, 'jobs') ?? '2');
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs must be a positive integer');
  const out = path.resolve(option(argv, 'out') ?? path.join(repoRoot, 'bench-results', 'stress'));
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const log = (s: string): void => {
    process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s  ${s}\n`);
  };
  log(`margin comparison: ${scenarios.length} scenarios × ${mechanisms.length} mechanisms × ${MARGIN_MODELS.join('/')}, ${book.borrowers.length} borrowers, ${jobs} chains at a time`);
  const cells = await runMatrix(scenarios, mechanisms, jobs, log, { book, models: MARGIN_MODELS });
  const seconds = (performance.now() - t0) / 1000;
  const runs = mechanisms.map((m) => ({ mechanism: m.name, cells: cells.filter((c) => c.mechanism === m && c.margin).map((c) => c.margin as MarginCell) }));
  for (const run of runs) process.stdout.write(`${run.mechanism}\n${marginTable(marginRows(run.cells), false)}\n\n`);
  const report = marginReport({ runs, book, seconds, jobs, source: contractsSource() });
  writeFileSync(path.join(out, 'margin.md'), report);
  writeFileSync(
    path.join(out, 'margin.json'),
    `${JSON.stringify(cells.map((c) => ({ ...c.margin?.metrics, reconciliation: c.margin?.reconciliation, seconds: c.seconds, run: { ...c.metrics, takesList: undefined, auctions: undefined } })), (_k, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? (Object.fromEntries(v) as unknown) : v), 2)}\n`,
  );
  if (argv.includes('--publish')) writeFileSync(path.join(repoRoot, 'docs', 'portfolio-lab.md'), report);
  process.stdout.write(`margin report in ${path.relative(process.cwd(), path.join(out, 'margin.md')) || '.'} (${seconds.toFixed(0)} s)\n`);
  const unsound = [
    ...cells.filter((c) => c.metrics.infraReverts > 0 || Math.abs(c.metrics.badDebt - c.metrics.badDebtFromEvents) > 1e-6).map((c) => `${c.scenario.name}×${c.margin?.metrics.model ?? '?'}: books vs event ledger`),
    ...unsoundMargin(cells.flatMap((c) => (c.margin ? [c.margin] : []))),
  ];
  if (unsound.length > 0) {
    process.stderr.write(`gavel-stress: unsound margin runs: ${unsound.join('; ')}\n`);
    return 1;
  }
  return 0;
}

/** The commit the contracts were deployed from, and whether contracts/ had uncommitted changes (for the margin report). */
function contractsSource(): string | undefined {
  const git = (args: string[]): string | undefined => {
    const r = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (!head) return undefined;
  const dirty = git(['status', '--porcelain', '--', 'contracts']);
  return `contracts at commit ${head}${dirty ? ', with uncommitted changes under contracts/' : ''}`;
}

/** The committed copy of the report: docs/stress-report.md with its PNGs under docs/stress/. */
export function publish(out: string, report: string, charts: readonly string[]): void {
  const docs = path.join(repoRoot, 'docs');
  mkdirSync(path.join(docs, 'stress'), { recursive: true });
  let text = report;
  for (const name of charts) {
    copyFileSync(path.join(out, `${name}.png`), path.join(docs, 'stress', `${name}.png`));
    text = text.replace(`](${name}.png)`, `](stress/${name}.png)`);
  }
  writeFileSync(path.join(docs, 'stress-report.md'), text);
}
