// Detect: which portfolio vaults (issue #18) are unsafe, kept current under spot, ratio, rate and portfolio
// changes. A spot move re-checks only the portfolios holding that asset, each with a few float64
// multiply-adds (portfolioBounds.ts) and, within ~1e-12 of the line, the exact bigint `isPortfolioSafe`.
// Design, the exactness argument and the bench figure: ./README.md ("Portfolio index").

import { MAX_UINT256, RAY, debtOf, isPortfolioSafe, portfolioLiquidationSpot, portfolioRequirement, scenarioValues } from '@gavel/sdk';
import type { AssetRisk } from '@gavel/sdk';
import { SAFE, UNSAFE, classifyApprox, floorLossBound, rateFactor, shockedPriceApprox, unitsApprox } from './portfolioBounds.ts';

/** The governance scenario table as stored on chain: asset ids (any string: ilk name or bytes32) and `shocksWad[j][a]`. */
export interface PortfolioTable {
  readonly assets: readonly string[];
  readonly shocksWad: readonly (readonly bigint[])[];
}

export interface PortfolioIndexConfig {
  readonly table: PortfolioTable;
  /** Each table asset's `spot`, `liquidationRatio` and `scale`, in the table's order. */
  readonly risks: readonly AssetRisk[];
  /** The debt line's rate accumulator (RAY). Default RAY: normalized debt is then the debt itself. */
  readonly rate?: bigint;
  /** Initial slot capacity (the arrays grow by 1.5× when full). Default 1024. */
  readonly initialCapacity?: number;
}

/** What one mutation changed in the unsafe set. */
export interface PortfolioChange {
  /** Owners whose portfolio became unsafe. */
  readonly becameUnsafe: readonly string[];
  /** Owners whose portfolio became safe again, or was removed while unsafe. */
  readonly becameSafe: readonly string[];
}

export type PortfolioListener = (change: PortfolioChange) => void;

/** A stored portfolio: collateral per table asset (native units) and normalized debt. */
export interface PortfolioHoldings {
  readonly collaterals: Readonly<Record<string, bigint>>;
  readonly normalizedDebt: bigint;
}

const EMPTY: readonly string[] = Object.freeze([]);
const NO_CHANGE: PortfolioChange = Object.freeze({ becameUnsafe: EMPTY, becameSafe: EMPTY });
const UNSAFE_FLAG = 1;

function checkUint(name: string, v: bigint): void {
  if (v < 0n || v > MAX_UINT256) throw new RangeError(`${name} must be a uint256, got ${v}`);
}

/**
 * The unsafe portfolios of one scenario table, maintained incrementally.
 *
 * Owners are compared as given (normalize address case before calling). A portfolio upserted with no
 * collateral and no debt is removed. A new scenario table is a new index (the columns change).
 */
export class PortfolioIndex {
  private readonly assetIds: readonly string[];
  private readonly column = new Map<string, number>();
  private readonly shocks: readonly (readonly bigint[])[];
  private readonly zeros: readonly bigint[];
  /** Assets (n) and scenarios (m). */
  private readonly n: number;
  private readonly m: number;
  private risks: readonly AssetRisk[];
  private rate: bigint;
  private rateF: number;
  /** `prices[j·n + b]`: scenario j's real-valued shocked price of asset b (shockedPriceApprox). */
  private readonly prices: Float64Array;

  // Slots, struct-of-arrays. `units[slot·n + b]` is the holding of asset b in whole tokens (float).
  private capacity: number;
  private units: Float64Array;
  private lossBound: Float64Array;
  /** Number(normalizedDebt); 0 exactly when there is no debt. */
  private debtF: Float64Array;
  private flags: Uint8Array;
  private readonly owners: (string | undefined)[] = [];
  private readonly collaterals: (readonly bigint[] | undefined)[] = [];
  private readonly normalizedDebts: bigint[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];
  private next = 0;
  /** Per asset: the slots holding it (dense, first `holderCount[b]`), and each slot's position (−1: not held). */
  private readonly holders: Int32Array[];
  private readonly holderCount: number[];
  private holderPos: Int32Array;

  /** The unsafe slots (their flag is set): listing and counting cost O(unsafe). */
  private readonly unsafeSlots = new Set<number>();
  private exact = 0;
  private readonly listeners = new Set<PortfolioListener>();

  constructor(config: PortfolioIndexConfig) {
    const { table, risks } = config;
    this.n = table.assets.length;
    this.m = table.shocksWad.length;
    if (risks.length !== this.n) throw new RangeError(`${risks.length} risks for ${this.n} table assets`);
    table.assets.forEach((id, b) => {
      if (this.column.has(id)) throw new RangeError(`asset ${id} appears twice in the table`);
      this.column.set(id, b);
    });
    this.assetIds = [...table.assets];
    this.shocks = table.shocksWad.map((row) => [...row]);
    this.zeros = this.assetIds.map(() => 0n);
    // The SDK's checks: at least one scenario, row widths, shocks in [0, WAD], spots, ratios and scales in range.
    portfolioRequirement(risks, this.zeros, this.shocks);
    this.risks = [...risks];
    this.rate = config.rate ?? RAY;
    checkRate(this.rate);
    this.rateF = rateFactor(this.rate);
    this.prices = new Float64Array(this.m * this.n);
    for (let b = 0; b < this.n; b++) this.priceColumn(b);

    this.capacity = Math.max(16, config.initialCapacity ?? 1024);
    this.units = new Float64Array(this.capacity * this.n);
    this.lossBound = new Float64Array(this.capacity);
    this.debtF = new Float64Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
    this.holders = this.assetIds.map(() => new Int32Array(this.capacity));
    this.holderCount = this.assetIds.map(() => 0);
    this.holderPos = new Int32Array(this.capacity * this.n).fill(-1);
  }

  /** Subscribes to non-empty changes; returns the unsubscribe function. */
  onChange(listener: PortfolioListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new spot for one asset: re-checks the portfolios holding it. O(holders · assets · scenarios). */
  setSpot(asset: string, spotWad: bigint): PortfolioChange {
    const b = this.columnOf(asset);
    return this.setRisk(asset, { ...(this.risks[b] as AssetRisk), spotWad });
  }

  /**
   * A new spot and liquidation ratio for one asset (the scale is the token's and cannot change): re-checks the
   * portfolios holding it. Throws what the SDK rule throws for an out-of-range value, changing nothing.
   */
  setRisk(asset: string, risk: AssetRisk): PortfolioChange {
    const b = this.columnOf(asset);
    const old = this.risks[b] as AssetRisk;
    if (risk.scale !== old.scale) throw new RangeError(`asset ${asset}: scale ${risk.scale} differs from ${old.scale}`);
    const next = this.risks.map((r, i) => (i === b ? { spotWad: risk.spotWad, liquidationRatioWad: risk.liquidationRatioWad, scale: r.scale } : r));
    scenarioValues(next, this.zeros, []); // range checks only
    this.risks = next;
    this.priceColumn(b);
    return this.recheck(this.holders[b] as Int32Array, this.holderCount[b] ?? 0);
  }

  /** A new rate accumulator of the debt line: re-checks every portfolio with debt. */
  setRate(rate: bigint): PortfolioChange {
    checkRate(rate);
    this.rate = rate;
    this.rateF = rateFactor(rate);
    const all = new Int32Array(this.next);
    let count = 0;
    for (let slot = 0; slot < this.next; slot++) if ((this.debtF[slot] ?? 0) !== 0) all[count++] = slot;
    return this.recheck(all, count);
  }

  /**
   * Inserts or replaces a portfolio: collateral per asset (assets left out hold 0) and normalized debt.
   * With no collateral and no debt it is removed. Throws `RangeError` for an asset not in the table and
   * what the SDK rule throws for an out-of-range holding (`CollateralOutOfRange`), changing nothing.
   */
  upsertPortfolio(owner: string, collaterals: Readonly<Record<string, bigint>>, normalizedDebt: bigint): PortfolioChange {
    const dense = this.zeros.slice();
    for (const [id, amount] of Object.entries(collaterals)) {
      checkUint(`collateral of ${id}`, amount);
      dense[this.columnOf(id)] = amount;
    }
    return this.write(owner, dense, normalizedDebt);
  }

  /** One asset's collateral of a portfolio changed (`PortfolioCollateralChanged`). */
  setCollateral(owner: string, asset: string, collateral: bigint): PortfolioChange {
    checkUint('collateral', collateral);
    const b = this.columnOf(asset);
    const slot = this.slotOf.get(owner);
    const dense = (slot === undefined ? undefined : this.collaterals[slot])?.slice() ?? this.zeros.slice();
    dense[b] = collateral;
    return this.write(owner, dense, slot === undefined ? 0n : (this.normalizedDebts[slot] ?? 0n));
  }

  /** A portfolio's normalized debt changed (`VaultChanged` on the debt line). */
  setDebt(owner: string, normalizedDebt: bigint): PortfolioChange {
    const slot = this.slotOf.get(owner);
    const dense = (slot === undefined ? undefined : this.collaterals[slot]) ?? this.zeros;
    return this.write(owner, dense.slice(), normalizedDebt);
  }

  /** Removes a portfolio (closed, or fully liquidated). */
  removePortfolio(owner: string): PortfolioChange {
    const slot = this.slotOf.get(owner);
    if (slot === undefined) return NO_CHANGE;
    const wasUnsafe = ((this.flags[slot] ?? 0) & UNSAFE_FLAG) !== 0;
    this.setHeld(slot, this.zeros);
    this.slotOf.delete(owner);
    this.owners[slot] = undefined;
    this.collaterals[slot] = undefined;
    this.normalizedDebts[slot] = 0n;
    this.debtF[slot] = 0;
    this.lossBound[slot] = 0;
    this.mark(slot, false);
    this.free.push(slot);
    if (!wasUnsafe) return NO_CHANGE;
    return this.emit(EMPTY, [owner]);
  }

  /** The unsafe owners, most under-collateralized first (lowest worst-scenario value / debt). */
  unsafe(): string[] {
    const rows: [string, number][] = [];
    for (const slot of this.unsafeSlots) rows.push([this.owners[slot] ?? '', this.minValue(slot) / ((this.debtF[slot] ?? 1) * this.rateF)]);
    return rows.sort((x, y) => x[1] - y[1]).map((r) => r[0]);
  }

  unsafeCount(): number {
    return this.unsafeSlots.size;
  }

  isUnsafe(owner: string): boolean {
    const slot = this.slotOf.get(owner);
    return slot !== undefined && ((this.flags[slot] ?? 0) & UNSAFE_FLAG) !== 0;
  }

  /** Number of portfolios indexed. */
  size(): number {
    return this.slotOf.size;
  }

  /** Owners of every portfolio (any order). */
  ownerList(): string[] {
    return [...this.slotOf.keys()];
  }

  /** The stored holdings (every table asset, 0 included) and normalized debt, or undefined. */
  portfolio(owner: string): PortfolioHoldings | undefined {
    const slot = this.slotOf.get(owner);
    if (slot === undefined) return undefined;
    const dense = this.collaterals[slot] ?? this.zeros;
    return {
      collaterals: Object.fromEntries(this.assetIds.map((id, b) => [id, dense[b] ?? 0n])),
      normalizedDebt: this.normalizedDebts[slot] ?? 0n,
    };
  }

  /**
   * The portfolio's liquidation spot for one asset at the current other prices and rate
   * (`portfolioLiquidationSpot`): unsafe exactly while that asset's spot is below it; 0n when safe at any
   * spot; undefined when no spot makes it safe. Throws `RangeError` for an unknown owner or asset.
   */
  criticalSpot(owner: string, asset: string): bigint | undefined {
    const slot = this.slotOf.get(owner);
    if (slot === undefined) throw new RangeError(`no portfolio for ${owner}`);
    const dense = this.collaterals[slot] ?? this.zeros;
    return portfolioLiquidationSpot(this.risks, dense, this.shocks, debtOf(this.normalizedDebts[slot] ?? 0n, this.rate), this.columnOf(asset));
  }

  /** The table's assets, in column order. */
  assets(): readonly string[] {
    return this.assetIds;
  }

  /** The current risk of an asset. */
  risk(asset: string): AssetRisk {
    return this.risks[this.columnOf(asset)] as AssetRisk;
  }

  /** The debt line's rate accumulator (RAY). */
  currentRate(): bigint {
    return this.rate;
  }

  /** How many classifications the float bounds left to the bigint rule so far (diagnostics). */
  exactChecks(): number {
    return this.exact;
  }

  private write(owner: string, dense: bigint[], normalizedDebt: bigint): PortfolioChange {
    checkUint('normalizedDebt', normalizedDebt);
    scenarioValues(this.risks, dense, []); // CollateralOutOfRange, before anything changes
    if (normalizedDebt === 0n && dense.every((c) => c === 0n)) return this.removePortfolio(owner);
    let slot = this.slotOf.get(owner);
    if (slot === undefined) slot = this.allocate(owner);
    this.collaterals[slot] = dense;
    this.normalizedDebts[slot] = normalizedDebt;
    this.debtF[slot] = Number(normalizedDebt);
    const { n, units } = this;
    for (let b = 0; b < n; b++) units[slot * n + b] = unitsApprox(dense[b] ?? 0n, (this.risks[b] as AssetRisk).scale);
    this.lossBound[slot] = floorLossBound(units, slot * n, n);
    this.setHeld(slot, dense);
    const was = ((this.flags[slot] ?? 0) & UNSAFE_FLAG) !== 0;
    const now = this.unsafeNow(slot);
    if (now === was) return NO_CHANGE;
    this.mark(slot, now);
    return now ? this.emit([owner], EMPTY) : this.emit(EMPTY, [owner]);
  }

  /** Re-decides the first `count` slots of `list`; returns (and emits) who crossed. */
  private recheck(list: Int32Array, count: number): PortfolioChange {
    const becameUnsafe: string[] = [];
    const becameSafe: string[] = [];
    const { flags, owners } = this;
    for (let i = 0; i < count; i++) {
      const slot = list[i] ?? 0;
      const was = ((flags[slot] ?? 0) & UNSAFE_FLAG) !== 0;
      const now = this.unsafeNow(slot);
      if (now === was) continue;
      this.mark(slot, now);
      (now ? becameUnsafe : becameSafe).push(owners[slot] ?? '');
    }
    if (becameUnsafe.length === 0 && becameSafe.length === 0) return NO_CHANGE;
    return this.emit(becameUnsafe, becameSafe);
  }

  private mark(slot: number, unsafe: boolean): void {
    this.flags[slot] = unsafe ? UNSAFE_FLAG : 0;
    if (unsafe) this.unsafeSlots.add(slot);
    else this.unsafeSlots.delete(slot);
  }

  /** The exact rule's verdict for a slot: floats where certain, the SDK's bigint rule near the line. */
  private unsafeNow(slot: number): boolean {
    const debt = this.debtF[slot] ?? 0;
    if (debt === 0) return false; // no debt: safe
    const verdict = classifyApprox(this.minValue(slot), this.lossBound[slot] ?? 0, debt * this.rateF);
    if (verdict === SAFE) return false;
    if (verdict === UNSAFE) return true;
    this.exact++;
    const dense = this.collaterals[slot] ?? this.zeros;
    return !isPortfolioSafe(this.risks, dense, this.shocks, debtOf(this.normalizedDebts[slot] ?? 0n, this.rate));
  }

  /** min_j Σ_b units[slot, b] · prices[j, b] (float). */
  private minValue(slot: number): number {
    const { n, m, units, prices } = this;
    const base = slot * n;
    let min = Number.POSITIVE_INFINITY;
    for (let j = 0, row = 0; j < m; j++, row += n) {
      let v = 0;
      for (let b = 0; b < n; b++) v += (units[base + b] ?? 0) * (prices[row + b] ?? 0);
      if (v < min) min = v;
    }
    return min;
  }

  private priceColumn(b: number): void {
    const risk = this.risks[b] as AssetRisk;
    for (let j = 0; j < this.m; j++) this.prices[j * this.n + b] = shockedPriceApprox(risk, (this.shocks[j] as readonly bigint[])[b] ?? 0n);
  }

  /** Puts the slot in (or takes it out of) each asset's holder list to match `dense`. */
  private setHeld(slot: number, dense: readonly bigint[]): void {
    const { n, holderPos } = this;
    for (let b = 0; b < n; b++) {
      const held = (dense[b] ?? 0n) > 0n;
      const pos = holderPos[slot * n + b] ?? -1;
      const list = this.holders[b] as Int32Array;
      if (held && pos < 0) {
        const count = this.holderCount[b] ?? 0;
        list[count] = slot;
        holderPos[slot * n + b] = count;
        this.holderCount[b] = count + 1;
      } else if (!held && pos >= 0) {
        const last = (this.holderCount[b] ?? 1) - 1;
        const moved = list[last] ?? 0;
        list[pos] = moved;
        holderPos[moved * n + b] = pos;
        holderPos[slot * n + b] = -1;
        this.holderCount[b] = last;
      }
    }
  }

  private allocate(owner: string): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.next++;
      if (slot >= this.capacity) this.grow(Math.ceil(this.capacity * 1.5));
    }
    this.slotOf.set(owner, slot);
    this.owners[slot] = owner;
    return slot;
  }

  private grow(capacity: number): void {
    const f64 = (a: Float64Array, size: number): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.units = f64(this.units, capacity * this.n);
    this.lossBound = f64(this.lossBound, capacity);
    this.debtF = f64(this.debtF, capacity);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    const pos = new Int32Array(capacity * this.n).fill(-1);
    pos.set(this.holderPos);
    this.holderPos = pos;
    for (let b = 0; b < this.n; b++) {
      const list = new Int32Array(capacity);
      list.set(this.holders[b] as Int32Array);
      this.holders[b] = list;
    }
    this.capacity = capacity;
  }

  private columnOf(asset: string): number {
    const b = this.column.get(asset);
    if (b === undefined) throw new RangeError(`asset ${asset} is not in the scenario table`);
    return b;
  }

  private emit(becameUnsafe: readonly string[], becameSafe: readonly string[]): PortfolioChange {
    const change: PortfolioChange = { becameUnsafe, becameSafe };
    for (const l of this.listeners) l(change);
    return change;
  }
}

function checkRate(rate: bigint): void {
  checkUint('rate', rate);
  if (rate === 0n) throw new RangeError('rate must be positive');
}
