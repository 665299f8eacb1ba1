#!/usr/bin/env node
// App benchmark (`npm run bench` in app/): against a real anvil with the system deployed, seeded
// and ~50 auctions running, and the production build (`next build && next start`), measures
//  - firstLoadKb: first-load JS per route (gzip KB; raw too), from app/scripts/first-load-js.mjs;
//  - ttiMs: time to interactive of /auctions in Debian Chromium: navigation start -> the first
//    auction-price rendered with its data-price, counted only once that price is seen ticking
//    (its data-price changes); median of BENCH_TTI_RUNS (default 3) cold page loads;
//  - idleRpcPerMinute: JSON-RPC HTTP requests per minute the idle /auctions page sends to the
//    node (counted in the browser on the RPC URL; the JSON-RPC calls inside batches are counted
//    too), over BENCH_IDLE_SECONDS (default 60) after a 5 s settle.
// Writes bench-results/app.json at the repository root and prints a table.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { repoRoot, startStack } from '../../test/e2e/stack.mjs';

const TARGET_AUCTIONS = Number(process.env.BENCH_AUCTIONS ?? 50);
const TTI_RUNS = Number(process.env.BENCH_TTI_RUNS ?? 3);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Marks, in page time (ms since navigation start), when the first auction price appears and first changes.
const PROBE = `(() => {
  const w = window; w.__gavelBench = { rendered: undefined, ticked: undefined, first: undefined };
  const check = () => {
    const el = document.querySelector('[data-testid="auction-price"][data-price]');
    if (!el) return;
    const p = el.getAttribute('data-price');
    const b = w.__gavelBench;
    if (b.rendered === undefined) { b.rendered = performance.now(); b.first = p; b.el = el; }
    else if (b.ticked === undefined && (el !== b.el || p !== b.first)) {
      if (el === b.el) b.ticked = performance.now();
      else { b.el = el; b.first = p; }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-price'] });
})();`;

async function main() {
  const t0 = Date.now();
  const stack = await startStack({ seedVaults: Number(process.env.BENCH_SEED_VAULTS ?? 160), drops: 3, dropBps: 900, maxAuctions: TARGET_AUCTIONS });
  let browser;
  try {
    console.log(`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${stack.scenario.live} live auctions`);
    if (stack.scenario.live < TARGET_AUCTIONS) console.warn(`warning: only ${stack.scenario.live} live auctions (wanted ${TARGET_AUCTIONS})`);
    const first = stack.scenario.liquidated[0];

    // First-load JS per route.
    const routes = ['/', '/auctions', '/vaults', first ? `/auctions/${first.house}/1` : '/auctions/0x0000000000000000000000000000000000000001/1'];
    const fl = JSON.parse(execFileSync(process.execPath, [path.join(repoRoot, 'app', 'scripts', 'first-load-js.mjs'), stack.baseUrl, ...routes], { encoding: 'utf8' }));
    const firstLoadKb = {};
    const firstLoadRawKb = {};
    for (const [route, v] of Object.entries(fl)) {
      const key = route.startsWith('/auctions/0x') ? '/auctions/[house]/[id]' : route;
      firstLoadKb[key] = v.gzipKb;
      firstLoadRawKb[key] = v.rawKb;
    }

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

    // Time to interactive of /auctions.
    const ttis = [];
    const ticks = [];
    for (let i = 0; i < TTI_RUNS; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await ctx.newPage();
      await page.addInitScript(PROBE);
      await page.goto(`${stack.baseUrl}/auctions`);
      await page.waitForFunction(() => window.__gavelBench?.ticked !== undefined, undefined, { timeout: 30_000, polling: 100 });
      const b = await page.evaluate(() => ({ rendered: window.__gavelBench.rendered, ticked: window.__gavelBench.ticked }));
      ticks.push(b.ticked);
      // Interactive = the price is on screen and known to tick; a tick can only be observed up to ~1 s later.
      ttis.push(b.rendered);
      await ctx.close();
    }
    const ttiMs = Math.round(median(ttis));

    // Idle RPC requests per minute on /auctions.
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${stack.baseUrl}/auctions`);
    await page.getByTestId('auction-row').first().waitFor();
    const rows = await page.getByTestId('auction-row').count();
    await page.waitForTimeout(5_000);
    let httpRequests = 0;
    let calls = 0;
    const methods = {};
    page.on('request', (req) => {
      if (!req.url().startsWith(stack.rpcUrl) || req.method() !== 'POST') return;
      httpRequests++;
      try {
        const body = JSON.parse(req.postData() ?? 'null');
        for (const c of Array.isArray(body) ? body : [body]) {
          calls++;
          methods[c.method] = (methods[c.method] ?? 0) + 1;
        }
      } catch { /* not JSON */ }
    });
    await page.waitForTimeout(IDLE_SECONDS * 1000);
    await ctx.close();
    const perMin = (n) => Math.round((n * 60) / IDLE_SECONDS * 10) / 10;
    const idleRpcPerMinute = perMin(httpRequests);

    const result = {
      firstLoadKb,
      ttiMs,
      idleRpcPerMinute,
      details: {
        firstLoadKbMeasure: 'gzip level 9 of the JS chunks each route HTML loads (polyfills excluded)',
        firstLoadRawKb,
        ttiDefinition: 'navigation start -> first auction-price rendered with data-price (confirmed ticking); median of runs',
        ttiRunsMs: ttis.map(Math.round),
        firstTickRunsMs: ticks.map(Math.round),
        idleRpcCallsPerMinute: perMin(calls),
        idleRpcMethodsPerMinute: Object.fromEntries(Object.entries(methods).map(([m, n]) => [m, perMin(n)])),
        idleWindowSeconds: IDLE_SECONDS,
        liveAuctions: stack.scenario.live,
        auctionRowsRendered: rows,
        date: new Date().toISOString(),
      },
    };
    const outDir = path.join(repoRoot, 'bench-results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'app.json'), `${JSON.stringify(result, null, 2)}\n`);

    const table = [
      ...Object.entries(firstLoadKb).map(([r, kb]) => ({ metric: `first-load JS ${r}`, value: `${kb} KB gzip (${firstLoadRawKb[r]} KB raw)` })),
      { metric: 'TTI /auctions (median)', value: `${ttiMs} ms (runs ${ttis.map(Math.round).join(', ')})` },
      { metric: `idle RPC /auctions (${stack.scenario.live} auctions)`, value: `${idleRpcPerMinute} HTTP req/min, ${perMin(calls)} calls/min` },
    ];
    console.table(table);
    console.log(`wrote ${path.join(outDir, 'app.json')}`);
  } finally {
    await browser?.close();
    await stack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
