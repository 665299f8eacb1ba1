// Unsafe vaults, counted honestly: every vault is rebuilt from the VaultEngine's own logs (the
// event contract in contracts/src/VaultEngine.events.md: VaultChanged carries absolute values,
// Seized subtracts) and checked with the engine's exact rule at the current spot and rate:
// unsafe iff floor(collateral × scale × spot / 1e18) < ceil(normalizedDebt × rate / 1e27).
import { debtOf, isSafe } from '@gavel/sdk';
import type { Address, Hex } from 'viem';

export type VaultLog =
  | { kind: 'changed'; ilk: Hex; owner: Address; collateral: bigint; normalizedDebt: bigint; blockNumber: bigint; logIndex: number }
  | { kind: 'seized'; ilk: Hex; owner: Address; collateral: bigint; normalizedDebt: bigint; blockNumber: bigint; logIndex: number };

export interface VaultState {
  ilk: Hex;
  owner: Address;
  collateral: bigint;
  normalizedDebt: bigint;
}

export interface IlkRisk {
  /** `10 ** (18 - decimals)`. */
  scale: bigint;
  /** Mark price / liquidation ratio (WAD). */
  spot: bigint;
  /** Rate accumulator (RAY). */
  rate: bigint;
}

/** Every vault's (collateral, normalizedDebt) after the logs, applied in chain order. */
export function vaultsFromLogs(logs: readonly VaultLog[]): Map<string, VaultState> {
  const ordered = [...logs].sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  const vaults = new Map<string, VaultState>();
  for (const l of ordered) {
    const key = `${l.ilk.toLowerCase()}:${l.owner.toLowerCase()}`;
    if (l.kind === 'changed') {
      vaults.set(key, { ilk: l.ilk, owner: l.owner, collateral: l.collateral, normalizedDebt: l.normalizedDebt });
    } else {
      const v = vaults.get(key) ?? { ilk: l.ilk, owner: l.owner, collateral: 0n, normalizedDebt: 0n };
      vaults.set(key, { ...v, collateral: v.collateral - l.collateral, normalizedDebt: v.normalizedDebt - l.normalizedDebt });
    }
  }
  return vaults;
}

/** The engine's `isSafe` (the SDK's), negated: collateral value at spot (rounded down) below debt (rounded up). */
export function isUnsafe(v: Pick<VaultState, 'collateral' | 'normalizedDebt'>, i: IlkRisk): boolean {
  return !isSafe(v.collateral, v.normalizedDebt, i);
}

/** Unsafe vaults per ilk (lower-case ilk id -> count); ilks without risk figures are left out. */
export function countUnsafe(vaults: Iterable<VaultState>, ilks: ReadonlyMap<string, IlkRisk>): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of ilks.keys()) out.set(id, 0);
  for (const v of vaults) {
    const id = v.ilk.toLowerCase();
    const i = ilks.get(id);
    if (i && isUnsafe(v, i)) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** The unsafe vaults themselves, largest debt first (what a liquidator would take on first). */
export function unsafeVaults(vaults: Iterable<VaultState>, ilks: ReadonlyMap<string, IlkRisk>): (VaultState & { debt: bigint })[] {
  const out: (VaultState & { debt: bigint })[] = [];
  for (const v of vaults) {
    const i = ilks.get(v.ilk.toLowerCase());
    if (i && isUnsafe(v, i)) out.push({ ...v, debt: debtOf(v.normalizedDebt, i.rate) });
  }
  return out.sort((a, b) => (a.debt === b.debt ? a.owner.localeCompare(b.owner) : a.debt > b.debt ? -1 : 1));
}
