// Tables for the CLI: vaults (health, liquidation price) and auctions (local price).

import type { Address, Hex } from 'viem';
import { formatUnits, hexToString } from 'viem';
import type { AuctionState, IndexModel } from '../index/model.ts';
import { MAX_UINT256, debtOf, health, liquidationPrice } from '@gavel/sdk';
import { auctionStatusOf } from '../bid/bidder.ts';

export interface VaultRow {
  readonly ilk: string;
  readonly owner: Address;
  readonly collateral: bigint;
  readonly decimals: number;
  readonly debt: bigint;
  readonly health: bigint;
  readonly liquidationPrice: bigint;
}

export const VAULT_SORTS = ['health', 'debt', 'collateral', 'liquidation-price', 'owner'] as const;
export type VaultSort = (typeof VAULT_SORTS)[number];

export function ilkName(id: Hex): string {
  try {
    return hexToString(id, { size: 32 }).replace(/\0+$/, '');
  } catch {
    return id;
  }
}

export function vaultRows(model: IndexModel, filter?: { ilk?: string; owner?: string }): VaultRow[] {
  const rows: VaultRow[] = [];
  for (const ilkId of model.unsafe.ilks()) {
    const id = ilkId as Hex;
    const name = ilkName(id);
    if (filter?.ilk !== undefined && filter.ilk !== name && filter.ilk.toLowerCase() !== id) continue;
    const ilk = model.ilks.get(id);
    if (!ilk) continue;
    for (const owner of model.unsafe.owners(id)) {
      if (filter?.owner !== undefined && owner.toLowerCase() !== filter.owner.toLowerCase()) continue;
      const v = model.vault(id, owner as Address);
      rows.push({
        ilk: name,
        owner: owner as Address,
        collateral: v.collateral,
        decimals: ilk.decimals,
        debt: debtOf(v.normalizedDebt, ilk.rate),
        health: health(v.collateral, v.normalizedDebt, ilk),
        liquidationPrice: liquidationPrice(v.collateral, v.normalizedDebt, ilk),
      });
    }
  }
  return rows;
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortVaults(rows: VaultRow[], by: VaultSort): VaultRow[] {
  const f: Record<VaultSort, (a: VaultRow, b: VaultRow) => number> = {
    health: (a, b) => cmp(a.health, b.health),
    debt: (a, b) => cmp(b.debt, a.debt),
    collateral: (a, b) => cmp(b.collateral, a.collateral),
    'liquidation-price': (a, b) => cmp(b.liquidationPrice, a.liquidationPrice),
    owner: (a, b) => a.owner.localeCompare(b.owner),
  };
  return [...rows].sort(f[by]);
}

export function fmtWad(v: bigint, digits = 4): string {
  if (v === MAX_UINT256) return '∞';
  const s = formatUnits(v, 18);
  const [i, d = ''] = s.split('.');
  return d === '' ? (i ?? s) : `${i ?? ''}.${d.slice(0, digits)}`;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), ...rows.map(line)].join('\n');
}

export function vaultTable(rows: readonly VaultRow[]): string {
  return table(
    ['ilk', 'owner', 'collateral', 'debt', 'health', 'liq. price'],
    rows.map((r) => [r.ilk, r.owner, fmtWad(r.collateral * 10n ** BigInt(18 - r.decimals)), fmtWad(r.debt, 2), fmtWad(r.health), fmtWad(r.liquidationPrice, 2)]),
  );
}

export function auctionTable(auctions: readonly AuctionState[], now: bigint, decimalsOf: (ilk: Hex) => number): string {
  return table(
    ['ilk', 'id', 'owner', 'lot', 'tab', 'price', 'age s', 'redo'],
    auctions.map((a) => {
      const st = auctionStatusOf(a, now);
      const dec = decimalsOf(a.ilk);
      return [
        ilkName(a.ilk),
        `${(a.id >> 32n).toString()}/${(a.id & 0xffffffffn).toString()}`,
        a.owner,
        fmtWad(a.lot * 10n ** BigInt(18 - dec)),
        fmtWad(a.tab, 2),
        st ? fmtWad(st.price, 2) : '?',
        (now > a.startedAt ? now - a.startedAt : 0n).toString(),
        st?.needsRedo ? 'yes' : 'no',
      ];
    }),
  );
}
