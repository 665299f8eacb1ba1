#!/usr/bin/env node
// `npm test`: every suite, one after another (2 cores), then one closing line
// `N passed, N failed, N skipped` summing them all. Exits non-zero when any suite fails, when a
// suite that exists runs zero tests, or when a runner dies without reporting.
//   node scripts/test-all.mjs [--only forge|contracts|sdk|auction-keeper|app|demo|indexer|lab|e2e|system|chaos]
// GAVEL_E2E=0 skips the browser suite, GAVEL_INDEXER=0 the indexer's, GAVEL_LAB=0 the crash lab's smoke run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseForgeSummary, parseVitestJson } from './lib/summaries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx > 0 ? process.argv[onlyIdx + 1] : undefined;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' };

/** Runs a command with output streamed to the terminal and also captured. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('error', (e) => resolve({ code: 1, out: `${out}\n${e.message}` }));
    child.on('exit', (code, signal) => resolve({ code: signal ? 1 : (code ?? 1), out }));
  });
}

function hasFiles(dir, pattern) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, withFileTypes: false }).some(
    (f) => pattern.test(String(f)) && !String(f).includes('node_modules'),
  );
}

const results = [];
function record(name, r) {
  results.push({ name, ...r });
  const s = `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
  console.log(`\n[test] ${name}: ${s}${r.problem ? ` — ${r.problem}` : ''} (${r.seconds.toFixed(1)} s)\n`);
}

async function stage(name, fn) {
  if (only && only !== name) return;
  const t0 = performance.now();
  const r = await fn();
  record(name, { ...r, seconds: (performance.now() - t0) / 1000 });
}

// Build first: the TypeScript suites import ABIs generated from the forge artifacts.
if (!only || only !== 'forge') {
  console.log('[test] build (forge + generated ABIs)');
  // Only the contracts' build (forge + typed ABIs) is needed by the unit suites; the app's
  // production build is made by the e2e suite itself.
  const b = await run('npx', ['turbo', 'run', 'build', '--filter=@gavel/sdk', '--output-logs=errors-only']);
  if (b.code !== 0) {
    console.log('[test] build failed: no suite can run');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

await stage('forge', async () => {
  const { code, out } = await run('node', ['contracts/tools/foundry.mjs', 'forge', 'test']);
  return parseForgeSummary(out, code);
});

// The indexer (issue 16): the real Ponder process on anvil against PGlite and a throwaway
// PostgreSQL cluster (Debian's postgresql; CI installs it, and without it the Postgres tests fail).
// GAVEL_INDEXER=0 skips the stage.
const indexerWanted = only === 'indexer' || (!only && process.env.GAVEL_INDEXER !== '0');
if (!indexerWanted && !only) console.log('[test] indexer: skipped (GAVEL_INDEXER=0)');
for (const ws of ['contracts', 'sdk', 'auction-keeper', 'app', 'demo', ...(indexerWanted ? ['indexer'] : [])]) {
  await stage(ws, async () => {
    const dir = path.join(root, ws);
    if (!hasFiles(dir, /\.test\.tsx?$/)) {
      return { passed: 0, failed: 1, skipped: 0, problem: `no test files in ${ws}/` };
    }
    const tmp = mkdtempSync(path.join(tmpdir(), 'gavel-vitest-'));
    const json = path.join(tmp, 'report.json');
    const { code } = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`], { cwd: dir });
    const report = existsSync(json) ? readFileSync(json, 'utf8') : undefined;
    rmSync(tmp, { recursive: true, force: true });
    return parseVitestJson(report, code);
  });
}

// The crash lab (issue 15): its unit tests and the smoke scenario (a forge deploy plus 45 simulated
// steps on anvil, about a minute), the lab's accounting checked against chain truth. `npm run stress`
// runs the full matrix. GAVEL_LAB=0 skips it.
const labWanted = only === 'lab' || (!only && process.env.GAVEL_LAB !== '0');
if (existsSync(path.join(root, 'lab', 'vitest.config.ts')) && labWanted) {
  await stage('lab', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'gavel-vitest-'));
    const json = path.join(tmp, 'report.json');
    const { code } = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`], { cwd: path.join(root, 'lab') });
    const report = existsSync(json) ? readFileSync(json, 'utf8') : undefined;
    rmSync(tmp, { recursive: true, force: true });
    return parseVitestJson(report, code);
  });
} else if (!only) {
  console.log('[test] lab: skipped (GAVEL_LAB=0)');
}

// The browser suite: Playwright in Debian Chromium against the production build and a local
// anvil (about a minute, plus `next build` when the app changed). GAVEL_E2E=0 skips it (e.g. for a
// quick local run); CI runs it.
const e2eWanted = only === 'e2e' || (!only && process.env.GAVEL_E2E !== '0');
const hasE2e = existsSync(path.join(root, 'test', 'e2e', 'playwright.config.ts'));
if (hasE2e && !e2eWanted && !only) {
  console.log('[test] e2e: skipped (GAVEL_E2E=0)');
}
if (hasE2e && e2eWanted) {
  await stage('e2e', async () => {
    const { code, out } = await run('npx', ['playwright', 'test', '--config', 'test/e2e/playwright.config.ts']);
    const m = /(\d+) passed/.exec(out);
    const f = /(\d+) failed/.exec(out);
    const passed = m ? Number(m[1]) : 0;
    const failed = f ? Number(f[1]) : code === 0 ? 0 : 1;
    return { passed, failed, skipped: 0, problem: passed === 0 ? 'ran zero tests' : undefined };
  });
}

// The system scenario: the headless demo end to end (a few minutes of 1-second blocks).
// GAVEL_SYSTEM=0 skips it (e.g. for a quick local run); CI runs it.
const systemWanted = only === 'system' || (!only && process.env.GAVEL_SYSTEM !== '0');
if (existsSync(path.join(root, 'test', 'system', 'vitest.config.ts')) && systemWanted) {
  await stage('system', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'gavel-vitest-'));
    const json = path.join(tmp, 'report.json');
    const { code } = await run('npx', ['vitest', 'run', '--config', 'test/system/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
    const report = existsSync(json) ? readFileSync(json, 'utf8') : undefined;
    rmSync(tmp, { recursive: true, force: true });
    return parseVitestJson(report, code);
  });
} else if (!only) {
  console.log('[test] system: skipped (GAVEL_SYSTEM=0)');
}

// The chaos suite, short form (issue 14): the keeper CLI through a fault-injecting proxy, three
// experiments judged from the chain. `npm run chaos` runs the full matrix. GAVEL_CHAOS=0 skips it.
const chaosWanted = only === 'chaos' || (!only && process.env.GAVEL_CHAOS !== '0');
if (existsSync(path.join(root, 'test', 'chaos', 'vitest.config.ts')) && chaosWanted) {
  await stage('chaos', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'gavel-vitest-'));
    const json = path.join(tmp, 'report.json');
    const { code } = await run('npx', ['vitest', 'run', '--config', 'test/chaos/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`], { env: { ...env, GAVEL_CHAOS: 'short' } });
    const report = existsSync(json) ? readFileSync(json, 'utf8') : undefined;
    rmSync(tmp, { recursive: true, force: true });
    return parseVitestJson(report, code);
  });
} else if (!only) {
  console.log('[test] chaos: skipped (GAVEL_CHAOS=0)');
}

const total = results.reduce(
  (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
const bad = results.filter((r) => r.failed > 0 || r.passed === 0 || r.problem);
console.log('[test] suites:');
for (const r of results) {
  console.log(`  ${r.name.padEnd(16)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${String(r.skipped).padStart(4)} skipped  ${r.seconds.toFixed(1)} s${r.problem ? `  (${r.problem})` : ''}`);
}
const failures = results.flatMap((r) => (r.failures ?? []).map((f) => `  ${r.name}: ${f}`));
if (failures.length > 0) {
  console.log('[test] failed tests:');
  for (const f of failures) console.log(f);
}
if (results.length === 0) {
  console.log(`[test] no suite matched --only ${only}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log(`${total.passed} passed, ${total.failed + (bad.length && total.failed === 0 ? bad.length : 0)} failed, ${total.skipped} skipped`);
process.exit(bad.length > 0 ? 1 : 0);
