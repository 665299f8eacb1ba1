// Bid: take auctions when they pay, redo the ones that need it when the incentive pays the gas,
// settle houses now and then.
//
// Per active auction in the IndexModel the current price is computed LOCALLY with the TypeScript
// curves (no RPC per tick) at the latest block's timestamp plus the wall-clock time since it was
// seen. It is compared with the market reference; when `price <= reference × (1 − minMargin)`:
//  1. own capital: no separate quote — the take itself is simulated at the pending block in step 3
//     (it returns collateral out and owe; PriceAboveMax there means "not yet", no backoff), so a
//     stale local view is never sent; flash capital: re-quote on chain (quote(id, lot)) first;
//  2. build the take (own stablecoin, approved once per house; or zero capital through the flash
//     taker) with maxPrice = reference × (1 − minMargin), so the chain itself refuses a worse price;
//  3. simulate + estimate (TxSender.prepare); profit = value at reference − owe − gas × maxFee in
//     stablecoin (via the native token's price) must be > 0 (bigint throughout);
//  4. send on the take lane.
// Rivals: the simulation runs at the pending block (a rival's take already in the pool makes it
// revert), batched with the other takes of the moment (send/pendingSimulator.ts); a take goes only
// while the pending block has room for it (blockRoom.ts: beyond a block the pending view leaves out
// what is ahead); once a rival has been seen (a Kick or Take naming an address not ours, or a
// pending-block simulation saying another take got the auction first — TAKEN_BY_ANOTHER_ERRORS — on
// one we did not take) a profitable take waits a random 0..takeJitterMs (two keepers reacting to the same block
// would otherwise both send), then the send re-checks, right before signing, that the auction's
// indexed state is still the one the take was planned on and re-simulates at the pending block
// (always after a jitter, else when the preparation is a block old); and when a rival's take for
// the same auction lands first (its Take log changes the indexed auction, or the auction is gone)
// while ours still waits for a block, ours is cancelled (a 0-value self-transfer at its nonce) and
// the auction re-planned.
// Latency: takes of different auctions run concurrently (up to MAX_CONCURRENT_TAKES; the sender
// pipelines their broadcasts), so a pass costs a few round trips, not a few per auction.
// Lost races: a simulation failing with AuctionNotActive / PriceAboveMax / ... (or a take mined
// but reverted) drops the auction until its state changes or a backoff (doubling per loss) runs
// out: no retry storm, no revert loop. One take in flight per auction.
//
// Order when more than one action applies to an auction (per pass, at most one action each):
//  - no redo due: take (when it pays); nothing else is possible (redo reverts
//    AuctionDoesNotNeedRedo, takeover TakeoverNotAllowed: eligibility implies a redo is due);
//  - redo due and takeover-eligible (price below the tier's floor, or past its tail again after a
//    redo): TAKEOVER first (takeover.ts) — the market already refused the lot above the floor, a
//    redo would mint another unbacked incentive and restart a sale that is likely to end the same
//    way, while the takeover ends it; a take is impossible here (AuctionNeedsRedo);
//  - the takeover cannot be sent (fund cap reached, reward below gas, breaker) or only the first
//    tail passed: REDO, when its incentive pays the gas (breaker below `BreakerLevel.NoRedo`).

import {
  type AuctionStatus,
  WAD,
  auctionStatus,
  collateralAuctionAbi,
  iUniswapV2FlashTakerAbi,
  lotValue,
  scaleForDecimals,
  mulWad,
  redoAllowed,
  stablecoinAbi,
  takeAllowed,
  takeoverAllowed,
} from '@gavel/sdk';
import type { Logger } from 'pino';
import { type Address, type Hex, maxUint256 } from 'viem';
import type { Indexer } from '../index/indexer.ts';
import type { AuctionState } from '../index/model.ts';
import { type KeeperMetrics, wadToNumber } from '../metrics.ts';
import { LOST_RACE_ERRORS, TAKEN_BY_ANOTHER_ERRORS, decodeError } from '../send/errors.ts';
import { type ContractCall, type PrepareFailure, type Prepared, SendAbortedError, type TxSender, type TxStatus } from '../send/sender.ts';
import type { BlockRoom, RoomSlot } from './blockRoom.ts';
import type { PriceReference } from './reference.ts';
import { SerialRunner } from '../util/serial.ts';
import { Takeovers } from './takeover.ts';

export interface BidderOptions {
  readonly indexer: Indexer;
  readonly sender: TxSender;
  readonly reference: PriceReference;
  /** Margin below the reference, WAD (0.02e18 = 2%). */
  readonly minMarginWad: bigint;
  /** Stablecoin per native token, WAD (gas cost conversion). */
  readonly nativePriceWad: bigint;
  readonly capital: 'own' | 'flash';
  readonly stablecoin: Address;
  /** Required for capital "flash". */
  readonly flashTaker?: Address;
  /** Settle every house every this many blocks (0: never). */
  readonly settleIntervalBlocks: number;
  /** Share of a take's profit before gas it may pay for gas at most, basis points (config feeProfitShareBps). */
  readonly feeShareBps?: bigint;
  /**
   * Once a rival keeper has been seen, a take waits a random 0..takeJitterMs, then re-simulates at
   * the pending block before signing (config takeJitterMs). Default 0.
   */
  readonly takeJitterMs?: number;
  /** This keeper's own addresses (accounts, incentive recipient): a kick or take by any other is a rival's. */
  readonly ownAddresses?: readonly Address[];
  /**
   * Contracts anyone routes through (the flash taker, which takes and liquidates in its own name):
   * a log naming one says nothing about who acted, so it is no sign of a rival.
   */
  readonly sharedAddresses?: readonly Address[];
  /** Takes are sent only while the pending block has room for them (bid/blockRoom.ts); undefined: not checked. */
  readonly room?: BlockRoom;
  /** Re-evaluation timer between blocks. Default 1000 ms (0: blocks only). */
  readonly tickMs?: number;
  readonly logger: Logger;
  readonly metrics?: KeeperMetrics;
}

export interface TakeRecord {
  readonly key: string;
  readonly hash: Hex;
  readonly status: TxStatus;
  readonly expectedProfit: bigint;
}

interface Lost {
  readonly sig: string;
  until: bigint;
  fails: number;
}

/**
 * The SDK's `auctionStatus` (price, redo due, takeover due) of an indexed auction at chain time `now`;
 * undefined when its tier is not indexed yet or its curve reverts on chain at this age.
 */
export function auctionStatusOf(a: AuctionState, now: bigint): AuctionStatus | undefined {
  if (!a.tier) return undefined;
  try {
    return auctionStatus(a.tier, a, now);
  } catch {
    return undefined;
  }
}

const sigOf = (a: AuctionState): string => `${a.lot}:${a.tab}:${a.startedAt}`;

/** Default share of an action's value the keeper pays for gas at most (basis points). */
export const DEFAULT_FEE_SHARE_BPS = 5_000n;

/** Takes prepared and sent at once; more wait for the next pass. */
export const MAX_CONCURRENT_TAKES = 256;
/** A preparation older than this is re-simulated at the pending block right before sending. */
export const RECHECK_AFTER_MS = 1_000;
/** A rival seen within this many blocks keeps the take jitter on (a day of 12-second blocks). */
export const RIVAL_MEMORY_BLOCKS = 7_200n;

export class Bidder {
  readonly takes: TakeRecord[] = [];
  /** Takes sent (for tests: a loser sends at most one failing take per auction). */
  sent = 0;
  /** Simulations that failed because another bidder got there first. */
  lostRaces = 0;
  private readonly o: BidderOptions;
  private readonly inflight = new Set<string>();
  /** Takes sent and not yet resolved: auction → our hash and the auction state it was planned on. */
  private readonly pendingTakes = new Map<string, { hash: Hex; sig: string }>();
  /** Takes being prepared or sent now. */
  private activeTakes = 0;
  /** Pending takes cancelled because a rival's take landed first. */
  cancelled = 0;
  private readonly lost = new Map<string, Lost>();
  private readonly redoTried = new Map<string, bigint>();
  private readonly approved = new Set<string>();
  private lastSettle = 0n;
  private running = false;
  private readonly runner = new SerialRunner(
    () => this.pass(),
    () => this.running,
    (err: unknown) => {
      this.log.error({ error: err instanceof Error ? err.message : String(err) }, 'bid pass failed');
    },
  );
  private timer: NodeJS.Timeout | undefined;
  private readonly offs: (() => void)[] = [];
  /**
   * Block a rival keeper last acted in: a Kick or Take naming an address that is neither ours nor
   * shared, or a simulation at the pending block saying another take got an auction first that we
   * did not take ourselves (the rival's take still in the pool: earlier than its log). Not a take
   * of ours mined but reverted or cancelled: the rival's Take that beat it is indexed by then, with
   * its actor, and a keeper alone meets reverts too (its own swaps move the pool a flash take sells
   * into: counting those gave the demo's single keeper a 5 s jitter and an auction short of its debt).
   */
  private rivalSeenIn: bigint | undefined;
  /** Auctions our own take succeeded on, until the index sees them end (a retry in between fails like a lost race). */
  private readonly tookIt = new Set<string>();
  private readonly outcomes = new Set<Promise<unknown>>();
  /** Insurance-fund takeovers of auctions nobody buys (takeover.ts). */
  readonly takeovers: Takeovers;

  constructor(options: BidderOptions) {
    if (options.capital === 'flash' && !options.flashTaker) throw new Error('capital "flash" needs the flash taker address (deployments flashTaker)');
    this.o = options;
    this.takeovers = new Takeovers({
      sender: options.sender,
      nativePriceWad: options.nativePriceWad,
      logger: options.logger,
      metrics: options.metrics,
      processed: () => options.indexer.processed,
    });
  }

  /** The block a rival keeper was last seen acting in (undefined: never; the take jitter is off). */
  get rivalSeenBlock(): bigint | undefined {
    return this.rivalSeenIn;
  }

  private get log(): Logger {
    return this.o.logger;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const own = new Set((this.o.ownAddresses ?? []).map((x) => x.toLowerCase()));
    const shared = new Set((this.o.sharedAddresses ?? []).map((x) => x.toLowerCase()));
    this.offs.push(
      this.o.indexer.on('auction', (e) => {
        const actor = e.actor?.toLowerCase();
        if (own.size > 0 && actor !== undefined && !own.has(actor) && !shared.has(actor)) this.rivalSeen(e.block);
        if (e.auction === undefined) this.tookIt.delete(e.key);
      }),
      this.o.indexer.on('block', (e) => {
        if (!e.live) return;
        this.cancelBeaten();
        this.schedule();
      }),
      this.o.indexer.on('live', () => {
        this.schedule();
      }),
    );
    const tick = this.o.tickMs ?? 1_000;
    if (tick > 0) {
      this.timer = setInterval(() => {
        this.schedule();
      }, tick);
      this.timer.unref();
    }
    if (this.o.indexer.live) this.schedule();
  }

  async stop(waitMs = 0): Promise<void> {
    this.running = false;
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
    await this.runner.idle();
    const pending = [...this.outcomes, ...this.takeovers.pending()];
    if (waitMs > 0 && pending.length > 0) {
      await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, waitMs))]);
    }
  }

  private isRunning(): boolean {
    return this.running;
  }

  /** Requests a pass (runs now, or again right after the current one). */
  schedule(): void {
    this.runner.schedule();
  }

  /** The chain time the next block will have, at least: latest timestamp + wall-clock since. */
  now(): bigint | undefined {
    const ts = this.o.indexer.processedTimestamp;
    if (ts === undefined) return undefined;
    return ts + BigInt(Math.max(0, Math.floor((Date.now() - this.o.indexer.processedAtMs) / 1000)));
  }

  private async pass(): Promise<void> {
    const { indexer } = this.o;
    if (!indexer.live) return;
    const now = this.now();
    if (now === undefined) return;
    const model = indexer.model;
    const processed = indexer.processed;
    for (const k of this.lost.keys()) if (!model.auctions.has(k)) this.lost.delete(k);
    this.takeovers.prune(model.auctions);
    for (const [k, a] of model.auctions) {
      if (!this.running) return;
      if (this.inflight.has(k)) continue;
      const l = this.lost.get(k);
      if (l && l.sig === sigOf(a) && processed < l.until) continue;
      const level = model.breakers.get(a.house) ?? 0;
      const st = auctionStatusOf(a, now);
      if (!st) continue;
      if (st.needsRedo) {
        // Takeover first when eligible; the redo is the fallback (order: see the header).
        if (st.takeoverDue && takeoverAllowed(level) && (await this.takeovers.maybe(k, a)) !== 'skipped') continue;
        if (redoAllowed(level)) this.launchRedo(k, a);
        continue;
      }
      if (!takeAllowed(level)) continue;
      this.launchTake(k, a, st.price, processed);
    }
    const every = BigInt(this.o.settleIntervalBlocks);
    if (every > 0n && processed - this.lastSettle >= every) {
      this.lastSettle = processed;
      await this.settleAll();
    }
  }

  /**
   * A race lost on `k` at the pending block with `error`: a rival's doing when the error says another
   * take got the auction first and our own take of it did not succeed (the index not there yet).
   */
  private raceLost(k: string, error: string | undefined): void {
    if (error !== undefined && TAKEN_BY_ANOTHER_ERRORS.has(error) && !this.tookIt.has(k)) this.rivalSeen(this.o.indexer.processed);
  }

  private rivalSeen(block: bigint): void {
    if (this.rivalSeenIn === undefined || block > this.rivalSeenIn) this.rivalSeenIn = block;
  }

  /**
   * The take jitter while a rival is around, else 0: two keepers that see the same block would
   * send the same takes in the same moment; alone, waiting only makes the take later.
   */
  private jitterMs(): number {
    const seen = this.rivalSeenIn;
    if (seen === undefined || this.o.indexer.processed - seen > RIVAL_MEMORY_BLOCKS) return 0;
    return this.o.takeJitterMs ?? 0;
  }

  private loseRace(k: string, a: AuctionState, why: string): void {
    const prev = this.lost.get(k);
    const fails = (prev?.fails ?? 0) + 1;
    const blocks = BigInt(2 ** Math.min(8, fails));
    this.lost.set(k, { sig: sigOf(a), until: this.o.indexer.processed + blocks, fails });
    this.log.info({ auction: k, why, backoffBlocks: blocks.toString() }, 'auction dropped (lost race or not takeable): backing off');
  }

  private ilkInfo(a: AuctionState): { token: Address; decimals: number } | undefined {
    const ilk = this.o.indexer.model.ilks.get(a.ilk);
    return ilk ? { token: ilk.token, decimals: ilk.decimals } : undefined;
  }

  /** Starts a take evaluation without waiting for it (bounded by MAX_CONCURRENT_TAKES). */
  private launchTake(k: string, a: AuctionState, localPrice: bigint, block: bigint): void {
    if (this.activeTakes >= MAX_CONCURRENT_TAKES) return;
    this.activeTakes++;
    this.inflight.add(k);
    const run = this.maybeTake(k, a, localPrice, block)
      .then(
        (keep) => {
          if (!keep) this.inflight.delete(k);
        },
        (err: unknown) => {
          this.inflight.delete(k);
          this.log.warn({ auction: k, error: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err) }, 'take failed');
        },
      )
      .finally(() => {
        this.activeTakes--;
      });
    this.outcomes.add(run);
    void run.finally(() => this.outcomes.delete(run));
  }

  /** Pending takes whose auction a rival's take changed (or ended) since we planned them: cancel. */
  private cancelBeaten(): void {
    const auctions = this.o.indexer.model.auctions;
    for (const [k, t] of this.pendingTakes) {
      const a = auctions.get(k);
      if (a && sigOf(a) === t.sig) continue;
      this.pendingTakes.delete(k);
      void this.o.sender.cancel(t.hash, 'a rival take landed first').then((ok) => {
        if (ok) this.cancelled++;
      });
    }
  }

  /** True when a take was sent (the auction stays in flight until its outcome). */
  private async maybeTake(k: string, a: AuctionState, localPrice: bigint, block: bigint): Promise<boolean> {
    const info = this.ilkInfo(a);
    if (!info) return false;
    const ref = await this.o.reference.price({ ilk: a.ilk, token: info.token, decimals: info.decimals, amount: a.lot, block });
    if (ref === undefined || ref === 0n) return false;
    const maxPrice = mulWad(ref, WAD - this.o.minMarginWad);
    if (localPrice > maxPrice) return false; // not yet
    return this.take(k, a, info, ref, maxPrice);
  }

  /** Returns true when a take was sent (the auction stays in flight until its outcome). */
  private async take(k: string, a: AuctionState, info: { token: Address; decimals: number }, ref: bigint, maxPrice: bigint): Promise<boolean> {
    if (this.o.capital === 'flash' && this.o.flashTaker) return this.flashTake(k, a, info, ref, maxPrice, this.o.flashTaker);
    const { sender } = this.o;
    const me = sender.address('take');
    // Own capital: no separate quote. The take itself is simulated at the pending block with
    // maxPrice (the chain refuses a worse price: PriceAboveMax means "not yet", not a lost race) and
    // returns what it would pay out and cost; a stale local view is never sent.
    if (!(await this.ensureApproval(a.house, 0n))) return false;
    const call: ContractCall = { address: a.house, abi: collateralAuctionAbi, functionName: 'take', args: [a.id, a.lot, maxPrice, me, '0x'] };
    // Batched: the pending simulation shared with the other takes of the pass (send/pendingSimulator.ts).
    const prep = await sender.prepare('take', 'take', call, { batched: true });
    if (!prep.ok) {
      if (prep.error.name === 'PriceAboveMax') {
        this.log.debug({ auction: k, error: prep.error.message }, 'on-chain price above the limit: not yet');
        return false;
      }
      this.lostTake(k, a, prep);
      return false;
    }
    const [out, owe] = prep.result as readonly [bigint, bigint];
    return this.priceAndDispatch(k, a, prep, lotValue(out, ref, scaleForDecimals(info.decimals)) - owe);
  }

  /** A failed take preparation: a lost race (a rival's take, a redo due, ...) or another failure, backed off. */
  private lostTake(k: string, a: AuctionState, prep: PrepareFailure): void {
    if (prep.reason === 'reverted' && prep.error.name !== undefined && LOST_RACE_ERRORS.has(prep.error.name)) {
      this.lostRaces++;
      this.raceLost(k, prep.error.name);
      this.loseRace(k, a, prep.error.message);
    } else {
      this.loseRace(k, a, `${prep.reason}: ${prep.error.message}`);
    }
  }

  /**
   * Fees follow the base fee up to what this take is worth (feeShareBps of `gross`, its profit
   * before gas); sent when the profit after gas at the fee ceiling is positive.
   */
  private async priceAndDispatch(k: string, a: AuctionState, prep: Prepared, gross: bigint): Promise<boolean> {
    if (gross <= 0n) return false;
    const priced = this.priced(prep, gross);
    if (!priced.ok) return false; // the base fee is above what this take is worth: later
    const gasCost = (priced.maxCostWei * this.o.nativePriceWad) / WAD;
    const profit = gross - gasCost;
    if (profit <= 0n) {
      this.log.debug({ auction: k, gross: gross.toString(), gasCost: gasCost.toString() }, 'not profitable after gas');
      return false;
    }
    return this.dispatch(k, a, priced, profit);
  }

  /** Zero capital through the flash taker: quote first (the swap's minimum profit needs the gas cost). */
  private async flashTake(k: string, a: AuctionState, info: { token: Address; decimals: number }, ref: bigint, maxPrice: bigint, flashTaker: Address): Promise<boolean> {
    const { sender, indexer } = this.o;
    const me = sender.address('take');
    let quote: readonly [bigint, bigint, bigint];
    try {
      quote = await indexer.client.readContract({ address: a.house, abi: collateralAuctionAbi, functionName: 'quote', args: [a.id, a.lot] });
    } catch (err) {
      this.lostRaces++;
      this.raceLost(k, decodeError(err).name);
      this.loseRace(k, a, `quote: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`);
      return false;
    }
    const [out, owe, chainPrice] = quote;
    if (chainPrice > maxPrice) {
      this.log.debug({ auction: k, chainPrice: chainPrice.toString(), maxPrice: maxPrice.toString() }, 'on-chain quote above the limit: not yet');
      return false;
    }
    const gross = lotValue(out, ref, scaleForDecimals(info.decimals)) - owe;
    if (gross <= 0n) return false;
    const call: ContractCall = { address: flashTaker, abi: iUniswapV2FlashTakerAbi, functionName: 'take', args: [a.house, a.id, a.lot, maxPrice, 0n, [info.token, this.o.stablecoin], me] };
    const prep = await sender.prepare('take', 'take', call);
    if (!prep.ok) {
      this.lostTake(k, a, prep);
      return false;
    }
    const priced = this.priced(prep, gross);
    if (!priced.ok) return false;
    const gasCost = (priced.maxCostWei * this.o.nativePriceWad) / WAD;
    if (gross - gasCost <= 0n) return false;
    // The flash taker reverts unless the swap leaves at least the gas cost as profit.
    const args = [...call.args];
    args[4] = gasCost;
    const p2 = await sender.prepare('take', 'take', { ...call, args });
    if (!p2.ok) {
      this.loseRace(k, a, p2.error.message);
      return false;
    }
    const priced2 = this.priced(p2, gross);
    if (!priced2.ok) return false;
    return this.dispatch(k, a, priced2, gross - gasCost);
  }

  /** The preparation re-priced for a take worth `gross` stablecoin before gas (fees.ts feesForAction). */
  private priced(p: Prepared, gross: bigint): Prepared | PrepareFailure {
    const valueWei = this.o.nativePriceWad === 0n ? 0n : (gross * WAD) / this.o.nativePriceWad;
    return this.o.sender.priceFor(p, valueWei, this.o.feeShareBps ?? DEFAULT_FEE_SHARE_BPS);
  }

  private async dispatch(k: string, a: AuctionState, prep: Parameters<TxSender['send']>[0], profit: bigint): Promise<boolean> {
    const jitter = this.jitterMs();
    if (jitter > 0) await new Promise((r) => setTimeout(r, Math.floor(Math.random() * jitter)));
    let slot: RoomSlot | undefined;
    if (this.o.room) {
      slot = await this.o.room.reserve(prep.gas);
      if (!slot) {
        this.o.metrics?.takeDeferred.inc();
        this.log.debug({ auction: k, gas: prep.gas.toString() }, 'no room in the pending block: the next pass takes it');
        return false;
      }
    }
    let handle;
    const sig = sigOf(a);
    const stillWanted = (): boolean => {
      const now = this.o.indexer.model.auctions.get(k);
      return this.running && now !== undefined && sigOf(now) === sig;
    };
    try {
      handle = await this.o.sender.send(prep, { stillWanted, recheckAfterMs: jitter > 0 ? 0 : RECHECK_AFTER_MS });
      slot?.sent();
    } catch (err) {
      slot?.release();
      if (err instanceof SendAbortedError) {
        this.lostRaces++;
        this.raceLost(k, err.error?.name);
      }
      this.loseRace(k, a, `send: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`);
      return false;
    }
    this.sent++;
    this.pendingTakes.set(k, { hash: handle.hash, sig });
    this.log.info({ auction: k, hash: handle.hash, expectedProfit: profit.toString() }, 'take sent');
    const done = handle.done.then((o) => {
      this.inflight.delete(k);
      if (this.pendingTakes.get(k)?.hash === handle.hash) this.pendingTakes.delete(k);
      this.takes.push({ key: k, hash: o.hash ?? handle.hash, status: o.status, expectedProfit: profit });
      if (o.status === 'success') {
        if (this.o.indexer.model.auctions.has(k)) this.tookIt.add(k); // else the index already saw it end
        this.o.metrics?.profit.inc({ ilk: a.ilk }, wadToNumber(profit));
      }
      else if (o.status === 'cancelled') {
        this.loseRace(k, a, 'cancelled: a rival take landed first');
      }
      else if (o.status !== 'dropped') {
        this.lostRaces++;
        this.loseRace(k, a, `take ${o.status}`);
      }
    });
    this.outcomes.add(done);
    void done.finally(() => this.outcomes.delete(done));
    return true;
  }

  /** One approval per house at a time (concurrent takes of one house share it). */
  private readonly approving = new Map<string, Promise<boolean>>();

  private ensureApproval(house: Address, owe: bigint): Promise<boolean> {
    const key = house.toLowerCase();
    if (this.approved.has(key)) return Promise.resolve(true);
    let p = this.approving.get(key);
    if (!p) {
      p = this.approve(house, owe).finally(() => this.approving.delete(key));
      this.approving.set(key, p);
    }
    return p;
  }

  private async approve(house: Address, owe: bigint): Promise<boolean> {
    const key = house.toLowerCase();
    const client = this.o.indexer.client;
    const me = this.o.sender.address('take');
    const allowance = await client.readContract({ address: this.o.stablecoin, abi: stablecoinAbi, functionName: 'allowance', args: [me, house] });
    if (allowance >= owe && allowance > maxUint256 / 2n) {
      this.approved.add(key);
      return true;
    }
    const r = await this.o.sender.sendTransaction('take', 'approve', { address: this.o.stablecoin, abi: stablecoinAbi, functionName: 'approve', args: [house, maxUint256] });
    if (!('hash' in r)) {
      this.log.warn({ house, error: r.error.message }, 'approve not sent');
      return false;
    }
    const o = await r.done;
    if (o.status !== 'success') return false;
    this.approved.add(key);
    return true;
  }

  /** Starts a redo evaluation without waiting for it (one per auction at a time, like takes). */
  private launchRedo(k: string, a: AuctionState): void {
    this.inflight.add(k);
    const run = this.maybeRedo(k, a)
      .catch((err: unknown) => {
        this.log.warn({ auction: k, error: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err) }, 'redo failed');
      })
      .finally(() => {
        this.inflight.delete(k);
      });
    this.outcomes.add(run);
    void run.finally(() => this.outcomes.delete(run));
  }

  /** Rivals redo the same auction too: the same jitter and pending-block re-check as a take. */
  private async maybeRedo(k: string, a: AuctionState): Promise<void> {
    const processed = this.o.indexer.processed;
    const last = this.redoTried.get(k);
    if (last !== undefined && processed - last < 10n) return;
    this.redoTried.set(k, processed);
    const { sender } = this.o;
    const call: ContractCall = { address: a.house, abi: collateralAuctionAbi, functionName: 'redo', args: [a.id, sender.address('settle')] };
    const prep = await sender.prepare('settle', 'redo', call);
    if (!prep.ok) {
      this.log.debug({ auction: k, error: prep.error.message }, 'redo not possible');
      return;
    }
    const incentive = prep.result as bigint;
    const gasCost = (prep.maxCostWei * this.o.nativePriceWad) / WAD;
    if (incentive <= gasCost) {
      this.log.debug({ auction: k, incentive: incentive.toString(), gasCost: gasCost.toString() }, 'redo does not pay for its gas');
      return;
    }
    const jitter = this.jitterMs();
    if (jitter > 0) await new Promise((r) => setTimeout(r, Math.floor(Math.random() * jitter)));
    const sig = sigOf(a);
    const stillWanted = (): boolean => {
      const now = this.o.indexer.model.auctions.get(k);
      return this.running && now !== undefined && sigOf(now) === sig;
    };
    try {
      const h = await sender.send(prep, { stillWanted, recheckAfterMs: jitter > 0 ? 0 : RECHECK_AFTER_MS });
      this.log.info({ auction: k, hash: h.hash, incentive: incentive.toString() }, 'redo sent');
      void h.done.then((o) => {
        if (o.status === 'success') this.o.metrics?.incentives.inc({ kind: 'redo' }, wadToNumber(incentive));
      });
    } catch (err) {
      this.log.warn({ auction: k, error: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'redo send failed');
    }
  }

  private async settleAll(): Promise<void> {
    const { sender } = this.o;
    for (const house of new Set(this.o.indexer.model.houses.values())) {
      const prep = await sender.prepare('settle', 'settle', { address: house, abi: collateralAuctionAbi, functionName: 'settle', args: [] });
      if (!prep.ok) continue;
      const [healed, revenue] = prep.result as readonly [bigint, bigint];
      if (healed === 0n && revenue === 0n) continue;
      try {
        const h = await sender.send(prep);
        this.log.info({ house, hash: h.hash, healed: healed.toString(), revenue: revenue.toString() }, 'settle sent');
      } catch (err) {
        this.log.warn({ house, error: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'settle send failed');
      }
    }
  }
}
