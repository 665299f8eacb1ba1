// The margin comparison (issue #18's crash-lab part, `npm run stress -- --margin`): the borrowers of
// lab/margin.json open the same holdings as isolated vaults (one per asset) in one run and as one portfolio
// vault in another run of the same scenario, from the same snapshot (same seeded world, market and bidders),
// each drawing the same share of its own capacity as the chain states it. The keeper watches them with the
// seeded vaults (portfolios through `PortfolioEngine.isSafe` and `liquidatePortfolio`), the bidders take their
// lots like any other auction, and each model's capacity, debt drawn, liquidations and bad debt are read from
// the chain: the auctions each model's liquidations started (`Liquidate` for its vault owners,
// `LiquidatePortfolioLot` for its portfolio owners) are followed through their house's events.
import { type Abi, type Address, type Hex, decodeEventLog, encodeFunctionData, erc20Abi, getAddress, maxUint256 } from 'viem';
import {
  RAY,
  collateralAuctionAbi,
  collateralValueWadDown,
  debtOf,
  demoTokenAbi,
  iMedianOracleAbi,
  liquidationEngineAbi,
  lotValue,
  portfolioEngineAbi,
  vaultEngineAbi,
} from '@gavel/sdk';
import { fromWad } from './market.ts';
import { type Read, type Rpc, hex, readMany } from './rpc.ts';
import type { MarginBook } from './schema.ts';
import { AGENT_ETH, GAS, INFRA_MAX_FEE, type ExtraPositions, type Ilk, type OpenContext, type Outgoing, type RunResult, type World, accountAt, runScenario, sendConfirmed } from './sim.ts';

export type MarginModel = 'isolated' | 'portfolio';
export const MARGIN_MODELS: readonly MarginModel[] = ['isolated', 'portfolio'];

/** First mnemonic index of each model's borrowers (past the bidders' 5,000+ and the pre-liquidator's 6,000). */
const ACCOUNT_BASE: Record<MarginModel, number> = { isolated: 7_000, portfolio: 7_500 };
const BPS = 10_000n;

/** One borrower's holdings, native units per ilk name (assets it does not hold are absent). */
export interface PlannedHoldings {
  readonly name: string;
  /** Share of its capacity the borrower draws (both models). */
  readonly utilization: number;
  readonly holdings: ReadonlyMap<string, bigint>;
}

/**
 * The book's holdings in native units: `valueGusd × share / seed price` tokens of each asset, rounded to a
 * millionth of a token (or the token's own precision when coarser). Pure: the same for both models and
 * every scenario of a base config.
 */
export function planHoldings(book: MarginBook, ilks: readonly Pick<Ilk, 'name' | 'decimals'>[], seedPrices: ReadonlyMap<string, number>): PlannedHoldings[] {
  return book.borrowers.map((b) => {
    const holdings = new Map<string, bigint>();
    for (const [name, share] of Object.entries(b.mix)) {
      const ilk = ilks.find((i) => i.name === name);
      const price = seedPrices.get(name);
      if (!ilk || price === undefined) throw new Error(`margin book: ${b.name} holds ${name}, which is not an ilk of the base config`);
      const digits = Math.min(ilk.decimals, 6);
      const amount = BigInt(Math.round(((b.valueGusd * share) / price) * 10 ** digits)) * 10n ** BigInt(ilk.decimals - digits);
      if (amount > 0n) holdings.set(name, amount);
    }
    return { name: b.name, utilization: b.utilization ?? book.utilization, holdings };
  });
}

/** `capacity × utilization`, rounded down (utilization to the basis point). */
export function drawFor(capacity: bigint, utilization: number): bigint {
  return (capacity * BigInt(Math.round(utilization * 10_000))) / BPS;
}

/** One borrower's position as opened, every figure read from the chain at the opening block. */
export interface BookPosition {
  readonly name: string;
  readonly utilization: number;
  readonly owner: Address;
  readonly holdings: ReadonlyMap<string, bigint>;
  /** Σ holding × scale × mark (the oracles' `peek`), WAD. */
  readonly markValue: bigint;
  /** Σ per asset `collateral × scale × spot / WAD` (the isolated vaults' limits), WAD. */
  readonly isolatedCapacity: bigint;
  /** `PortfolioEngine.portfolioRequirement(holdings)`: the worst scenario's value, WAD. */
  readonly portfolioCapacity: bigint;
  /** Index of the table's worst scenario for these holdings. */
  readonly worstScenario: number;
  /** Debt the position drew (`debtOf` summed over its vaults, or `portfolioDebt`), WAD. */
  readonly drawn: bigint;
}

export interface OpenedBook extends ExtraPositions {
  readonly model: MarginModel;
  readonly positions: readonly BookPosition[];
  /** Block at which every position is open (the last opening transaction's). */
  readonly block: bigint;
}

/**
 * Opens the book for `model` on the chain (automine on, before the run's first step): the market maker mints
 * the holdings and deposits them for the owners (`adjustFor` / `PortfolioEngine.deposit`, open to anyone),
 * then each owner borrows `utilization` of the capacity read from the chain (per vault, or the portfolio's
 * worst scenario).
 */
export async function openBook(ctx: OpenContext, book: MarginBook, model: MarginModel): Promise<OpenedBook> {
  const { world, sender, seedPrices } = ctx;
  const { rpc, d, ilks, mm } = world;
  const pe = d.portfolioEngine;
  if (!pe) throw new Error('the deployment has no portfolioEngine: the base config needs a portfolio section');
  const [assetIds] = (await readMany(rpc, [{ address: pe, abi: portfolioEngineAbi, functionName: 'assets' }])) as [Hex[]];
  const assets = assetIds.map((id) => {
    const ilk = ilks.find((i) => i.id.toLowerCase() === id.toLowerCase());
    if (!ilk) throw new Error(`portfolio asset ${id} is not an ilk of the deployment`);
    return ilk;
  });
  const plans = planHoldings(book, assets, seedPrices);
  const owners = plans.map((_, k) => accountAt(ACCOUNT_BASE[model] + k));
  const tx = (to: Address, data: Hex, from = mm): Outgoing => ({ from, to, data, kind: 'infra', maxFee: INFRA_MAX_FEE, priority: 1n, gas: GAS.setup });

  await rpc.batch(owners.map((o) => ({ method: 'anvil_setBalance', params: [o.address, hex(AGENT_ETH)] })));
  const deposits: Outgoing[] = [];
  for (const ilk of assets) {
    const total = plans.reduce((s, p) => s + (p.holdings.get(ilk.name) ?? 0n), 0n);
    if (total === 0n) continue;
    deposits.push(tx(ilk.token, encodeFunctionData({ abi: demoTokenAbi, functionName: 'mint', args: [mm.address, total] })));
    const spender = model === 'isolated' ? d.engine : pe;
    deposits.push(tx(ilk.token, encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [spender, maxUint256] })));
  }
  plans.forEach((p, k) => {
    const owner = (owners[k] as (typeof owners)[number]).address;
    for (const [name, amount] of p.holdings) {
      const ilk = assets.find((i) => i.name === name) as Ilk;
      deposits.push(model === 'isolated'
        ? tx(d.engine, encodeFunctionData({ abi: vaultEngineAbi, functionName: 'adjustFor', args: [ilk.id, owner, amount, 0n] }))
        : tx(pe, encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'deposit', args: [owner, ilk.id, amount] })));
    }
  });
  await sendConfirmed(rpc, sender, deposits, `margin book (${model}) deposits`);

  // Capacity as the chain states it: the engine's spot per asset, the portfolio engine's worst scenario.
  const table = (p: PlannedHoldings): bigint[] => assets.map((i) => p.holdings.get(i.name) ?? 0n);
  const reads = await readMany(rpc, [
    ...assets.map((i) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [i.id] })),
    ...assets.map((i) => ({ address: i.oracle, abi: iMedianOracleAbi, functionName: 'peek' })),
    ...plans.map((p) => ({ address: pe, abi: portfolioEngineAbi, functionName: 'portfolioRequirement', args: [table(p)] })),
  ]);
  const spot = new Map(assets.map((i, k) => [i.name, (reads[k] as { spot: bigint }).spot]));
  const mark = new Map(assets.map((i, k) => [i.name, (reads[assets.length + k] as [bigint, boolean])[0]]));
  const requirement = plans.map((_, k) => reads[2 * assets.length + k] as [bigint, bigint]);

  const borrows: Outgoing[] = [];
  const vaults: { ilk: string; owner: Address }[] = [];
  plans.forEach((p, k) => {
    const owner = owners[k] as (typeof owners)[number];
    if (model === 'isolated') {
      for (const [name, amount] of p.holdings) {
        const ilk = assets.find((i) => i.name === name) as Ilk;
        const draw = drawFor(collateralValueWadDown(amount, ilk.scale, spot.get(name) ?? 0n), p.utilization);
        if (draw === 0n) continue;
        borrows.push(tx(d.engine, encodeFunctionData({ abi: vaultEngineAbi, functionName: 'borrow', args: [ilk.id, draw] }), owner));
        vaults.push({ ilk: name, owner: owner.address });
      }
    } else {
      const draw = drawFor((requirement[k] as [bigint, bigint])[0], p.utilization);
      if (draw > 0n) borrows.push(tx(pe, encodeFunctionData({ abi: portfolioEngineAbi, functionName: 'borrow', args: [draw] }), owner));
    }
  });
  await sendConfirmed(rpc, sender, borrows, `margin book (${model}) borrows`);
  const block = BigInt(await rpc.call<Hex>('eth_blockNumber'));

  const debts = (await readMany(rpc, plans.flatMap((p, k): Read[] => {
    const owner = (owners[k] as (typeof owners)[number]).address;
    return model === 'isolated'
      ? [...p.holdings.keys()].map((name) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'debtOf', args: [(assets.find((i) => i.name === name) as Ilk).id, owner] }))
      : [{ address: pe, abi: portfolioEngineAbi, functionName: 'portfolioDebt', args: [owner] }];
  }), hex(block))) as bigint[];
  let at = 0;
  const positions = plans.map((p, k): BookPosition => {
    const n = model === 'isolated' ? p.holdings.size : 1;
    const drawn = debts.slice(at, at + n).reduce((a, b) => a + b, 0n);
    at += n;
    let markValue = 0n;
    let isolatedCapacity = 0n;
    for (const [name, amount] of p.holdings) {
      const ilk = assets.find((i) => i.name === name) as Ilk;
      markValue += lotValue(amount, mark.get(name) ?? 0n, ilk.scale);
      isolatedCapacity += collateralValueWadDown(amount, ilk.scale, spot.get(name) ?? 0n);
    }
    const [portfolioCapacity, worst] = requirement[k] as [bigint, bigint];
    return { name: p.name, utilization: p.utilization, owner: (owners[k] as (typeof owners)[number]).address, holdings: p.holdings, markValue, isolatedCapacity, portfolioCapacity, worstScenario: Number(worst), drawn };
  });
  return {
    model,
    positions,
    block,
    vaults,
    portfolios: model === 'portfolio' ? positions.map((p) => p.owner) : [],
  };
}

/** One scenario with the book opened as `model`: the run, the lab's own metrics, and the model's. */
export async function runMargin(
  world: World,
  sc: RunResult['scenario'],
  seedPrices: ReadonlyMap<string, number>,
  book: MarginBook,
  model: MarginModel,
  mechanism: string,
  log: (s: string) => void = () => undefined,
): Promise<{ result: RunResult; opened: OpenedBook; margin: { metrics: ModelMetrics; reconciliation: Reconciliation } }> {
  let opened: OpenedBook | undefined;
  const result = await runScenario(world, sc, seedPrices, log, {
    open: async (ctx) => {
      opened = await openBook(ctx, book, model);
      return opened;
    },
  });
  if (!opened) throw new Error('the margin book was not opened');
  return { result, opened, margin: await measureMargin(world, result, opened, mechanism) };
}

// ---------------------------------------------------------------------------------------------------------
// Metrics: each model's auctions, from the liquidation engine's and the houses' logs.

/** One auction a model's liquidation started, followed to the end of the run. */
export interface MarginLot {
  readonly ilk: string;
  readonly id: bigint;
  /** Position owner (the vault's, or the portfolio's; the house's Kick names the portfolio engine instead). */
  readonly owner: Address;
  /** Debt the liquidation took off the position (tab − penalty), WAD. */
  readonly debt: bigint;
  readonly tab: bigint;
  readonly penalty: bigint;
  /** Tab left at the end: the closing `unraisedTab`, or the live auction's tab (`getStatus`). */
  tabLeft: bigint;
  closed: boolean;
  takenOver: boolean;
  /** Redo and takeover rewards minted for this auction, WAD. */
  incentives: bigint;
  /** Σ collateral sold × the true market at the take, WAD (bidders and the fund). */
  soldValue: bigint;
  /** Collateral back to the position when the auction closed (native units), and × the true market then (WAD). */
  returned: bigint;
  returnedValue: bigint;
}

export interface ModelMetrics {
  readonly scenario: string;
  readonly mechanism: string;
  readonly model: MarginModel;
  readonly positions: readonly BookPosition[];
  readonly markValue: number;
  /** The model's own capacity for the book (isolated: Σ vault limits; portfolio: Σ worst-scenario values), gUSD. */
  readonly capacity: number;
  /** The other model's capacity for the same holdings, read in the same block (a cross-check between runs). */
  readonly capacityOther: number;
  readonly drawn: number;
  /** `liquidate` calls on the book's vaults, or `liquidatePortfolio` calls on its portfolios. */
  readonly liquidations: number;
  readonly lots: number;
  /** Positions with at least one lot. */
  readonly positionsHit: number;
  readonly sold: number;
  readonly takenOver: number;
  readonly left: number;
  /** Debt taken off the positions by liquidations, gUSD. */
  readonly debtLiquidated: number;
  /**
   * Bad debt the model's auctions leave: Σ over its lots max(tab left − penalty, 0) (debt is raised first,
   * so that is the debt not covered; a live lot's is on the books until it sells) plus every incentive minted
   * for them (liquidation tip + chip, redo and takeover rewards). Before the insurance fund or fee surplus
   * heal anything. gUSD.
   */
  readonly badDebt: number;
  /** Part of the bad debt that is in lots still live at the end. */
  readonly badDebtLive: number;
  readonly incentives: number;
  /** Collateral auctions handed back to the positions (`AuctionClosed.lotReturned`) at the market then, gUSD. */
  readonly collateralReturned: number;
  /** Over finished lots Σ (collateral sold × market − debt the liquidation took off): penalty plus loss beyond tab. */
  readonly ownersLost: number;
  /** Debt of the positions at the end that their holdings do not cover at the final market price, gUSD. */
  readonly openShortfall: number;
  /** Debt still owed by the positions at the end, gUSD. */
  readonly debtLeft: number;
  readonly lotsList: readonly MarginLot[];
}

/**
 * The attribution checked against the books: Σ over every auction of the run (the book's and the seeded
 * vaults') of its uncovered debt plus every incentive, against the change of `badDebtRad` plus what healed
 * it other than the houses (fee surplus, the fund). Rounding: a lot's debt is its seized debt rounded up to
 * the wei, so the two may differ by under one wei per lot.
 */
export interface Reconciliation {
  readonly attributedRad: bigint;
  readonly booksRad: bigint;
  readonly lots: number;
  readonly ok: boolean;
}

interface RawLog {
  address: Address;
  topics: [Hex, ...Hex[]];
  data: Hex;
  blockNumber: Hex;
  transactionHash: Hex;
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

const max0 = (x: bigint): bigint => (x > 0n ? x : 0n);

/** Each model's figures for one run, and the whole run's attribution reconciled with the books. */
export async function measureMargin(world: World, r: RunResult, book: OpenedBook, mechanism: string): Promise<{ metrics: ModelMetrics; reconciliation: Reconciliation }> {
  const { rpc, d, ilks } = world;
  const pe = d.portfolioEngine;
  const ilkOfId = (id: string): Ilk | undefined => ilks.find((i) => i.id.toLowerCase() === id.toLowerCase());
  const marketAt = (ilk: string, block: bigint): bigint => r.market[r.stepOfBlock.get(block) ?? 0]?.ilks.get(ilk)?.truth ?? 0n;
  const ownerSet = new Set(book.positions.map((p) => p.owner.toLowerCase()));

  // Every lot of the run (ours and the seeded vaults'), from the liquidation engine.
  const all = new Map<string, MarginLot & { ours: boolean }>();
  let liquidations = 0;
  let incentivesAll = 0n;
  let incentivesOurs = 0n;
  for (const l of await logsOf(rpc, d.liquidationEngine, r.startBlock, r.endBlock)) {
    const e = decode(liquidationEngineAbi, l);
    if (!e) continue;
    const owner = e.args.owner as Address | undefined;
    const ours = owner !== undefined && ownerSet.has(owner.toLowerCase());
    if (e.eventName === 'LiquidatePortfolio' || e.eventName === 'Liquidate') {
      incentivesAll += e.args.incentive as bigint;
      if (ours) {
        incentivesOurs += e.args.incentive as bigint;
        liquidations++;
      }
    }
    if (e.eventName !== 'Liquidate' && e.eventName !== 'LiquidatePortfolioLot') continue;
    const ilk = ilkOfId(e.args.ilk as string);
    if (!ilk) continue;
    const debt = e.args.debt as bigint;
    const tab = e.args.tab as bigint;
    const id = e.args.auctionId as bigint;
    all.set(`${ilk.name}/${id}`, { ilk: ilk.name, id, owner: getAddress(owner as Address), debt, tab, penalty: tab - debt, tabLeft: tab, closed: false, takenOver: false, incentives: 0n, soldValue: 0n, returned: 0n, returnedValue: 0n, ours });
  }
  // Their houses' events: takes, takeovers, redos, closes; Kick's owner checked against the model.
  for (const i of ilks) {
    for (const l of await logsOf(rpc, i.house, r.startBlock, r.endBlock)) {
      const e = decode(collateralAuctionAbi, l);
      if (!e) continue;
      const lot = all.get(`${i.name}/${e.args.id as bigint}`);
      if (!lot) continue;
      const block = BigInt(l.blockNumber);
      if (e.eventName === 'Kick') {
        const kickOwner = (e.args.owner as Address).toLowerCase();
        const expected = (book.model === 'portfolio' && lot.ours ? (pe as Address) : lot.owner).toLowerCase();
        // A portfolio lot's auction is owned by the portfolio engine (an unsold rest goes back through it).
        if (lot.ours && kickOwner !== expected) throw new Error(`${i.name} auction ${lot.id}: Kick owner ${kickOwner}, expected ${expected}`);
        if (e.args.tab !== lot.tab || e.args.penalty !== lot.penalty) throw new Error(`${i.name} auction ${lot.id}: Kick tab/penalty disagree with the liquidation`);
      } else if (e.eventName === 'Take') {
        lot.tabLeft = e.args.tabLeft as bigint;
        lot.soldValue += lotValue(e.args.collateralOut as bigint, marketAt(i.name, block), i.scale);
      } else if (e.eventName === 'Takeover') {
        // The takeover's AuctionClosed comes first (it always ends the auction) and set the tab left.
        if (!lot.closed) lot.tabLeft -= e.args.owe as bigint;
        lot.takenOver = true;
        lot.incentives += e.args.reward as bigint;
        lot.soldValue += lotValue(e.args.collateralOut as bigint, marketAt(i.name, block), i.scale);
      } else if (e.eventName === 'Redo') {
        lot.incentives += e.args.incentive as bigint;
      } else if (e.eventName === 'AuctionClosed') {
        lot.closed = true;
        lot.tabLeft = e.args.unraisedTab as bigint;
        lot.returned += e.args.lotReturned as bigint;
        lot.returnedValue += lotValue(e.args.lotReturned as bigint, marketAt(i.name, block), i.scale);
      }
    }
  }
  // Live lots: the house's own tab at the end (must equal what the events left).
  const live = [...all.values()].filter((x) => !x.closed);
  const end = hex(r.endBlock);
  const status = (await readMany(rpc, live.map((x) => ({ address: (ilks.find((i) => i.name === x.ilk) as Ilk).house, abi: collateralAuctionAbi, functionName: 'getStatus', args: [x.id] })), end)) as [boolean, bigint, bigint, bigint][];
  live.forEach((x, k) => {
    const tab = (status[k] as [boolean, bigint, bigint, bigint])[3];
    if (tab !== x.tabLeft) throw new Error(`${x.ilk} auction ${x.id}: live tab ${tab} but the events leave ${x.tabLeft}`);
  });

  // The books: bad debt on the engine, and what healed it other than the houses' settles.
  const houses = new Set(ilks.map((i) => i.house.toLowerCase()));
  let otherHealsRad = 0n;
  for (const l of await logsOf(rpc, d.engine, r.startBlock, r.endBlock)) {
    const e = decode(vaultEngineAbi, l);
    if (e?.eventName === 'HealedWithSurplus') otherHealsRad += e.args.rad as bigint;
    else if (e?.eventName === 'Healed' && !houses.has((e.args.by as string).toLowerCase())) otherHealsRad += e.args.healedRad as bigint;
  }
  // Final positions: debt and holdings at the end, valued at the final true market.
  const finalTruth = (name: string): bigint => r.market[r.market.length - 1]?.ilks.get(name)?.truth ?? 0n;
  const ilkByName = new Map(ilks.map((i) => [i.name, i]));
  const endReads = await readMany(rpc, [
    { address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' },
    ...ilks.map((i) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [i.id] })),
    ...(book.model === 'isolated'
      ? book.vaults.map((v) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'vault', args: [(ilkByName.get(v.ilk) as Ilk).id, v.owner] }))
      : book.portfolios.flatMap((o) => [
        { address: pe as Address, abi: portfolioEngineAbi, functionName: 'holdingsOf', args: [o] },
        { address: pe as Address, abi: portfolioEngineAbi, functionName: 'portfolioDebt', args: [o] },
      ])),
    ...(book.model === 'portfolio' ? [{ address: pe as Address, abi: portfolioEngineAbi, functionName: 'assets' }] : []),
  ], end);
  let at = 0;
  const badDebtEndRad = endReads[at++] as bigint;
  const rates = new Map(ilks.map((i) => [i.name, (endReads[at++] as { rate: bigint }).rate]));
  let shortfall = 0n;
  let debtLeft = 0n;
  if (book.model === 'isolated') {
    for (const v of book.vaults) {
      const [collateral, art] = endReads[at++] as [bigint, bigint];
      const debt = debtOf(art, rates.get(v.ilk) ?? RAY);
      debtLeft += debt;
      shortfall += max0(debt - lotValue(collateral, finalTruth(v.ilk), (ilkByName.get(v.ilk) as Ilk).scale));
    }
  } else {
    const pairs = book.portfolios.map(() => [endReads[at++] as bigint[], endReads[at++] as bigint] as const);
    const assetIds = endReads[at++] as Hex[];
    for (const [holdings, debt] of pairs) {
      let value = 0n;
      assetIds.forEach((id, k) => {
        const ilk = ilkOfId(id) as Ilk;
        value += lotValue(holdings[k] ?? 0n, finalTruth(ilk.name), ilk.scale);
      });
      debtLeft += debt;
      shortfall += max0(debt - value);
    }
  }

  const unraised = (x: MarginLot): bigint => max0(x.tabLeft - x.penalty);
  const lots = [...all.values()];
  const attributedRad = (lots.reduce((s, x) => s + unraised(x) + x.incentives, 0n) + incentivesAll) * RAY;
  const booksRad = badDebtEndRad - r.badDebtStartRad + otherHealsRad;
  const diff = attributedRad > booksRad ? attributedRad - booksRad : booksRad - attributedRad;
  const reconciliation: Reconciliation = { attributedRad, booksRad, lots: lots.length, ok: diff <= BigInt(lots.length + 1) * RAY };

  const ours = lots.filter((x) => x.ours);
  const sum = (f: (x: MarginLot) => bigint, xs: readonly MarginLot[] = ours): bigint => xs.reduce((s, x) => s + f(x), 0n);
  const total = (f: (p: BookPosition) => bigint): bigint => book.positions.reduce((s, p) => s + f(p), 0n);
  const lotIncentives = sum((x) => x.incentives);
  const closed = ours.filter((x) => x.closed);
  return {
    reconciliation,
    metrics: {
      scenario: r.scenario.name,
      mechanism,
      model: book.model,
      positions: book.positions,
      markValue: fromWad(total((p) => p.markValue)),
      capacity: fromWad(total((p) => (book.model === 'isolated' ? p.isolatedCapacity : p.portfolioCapacity))),
      capacityOther: fromWad(total((p) => (book.model === 'isolated' ? p.portfolioCapacity : p.isolatedCapacity))),
      drawn: fromWad(total((p) => p.drawn)),
      liquidations,
      lots: ours.length,
      positionsHit: new Set(ours.map((x) => x.owner)).size,
      sold: closed.filter((x) => !x.takenOver).length,
      takenOver: ours.filter((x) => x.takenOver).length,
      left: ours.length - closed.length,
      debtLiquidated: fromWad(sum((x) => x.debt)),
      badDebt: fromWad(sum(unraised) + lotIncentives + incentivesOurs),
      badDebtLive: fromWad(sum(unraised, ours.filter((x) => !x.closed))),
      incentives: fromWad(lotIncentives + incentivesOurs),
      collateralReturned: fromWad(sum((x) => x.returnedValue)),
      ownersLost: fromWad(closed.reduce((s, x) => s + x.soldValue - x.debt, 0n)),
      openShortfall: fromWad(shortfall),
      debtLeft: fromWad(debtLeft),
      lotsList: ours,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The table: one row per scenario, both models side by side.

export interface MarginCell {
  readonly metrics: ModelMetrics;
  readonly reconciliation: Reconciliation;
  readonly seconds: number;
  /** The whole run's bad debt on the books at the end (seeded vaults included), gUSD: the spill-over check. */
  readonly runBadDebt?: number;
}

const g = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pair = (a: string, b: string): string => `${a} / ${b}`;
const pctOf = (x: number, of: number): string => (of > 0 ? `${((100 * x) / of).toFixed(1)}%` : '—');

export const MARGIN_COLUMNS: readonly (readonly [string, (iso: ModelMetrics, pf: ModelMetrics) => string])[] = [
  ['scenario', (i) => i.scenario],
  ['holdings at mark', (i) => g(i.markValue)],
  ['capacity iso / pf', (i, p) => pair(g(i.capacity), g(p.capacity))],
  ['% of mark iso / pf', (i, p) => pair(pctOf(i.capacity, i.markValue), pctOf(p.capacity, p.markValue))],
  ['drawn iso / pf', (i, p) => pair(g(i.drawn), g(p.drawn))],
  ['liquidations (lots) iso / pf', (i, p) => pair(`${i.liquidations} (${i.lots})`, `${p.liquidations} (${p.lots})`)],
  ['borrowers hit iso / pf', (i, p) => pair(`${i.positionsHit}/${i.positions.length}`, `${p.positionsHit}/${p.positions.length}`)],
  ['debt liquidated iso / pf', (i, p) => pair(g(i.debtLiquidated), g(p.debtLiquidated))],
  ['bad debt iso / pf', (i, p) => pair(g(i.badDebt), g(p.badDebt))],
  ['of it in live lots iso / pf', (i, p) => pair(g(i.badDebtLive), g(p.badDebtLive))],
  ['lots sold / taken over / left iso · pf', (i, p) => `${i.sold}/${i.takenOver}/${i.left} · ${p.sold}/${p.takenOver}/${p.left}`],
  ['collateral returned iso / pf', (i, p) => pair(g(i.collateralReturned), g(p.collateralReturned))],
  ['owners lost all in iso / pf', (i, p) => pair(g(i.ownersLost), g(p.ownersLost))],
  ['open shortfall iso / pf', (i, p) => pair(g(i.openShortfall), g(p.openShortfall))],
];

/** Pairs each scenario's isolated and portfolio cells (same mechanism), in the order given. */
export function marginRows(cells: readonly MarginCell[]): { iso: MarginCell; pf: MarginCell }[] {
  const rows: { iso: MarginCell; pf: MarginCell }[] = [];
  for (const c of cells) {
    if (c.metrics.model !== 'isolated') continue;
    const pf = cells.find((x) => x.metrics.model === 'portfolio' && x.metrics.scenario === c.metrics.scenario && x.metrics.mechanism === c.metrics.mechanism);
    if (pf) rows.push({ iso: c, pf });
  }
  return rows;
}

export function marginTable(rows: readonly { iso: MarginCell; pf: MarginCell }[], markdown: boolean): string {
  const head = MARGIN_COLUMNS.map((c) => c[0]);
  const body = rows.map(({ iso, pf }) => MARGIN_COLUMNS.map((c) => c[1](iso.metrics, pf.metrics)));
  if (markdown) return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const plain = [head, ...body];
  const widths = head.map((_, k) => Math.max(...plain.map((r) => (r[k] ?? '').length)));
  return plain.map((r) => r.map((x, k) => x.padEnd(widths[k] ?? 0)).join('  ')).join('\n');
}

/** Per borrower of the book: holdings, both capacities (identical in every scenario: opened at the seed prices). */
export function capacityTable(iso: ModelMetrics, pf: ModelMetrics, book: MarginBook): string {
  const out = ['| borrower | mix (share of value) | holdings at mark | isolated capacity | portfolio capacity | gain | worst scenario (table row) | drawn (share of capacity) |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  iso.positions.forEach((p, k) => {
    const q = pf.positions[k];
    const b = book.borrowers[k];
    if (!q || !b) return;
    const mix = Object.entries(b.mix).map(([n, s]) => `${n} ${(s * 100).toFixed(0)}%`).join(', ');
    const gain = p.isolatedCapacity > 0n ? `${((Number(q.portfolioCapacity) / Number(p.isolatedCapacity) - 1) * 100).toFixed(1)}%` : '—';
    out.push(`| ${p.name} | ${mix} | ${g(fromWad(p.markValue))} | ${g(fromWad(p.isolatedCapacity))} | ${g(fromWad(q.portfolioCapacity))} | ${gain} | ${q.worstScenario} | ${(p.utilization * 100).toFixed(0)}% |`);
  });
  return out.join('\n');
}

/** Cells whose figures cannot be trusted: books and events disagree, infrastructure reverted, or the two runs opened different books. */
export function unsoundMargin(cells: readonly MarginCell[]): string[] {
  const bad: string[] = [];
  for (const c of cells) if (!c.reconciliation.ok) bad.push(`${c.metrics.scenario}×${c.metrics.model}: attribution ${c.reconciliation.attributedRad / RAY} vs books ${c.reconciliation.booksRad / RAY}`);
  for (const { iso, pf } of marginRows(cells)) {
    if (Math.abs(iso.metrics.capacity - pf.metrics.capacityOther) > 1e-6 || Math.abs(pf.metrics.capacity - iso.metrics.capacityOther) > 1e-6) {
      bad.push(`${iso.metrics.scenario}: the two runs read different capacities for the same holdings`);
    }
  }
  return bad;
}


export interface MarginReportInput {
  /** Per auction mechanism, its cells (both models of every scenario). */
  readonly runs: readonly { readonly mechanism: string; readonly cells: readonly MarginCell[] }[];
  readonly book: MarginBook;
  readonly seconds: number;
  readonly jobs: number;
  /** Where the contracts came from (commit, and whether contracts/ had uncommitted changes). */
  readonly source?: string;
}

/** Uncovered debt of a lot (tab left beyond the penalty), WAD. */
const uncovered = (x: MarginLot): bigint => max0(x.tabLeft - x.penalty);

/** The borrowers a model liquidated: the assets of their lots and the debt those lots left uncovered. */
function liquidatedList(m: ModelMetrics): string {
  const names = m.positions.flatMap((p) => {
    const lots = m.lotsList.filter((x) => x.owner.toLowerCase() === p.owner.toLowerCase());
    if (lots.length === 0) return [];
    const left = lots.reduce((s, x) => s + uncovered(x), 0n);
    return [`${p.name} (${[...new Set(lots.map((x) => x.ilk))].join(', ')}${left > 0n ? `; uncovered ${g(fromWad(left))}` : ''})`];
  });
  return names.length > 0 ? names.join(', ') : 'none';
}

/** The markdown report of a margin comparison (`--publish` commits it as docs/portfolio-lab.md). */
export function marginReport(r: MarginReportInput): string {
  const scenarios = new Set(r.runs.flatMap((x) => x.cells.map((c) => c.metrics.scenario)));
  const out: string[] = [];
  out.push('# Portfolio margin vs isolated vaults in the crash lab');
  out.push('');
  out.push(`Generated by \`npm run stress -- --margin\` ([lab/README.md](../lab/README.md), "Margin comparison", where the findings are; \`--publish\` regenerates this committed copy): ${scenarios.size} scenarios × 2 margin models on ${r.runs.map((x) => `\`${x.mechanism}\``).join(' and ')}, the real contracts on anvil${r.source ? ` (${r.source})` : ''}, simulated time, seeded; ${r.seconds.toFixed(0)} s wall clock with ${r.jobs} parallel chains.`);
  out.push('');
  out.push(`The book (lab/margin.json): ${r.book.borrowers.length} borrowers whose holdings are opened once as isolated vaults (one per asset) and, in a second run of the same scenario from the same snapshot, as one portfolio vault; each position draws the same share of its own capacity in both models (${[...new Set(r.book.borrowers.map((b) => b.utilization ?? r.book.utilization))].map((u) => `${(u * 100).toFixed(0)}%`).join(' or ')}, per borrower below) as the chain states it (isolated: each vault's \`collateral × scale × spot / WAD\`; portfolio: \`PortfolioEngine.portfolioRequirement(holdings)\`, the worst row of the deployed scenario table). The seeded vaults, the market, the bidders and the keeper are the scenario's own in both runs; the keeper liquidates unsafe portfolios (\`isSafe\` on chain, \`liquidatePortfolio\`, simulated before sending like every kick) and the bidders take their lots like any auction.`);
  out.push('');
  out.push('Amounts in whole gUSD. Bad debt is attributed by auction: Σ over the lots the model\'s liquidations started of max(tab left − penalty, 0) (debt is raised before the penalty, so this is the debt the sale did not cover; a lot still live at the end counts with its tab left, as on the books) plus every incentive minted for them (liquidation tip + chip, redo and takeover rewards), before the insurance fund or fee surplus heal anything. The attribution over every auction of the run equals the change of `VaultEngine.badDebtRad` plus the heals that did not come from auction proceeds (checked per run, to a wei per lot). Collateral returned is what closing auctions handed back (`AuctionClosed.lotReturned`) at the market then; owners lost all in is, over finished lots, Σ (collateral sold × market − debt taken off); open shortfall is the debt of positions at the end that their holdings do not cover at the final market price.');
  let first: { iso: MarginCell; pf: MarginCell } | undefined;
  for (const run of r.runs) {
    const rows = marginRows(run.cells);
    first ??= rows[0];
    out.push('');
    out.push(`## On \`${run.mechanism}\``);
    out.push('');
    out.push(marginTable(rows, true));
    out.push('');
    out.push(`Wall time per run (isolated / portfolio, seconds): ${rows.map(({ iso, pf }) => `${iso.metrics.scenario} ${iso.seconds.toFixed(0)} / ${pf.seconds.toFixed(0)}`).join(', ')}.`);
    out.push('');
    out.push(`Whole-run bad debt on the books at the end, seeded vaults included (isolated / portfolio run): ${rows.map(({ iso, pf }) => `${iso.metrics.scenario} ${g(iso.runBadDebt ?? 0)} / ${g(pf.runBadDebt ?? 0)}`).join(', ')}. The book's lots share the houses' room, the fund's takeover cap and the breaker with the seeded vaults, so the rest of the world can differ between the two runs; the table attributes only the book's lots.`);
    out.push('');
    out.push('Borrowers liquidated (the assets of their lots; a portfolio\'s lots are its holdings, each to its own house; the debt those lots left uncovered, incentives aside):');
    out.push('');
    for (const { iso, pf } of rows) out.push(`- ${iso.metrics.scenario}: isolated ${liquidatedList(iso.metrics)}; portfolio ${liquidatedList(pf.metrics)}.`);
  }
  if (first) {
    out.push('');
    out.push('## Capacity by borrower');
    out.push('');
    out.push('Opened at the seed prices in every scenario, so the same in each row above. "Worst scenario" is the row of the deployed table (`contracts/config/demo.json`, `portfolio.scenarios`, rows from 0: USDC, WBTC, ETH alone at full shock, the crypto crash WBTC + ETH at full shock, everything down at 30/60/60% of the shock) that sets the portfolio\'s capacity.');
    out.push('');
    out.push(capacityTable(first.iso.metrics, first.pf.metrics, r.book));
  }
  out.push('');
  return out.join('\n');
}
