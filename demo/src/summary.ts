// The demo's JSON summary (README "What you will see" explains every field). Amounts are decimal
// strings in whole units (gUSD, tokens), exact: every measured amount is a bigint from the chain.

import { formatUnits } from 'viem';
import { WAD } from '@gavel/sdk';
import type { LateEpisode, LatencyReport } from './observe/latency.ts';
import { type AuctionView, type Observer, soldAtOnce } from './observe/observer.ts';

export interface Books {
  /** supply × RAY + surplus == Σ debt + bad debt, to the wei (RAD). */
  readonly balanced: boolean;
  /** The observer's Σ normalized debt × rate equals the engine's total debt. */
  readonly observerDebtMatches: boolean;
  readonly supply: string;
  readonly surplus: string;
  readonly debt: string;
  readonly badDebt: string;
}

export interface RunSummary {
  readonly vaults: {
    readonly total: number;
    readonly madeUnsafe: number;
    readonly liquidated: number;
    /** Liquidation calls, stages of a large vault counted separately. */
    readonly liquidations: number;
    /** Liquidations of a vault the observer saw as safe: must be 0. */
    readonly safeLiquidated: number;
    readonly unsafeAtEnd: number;
  };
  /** Portfolio vaults (issue 18): seeded, liquidated (by `liquidatePortfolio`), still in debt at the end. */
  readonly portfolios: {
    readonly total: number;
    readonly liquidated: number;
    readonly liquidations: number;
    /** Auctions the portfolio liquidations started (one per held asset). */
    readonly lots: number;
    readonly withDebtAtEnd: number;
    /** Unsafe at the end by the portfolio engine's own rule (`isSafe`, chain truth): must be 0. */
    readonly unsafeAtEnd: number;
  };
  readonly detection: {
    readonly episodes: number;
    readonly onTime: number;
    readonly heldBackByLimits: number;
    readonly late: number;
    readonly pendingAtEnd: number;
    readonly slowestBlocks: number;
    readonly meanBlocks: number;
    readonly slowestUnconstrainedBlocks: number;
    /** Which vaults were late, when (at most 20). */
    readonly lateEpisodes: readonly LateEpisode[];
  };
  readonly auctions: {
    readonly kicked: number;
    readonly taken: number;
    /** Tier 1: liquidated and bought whole in the kick's own transaction (liquidateAndTake). */
    readonly soldAtOnce: number;
    readonly takenOver: number;
    readonly redone: number;
    readonly yanked: number;
    readonly active: number;
    /** Blocks from kick to end, over ended auctions. */
    readonly meanBlocksToEnd: number;
    readonly maxBlocksToEnd: number;
    /** Ended auctions that raised less than the debt they carried (their gap became bad debt). */
    readonly raisedLessThanDebt: number;
    /** Which auctions raised less than their debt, and when (at most 20). */
    readonly short: readonly ShortAuction[];
  };
  readonly collateralSold: Record<string, string>;
  readonly clearing: Record<string, { readonly averagePrice: string; readonly averageMarket: string; readonly vsMarket: number }>;
  /** On-chain bad debt (unhealed), gUSD. It includes the keeper incentives below until the fund heals them. */
  readonly badDebt: { readonly before: string; readonly after: string };
  /** Keeper incentives minted with nothing behind them (liquidation tip + chip, redo, takeover rewards), gUSD. */
  readonly incentivesPaid: string;
  readonly fund: { readonly before: string; readonly after: string };
  /** Debt not covered by collateral at the final market price in vaults still open, gUSD. */
  readonly shortfall: string;
  readonly books: Books;
}

/** Collateral sold and the average clearing price against the market at each take's block. */
export function clearing(
  obs: Observer,
  truthAt: (block: bigint) => ReadonlyMap<string, bigint> | undefined,
): { sold: Record<string, string>; byIlk: RunSummary['clearing'] } {
  const sold: Record<string, string> = {};
  const byIlk: Record<string, { averagePrice: string; averageMarket: string; vsMarket: number }> = {};
  for (const ilk of obs.ilks.values()) {
    const unit = 10n ** BigInt(ilk.decimals);
    let out = 0n;
    let paid = 0n;
    let marketValue = 0n;
    for (const t of obs.takes) {
      if (t.ilk !== ilk.name) continue;
      out += t.collateralOut;
      paid += t.owe;
      const m = truthAt(t.block)?.get(ilk.name) ?? t.price;
      marketValue += (t.collateralOut * m) / unit;
    }
    sold[ilk.name] = formatUnits(out, ilk.decimals);
    if (out > 0n) {
      byIlk[ilk.name] = {
        averagePrice: formatUnits((paid * unit) / out, 18),
        averageMarket: formatUnits((marketValue * unit) / out, 18),
        vsMarket: marketValue === 0n ? 0 : Number((paid * 10_000n) / marketValue) / 10_000,
      };
    }
  }
  return { sold, byIlk };
}

export function runSummary(
  obs: Observer,
  latency: LatencyReport,
  x: {
    truthAt: (block: bigint) => ReadonlyMap<string, bigint> | undefined;
    finalPrices: ReadonlyMap<string, bigint>;
    badDebtBefore: bigint;
    badDebtAfter: bigint;
    fundBefore: bigint;
    fundAfter: bigint;
    books: Books;
    /** Portfolios the portfolio engine calls unsafe at the end (read from the chain). */
    portfoliosUnsafeAtEnd: number;
  },
): RunSummary {
  const vaults = [...obs.vaults.values()].filter((v) => v.normalizedDebt > 0n || v.liquidations > 0 || v.collateral > 0n);
  const auctions = [...obs.auctions.values()];
  const { sold, byIlk } = clearing(obs, x.truthAt);
  return {
    vaults: {
      total: vaults.length,
      madeUnsafe: vaults.filter((v) => v.everUnsafe).length,
      liquidated: vaults.filter((v) => v.liquidations > 0).length,
      liquidations: obs.liquidations.length,
      safeLiquidated: obs.liquidations.filter((l) => !l.wasUnsafe).length,
      unsafeAtEnd: vaults.filter((v) => obs.unsafe(v)).length,
    },
    portfolios: {
      total: obs.portfolios.size,
      liquidated: [...obs.portfolios.values()].filter((p) => p.liquidations > 0).length,
      liquidations: obs.portfolioLiquidations.length,
      lots: obs.portfolioLiquidations.reduce((n, l) => n + l.lots, 0),
      withDebtAtEnd: [...obs.portfolios.values()].filter((p) => p.normalizedDebt > 0n).length,
      unsafeAtEnd: x.portfoliosUnsafeAtEnd,
    },
    detection: {
      episodes: latency.episodes,
      onTime: latency.onTime,
      heldBackByLimits: latency.heldBackByLimits,
      late: latency.late,
      pendingAtEnd: latency.pendingAtEnd,
      slowestBlocks: latency.maxBlocks,
      meanBlocks: latency.meanBlocks,
      slowestUnconstrainedBlocks: latency.maxBlocksUnconstrained,
      lateEpisodes: latency.lateEpisodes,
    },
    auctions: {
      kicked: auctions.length,
      taken: auctions.filter((a) => a.end === 'taken').length,
      soldAtOnce: auctions.filter(soldAtOnce).length,
      takenOver: auctions.filter((a) => a.end === 'takenOver').length,
      redone: obs.counts.redos,
      yanked: auctions.filter((a) => a.end === 'yanked').length,
      active: auctions.filter((a) => a.end === undefined).length,
      ...endStats(auctions, obs),
    },
    collateralSold: sold,
    clearing: byIlk,
    badDebt: { before: formatUnits(x.badDebtBefore, 18), after: formatUnits(x.badDebtAfter, 18) },
    incentivesPaid: formatUnits(obs.incentivesPaid, 18),
    fund: { before: formatUnits(x.fundBefore, 18), after: formatUnits(x.fundAfter, 18) },
    shortfall: formatUnits(obs.shortfall(x.finalPrices), 18),
    books: x.books,
  };
}

/** An ended auction that raised less than the debt it carried. */
export interface ShortAuction {
  readonly ilk: string;
  readonly id: string;
  readonly kickedAt: string;
  readonly endedAt: string;
  readonly soldAtOnce: boolean;
  readonly takes: number;
  readonly redos: number;
  /** Debt it carried (tab without the penalty) and what it raised, gUSD. */
  readonly debt: string;
  readonly raised: string;
  readonly endTx: string | null;
}

function endStats(auctions: readonly AuctionView[], obs: Observer): { meanBlocksToEnd: number; maxBlocksToEnd: number; raisedLessThanDebt: number; short: ShortAuction[] } {
  let n = 0;
  let sum = 0;
  let max = 0;
  let short = 0;
  const detail: ShortAuction[] = [];
  for (const a of auctions) {
    if (a.endedAt === undefined) continue;
    const blocks = Number(a.endedAt - a.kickedAt);
    n++;
    sum += blocks;
    max = Math.max(max, blocks);
    const ilk = obs.ilks.get(a.ilk);
    // tab = debt × penalty (rounded up): the debt part is tab / penalty.
    if (ilk && a.raised * ilk.penaltyWad < a.tab * WAD) {
      short++;
      if (detail.length < 20) {
        detail.push({
          ilk: a.ilk,
          id: a.id.toString(),
          kickedAt: a.kickedAt.toString(),
          endedAt: a.endedAt.toString(),
          soldAtOnce: soldAtOnce(a),
          takes: a.takes,
          redos: a.redos,
          debt: formatUnits((a.tab * WAD) / ilk.penaltyWad, 18),
          raised: formatUnits(a.raised, 18),
          endTx: a.endTx ?? null,
        });
      }
    }
  }
  return { meanBlocksToEnd: n === 0 ? 0 : Math.round((sum / n) * 10) / 10, maxBlocksToEnd: max, raisedLessThanDebt: short, short: detail };
}

/** A keeper's result in gUSD: stablecoin gained, collateral gained valued at `prices`, gas paid valued at `nativePrice`. */
export function keeperProfit(
  before: { stable: bigint; eth: bigint; collateral: ReadonlyMap<string, bigint> },
  after: { stable: bigint; eth: bigint; collateral: ReadonlyMap<string, bigint> },
  prices: ReadonlyMap<string, bigint>,
  units: ReadonlyMap<string, bigint>,
  nativePrice: bigint,
): { profit: bigint; gasEth: bigint } {
  let profit = after.stable - before.stable;
  for (const [ilk, amount] of after.collateral) {
    const delta = amount - (before.collateral.get(ilk) ?? 0n);
    profit += (delta * (prices.get(ilk) ?? 0n)) / (units.get(ilk) ?? 1n);
  }
  const gasEth = before.eth - after.eth;
  profit -= (gasEth * nativePrice) / WAD;
  return { profit, gasEth };
}
