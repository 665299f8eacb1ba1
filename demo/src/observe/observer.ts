// An observer independent of the keeper: it rebuilds every vault, price and auction from the
// chain's logs, block by block, classifies vaults with the VaultEngine's own rule (the TypeScript
// mirror in @gavel/sdk, cross-checked against isSafe on chain by the system test), and keeps
// the record the summary and the system test judge the keeper by: when each vault became unsafe,
// when it was liquidated, whether the protocol's limits left room in between, and what every
// auction sold at.

import { type Address, type Hex, type Log, type PublicClient, parseEventLogs } from 'viem';
import {
  collateralAuctionAbi,
  collateralValueWadDown,
  debtOf,
  divUp,
  isSafe,
  liquidationEngineAbi,
  liquidationMinTab,
  mulWad,
  RAY,
  spotterAbi,
  vaultEngineAbi,
} from '@gavel/sdk';
import type { DemoDeployment } from '../deployment.ts';
import type { Episode } from './latency.ts';

const abi = [...vaultEngineAbi, ...liquidationEngineAbi, ...collateralAuctionAbi, ...spotterAbi] as const;

export interface IlkView {
  readonly id: Hex;
  readonly name: string;
  readonly decimals: number;
  readonly scale: bigint;
  spot: bigint;
  rate: bigint;
  dust: bigint;
  penaltyWad: bigint;
  /** Smallest tab the engine starts an auction with: dust × penalty, rounded up. */
  minTab: bigint;
  /** Mark price from the last Spotter poke (WAD per whole token). */
  mark: bigint;
}

export interface VaultView {
  readonly ilk: string;
  readonly owner: Address;
  collateral: bigint;
  normalizedDebt: bigint;
  /** Open unsafe episode: the block it started in. */
  unsafeSince: bigint | undefined;
  /** The open episode began with the vault turning unsafe (not a partial liquidation's remainder). */
  fresh: boolean;
  roomyBlocksWaited: number;
  everUnsafe: boolean;
  liquidations: number;
}

export interface AuctionView {
  readonly house: Address;
  readonly id: bigint;
  readonly ilk: string;
  readonly owner: Address;
  readonly kickedAt: bigint;
  /** The kick's transaction. */
  readonly kickTx: Hex | null;
  readonly tab: bigint;
  readonly lot: bigint;
  tabLeft: bigint;
  lotLeft: bigint;
  redos: number;
  takes: number;
  end: 'taken' | 'takenOver' | 'yanked' | undefined;
  endedAt: bigint | undefined;
  /** The transaction that ended it: the kick's own for a tier-1 liquidate-and-take. */
  endTx: Hex | null | undefined;
  /** Stablecoin raised, WAD. */
  raised: bigint;
}

/** Tier 1: the auction was bought whole in its kick's own transaction (liquidateAndTake). */
export function soldAtOnce(a: AuctionView): boolean {
  return a.end === 'taken' && a.endTx != null && a.endTx === a.kickTx;
}

export interface TakeRecord {
  readonly block: bigint;
  readonly ilk: string;
  readonly taker: Address;
  /** WAD per whole token. */
  readonly price: bigint;
  /** Stablecoin paid, WAD. */
  readonly owe: bigint;
  /** Native units. */
  readonly collateralOut: bigint;
  readonly takeover: boolean;
}

export interface LiquidationRecord {
  readonly block: bigint;
  readonly ilk: string;
  readonly owner: Address;
  /** Whether the observer's state said the vault was unsafe right before the seizure. */
  readonly wasUnsafe: boolean;
  readonly debt: bigint;
  readonly keeper: Address | undefined;
}

/** A portfolio vault (issue 18): its debt, from the vault engine's events on the portfolio ilk. */
export interface PortfolioView {
  readonly owner: Address;
  normalizedDebt: bigint;
  liquidations: number;
}

/** One `liquidatePortfolio` call. */
export interface PortfolioLiquidationRecord {
  readonly block: bigint;
  readonly owner: Address;
  readonly keeper: Address;
  /** Auctions started: one per held asset with room. */
  readonly lots: number;
  readonly normalizedDebt: bigint;
  readonly isPartial: boolean;
}

export interface RecentEvent {
  readonly block: bigint;
  readonly text: string;
}

export class Observer {
  readonly ilks = new Map<string, IlkView>();
  readonly vaults = new Map<string, VaultView>();
  readonly auctions = new Map<string, AuctionView>();
  readonly takes: TakeRecord[] = [];
  readonly liquidations: LiquidationRecord[] = [];
  /** Portfolio vaults by owner (lowercase); empty when the deployment has no portfolio engine. */
  readonly portfolios = new Map<string, PortfolioView>();
  readonly portfolioLiquidations: PortfolioLiquidationRecord[] = [];
  /** The portfolio ilk's rate accumulator (RAY). */
  portfolioRate = RAY;
  readonly episodes: Episode[] = [];
  readonly recent: RecentEvent[] = [];
  readonly counts = { kicks: 0, redos: 0, takeovers: 0, skipped: 0 };
  /** Keeper incentives minted unbacked (liquidation tip + chip, redo incentive, takeover reward), WAD. */
  incentivesPaid = 0n;
  /** The last block fully processed. */
  head = 0n;
  private readonly byId = new Map<Hex, IlkView>();
  private readonly houses: Map<string, string>;
  private readonly watched: Address[];
  private kickedThisBlock = new Set<string>();

  constructor(
    private readonly client: PublicClient,
    private readonly d: DemoDeployment,
  ) {
    this.houses = new Map(d.ilks.map((i) => [i.house.toLowerCase(), i.name]));
    this.watched = [d.engine, d.liquidationEngine, d.spotter, ...d.ilks.map((i) => i.house)];
  }

  /** Reads each ilk's parameters and replays every log since the deployment, up to `toBlock`. */
  async init(toBlock: bigint): Promise<void> {
    if (this.d.portfolioIlk !== undefined) {
      this.portfolioRate = (await this.client.readContract({ address: this.d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [this.d.portfolioIlk], blockNumber: toBlock })).rate;
    }
    for (const i of this.d.ilks) {
      const info = await this.client.readContract({ address: this.d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [i.id], blockNumber: toBlock });
      const cfg = await this.client.readContract({ address: this.d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'ilkConfig', args: [i.id], blockNumber: toBlock });
      const view: IlkView = {
        id: i.id,
        name: i.name,
        decimals: i.decimals,
        scale: info.scale,
        spot: info.spot,
        rate: info.rate,
        dust: info.dust,
        penaltyWad: cfg.penaltyWad,
        minTab: liquidationMinTab(info.dust, cfg.penaltyWad),
        mark: mulWad(info.spot, info.liquidationRatio),
      };
      this.ilks.set(i.name, view);
      this.byId.set(i.id, view);
    }
    const logs = await this.client.getLogs({ address: this.watched, fromBlock: this.d.block, toBlock });
    // Replay without the latency bookkeeping: the observer starts watching at toBlock.
    for (const log of parseEventLogs({ abi, logs })) this.apply(log, log.blockNumber, false);
    this.head = toBlock;
    for (const v of this.vaults.values()) {
      if (this.unsafe(v)) {
        v.unsafeSince = toBlock;
        v.fresh = false;
        v.everUnsafe = true;
      }
    }
  }

  /** Processes every block up to the chain's head. */
  async catchUp(): Promise<void> {
    const tip = await this.client.getBlockNumber({ cacheTime: 0 });
    while (this.head < tip) await this.processBlock(this.head + 1n);
  }

  /** Applies one block's logs, then classifies every vault and accounts the room the limits left. */
  async processBlock(block: bigint): Promise<void> {
    const logs = await this.client.getLogs({ address: this.watched, fromBlock: block, toBlock: block });
    this.kickedThisBlock = new Set();
    for (const log of parseEventLogs({ abi, logs })) this.apply(log, block, true);

    // Room after this block, per ilk, only where a vault is waiting (one eth_call per such ilk).
    const waitingIlks = new Set<string>();
    for (const v of this.vaults.values()) {
      if (v.unsafeSince !== undefined && v.unsafeSince < block && !this.kickedThisBlock.has(key(v.ilk, v.owner))) waitingIlks.add(v.ilk);
    }
    const roomy = new Map<string, boolean>();
    for (const name of waitingIlks) {
      const ilk = this.ilks.get(name);
      if (!ilk) continue;
      const room = await this.client.readContract({ address: this.d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'room', args: [ilk.id], blockNumber: block });
      roomy.set(name, room >= ilk.minTab);
    }

    for (const v of this.vaults.values()) {
      const k = key(v.ilk, v.owner);
      const unsafe = this.unsafe(v);
      if (v.unsafeSince !== undefined && !this.kickedThisBlock.has(k)) {
        if (!unsafe) {
          this.closeEpisode(v, undefined, 'recovered');
        } else if (v.unsafeSince < block && roomy.get(v.ilk) === true) {
          v.roomyBlocksWaited++;
        }
      }
      if (unsafe && v.unsafeSince === undefined) {
        v.unsafeSince = block;
        v.fresh = !this.kickedThisBlock.has(k);
        v.roomyBlocksWaited = 0;
        v.everUnsafe = true;
      }
    }
    this.head = block;
  }

  /** Closes the episodes still open (the run ended): they count as waiting. */
  finish(): void {
    for (const v of this.vaults.values()) {
      if (v.unsafeSince !== undefined) this.closeEpisode(v, undefined, 'waiting');
    }
  }

  unsafe(v: VaultView): boolean {
    const ilk = this.ilks.get(v.ilk);
    if (!ilk) return false;
    return !isSafe(v.collateral, v.normalizedDebt, ilk);
  }

  /** Σ normalized debt × rate over every vault and portfolio, RAD: must equal the engine's totalDebtRad. */
  totalDebtRad(): bigint {
    let sum = 0n;
    for (const v of this.vaults.values()) sum += v.normalizedDebt * (this.ilks.get(v.ilk)?.rate ?? 0n);
    for (const p of this.portfolios.values()) sum += p.normalizedDebt * this.portfolioRate;
    return sum;
  }

  private portfolio(owner: Address): PortfolioView {
    const k = owner.toLowerCase();
    let p = this.portfolios.get(k);
    if (!p) {
      p = { owner, normalizedDebt: 0n, liquidations: 0 };
      this.portfolios.set(k, p);
    }
    return p;
  }

  /** Whether `ilk` (bytes32) is the portfolio debt line. */
  private isPortfolioIlk(ilk: Hex): boolean {
    return this.d.portfolioIlk !== undefined && ilk.toLowerCase() === this.d.portfolioIlk.toLowerCase();
  }

  /** Debt not covered by collateral valued at `prices` (WAD per whole token), summed over vaults, WAD. */
  shortfall(prices: ReadonlyMap<string, bigint>): bigint {
    let sum = 0n;
    for (const v of this.vaults.values()) {
      const ilk = this.ilks.get(v.ilk);
      const price = prices.get(v.ilk);
      if (!ilk || price === undefined || v.normalizedDebt === 0n) continue;
      const debt = debtOf(v.normalizedDebt, ilk.rate);
      const value = collateralValueWadDown(v.collateral, ilk.scale, price);
      if (debt > value) sum += debt - value;
    }
    return sum;
  }

  activeAuctions(): number {
    let n = 0;
    for (const a of this.auctions.values()) if (a.end === undefined) n++;
    return n;
  }

  private closeEpisode(v: VaultView, kickedAt: bigint | undefined, outcome: Episode['outcome']): void {
    if (v.unsafeSince === undefined) return;
    this.episodes.push({ ilk: v.ilk, owner: v.owner, unsafeAt: v.unsafeSince, kickedAt, roomyBlocksWaited: v.roomyBlocksWaited, outcome, startedFresh: v.fresh });
    v.unsafeSince = undefined;
    v.roomyBlocksWaited = 0;
  }

  private vault(ilkName: string, owner: Address): VaultView {
    const k = key(ilkName, owner);
    let v = this.vaults.get(k);
    if (!v) {
      v = { ilk: ilkName, owner, collateral: 0n, normalizedDebt: 0n, unsafeSince: undefined, fresh: false, roomyBlocksWaited: 0, everUnsafe: false, liquidations: 0 };
      this.vaults.set(k, v);
    }
    return v;
  }

  private note(block: bigint, text: string): void {
    this.recent.push({ block, text });
    if (this.recent.length > 200) this.recent.shift();
  }

  private apply(log: ReturnType<typeof parseEventLogs<typeof abi>>[number] & Log, block: bigint, live: boolean): void {
    const from = log.address.toLowerCase();
    const houseIlk = this.houses.get(from);
    if (from === this.d.engine.toLowerCase()) {
      switch (log.eventName) {
        case 'VaultChanged': {
          if (this.isPortfolioIlk(log.args.ilk)) {
            this.portfolio(log.args.owner).normalizedDebt = log.args.normalizedDebt;
            return;
          }
          const ilk = this.byId.get(log.args.ilk.toLowerCase() as Hex);
          if (!ilk) return;
          const v = this.vault(ilk.name, log.args.owner);
          v.collateral = log.args.collateral;
          v.normalizedDebt = log.args.normalizedDebt;
          return;
        }
        case 'Seized': {
          if (this.isPortfolioIlk(log.args.ilk)) {
            const p = this.portfolio(log.args.owner);
            p.normalizedDebt -= log.args.normalizedDebt;
            return;
          }
          const ilk = this.byId.get(log.args.ilk.toLowerCase() as Hex);
          if (!ilk) return;
          const v = this.vault(ilk.name, log.args.owner);
          const wasUnsafe = this.unsafe(v);
          v.collateral -= log.args.collateral;
          v.normalizedDebt -= log.args.normalizedDebt;
          v.liquidations++;
          this.liquidations.push({ block, ilk: ilk.name, owner: v.owner, wasUnsafe, debt: divUp(log.args.debtRad, RAY), keeper: undefined });
          if (live) {
            this.kickedThisBlock.add(key(ilk.name, v.owner));
            this.closeEpisode(v, block, 'kicked');
          }
          return;
        }
        case 'SpotUpdated': {
          const ilk = this.byId.get(log.args.ilk.toLowerCase() as Hex);
          if (ilk) ilk.spot = log.args.spot;
          return;
        }
        case 'Dripped': {
          if (this.isPortfolioIlk(log.args.ilk)) this.portfolioRate = log.args.rate;
          const ilk = this.byId.get(log.args.ilk.toLowerCase() as Hex);
          if (ilk) ilk.rate = log.args.rate;
          return;
        }
        case 'DustSet': {
          const ilk = this.byId.get(log.args.ilk.toLowerCase() as Hex);
          if (ilk) {
            ilk.dust = log.args.dust;
            ilk.minTab = liquidationMinTab(ilk.dust, ilk.penaltyWad);
          }
          return;
        }
        default:
          return;
      }
    }
    if (from === this.d.liquidationEngine.toLowerCase()) {
      if (log.eventName === 'Liquidate') {
        this.incentivesPaid += log.args.incentive;
        const last = this.liquidations.at(-1);
        if (last && last.block === block && last.owner === log.args.owner) {
          this.liquidations[this.liquidations.length - 1] = { ...last, keeper: log.args.keeper };
        }
        const ilk = this.byId.get(log.args.ilk.toLowerCase() as Hex);
        this.note(block, `liquidated ${short(log.args.owner)} ${ilk?.name ?? '?'} debt ${fmt(log.args.debt)}${log.args.isPartial ? ' (partial)' : ''}`);
      } else if (log.eventName === 'LiquidatePortfolio') {
        this.incentivesPaid += log.args.incentive;
        this.portfolio(log.args.owner).liquidations++;
        this.portfolioLiquidations.push({ block, owner: log.args.owner, keeper: log.args.keeper, lots: Number(log.args.lots), normalizedDebt: log.args.normalizedDebt, isPartial: log.args.isPartial });
        this.note(block, `liquidated portfolio ${short(log.args.owner)} in ${log.args.lots} lots${log.args.isPartial ? ' (partial)' : ''}`);
      } else if (log.eventName === 'LiquidationSkipped') {
        this.counts.skipped++;
      }
      return;
    }
    if (from === this.d.spotter.toLowerCase()) {
      if (log.eventName === 'Poke') {
        const ilk = this.byId.get(log.args.ilk.toLowerCase() as Hex);
        if (ilk) ilk.mark = log.args.markPrice;
      }
      return;
    }
    if (houseIlk === undefined) return;
    const k = (id: bigint): string => `${from}:${id}`;
    switch (log.eventName) {
      case 'Kick': {
        this.counts.kicks++;
        this.auctions.set(k(log.args.id), {
          house: log.address,
          id: log.args.id,
          ilk: houseIlk,
          owner: log.args.owner,
          kickedAt: block,
          kickTx: log.transactionHash,
          tab: log.args.tab,
          lot: log.args.lot,
          tabLeft: log.args.tab,
          lotLeft: log.args.lot,
          redos: 0,
          takes: 0,
          end: undefined,
          endedAt: undefined,
          endTx: undefined,
          raised: 0n,
        });
        return;
      }
      case 'Take': {
        const a = this.auctions.get(k(log.args.id));
        if (a) {
          a.tabLeft = log.args.tabLeft;
          a.lotLeft = log.args.lotLeft;
          a.takes++;
          a.raised += log.args.owe;
        }
        this.takes.push({ block, ilk: houseIlk, taker: log.args.taker, price: log.args.price, owe: log.args.owe, collateralOut: log.args.collateralOut, takeover: false });
        this.note(block, `take ${houseIlk} ${fmt(log.args.owe)} gUSD at ${fmt(log.args.price)} by ${short(log.args.taker)}`);
        return;
      }
      case 'Redo': {
        this.counts.redos++;
        this.incentivesPaid += log.args.incentive;
        const a = this.auctions.get(k(log.args.id));
        if (a) a.redos++;
        this.note(block, `redo ${houseIlk} auction`);
        return;
      }
      case 'Takeover': {
        this.counts.takeovers++;
        this.incentivesPaid += log.args.reward;
        const a = this.auctions.get(k(log.args.id));
        if (a) {
          a.end = 'takenOver';
          a.endedAt = block;
          a.raised += log.args.owe;
        }
        this.takes.push({ block, ilk: houseIlk, taker: log.args.trigger, price: log.args.price, owe: log.args.owe, collateralOut: log.args.collateralOut, takeover: true });
        this.note(block, `insurance fund took over a ${houseIlk} auction (${fmt(log.args.owe)} gUSD)`);
        return;
      }
      case 'AuctionClosed': {
        const a = this.auctions.get(k(log.args.id));
        if (a && a.end === undefined) {
          a.end = 'taken';
          a.endedAt = block;
          a.endTx = log.transactionHash;
        }
        return;
      }
      case 'Yank': {
        const a = this.auctions.get(k(log.args.id));
        if (a) {
          a.end = 'yanked';
          a.endedAt = block;
        }
        return;
      }
      default:
        return;
    }
  }
}

function key(ilk: string, owner: string): string {
  return `${ilk}:${owner.toLowerCase()}`;
}

function short(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

/** WAD to a display string with 2 decimals (display only). */
export function fmt(wad: bigint): string {
  const neg = wad < 0n;
  const abs = neg ? -wad : wad;
  const cents = (abs + 5n * 10n ** 15n) / 10n ** 16n;
  const whole = (cents / 100n).toLocaleString('en-US');
  return `${neg ? '-' : ''}${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}
