// Latency row of `npm run bench` (issue 14): kicks and takes per block with 0, 100 and 300 ms added
// to every JSON-RPC request. The chaos harness (test/chaos): anvil with 1-second blocks, the
// system with GAVEL_BENCH_LATENCY_VAULTS vaults (default 150) just above their line, the houses
// on the fast chaos tier, the real `gavel-keeper run` process (bidding with its own gUSD) behind
// the chaos fault proxy with only a delay, a sharp 30% drop. From the chain only:
//   kicks per block = liquidations / blocks from the crash block to the last Liquidate log;
//   takes per block = takes / blocks from the first to the last Take log (inclusive);
//   worst kick lateness (blocks after the crash) and worst take lateness (blocks after profitable).
// Prints a table and merges `latency` into <repo>/bench-results/keeper.json.
// Run: `npx vitest run --config vitest.bench.config.ts bench/latency.bench.ts` (or `npm run bench`).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collateralAuctionAbi, liquidationEngineAbi } from '@gavel/sdk';
import { expect, it } from 'vitest';
import { startFaultProxy } from '../../test/chaos/faultProxy.ts';
import { auctionsEnded, crash, judgeTakes, lateness, setupChain, startKeeper, stopKeeper, unsafeVaults, waitFor } from '../../test/chaos/harness.ts';

const VAULTS = Number(process.env.GAVEL_BENCH_LATENCY_VAULTS ?? 150);
const DELAYS_MS = [0, 100, 300] as const;
const RESULTS = fileURLToPath(new URL('../../bench-results/keeper.json', import.meta.url));

interface Row {
  readonly delayMs: number;
  readonly vaults: number;
  readonly kicksPerBlock: number;
  readonly takesPerBlock: number;
  readonly worstKickBlocks: number;
  readonly worstTakeBlocksAfterProfitable: number;
  readonly taken: number;
  readonly redone: number;
}

async function measure(delayMs: number): Promise<Row> {
  const c = await setupChain(VAULTS);
  const proxy = await startFaultProxy(c.node.rpcUrl, { delayMs });
  const keys = c.keeperKeys.slice(0, 3);
  const k = startKeeper(c, { urls: [proxy.url], keys });
  try {
    await k.live();
    const from = await c.node.publicClient.getBlockNumber();
    const cr = await crash(c);
    await waitFor(async () => (await unsafeVaults(c)).length === 0, 180_000, 'every unsafe vault liquidated');
    await waitFor(() => auctionsEnded(c), 180_000, 'every auction ended');
    const l = await lateness(c, cr);
    const t = await judgeTakes(c, from);
    const pc = c.node.publicClient;
    const crashBlock = [...cr.blockByIlk.values()].reduce((a, b) => (a > b ? a : b));
    const liq = await pc.getContractEvents({ address: c.sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: from });
    const takes = (await Promise.all(c.sys.ilks.map((ilk) => pc.getContractEvents({ address: ilk.house, abi: collateralAuctionAbi, eventName: 'Take', fromBlock: from })))).flat();
    const lastKick = liq.reduce((m, x) => (x.blockNumber > m ? x.blockNumber : m), crashBlock);
    const takeBlocks = takes.map((x) => x.blockNumber);
    const firstTake = takeBlocks.reduce((m, b) => (b < m ? b : m), takeBlocks[0] ?? 0n);
    const lastTake = takeBlocks.reduce((m, b) => (b > m ? b : m), 0n);
    return {
      delayMs,
      vaults: VAULTS,
      kicksPerBlock: liq.length / Math.max(1, Number(lastKick - crashBlock)),
      takesPerBlock: takes.length / Math.max(1, Number(lastTake - firstTake + 1n)),
      worstKickBlocks: l.maxBlocks,
      worstTakeBlocksAfterProfitable: t.maxBlocks,
      taken: t.taken,
      redone: t.redone,
    };
  } finally {
    await stopKeeper(k);
    await proxy.close();
    await c.close();
  }
}

it(`latency row: kicks and takes per block at ${DELAYS_MS.join(', ')} ms added per request (${VAULTS} vaults)`, async () => {
  const rows: Row[] = [];
  for (const d of DELAYS_MS) rows.push(await measure(d));
  console.info(['| added latency | vaults | kicks / block | takes / block | worst kick (blocks after crash) | worst take (blocks after profitable) | taken / redone |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.delayMs} ms | ${r.vaults} | ${r.kicksPerBlock.toFixed(1)} | ${r.takesPerBlock.toFixed(1)} | ${r.worstKickBlocks} | ${r.worstTakeBlocksAfterProfitable} | ${r.taken} / ${r.redone} |`)].join('\n'));
  mkdirSync(dirname(RESULTS), { recursive: true });
  const prev = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(RESULTS, `${JSON.stringify({ ...prev, latency: rows }, null, 2)}\n`);
  for (const r of rows) expect(r.taken + r.redone).toBeGreaterThan(0);
}, 1_800_000);
