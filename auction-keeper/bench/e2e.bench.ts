// End-to-end benchmark (issue 6, "end to end on anvil"): anvil with 1-second blocks, the system
// deployed (test/fixture.ts: the real contracts, MockMarkPrice oracles), N vaults on ETH-A seeded
// through bench/E2eSeeder.sol (many vaults per transaction), a kick-only keeper talking to anvil
// through a counting JSON-RPC proxy (bench/countingProxy.ts).
//   (3) idle RPC requests per block with 1,000 and with 10,000 vaults — target: constant;
//   (1) a drop making ~100 vaults unsafe: blocks from the price-update block to each liquidation's
//       block — target: all in the next block, none later than 2;
//   (2) a drop making ~2,000 unsafe: liquidations per block against the ceiling
//       min(block gas limit / measured per-vault gas of liquidateMany, per-block debt cap / mean tab)
//       — target >= 0.8.
// Run: `npx vitest run --config vitest.bench.config.ts bench/e2e.bench.ts` (not part of `npm test`).
// GAVEL_BENCH_E2E_VAULTS (default 10000) sets the final vault count (the first idle point is 1,000).
// Merges e2eMaxBlocks, e2eMeanBlocks, bulkCeilingShare, idleRpcPerBlock into
// <repo>/bench-results/keeper.json.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liquidationEngineAbi, spotterAbi } from '@gavel/sdk';
import { readArtifact, startAnvil } from '@gavel/contracts/testing';
import { pino } from 'pino';
import { type Abi, type Address, type Hex, bytesToHex } from 'viem';
import { expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { Keeper } from '../src/keeper.ts';
import { Prng } from '../src/util/prng.ts';
import { type IlkFixture, type System, deploySystem } from '../test/fixture.ts';
import { startCountingProxy } from './countingProxy.ts';

const FINAL_VAULTS = Number(process.env.GAVEL_BENCH_E2E_VAULTS ?? 10_000);
const FIRST_VAULTS = Math.min(1_000, FINAL_VAULTS);
const SMALL_DROP_VAULTS = 100;
const BULK_DROP_VAULTS = 2_000;
const SEED_BATCH = 80;
const BLOCK_GAS_LIMIT = 30_000_000n;
const IDLE_BLOCKS = 10;
const KEEPER_KEY_INDEX = 7;
const RESULTS = fileURLToPath(new URL('../../bench-results/keeper.json', import.meta.url));
const WAD = 10n ** 18n;
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });

interface SolcOutput {
  readonly errors?: readonly { readonly severity: string; readonly formattedMessage: string }[];
  readonly contracts: Record<string, Record<string, { readonly abi: Abi; readonly evm: { readonly bytecode: { readonly object: string } } }>>;
}

/** Compiles bench/E2eSeeder.sol with the repository's solc-js (no forge project changes). */
function compileSeeder(): { abi: Abi; bytecode: Hex } {
  const require = createRequire(import.meta.url);
  const solc = require('solc') as { compile: (input: string) => string };
  const source = readFileSync(fileURLToPath(new URL('./E2eSeeder.sol', import.meta.url)), 'utf8');
  const input = {
    language: 'Solidity',
    sources: { 'E2eSeeder.sol': { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'prague', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts['E2eSeeder.sol']?.E2eSeeder;
  if (!c) throw new Error('E2eSeeder not compiled');
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}

interface SeededVault {
  readonly collateral: bigint;
  readonly debt: bigint;
}

/** Collateral for `debt` at `health` (× the requirement) at the ilk's price, 18-decimal token. */
function collateralFor(ilk: IlkFixture, debt: bigint, healthBps: bigint): bigint {
  return (debt * ilk.ratio * healthBps) / (ilk.price * 10_000n) + 1n;
}

/** True when the vault is unsafe at `price` (rate = 1: ETH-A is never dripped here). */
function unsafeAt(ilk: IlkFixture, v: SeededVault, price: bigint): boolean {
  const spot = (price * WAD) / ilk.ratio;
  return (v.collateral * spot) / WAD < v.debt;
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface DropResult {
  readonly pokeBlock: bigint;
  readonly expected: number;
  /** Liquidation block of each liquidated vault. */
  readonly blocks: bigint[];
  /** Per transaction: vaults liquidated and gas used. */
  readonly txs: { vaults: number; gasUsed: bigint; gasLimit: bigint; block: bigint }[];
  readonly tabs: bigint[];
  readonly unexpected: number;
}

it(`e2e: ${FINAL_VAULTS.toLocaleString('en-US')} vaults on anvil with 1-second blocks`, async () => {
  const t0 = performance.now();
  const node = await startAnvil({ accounts: 8, args: ['--gas-limit', BLOCK_GAS_LIMIT.toString()] });
  let keeper: Keeper | undefined;
  const proxy = await startCountingProxy(node.rpcUrl);
  try {
    const sys: System = await deploySystem(node);
    const eth = sys.ilks[2];
    if (!eth) throw new Error('no ETH-A');
    const pc = node.publicClient;
    const wallet = node.walletFor(0);
    const seeder = compileSeeder();
    const seedHash = await wallet.deployContract({ abi: seeder.abi, bytecode: seeder.bytecode });
    const seederAddress = (await pc.waitForTransactionReceipt({ hash: seedHash })).contractAddress;
    if (!seederAddress) throw new Error('seeder not deployed');

    const rng = new Prng(6_2026);
    const vaults: SeededVault[] = [];
    const seedGas: bigint[] = [];
    const seed = async (healths: bigint[]): Promise<number> => {
      const ts = performance.now();
      for (let i = 0; i < healths.length; i += SEED_BATCH) {
        const part = healths.slice(i, i + SEED_BATCH).map((h) => {
          const debt = BigInt(1_000 + rng.int(2_000)) * WAD;
          return { debt, collateral: collateralFor(eth, debt, h) };
        });
        const hash = await wallet.writeContract({
          address: seederAddress,
          abi: seeder.abi,
          functionName: 'seed',
          args: [sys.engine, eth.token, eth.id, part.map((v) => v.collateral), part.map((v) => v.debt)],
          gas: BLOCK_GAS_LIMIT - 1_000_000n,
        });
        const r = await pc.waitForTransactionReceipt({ hash });
        if (r.status !== 'success') throw new Error('seed batch reverted');
        seedGas.push(r.gasUsed / BigInt(part.length));
        vaults.push(...part);
      }
      return (performance.now() - ts) / 1000;
    };
    const band = (n: number, lo: number, hi: number): bigint[] => Array.from({ length: n }, () => BigInt(Math.round((lo + (hi - lo) * rng.float()) * 10_000)));

    // 1,000 safe vaults (health 1.6–3.0), then 1-second blocks and the keeper.
    const seed1s = await seed(band(FIRST_VAULTS, 1.6, 3.0));
    await node.testClient.setIntervalMining({ interval: 1 });
    // The keeper's defaults, except polling (100 ms for 1-second blocks); GAVEL_KICK_GAS_BUDGET and
    // GAVEL_KICK_GAS_PER_VAULT from the environment apply (chunk size experiments).
    const kickEnv = { GAVEL_KICK_GAS_BUDGET: process.env.GAVEL_KICK_GAS_BUDGET, GAVEL_KICK_GAS_PER_VAULT: process.env.GAVEL_KICK_GAS_PER_VAULT };
    const config = loadConfig(undefined, kickEnv, {
      rpcUrls: proxy.url,
      chainId: String(node.chain.id),
      pollIntervalMs: '100',
      deploymentsFile: '/dev/null',
      checkpointFile: '/dev/null',
      settleIntervalBlocks: '0',
    });
    const key = node.accounts[KEEPER_KEY_INDEX]?.getHdKey().privateKey;
    if (!key) throw new Error('no keeper key');
    keeper = new Keeper({ config, deployment: sys.deployment, keys: [bytesToHex(key)], logger: log, noCheckpoint: true, bid: false, senderPollMs: 100 });
    const k = keeper;
    const tLive = performance.now();
    await k.start();
    const liveSeconds1 = (performance.now() - tLive) / 1000;

    const idle = async (): Promise<{ perBlock: number; methods: string }> => {
      // Let the keeper settle, then count the proxy's requests across IDLE_BLOCKS block boundaries.
      const next = async (after: bigint): Promise<bigint> => {
        let b = await pc.getBlockNumber();
        while (b <= after) {
          await new Promise((r) => setTimeout(r, 20));
          b = await pc.getBlockNumber();
        }
        return b;
      };
      const start = await next(await next(await pc.getBlockNumber()));
      const r0 = proxy.requests();
      const m0 = proxy.byMethod();
      let b = start;
      for (let i = 0; i < IDLE_BLOCKS; i++) b = await next(b);
      const blocks = Number(b - start);
      const perBlock = (proxy.requests() - r0) / blocks;
      const methods = [...proxy.byMethod()]
        .map(([m, n]): [string, number] => [m, (n - (m0.get(m) ?? 0)) / blocks])
        .filter(([, n]) => n > 0)
        .sort((a, b2) => b2[1] - a[1])
        .map(([m, n]) => `${m} ${n.toFixed(1)}`)
        .join(', ');
      return { perBlock, methods };
    };
    const idleFirst = await idle();

    // Grow to FINAL_VAULTS on automine: ~100 vaults just above the line (health 1.005–1.045: a 5%
    // drop takes them), ~2,000 a little higher (1.07–1.23: a drop to 80% takes them), the rest safe.
    await node.testClient.setAutomine(true);
    const rest = FINAL_VAULTS - FIRST_VAULTS - SMALL_DROP_VAULTS - BULK_DROP_VAULTS;
    const seed2s = await seed([...band(SMALL_DROP_VAULTS, 1.005, 1.045), ...band(BULK_DROP_VAULTS, 1.07, 1.23), ...band(Math.max(0, rest), 1.6, 3.0)]);
    await node.testClient.setIntervalMining({ interval: 1 });
    await waitFor(async () => k.indexer.live && k.indexer.processed >= (await pc.getBlockNumber()) - 1n && k.indexer.model.vaultCount() >= vaults.length, 120_000, 'keeper caught up');
    const idleFinal = await idle();

    const markAbi = readArtifact('MockMarkPrice').abi;
    const drop = async (price: bigint, timeoutMs: number): Promise<DropResult> => {
      const expectedSet = new Set<number>();
      const before = eth.price;
      vaults.forEach((v, i) => {
        if (unsafeAt(eth, v, price) && !unsafeAt(eth, v, before)) expectedSet.add(i);
      });
      eth.price = price;
      // Oracle update and poke in the same block (consecutive nonces).
      const nonce = await pc.getTransactionCount({ address: wallet.account.address, blockTag: 'pending' });
      await wallet.writeContract({ address: eth.mark, abi: markAbi, functionName: 'set', args: [price, true], nonce, gas: 200_000n });
      const pokeHash = await wallet.writeContract({ address: sys.spotter, abi: spotterAbi, functionName: 'poke', args: [eth.id], nonce: nonce + 1, gas: 2_000_000n });
      const poke = await pc.waitForTransactionReceipt({ hash: pokeHash });
      if (poke.status !== 'success') throw new Error('poke reverted');
      const pokeBlock = poke.blockNumber;
      const liquidations = async (): Promise<Awaited<ReturnType<typeof pc.getContractEvents<typeof liquidationEngineAbi, 'Liquidate'>>>> =>
        pc.getContractEvents({ address: sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: pokeBlock });
      await waitFor(async () => (await liquidations()).length >= expectedSet.size, timeoutMs, `${expectedSet.size} liquidations`);
      await new Promise((r) => setTimeout(r, 2_500)); // nothing more may come
      const logs = await liquidations();
      const byTx = new Map<Hex, number>();
      for (const l of logs) byTx.set(l.transactionHash, (byTx.get(l.transactionHash) ?? 0) + 1);
      const txs = [];
      for (const [hash, n] of byTx) {
        const [r, tx] = await Promise.all([pc.getTransactionReceipt({ hash }), pc.getTransaction({ hash })]);
        txs.push({ vaults: n, gasUsed: r.gasUsed, gasLimit: tx.gas, block: r.blockNumber });
      }
      // Owners are the seeder's CREATE addresses: count distinct owners (no double liquidation).
      const owners = new Set(logs.map((l) => (l.args.owner as Address).toLowerCase()));
      const tabs = logs.map((l) => l.args.tab ?? 0n);
      return { pokeBlock, expected: expectedSet.size, blocks: logs.map((l) => l.blockNumber), txs, tabs, unexpected: logs.length - expectedSet.size + (logs.length - owners.size) };
    };

    // (1) ~100 unsafe: a 5% drop.
    const small = await drop((eth.price * 95n) / 100n, 60_000);
    const lat = small.blocks.map((b) => Number(b - small.pokeBlock));
    const e2eMaxBlocks = Math.max(...lat);
    const e2eMeanBlocks = Number((lat.reduce((a, b) => a + b, 0) / lat.length).toFixed(3));

    // (2) ~2,000 unsafe: down to 80% of the original price.
    const bulk = await drop((2_000n * WAD * 80n) / 100n, 300_000);
    const gasLimit = (await pc.getBlock()).gasLimit;
    const totalGas = bulk.txs.reduce((a, t) => a + t.gasUsed, 0n);
    const totalVaults = bulk.txs.reduce((a, t) => a + t.vaults, 0);
    const perVaultGas = Number(totalGas) / totalVaults;
    const gasCeiling = Math.floor(Number(gasLimit) / perVaultGas);
    const dogCfg = await pc.readContract({ address: sys.dog, abi: liquidationEngineAbi, functionName: 'ilkConfig', args: [eth.id] });
    const meanTab = bulk.tabs.reduce((a, t) => a + t, 0n) / BigInt(Math.max(1, bulk.tabs.length));
    const capCeiling = meanTab === 0n ? Number.POSITIVE_INFINITY : Number(dogCfg.maxDebtPerBlock / meanTab);
    const ceiling = Math.min(gasCeiling, capCeiling);
    const perBlock = new Map<bigint, number>();
    for (const b of bulk.blocks) perBlock.set(b, (perBlock.get(b) ?? 0) + 1);
    const lastBlock = bulk.blocks.reduce((a, b) => (b > a ? b : a), bulk.pokeBlock);
    const spanned = Number(lastBlock - bulk.pokeBlock); // blocks pokeBlock+1 .. lastBlock
    const perBlockAll = bulk.blocks.length / spanned;
    // Excluding the final block (a remainder smaller than a full block's worth).
    const lastCount = perBlock.get(lastBlock) ?? 0;
    const perBlockFull = spanned > 1 ? (bulk.blocks.length - lastCount) / (spanned - 1) : perBlockAll;
    const bulkCeilingShare = Number((perBlockFull / ceiling).toFixed(3));
    const counts = [];
    for (let b = bulk.pokeBlock + 1n; b <= lastBlock; b++) counts.push(perBlock.get(b) ?? 0);
    const blockGasUsed = [];
    for (let b = bulk.pokeBlock + 1n; b <= lastBlock; b++) blockGasUsed.push((await pc.getBlock({ blockNumber: b })).gasUsed);

    const idleRpcPerBlock = { [String(FIRST_VAULTS)]: Number(idleFirst.perBlock.toFixed(2)), [String(vaults.length)]: Number(idleFinal.perBlock.toFixed(2)) };
    const rows: [string, string, string][] = [
      ['vaults seeded', vaults.length.toLocaleString('en-US'), `ETH-A; ${FIRST_VAULTS} in ${seed1s.toFixed(1)} s, then ${vaults.length - FIRST_VAULTS} in ${seed2s.toFixed(1)} s (${SEED_BATCH}/tx, ~${seedGas.length ? (seedGas.reduce((a, b) => a + b, 0n) / BigInt(seedGas.length)).toString() : '?'} gas/vault)`],
      ['keeper live (1,000 vaults)', `${liveSeconds1.toFixed(2)} s`, 'backfill + first sync through the proxy'],
      [`idle RPC / block, ${FIRST_VAULTS} vaults`, String(idleRpcPerBlock[String(FIRST_VAULTS)]), `over ${IDLE_BLOCKS} blocks, poll 100 ms: ${idleFirst.methods}`],
      [`idle RPC / block, ${vaults.length} vaults`, String(idleRpcPerBlock[String(vaults.length)]), `target: constant; ${idleFinal.methods}`],
      ['small drop: unsafe', `${small.blocks.length}/${small.expected}`, `5% drop; ${small.txs.length} tx(s), unexpected ${small.unexpected}`],
      ['small drop: blocks to liquidation', `max ${e2eMaxBlocks}, mean ${e2eMeanBlocks}`, `target all 1, none > 2: ${e2eMaxBlocks <= 1 ? 'MET' : e2eMaxBlocks <= 2 ? 'PARTLY' : 'MISSED'}`],
      ['bulk drop: unsafe', `${bulk.blocks.length}/${bulk.expected}`, `to 80%; ${bulk.txs.length} txs over ${spanned} blocks, unexpected ${bulk.unexpected}`],
      ['bulk: liquidations per block', perBlockFull.toFixed(1), `all blocks incl. last ${perBlockAll.toFixed(1)}; per block ${counts.join(',')}`],
      ['bulk: per-vault gas (liquidateMany)', perVaultGas.toFixed(0), `gas used / vaults over ${bulk.txs.length} txs of ${Math.min(...bulk.txs.map((t) => t.vaults))}–${Math.max(...bulk.txs.map((t) => t.vaults))} vaults; tx gas limit up to ${bulk.txs.reduce((a, t) => (t.gasLimit > a ? t.gasLimit : a), 0n)}; block gas limit ${gasLimit}`],
      ['bulk: ceiling per block', String(ceiling), `gas ${gasCeiling}, per-block cap ${Number.isFinite(capCeiling) ? capCeiling : '∞'} (maxDebtPerBlock ${dogCfg.maxDebtPerBlock / WAD} / mean tab ${meanTab / WAD})`],
      ['bulk: share of ceiling', String(bulkCeilingShare), `target >= 0.8: ${bulkCeilingShare >= 0.8 ? 'MET' : 'MISSED'}; block gas used ${blockGasUsed.join(',')}`],
      ['runtime', `${((performance.now() - t0) / 1000).toFixed(0)} s`, `keeper chunks: ${config.kickGasBudget} gas budget, sized from the estimate: ${k.kicker?.gasPerVault() ?? '?'} gas/vault measured (planning figure ${config.kickGasPerVault})`],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+`;
    console.log(`\nauction-keeper e2e benchmark\n${[line, ...rows.map(([a, b, c]) => `| ${a.padEnd(w0)} | ${b.padStart(w1)} | ${c}`), line].join('\n')}\n`);

    mkdirSync(dirname(RESULTS), { recursive: true });
    const previous: unknown = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
    const merged = {
      ...(typeof previous === 'object' && previous !== null ? previous : {}),
      e2eMaxBlocks,
      e2eMeanBlocks,
      bulkCeilingShare,
      idleRpcPerBlock,
      e2eVaults: vaults.length,
      bulkPerBlock: Number(perBlockFull.toFixed(1)),
      bulkCeilingPerBlock: ceiling,
      bulkPerVaultGas: Math.round(perVaultGas),
      kickPlannedGasPerVault: k.kicker?.gasPerVault(),
    };
    writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
    console.log(`wrote ${RESULTS}`);
    expect(small.blocks.length).toBe(small.expected);
    expect(bulk.blocks.length).toBe(bulk.expected);
  } finally {
    await keeper?.stop(0).catch(() => undefined);
    await proxy.close();
    await node.stop();
  }
});
