// The chaos harness: a real anvil with 1-second blocks and the Gavel system (the keeper tests'
// fixture), many vaults just above their liquidation line, the real `gavel-keeper run` process
// behind fault-injecting proxies, and judges that read only the chain.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RAY, collateralAuctionAbi, liquidationEngineAbi, vaultEngineAbi } from '@gavel/sdk';
import { type AnvilNode, readArtifact, startAnvil } from '@gavel/contracts/testing';
import { type Address, type Hex, bytesToHex, decodeFunctionData, encodeFunctionData, maxUint256 } from 'viem';
import { type IlkFixture, type System, deploySystem, openVault, send } from '../../auction-keeper/test/fixture.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'auction-keeper', 'bin', 'gavel-keeper.mjs');

const markAbi = [{ type: 'function', name: 'set', stateMutability: 'nonpayable', inputs: [{ name: 'p', type: 'uint256' }, { name: 'ok', type: 'bool' }], outputs: [] }] as const;
const pokeAbi = [{ type: 'function', name: 'poke', stateMutability: 'nonpayable', inputs: [{ name: 'ilk', type: 'bytes32' }], outputs: [] }] as const;

export interface Chain {
  readonly node: AnvilNode;
  readonly sys: System;
  /** Vault owners: each has one vault in every ilk. */
  readonly owners: readonly Address[];
  /** Keys nobody else uses: keeper A's three lanes, then keeper B's. */
  readonly keeperKeys: readonly Hex[];
  readonly deploymentsFile: string;
  readonly dir: string;
  close(): Promise<void>;
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const j = (await r.json()) as { result?: unknown; error?: { message: string } };
  if (j.error) throw new Error(`${method}: ${j.error.message}`);
  return j.result;
}

const WAD = 10n ** 18n;
/** Exponential curve (CurveKind.Exponential). */
const EXPONENTIAL = 3;
/**
 * The chaos auctions' tier: −2.5% a second from 120% of the mark, so an auction turns profitable
 * for a bidder with a 2% margin about 8 blocks after its kick (ln(1.2/0.98)/−ln(0.975)) and reaches
 * its 40% floor after about 36 s: the take side is exercised within the experiment's minute.
 */
export const CHAOS_TIER = { kind: EXPONENTIAL, cutRay: (975n * RAY) / 1000n, periodSeconds: 0, tailSeconds: 600, floorWad: (4n * WAD) / 10n, startPremiumBps: 12_000 } as const;
/** The bidding keepers' margin below the mark (GAVEL_MIN_MARGIN): "profitable" in the take judge. */
export const CHAOS_MIN_MARGIN_WAD = WAD / 50n;
/** Account indexes of keeper A's and B's take lanes (keeperKeys[1] and [4]); each gets gUSD to bid with. */
const TAKE_ACCOUNTS = [2, 5] as const;
/** Vault owners opened at once (each owner's own transactions stay in order). */
const SETUP_CONCURRENCY = 12;
/** Attempts to open one vault. */
const SETUP_ATTEMPTS = 3;

/**
 * Deploys the system and opens `vaults` vaults (rounded up to a multiple of the three ilks) at
 * 104-112% of the requirement, switches every house to {@link CHAOS_TIER}, gives both keepers'
 * take accounts 1.5M gUSD each (an ETH vault at 1000%); then 1-second blocks.
 */
export async function setupChain(vaults: number): Promise<Chain> {
  const perIlk = Math.ceil(vaults / 3);
  const accounts = perIlk + 1 + 6 + 1;
  const node = await startAnvil({ accounts, args: ['--accounts', String(accounts)] });
  const sys = await deploySystem(node);
  const owners: Address[] = [];
  const firstOwner = 8;
  for (let i = 0; i < perIlk; i++) {
    const owner = node.accounts[firstOwner + i]?.address;
    if (!owner) throw new Error('accounts');
    owners.push(owner);
  }
  const openAll = async (i: number): Promise<void> => {
    for (const ilk of sys.ilks) {
      // A retry or two: under load an adjust now and then fails its estimate (another owner's
      // transaction moved the block); the failed attempt changed nothing but the owner's tokens.
      let opened = false;
      for (let attempt = 0; attempt < SETUP_ATTEMPTS && !opened; attempt++) opened = await openVault(sys, firstOwner + i, ilk, 1_000n + BigInt(i % 7) * 100n, 104n + BigInt(i % 5) * 2n);
      if (!opened) throw new Error(`vault ${i} ${ilk.name} not opened`);
    }
  };
  for (let i = 0; i < perIlk; i += SETUP_CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, perIlk - i) }, (_, j) => openAll(i + j)));
  }
  for (const ilk of sys.ilks) {
    const tierId = await node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'tierFor', args: [0n] });
    await send(node, 0, ilk.house, collateralAuctionAbi, 'addTier', [CHAOS_TIER]);
    await send(node, 0, ilk.house, collateralAuctionAbi, 'setTiers', [[tierId + 1n], [maxUint256]]);
  }
  const eth = sys.ilks.find((i) => i.decimals === 18);
  if (!eth) throw new Error('no 18-decimal ilk');
  for (const idx of TAKE_ACCOUNTS) if (!(await openVault(sys, idx, eth, 1_500_000n, 1_000n))) throw new Error(`take account ${idx} not funded`);
  const key = (i: number): Hex => bytesToHex(node.accounts[i]?.getHdKey().privateKey ?? new Uint8Array());
  const dir = mkdtempSync(path.join(tmpdir(), 'gavel-chaos-'));
  const deploymentsFile = path.join(dir, 'deployment.json');
  writeFileSync(deploymentsFile, JSON.stringify({ ...sys.deployment, chainId: node.chain.id, block: sys.deployment.block.toString() }));
  await node.testClient.setAutomine(false);
  await rpc(node.rpcUrl, 'evm_setIntervalMining', [1]);
  return {
    node,
    sys,
    owners,
    keeperKeys: [1, 2, 3, 4, 5, 7].map(key),
    deploymentsFile,
    dir,
    close: async () => {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Crash {
  /** Block each ilk's crash (price set + poke) was mined in. */
  readonly blockByIlk: Map<Hex, bigint>;
  /** The signed crash transactions with the block each was mined in (for a reorg to replay). */
  readonly txs: { raw: Hex; hash: Hex; block: bigint }[];
}

/** A sharp drop of every ilk (30% by default) in one block, from signed transactions. */
export async function crash(c: Chain, pct = 30n): Promise<Crash> {
  const { node, sys } = c;
  const gov = node.accounts[0];
  if (!gov) throw new Error('gov');
  let nonce = await node.publicClient.getTransactionCount({ address: gov.address, blockTag: 'pending' });
  const sent: { raw: Hex; hash: Hex; ilk: Hex }[] = [];
  for (const ilk of sys.ilks) {
    for (const [to, data] of [
      [ilk.mark, encodeFunctionData({ abi: markAbi, functionName: 'set', args: [(ilk.price * (100n - pct)) / 100n, true] })],
      [sys.spotter, encodeFunctionData({ abi: pokeAbi, functionName: 'poke', args: [ilk.id] })],
    ] as const) {
      const raw = await gov.signTransaction({ type: 'eip1559', chainId: node.chain.id, nonce: nonce++, to, data, gas: 300_000n, maxFeePerGas: 100n * 10n ** 9n, maxPriorityFeePerGas: 5n * 10n ** 9n });
      sent.push({ raw, hash: (await rpc(node.rpcUrl, 'eth_sendRawTransaction', [raw])) as Hex, ilk: ilk.id });
    }
  }
  const blockByIlk = new Map<Hex, bigint>();
  const txs: Crash['txs'] = [];
  for (const s of sent) {
    const r = await node.publicClient.waitForTransactionReceipt({ hash: s.hash, pollingInterval: 100 });
    if (r.status !== 'success') throw new Error('crash transaction reverted');
    const prev = blockByIlk.get(s.ilk);
    if (prev === undefined || r.blockNumber > prev) blockByIlk.set(s.ilk, r.blockNumber);
    txs.push({ raw: s.raw, hash: s.hash, block: r.blockNumber });
  }
  for (const ilk of sys.ilks) ilk.price = (ilk.price * (100n - pct)) / 100n;
  return { blockByIlk, txs };
}

/**
 * A port for a keeper's own server: below the kernel's ephemeral range (32768 and up), where an
 * outgoing connection can take a port between our check and the keeper's bind (a random port in
 * 20000-40000 met EADDRINUSE), and free when checked.
 */
export async function listenPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => { resolve(false); });
      srv.listen(port, '0.0.0.0', () => srv.close(() => { resolve(true); }));
    });
    if (free) return port;
  }
}

/** Vaults unsafe on chain (`ilk|owner`), now or at `blockNumber`. */
export async function unsafeVaults(c: Chain, blockNumber?: bigint): Promise<string[]> {
  const calls = c.sys.ilks.flatMap((ilk) => c.owners.map((owner) => ({ ilk, owner })));
  const at = blockNumber === undefined ? {} : { blockNumber };
  const safe = await Promise.all(calls.map(({ ilk, owner }) => c.node.publicClient.readContract({ address: c.sys.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [ilk.id, owner], ...at })));
  return calls.filter((_, i) => safe[i] === false).map(({ ilk, owner }) => `${ilk.name}|${owner}`);
}

export interface Lateness {
  readonly liquidated: number;
  /** Worst (block of liquidation − block the vault became unsafe). */
  readonly maxBlocks: number;
  /** Per lateness in blocks, how many vaults. */
  readonly histogram: Record<string, number>;
}

/** Lateness of every liquidation since the crash, from Liquidate logs (chain truth). */
export async function lateness(c: Chain, cr: Crash, since?: Map<Hex, bigint>): Promise<Lateness> {
  const from = [...cr.blockByIlk.values()].reduce((a, b) => (a < b ? a : b));
  const logs = await c.node.publicClient.getContractEvents({ address: c.sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: from });
  const hist: Record<string, number> = {};
  let max = 0;
  for (const l of logs) {
    const ilk = (l.args.ilk ?? '0x').toLowerCase() as Hex;
    const start = (since ?? cr.blockByIlk).get(ilk) ?? from;
    const late = Number(l.blockNumber - start);
    hist[late] = (hist[late] ?? 0) + 1;
    if (late > max) max = late;
  }
  return { liquidated: logs.length, maxBlocks: max, histogram: hist };
}

/**
 * Liquidations later than `bound` blocks after `since` (per ilk) for which the chain had room: some
 * block between `since + bound` and the liquidation's own block could still have taken another
 * batch (gas limit − gas used ≥ `batchGas`, the keeper's kick gas budget). Empty means every vault
 * later than the bound waited only for blocks already full, i.e. for capacity, not for the keeper.
 */
export async function lateWithRoom(c: Chain, cr: Crash, since: Map<Hex, bigint>, bound: number, batchGas: bigint): Promise<{ owner: string; block: number; roomyBlock: number }[]> {
  const from = [...cr.blockByIlk.values()].reduce((a, b) => (a < b ? a : b));
  const logs = await c.node.publicClient.getContractEvents({ address: c.sys.dog, abi: liquidationEngineAbi, eventName: 'Liquidate', fromBlock: from });
  const roomy = new Map<bigint, boolean>();
  const hasRoom = async (b: bigint): Promise<boolean> => {
    let r = roomy.get(b);
    if (r === undefined) {
      const block = await c.node.publicClient.getBlock({ blockNumber: b });
      r = block.gasLimit - block.gasUsed >= batchGas;
      roomy.set(b, r);
    }
    return r;
  };
  const out: { owner: string; block: number; roomyBlock: number }[] = [];
  for (const l of logs) {
    const start = since.get((l.args.ilk ?? '0x').toLowerCase() as Hex) ?? from;
    for (let b = start + BigInt(bound); b < l.blockNumber; b++) {
      if (await hasRoom(b)) {
        out.push({ owner: l.args.owner ?? '?', block: Number(l.blockNumber), roomyBlock: Number(b) });
        break;
      }
    }
  }
  return out;
}

/** Each keeper account's latest nonce equals its pending nonce (nothing queued behind a gap). */
export async function noncesSettled(c: Chain, keys: readonly Hex[]): Promise<boolean> {
  const { privateKeyToAccount } = await import('viem/accounts');
  for (const k of keys) {
    const address = privateKeyToAccount(k).address;
    const [latest, pending] = await Promise.all([
      c.node.publicClient.getTransactionCount({ address, blockTag: 'latest' }),
      c.node.publicClient.getTransactionCount({ address, blockTag: 'pending' }),
    ]);
    if (latest !== pending) return false;
  }
  return true;
}

/** Gas of this account's transactions since `from`: total and reverted (reverted ones counted per function). */
export interface RevertedTx {
  readonly hash: Hex;
  readonly block: bigint;
  readonly index: number;
  readonly to: Hex;
  readonly fn: string;
  readonly args: readonly unknown[];
  readonly gasUsed: bigint;
  readonly gasLimit: bigint;
}

export async function gasSpent(c: Chain, key: Hex, from: bigint): Promise<{ total: bigint; reverted: bigint; revertedTxs: number; revertedByFn: Record<string, number>; revertedList: RevertedTx[] }> {
  const { privateKeyToAccount } = await import('viem/accounts');
  const me = privateKeyToAccount(key).address.toLowerCase();
  const head = await c.node.publicClient.getBlockNumber();
  let total = 0n;
  let reverted = 0n;
  let revertedTxs = 0;
  const revertedByFn: Record<string, number> = {};
  const revertedList: RevertedTx[] = [];
  for (let b = from; b <= head; b++) {
    const block = await c.node.publicClient.getBlock({ blockNumber: b, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.from.toLowerCase() !== me) continue;
      const r = await c.node.publicClient.getTransactionReceipt({ hash: tx.hash });
      total += r.gasUsed;
      if (r.status !== 'success') {
        reverted += r.gasUsed;
        revertedTxs++;
        let fn = tx.input.slice(0, 10);
        let args: readonly unknown[] = [];
        for (const abi of [collateralAuctionAbi, liquidationEngineAbi] as const) {
          try {
            const d = decodeFunctionData({ abi, data: tx.input });
            fn = d.functionName;
            args = d.args;
            break;
          } catch {
            // another contract's function
          }
        }
        revertedByFn[fn] = (revertedByFn[fn] ?? 0) + 1;
        revertedList.push({ hash: tx.hash, block: b, index: r.transactionIndex, to: tx.to ?? '0x', fn, args, gasUsed: r.gasUsed, gasLimit: tx.gas });
      }
    }
  }
  return { total, reverted, revertedTxs, revertedByFn, revertedList };
}

export interface KeeperProc {
  readonly child: ChildProcess;
  readonly lines: { msg?: string; level?: number; [k: string]: unknown }[];
  stderr: string;
  readonly exited: Promise<number | null>;
  /** Resolves when the keeper logs `index live`. */
  live(timeoutMs?: number): Promise<void>;
}

/** Starts `gavel-keeper run` (from source) with these RPC URLs and keys. */
export function startKeeper(c: Chain, o: { urls: readonly string[]; keys: readonly Hex[]; checkpoint?: string; env?: Record<string, string> }): KeeperProc {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GAVEL_KEEPER_FROM_SOURCE: '1',
    GAVEL_RPC_URLS: o.urls.join(','),
    GAVEL_CHAIN_ID: String(c.node.chain.id),
    GAVEL_DEPLOYMENTS_FILE: c.deploymentsFile,
    GAVEL_CHECKPOINT_FILE: o.checkpoint ?? path.join(c.dir, `keeper-${Math.random().toString(36).slice(2)}.sqlite`),
    GAVEL_POLL_INTERVAL_MS: '100',
    GAVEL_SETTLE_INTERVAL_BLOCKS: '0',
    GAVEL_REFERENCE: 'oracle',
    GAVEL_MIN_MARGIN: '0.02',
    GAVEL_CAPITAL: 'own',
    // GAVEL_CHAOS_KEEPER_LOG_LEVEL=debug: the keeper's timeline in detail (with GAVEL_CHAOS_DEBUG).
    GAVEL_LOG_LEVEL: process.env.GAVEL_CHAOS_KEEPER_LOG_LEVEL ?? 'info',
    GAVEL_PRIVATE_KEYS: o.keys.join(','),
    // A measuring knob: GAVEL_CHAOS_TAKE_JITTER_MS sets the keepers' take jitter (default: the keeper's 5,000 ms once it has seen a rival).
    ...(process.env.GAVEL_CHAOS_TAKE_JITTER_MS ? { GAVEL_TAKE_JITTER_MS: process.env.GAVEL_CHAOS_TAKE_JITTER_MS } : {}),
    ...o.env,
  };
  const child = spawn(process.execPath, [bin, 'run'], { env });
  const p: KeeperProc = {
    child,
    lines: [],
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => {
      resolve(code);
    })),
    live: async (timeoutMs = 120_000) => {
      const end = Date.now() + timeoutMs;
      while (!p.lines.some((l) => l.msg === 'index live')) {
        if (child.exitCode !== null) throw new Error(`keeper exited ${child.exitCode}: ${p.stderr.slice(-800)}`);
        if (Date.now() > end) throw new Error(`keeper not live: ${p.stderr.slice(-800)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  let partial = '';
  child.stdout.resume();
  child.stderr.on('data', (d: Buffer) => {
    p.stderr = (p.stderr + d.toString()).slice(-200_000);
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      try {
        p.lines.push(JSON.parse(line) as { msg?: string });
      } catch {
        // not JSON
      }
    }
  });
  return p;
}

/** SIGTERM and wait (SIGKILL after 15 s). */
export async function stopKeeper(p: KeeperProc): Promise<number | null> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  const code = await p.exited;
  clearTimeout(t);
  return code;
}

export async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string, pollMs = 250): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export type { IlkFixture };

const markPeekAbi = () => readArtifact('MockMarkPrice').abi;

export interface TakeJudgement {
  /** Auctions kicked since the crash. */
  readonly auctions: number;
  /** Of them, ended by a take. */
  readonly taken: number;
  /** Restarted by a redo (their lateness counts from the last restart). */
  readonly redone: number;
  /** Worst (block of the take − first block at whose time the price was ≤ mark × (1 − margin)). */
  readonly maxBlocks: number;
  readonly histogram: Record<string, number>;
  /** Takes per taker address. */
  readonly byTaker: Record<string, number>;
}

/** Every house has no live auction (`count()` = 0 on chain). */
export async function auctionsEnded(c: Chain): Promise<boolean> {
  const counts = await Promise.all(c.sys.ilks.map((ilk) => c.node.publicClient.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'count' })));
  return counts.every((n) => n === 0n);
}

/**
 * The take side from chain truth: Kick, Redo and Take logs since `from`, and for each auction the
 * first block whose `getStatus` price (evaluated at that block, by the contract) is at or below
 * the mark × (1 − {@link CHAOS_MIN_MARGIN_WAD}) — binary search over historical state.
 */
export async function judgeTakes(c: Chain, from: bigint): Promise<TakeJudgement> {
  const pc = c.node.publicClient;
  const hist: Record<string, number> = {};
  const byTaker: Record<string, number> = {};
  let auctions = 0;
  let taken = 0;
  let redone = 0;
  let max = 0;
  for (const ilk of c.sys.ilks) {
    const [kicks, redos, takes] = await Promise.all([
      pc.getContractEvents({ address: ilk.house, abi: collateralAuctionAbi, eventName: 'Kick', fromBlock: from }),
      pc.getContractEvents({ address: ilk.house, abi: collateralAuctionAbi, eventName: 'Redo', fromBlock: from }),
      pc.getContractEvents({ address: ilk.house, abi: collateralAuctionAbi, eventName: 'Take', fromBlock: from }),
    ]);
    const [mark] = (await pc.readContract({ address: ilk.mark, abi: markPeekAbi() as never, functionName: 'peek' })) as readonly [bigint, boolean];
    const limit = (mark * (WAD - CHAOS_MIN_MARGIN_WAD)) / WAD;
    const firstKick = new Map<bigint, (typeof kicks)[number]>();
    for (const k of kicks) if (!firstKick.has(k.args.id ?? 0n)) firstKick.set(k.args.id ?? 0n, k);
    const jobs = [...firstKick.values()].map((k) => async () => {
      const id = k.args.id ?? 0n;
      auctions++;
      const restarts = redos.filter((r) => r.args.id === id);
      if (restarts.length > 0) redone++;
      const start = [k, ...restarts].reduce((b, l) => (l.blockNumber > b ? l.blockNumber : b), 0n);
      const mine = takes.filter((t) => t.args.id === id && t.blockNumber >= start);
      const last = mine.find((t) => t.args.lotLeft === 0n || t.args.tabLeft === 0n);
      if (!last) return;
      taken++;
      for (const t of mine) {
        const who = (t.args.taker ?? '0x').toLowerCase();
        byTaker[who] = (byTaker[who] ?? 0) + 1;
      }
      const first = mine[0] ?? last;
      // The first block at which the price is ≤ limit: state is live in [start, first.blockNumber − 1].
      let lo = start;
      let hi = first.blockNumber;
      while (lo < hi) {
        const mid = (lo + hi) / 2n;
        const [, price, lot] = await pc.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [id], blockNumber: mid });
        if (lot > 0n && price <= limit) hi = mid;
        else lo = mid + 1n;
      }
      const late = Number(first.blockNumber - lo);
      hist[late] = (hist[late] ?? 0) + 1;
      if (late > max) max = late;
    });
    for (let i = 0; i < jobs.length; i += 16) await Promise.all(jobs.slice(i, i + 16).map((j) => j()));
  }
  return { auctions, taken, redone, maxBlocks: max, histogram: hist, byTaker };
}
