// The keeper's pre-liquidations: on every live block (after the kicker has had its turn), find the
// opted-in vaults whose health sits in their band [1.0, pre-threshold) — health from the keeper's index,
// the band from the owner's parameters and today's bounds (OptIns, from the PreLiquidation's logs) —,
// size the close with the SDK (PreLiquidation's rules to the wei: never above the bounded share, never
// above what the take account holds), value the collateral it buys at the keeper's reference, simulate,
// and send through the take lane when the profit after gas clears `minProfitWad`, like a take.
//
// The call pins what the keeper planned: maxRepay = the SDK's repayment, minCollateralOut = the SDK's
// collateral out, so a vault that moved between plan and block (or an SDK/contract mismatch) reverts
// in the simulation instead of paying a different price. One transaction per vault in flight; a vault
// whose simulation or transaction fails backs off (2, 4, … up to 64 blocks) like a kick.

import type { Logger } from 'pino';
import { type Abi, type Address, type Hex, getAddress, maxUint256, parseEventLogs } from 'viem';
import {
  WAD,
  debtOf,
  effectivePreHealth,
  health,
  liquidationEngineAbi,
  preLiquidationAbi,
  preLiquidationQuote,
  previewPreLiquidation,
  stablecoinAbi,
} from '@gavel/sdk';
import type { Indexer } from '../index/indexer.ts';
import type { PriceReference } from '../bid/reference.ts';
import { type KeeperMetrics, wadToNumber } from '../metrics.ts';
import type { TxSender } from '../send/sender.ts';
import { SerialRunner } from '../util/serial.ts';
import type { OptIns } from './optIns.ts';
import { decidePreLiquidation } from './preLiquidate.ts';

export interface PreLiquidatorOptions {
  readonly indexer: Indexer;
  readonly sender: TxSender;
  readonly optIns: OptIns;
  readonly preLiquidation: Address;
  readonly liquidationEngine: Address;
  readonly stablecoin: Address;
  /** Values the collateral a close buys (the bidder's reference). */
  readonly reference: PriceReference;
  /** Least profit after gas, WAD of gUSD. */
  readonly minProfitWad: bigint;
  /** gUSD per native token, WAD: prices gas. */
  readonly nativePriceWad: bigint;
  /** Fees follow the base fee up to this share (bps) of the profit before gas (as for takes). */
  readonly feeShareBps: bigint;
  readonly logger: Logger;
  readonly metrics?: KeeperMetrics;
}

/** A pre-liquidation the keeper sent and saw mined. */
export interface PreLiquidationRecord {
  readonly ilk: Hex;
  readonly owner: Address;
  readonly repaid: bigint;
  readonly collateralOut: bigint;
  readonly hash: Hex;
  readonly block: bigint;
}

const key = (ilk: string, owner: string): string => `${ilk.toLowerCase()}|${owner.toLowerCase()}`;
const MAX_BACKOFF_EXP = 6;

export class PreLiquidator {
  readonly done: PreLiquidationRecord[] = [];
  /** Transactions sent. */
  sent = 0;
  readonly #o: PreLiquidatorOptions;
  /** Vault → block the index must reach before it is considered again (undefined: in flight). */
  readonly #pending = new Map<string, bigint | undefined>();
  readonly #backoff = new Map<string, { until: bigint; fails: number }>();
  readonly #penalty = new Map<Hex, { wad: bigint; at: bigint }>();
  #approved = false;
  #running = false;
  readonly #offs: (() => void)[] = [];
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #runner = new SerialRunner(
    () => this.#pass(),
    () => this.#running,
    (err: unknown) => {
      this.#o.logger.warn({ error: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'pre-liquidation pass failed');
    },
  );

  constructor(o: PreLiquidatorOptions) {
    this.#o = o;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const ix = this.#o.indexer;
    this.#offs.push(
      ix.on('block', (e) => {
        if (e.live) this.#runner.schedule();
      }),
      ix.on('reorg', () => {
        this.#o.optIns.reset();
      }),
    );
    if (ix.live) this.#runner.schedule();
  }

  async stop(waitMs = 0): Promise<void> {
    this.#running = false;
    for (const off of this.#offs.splice(0)) off();
    await this.#runner.idle();
    if (waitMs > 0 && this.#inflight.size > 0) await Promise.race([Promise.allSettled([...this.#inflight]), new Promise((r) => setTimeout(r, waitMs))]);
  }

  async #penaltyOf(ilk: Hex, processed: bigint): Promise<bigint> {
    const c = this.#penalty.get(ilk);
    if (c && processed - c.at < 100n) return c.wad;
    const cfg = await this.#o.indexer.client.readContract({ address: this.#o.liquidationEngine, abi: liquidationEngineAbi, functionName: 'ilkConfig', args: [ilk] });
    this.#penalty.set(ilk, { wad: cfg.penaltyWad, at: processed });
    return cfg.penaltyWad;
  }

  #fail(k: string, reason: string): void {
    const prev = this.#backoff.get(k);
    const fails = (prev?.fails ?? 0) + 1;
    const blocks = 2n ** BigInt(Math.min(MAX_BACKOFF_EXP, fails));
    this.#backoff.set(k, { until: this.#o.indexer.processed + blocks, fails });
    this.#o.logger.debug({ vault: k, reason, backoffBlocks: blocks.toString() }, 'pre-liquidation skipped');
  }

  async #pass(): Promise<void> {
    const { indexer, optIns } = this.#o;
    if (!indexer.live) return;
    const processed = indexer.processed;
    await optIns.syncTo(processed);
    const bounds = optIns.bounds;
    if (!bounds) return;
    for (const [k, until] of this.#pending) if (until !== undefined && processed >= until) this.#pending.delete(k);
    const model = indexer.model;
    const inBand: { ilk: Hex; owner: Address; k: string; healthWad: bigint }[] = [];
    for (const o of optIns.list()) {
      const k = key(o.ilk, o.owner);
      if (this.#pending.has(k)) continue;
      const b = this.#backoff.get(k);
      if (b && processed < b.until) continue;
      const ilk = model.ilks.get(o.ilk);
      const v = model.vault(o.ilk, o.owner);
      if (!ilk || v.normalizedDebt === 0n) continue;
      const h = health(v.collateral, v.normalizedDebt, { spot: ilk.spot, rate: ilk.rate, scale: ilk.scale });
      if (h >= WAD && h < effectivePreHealth(o.params, bounds)) inBand.push({ ilk: o.ilk, owner: o.owner, k, healthWad: h });
    }
    if (inBand.length === 0) return;
    const me = this.#o.sender.address('take');
    let budget = await indexer.client.readContract({ address: this.#o.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [me] });
    if (budget === 0n) {
      this.#o.logger.debug({ vaults: inBand.length }, 'vaults in their pre-liquidation band, but the take account holds no gUSD');
      return;
    }
    if (!(await this.#ensureApproved(me))) return;
    for (const c of inBand) {
      if (!this.#running || budget === 0n) break;
      const spent = await this.#one(c.ilk, c.owner, c.k, c.healthWad, budget, processed);
      budget -= spent;
    }
  }

  async #ensureApproved(me: Address): Promise<boolean> {
    if (this.#approved) return true;
    const allowance = await this.#o.indexer.client.readContract({ address: this.#o.stablecoin, abi: stablecoinAbi, functionName: 'allowance', args: [me, this.#o.preLiquidation] });
    if (allowance < maxUint256 / 2n) {
      const r = await this.#o.sender.sendTransaction('take', 'approve', { address: this.#o.stablecoin, abi: stablecoinAbi, functionName: 'approve', args: [this.#o.preLiquidation, maxUint256] });
      if (!('hash' in r)) {
        this.#o.logger.warn({ error: r.error.message }, 'approve of the PreLiquidation not sent');
        return false;
      }
      const out = await r.done;
      if (out.status !== 'success') return false;
    }
    this.#approved = true;
    return true;
  }

  /** Plans, simulates and sends one vault's close; returns the gUSD committed (0 when nothing was sent). */
  async #one(ilk: Hex, owner: Address, k: string, healthWad: bigint, budget: bigint, processed: bigint): Promise<bigint> {
    const { indexer, optIns, sender, logger } = this.#o;
    const state = indexer.model.ilks.get(ilk);
    const params = optIns.get(ilk, owner);
    const bounds = optIns.bounds;
    if (!state || !params || !bounds) return 0n;
    const v = indexer.model.vault(ilk, owner);
    const penaltyWad = await this.#penaltyOf(ilk, processed);
    const q = preLiquidationQuote({ params, bounds, healthWad, debt: debtOf(v.normalizedDebt, state.rate), spot: state.spot, liquidationRatio: state.liquidationRatio, penaltyWad });
    if (!q.ok) return 0n;
    const planned = previewPreLiquidation(q.quote, budget, state.scale);
    if (planned.repaid === 0n || planned.collateralOut === 0n) return 0n;
    const market = await this.#o.reference.price({ ilk, token: state.token, decimals: state.decimals, amount: planned.collateralOut, block: processed });
    if (market === undefined) {
      this.#fail(k, 'no reference price');
      return 0n;
    }
    const call = { address: this.#o.preLiquidation, abi: preLiquidationAbi as Abi, functionName: 'preLiquidate', args: [ilk, owner, planned.repaid, planned.collateralOut, sender.address('take')] };
    let prep = await sender.prepare('take', 'preLiquidate', call);
    if (!prep.ok) {
      this.#fail(k, prep.error.message);
      logger.info({ ilk, owner, error: prep.error.name ?? prep.error.message }, 'pre-liquidation simulation failed: not sent');
      return 0n;
    }
    const gasWad = (wei: bigint): bigint => (wei * this.#o.nativePriceWad) / WAD;
    const before = decidePreLiquidation({ quote: q.quote, scale: state.scale, maxSpend: budget, marketPriceWad: market, gasCostWad: 0n, minProfitWad: 0n });
    if (before.profit <= 0n) {
      this.#fail(k, 'no profit before gas at the reference');
      return 0n;
    }
    const priced = sender.priceFor(prep, (before.profit * WAD) / this.#o.nativePriceWad, this.#o.feeShareBps);
    if (!priced.ok) {
      this.#fail(k, priced.error.message);
      return 0n;
    }
    prep = priced;
    const d = decidePreLiquidation({ quote: q.quote, scale: state.scale, maxSpend: budget, marketPriceWad: market, gasCostWad: gasWad(prep.maxCostWei), minProfitWad: this.#o.minProfitWad });
    if (!d.send) {
      this.#fail(k, `profit after gas ${d.profit} below the minimum`);
      logger.debug({ ilk, owner, profitWad: d.profit.toString() }, 'pre-liquidation does not pay: not sent');
      return 0n;
    }
    this.#pending.set(k, undefined);
    let handle;
    try {
      handle = await sender.send(prep);
    } catch (err) {
      this.#pending.delete(k);
      this.#fail(k, err instanceof Error ? err.message : String(err));
      return 0n;
    }
    this.sent++;
    logger.info({ ilk, owner, repaid: d.repaid.toString(), collateralOut: d.collateralOut.toString(), profitWad: d.profit.toString(), hash: handle.hash }, 'pre-liquidation sent');
    const done = handle.done.then((out) => {
      if (out.status === 'success' && out.receipt) {
        this.#pending.set(k, out.receipt.blockNumber);
        this.#backoff.delete(k);
        const ev = parseEventLogs({ abi: preLiquidationAbi, logs: out.receipt.logs, eventName: 'PreLiquidate' })[0];
        const repaid = ev?.args.repaid ?? d.repaid;
        const collateralOut = ev?.args.collateralOut ?? d.collateralOut;
        this.done.push({ ilk, owner: getAddress(owner), repaid, collateralOut, hash: out.receipt.transactionHash, block: out.receipt.blockNumber });
        this.#o.metrics?.incentives.inc({ kind: 'preLiquidate' }, wadToNumber(d.profit > 0n ? d.profit : 0n));
        logger.info({ ilk, owner, block: out.receipt.blockNumber.toString(), repaid: repaid.toString(), collateralOut: collateralOut.toString() }, 'pre-liquidated');
      } else {
        this.#pending.delete(k);
        if (out.status !== 'dropped') this.#fail(k, `tx ${out.status}`);
      }
    });
    this.#inflight.add(done);
    void done.finally(() => this.#inflight.delete(done));
    return d.repaid;
  }
}
