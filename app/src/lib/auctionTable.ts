// Sorting and filtering of the live auctions table. Pure: the page passes rows priced at the
// current chain second.

export interface AuctionRow {
  key: string;
  house: string;
  id: bigint;
  ilkName: string;
  lot: bigint;
  /** lot in WAD (lot × scale) so rows of different decimals compare. */
  lotWad: bigint;
  tab: bigint;
  price: bigint;
  /** Price vs mark, bps; undefined without a mark price. */
  premiumBps: bigint | undefined;
  age: bigint;
  needsRedo: boolean;
}

export type SortKey = 'id' | 'ilk' | 'lot' | 'tab' | 'price' | 'premium' | 'age';
export type SortDir = 'asc' | 'desc';

export interface AuctionFilter {
  ilk: string; // '' for all
  status: 'all' | 'live' | 'needs-redo';
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBy(key: SortKey, a: AuctionRow, b: AuctionRow): number {
  switch (key) {
    case 'id':
      return cmp(a.id, b.id);
    case 'ilk':
      return a.ilkName.localeCompare(b.ilkName);
    case 'lot':
      return cmp(a.lotWad, b.lotWad);
    case 'tab':
      return cmp(a.tab, b.tab);
    case 'price':
      return cmp(a.price, b.price);
    case 'premium':
      return cmp(a.premiumBps ?? 0n, b.premiumBps ?? 0n);
    case 'age':
      return cmp(a.age, b.age);
  }
}

/** Sort keys that rank bargains: an auction nobody can take (it needs a redo) is no bargain. */
const BARGAIN_KEYS: ReadonlySet<SortKey> = new Set<SortKey>(['price', 'premium']);

export function sortAuctions(rows: readonly AuctionRow[], key: SortKey, dir: SortDir): AuctionRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    // By price or vs market, auctions that need a redo sort last in either direction: their price
    // is below the floor or past the tail, and a take of them reverts.
    if (BARGAIN_KEYS.has(key) && a.needsRedo !== b.needsRedo) return a.needsRedo ? 1 : -1;
    // Rows without a market price sort last in either direction.
    if (key === 'premium' && (a.premiumBps === undefined) !== (b.premiumBps === undefined)) {
      return a.premiumBps === undefined ? 1 : -1;
    }
    return sign * compareBy(key, a, b) || a.key.localeCompare(b.key);
  });
}

export function filterAuctions(rows: readonly AuctionRow[], f: AuctionFilter): AuctionRow[] {
  return rows.filter(
    (r) =>
      (f.ilk === '' || r.ilkName === f.ilk) &&
      (f.status === 'all' || (f.status === 'needs-redo' ? r.needsRedo : !r.needsRedo)),
  );
}
