// The lab's own metrics, from the chain's logs and a final read of the books (never from what the
// agents believe they did). Protocol rules (debt of a vault, value of a lot) come from @gavel/sdk.
import { type Abi, type Address, type Hex, decodeEventLog } from 'viem';
import { RAY, collateralAuctionAbi, debtOf, liquidationEngineAbi, lotValue, preLiquidationAbi, vaultEngineAbi } from '@gavel/sdk';
import { fromWad } from './market.ts';
import { type Rpc, hex, readMany } from './rpc.ts';
import type { Ilk, RunResult, World } from './sim.ts';

/** A take at or below this share of the market is a zero-bid sale (Black Thursday's failure). */
export const ZERO_BID_RATIO = 0.05;

export interface TakeRecord {
  readonly ilk: string;
  readonly id: bigint;
  readonly step: number;
  readonly timestamp: number;
  readonly price: bigint;
  readonly market: bigint;
  readonly owe: bigint;
  readonly collateralOut: bigint;
  readonly byFund: boolean;
}

export interface AuctionRecord {
  readonly ilk: string;
  readonly id: bigint;
  readonly kickedAt: number;
  readonly tab: bigint;
  closedAt?: number;
  unraisedTab?: bigint;
  tabLeft: bigint;
  redos: number;
  takenOver: boolean;
}

export interface Metrics {
  readonly scenario: string;
  readonly mechanism: string;
  /** Bad debt on the books at the end, every house settled (VaultEngine.badDebtRad), whole gUSD. */
  readonly badDebt: number;
  /** The same figure rebuilt from the engine's events (Seized + UnbackedMinted − Healed − HealedWithSurplus). */
  readonly badDebtFromEvents: number;
  /** Part of the bad debt that is keeper incentives minted unbacked (liquidation, redo, takeover rewards). */
  readonly incentives: number;
  /** Tab in auctions still live at the end (Σ house.debtInAuctions), whole gUSD. */
  readonly debtLeft: number;
  readonly debtLeftFromEvents: number;
  /** Debt of open watched vaults not covered by their collateral at the final market price. */
  readonly openShortfall: number;
  /** Auctions the liquidation engine started: `Liquidate` (a vault) plus `LiquidatePortfolioLot` (a portfolio's lot). */
  readonly liquidations: number;
  readonly kicked: number;
  readonly sold: number;
  readonly takenOver: number;
  readonly left: number;
  readonly redos: number;
  readonly takes: number;
  /** Σ owe ÷ Σ (collateral × market) over the bidders' takes; undefined without takes. */
  readonly clearingMean?: number;
  readonly clearingWorst?: number;
  /** Σ owe ÷ Σ (collateral × market) over the fund's takeovers. */
  readonly takeoverVsMarket?: number;
  readonly zeroBidSales: number;
  /** Σ (collateral × market − owe) over takes and takeovers: what owners lost beyond their tab. */
  readonly ownerLossBeyondTab: number;
  /**
   * What owners lost at market, all in: over finished auctions Σ (collateral out × market − debt the
   * liquidation took off the vault), i.e. the penalty raised plus the loss beyond tab; plus over
   * pre-liquidations Σ (collateral out × market − repaid). Live auctions are not in it (not sold yet).
   */
  readonly ownerLossTotal: number;
  readonly preLiquidations: number;
  /** Σ (collateral out × market − repaid) over pre-liquidations, whole gUSD. */
  readonly preLiquidationLoss: number;
  /** Σ repaid by pre-liquidations, whole gUSD. */
  readonly preLiquidationRepaid: number;
  readonly meanSecondsToClear?: number;
  readonly maxSecondsToClear?: number;
  readonly gasUsed: bigint;
  /** Gas spent by the agents, in gUSD at the scenario's gas token price. */
  readonly gasCostGusd: number;
  readonly revertedTxs: number;
  readonly crowdedOut: number;
  readonly simulatedReverts: number;
  readonly infraReverts: number;
  readonly takesList: readonly TakeRecord[];
  readonly auctions: readonly AuctionRecord[];
}

interface RawLog {
  address: Address;
  topics: [Hex, ...Hex[]];
  data: Hex;
  blockNumber: Hex;
}

async function logsOf(rpc: Rpc, address: Address, from: bigint, to: bigint): Promise<RawLog[]> {
  return rpc.call<RawLog[]>('eth_getLogs', [{ address, fromBlock: hex(from), toBlock: hex(to) }]);
}

function decode(abi: Abi, l: RawLog): { eventName: string; args: Record<string, unknown> } | undefined {
  try {
    return decodeEventLog({ abi, topics: l.topics, data: l.data }) as unknown as { eventName: string; args: Record<string, unknown> };
  } catch {
    return undefined;
  }
}

export async function measure(world: World, r: RunResult, mechanism: string): Promise<Metrics> {
  const { rpc, d, ilks } = world;
  const sc = r.scenario;
  const blockTime = (block: bigint): number => {
    const step = r.stepOfBlock.get(block) ?? 0;
    return r.t0 + step * sc.stepSeconds;
  };
  const marketAt = (ilk: string, block: bigint): bigint => r.market[r.stepOfBlock.get(block) ?? 0]?.ilks.get(ilk)?.truth ?? 0n;

  const takes: TakeRecord[] = [];
  const auctions = new Map<string, AuctionRecord>();
  let redos = 0;
  let incentives = 0n;
  for (const i of ilks) {
    for (const l of await logsOf(rpc, i.house, r.startBlock, r.endBlock)) {
      const e = decode(collateralAuctionAbi, l);
      if (!e) continue;
      const block = BigInt(l.blockNumber);
      const id = e.args.id as bigint;
      const key = `${i.name}/${id}`;
      if (e.eventName === 'Kick') {
        auctions.set(key, { ilk: i.name, id, kickedAt: blockTime(block), tab: e.args.tab as bigint, tabLeft: e.args.tab as bigint, redos: 0, takenOver: false });
      } else if (e.eventName === 'Take' || e.eventName === 'Takeover') {
        const byFund = e.eventName === 'Takeover';
        takes.push({ ilk: i.name, id, step: r.stepOfBlock.get(block) ?? 0, timestamp: blockTime(block), price: e.args.price as bigint, market: marketAt(i.name, block), owe: e.args.owe as bigint, collateralOut: e.args.collateralOut as bigint, byFund });
        const a = auctions.get(key);
        if (a) {
          a.tabLeft = byFund ? 0n : (e.args.tabLeft as bigint);
          if (byFund) a.takenOver = true;
        }
        if (byFund) incentives += e.args.reward as bigint;
      } else if (e.eventName === 'Redo') {
        redos++;
        incentives += e.args.incentive as bigint;
        const a = auctions.get(key);
        if (a) a.redos++;
      } else if (e.eventName === 'AuctionClosed') {
        const a = auctions.get(key);
        if (a) {
          a.closedAt = blockTime(block);
          a.unraisedTab = e.args.unraisedTab as bigint;
          a.tabLeft = 0n;
        }
      }
    }
  }
  let liquidations = 0;
  const debtOfAuction = new Map<string, bigint>();
  for (const l of await logsOf(rpc, d.liquidationEngine, r.startBlock, r.endBlock)) {
    const e = decode(liquidationEngineAbi, l);
    // A portfolio liquidation pays one incentive for all its lots; each lot is an auction like a vault's.
    if (e?.eventName === 'LiquidatePortfolio') incentives += e.args.incentive as bigint;
    if (e?.eventName !== 'Liquidate' && e?.eventName !== 'LiquidatePortfolioLot') continue;
    liquidations++;
    if (e.eventName === 'Liquidate') incentives += e.args.incentive as bigint;
    const ilk = ilks.find((i) => i.id.toLowerCase() === (e.args.ilk as string).toLowerCase());
    if (ilk) debtOfAuction.set(`${ilk.name}/${e.args.auctionId as bigint}`, e.args.debt as bigint);
  }
  let preLiquidations = 0;
  let preLoss = 0n;
  let preRepaid = 0n;
  if (d.preLiquidation) {
    for (const l of await logsOf(rpc, d.preLiquidation, r.startBlock, r.endBlock)) {
      const e = decode(preLiquidationAbi, l);
      if (e?.eventName !== 'PreLiquidate') continue;
      const ilk = ilks.find((i) => i.id.toLowerCase() === (e.args.ilk as string).toLowerCase());
      if (!ilk) continue;
      preLiquidations++;
      const repaid = e.args.repaid as bigint;
      preRepaid += repaid;
      preLoss += lotValue(e.args.collateralOut as bigint, marketAt(ilk.name, BigInt(l.blockNumber)), ilk.scale) - repaid;
    }
  }
  let badDebtEventsRad = r.badDebtStartRad;
  for (const l of await logsOf(rpc, d.engine, r.startBlock, r.endBlock)) {
    const e = decode(vaultEngineAbi, l);
    if (!e) continue;
    if (e.eventName === 'Seized') badDebtEventsRad += e.args.debtRad as bigint;
    else if (e.eventName === 'UnbackedMinted') badDebtEventsRad += (e.args.amount as bigint) * RAY;
    else if (e.eventName === 'Healed') badDebtEventsRad -= e.args.healedRad as bigint;
    else if (e.eventName === 'HealedWithSurplus') badDebtEventsRad -= e.args.rad as bigint;
  }

  // The books at the end, read from the chain.
  const end = hex(r.endBlock);
  const books = (await readMany(rpc, [
    { address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' },
    ...ilks.map((i) => ({ address: i.house, abi: collateralAuctionAbi, functionName: 'debtInAuctions' })),
    ...ilks.map((i) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [i.id] })),
    ...world.vaults.map((v) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'vault', args: [(ilks.find((i) => i.name === v.ilk) as Ilk).id, v.owner] })),
  ], end));
  let at = 0;
  const badDebtRad = books[at++] as bigint;
  const debtLeft = ilks.map(() => books[at++] as bigint).reduce((a, b) => a + b, 0n);
  const rates = new Map(ilks.map((i) => [i.name, (books[at++] as { rate: bigint }).rate]));
  const finalStep = r.market[r.market.length - 1];
  let shortfall = 0n;
  for (const v of world.vaults) {
    const [collateral, normalizedDebt] = books[at++] as [bigint, bigint];
    const ilk = ilks.find((i) => i.name === v.ilk) as Ilk;
    const debt = debtOf(normalizedDebt, rates.get(v.ilk) ?? RAY);
    const value = lotValue(collateral, finalStep?.ilks.get(v.ilk)?.truth ?? 0n, ilk.scale);
    if (debt > value) shortfall += debt - value;
  }

  const list = [...auctions.values()];
  const bidderTakes = takes.filter((t) => !t.byFund);
  const fundTakes = takes.filter((t) => t.byFund);
  const scaleOf = (ilk: string): bigint => (ilks.find((i) => i.name === ilk) as Ilk).scale;
  const ratio = (ts: readonly TakeRecord[]): number | undefined => {
    const paid = ts.reduce((a, t) => a + t.owe, 0n);
    const worth = ts.reduce((a, t) => a + lotValue(t.collateralOut, t.market, scaleOf(t.ilk)), 0n);
    return worth > 0n ? Number((paid * 1_000_000n) / worth) / 1e6 : undefined;
  };
  const single = (t: TakeRecord): number => (t.market > 0n ? Number((t.price * 1_000_000n) / t.market) / 1e6 : 0);
  const cleared = list.filter((a) => a.closedAt !== undefined).map((a) => (a.closedAt as number) - a.kickedAt);
  const ownerLoss = takes.reduce((acc, t) => acc + lotValue(t.collateralOut, t.market, scaleOf(t.ilk)) - t.owe, 0n);
  const soldValue = new Map<string, bigint>();
  for (const t of takes) soldValue.set(`${t.ilk}/${t.id}`, (soldValue.get(`${t.ilk}/${t.id}`) ?? 0n) + lotValue(t.collateralOut, t.market, scaleOf(t.ilk)));
  const auctionLoss = list
    .filter((a) => a.closedAt !== undefined)
    .reduce((acc, a) => acc + (soldValue.get(`${a.ilk}/${a.id}`) ?? 0n) - (debtOfAuction.get(`${a.ilk}/${a.id}`) ?? 0n), 0n);
  const gasUsed = r.included.reduce((a, t) => a + t.gasUsed, 0n);
  const gasWei = r.included.reduce((a, t) => a + t.gasUsed * t.effectiveGasPrice, 0n);
  const worst = bidderTakes.length > 0 ? Math.min(...bidderTakes.map(single)) : undefined;
  return {
    scenario: sc.name,
    mechanism,
    badDebt: fromWad(badDebtRad / RAY),
    badDebtFromEvents: fromWad(badDebtEventsRad / RAY),
    incentives: fromWad(incentives),
    debtLeft: fromWad(debtLeft),
    debtLeftFromEvents: fromWad(list.filter((a) => a.closedAt === undefined).reduce((s, a) => s + a.tabLeft, 0n)),
    openShortfall: fromWad(shortfall),
    liquidations,
    kicked: list.length,
    sold: list.filter((a) => a.closedAt !== undefined && !a.takenOver).length,
    takenOver: list.filter((a) => a.takenOver).length,
    left: list.filter((a) => a.closedAt === undefined).length,
    redos,
    takes: bidderTakes.length,
    clearingMean: ratio(bidderTakes),
    clearingWorst: worst,
    takeoverVsMarket: ratio(fundTakes),
    zeroBidSales: bidderTakes.filter((t) => single(t) <= ZERO_BID_RATIO).length,
    ownerLossBeyondTab: fromWad(ownerLoss),
    ownerLossTotal: fromWad(auctionLoss + preLoss),
    preLiquidations,
    preLiquidationLoss: fromWad(preLoss),
    preLiquidationRepaid: fromWad(preRepaid),
    meanSecondsToClear: cleared.length > 0 ? cleared.reduce((a, b) => a + b, 0) / cleared.length : undefined,
    maxSecondsToClear: cleared.length > 0 ? Math.max(...cleared) : undefined,
    gasUsed,
    gasCostGusd: fromWad(gasWei * BigInt(Math.round(sc.chain.gasTokenPriceGusd))),
    revertedTxs: r.included.filter((t) => !t.success).length,
    crowdedOut: r.crowdedOut,
    simulatedReverts: r.simulatedReverts,
    infraReverts: r.infraReverts,
    takesList: takes,
    auctions: list,
  };
}
