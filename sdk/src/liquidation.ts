// Liquidation rules, mirroring LiquidationEngine (contracts/src/LiquidationEngine.sol) to the wei: the
// room left under the three limits, the plan of one liquidation (partial sizing against the room and
// the dust), the tab (debt rounded up, times the penalty rounded up) and the keeper's incentive.
import { divUp, min, mulDiv, mulWad, mulWadUp, sub0 } from './math.ts';
import { RAY, WAD } from './units.ts';

/** `LiquidationEngine.IlkConfig` fields the rules read. */
export interface LiquidationIlkConfig {
  /** Liquidation penalty multiplier, WAD (1.13e18 = 13%). */
  readonly penaltyWad: bigint;
  /** Largest tab in live auctions of this type, WAD. */
  readonly maxDebtInAuctions: bigint;
  /** Largest tab kicked in one block for this type, WAD. */
  readonly maxDebtPerBlock: bigint;
  /** Tab this type last reported to the global counter, WAD. */
  readonly reportedDebt: bigint;
  /** Block of the last kick of this type. */
  readonly lastBlock: bigint;
  /** Tab kicked in `lastBlock`, WAD. */
  readonly blockDebt: bigint;
}

/** Engine-wide state the room depends on. */
export interface LiquidationLimits {
  /** `globalMaxDebtInAuctions()`, WAD. */
  readonly globalMaxDebtInAuctions: bigint;
  /** `globalDebtInAuctions()`, WAD (as last reported). */
  readonly globalDebtInAuctions: bigint;
  /** The house's `liquidationInfo()`: its tab in live auctions (WAD) and the largest auction its tiers allow. */
  readonly houseDebt: bigint;
  readonly maxAuctionTab: bigint;
  /** The block the liquidation would be mined in. */
  readonly blockNumber: bigint;
}

/** `LiquidationEngine.room(ilk)`: the largest tab a liquidation of this type may open now. */
export function room(c: LiquidationIlkConfig, l: LiquidationLimits): bigint {
  const global = l.globalDebtInAuctions + l.houseDebt - c.reportedDebt;
  let r = sub0(c.maxDebtInAuctions, l.houseDebt);
  r = min(r, sub0(l.globalMaxDebtInAuctions, global));
  const usedThisBlock = c.lastBlock === l.blockNumber ? c.blockDebt : 0n;
  r = min(r, sub0(c.maxDebtPerBlock, usedThisBlock));
  return min(r, l.maxAuctionTab);
}

/** `VaultEngine.liquidationView(ilk, owner)`: what a liquidation reads about a vault. */
export interface LiquidationView {
  readonly collateral: bigint;
  readonly normalizedDebt: bigint;
  readonly rate: bigint;
  readonly spot: bigint;
  readonly scale: bigint;
  readonly dust: bigint;
  readonly safe: boolean;
}

/** Why `liquidate` reverts (the custom error the engine raises), with its arguments. */
export type LiquidationRefusal =
  | { readonly error: 'VaultHasNoDebt' }
  | { readonly error: 'VaultIsSafe' }
  | { readonly error: 'NoRoom'; readonly available: bigint; readonly minTab: bigint }
  | { readonly error: 'DustyPartialLiquidation'; readonly debt: bigint; readonly dust: bigint };

/** What one liquidation does (the engine's `Plan` plus the amounts `_liquidate` derives). */
export interface LiquidationPlan {
  /** Normalized debt seized (on chain `dart`). */
  readonly normalizedDebt: bigint;
  /** Collateral seized (on chain `dink`), native units. */
  readonly collateral: bigint;
  /** Debt seized, WAD, rounded up. */
  readonly debt: bigint;
  /** Debt plus penalty the auction must raise, WAD, rounded up (`mulWadUp(debt, penaltyWad)`). */
  readonly tab: bigint;
  /** The penalty part of the tab (`tab - debt`). */
  readonly penalty: bigint;
  /** Smallest tab a partial take may leave: `mulWadUp(dust, penaltyWad)`. */
  readonly minTab: bigint;
  readonly isPartial: boolean;
}

/**
 * `ILiquidationEngine.SkipReason`, indexed by its enum value: why `liquidateMany` skipped a vault (id 0
 * and a `LiquidationSkipped(ilk, owner, reason, error)` event). Each non-`None` reason is the
 * {@link LiquidationRefusal} that `liquidate` would revert with.
 */
export const SKIP_REASONS = ['None', 'VaultHasNoDebt', 'VaultIsSafe', 'NoRoom', 'DustyPartialLiquidation'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** The name of a `LiquidationSkipped` event's `reason`; undefined for a value the engine does not define. */
export function skipReasonName(reason: number): SkipReason | undefined {
  return SKIP_REASONS[reason];
}

/**
 * Whether a refusal (a {@link LiquidationRefusal} error name or a {@link SkipReason}) only says the protocol's limits are used up for now (the per-block cap, the
 * auction limits): the vault is still unsafe and liquidatable as soon as there is room again.
 */
export function waitsForRoom(refusal: SkipReason | LiquidationRefusal['error'] | (string & {})): boolean {
  return refusal === 'NoRoom' || refusal === 'DustyPartialLiquidation';
}

export type LiquidationOutcome = { readonly ok: true; readonly plan: LiquidationPlan } | ({ readonly ok: false } & LiquidationRefusal);

/**
 * `LiquidationEngine._plan` and the tab of `_liquidate`: liquidates all the vault's debt, or as much as
 * `available` (see {@link room}) allows, never leaving a dusty remainder. Returns the refusal the engine
 * reverts with instead of throwing.
 */
export function planLiquidation(v: LiquidationView, penaltyWad: bigint, available: bigint): LiquidationOutcome {
  if (v.normalizedDebt === 0n) return { ok: false, error: 'VaultHasNoDebt' };
  if (v.safe) return { ok: false, error: 'VaultIsSafe' };
  const minTab = liquidationMinTab(v.dust, penaltyWad);
  if (available < minTab || available === 0n) return { ok: false, error: 'NoRoom', available, minTab };
  const art = v.normalizedDebt;
  const maxDebt = mulDiv(available, WAD, penaltyWad);
  let dart = min(art, mulDiv(maxDebt, RAY, v.rate));
  let isPartial = dart < art;
  if (isPartial) {
    if ((art - dart) * v.rate < v.dust * RAY) {
      dart = art;
      isPartial = false;
    } else if (dart * v.rate < v.dust * RAY) {
      return { ok: false, error: 'DustyPartialLiquidation', debt: (dart * v.rate) / RAY, dust: v.dust };
    }
  }
  const collateral = isPartial ? (v.collateral * dart) / art : v.collateral;
  const debt = divUp(dart * v.rate, RAY);
  const tab = liquidationTab(debt, penaltyWad);
  return { ok: true, plan: { normalizedDebt: dart, collateral, debt, tab, penalty: tab - debt, minTab, isPartial } };
}

/** The smallest tab the engine starts an auction with (and a partial take may leave): `mulWadUp(dust, penaltyWad)`. */
export function liquidationMinTab(dust: bigint, penaltyWad: bigint): bigint {
  return mulWadUp(dust, penaltyWad);
}

/** The tab of a liquidation: `mulWadUp(debt, penaltyWad)`, rounded UP as `LiquidationEngine` does. */
export function liquidationTab(debt: bigint, penaltyWad: bigint): bigint {
  return mulWadUp(debt, penaltyWad);
}

/**
 * The liquidator's incentive: `min(tip + mulWad(tab, chipWad), tab - debt)`, never more than the
 * penalty (so liquidating one's own vault never pays).
 */
export function liquidationIncentive(tab: bigint, debt: bigint, tip: bigint, chipWad: bigint): bigint {
  return min(tip + mulWad(tab, chipWad), tab - debt);
}
