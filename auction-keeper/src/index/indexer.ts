// The index: backfills the model from the deployment block in block ranges the RPC accepts, then
// follows new blocks one by one (hash-linked, so reorgs are seen), feeds every vault and ilk
// change into the UnsafeIndex, checkpoints to SQLite, and tells listeners what changed.
//
// Reorgs: the model keeps per-block undo records for the last `reorgDepth` blocks. When a new
// block's parent hash is not the hash we processed at that height (or the head went below our
// block), we walk back to the common ancestor, undo the blocks after it, newest first, and
// re-apply the canonical blocks. A fork deeper than the window rebuilds from the deployment block.

import { type Address, type Block, type Hex, type PublicClient, createPublicClient, hexToBytes, keccak256 } from 'viem';
import type { SafetyChange } from '../detect/unsafeIndex.ts';
import type { Deployment } from '../config/deployments.ts';
import type { RpcPool } from '../rpc/pool.ts';
import { isRangeError, shortError } from '../rpc/pool.ts';
import { type CheckpointIdentity, CheckpointStore } from '../store/checkpoint.ts';
import { type IndexLog, type Sources, applyLog, needsTimestamp } from './apply.ts';
import { indexEvents } from './events.ts';
import { type AuctionChange, IndexModel } from './model.ts';

export interface IndexerOptions {
  readonly deployment: Deployment;
  readonly chainId: number;
  /** RPC: a pool (preferred: failover and stale-head rotation) or a ready viem client. */
  readonly pool?: RpcPool;
  readonly client?: PublicClient;
  /** SQLite checkpoint file; none: no persistence. */
  readonly checkpointFile?: string;
  /**
   * Load the checkpoint (when the file exists and is one) but never write, reset or create it: for
   * read-only commands that may run beside a keeper using the same file.
   */
  readonly checkpointReadOnly?: boolean;
  readonly blockRange?: number;
  readonly reorgDepth?: number;
  readonly confirmations?: number;
  readonly pollIntervalMs?: number;
  readonly checkpointIntervalMs?: number;
  /** Smallest block range before a "range too large" error is fatal. Default 1. */
  readonly minBlockRange?: number;
}

export interface UnsafeEvent extends SafetyChange {
  readonly block: bigint;
  /** False while backfilling (the state is historical). */
  readonly live: boolean;
}

export interface AuctionEvent extends AuctionChange {
  readonly block: bigint;
  readonly live: boolean;
}

export interface IndexerEvents {
  /** Vaults that became unsafe (or safe again) in an ilk. */
  unsafe: UnsafeEvent;
  auction: AuctionEvent;
  /**
   * The node's head moved past what the index has applied; sent before the new blocks are fetched,
   * so that reads of the pending state can go out beside them (the kicker's room read).
   */
  head: { readonly head: bigint; readonly live: boolean };
  /** A block (or a backfill range `from`..`block`) was applied. */
  block: { readonly from: bigint; readonly block: bigint; readonly head: bigint; readonly live: boolean };
  reorg: { readonly from: bigint; readonly ancestor: bigint; readonly undone: number };
  /** The first time the index reached the head. */
  live: { readonly block: bigint };
  checkpoint: { readonly block: bigint; readonly vaultsWritten: number; readonly ms: number };
  /**
   * The stored checkpoint belongs to another chain or deployment (e.g. a restarted anvil with the
   * same addresses: the deployment block's hash differs). It is ignored and the index rebuilt from
   * the deployment block; `discarded`: the store was reset (false for a read-only store).
   */
  checkpointMismatch: { readonly file: string; readonly reason: string; readonly discarded: boolean };
  error: { readonly error: unknown; readonly message: string };
  rangeHalved: { readonly from: bigint; readonly size: number };
}

type Listener<K extends keyof IndexerEvents> = (e: IndexerEvents[K]) => void;

interface Header {
  readonly number: bigint;
  readonly hash: Hex;
  readonly parentHash: Hex;
  readonly timestamp: bigint;
  /** The block's 2048-bit logs bloom (null for a pending block). */
  readonly logsBloom: Hex | null;
}

/** Head asks in flight at once while waiting for a new block (a slow node is not flooded). */
const MAX_HEAD_ASKS = 4;
/** Bits of the logs bloom an address sets (yellow paper: three 11-bit slices of its keccak). */
const BLOOM_SLICES = [0, 2, 4] as const;
const BLOOM_BYTES = 256;
const BLOOM_BIT_MASK = 0x7ff;

/** False only when the bloom proves the block has no log from `address` (then no query is needed). */
export function bloomMayContain(bloom: Hex, address: Address): boolean {
  const bits = hexToBytes(bloom);
  if (bits.length !== BLOOM_BYTES) return true;
  const h = keccak256(hexToBytes(address), 'bytes');
  for (const i of BLOOM_SLICES) {
    const bit = (((h[i] ?? 0) << 8) | (h[i + 1] ?? 0)) & BLOOM_BIT_MASK;
    const byte = bits[BLOOM_BYTES - 1 - (bit >> 3)] ?? 0;
    if ((byte & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

export class Indexer {
  /** The model (replaced by a new one after a fork deeper than the reorg window). */
  model = new IndexModel();
  readonly client: PublicClient;
  private readonly deployment: Deployment;
  private readonly chainId: number;
  private readonly pool: RpcPool | undefined;
  private readonly store: CheckpointStore | undefined;
  private readonly sources: Sources;
  private readonly addresses: Address[];
  private readonly reorgDepth: number;
  private readonly confirmations: bigint;
  private readonly pollIntervalMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly maxRange: number;
  private readonly minRange: number;
  private range: number;
  private rangeSuccesses = 0;
  /** Last block applied to the model. */
  processed: bigint;
  head = 0n;
  /** Timestamp of the last block applied one by one (undefined until then), and when it was applied (ms). */
  processedTimestamp: bigint | undefined;
  processedAtMs = 0;
  live = false;
  private running = false;
  private loop: Promise<void> | undefined;
  private lastCheckpointAt = 0;
  private checkpointedBlock: bigint | undefined;
  private storeReady = false;
  /** This chain's identity (with the deployment block's hash), known once fetched. */
  private chainIdentity: CheckpointIdentity | undefined;
  private readonly listeners = new Map<keyof IndexerEvents, Set<(e: never) => void>>();
  private readonly tsCache = new Map<bigint, bigint>();

  constructor(options: IndexerOptions) {
    this.deployment = options.deployment;
    this.chainId = options.chainId;
    this.pool = options.pool;
    const client = options.client ?? (options.pool ? createPublicClient({ transport: options.pool.transport(), cacheTime: 0 }) : undefined);
    if (!client) throw new Error('Indexer needs a pool or a client');
    this.client = client;
    this.reorgDepth = options.reorgDepth ?? 64;
    this.confirmations = BigInt(options.confirmations ?? 0);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 10_000;
    this.maxRange = options.blockRange ?? 5_000;
    this.minRange = options.minBlockRange ?? 1;
    this.range = this.maxRange;
    const d = this.deployment;
    const houseIlk = new Map<string, Hex>();
    for (const i of d.ilks) {
      houseIlk.set(i.house.toLowerCase(), i.id);
      this.model.houses.set(i.id, i.house);
    }
    this.sources = { engine: d.engine, spotter: d.spotter, liquidationEngine: d.liquidationEngine, houseIlk };
    this.addresses = [d.engine, ...(d.spotter ? [d.spotter] : []), ...(d.liquidationEngine ? [d.liquidationEngine] : []), ...d.ilks.map((i) => i.house)];
    this.processed = d.block - 1n;
    this.store = options.checkpointFile ? openStore(options.checkpointFile, options.checkpointReadOnly ?? false) : undefined;
  }

  on<K extends keyof IndexerEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const l = listener as (e: never) => void;
    set.add(l);
    return () => set.delete(l);
  }

  private emit<K extends keyof IndexerEvents>(event: K, e: IndexerEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of set) (l as Listener<K>)(e);
  }

  /**
   * Loads the checkpoint (if any and for this chain and deployment). Returns the resumed block.
   * Fetches the deployment block's hash first: a checkpoint from another chain with the same id
   * and addresses is ignored (event `checkpointMismatch`) and, unless read-only, reset.
   * {@link syncOnce} calls it on its first run (so an RPC error at start is retried like any other).
   */
  async loadCheckpoint(): Promise<{ block: bigint; vaults: number; ms: number } | undefined> {
    if (!this.store) return undefined;
    const identity = await this.fetchIdentity();
    const reason = this.store.mismatch(identity);
    if (reason !== undefined) this.emit('checkpointMismatch', { file: this.store.file, reason, discarded: !this.store.readOnly });
    const loaded = this.store.load(this.model, identity);
    this.storeReady = true;
    if (loaded) {
      this.processed = loaded.block;
      this.checkpointedBlock = loaded.block;
      // Deployment houses take precedence over none; the checkpoint's (from IlkConfigured) over both.
    }
    return loaded;
  }

  /** Writes a checkpoint now (no-op without a store or when nothing advanced). */
  checkpoint(): void {
    if (!this.store) return;
    if (this.checkpointedBlock === this.processed) return;
    // Without this chain's identity nothing can be stamped (nothing was synced either).
    const identity = this.chainIdentity;
    if (!identity) return;
    // Never loaded: the store may hold another run's vaults. Start it afresh (every vault this
    // model holds was built from logs, so it is dirty and gets written).
    if (!this.storeReady) {
      this.store.reset(identity);
      this.storeReady = true;
    }
    const r = this.store.save(this.model, this.processed);
    this.checkpointedBlock = this.processed;
    this.lastCheckpointAt = Date.now();
    this.emit('checkpoint', { block: this.processed, ...r });
  }

  /** Loads the checkpoint and runs the follow loop until {@link stop}. Resolves once live. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const becameLive = new Promise<void>((resolve) => {
      if (this.live) resolve();
      else {
        const off = this.on('live', () => {
          off();
          resolve();
        });
      }
    });
    this.loop = this.run();
    await Promise.race([becameLive, this.loop]);
  }

  private async run(): Promise<void> {
    let failures = 0;
    let seen: bigint | undefined;
    while (this.running) {
      try {
        await this.syncOnce(seen);
        failures = 0;
      } catch (err) {
        failures++;
        this.emit('error', { error: err, message: shortError(err) });
      }
      seen = undefined;
      if (!this.isRunning()) break;
      // Capped at 2 s: after an outage the index resumes within about two blocks of the node
      // answering (the pool probes every endpoint every second and clears its cool-down).
      const wait = failures === 0 ? this.pollIntervalMs : Math.min(2_000, this.pollIntervalMs * 2 ** Math.min(5, failures));
      if (this.pool?.pushesHeads()) await this.pool.waitForHead(wait);
      else if (failures > 0) await new Promise((r) => setTimeout(r, wait));
      else seen = await this.waitForNewHead();
    }
  }

  /**
   * Asks the node for its head every poll interval, without waiting for the answer before the next
   * ask (at most {@link MAX_HEAD_ASKS} in flight), until one differs from the index's head; returns it
   * (undefined: an ask failed, the index stopped, or a minute passed — syncOnce then asks itself).
   * One ask at a time, with 300 ms to the node and a 100 ms interval, saw a new block up to 700 ms
   * after it was mined; overlapping asks see it within an interval of it reaching the node.
   */
  private waitForNewHead(): Promise<bigint | undefined> {
    return new Promise((resolve) => {
      let done = false;
      let inFlight = 0;
      const finish = (head: bigint | undefined): void => {
        if (done) return;
        done = true;
        clearInterval(timer);
        clearTimeout(cap);
        resolve(head);
      };
      const ask = (): void => {
        if (!this.running) {
          finish(undefined);
          return;
        }
        if (inFlight >= MAX_HEAD_ASKS) return;
        inFlight++;
        // The raw request: getBlockNumber shares one pending answer between callers (viem's cache).
        this.client.request({ method: 'eth_blockNumber' }).then(
          (hex) => {
            inFlight--;
            const head = BigInt(hex);
            // Lower too: a reorg onto a shorter branch is reconciled at once, not once it grows past.
            if (head !== this.head) finish(head);
          },
          () => {
            inFlight--;
            finish(undefined);
          },
        );
      };
      const timer = setInterval(ask, this.pollIntervalMs);
      const cap = setTimeout(() => {
        finish(undefined);
      }, 60_000);
    });
  }

  private isRunning(): boolean {
    return this.running;
  }

  /** Stops following; writes a final checkpoint and closes the store. */
  async stop(): Promise<void> {
    this.running = false;
    this.pool?.close();
    await this.loop;
    this.checkpoint();
    this.store?.close();
  }

  /** Stops without a checkpoint or a clean close (crash simulation in tests). */
  async kill(): Promise<void> {
    this.running = false;
    this.pool?.close();
    await this.loop?.catch(() => undefined);
  }

  /** Brings the model to the current head (minus confirmations); `seen`: a head just read from the node (no ask then). */
  async syncOnce(seen?: bigint): Promise<void> {
    if (this.store && !this.storeReady) await this.loadCheckpoint();
    const head = seen ?? (await this.client.getBlockNumber({ cacheTime: 0 }));
    const moved = head > this.head;
    this.head = head;
    const target = head - this.confirmations;
    if (moved && target > this.processed) this.emit('head', { head, live: this.live });
    if (target < this.processed && this.model.window.length > 0) {
      await this.reconcile(target);
    }
    // Deep history: ranges, no hash tracking (beyond the reorg window).
    const rangeEnd = target - BigInt(this.reorgDepth);
    if (this.processed < rangeEnd) {
      this.model.clearWindow();
      while (this.processed < rangeEnd && (this.running || !this.loop)) {
        await this.applyRange(this.processed + 1n, rangeEnd, head);
        this.maybeCheckpoint();
      }
    }
    // Recent blocks: hash-linked, applied one at a time, but fetched in groups of up to 16 blocks,
    // headers and logs in one round trip (blocksWithLogs): catching up after a slow start or an
    // outage costs one round trip per group, and a new block one (with 100 ms to the node, one
    // block at a time fell further behind than 1-second blocks allowed).
    while (this.processed < target && (this.running || !this.loop)) {
      const from = this.processed + 1n;
      const to = target - from >= 15n ? from + 15n : target;
      const numbers: bigint[] = [];
      for (let n = from; n <= to; n++) numbers.push(n);
      const [headers, logsOf] = await this.blocksWithLogs(numbers, from, to);
      let forked = false;
      for (let i = 0; i < headers.length; i++) {
        const header = headers[i];
        const logs = logsOf[i];
        if (!header || !logs) break;
        const n = numbers[i] ?? 0n;
        const parent = this.model.window.at(-1);
        if (parent && parent.number === n - 1n && parent.hash !== header.parentHash) {
          await this.reconcile(n - 1n);
          forked = true;
          break;
        }
        this.model.beginBlock();
        for (const log of logs) applyLog(this.model, this.sources, log, header.timestamp);
        this.model.commitBlock(n, header.hash, header.parentHash, this.reorgDepth);
        this.processed = n;
        this.processedTimestamp = header.timestamp;
        this.processedAtMs = Date.now();
        this.publish(n, head);
        this.maybeCheckpoint();
      }
      if (forked) continue;
    }
    if (!this.live && this.processed >= target) {
      this.live = true;
      this.checkpoint();
      this.emit('live', { block: this.processed });
    }
  }

  private async header(n: bigint): Promise<Header> {
    const b: Block = await this.client.getBlock({ blockNumber: n });
    if (b.hash === null) throw new Error(`block ${n} has no hash (pending)`);
    return { number: n, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp, logsBloom: b.logsBloom };
  }

  /**
   * Headers of `numbers` (from..to) and each block's logs, in one round trip: the headers and one
   * eth_getLogs over the range by number go out together. The range's logs are only trusted for
   * the block the header names: a log whose blockHash is not the header's (a reorg between the two
   * answers), or no log for a block whose logs bloom says it may hold ours, and that block's logs
   * are fetched again by hash. A failed range query falls back to per-block queries by hash.
   */
  private async blocksWithLogs(numbers: readonly bigint[], from: bigint, to: bigint): Promise<[Header[], IndexLog[][]]> {
    const [headers, ranged] = await Promise.all([
      Promise.all(numbers.map((n) => this.header(n))),
      this.client.getLogs({ address: this.addresses, events: indexEvents, fromBlock: from, toBlock: to, strict: true }).catch(() => undefined),
    ]);
    const byHash = (h: Header): Promise<IndexLog[]> => this.client.getLogs({ address: this.addresses, events: indexEvents, blockHash: h.hash, strict: true });
    if (!ranged) return [headers, await Promise.all(headers.map(byHash))];
    const logsOf = await Promise.all(
      headers.map((h) => {
        const mine = ranged.filter((l) => l.blockNumber === h.number);
        if (mine.some((l) => l.blockHash !== h.hash)) return byHash(h);
        if (mine.length === 0 && h.logsBloom !== null && this.addresses.some((a) => bloomMayContain(h.logsBloom as Hex, a))) return byHash(h);
        return Promise.resolve(mine);
      }),
    );
    return [headers, logsOf];
  }

  private async timestampOf(n: bigint): Promise<bigint> {
    let t = this.tsCache.get(n);
    if (t === undefined) {
      t = (await this.header(n)).timestamp;
      if (this.tsCache.size > 1_000) this.tsCache.clear();
      this.tsCache.set(n, t);
    }
    return t;
  }

  /** One eth_getLogs range starting at `from` (halving the range on "too large"). */
  private async applyRange(from: bigint, end: bigint, head: bigint): Promise<void> {
    for (;;) {
      const to = from + BigInt(this.range) - 1n < end ? from + BigInt(this.range) - 1n : end;
      let logs: IndexLog[];
      try {
        logs = await this.client.getLogs({ address: this.addresses, events: indexEvents, fromBlock: from, toBlock: to, strict: true });
      } catch (err) {
        if (isRangeError(err) && this.range > this.minRange) {
          this.range = Math.max(this.minRange, Math.floor(this.range / 2));
          this.rangeSuccesses = 0;
          this.emit('rangeHalved', { from, size: this.range });
          continue;
        }
        throw err;
      }
      // Grow back towards the configured range after a run of successes.
      if (++this.rangeSuccesses >= 8 && this.range < this.maxRange) {
        this.range = Math.min(this.maxRange, this.range * 2);
        this.rangeSuccesses = 0;
      }
      for (const log of logs) {
        const ts = needsTimestamp(log) ? await this.timestampOf(log.blockNumber) : 0n;
        applyLog(this.model, this.sources, log, ts);
      }
      this.processed = to;
      this.publish(to, head, from);
      return;
    }
  }

  private publish(block: bigint, head: bigint, from = block): void {
    const { safety, auctions } = this.model.drainChanges();
    const live = this.live;
    for (const s of mergeSafety(safety)) this.emit('unsafe', { ...s, block, live });
    for (const a of auctions) this.emit('auction', { ...a, block, live });
    this.emit('block', { from, block, head, live });
  }

  /**
   * The chain no longer contains our block at `from` (or below it): find the newest window block
   * the chain still has, undo everything after it. A fork older than the window rebuilds the
   * model from the deployment block.
   */
  private async reconcile(from: bigint): Promise<void> {
    const window = this.model.window;
    let ancestor: bigint | undefined;
    for (let i = window.length - 1; i >= 0; i--) {
      const b = window[i];
      if (!b || b.number > from) continue;
      let h: Header | undefined;
      try {
        h = await this.header(b.number);
      } catch {
        h = undefined;
      }
      if (h?.hash === b.hash) {
        ancestor = b.number;
        break;
      }
    }
    const before = this.processed;
    if (ancestor === undefined) {
      this.rebuild();
      this.emit('reorg', { from: before, ancestor: this.processed, undone: -1 });
      return;
    }
    const undone = this.model.rollbackTo(ancestor);
    this.processed = ancestor;
    this.publish(ancestor, this.head);
    this.emit('reorg', { from: before, ancestor, undone });
  }

  /** Forgets everything and starts again from the deployment block. */
  private rebuild(): void {
    const fresh = new IndexModel();
    this.model = fresh;
    for (const i of this.deployment.ilks) fresh.houses.set(i.id, i.house);
    this.processed = this.deployment.block - 1n;
    this.live = false;
    if (this.chainIdentity) this.store?.reset(this.chainIdentity);
    this.checkpointedBlock = undefined;
  }

  /** Chain id, engine, deployment block and that block's hash on the chain we are connected to. */
  private async fetchIdentity(): Promise<CheckpointIdentity> {
    if (this.chainIdentity) return this.chainIdentity;
    const b = await this.client.getBlock({ blockNumber: this.deployment.block });
    this.chainIdentity = {
      chainId: this.chainId,
      engine: this.deployment.engine.toLowerCase(),
      deploymentBlock: this.deployment.block.toString(),
      deploymentBlockHash: b.hash.toLowerCase(),
    };
    return this.chainIdentity;
  }

  private maybeCheckpoint(): void {
    if (this.store && Date.now() - this.lastCheckpointAt >= this.checkpointIntervalMs) this.checkpoint();
  }
}

/** The checkpoint store; a read-only one over a missing or unreadable file is none (index from logs). */
function openStore(file: string, readOnly: boolean): CheckpointStore | undefined {
  if (!readOnly) return new CheckpointStore(file);
  try {
    return new CheckpointStore(file, { readOnly: true });
  } catch {
    return undefined;
  }
}

/** Merges the per-mutation safety changes of one block into one change per ilk. */
function mergeSafety(changes: readonly SafetyChange[]): SafetyChange[] {
  if (changes.length <= 1) return [...changes];
  // owner → [unsafe before the block, unsafe after]
  const byIlk = new Map<string, Map<string, [boolean, boolean]>>();
  for (const c of changes) {
    let m = byIlk.get(c.ilk);
    if (!m) {
      m = new Map();
      byIlk.set(c.ilk, m);
    }
    for (const o of c.becameUnsafe) m.set(o, [m.get(o)?.[0] ?? false, true]);
    for (const o of c.becameSafe) m.set(o, [m.get(o)?.[0] ?? true, false]);
  }
  const out: SafetyChange[] = [];
  for (const [ilk, m] of byIlk) {
    const becameUnsafe: string[] = [];
    const becameSafe: string[] = [];
    for (const [o, [was, is]] of m) if (was !== is) (is ? becameUnsafe : becameSafe).push(o);
    if (becameUnsafe.length + becameSafe.length > 0) out.push({ ilk, becameUnsafe, becameSafe });
  }
  return out;
}
