// Portfolio vaults (issue #18): keeps a PortfolioIndex (src/detect/portfolioIndex.ts) current and
// liquidates every unsafe portfolio with `LiquidationEngine.liquidatePortfolio`.
//
// What it reads, and from where:
//  - owners and holdings: the PortfolioEngine's `PortfolioCollateralChanged` logs name the owners whose
//    holdings changed; their holdings are then read (`holdingsOf`) at the processed block;
//  - debt, rate, spots, liquidation ratios and scales: the indexer's model (the vault engine's events on
//    the portfolio ilk and on each table asset), so they follow reorgs and checkpoints with the rest;
//  - the scenario table: `assets()` / `scenarios()`, re-read after `ScenarioTableSet`.
// A price move therefore re-checks only the portfolios holding that asset (the index's job). After a
// reorg every known owner is re-read and the logs are scanned again from the common ancestor.
//
// The lots a liquidation creates are ordinary auctions of the assets' houses: the Bidder takes them.

import type { Logger } from 'pino';
import { type Address, type Hex, getAbiItem, getAddress } from 'viem';
import { type AssetRisk, RAY, liquidationEngineAbi, portfolioEngineAbi } from '@gavel/sdk';
import { PortfolioIndex, type PortfolioTable } from '../detect/portfolioIndex.ts';
import type { Indexer } from '../index/indexer.ts';
import type { TxSender } from '../send/sender.ts';

export interface PortfolioKickerOptions {
  readonly indexer: Indexer;
  readonly sender: TxSender;
  readonly liquidationEngine: Address;
  readonly portfolioEngine: Address;
  /** The vault engine's ilk that books portfolio debt (lowercase bytes32 hex, as the model keys ilks). */
  readonly portfolioIlk: Hex;
  /** First block to scan for the portfolio engine's logs (its deployment block). */
  readonly fromBlock: bigint;
  /** Receives the incentive (default: the kick lane's account). */
  readonly rewardRecipient?: Address;
  /** Blocks to wait before retrying a portfolio whose liquidation failed to simulate. Default 2. */
  readonly retryBlocks?: bigint;
  readonly logger: Logger;
}

/** One liquidation the kicker got mined. */
export interface PortfolioLiquidation {
  readonly owner: Address;
  readonly hash: Hex;
  readonly block: bigint;
}

const collateralChanged = getAbiItem({ abi: portfolioEngineAbi, name: 'PortfolioCollateralChanged' });
const tableSet = getAbiItem({ abi: portfolioEngineAbi, name: 'ScenarioTableSet' });

/** Owners to send now: unsafe, not in flight, not waiting out a failed attempt. Pure. */
export function portfolioCandidates(unsafe: readonly string[], pending: ReadonlySet<string>, retryAt: ReadonlyMap<string, bigint>, block: bigint): string[] {
  return unsafe.filter((o) => !pending.has(o) && (retryAt.get(o) ?? 0n) <= block);
}

export class PortfolioKicker {
  /** Liquidations mined, in order. */
  readonly liquidations: PortfolioLiquidation[] = [];
  private index: PortfolioIndex | undefined;
  private readonly owners = new Set<Address>();
  private readonly dirty = new Set<Address>();
  private scannedTo: bigint;
  private readonly pending = new Set<string>();
  private readonly retryAt = new Map<string, bigint>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly log: Logger;
  private running = false;
  private busy = false;
  private again = false;
  private offs: (() => void)[] = [];

  constructor(private readonly o: PortfolioKickerOptions) {
    this.scannedTo = o.fromBlock - 1n;
    this.log = o.logger;
  }

  /** Unsafe portfolios as the index sees them now. */
  unsafe(): string[] {
    return this.index?.unsafe() ?? [];
  }

  start(): void {
    this.running = true;
    this.offs = [
      this.o.indexer.on('block', (e) => {
        if (e.live) this.schedule();
      }),
      this.o.indexer.on('reorg', (e) => {
        // Logs after the ancestor may be gone or different: scan again, re-read every holder.
        if (e.ancestor < this.scannedTo) this.scannedTo = e.ancestor;
        for (const owner of this.owners) this.dirty.add(owner);
        this.index = undefined;
      }),
    ];
  }

  async stop(waitMs = 0): Promise<void> {
    this.running = false;
    for (const off of this.offs) off();
    this.offs = [];
    if (waitMs > 0 && this.inFlight.size > 0) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, waitMs))]);
    }
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void (async () => {
      do {
        try {
          await this.pass();
        } catch (err) {
          this.log.warn({ error: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'portfolio pass failed (retried next block)');
        }
      } while (this.takeAgain() && this.running);
      this.busy = false;
    })();
  }

  /** Whether a block arrived during the pass (and forgets it). */
  private takeAgain(): boolean {
    const again = this.again;
    this.again = false;
    return again;
  }

  /** One pass at the indexer's processed block: logs, table, prices, holdings, then sends. */
  private async pass(): Promise<void> {
    const { indexer, portfolioEngine } = this.o;
    const block = indexer.processed;
    const client = indexer.client;
    if (this.scannedTo < block) {
      const logs = await client.getLogs({ address: portfolioEngine, events: [collateralChanged, tableSet], fromBlock: this.scannedTo + 1n, toBlock: block, strict: true });
      for (const l of logs) {
        if (l.eventName === 'ScenarioTableSet') this.index = undefined;
        else {
          const owner = getAddress(l.args.owner);
          this.owners.add(owner);
          this.dirty.add(owner);
        }
      }
      this.scannedTo = block;
    }
    if (!this.index) {
      const [assets, shocks] = await Promise.all([
        client.readContract({ address: portfolioEngine, abi: portfolioEngineAbi, functionName: 'assets', blockNumber: block }),
        client.readContract({ address: portfolioEngine, abi: portfolioEngineAbi, functionName: 'scenarios', blockNumber: block }),
      ]);
      if (assets.length === 0) return; // no table yet: nothing can be margined
      const table: PortfolioTable = { assets: assets.map((a) => a.toLowerCase()), shocksWad: shocks };
      const risks = table.assets.map((a) => this.riskOf(a));
      if (risks.some((r) => r === undefined)) return; // the model has not seen an asset's ilk yet
      this.index = new PortfolioIndex({ table, risks: risks as AssetRisk[], rate: this.rate() });
      for (const owner of this.owners) this.dirty.add(owner);
    }
    const index = this.index;
    for (const asset of index.assets()) {
      const r = this.riskOf(asset);
      const cur = index.risk(asset);
      if (r && (r.spotWad !== cur.spotWad || r.liquidationRatioWad !== cur.liquidationRatioWad)) index.setRisk(asset, r);
    }
    const rate = this.rate();
    if (rate !== index.currentRate()) index.setRate(rate);
    const model = indexer.model;
    for (const owner of this.owners) {
      if (this.dirty.has(owner)) continue;
      const debt = model.vault(this.o.portfolioIlk, owner).normalizedDebt;
      if (index.portfolio(owner)?.normalizedDebt !== debt) index.setDebt(owner, debt);
    }
    const reread = [...this.dirty];
    this.dirty.clear();
    const holdings = await Promise.all(reread.map((owner) => client.readContract({ address: portfolioEngine, abi: portfolioEngineAbi, functionName: 'holdingsOf', args: [owner], blockNumber: block })));
    reread.forEach((owner, k) => {
      const held = holdings[k] ?? [];
      const collaterals: Record<string, bigint> = {};
      index.assets().forEach((a, j) => {
        collaterals[a] = held[j] ?? 0n;
      });
      index.upsertPortfolio(owner, collaterals, model.vault(this.o.portfolioIlk, owner).normalizedDebt);
    });
    for (const owner of portfolioCandidates(index.unsafe(), this.pending, this.retryAt, block)) this.liquidate(owner as Address, block);
  }

  private riskOf(asset: string): AssetRisk | undefined {
    const ilk = this.o.indexer.model.ilks.get(asset as Hex);
    return ilk && { spotWad: ilk.spot, liquidationRatioWad: ilk.liquidationRatio, scale: ilk.scale };
  }

  private rate(): bigint {
    return this.o.indexer.model.ilks.get(this.o.portfolioIlk)?.rate ?? RAY;
  }

  private liquidate(owner: Address, block: bigint): void {
    const { sender, liquidationEngine } = this.o;
    this.pending.add(owner);
    const recipient = this.o.rewardRecipient ?? sender.address('kick');
    const run = (async () => {
      const r = await sender.sendTransaction('kick', 'liquidatePortfolio', { address: liquidationEngine, abi: liquidationEngineAbi, functionName: 'liquidatePortfolio', args: [owner, recipient] });
      if (!('hash' in r)) {
        // Safe again at the pending block, no room yet, or a rival was first: look again later.
        this.retryAt.set(owner, block + (this.o.retryBlocks ?? 2n));
        this.log.debug({ owner, error: r.error.message }, 'portfolio liquidation does not simulate: retrying later');
        return;
      }
      const outcome = await r.done;
      if (outcome.status === 'success' && outcome.receipt) {
        this.liquidations.push({ owner, hash: outcome.receipt.transactionHash, block: outcome.receipt.blockNumber });
        this.log.info({ owner, block: outcome.receipt.blockNumber.toString() }, 'portfolio liquidated');
      } else {
        this.retryAt.set(owner, block + (this.o.retryBlocks ?? 2n));
        this.log.warn({ owner, status: outcome.status }, 'portfolio liquidation did not land: retrying later');
      }
    })()
      .catch((err: unknown) => {
        this.retryAt.set(owner, block + (this.o.retryBlocks ?? 2n));
        this.log.warn({ owner, error: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'portfolio liquidation failed');
      })
      .finally(() => {
        this.pending.delete(owner);
        this.dirty.add(owner);
        this.inFlight.delete(run);
        this.schedule();
      });
    this.inFlight.add(run);
  }
}
