// Every table of the indexer. Amounts are the on-chain integers (numeric in Postgres): WAD unless
// the name says otherwise; collateral in the token's native units; `*Rad` RAD. Rows written by an
// event are keyed by `<txHash>-<logIndex>` so a replayed log can only overwrite itself.
import { index, onchainTable } from 'ponder';

/** One collateral type. */
export const ilk = onchainTable('ilk', (t) => ({
  id: t.hex().primaryKey(),
  name: t.text().notNull(),
  house: t.hex().notNull(),
  token: t.hex().notNull(),
  decimals: t.integer().notNull(),
  scale: t.bigint().notNull(),
  rate: t.bigint().notNull(),
  spot: t.bigint().notNull(),
  liquidationRatio: t.bigint().notNull(),
  dust: t.bigint().notNull(),
  debtCeiling: t.bigint().notNull(),
  markPrice: t.bigint().notNull(),
  /** Spot the vaults' health was last computed with (a Poke with the same spot adds no points). */
  healthSpot: t.bigint().notNull(),
  normalizedDebt: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/** One vault, `(ilk, owner)`. */
export const vault = onchainTable(
  'vault',
  (t) => ({
    id: t.text().primaryKey(),
    ilk: t.hex().notNull(),
    owner: t.hex().notNull(),
    collateral: t.bigint().notNull(),
    normalizedDebt: t.bigint().notNull(),
    debt: t.bigint().notNull(),
    /** VaultEngine.health (WAD); null without debt. */
    health: t.bigint(),
    safe: t.boolean().notNull(),
    /** VaultEngine.liquidationPrice (WAD); null when undefined on chain (no debt, or overflow). */
    liquidationPrice: t.bigint(),
    liquidations: t.integer().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ ilkIdx: index().on(table.ilk), ownerIdx: index().on(table.owner) }),
);

/** A vault's health at a vault event or a price/rate update of its ilk. */
export const vaultHealth = onchainTable(
  'vault_health',
  (t) => ({
    id: t.text().primaryKey(),
    vault: t.text().notNull(),
    ilk: t.hex().notNull(),
    owner: t.hex().notNull(),
    cause: t.text().notNull(),
    collateral: t.bigint().notNull(),
    normalizedDebt: t.bigint().notNull(),
    debt: t.bigint().notNull(),
    spot: t.bigint().notNull(),
    markPrice: t.bigint().notNull(),
    health: t.bigint(),
    safe: t.boolean().notNull(),
    block: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ vaultIdx: index().on(table.vault, table.block) }),
);

/** A Spotter Poke: the mark price and spot pushed for an ilk. */
export const price = onchainTable(
  'price',
  (t) => ({
    id: t.text().primaryKey(),
    ilk: t.hex().notNull(),
    markPrice: t.bigint().notNull(),
    spot: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ ilkIdx: index().on(table.ilk, table.block) }),
);

/** A Liquidate event. */
export const liquidation = onchainTable(
  'liquidation',
  (t) => ({
    id: t.text().primaryKey(),
    ilk: t.hex().notNull(),
    owner: t.hex().notNull(),
    house: t.hex().notNull(),
    auctionId: t.bigint().notNull(),
    keeper: t.hex().notNull(),
    collateral: t.bigint().notNull(),
    normalizedDebt: t.bigint().notNull(),
    debt: t.bigint().notNull(),
    tab: t.bigint().notNull(),
    incentive: t.bigint().notNull(),
    isPartial: t.boolean().notNull(),
    markPrice: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ vaultIdx: index().on(table.ilk, table.owner), blockIdx: index().on(table.block) }),
);

/** An auction, `(house, auctionId)`. */
export const auction = onchainTable(
  'auction',
  (t) => ({
    id: t.text().primaryKey(),
    house: t.hex().notNull(),
    auctionId: t.bigint().notNull(),
    ilk: t.hex().notNull(),
    owner: t.hex().notNull(),
    tab: t.bigint().notNull(),
    lot: t.bigint().notNull(),
    tabLeft: t.bigint().notNull(),
    lotLeft: t.bigint().notNull(),
    top: t.bigint().notNull(),
    startedAt: t.bigint().notNull(),
    tierId: t.bigint().notNull(),
    minTab: t.bigint().notNull(),
    penalty: t.bigint().notNull(),
    keeper: t.hex().notNull(),
    /** live | taken | takenOver | yanked */
    status: t.text().notNull(),
    takes: t.integer().notNull(),
    redos: t.integer().notNull(),
    raised: t.bigint().notNull(),
    collateralSold: t.bigint().notNull(),
    lotReturned: t.bigint(),
    unraisedTab: t.bigint(),
    revenue: t.bigint(),
    kickBlock: t.bigint().notNull(),
    kickTime: t.bigint().notNull(),
    endBlock: t.bigint(),
    endTime: t.bigint(),
  }),
  (table) => ({ statusIdx: index().on(table.status), ilkIdx: index().on(table.ilk) }),
);

/** A Take, with the market at its block. */
export const take = onchainTable(
  'take',
  (t) => ({
    id: t.text().primaryKey(),
    auction: t.text().notNull(),
    house: t.hex().notNull(),
    auctionId: t.bigint().notNull(),
    ilk: t.hex().notNull(),
    /** The account credited: the payer, or the bidder behind the flash taker. */
    bidder: t.hex().notNull(),
    taker: t.hex().notNull(),
    receiver: t.hex().notNull(),
    price: t.bigint().notNull(),
    owe: t.bigint().notNull(),
    collateralOut: t.bigint().notNull(),
    tabLeft: t.bigint().notNull(),
    lotLeft: t.bigint().notNull(),
    markPrice: t.bigint().notNull(),
    vsMarketBps: t.bigint(),
    valueAtMarket: t.bigint().notNull(),
    profitAtMarket: t.bigint().notNull(),
    block: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ auctionIdx: index().on(table.auction), bidderIdx: index().on(table.bidder), txIdx: index().on(table.txHash) }),
);

export const redo = onchainTable('redo', (t) => ({
  id: t.text().primaryKey(),
  auction: t.text().notNull(),
  keeper: t.hex().notNull(),
  top: t.bigint().notNull(),
  startedAt: t.bigint().notNull(),
  incentive: t.bigint().notNull(),
  block: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

export const takeover = onchainTable('takeover', (t) => ({
  id: t.text().primaryKey(),
  auction: t.text().notNull(),
  trigger: t.hex().notNull(),
  price: t.bigint().notNull(),
  owe: t.bigint().notNull(),
  collateralOut: t.bigint().notNull(),
  reward: t.bigint().notNull(),
  markPrice: t.bigint().notNull(),
  block: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

/** A bidder's totals over its takes, at the mark of each take's block. */
export const bidder = onchainTable('bidder', (t) => ({
  id: t.hex().primaryKey(),
  takes: t.integer().notNull(),
  paid: t.bigint().notNull(),
  valueAtMarket: t.bigint().notNull(),
  profitAtMarket: t.bigint().notNull(),
  lastBlock: t.bigint().notNull(),
}));

/** InsuranceFund money movements. */
export const fundFlow = onchainTable(
  'fund_flow',
  (t) => ({
    id: t.text().primaryKey(),
    kind: t.text().notNull(),
    account: t.hex(),
    assets: t.bigint().notNull(),
    shares: t.bigint(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ kindIdx: index().on(table.kind) }),
);

/** A change of the engine's bad debt, with the running total after it. */
export const badDebt = onchainTable('bad_debt', (t) => ({
  id: t.text().primaryKey(),
  cause: t.text().notNull(),
  deltaRad: t.bigint().notNull(),
  badDebtRad: t.bigint().notNull(),
  block: t.bigint().notNull(),
  logIndex: t.integer().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

/** Singleton (id `gavel`): running totals. */
export const protocol = onchainTable('protocol', (t) => ({
  id: t.text().primaryKey(),
  badDebtRad: t.bigint().notNull(),
  /** Proceeds the houses hold until Settle (take and takeover payments minus healed and revenue). */
  unsettledProceeds: t.bigint().notNull(),
  lastBlock: t.bigint().notNull(),
  lastTimestamp: t.bigint().notNull(),
}));
