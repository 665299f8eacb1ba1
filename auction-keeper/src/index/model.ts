// The keeper's in-memory model of the protocol, rebuilt from logs only (contracts/src/
// VaultEngine.events.md is the contract for the engine's events). Vaults live in the UnsafeIndex
// (compact, ordered by liquidation threshold); everything else in maps of immutable records.
//
// Every write goes through a setter that records what it replaced in the current block's undo
// list, so the last `reorgDepth` blocks can be rolled back exactly (reorgs), and marks the vault
// dirty for the next incremental checkpoint.

import type { Address, Hex } from 'viem';
import { UnsafeIndex } from '../detect/unsafeIndex.ts';
import type { SafetyChange } from '../detect/unsafeIndex.ts';
import { RAY, type TierTable, WAD } from '@gavel/sdk';

export interface IlkState {
  /** bytes32 id, lowercase hex. */
  readonly id: Hex;
  readonly token: Address;
  readonly decimals: number;
  readonly scale: bigint;
  /** Σ normalizedDebt of the ilk's vaults (WAD). */
  readonly normalizedDebt: bigint;
  readonly rate: bigint;
  readonly spot: bigint;
  readonly debtCeiling: bigint;
  readonly dust: bigint;
  readonly liquidationRatio: bigint;
  readonly stabilityFeeRay: bigint;
  /** Timestamp of the last drip (or of IlkAdded). */
  readonly lastDrip: bigint;
}

/** ICollateralAuction.Tier (`kind`: 1 linear, 2 stairstep exponential, 3 exponential). */
export interface TierParams {
  readonly kind: number;
  readonly cutRay: bigint;
  readonly periodSeconds: number;
  readonly tailSeconds: number;
  readonly floorWad: bigint;
  readonly startPremiumBps: number;
}

/** A house's tier table (the SDK's shape, `tierFor` reads it). */
export type { TierTable } from '@gavel/sdk';

export interface AuctionState {
  readonly house: Address;
  /** `nonce << 32 | slot`. */
  readonly id: bigint;
  readonly ilk: Hex;
  /** Debt left to raise (WAD). */
  readonly tab: bigint;
  /** Collateral left (token units). */
  readonly lot: bigint;
  /** Start price (WAD). */
  readonly top: bigint;
  readonly startedAt: bigint;
  readonly tierId: number;
  /** The tier's parameters (immutable per tier id: tiers are append-only). */
  readonly tier: TierParams | undefined;
  readonly minTab: bigint;
  readonly penalty: bigint;
  readonly owner: Address;
  readonly redos: number;
}

export type AuctionChangeKind = 'kick' | 'take' | 'redo' | 'closed' | 'yank' | 'takeover' | 'reorg';

export interface AuctionChange {
  readonly kind: AuctionChangeKind;
  readonly key: string;
  /** The auction after the change; undefined when it ended (or was un-kicked by a reorg). */
  readonly auction: AuctionState | undefined;
  /** Who acted, where the log says: the kick's keeper (incentive recipient), the taker. */
  readonly actor?: Address;
}

export function auctionKey(house: Address, id: bigint): string {
  return `${house.toLowerCase()}:${id.toString()}`;
}

/** One undo record: the value a setter replaced (undefined: there was none). */
export type UndoEntry =
  | { readonly t: 'vault'; readonly ilk: Hex; readonly owner: Address; readonly c: bigint; readonly d: bigint }
  | { readonly t: 'ilk'; readonly id: Hex; readonly prev: IlkState | undefined }
  | { readonly t: 'mark'; readonly ilk: Hex; readonly prev: bigint | undefined }
  | { readonly t: 'auction'; readonly key: string; readonly prev: AuctionState | undefined }
  | { readonly t: 'tier'; readonly house: Address; readonly tierId: number; readonly prev: TierParams | undefined }
  | { readonly t: 'table'; readonly house: Address; readonly prev: TierTable | undefined }
  | { readonly t: 'breaker'; readonly house: Address; readonly prev: number | undefined }
  | { readonly t: 'house'; readonly ilk: Hex; readonly prev: Address | undefined };

/** A processed block in the reorg window. */
export interface BlockRecord {
  readonly number: bigint;
  readonly hash: Hex;
  readonly parentHash: Hex;
  /** Undo records of this block, in application order. */
  readonly undo: UndoEntry[];
}

/** Everything but the vaults, for checkpoints. */
export interface ModelSnapshot {
  readonly ilks: IlkState[];
  readonly marks: [Hex, bigint][];
  readonly auctions: AuctionState[];
  readonly tiers: [Address, [number, TierParams][]][];
  readonly tierTables: [Address, TierTable][];
  readonly breakers: [Address, number][];
  readonly houses: [Hex, Address][];
}

const VAULT_SEP = '|';

export class IndexModel {
  readonly ilks = new Map<Hex, IlkState>();
  /** Mark price (WAD per whole token) from the Spotter's Poke. */
  readonly marks = new Map<Hex, bigint>();
  readonly auctions = new Map<string, AuctionState>();
  readonly tiers = new Map<Address, Map<number, TierParams>>();
  readonly tierTables = new Map<Address, TierTable>();
  readonly breakers = new Map<Address, number>();
  /** ilk → auction house (from the deployment, then LiquidationEngine.IlkConfigured). */
  readonly houses = new Map<Hex, Address>();
  /** Vault storage and unsafe detection. Keys: ilk id (lowercase hex) and owner (checksummed). */
  readonly unsafe: UnsafeIndex;
  /** The blocks of the reorg window, oldest first. */
  readonly window: BlockRecord[] = [];
  /** Vaults written since the last checkpoint (`ilk|owner`). */
  private dirty = new Set<string>();
  private undo: UndoEntry[] | undefined;
  private readonly safetyChanges: SafetyChange[] = [];
  private readonly auctionChanges: AuctionChange[] = [];

  constructor(unsafe?: UnsafeIndex) {
    this.unsafe = unsafe ?? new UnsafeIndex();
    this.unsafe.onChange((c) => this.safetyChanges.push(c));
  }

  /* ------------------------------ reads ------------------------------ */

  vault(ilk: Hex, owner: Address): { collateral: bigint; normalizedDebt: bigint } {
    return this.unsafe.vault(ilk, owner) ?? { collateral: 0n, normalizedDebt: 0n };
  }

  vaultCount(): number {
    let n = 0;
    for (const ilk of this.unsafe.ilks()) n += this.unsafe.size(ilk);
    return n;
  }

  /** Auctions of a house (or all). */
  liveAuctions(house?: Address): AuctionState[] {
    const out = [...this.auctions.values()];
    return house === undefined ? out : out.filter((a) => a.house.toLowerCase() === house.toLowerCase());
  }

  /** Changes collected since the last call (for the indexer's listeners). */
  drainChanges(): { safety: SafetyChange[]; auctions: AuctionChange[] } {
    const safety = this.safetyChanges.splice(0);
    const auctions = this.auctionChanges.splice(0);
    return { safety, auctions };
  }

  /* ---------------------------- journaling --------------------------- */

  /** Starts recording undo records for a block (per-block mode). */
  beginBlock(): void {
    this.undo = [];
  }

  /** Ends the block: stores its undo records in the window, trimmed to `depth` blocks. */
  commitBlock(number: bigint, hash: Hex, parentHash: Hex, depth: number): void {
    this.window.push({ number, hash, parentHash, undo: this.undo ?? [] });
    this.undo = undefined;
    while (this.window.length > depth) this.window.shift();
  }

  /** Forgets the window (after a range backfill jumped past it). */
  clearWindow(): void {
    this.window.length = 0;
  }

  /** Undoes every block after `ancestor`, newest first. Returns how many blocks were undone. */
  rollbackTo(ancestor: bigint): number {
    let n = 0;
    for (let b = this.window.at(-1); b && b.number > ancestor; b = this.window.at(-1)) {
      this.window.pop();
      for (let i = b.undo.length - 1; i >= 0; i--) {
        const e = b.undo[i];
        if (e) this.revert(e);
      }
      n++;
    }
    return n;
  }

  private record(e: UndoEntry): void {
    this.undo?.push(e);
  }

  private revert(e: UndoEntry): void {
    switch (e.t) {
      case 'vault':
        this.writeVault(e.ilk, e.owner, e.c, e.d);
        break;
      case 'ilk':
        if (e.prev) this.writeIlk(e.prev);
        else this.ilks.delete(e.id);
        break;
      case 'mark':
        if (e.prev === undefined) this.marks.delete(e.ilk);
        else this.marks.set(e.ilk, e.prev);
        break;
      case 'auction':
        if (e.prev) this.auctions.set(e.key, e.prev);
        else this.auctions.delete(e.key);
        this.auctionChanges.push({ kind: 'reorg', key: e.key, auction: e.prev });
        break;
      case 'tier': {
        const m = this.tiers.get(e.house);
        if (e.prev) this.tiersOf(e.house).set(e.tierId, e.prev);
        else m?.delete(e.tierId);
        break;
      }
      case 'table':
        if (e.prev) this.tierTables.set(e.house, e.prev);
        else this.tierTables.delete(e.house);
        break;
      case 'breaker':
        if (e.prev === undefined) this.breakers.delete(e.house);
        else this.breakers.set(e.house, e.prev);
        break;
      case 'house':
        if (e.prev) this.houses.set(e.ilk, e.prev);
        else this.houses.delete(e.ilk);
        break;
    }
  }

  /* ------------------------------ writes ----------------------------- */

  private writeVault(ilk: Hex, owner: Address, collateral: bigint, normalizedDebt: bigint): void {
    this.unsafe.upsertVault(ilk, owner, collateral, normalizedDebt);
    this.dirty.add(ilk + VAULT_SEP + owner);
  }

  private writeIlk(next: IlkState): void {
    const prev = this.ilks.get(next.id);
    this.ilks.set(next.id, next);
    if (!prev || prev.spot !== next.spot || prev.rate !== next.rate || prev.scale !== next.scale) {
      this.unsafe.setIlk(next.id, { spot: next.spot, rate: next.rate, scale: next.scale });
    }
  }

  setVault(ilk: Hex, owner: Address, collateral: bigint, normalizedDebt: bigint): void {
    const prev = this.vault(ilk, owner);
    if (prev.collateral === collateral && prev.normalizedDebt === normalizedDebt) return;
    this.record({ t: 'vault', ilk, owner, c: prev.collateral, d: prev.normalizedDebt });
    this.writeVault(ilk, owner, collateral, normalizedDebt);
  }

  setIlk(next: IlkState): void {
    this.record({ t: 'ilk', id: next.id, prev: this.ilks.get(next.id) });
    this.writeIlk(next);
  }

  /** Applies `f` to an existing ilk (events for an unknown ilk are ignored: they cannot happen on chain). */
  updateIlk(id: Hex, f: (ilk: IlkState) => IlkState): void {
    const cur = this.ilks.get(id);
    if (cur) this.setIlk(f(cur));
  }

  setMark(ilk: Hex, price: bigint): void {
    this.record({ t: 'mark', ilk, prev: this.marks.get(ilk) });
    this.marks.set(ilk, price);
  }

  setAuction(key: string, next: AuctionState | undefined, kind: AuctionChangeKind, actor?: Address): void {
    this.record({ t: 'auction', key, prev: this.auctions.get(key) });
    if (next) this.auctions.set(key, next);
    else this.auctions.delete(key);
    this.auctionChanges.push({ kind, key, auction: next, ...(actor ? { actor } : {}) });
  }

  private tiersOf(house: Address): Map<number, TierParams> {
    let m = this.tiers.get(house);
    if (!m) {
      m = new Map();
      this.tiers.set(house, m);
    }
    return m;
  }

  setTier(house: Address, tierId: number, tier: TierParams): void {
    const m = this.tiersOf(house);
    this.record({ t: 'tier', house, tierId, prev: m.get(tierId) });
    m.set(tierId, tier);
  }

  tier(house: Address, tierId: number): TierParams | undefined {
    return this.tiers.get(house)?.get(tierId);
  }

  setTierTable(house: Address, table: TierTable): void {
    this.record({ t: 'table', house, prev: this.tierTables.get(house) });
    this.tierTables.set(house, table);
  }

  setBreaker(house: Address, level: number): void {
    this.record({ t: 'breaker', house, prev: this.breakers.get(house) });
    this.breakers.set(house, level);
  }

  setHouse(ilk: Hex, house: Address): void {
    this.record({ t: 'house', ilk, prev: this.houses.get(ilk) });
    this.houses.set(ilk, house);
  }

  /** A new ilk as IlkAdded defines it. */
  static newIlk(id: Hex, token: Address, decimals: number, scale: bigint, timestamp: bigint): IlkState {
    return {
      id,
      token,
      decimals,
      scale,
      normalizedDebt: 0n,
      rate: RAY,
      spot: 0n,
      debtCeiling: 0n,
      dust: 0n,
      liquidationRatio: WAD,
      stabilityFeeRay: RAY,
      lastDrip: timestamp,
    };
  }

  /* --------------------------- checkpoints --------------------------- */

  /** Takes the set of vaults written since the last call. */
  takeDirty(): Set<string> {
    const d = this.dirty;
    this.dirty = new Set();
    return d;
  }

  /** Marks a vault (`ilk|owner`) as changed since the last checkpoint. */
  markDirty(key: string): void {
    this.dirty.add(key);
  }

  static splitVaultKey(key: string): [Hex, Address] {
    const i = key.indexOf(VAULT_SEP);
    return [key.slice(0, i) as Hex, key.slice(i + 1) as Address];
  }

  snapshot(): ModelSnapshot {
    return {
      ilks: [...this.ilks.values()],
      marks: [...this.marks.entries()],
      auctions: [...this.auctions.values()],
      tiers: [...this.tiers.entries()].map(([h, m]) => [h, [...m.entries()]]),
      tierTables: [...this.tierTables.entries()],
      breakers: [...this.breakers.entries()],
      houses: [...this.houses.entries()],
    };
  }

  /** Restores a snapshot into an empty model (no undo, no dirty marks). */
  restore(s: ModelSnapshot, window: readonly BlockRecord[]): void {
    for (const ilk of s.ilks) this.writeIlk(ilk);
    for (const [k, v] of s.marks) this.marks.set(k, v);
    for (const a of s.auctions) this.auctions.set(auctionKey(a.house, a.id), a);
    for (const [h, entries] of s.tiers) this.tiers.set(h, new Map(entries));
    for (const [h, t] of s.tierTables) this.tierTables.set(h, t);
    for (const [h, l] of s.breakers) this.breakers.set(h, l);
    for (const [i, h] of s.houses) this.houses.set(i, h);
    this.window.push(...window);
  }

  /** Loads one vault from a checkpoint (no undo, no dirty mark). */
  loadVault(ilk: Hex, owner: Address, collateral: bigint, normalizedDebt: bigint): void {
    this.unsafe.upsertVault(ilk, owner, collateral, normalizedDebt);
  }

  /** Drops pending change notifications (after loading a checkpoint). */
  clearChanges(): void {
    this.safetyChanges.length = 0;
    this.auctionChanges.length = 0;
  }
}
