// Applies decoded logs to the model: the event → state mapping (VaultEngine.events.md for the
// engine; ICollateralAuction for auctions; the Spotter's Poke for mark prices).

import type { Address, GetLogsReturnType, Hex } from 'viem';
import type { indexEvents } from './events.ts';
import { type AuctionState, IndexModel, auctionKey } from './model.ts';

export type IndexLog = GetLogsReturnType<undefined, typeof indexEvents, true>[number];

/** Where each kind of event may come from. */
export interface Sources {
  readonly engine: Address;
  readonly spotter: Address | undefined;
  readonly liquidationEngine: Address | undefined;
  /** house address (lowercase) → ilk id. */
  readonly houseIlk: ReadonlyMap<string, Hex>;
}

function same(a: Address | undefined, b: Address): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** True for events whose rebuild rule needs the block timestamp. */
export function needsTimestamp(log: IndexLog): boolean {
  return log.eventName === 'IlkAdded' || log.eventName === 'Dripped';
}

/**
 * Applies one log. `timestamp` is the block's timestamp (only read for IlkAdded and Dripped).
 * Logs from an unexpected address are ignored (a filter mistake must not corrupt the model).
 */
export function applyLog(model: IndexModel, src: Sources, log: IndexLog, timestamp: bigint): void {
  const from = log.address;
  switch (log.eventName) {
    /* ---------------------------- VaultEngine --------------------------- */
    case 'IlkAdded': {
      if (!same(src.engine, from)) return;
      const a = log.args;
      model.setIlk(IndexModel.newIlk(norm(a.ilk), a.token, a.decimals, a.scale, timestamp));
      return;
    }
    case 'DebtCeilingSet':
      if (same(src.engine, from)) model.updateIlk(norm(log.args.ilk), (i) => ({ ...i, debtCeiling: log.args.debtCeiling }));
      return;
    case 'DustSet':
      if (same(src.engine, from)) model.updateIlk(norm(log.args.ilk), (i) => ({ ...i, dust: log.args.dust }));
      return;
    case 'LiquidationRatioSet':
      if (same(src.engine, from)) model.updateIlk(norm(log.args.ilk), (i) => ({ ...i, liquidationRatio: log.args.liquidationRatio }));
      return;
    case 'StabilityFeeSet':
      if (same(src.engine, from)) model.updateIlk(norm(log.args.ilk), (i) => ({ ...i, stabilityFeeRay: log.args.stabilityFeeRay }));
      return;
    case 'SpotUpdated':
      if (same(src.engine, from)) model.updateIlk(norm(log.args.ilk), (i) => ({ ...i, spot: log.args.spot }));
      return;
    case 'Dripped':
      if (same(src.engine, from)) model.updateIlk(norm(log.args.ilk), (i) => ({ ...i, rate: log.args.rate, lastDrip: timestamp }));
      return;
    case 'VaultChanged': {
      if (!same(src.engine, from)) return;
      const a = log.args;
      const ilk = norm(a.ilk);
      const prev = model.vault(ilk, a.owner);
      model.setVault(ilk, a.owner, a.collateral, a.normalizedDebt);
      const delta = a.normalizedDebt - prev.normalizedDebt;
      if (delta !== 0n) model.updateIlk(ilk, (i) => ({ ...i, normalizedDebt: i.normalizedDebt + delta }));
      return;
    }
    case 'Seized': {
      if (!same(src.engine, from)) return;
      const a = log.args;
      const ilk = norm(a.ilk);
      const prev = model.vault(ilk, a.owner);
      model.setVault(ilk, a.owner, prev.collateral - a.collateral, prev.normalizedDebt - a.normalizedDebt);
      if (a.normalizedDebt !== 0n) model.updateIlk(ilk, (i) => ({ ...i, normalizedDebt: i.normalizedDebt - a.normalizedDebt }));
      return;
    }
    /* ------------------------------ Spotter ----------------------------- */
    case 'Poke':
      if (same(src.spotter, from)) model.setMark(norm(log.args.ilk), log.args.markPrice);
      return;
    /* ------------------------- LiquidationEngine ------------------------ */
    case 'IlkConfigured':
      if (same(src.liquidationEngine, from)) model.setHouse(norm(log.args.ilk), log.args.house);
      return;
    default:
      applyAuctionLog(model, src, log);
  }
}

function applyAuctionLog(model: IndexModel, src: Sources, log: IndexLog): void {
  const house = log.address;
  const ilk = src.houseIlk.get(house.toLowerCase());
  if (ilk === undefined) return;
  switch (log.eventName) {
    case 'Kick': {
      const a = log.args;
      const tierId = Number(a.tierId);
      const auction: AuctionState = {
        house,
        id: a.id,
        ilk,
        tab: a.tab,
        lot: a.lot,
        top: a.top,
        startedAt: a.startedAt,
        tierId,
        tier: model.tier(house, tierId),
        minTab: a.minTab,
        penalty: a.penalty,
        owner: a.owner,
        redos: 0,
      };
      model.setAuction(auctionKey(house, a.id), auction, 'kick', a.keeper);
      return;
    }
    case 'Take': {
      const key = auctionKey(house, log.args.id);
      const cur = model.auctions.get(key);
      // A take that ends the auction is followed by AuctionClosed, which removes it.
      if (cur) model.setAuction(key, { ...cur, tab: log.args.tabLeft, lot: log.args.lotLeft }, 'take', log.args.taker);
      return;
    }
    case 'Takeover': {
      const key = auctionKey(house, log.args.id);
      const cur = model.auctions.get(key);
      if (cur) {
        const tab = cur.tab - log.args.owe;
        const lot = cur.lot - log.args.collateralOut;
        model.setAuction(key, { ...cur, tab: tab < 0n ? 0n : tab, lot: lot < 0n ? 0n : lot }, 'takeover');
      }
      return;
    }
    case 'Redo': {
      const key = auctionKey(house, log.args.id);
      const cur = model.auctions.get(key);
      if (cur) {
        model.setAuction(key, { ...cur, top: log.args.top, startedAt: log.args.startedAt, redos: Math.min(255, cur.redos + 1) }, 'redo');
      }
      return;
    }
    case 'AuctionClosed': {
      const key = auctionKey(house, log.args.id);
      if (model.auctions.has(key)) model.setAuction(key, undefined, 'closed');
      return;
    }
    case 'Yank': {
      const key = auctionKey(house, log.args.id);
      if (model.auctions.has(key)) model.setAuction(key, undefined, 'yank');
      return;
    }
    case 'TierAdded': {
      const t = log.args.tier;
      model.setTier(house, Number(log.args.tierId), {
        kind: t.kind,
        cutRay: t.cutRay,
        periodSeconds: t.periodSeconds,
        tailSeconds: t.tailSeconds,
        floorWad: t.floorWad,
        startPremiumBps: t.startPremiumBps,
      });
      return;
    }
    case 'TiersSet':
      model.setTierTable(house, { tierIds: [...log.args.tierIds], maxTabs: [...log.args.maxTabs] });
      return;
    case 'BreakerLevelSet':
      model.setBreaker(house, log.args.level);
      return;
    default:
      return;
  }
}

function norm(ilk: Hex): Hex {
  return ilk.toLowerCase() as Hex;
}
