// Takeover: hand an auction nobody buys to the insurance fund (CollateralAuction.takeover).
//
// Eligibility is computed LOCALLY from the indexed auction and its tier (see `auctionStatusOf` in
// bidder.ts: `belowFloor`, or `redos > 0 && age > tail`), exactly the contract's rule, so no RPC is
// made per tick. Only an eligible auction is simulated (eth_call + estimate through
// TxSender.prepare, which returns the reward the call would pay); it is sent when that reward is
// worth more than the gas at the maximum fee (the bidder's profit-after-gas rule), on the settle
// lane (the lane of redo and settle: maintenance, never queued behind takes or kicks).
//
// Lost races (someone else took over, redid or took it: AuctionNotActive, TakeoverNotAllowed, ...)
// and unprofitable or capped attempts (TakeoverExceedsCap) back the auction off, doubling per
// failure, until its state changes: no retry storm. One takeover in flight per auction.
//
// The caller (Bidder) decides the order: a take is only possible while no redo is due, and every
// takeover-eligible auction is due a redo, so the two never compete; when both a redo and a
// takeover apply, the takeover goes first (see bidder.ts), and the redo is the fallback when the
// takeover cannot be sent (fund cap reached, reward below gas).

import { collateralAuctionAbi } from '@gavel/sdk';
import type { Logger } from 'pino';
import type { Hex } from 'viem';
import type { AuctionState } from '../index/model.ts';
import { WAD } from '@gavel/sdk';
import { type KeeperMetrics, wadToNumber } from '../metrics.ts';
import { LOST_RACE_ERRORS, shortMessage } from '../send/errors.ts';
import type { ContractCall, TxSender, TxStatus } from '../send/sender.ts';

export interface TakeoverRecord {
  readonly key: string;
  readonly hash: Hex;
  readonly status: TxStatus;
  /** Reward the simulation returned (WAD stablecoin). */
  readonly reward: bigint;
}

/** What {@link Takeovers.maybe} did: `sent` or `inflight` (nothing else to do for this auction now), `skipped` (try a redo). */
export type TakeoverResult = 'sent' | 'inflight' | 'skipped';

interface Backoff {
  readonly sig: string;
  until: bigint;
  fails: number;
}

/** Errors that mean the auction is no longer ours to take over (someone else acted first). */
export const TAKEOVER_LOST_ERRORS: ReadonlySet<string> = new Set([...LOST_RACE_ERRORS, 'TakeoverNotAllowed']);

const sigOf = (a: AuctionState): string => `${a.lot}:${a.tab}:${a.startedAt}:${a.redos}`;

export interface TakeoversOptions {
  readonly sender: TxSender;
  /** Stablecoin per native token, WAD (gas cost conversion). */
  readonly nativePriceWad: bigint;
  readonly logger: Logger;
  readonly metrics?: KeeperMetrics;
  /** The last processed block (backoff clock). */
  readonly processed: () => bigint;
}

export class Takeovers {
  readonly records: TakeoverRecord[] = [];
  /** Takeovers sent. */
  sent = 0;
  /** Simulations or transactions that lost to another actor. */
  lostRaces = 0;
  private readonly inflight = new Set<string>();
  private readonly backoff = new Map<string, Backoff>();
  private readonly outcomes = new Set<Promise<unknown>>();

  constructor(private readonly o: TakeoversOptions) {}

  /** In-flight outcomes (the bidder waits for them on stop). */
  pending(): Promise<unknown>[] {
    return [...this.outcomes];
  }

  /** Forgets auctions that are gone. */
  prune(live: ReadonlyMap<string, unknown>): void {
    for (const k of this.backoff.keys()) if (!live.has(k)) this.backoff.delete(k);
  }

  /** True while the auction (in this state) is backing off after a failed or unprofitable attempt. */
  backingOff(k: string, a: AuctionState): boolean {
    const b = this.backoff.get(k);
    return b !== undefined && b.sig === sigOf(a) && this.o.processed() < b.until;
  }

  private backOff(k: string, a: AuctionState, why: string, lost: boolean): void {
    if (lost) this.lostRaces++;
    const prev = this.backoff.get(k);
    const fails = (prev?.sig === sigOf(a) ? prev.fails : 0) + 1;
    const blocks = BigInt(2 ** Math.min(8, fails));
    this.backoff.set(k, { sig: sigOf(a), until: this.o.processed() + blocks, fails });
    this.o.logger.info({ auction: k, why, backoffBlocks: blocks.toString() }, 'takeover not sent: backing off');
  }

  /**
   * Simulates and, when the reward pays the gas, sends `takeover(id, settle account)` for an
   * auction the caller found eligible locally.
   */
  async maybe(k: string, a: AuctionState): Promise<TakeoverResult> {
    if (this.inflight.has(k)) return 'inflight';
    if (this.backingOff(k, a)) return 'skipped';
    const { sender } = this.o;
    const call: ContractCall = { address: a.house, abi: collateralAuctionAbi, functionName: 'takeover', args: [a.id, sender.address('settle')] };
    const prep = await sender.prepare('settle', 'takeover', call);
    if (!prep.ok) {
      const name = prep.error.name;
      this.backOff(k, a, `${prep.reason}: ${prep.error.message}`, prep.reason === 'reverted' && name !== undefined && TAKEOVER_LOST_ERRORS.has(name));
      return 'skipped';
    }
    const [, , reward] = prep.result as readonly [bigint, bigint, bigint];
    const gasCost = (prep.maxCostWei * this.o.nativePriceWad) / WAD;
    if (reward <= gasCost) {
      this.backOff(k, a, `reward ${reward} does not pay the gas ${gasCost}`, false);
      return 'skipped';
    }
    this.inflight.add(k);
    let handle;
    try {
      handle = await sender.send(prep);
    } catch (err) {
      this.inflight.delete(k);
      this.backOff(k, a, `send: ${shortMessage(err)}`, false);
      return 'skipped';
    }
    this.sent++;
    this.o.logger.info({ auction: k, hash: handle.hash, reward: reward.toString(), gasCost: gasCost.toString() }, 'takeover sent');
    const done = handle.done.then((out) => {
      this.inflight.delete(k);
      this.records.push({ key: k, hash: out.hash ?? handle.hash, status: out.status, reward });
      if (out.status === 'success') this.o.metrics?.incentives.inc({ kind: 'takeover' }, wadToNumber(reward));
      else this.backOff(k, a, `takeover ${out.status}`, true);
    });
    this.outcomes.add(done);
    void done.finally(() => this.outcomes.delete(done));
    return 'sent';
  }
}
