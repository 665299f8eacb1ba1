// Detect: per ilk, which vaults are unsafe, kept current under spot, rate and vault changes
// without scanning every vault. Design, complexity and the exactness argument: ./README.md.

import { isSafe, isSafeUnrounded, MAX_UINT256 } from '@gavel/sdk';
import type { IlkRates } from '@gavel/sdk';
import { OrderedSlots } from './orderedSlots.ts';

/** Which safety rule classifies vaults. */
export type SafetyRule =
  /** VaultEngine.isSafe: value rounded down ≥ debt rounded up (the default: what the chain enforces). */
  | 'vaultEngine'
  /** Unrounded cross-multiplication: collateral·scale·spot·RAY ≥ normalizedDebt·rate·WAD. */
  | 'unrounded';

/** What one mutation changed in an ilk's unsafe set. */
export interface SafetyChange {
  readonly ilk: string;
  /** Owners that entered the unsafe set. */
  readonly becameUnsafe: readonly string[];
  /** Owners that left the unsafe set: safe again, or removed while unsafe. */
  readonly becameSafe: readonly string[];
}

export type SafetyListener = (change: SafetyChange) => void;

export interface UnsafeIndexOptions {
  /** Default 'vaultEngine'. */
  readonly rule?: SafetyRule;
  /** Initial per-ilk slot capacity (the arrays grow by 1.5× when full). Default 1024. */
  readonly initialCapacity?: number;
}

const EMPTY: readonly string[] = Object.freeze([]);
/** Relative slack that covers every float64 rounding in keys and boundaries (errors are < 1e-15). */
const TOL = 1e-12;
/** Vaults with 0 < normalizedDebt < 2^SMALL_BITS are "small": their rounding band is checked exactly. */
const SMALL_BITS = 40;
const SMALL_LIMIT = 1n << BigInt(SMALL_BITS);
const TWO_POW_MINUS_SMALL = 2 ** -SMALL_BITS;

const UNSAFE = 1;
const SMALL = 2;

/** float64 image of a vault's key `normalizedDebt / collateral` (scale-free): 0 without debt, +∞ without collateral. */
function approxKey(collateral: bigint, normalizedDebt: bigint): number {
  if (normalizedDebt === 0n) return 0;
  if (collateral === 0n) return Number.POSITIVE_INFINITY;
  return Number(normalizedDebt) / Number(collateral);
}

/**
 * The float64 thresholds of one parameter set. Exact boundary B = scale·spot·RAY / (rate·WAD);
 * a vault with key k = normalizedDebt/collateral is unsafe when k > B and safe when k ≤ B·(1 − β) with
 * β = RAY / (rate · normalizedDebt) (β = 0 for the unrounded rule).
 */
interface Bounds {
  /** key > hi (float) ⟹ unsafe. */
  readonly hi: number;
  /** key ≤ lo (float) ⟹ safe, for vaults that are not small. */
  readonly lo: number;
}

function boundsOf(p: IlkRates, rule: SafetyRule): Bounds {
  const b = ((Number(p.scale) * Number(p.spot)) * 1e9) / Number(p.rate);
  const hi = b * (1 + TOL);
  if (rule === 'unrounded') return { hi, lo: b * (1 - TOL) };
  const beta = (1e27 / Number(p.rate)) * TWO_POW_MINUS_SMALL * (1 + TOL);
  const lo = beta >= 1 ? -1 : b * (1 - beta) * (1 - TOL);
  return { hi, lo };
}

function checkUint(name: string, v: bigint): void {
  if (v < 0n || v > MAX_UINT256) throw new RangeError(`${name} must be a uint256, got ${v}`);
}

/** One ilk: vault slots in struct-of-arrays form, ordered by key. */
class IlkBook {
  readonly slotOf = new Map<string, number>();
  readonly owners: (string | undefined)[] = [];
  readonly tree: OrderedSlots;
  flags: Uint8Array;
  private collLo: BigUint64Array;
  private collHi: BigUint64Array;
  private debtLo: BigUint64Array;
  private debtHi: BigUint64Array;
  /** Values of 2^128 or more (never on chain: VaultEngine stores uint128). */
  private readonly wide = new Map<number, readonly [bigint, bigint]>();
  readonly small = new Set<number>();
  private readonly free: number[] = [];
  private next = 0;
  unsafeCount = 0;
  params: IlkRates | undefined;
  bounds: Bounds | undefined;

  constructor(capacity: number) {
    this.tree = new OrderedSlots(capacity);
    this.flags = new Uint8Array(capacity);
    this.collLo = new BigUint64Array(capacity);
    this.collHi = new BigUint64Array(capacity);
    this.debtLo = new BigUint64Array(capacity);
    this.debtHi = new BigUint64Array(capacity);
  }

  allocate(owner: string): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.next++;
      if (slot >= this.flags.length) this.grow(Math.max(16, Math.ceil(this.flags.length * 1.5)));
    }
    this.slotOf.set(owner, slot);
    this.owners[slot] = owner;
    return slot;
  }

  release(owner: string, slot: number): void {
    this.slotOf.delete(owner);
    this.owners[slot] = undefined;
    this.flags[slot] = 0;
    this.wide.delete(slot);
    this.small.delete(slot);
    this.free.push(slot);
  }

  write(slot: number, collateral: bigint, normalizedDebt: bigint): void {
    this.collLo[slot] = collateral; // BigUint64Array stores the value mod 2^64
    this.collHi[slot] = collateral >> 64n;
    this.debtLo[slot] = normalizedDebt;
    this.debtHi[slot] = normalizedDebt >> 64n;
    if (collateral >> 128n !== 0n || normalizedDebt >> 128n !== 0n) this.wide.set(slot, [collateral, normalizedDebt]);
    else this.wide.delete(slot);
  }

  collateral(slot: number): bigint {
    const w = this.wide.get(slot);
    if (w) return w[0];
    return ((this.collHi[slot] ?? 0n) << 64n) | (this.collLo[slot] ?? 0n);
  }

  normalizedDebt(slot: number): bigint {
    const w = this.wide.get(slot);
    if (w) return w[1];
    return ((this.debtHi[slot] ?? 0n) << 64n) | (this.debtLo[slot] ?? 0n);
  }

  private grow(capacity: number): void {
    this.tree.ensureCapacity(capacity);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    const big = (a: BigUint64Array): BigUint64Array => {
      const b = new BigUint64Array(capacity);
      b.set(a);
      return b;
    };
    this.collLo = big(this.collLo);
    this.collHi = big(this.collHi);
    this.debtLo = big(this.debtLo);
    this.debtHi = big(this.debtHi);
  }
}

/**
 * The unsafe vaults of every ilk, maintained incrementally.
 *
 * Owners are compared as given (normalize address case before calling). A vault upserted as
 * (0, 0) is removed: on chain it is indistinguishable from no vault. Until an ilk's parameters are
 * set with {@link setIlk}, none of its vaults is unsafe.
 */
export class UnsafeIndex {
  private readonly books = new Map<string, IlkBook>();
  private readonly listeners = new Set<SafetyListener>();
  private readonly rule: SafetyRule;
  private readonly safe: (collateral: bigint, normalizedDebt: bigint, ilk: IlkRates) => boolean;
  private readonly initialCapacity: number;

  constructor(options: UnsafeIndexOptions = {}) {
    this.rule = options.rule ?? 'vaultEngine';
    this.safe = this.rule === 'vaultEngine' ? isSafe : isSafeUnrounded;
    this.initialCapacity = Math.max(16, options.initialCapacity ?? 1024);
  }

  /** Subscribes to non-empty changes; returns the unsubscribe function. */
  onChange(listener: SafetyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sets an ilk's spot, rate and scale; returns the vaults that crossed. O(log n + crossed). */
  setIlk(ilk: string, params: IlkRates): SafetyChange {
    checkUint('spot', params.spot);
    checkUint('rate', params.rate);
    checkUint('scale', params.scale);
    if (params.rate === 0n) throw new RangeError('rate must be positive');
    if (params.scale === 0n) throw new RangeError('scale must be positive');
    const book = this.book(ilk);
    const next: IlkRates = { spot: params.spot, rate: params.rate, scale: params.scale };
    const nb = boundsOf(next, this.rule);
    const old = book.bounds;
    book.params = next;
    book.bounds = nb;
    // Only vaults whose key lies between the two parameter sets' thresholds can change class.
    const lo = old ? Math.min(old.lo, nb.lo) : nb.lo;
    const hi = old ? Math.max(old.hi, nb.hi) : Number.POSITIVE_INFINITY;
    const becameUnsafe: string[] = [];
    const becameSafe: string[] = [];
    const { flags, owners } = book;
    const nbHi = nb.hi;
    const nbLo = nb.lo;
    const reclassify = (slot: number): void => {
      const f = flags[slot] ?? 0;
      const k = book.tree.key(slot);
      let unsafe: boolean;
      if (k > nbHi) unsafe = true;
      else if (k === 0) unsafe = false;
      else if (k <= nbLo && (f & SMALL) === 0) unsafe = false;
      else unsafe = !this.safe(book.collateral(slot), book.normalizedDebt(slot), next);
      if (unsafe === ((f & UNSAFE) !== 0)) return;
      const owner = owners[slot] ?? '';
      if (unsafe) {
        flags[slot] = f | UNSAFE;
        becameUnsafe.push(owner);
      } else {
        flags[slot] = f & ~UNSAFE;
        becameSafe.push(owner);
      }
    };
    if (lo < hi) book.tree.forEachInRange(lo, hi, reclassify);
    for (const slot of book.small) reclassify(slot);
    book.unsafeCount += becameUnsafe.length - becameSafe.length;
    return this.emit(ilk, becameUnsafe, becameSafe);
  }

  /** {@link setIlk} with a new spot; the ilk's parameters must be set. */
  setSpot(ilk: string, spot: bigint): SafetyChange {
    const p = this.requireParams(ilk);
    return this.setIlk(ilk, { spot, rate: p.rate, scale: p.scale });
  }

  /** {@link setIlk} with a new rate; the ilk's parameters must be set. */
  setRate(ilk: string, rate: bigint): SafetyChange {
    const p = this.requireParams(ilk);
    return this.setIlk(ilk, { spot: p.spot, rate, scale: p.scale });
  }

  /** Inserts or updates a vault. O(log n). Upserting (0, 0) removes it. */
  upsertVault(ilk: string, owner: string, collateral: bigint, normalizedDebt: bigint): SafetyChange {
    checkUint('collateral', collateral);
    checkUint('normalizedDebt', normalizedDebt);
    if (collateral === 0n && normalizedDebt === 0n) return this.removeVault(ilk, owner);
    const book = this.book(ilk);
    const key = approxKey(collateral, normalizedDebt);
    let slot = book.slotOf.get(owner);
    if (slot === undefined) {
      slot = book.allocate(owner);
      book.tree.insert(slot, key);
    } else {
      book.tree.rekey(slot, key);
    }
    book.write(slot, collateral, normalizedDebt);
    const was = book.flags[slot] ?? 0;
    let f = was & ~(UNSAFE | SMALL);
    if (this.rule === 'vaultEngine' && normalizedDebt !== 0n && normalizedDebt < SMALL_LIMIT) {
      f |= SMALL;
      book.small.add(slot);
    } else {
      book.small.delete(slot);
    }
    const unsafe = book.params !== undefined && !this.safe(collateral, normalizedDebt, book.params);
    if (unsafe) f |= UNSAFE;
    book.flags[slot] = f;
    const wasUnsafe = (was & UNSAFE) !== 0;
    if (unsafe === wasUnsafe) return { ilk, becameUnsafe: EMPTY, becameSafe: EMPTY };
    book.unsafeCount += unsafe ? 1 : -1;
    return unsafe ? this.emit(ilk, [owner], EMPTY) : this.emit(ilk, EMPTY, [owner]);
  }

  /** Removes a vault (closed, or fully liquidated). O(log n). */
  removeVault(ilk: string, owner: string): SafetyChange {
    const book = this.books.get(ilk);
    const slot = book?.slotOf.get(owner);
    if (book === undefined || slot === undefined) return { ilk, becameUnsafe: EMPTY, becameSafe: EMPTY };
    const wasUnsafe = ((book.flags[slot] ?? 0) & UNSAFE) !== 0;
    book.tree.remove(slot);
    book.release(owner, slot);
    if (!wasUnsafe) return { ilk, becameUnsafe: EMPTY, becameSafe: EMPTY };
    book.unsafeCount--;
    return this.emit(ilk, EMPTY, [owner]);
  }

  /** The ilk's unsafe owners, most under-collateralized first (descending normalizedDebt/collateral). */
  unsafe(ilk: string): string[] {
    const book = this.books.get(ilk);
    if (!book?.bounds || book.unsafeCount === 0) return [];
    const out: string[] = [];
    const lo = book.bounds.lo;
    for (const slot of book.tree.descendingAbove(lo)) {
      if (((book.flags[slot] ?? 0) & UNSAFE) !== 0) out.push(book.owners[slot] ?? '');
    }
    // Small vaults can be unsafe below `lo` (their rounding band is wide).
    for (const slot of book.small) {
      if (((book.flags[slot] ?? 0) & UNSAFE) !== 0 && !(book.tree.key(slot) > lo)) out.push(book.owners[slot] ?? '');
    }
    return out;
  }

  unsafeCount(ilk: string): number {
    return this.books.get(ilk)?.unsafeCount ?? 0;
  }

  isUnsafe(ilk: string, owner: string): boolean {
    const book = this.books.get(ilk);
    const slot = book?.slotOf.get(owner);
    return slot !== undefined && ((book?.flags[slot] ?? 0) & UNSAFE) !== 0;
  }

  /** The stored amounts of a vault, or undefined. */
  vault(ilk: string, owner: string): { collateral: bigint; normalizedDebt: bigint } | undefined {
    const book = this.books.get(ilk);
    const slot = book?.slotOf.get(owner);
    if (book === undefined || slot === undefined) return undefined;
    return { collateral: book.collateral(slot), normalizedDebt: book.normalizedDebt(slot) };
  }

  /** Number of vaults indexed for the ilk. */
  size(ilk: string): number {
    return this.books.get(ilk)?.slotOf.size ?? 0;
  }

  /** The ilk's parameters, or undefined before {@link setIlk}. */
  params(ilk: string): IlkRates | undefined {
    return this.books.get(ilk)?.params;
  }

  ilks(): string[] {
    return [...this.books.keys()];
  }

  /** Owners of every vault of the ilk (any order). */
  owners(ilk: string): string[] {
    return [...(this.books.get(ilk)?.slotOf.keys() ?? [])];
  }

  private requireParams(ilk: string): IlkRates {
    const p = this.books.get(ilk)?.params;
    if (!p) throw new Error(`ilk ${ilk}: parameters not set (call setIlk first)`);
    return p;
  }

  private book(ilk: string): IlkBook {
    let b = this.books.get(ilk);
    if (!b) {
      b = new IlkBook(this.initialCapacity);
      this.books.set(ilk, b);
    }
    return b;
  }

  private emit(ilk: string, becameUnsafe: readonly string[], becameSafe: readonly string[]): SafetyChange {
    const change: SafetyChange = { ilk, becameUnsafe, becameSafe };
    if (this.listeners.size > 0 && (becameUnsafe.length > 0 || becameSafe.length > 0)) {
      for (const l of this.listeners) l(change);
    }
    return change;
  }
}
