// Kick: liquidate unsafe vaults the moment the index sees them.
//
// Triggered by the indexer's 'unsafe' events (and, on every live block, a pass over each ilk's
// unsafe set, which picks up partial liquidations, vaults that waited for room and vaults found
// during backfill). One pass at a time (a pass requested while one runs sets a flag: no
// overlapping handlers). Per ilk:
//  - none while the house's breaker forbids new auctions (SDK `kickAllowed`, level NoNewAuctions and up);
//  - candidates: unsafe, not already pending (sent and not yet seen by the index), not backing off;
//  - ordered by what the keeper earns (incentive = min(tip + chip × tab, penalty part of tab)),
//    then by the risk to the system (debt × how far below safe);
//  - cut to the engine's room(ilk) (the vault that crosses it is liquidated in part by the
//    contract; nothing is sent once the room is used up), read at the pending block when the
//    node's head moved, beside the index's fetch of the block (no round trip in the pass);
//  - chunked to the gas budget from MEASURED gas: batches are planned with a linear model
//    gas(n) = fixed + n × perVault fitted to the (buffered) eth_estimateGas of liquidateMany
//    batches — the configured kickGasPerVault only plans the first pass (all its batches at once,
//    one preparation round trip). A batch over the budget shrinks,
//    re-estimated (at most three estimates a batch); one under it goes as it is (no growing: a round
//    trip per step). Transactions never exceed kickGasBudget (a single vault is sent as it is); one
//    vault → liquidate, several → liquidateMany;
//  - simulated first: vaults the batch would skip (id 0) are dropped and the batch re-simulated;
//    a reverting simulation sends nothing and backs the vaults off;
//  - tier 1 (with `instant`): a vault whose tab falls in a tier starting below the mark goes alone
//    through the flash taker's liquidateAndTake, beside the batches, when the simulation shows a
//    profit above the gas at the fee ceiling (sent with that as its on-chain minimum profit); a
//    vault for which it does not pay goes into the next pass's batches (instant.ts).
// Detection-to-kick latency (ms and blocks) is measured when the liquidation is mined.

import type { Logger } from 'pino';
import { type Abi, type Address, type Hex, type TransactionReceipt, decodeEventLog, getAddress, parseEventLogs } from 'viem';
import type { Indexer, UnsafeEvent } from '../index/indexer.ts';
import { WAD, debtOf, health, kickAllowed, liquidationEngineAbi, liquidationIncentive, liquidationTab, skipReasonName, uniswapV2FlashTakerAbi, waitsForRoom } from '@gavel/sdk';
import { type KeeperMetrics, wadToNumber } from '../metrics.ts';
import type { ContractCall, PrepareFailure, Prepared, TxSender } from '../send/sender.ts';
import { SerialRunner } from '../util/serial.ts';
import { type InstantOptions, instantArgs, instantProfit, instantTier } from './instant.ts';

export interface KickerOptions {
  readonly indexer: Indexer;
  readonly sender: TxSender;
  readonly liquidationEngine: Address;
  /** Receives the incentives. Default: the kick lane's account. */
  readonly rewardRecipient?: Address;
  /** Gas budget of one liquidation transaction (the estimate, buffered, stays under it). */
  readonly gasBudget: number;
  /** Planning figure per vault until a batch has been estimated (then the estimate is used). */
  readonly gasPerVault: number;
  /** Fees follow the base fee up to this share (bps) of the batch's incentives per gas (fees.ts feesForAction); unset: the config ceiling only. */
  readonly feeShareBps?: bigint;
  /** Stablecoin per native token, WAD: converts the incentives to wei. Required with feeShareBps. */
  readonly nativePriceWad?: bigint;
  readonly logger: Logger;
  readonly metrics?: KeeperMetrics;
  /** Blocks a vault waits after a failed simulation, doubling per failure (max 64×). Default 1. */
  readonly backoffBlocks?: number;
  /** Tier 1 through the flash taker (config instantTake with capital flash); unset: batches only. */
  readonly instant?: InstantOptions;
}

export interface InstantRecord {
  readonly ilk: Hex;
  readonly owner: Address;
  readonly hash: Hex;
  readonly block: bigint;
  /** Stablecoin the keeper received (incentive + swap surplus), WAD, before gas. */
  readonly profit: bigint;
}

export interface KickRecord {
  readonly ilk: Hex;
  readonly owner: Address;
  readonly hash: Hex;
  readonly block: bigint;
  readonly detectedBlock: bigint;
  readonly latencyBlocks: bigint;
  readonly latencyMs: number;
  readonly incentive: bigint;
}

/** A batch sized to the gas budget and its preparation (sizeChunk). */
interface SizedChunk {
  readonly chunk: Candidate[];
  readonly prep: Prepared | PrepareFailure;
}

interface Candidate {
  readonly owner: Address;
  readonly key: string;
  readonly debt: bigint;
  readonly tab: bigint;
  readonly incentive: bigint;
  readonly risk: bigint;
}

interface EngineParams {
  readonly tip: bigint;
  readonly chipWad: bigint;
  readonly penaltyWad: Map<Hex, bigint>;
  readonly readAt: bigint;
}

const key = (ilk: string, owner: string): string => `${ilk.toLowerCase()}|${owner.toLowerCase()}`;

export class Kicker {
  /** Mined liquidations (newest last), for tests and the CLI. */
  readonly kicks: KickRecord[] = [];
  /** Tier-1 liquidate-and-take transactions mined (newest last). */
  readonly instants: InstantRecord[] = [];
  /** Transactions sent (each a batch or a single vault). */
  sent = 0;
  private readonly o: KickerOptions;
  private readonly detected = new Map<string, { ms: number; block: bigint }>();
  /** Vault key → block the index must reach before the vault may be sent again (undefined: in flight). */
  private readonly pending = new Map<string, bigint | undefined>();
  private readonly backoff = new Map<string, { until: bigint; fails: number }>();
  /** Vaults for which liquidate-and-take did not pay: kicked in batches from then on. */
  private readonly noInstant = new Set<string>();
  private params: EngineParams | undefined;
  /** Buffered liquidateMany gas ≈ fixed + n × perVault, fitted to estimates; undefined before any. */
  private gasModel: { readonly fixed: number; readonly perVault: number } | undefined;
  private running = false;
  private readonly runner = new SerialRunner(
    () => this.pass(),
    () => this.running,
    (err: unknown) => {
      this.log.error({ error: err instanceof Error ? err.message : String(err) }, 'kick pass failed');
    },
  );
  private readonly offs: (() => void)[] = [];
  private readonly inflight = new Set<Promise<unknown>>();
  /**
   * room(ilk) at the pending block, read when the node's head moved (beside the index's fetch of
   * the new block) for the next pass to use once; `epoch`: the kick lane's send epoch then.
   */
  private readonly roomAhead = new Map<Hex, { readonly head: bigint; readonly epoch: number; readonly value: Promise<bigint | undefined> }>();

  constructor(options: KickerOptions) {
    this.o = options;
  }

  private get log(): Logger {
    return this.o.logger;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { indexer } = this.o;
    this.offs.push(
      indexer.on('unsafe', (e) => {
        this.onUnsafe(e);
      }),
      indexer.on('head', (e) => {
        if (e.live) this.readRoomAhead(e.head);
      }),
      indexer.on('block', (e) => {
        if (e.live) this.schedule();
      }),
      indexer.on('live', () => {
        this.schedule();
        void this.warm();
      }),
    );
    if (indexer.live) this.schedule();
  }

  /** Stops listening; waits for the running pass and for sent transactions' outcomes (up to `waitMs`). */
  async stop(waitMs = 0): Promise<void> {
    this.running = false;
    for (const off of this.offs.splice(0)) off();
    await this.runner.idle();
    if (waitMs > 0 && this.inflight.size > 0) {
      await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, waitMs))]);
    }
  }

  private onUnsafe(e: UnsafeEvent): void {
    const now = Date.now();
    for (const owner of e.becameUnsafe) {
      const k = key(e.ilk, owner);
      if (!this.detected.has(k)) this.detected.set(k, { ms: now, block: e.block });
      this.o.metrics?.unsafeDetected.inc({ ilk: e.ilk });
    }
    for (const owner of e.becameSafe) {
      this.detected.delete(key(e.ilk, owner));
      this.noInstant.delete(key(e.ilk, owner));
    }
    if (e.live && e.becameUnsafe.length > 0) this.schedule();
  }

  /**
   * Reads the engine parameters and every ilk's penalty once the index is live, so that the first
   * pass after a crash does not spend two round trips on them (300 ms each on a hosted endpoint).
   */
  private async warm(): Promise<void> {
    try {
      const p = await this.engineParams();
      await Promise.all([...this.o.indexer.model.ilks.keys()].map((ilk) => this.penaltyOf(p, ilk)));
    } catch (err) {
      this.log.debug({ error: err instanceof Error ? err.message : String(err) }, 'warm-up reads failed (read again when needed)');
    }
  }

  private isRunning(): boolean {
    return this.running;
  }

  /** Requests a pass (runs now, or again right after the current one). */
  schedule(): void {
    this.runner.schedule();
  }

  /** The per-vault gas batches are sized with: measured (marginal, buffered) from estimates, else the config's. */
  gasPerVault(): number {
    return this.gasModel?.perVault ?? this.o.gasPerVault;
  }

  /** Vaults currently pending (sent, or mined and not yet indexed). */
  pendingCount(): number {
    return this.pending.size;
  }

  private async engineParams(): Promise<EngineParams> {
    const processed = this.o.indexer.processed;
    if (this.params && processed - this.params.readAt < 100n) return this.params;
    const client = this.o.indexer.client;
    const [tip, chipWad] = await Promise.all([
      client.readContract({ address: this.o.liquidationEngine, abi: liquidationEngineAbi, functionName: 'tip' }),
      client.readContract({ address: this.o.liquidationEngine, abi: liquidationEngineAbi, functionName: 'chipWad' }),
    ]);
    this.params = { tip, chipWad, penaltyWad: new Map(), readAt: processed };
    return this.params;
  }

  private async penaltyOf(p: EngineParams, ilk: Hex): Promise<bigint> {
    let v = p.penaltyWad.get(ilk);
    if (v === undefined) {
      const cfg = await this.o.indexer.client.readContract({ address: this.o.liquidationEngine, abi: liquidationEngineAbi, functionName: 'ilkConfig', args: [ilk] });
      v = cfg.penaltyWad;
      p.penaltyWad.set(ilk, v);
    }
    return v;
  }

  /**
   * Reads every isolated ilk's room at the pending block while the index fetches the new block, so
   * that the pass after it does not spend a round trip on it (with 300 ms to the node, the round
   * trip put a crash's first batches a block later). Not while a send on the kick lane is under
   * way (batches, tier 1, portfolio liquidations: they share the room): the pending block might
   * not hold it yet, and the room read would be too large.
   */
  private readRoomAhead(head: bigint): void {
    const { epoch, sending } = this.o.sender.sendEpoch('kick');
    if (!this.running || sending) return;
    for (const ilk of this.o.indexer.model.houses.keys()) {
      const value = this.readRoom(ilk).catch(() => undefined);
      this.roomAhead.set(ilk, { head, epoch, value });
    }
  }

  private readRoom(ilk: Hex): Promise<bigint> {
    return this.o.indexer.client.readContract({ address: this.o.liquidationEngine, abi: liquidationEngineAbi, functionName: 'room', args: [ilk], blockTag: 'pending' });
  }

  /**
   * room(ilk) in the next block (pending: the per-block cap of the last block does not carry over):
   * the read made when the head moved, if it was made at or after block `processed` and nothing
   * was sent on the kick lane since; else read now. A read made ahead is used once.
   */
  private async roomOf(ilk: Hex, processed: bigint): Promise<bigint> {
    const ahead = this.roomAhead.get(ilk);
    this.roomAhead.delete(ilk);
    const fresh = (): boolean => ahead !== undefined && this.o.sender.sendEpoch('kick').epoch === ahead.epoch;
    if (ahead && ahead.head >= processed && fresh()) {
      const v = await ahead.value;
      if (v !== undefined && fresh()) return v;
    }
    return this.readRoom(ilk);
  }

  private async pass(): Promise<void> {
    const { indexer } = this.o;
    if (!indexer.live) return;
    const processed = indexer.processed;
    // Vaults whose liquidation the index has now seen may be considered again.
    for (const [k, until] of this.pending) if (until !== undefined && processed >= until) this.pending.delete(k);
    const model = indexer.model;
    // Ilks in parallel: their reads and simulations overlap (with 300 ms to the node, one ilk
    // after another cost a block per ilk); sends still go one at a time through the kick lane.
    await Promise.all(model.unsafe.ilks().map((ilkId) => this.passIlk(ilkId, processed)));
  }

  private async passIlk(ilkId: string, processed: bigint): Promise<void> {
    const { indexer } = this.o;
    const model = indexer.model;
    {
      if (!this.running) return;
      const ilk = ilkId as Hex;
      const owners = model.unsafe.unsafe(ilk);
      if (owners.length === 0) return;
      const state = model.ilks.get(ilk);
      if (!state) return;
      // The house refuses new auctions at this breaker level (kick reverts BreakerLevelTooHigh).
      const house = model.houses.get(ilk)?.toLowerCase();
      // No house: not an isolated collateral type (the portfolio debt line is judged by the portfolio
      // engine and liquidated by the PortfolioKicker); `liquidateMany` would revert IlkNotConfigured.
      if (house === undefined) return;
      // Breaker levels are keyed by the log's address, houses by the deployment's: compare lowercased.
      const level = [...model.breakers].find(([h]) => h.toLowerCase() === house)?.[1] ?? 0;
      if (!kickAllowed(level)) {
        this.log.debug({ ilk, level }, 'breaker forbids new auctions: not kicking');
        return;
      }
      const fresh: string[] = [];
      for (const o of owners) {
        const k = key(ilk, o);
        if (this.pending.has(k)) continue;
        const b = this.backoff.get(k);
        if (b && processed < b.until) continue;
        if (!this.detected.has(k)) this.detected.set(k, { ms: Date.now(), block: processed });
        fresh.push(o);
      }
      if (fresh.length === 0) return;
      this.log.debug({ ilk, fresh: fresh.length, sinceIndexedMs: Date.now() - indexer.processedAtMs }, 'kick pass');
      const p = await this.engineParams();
      const penaltyWad = await this.penaltyOf(p, ilk);
      const rates = { spot: state.spot, rate: state.rate, scale: state.scale };
      const cands: Candidate[] = fresh.map((o) => {
        const v = model.vault(ilk, o as Address);
        const debt = debtOf(v.normalizedDebt, state.rate);
        const tab = liquidationTab(debt, penaltyWad);
        const incentive = liquidationIncentive(tab, debt, p.tip, p.chipWad);
        const h = health(v.collateral, v.normalizedDebt, rates);
        const shortfall = h >= WAD ? 0n : WAD - h;
        return { owner: getAddress(o), key: key(ilk, o), debt, tab, incentive, risk: (debt * shortfall) / WAD };
      });
      cands.sort((a, b) => (a.incentive !== b.incentive ? (b.incentive > a.incentive ? 1 : -1) : b.risk > a.risk ? 1 : b.risk < a.risk ? -1 : 0));
      const room = await this.roomOf(ilk, processed);
      if (room === 0n) {
        this.log.debug({ ilk, unsafe: cands.length }, 'no room: waiting');
        return;
      }
      const chosen: Candidate[] = [];
      let used = 0n;
      for (const c of cands) {
        if (used >= room) break;
        chosen.push(c);
        used += c.tab;
      }
      // The room, not the vaults, bounds this pass: a vault skipped for it waits for the next block.
      const roomBound = used >= room;
      // Tier 1: liquidate-and-take candidates go alone, beside the batches (same round trip).
      const inst = this.o.instant ? chosen.filter((c) => !this.noInstant.has(c.key) && instantTier(model, ilk, c.tab)) : [];
      const instantRuns = inst.map((c) => this.sendInstant(ilk, c));
      // The batches of a pass are cut from the gas model up front (before any estimate, from the
      // planning figure kickGasPerVault) and prepared and sent at once: different vaults, so their
      // simulations do not depend on each other, and 300 unsafe vaults cost one preparation round
      // trip. (Sizing the first batch ever alone, to learn the model first, cost a round trip: with
      // 300 ms to the node the rest of a crash's first pass then missed the block the first batch
      // made, and 25 of 300 vaults were kicked 4 blocks late.) The planning figure's default,
      // 150k, is just above the measured cost (113k a vault, 136k with the 20 % buffer): at 300k
      // twice the transactions went out, and a depth-1 reorg took 4 blocks to recover, not 2.
      let rest = inst.length === 0 ? chosen : chosen.filter((c) => !inst.includes(c));
      while (rest.length > 0 && this.isRunning()) {
        const size = this.fit(this.gasModel);
        const pieces: Candidate[][] = [];
        for (let i = 0; i < rest.length; i += size) pieces.push(rest.slice(i, i + size));
        const used = await Promise.all(pieces.map((p) => this.sendChunk(ilk, p, roomBound)));
        const left = pieces.flatMap((p, j) => p.slice(used[j] ?? p.length));
        if (left.length >= rest.length) break;
        rest = left;
      }
      await Promise.all(instantRuns);
    }
  }

  /**
   * Liquidates and buys one tier-1 vault through the flash taker when that pays: the simulation's
   * profit (incentive + swap surplus) must exceed the gas at the fee ceiling, which is then the
   * transaction's on-chain minimum profit. Otherwise the vault is kicked in the next pass's batches.
   */
  private async sendInstant(ilk: Hex, c: Candidate): Promise<void> {
    const { sender, indexer } = this.o;
    const instant = this.o.instant;
    const token = indexer.model.ilks.get(ilk)?.token;
    if (!instant || !token) return;
    const profitTo = this.o.rewardRecipient ?? sender.address('kick');
    const args = (minProfit: bigint): readonly unknown[] => instantArgs({ ...instant, engine: this.o.liquidationEngine, ilk, owner: c.owner, token, profitTo, minProfit });
    this.pending.set(c.key, undefined);
    const refuse = (why: string): void => {
      this.pending.delete(c.key);
      this.noInstant.add(c.key);
      this.log.debug({ ilk, owner: c.owner, why }, 'liquidate-and-take does not pay: kicking in a batch');
      this.schedule();
    };
    const prep = await sender.prepare('kick', 'instantTake', { address: instant.flashTaker, abi: uniswapV2FlashTakerAbi, functionName: 'liquidateAndTake', args: args(0n) });
    if (!prep.ok) {
      refuse(prep.error.message);
      return;
    }
    const profit = instantProfit(prep.result);
    const nativePrice = this.o.nativePriceWad ?? 0n;
    let priced: Prepared | PrepareFailure = prep;
    if (this.o.feeShareBps !== undefined && nativePrice > 0n) priced = sender.priceFor(prep, (profit * WAD) / nativePrice, this.o.feeShareBps);
    if (!priced.ok) {
      refuse(priced.error.message);
      return;
    }
    const gasCost = (priced.maxCostWei * nativePrice) / WAD;
    if (profit <= gasCost) {
      refuse(`profit ${profit} <= gas ${gasCost}`);
      return;
    }
    let handle;
    try {
      handle = await sender.send(sender.withArgs(priced, args(gasCost)));
    } catch (err) {
      refuse(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
      return;
    }
    this.sent++;
    const done = handle.done.then((outcome) => {
      if (outcome.status === 'success' && outcome.receipt) {
        this.onMined(ilk, [c], outcome.receipt);
        const got = parseEventLogs({ abi: uniswapV2FlashTakerAbi, logs: outcome.receipt.logs, eventName: 'FlashLiquidateAndTake' })[0]?.args.profit;
        if (got !== undefined) {
          this.instants.push({ ilk, owner: c.owner, hash: outcome.receipt.transactionHash, block: outcome.receipt.blockNumber, profit: got });
          this.o.metrics?.profit.inc({ ilk }, wadToNumber(got));
          this.log.info({ ilk, owner: c.owner, block: outcome.receipt.blockNumber.toString(), profit: got.toString() }, 'liquidated and sold at once (tier 1)');
        }
      } else {
        // Reverted (a rival, a price move) or dropped: the next pass kicks it in a batch.
        refuse(`tx ${outcome.status}`);
      }
    });
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
  }

  /**
   * The protocol's limits, not the vault, stopped this kick (room used up by the transactions ahead
   * of it): no failure counted and no growing backoff, the vault is tried again in the next block.
   * (A doubling backoff here kept small vaults, always last in the order, out of blocks that had room.)
   */
  private waitForRoom(c: Candidate, reason: string): void {
    const prev = this.backoff.get(c.key);
    this.backoff.set(c.key, { until: this.o.indexer.processed + 1n, fails: prev?.fails ?? 0 });
    this.log.debug({ owner: c.owner, reason }, 'kick waits for room');
  }

  private fail(c: Candidate, reason: string): void {
    const prev = this.backoff.get(c.key);
    const fails = (prev?.fails ?? 0) + 1;
    const blocks = BigInt((this.o.backoffBlocks ?? 1) * 2 ** Math.min(6, fails - 1));
    this.backoff.set(c.key, { until: this.o.indexer.processed + blocks, fails });
    this.log.debug({ owner: c.owner, reason, backoffBlocks: blocks.toString() }, 'kick skipped');
  }

  private call(ilk: Hex, chunk: readonly Candidate[], recipient: Address): ContractCall {
    const abi = liquidationEngineAbi as Abi;
    const first = chunk[0];
    if (chunk.length === 1 && first) return { address: this.o.liquidationEngine, abi, functionName: 'liquidate', args: [ilk, first.owner, recipient] };
    return { address: this.o.liquidationEngine, abi, functionName: 'liquidateMany', args: [ilk, chunk.map((c) => c.owner), recipient] };
  }

  /** Vaults that fit the gas budget under a gas model (at least one). */
  private fit(model: { readonly fixed: number; readonly perVault: number } | undefined): number {
    const { fixed, perVault } = model ?? { fixed: 0, perVault: this.o.gasPerVault };
    return Math.max(1, Math.floor((this.o.gasBudget - fixed) / Math.max(1, perVault)));
  }

  /**
   * Sends one batch taken from the front of `rest` (sized to the gas budget) and returns how many
   * candidates of `rest` it used up (sent, or dropped with a backoff). `roomBound`: the pass was cut
   * to the engine's room, so a vault the simulation skips was skipped for room (the batch's return
   * value carries no reason).
   */
  private async sendChunk(ilk: Hex, rest: readonly Candidate[], roomBound: boolean): Promise<number> {
    const sized = await this.sizeChunk(ilk, rest);
    await this.sendSized(ilk, sized, roomBound);
    return sized.chunk.length;
  }

  /** The batch from the front of `rest` sized to the gas budget, prepared; the gas model refitted to its estimates. */
  private async sizeChunk(ilk: Hex, rest: readonly Candidate[]): Promise<SizedChunk> {
    const { sender } = this.o;
    const recipient = this.o.rewardRecipient ?? sender.address('kick');
    const budget = this.o.gasBudget;
    let model = this.gasModel;
    let chunk = rest.slice(0, Math.min(rest.length, this.fit(model)));
    let prep: Prepared | PrepareFailure = await sender.prepare('kick', 'kick', this.call(ilk, chunk, recipient));
    // Fit the model to this batch's estimates; shrink while over the budget. A batch under the
    // budget goes as it is (growing it cost a round trip per step, and the first batch of a crash
    // then left a block later): the vaults it leaves go in the next batches, cut from the model.
    // Once the model is known a batch is usually right the first time: one estimate.
    const points: [number, number][] = [];
    for (let round = 0; round < 3 && prep.ok && chunk.length > 1; round++) {
      const gas = Number(prep.gas);
      points.push([chunk.length, gas]);
      model = refit(model, points);
      const target = Math.min(rest.length, this.fit(model));
      let next = chunk.length;
      if (gas > budget) next = Math.max(1, Math.min(target, chunk.length - 1));
      if (next === chunk.length) break;
      chunk = rest.slice(0, next);
      prep = await sender.prepare('kick', 'kick', this.call(ilk, chunk, recipient));
      if (!prep.ok || chunk.length <= 1) break;
      if (round === 2) points.push([chunk.length, Number(prep.gas)]);
    }
    if (points.length > 0) model = refit(model, points);
    if (model) this.gasModel = model;
    return { chunk, prep };
  }

  /** Sends a sized batch (dropping the vaults its simulation skips); failures back its vaults off. */
  private async sendSized(ilk: Hex, sized: SizedChunk, roomBound: boolean): Promise<void> {
    const { sender } = this.o;
    const recipient = this.o.rewardRecipient ?? sender.address('kick');
    let { chunk, prep } = sized;
    for (const c of chunk) this.pending.set(c.key, undefined);
    if (prep.ok && chunk.length > 1) {
      // liquidateMany returns 0 for a vault it would skip: do not pay gas to have it skipped.
      const ids = prep.result as readonly bigint[];
      const keep = chunk.filter((_, i) => (ids[i] ?? 0n) !== 0n);
      if (keep.length < chunk.length) {
        for (const c of chunk) if (!keep.includes(c)) {
          this.pending.delete(c.key);
          if (roomBound) this.waitForRoom(c, 'batch would skip it: room used up');
          else this.fail(c, 'batch would skip it');
        }
        chunk = keep;
        prep = chunk.length === 0 ? { ok: false, reason: 'reverted', error: { name: undefined, message: 'every vault would be skipped' } } : await sender.prepare('kick', 'kick', this.call(ilk, chunk, recipient));
      }
    }
    if (!prep.ok) {
      const refusal = prep.error.name;
      for (const c of chunk) {
        this.pending.delete(c.key);
        if (refusal !== undefined && waitsForRoom(refusal)) this.waitForRoom(c, refusal);
        else this.fail(c, prep.error.message);
      }
      if (prep.reason !== 'reverted') this.log.warn({ ilk, vaults: chunk.length, reason: prep.reason, error: prep.error.message }, 'kick not sent');
      else this.log.info({ ilk, vaults: chunk.length, error: prep.error.message }, 'kick simulation reverted: not sent');
      return;
    }
    if (this.o.feeShareBps !== undefined && this.o.nativePriceWad !== undefined && this.o.nativePriceWad > 0n) {
      // A kick's fee ceiling comes from the incentives it earns (sum over the batch).
      const incentive = chunk.reduce((acc, c) => acc + c.incentive, 0n);
      const priced = sender.priceFor(prep, (incentive * 10n ** 18n) / this.o.nativePriceWad, this.o.feeShareBps);
      if (!priced.ok) {
        for (const c of chunk) {
          this.pending.delete(c.key);
          this.fail(c, priced.error.message);
        }
        return;
      }
      prep = priced;
    }
    let handle;
    try {
      handle = await sender.send(prep);
    } catch (err) {
      for (const c of chunk) {
        this.pending.delete(c.key);
        this.fail(c, err instanceof Error ? err.message : String(err));
      }
      this.log.warn({ ilk, error: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'kick send failed');
      return;
    }
    this.sent++;
    const sentChunk = chunk;
    const done = handle.done.then((outcome) => {
      if (outcome.status === 'success' && outcome.receipt) {
        this.onMined(ilk, sentChunk, outcome.receipt);
      } else {
        for (const c of sentChunk) {
          this.pending.delete(c.key);
          // Dropped (a reorg undid it): re-planned from the index at once, no backoff.
          if (outcome.status !== 'dropped') this.fail(c, `tx ${outcome.status}`);
        }
        if (outcome.status === 'dropped') this.schedule();
      }
    });
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
  }

  private onMined(ilk: Hex, chunk: readonly Candidate[], receipt: TransactionReceipt): void {
    const now = Date.now();
    const liquidated = new Map<string, bigint>();
    const skipped = new Map<string, string>();
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.o.liquidationEngine.toLowerCase()) continue;
      try {
        const ev = decodeEventLog({ abi: liquidationEngineAbi, data: log.data, topics: log.topics });
        if (ev.eventName === 'Liquidate') liquidated.set(ev.args.owner.toLowerCase(), ev.args.incentive);
        if (ev.eventName === 'LiquidationSkipped') skipped.set(ev.args.owner.toLowerCase(), skipReasonName(ev.args.reason) ?? `reason ${ev.args.reason}`);
      } catch {
        // another event
      }
    }
    for (const c of chunk) {
      // Keep it pending until the index has applied the block (else the stale index re-sends it).
      this.pending.set(c.key, receipt.blockNumber);
      const incentive = liquidated.get(c.owner.toLowerCase());
      if (incentive === undefined) {
        // Skipped for room (transactions ahead of it in the block used it up): it stays pending
        // until the index has applied this block, then goes in the next pass, with no backoff.
        const reason = skipped.get(c.owner.toLowerCase());
        if (reason !== undefined && waitsForRoom(reason)) this.log.debug({ owner: c.owner, reason }, 'skipped on chain for room: next block');
        else this.fail(c, `skipped on chain${reason === undefined ? '' : `: ${reason}`}`);
        continue;
      }
      const d = this.detected.get(c.key);
      this.detected.delete(c.key);
      this.backoff.delete(c.key);
      this.noInstant.delete(c.key);
      const detectedBlock = d?.block ?? receipt.blockNumber;
      const latencyBlocks = receipt.blockNumber - detectedBlock;
      const latencyMs = d ? now - d.ms : 0;
      this.o.metrics?.kickLatencyMs.observe(latencyMs);
      this.o.metrics?.kickLatencyBlocks.observe(Number(latencyBlocks));
      this.o.metrics?.incentives.inc({ kind: 'kick' }, wadToNumber(incentive));
      this.kicks.push({ ilk, owner: c.owner, hash: receipt.transactionHash, block: receipt.blockNumber, detectedBlock, latencyBlocks, latencyMs, incentive });
      this.log.info({ ilk, owner: c.owner, block: receipt.blockNumber.toString(), latencyBlocks: latencyBlocks.toString(), latencyMs }, 'liquidated');
    }
  }
}

/**
 * The model after this batch's estimates: a fresh two-point fit when the batch was estimated at two
 * sizes; with one point, the known per-vault gas re-anchored on it (or, with no model yet, the mean
 * per vault).
 */
function refit(
  prev: { readonly fixed: number; readonly perVault: number } | undefined,
  points: readonly (readonly [number, number])[],
): { fixed: number; perVault: number } | undefined {
  const sizes = new Set(points.map((p) => p[0]));
  const last = points.at(-1);
  if (sizes.size >= 2 || !prev || !last) return fitGasModel(points);
  return { fixed: Math.max(0, last[1] - last[0] * prev.perVault), perVault: prev.perVault };
}

/**
 * gas(n) = fixed + n × perVault through the last two points with different n (one point: no fixed
 * part, the mean per vault — an over-estimate, so batches start small and grow).
 */
export function fitGasModel(points: readonly (readonly [number, number])[]): { fixed: number; perVault: number } | undefined {
  const last = points.at(-1);
  if (!last) return undefined;
  const [n2, g2] = last;
  for (let i = points.length - 2; i >= 0; i--) {
    const p = points[i];
    if (!p || p[0] === n2) continue;
    const [n1, g1] = p;
    const perVault = Math.ceil((g2 - g1) / (n2 - n1));
    const fixed = Math.max(0, Math.ceil(g2 - perVault * n2));
    if (perVault > 0) return { fixed, perVault };
  }
  return { fixed: 0, perVault: Math.ceil(g2 / n2) };
}
