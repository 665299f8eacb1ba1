// Event handlers: every table of ponder.schema.ts rebuilt from logs alone (the event contract of
// contracts/src/VaultEngine.events.md), protocol math from @gavel/sdk. Handlers run in (block,
// logIndex) order; Ponder reverts what they wrote in blocks a reorg drops.
import { type Context, ponder } from 'ponder:registry';
import { auction, badDebt, bidder, fundFlow, ilk, liquidation, price, protocol, redo, take, takeover, vault, vaultHealth } from 'ponder:schema';
import { lotValue, premiumBps, RAY, WAD } from '@gavel/sdk';
import { and, eq, gt } from 'ponder';
import { type Address, type Hex, getAddress, zeroAddress } from 'viem';
import { ilkInfo, ilkOfHouse, isPortfolioIlk } from './deployment.ts';
import { vaultFigures } from './health.ts';

type Ctx = Context;
interface Where {
  readonly block: bigint;
  readonly logIndex: number;
  readonly timestamp: bigint;
  readonly txHash: Hex;
}
type IlkRow = typeof ilk.$inferSelect;
type VaultRow = typeof vault.$inferSelect;

const PROTOCOL_ID = 'gavel';

function where(event: { block: { number: bigint; timestamp: bigint }; log: { logIndex: number }; transaction: { hash: Hex } }): Where {
  return { block: event.block.number, logIndex: event.log.logIndex, timestamp: event.block.timestamp, txHash: event.transaction.hash };
}

function logId(w: Where): string {
  return `${w.txHash}-${String(w.logIndex)}`;
}

function vaultId(ilkId: Hex, owner: Address): string {
  return `${ilkId.toLowerCase()}-${getAddress(owner)}`;
}

export function auctionKey(house: Address, auctionId: bigint): string {
  return `${getAddress(house)}-${auctionId.toString()}`;
}

async function touchProtocol(context: Ctx, w: Where, change: { badDebtRad?: bigint; unsettledProceeds?: bigint } = {}): Promise<typeof protocol.$inferSelect> {
  const row = (await context.db.find(protocol, { id: PROTOCOL_ID })) ?? { id: PROTOCOL_ID, badDebtRad: 0n, unsettledProceeds: 0n, lastBlock: 0n, lastTimestamp: 0n };
  const next = {
    ...row,
    badDebtRad: row.badDebtRad + (change.badDebtRad ?? 0n),
    unsettledProceeds: row.unsettledProceeds + (change.unsettledProceeds ?? 0n),
    lastBlock: w.block,
    lastTimestamp: w.timestamp,
  };
  await context.db.insert(protocol).values(next).onConflictDoUpdate(next);
  return next;
}

async function requireIlk(context: Ctx, id: Hex): Promise<IlkRow> {
  const row = await context.db.find(ilk, { id: id.toLowerCase() as Hex });
  if (row === null) throw new Error(`ilk ${id} has no IlkAdded before its first use`);
  return row;
}

/** Writes a vault's new amounts, its health point, and the ilk's counters. */
async function writeVault(context: Ctx, w: Where, ilkId: Hex, owner: Address, collateral: bigint, normalizedDebt: bigint, cause: 'vault' | 'seize'): Promise<void> {
  const i = await requireIlk(context, ilkId);
  const id = vaultId(ilkId, owner);
  const before = await context.db.find(vault, { id });
  const f = vaultFigures(collateral, normalizedDebt, i);
  const row: VaultRow = {
    id,
    ilk: i.id,
    owner: getAddress(owner),
    collateral,
    normalizedDebt,
    debt: f.debt,
    health: f.health,
    safe: f.safe,
    liquidationPrice: f.liquidationPrice,
    liquidations: before?.liquidations ?? 0,
    updatedBlock: w.block,
  };
  await context.db.insert(vault).values(row).onConflictDoUpdate(row);
  await context.db.insert(vaultHealth).values({
    id: `${logId(w)}-${id}`,
    vault: id,
    ilk: i.id,
    owner: row.owner,
    cause,
    collateral,
    normalizedDebt,
    debt: f.debt,
    spot: i.spot,
    markPrice: i.markPrice,
    health: f.health,
    safe: f.safe,
    block: w.block,
    logIndex: w.logIndex,
    timestamp: w.timestamp,
  }).onConflictDoNothing();
  await touchProtocol(context, w);
  const dn = normalizedDebt - (before?.normalizedDebt ?? 0n);
  await context.db.update(ilk, { id: i.id }).set((r) => ({ normalizedDebt: r.normalizedDebt + dn, updatedBlock: w.block }));
}

/** After the ilk's spot or rate changed: every indebted vault's new figures and a health point each. */
async function rehealIlk(context: Ctx, w: Where, i: IlkRow, cause: 'price' | 'rate'): Promise<void> {
  const rows = await context.db.sql.select().from(vault).where(and(eq(vault.ilk, i.id), gt(vault.normalizedDebt, 0n)));
  const points: (typeof vaultHealth.$inferInsert)[] = [];
  for (const v of rows) {
    const f = vaultFigures(v.collateral, v.normalizedDebt, i);
    await context.db.update(vault, { id: v.id }).set({ debt: f.debt, health: f.health, safe: f.safe, liquidationPrice: f.liquidationPrice, updatedBlock: w.block });
    points.push({
      id: `${logId(w)}-${v.id}`,
      vault: v.id,
      ilk: i.id,
      owner: v.owner,
      cause,
      collateral: v.collateral,
      normalizedDebt: v.normalizedDebt,
      debt: f.debt,
      spot: i.spot,
      markPrice: i.markPrice,
      health: f.health,
      safe: f.safe,
      block: w.block,
      logIndex: w.logIndex,
      timestamp: w.timestamp,
    });
  }
  if (points.length > 0) await context.db.insert(vaultHealth).values(points).onConflictDoNothing();
  await context.db.update(ilk, { id: i.id }).set({ healthSpot: i.spot, updatedBlock: w.block });
}

/* ------------------------------- VaultEngine ------------------------------- */

// The portfolio debt ilk (deployments `portfolioIlk`) is no collateral type: its ilk and vault events are
// left out of the ilk and vault tables (the bad debt a portfolio liquidation books is still counted).
ponder.on('VaultEngine:IlkAdded', async ({ event, context }) => {
  const w = where(event);
  const id = event.args.ilk.toLowerCase() as Hex;
  if (isPortfolioIlk(id)) return;
  const info = ilkInfo(id);
  await context.db
    .insert(ilk)
    .values({
      id,
      name: info?.name ?? id,
      house: info?.house ?? zeroAddress,
      token: getAddress(event.args.token),
      decimals: event.args.decimals,
      scale: event.args.scale,
      rate: RAY,
      spot: 0n,
      liquidationRatio: WAD,
      dust: 0n,
      debtCeiling: 0n,
      markPrice: 0n,
      healthSpot: 0n,
      normalizedDebt: 0n,
      updatedBlock: w.block,
    })
    .onConflictDoNothing();
});

ponder.on('VaultEngine:LiquidationRatioSet', async ({ event, context }) => {
  if (isPortfolioIlk(event.args.ilk)) return;
  await context.db.update(ilk, { id: event.args.ilk.toLowerCase() as Hex }).set({ liquidationRatio: event.args.liquidationRatio, updatedBlock: event.block.number });
});

ponder.on('VaultEngine:DustSet', async ({ event, context }) => {
  if (isPortfolioIlk(event.args.ilk)) return;
  await context.db.update(ilk, { id: event.args.ilk.toLowerCase() as Hex }).set({ dust: event.args.dust, updatedBlock: event.block.number });
});

ponder.on('VaultEngine:DebtCeilingSet', async ({ event, context }) => {
  if (isPortfolioIlk(event.args.ilk)) return;
  await context.db.update(ilk, { id: event.args.ilk.toLowerCase() as Hex }).set({ debtCeiling: event.args.debtCeiling, updatedBlock: event.block.number });
});

ponder.on('VaultEngine:SpotUpdated', async ({ event, context }) => {
  if (isPortfolioIlk(event.args.ilk)) return;
  // The Spotter's Poke follows in the same transaction with the mark price: health is recomputed there.
  await context.db.update(ilk, { id: event.args.ilk.toLowerCase() as Hex }).set({ spot: event.args.spot, updatedBlock: event.block.number });
});

ponder.on('VaultEngine:Dripped', async ({ event, context }) => {
  if (isPortfolioIlk(event.args.ilk)) return;
  const w = where(event);
  const i = await requireIlk(context, event.args.ilk);
  if (i.rate === event.args.rate) return;
  const next = { ...i, rate: event.args.rate };
  await context.db.update(ilk, { id: i.id }).set({ rate: event.args.rate, updatedBlock: w.block });
  await rehealIlk(context, w, next, 'rate');
});

ponder.on('VaultEngine:VaultChanged', async ({ event, context }) => {
  const a = event.args;
  if (isPortfolioIlk(a.ilk)) return;
  await writeVault(context, where(event), a.ilk, a.owner, a.collateral, a.normalizedDebt, 'vault');
});

ponder.on('VaultEngine:Seized', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  if (isPortfolioIlk(a.ilk)) {
    await addBadDebt(context, w, 'seize', a.debtRad);
    return;
  }
  const before = await context.db.find(vault, { id: vaultId(a.ilk, a.owner) });
  if (before === null) throw new Error(`Seized from vault ${vaultId(a.ilk, a.owner)} never seen`);
  await writeVault(context, w, a.ilk, a.owner, before.collateral - a.collateral, before.normalizedDebt - a.normalizedDebt, 'seize');
  await addBadDebt(context, w, 'seize', a.debtRad);
});

async function addBadDebt(context: Ctx, w: Where, cause: string, deltaRad: bigint): Promise<void> {
  const p = await touchProtocol(context, w, { badDebtRad: deltaRad });
  await context.db.insert(badDebt).values({ id: logId(w), cause, deltaRad, badDebtRad: p.badDebtRad, block: w.block, logIndex: w.logIndex, timestamp: w.timestamp, txHash: w.txHash }).onConflictDoNothing();
}

ponder.on('VaultEngine:UnbackedMinted', async ({ event, context }) => {
  await addBadDebt(context, where(event), 'unbackedMinted', event.args.amount * RAY);
});

ponder.on('VaultEngine:Healed', async ({ event, context }) => {
  await addBadDebt(context, where(event), 'healed', -event.args.healedRad);
});

ponder.on('VaultEngine:HealedWithSurplus', async ({ event, context }) => {
  await addBadDebt(context, where(event), 'healedWithSurplus', -event.args.rad);
});

/* --------------------------------- Spotter --------------------------------- */

ponder.on('Spotter:Poke', async ({ event, context }) => {
  const w = where(event);
  const i = await requireIlk(context, event.args.ilk);
  const next = { ...i, markPrice: event.args.markPrice, spot: event.args.spot };
  await context.db.update(ilk, { id: i.id }).set({ markPrice: next.markPrice, spot: next.spot, updatedBlock: w.block });
  await context.db.insert(price).values({ id: logId(w), ilk: i.id, markPrice: next.markPrice, spot: next.spot, block: w.block, timestamp: w.timestamp }).onConflictDoNothing();
  if (next.spot !== i.healthSpot) await rehealIlk(context, w, next, 'price');
  await touchProtocol(context, w);
});

/* ---------------------------- LiquidationEngine ---------------------------- */

ponder.on('LiquidationEngine:Liquidate', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  const i = await requireIlk(context, a.ilk);
  await context.db.insert(liquidation).values({
    id: logId(w),
    ilk: i.id,
    owner: getAddress(a.owner),
    house: getAddress(i.house),
    auctionId: a.auctionId,
    keeper: getAddress(a.keeper),
    collateral: a.collateral,
    normalizedDebt: a.normalizedDebt,
    debt: a.debt,
    tab: a.tab,
    incentive: a.incentive,
    isPartial: a.isPartial,
    markPrice: i.markPrice,
    block: w.block,
    timestamp: w.timestamp,
    txHash: w.txHash,
  }).onConflictDoNothing();
  await context.db.update(vault, { id: vaultId(a.ilk, a.owner) }).set((r) => ({ liquidations: r.liquidations + 1 }));
});

/* ----------------------------- CollateralAuction ---------------------------- */

ponder.on('CollateralAuction:Kick', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  const house = getAddress(event.log.address);
  await context.db.insert(auction).values({
    id: auctionKey(house, a.id),
    house,
    auctionId: a.id,
    ilk: ilkOfHouse(house).id,
    owner: getAddress(a.owner),
    tab: a.tab,
    lot: a.lot,
    tabLeft: a.tab,
    lotLeft: a.lot,
    top: a.top,
    startedAt: a.startedAt,
    tierId: a.tierId,
    minTab: a.minTab,
    penalty: a.penalty,
    keeper: getAddress(a.keeper),
    status: 'live',
    takes: 0,
    redos: 0,
    raised: 0n,
    collateralSold: 0n,
    kickBlock: w.block,
    kickTime: w.timestamp,
  }).onConflictDoNothing();
});

async function addToBidder(context: Ctx, who: Address, w: Where, sign: 1n | -1n, t: { owe: bigint; valueAtMarket: bigint; profitAtMarket: bigint }): Promise<void> {
  const id = getAddress(who);
  const row = (await context.db.find(bidder, { id })) ?? { id, takes: 0, paid: 0n, valueAtMarket: 0n, profitAtMarket: 0n, lastBlock: 0n };
  const next = {
    ...row,
    takes: row.takes + Number(sign),
    paid: row.paid + sign * t.owe,
    valueAtMarket: row.valueAtMarket + sign * t.valueAtMarket,
    profitAtMarket: row.profitAtMarket + sign * t.profitAtMarket,
    lastBlock: sign > 0n ? w.block : row.lastBlock,
  };
  await context.db.insert(bidder).values(next).onConflictDoUpdate(next);
}

ponder.on('CollateralAuction:Take', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  const house = getAddress(event.log.address);
  const key = auctionKey(house, a.id);
  const i = await requireIlk(context, ilkOfHouse(house).id);
  const valueAtMarket = lotValue(a.collateralOut, i.markPrice, i.scale);
  const row = {
    id: logId(w),
    auction: key,
    house,
    auctionId: a.id,
    ilk: i.id,
    bidder: getAddress(a.taker),
    taker: getAddress(a.taker),
    receiver: getAddress(a.receiver),
    price: a.price,
    owe: a.owe,
    collateralOut: a.collateralOut,
    tabLeft: a.tabLeft,
    lotLeft: a.lotLeft,
    markPrice: i.markPrice,
    vsMarketBps: premiumBps(a.price, i.markPrice) ?? null,
    valueAtMarket,
    profitAtMarket: valueAtMarket - a.owe,
    block: w.block,
    logIndex: w.logIndex,
    timestamp: w.timestamp,
    txHash: w.txHash,
  };
  await context.db.insert(take).values(row).onConflictDoNothing();
  await context.db.update(auction, { id: key }).set((r) => ({ tabLeft: a.tabLeft, lotLeft: a.lotLeft, takes: r.takes + 1, raised: r.raised + a.owe, collateralSold: r.collateralSold + a.collateralOut }));
  await addToBidder(context, a.taker, w, 1n, row);
  await touchProtocol(context, w, { unsettledProceeds: a.owe });
});

// A flash take pays from the flash taker contract: credit the bidder who called it instead.
ponder.on('FlashTaker:FlashTake', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  const key = auctionKey(a.auction, a.id);
  const rows = await context.db.sql.select().from(take).where(and(eq(take.txHash, w.txHash), eq(take.auction, key)));
  for (const t of rows) {
    if (t.bidder !== t.taker || t.logIndex > w.logIndex) continue;
    await context.db.update(take, { id: t.id }).set({ bidder: getAddress(a.bidder) });
    await addToBidder(context, t.taker, w, -1n, t);
    await addToBidder(context, a.bidder, w, 1n, t);
  }
});

ponder.on('CollateralAuction:Redo', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  const key = auctionKey(event.log.address, a.id);
  await context.db.insert(redo).values({ id: logId(w), auction: key, keeper: getAddress(a.keeper), top: a.top, startedAt: a.startedAt, incentive: a.incentive, block: w.block, timestamp: w.timestamp, txHash: w.txHash }).onConflictDoNothing();
  await context.db.update(auction, { id: key }).set((r) => ({ top: a.top, startedAt: a.startedAt, redos: r.redos + 1 }));
});

ponder.on('CollateralAuction:Takeover', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  const house = getAddress(event.log.address);
  const key = auctionKey(house, a.id);
  const i = await requireIlk(context, ilkOfHouse(house).id);
  await context.db.insert(takeover).values({ id: logId(w), auction: key, trigger: getAddress(a.trigger), price: a.price, owe: a.owe, collateralOut: a.collateralOut, reward: a.reward, markPrice: i.markPrice, block: w.block, timestamp: w.timestamp, txHash: w.txHash }).onConflictDoNothing();
  await context.db.update(auction, { id: key }).set((r) => ({ status: 'takenOver', raised: r.raised + a.owe, collateralSold: r.collateralSold + a.collateralOut, endBlock: w.block, endTime: w.timestamp }));
  await touchProtocol(context, w, { unsettledProceeds: a.owe });
});

ponder.on('CollateralAuction:Yank', async ({ event, context }) => {
  const w = where(event);
  await context.db.update(auction, { id: auctionKey(event.log.address, event.args.id) }).set({ status: 'yanked', tabLeft: 0n, lotLeft: 0n, endBlock: w.block, endTime: w.timestamp });
});

ponder.on('CollateralAuction:AuctionClosed', async ({ event, context }) => {
  const w = where(event);
  const a = event.args;
  await context.db.update(auction, { id: auctionKey(event.log.address, a.id) }).set((r) => ({
    status: r.status === 'live' ? 'taken' : r.status,
    lotReturned: a.lotReturned,
    unraisedTab: a.unraisedTab,
    revenue: a.revenue,
    endBlock: w.block,
    endTime: w.timestamp,
  }));
});

ponder.on('CollateralAuction:Settle', async ({ event, context }) => {
  await touchProtocol(context, where(event), { unsettledProceeds: -(event.args.healed + event.args.revenue) });
});

/* ------------------------------ InsuranceFund ------------------------------ */

async function flow(context: Ctx, w: Where, kind: string, account: Address | null, assets: bigint, shares: bigint | null): Promise<void> {
  await context.db.insert(fundFlow).values({ id: logId(w), kind, account: account === null ? null : getAddress(account), assets, shares, block: w.block, timestamp: w.timestamp, txHash: w.txHash }).onConflictDoNothing();
}

ponder.on('InsuranceFund:Deposit', async ({ event, context }) => {
  await flow(context, where(event), 'deposit', event.args.owner, event.args.assets, event.args.shares);
});
ponder.on('InsuranceFund:Withdraw', async ({ event, context }) => {
  await flow(context, where(event), 'withdraw', event.args.owner, event.args.assets, event.args.shares);
});
ponder.on('InsuranceFund:RedeemRequested', async ({ event, context }) => {
  await flow(context, where(event), 'redeemRequested', event.args.owner, event.args.assetsCap, event.args.shares);
});
ponder.on('InsuranceFund:RedeemRequestCancelled', async ({ event, context }) => {
  await flow(context, where(event), 'redeemCancelled', event.args.owner, 0n, event.args.sharesReturned);
});
ponder.on('InsuranceFund:RevenueRecognized', async ({ event, context }) => {
  await flow(context, where(event), 'revenue', null, event.args.amount, null);
});
ponder.on('InsuranceFund:LossBooked', async ({ event, context }) => {
  await flow(context, where(event), 'loss', null, event.args.amount, null);
});
ponder.on('InsuranceFund:Healed', async ({ event, context }) => {
  await flow(context, where(event), 'healed', event.args.by, event.args.amount, null);
});
ponder.on('InsuranceFund:TakeoverPaid', async ({ event, context }) => {
  await flow(context, where(event), 'takeoverPaid', event.args.house, event.args.owe, null);
});
