// Detection benchmark (issue 6, "detection"): 1,000,000 synthetic vaults across 3 ilks in memory.
//   - a 10% price drop on one ilk: time for setSpot to produce the unsafe set (median; the price is
//     restored between runs) — target < 5 ms;
//   - a price move that crosses no vault — target < 50 µs;
//   - the unsafe count and the bytes per vault (heap + array buffers after a full GC).
// Run: `npm run bench` (vitest with vitest.bench.config.ts; the worker gets --expose-gc).
// Writes/merges detectMedianMs, detectNoCrossUs, unsafeCount, bytesPerVault into
// <repo>/bench-results/keeper.json.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { isSafe, RAY, scaleForDecimals, WAD } from '@gavel/sdk';
import { UnsafeIndex } from '../src/detect/unsafeIndex.ts';
import { Prng } from '../src/util/prng.ts';

const TOTAL_VAULTS = Number(process.env.GAVEL_BENCH_VAULTS ?? 1_000_000);
const DROP_RUNS = 41;
const NO_CROSS_RUNS = 2001;
const RESULTS = fileURLToPath(new URL('../../bench-results/keeper.json', import.meta.url));

interface IlkSpec {
  readonly name: string;
  readonly decimals: number;
  /** Mark price in whole stablecoin per token. */
  readonly price: number;
  /** Liquidation ratio in basis points. */
  readonly ratioBps: bigint;
  /** Collateral per vault, log-uniform between 10^minExp and 10^maxExp tokens. */
  readonly minExp: number;
  readonly maxExp: number;
}

const ILKS: readonly IlkSpec[] = [
  { name: 'ETH-A', decimals: 18, price: 3_000, ratioBps: 15_000n, minExp: -2, maxExp: 3 },
  { name: 'WBTC-A', decimals: 8, price: 60_000, ratioBps: 14_500n, minExp: -4, maxExp: 1.5 },
  { name: 'LINK-A', decimals: 6, price: 15, ratioBps: 16_500n, minExp: 0, maxExp: 5 },
];

function gcNow(): void {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc (npm run bench does)');
  gc();
  gc();
}

function memNow(): number {
  gcNow();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? Number.NaN;
}

function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** A fresh, flat (non-cons) 0x address string, like one decoded from a log. */
function address(rng: Prng): string {
  let hex = '0x';
  for (let i = 0; i < 5; i++) hex += rng.u32().toString(16).padStart(8, '0');
  return Buffer.from(hex, 'latin1').toString('latin1');
}

/** Collateralization ratio (value / debt at spot): log-normal around 1.9, within (1.0, 5.0). */
function collateralization(rng: Prng): number {
  for (;;) {
    const r = Math.exp(Math.log(1.9) + 0.4 * rng.normal());
    if (r > 1.0 && r < 5.0) return r;
  }
}

it(`detect: ${TOTAL_VAULTS.toLocaleString('en-US')} vaults, 3 ilks`, () => {
  const rng = new Prng(20_240_601);
  const params = ILKS.map((s) => {
    const scale = scaleForDecimals(s.decimals);
    const mark = BigInt(Math.round(s.price * 1e6)) * 10n ** 12n;
    const spot = (mark * 10_000n) / s.ratioBps;
    const rate = RAY + BigInt(Math.floor(rng.float() * 8e25)); // 1.00 – 1.08 accumulated fees
    return { spec: s, scale, spot, rate };
  });

  // Owners first, so their strings can be accounted separately from the index structure.
  const m0 = memNow();
  const owners: string[][] = params.map((_, i) =>
    Array.from({ length: Math.floor(TOTAL_VAULTS / ILKS.length) + (i < TOTAL_VAULTS % ILKS.length ? 1 : 0) }, () => address(rng)),
  );
  const m1 = memNow();

  const idx = new UnsafeIndex();
  const tBuild = performance.now();
  for (const [i, p] of params.entries()) {
    const ownersOfIlk = owners[i] ?? [];
    idx.setIlk(p.spec.name, { spot: p.spot, rate: p.rate, scale: p.scale });
    const unit = 10 ** p.spec.decimals;
    for (const owner of ownersOfIlk) {
      const tokens = 10 ** (p.spec.minExp + (p.spec.maxExp - p.spec.minExp) * rng.float());
      const collateral = BigInt(Math.max(1, Math.round(tokens * Math.min(unit, 1e6)))) * BigInt(Math.max(1, unit / 1e6)) + BigInt(rng.int(1000));
      const valueWad = (collateral * p.scale * p.spot) / WAD;
      const debtWad = (valueWad * 1_000_000n) / BigInt(Math.round(collateralization(rng) * 1e6));
      const normalizedDebt = (debtWad * RAY) / p.rate;
      idx.upsertVault(p.spec.name, owner, collateral, normalizedDebt);
    }
  }
  const buildSeconds = (performance.now() - tBuild) / 1000;
  const m2 = memNow();
  // The bench's own references go; the index alone keeps the owner strings alive.
  owners.length = 0;
  const m3 = memNow();
  const total = params.reduce((a, p) => a + idx.size(p.spec.name), 0);
  const bytesPerVault = Math.round((m3 - m0) / total);
  const structureBytes = Math.round((m2 - m1) / total);
  const ownerStringBytes = bytesPerVault - structureBytes; // (m1 - m0) also held the bench's array
  expect(idx.ilks().reduce((a, i) => a + idx.unsafeCount(i), 0)).toBe(0);

  // 10% price drop on ETH-A, restored between runs.
  const target = params[0];
  if (!target) throw new Error('no ilk');
  const ilk = target.spec.name;
  const spot0 = target.spot;
  const dropped = (spot0 * 9n) / 10n;
  const dropMs: number[] = [];
  let unsafeCount = 0;
  for (let run = 0; run < DROP_RUNS + 5; run++) {
    const t0 = nowNs();
    const change = idx.setSpot(ilk, dropped);
    const t1 = nowNs();
    if (run >= 5) dropMs.push(Number(t1 - t0) / 1e6);
    unsafeCount = change.becameUnsafe.length;
    expect(idx.unsafeCount(ilk)).toBe(unsafeCount);
    expect(idx.setSpot(ilk, spot0).becameSafe.length).toBe(unsafeCount);
  }

  // Cross-check the unsafe set once against a brute-force scan with isSafe.
  idx.setSpot(ilk, dropped);
  const brute = new Set<string>();
  const droppedParams = { spot: dropped, rate: target.rate, scale: target.scale };
  for (const owner of idx.owners(ilk)) {
    const v = idx.vault(ilk, owner);
    if (v && !isSafe(v.collateral, v.normalizedDebt, droppedParams)) brute.add(owner);
  }
  const listed = idx.unsafe(ilk);
  expect(listed.length).toBe(brute.size);
  expect(listed.every((o) => brute.has(o))).toBe(true);
  const listTimes: number[] = [];
  for (let run = 0; run < 11; run++) {
    const t0 = nowNs();
    idx.unsafe(ilk);
    listTimes.push(Number(nowNs() - t0) / 1e6);
  }
  const listMs = median(listTimes);
  idx.setSpot(ilk, spot0);

  // A move that crosses no vault: +0.2% and back (every vault is at ≥ 1.0× the ratio, so both
  // moves stay above every threshold).
  const up = (spot0 * 1002n) / 1000n;
  const noCrossUs: number[] = [];
  for (let run = 0; run < NO_CROSS_RUNS + 50; run++) {
    const next = run % 2 === 0 ? up : spot0;
    const t0 = nowNs();
    const change = idx.setSpot(ilk, next);
    const t1 = nowNs();
    if (run >= 50) noCrossUs.push(Number(t1 - t0) / 1e3);
    if (change.becameUnsafe.length + change.becameSafe.length !== 0) throw new Error('the no-cross move crossed a vault');
  }
  idx.setSpot(ilk, spot0);

  // A rate drip of one 12-second block at 5%/year (informational).
  const drip = (target.rate * 1_547_125_957n) / 10n ** 18n; // rate × 1.547e-9
  const dripUs: number[] = [];
  let rate = target.rate;
  for (let run = 0; run < 1000; run++) {
    rate += drip;
    const t0 = nowNs();
    idx.setRate(ilk, rate);
    dripUs.push(Number(nowNs() - t0) / 1e3);
  }

  const detectMedianMs = Number(median(dropMs).toFixed(3));
  const detectNoCrossUs = Number(median(noCrossUs).toFixed(2));
  const rows: [string, string, string][] = [
    ['vaults indexed', total.toLocaleString('en-US'), `3 ilks (18/8/6 decimals), built in ${buildSeconds.toFixed(2)} s`],
    ['10% drop → unsafe set, median', `${detectMedianMs} ms`, `p90 ${quantile(dropMs, 0.9).toFixed(3)} ms, ${DROP_RUNS} runs; target < 5 ms ${detectMedianMs < 5 ? 'MET' : 'MISSED'}`],
    ['unsafe count after the drop', unsafeCount.toLocaleString('en-US'), `of ${idx.size(ilk).toLocaleString('en-US')} ${ilk} vaults; equals brute-force isSafe scan`],
    ['unsafe(ilk) listing', `${listMs.toFixed(3)} ms`, 'median of 11: full list of unsafe owners, most under-collateralized first (informational)'],
    ['no-cross move, median', `${detectNoCrossUs} µs`, `p99 ${quantile(noCrossUs, 0.99).toFixed(2)} µs, ${NO_CROSS_RUNS} runs; target < 50 µs ${detectNoCrossUs < 50 ? 'MET' : 'MISSED'}`],
    ['one-block rate drip, median', `${median(dripUs).toFixed(2)} µs`, 'informational'],
    ['bytes per vault', String(bytesPerVault), `index ${structureBytes} + owner address strings ${ownerStringBytes} (heap + array buffers after GC)`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+`;
  const table = [
    line,
    ...rows.map(([a, b, c]) => `| ${a.padEnd(w0)} | ${b.padStart(w1)} | ${c}`),
    line,
  ].join('\n');
  console.log(`\nauction-keeper detect benchmark\n${table}\n`);

  mkdirSync(dirname(RESULTS), { recursive: true });
  const previous: unknown = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  const merged = {
    ...(typeof previous === 'object' && previous !== null ? previous : {}),
    detectMedianMs,
    detectNoCrossUs,
    unsafeCount,
    bytesPerVault,
  };
  writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`wrote ${RESULTS}`);
});
