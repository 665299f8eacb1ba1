// Bid: take auctions when they pay, redo the ones that need it when the incentive pays the gas,
// settle houses now and then.
//
// Per active auction in the IndexModel the current price is computed LOCALLY with the TypeScript
// curves (no RPC per tick) at the latest block's timestamp plus the wall-clock time since it was
// seen. It is compared with the market reference; when `price <= reference × (1 − minMargin)`:
//  1. re-quote on chain (quote(id, lot)): a stale local view is never sent;
//  2. build the take (own stablecoin, approved once per house; or zero capital through the flash
//     taker) with maxPrice = reference × (1 − minMargin), so the chain itself refuses a worse price;
//  3. simulate + estimate (TxSender.prepare); profit = value at reference − owe − gas × maxFee in
//     stablecoin (via the native token's price) must be > 0 (bigint throughout);
//  4. send on the take lane.
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
//    tail passed: REDO, when its incentive pays the gas (breaker level < 2).

import { collateralAuctionAbi, curvePrice, iUniswapV2FlashTakerAbi, stablecoinAbi, type Curve } from '@gavel/contracts';
import type { Logger } from 'pino';
import { type Address, type Hex, maxUint256 } from 'viem';
import type { Indexer } from '../index/indexer.ts';
import type { AuctionState, TierParams } from '../index/model.ts';
import { WAD } from '../math/vault.ts';
import { type KeeperMetrics, wadToNumber } from '../metrics.ts';
import { LOST_RACE_ERRORS } from '../send/errors.ts';
import type { ContractCall, TxSender } from '../send/sender.ts';
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
  /** Re-evaluation timer between blocks. Default 1000 ms (0: blocks only). */
  readonly tickMs?: number;
  readonly logger: Logger;
  readonly metrics?: KeeperMetrics;
}

export interface TakeRecord {
  readonly key: string;
  readonly hash: Hex;
  readonly status: 'success' | 'reverted' | 'dropped';
  readonly expectedProfit: bigint;
}

interface Lost {
  readonly sig: string;
  until: bigint;
  fails: number;
}

export function curveOf(t: TierParams): Curve | undefined {
  switch (t.kind) {
    case 1:
      return { kind: 'LinearDecrease', tau: BigInt(t.periodSeconds) };
    case 2:
      return { kind: 'StairstepExponentialDecrease', cut: t.cutRay, step: BigInt(t.periodSeconds) };
    case 3:
      return { kind: 'ExponentialDecrease', cut: t.cutRay };
    default:
      return undefined;
  }
}

export interface LocalStatus {
  readonly price: bigint;
  /** Older than the tail or priced below the floor: takes revert, a redo is allowed. */
  readonly needsRedo: boolean;
  /** The insurance fund may take it over: below the floor, or past the tail after a redo. */
  readonly takeover: boolean;
}

/**
 * Local price, redo and takeover status of an auction at time `now` (seconds): the contract's
 * `_needsRedo` and `_takeoverPrice` rules (floor = top × floorWad, rounded down like `mulWad`).
 */
export function localStatus(a: AuctionState, now: bigint): LocalStatus | undefined {
  const t = a.tier;
  if (!t) return undefined;
  const curve = curveOf(t);
  if (!curve) return undefined;
  const age = now > a.startedAt ? now - a.startedAt : 0n;
  const price = curvePrice(curve, a.top, age);
  const pastTail = age > BigInt(t.tailSeconds);
  const belowFloor = price < (a.top * t.floorWad) / WAD;
  return { price, needsRedo: pastTail || belowFloor, takeover: belowFloor || (a.redos > 0 && pastTail) };
}

const sigOf = (a: AuctionState): string => `${a.lot}:${a.tab}:${a.startedAt}`;

export class Bidder {
  readonly takes: TakeRecord[] = [];
  /** Takes sent (for tests: a loser sends at most one failing take per auction). */
  sent = 0;
  /** Simulations that failed because another bidder got there first. */
  lostRaces = 0;
  private readonly o: BidderOptions;
  private readonly inflight = new Set<string>();
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

  private get log(): Logger {
    return this.o.logger;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.offs.push(
      this.o.indexer.on('block', (e) => {
        if (e.live) this.schedule();
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
      const st = localStatus(a, now);
      if (!st) continue;
      if (st.needsRedo) {
        // Takeover first when eligible; the redo is the fallback (order: see the header).
        if (st.takeover && level < 3 && (await this.takeovers.maybe(k, a)) !== 'skipped') continue;
        if (level < 2) await this.maybeRedo(k, a);
        continue;
      }
      if (level >= 3) continue;
      await this.maybeTake(k, a, st.price, processed);
    }
    const every = BigInt(this.o.settleIntervalBlocks);
    if (every > 0n && processed - this.lastSettle >= every) {
      this.lastSettle = processed;
      await this.settleAll();
    }
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

  private async maybeTake(k: string, a: AuctionState, localPrice: bigint, block: bigint): Promise<void> {
    const info = this.ilkInfo(a);
    if (!info) return;
    const ref = await this.o.reference.price({ ilk: a.ilk, token: info.token, decimals: info.decimals, amount: a.lot, block });
    if (ref === undefined || ref === 0n) return;
    const maxPrice = (ref * (WAD - this.o.minMarginWad)) / WAD;
    if (localPrice > maxPrice) return; // not yet
    this.inflight.add(k);
    let keep = false;
    try {
      keep = await this.take(k, a, info, ref, maxPrice);
    } finally {
      if (!keep) this.inflight.delete(k);
    }
  }

  /** Returns true when a take was sent (the auction stays in flight until its outcome). */
  private async take(k: string, a: AuctionState, info: { token: Address; decimals: number }, ref: bigint, maxPrice: bigint): Promise<boolean> {
    const { sender, indexer } = this.o;
    const client = indexer.client;
    const me = sender.address('take');
    // 1. Fresh quote from the chain.
    let quote: readonly [bigint, bigint, bigint];
    try {
      quote = await client.readContract({ address: a.house, abi: collateralAuctionAbi, functionName: 'quote', args: [a.id, a.lot] });
    } catch (err) {
      this.lostRaces++;
      this.loseRace(k, a, `quote: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`);
      return false;
    }
    const [out, owe, chainPrice] = quote;
    if (chainPrice > maxPrice) {
      this.log.debug({ auction: k, chainPrice: chainPrice.toString(), maxPrice: maxPrice.toString() }, 'on-chain quote above the limit: not yet');
      return false;
    }
    const scale = 10n ** BigInt(18 - info.decimals);
    const value = (out * scale * ref) / WAD;
    // 2. The call.
    let call: ContractCall;
    if (this.o.capital === 'flash' && this.o.flashTaker) {
      call = {
        address: this.o.flashTaker,
        abi: iUniswapV2FlashTakerAbi,
        functionName: 'take',
        args: [a.house, a.id, a.lot, maxPrice, 0n, [info.token, this.o.stablecoin], me],
      };
    } else {
      const ok = await this.ensureApproval(a.house, owe);
      if (!ok) return false;
      call = { address: a.house, abi: collateralAuctionAbi, functionName: 'take', args: [a.id, a.lot, maxPrice, me, '0x'] };
    }
    // 3. Simulate, price the gas, check the profit.
    const prep = await sender.prepare('take', 'take', call);
    if (!prep.ok) {
      if (prep.reason === 'reverted' && prep.error.name !== undefined && LOST_RACE_ERRORS.has(prep.error.name)) {
        this.lostRaces++;
        this.loseRace(k, a, prep.error.message);
      } else {
        this.loseRace(k, a, `${prep.reason}: ${prep.error.message}`);
      }
      return false;
    }
    const gasCost = (prep.maxCostWei * this.o.nativePriceWad) / WAD;
    const profit = value - owe - gasCost;
    if (profit <= 0n) {
      this.log.debug({ auction: k, value: value.toString(), owe: owe.toString(), gasCost: gasCost.toString() }, 'not profitable after gas');
      return false;
    }
    if (this.o.capital === 'flash') {
      // The flash taker reverts unless the swap leaves at least the gas cost as profit.
      const args = [...call.args];
      args[4] = gasCost;
      const p2 = await sender.prepare('take', 'take', { ...call, args });
      if (!p2.ok) {
        this.loseRace(k, a, p2.error.message);
        return false;
      }
      return this.dispatch(k, a, p2, profit);
    }
    return this.dispatch(k, a, prep, profit);
  }

  private async dispatch(k: string, a: AuctionState, prep: Parameters<TxSender['send']>[0], profit: bigint): Promise<boolean> {
    let handle;
    try {
      handle = await this.o.sender.send(prep);
    } catch (err) {
      this.loseRace(k, a, `send: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`);
      return false;
    }
    this.sent++;
    this.log.info({ auction: k, hash: handle.hash, expectedProfit: profit.toString() }, 'take sent');
    const done = handle.done.then((o) => {
      this.inflight.delete(k);
      this.takes.push({ key: k, hash: o.hash ?? handle.hash, status: o.status, expectedProfit: profit });
      if (o.status === 'success') this.o.metrics?.profit.inc({ ilk: a.ilk }, wadToNumber(profit));
      else {
        this.lostRaces++;
        this.loseRace(k, a, `take ${o.status}`);
      }
    });
    this.outcomes.add(done);
    void done.finally(() => this.outcomes.delete(done));
    return true;
  }

  private async ensureApproval(house: Address, owe: bigint): Promise<boolean> {
    const key = house.toLowerCase();
    if (this.approved.has(key)) return true;
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
    try {
      const h = await sender.send(prep);
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
