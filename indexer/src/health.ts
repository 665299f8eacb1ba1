// A vault's derived figures from the ilk's books, by the engine's own rules (@gavel/sdk): debt rounded
// up, health and liquidation price as the views return them, safe as isSafe. The indexer never
// computes these itself.
import { debtOf, health, isSafe, liquidationPrice, MAX_UINT256 } from '@gavel/sdk';

export interface IlkBooks {
  readonly rate: bigint;
  readonly spot: bigint;
  readonly scale: bigint;
  readonly liquidationRatio: bigint;
}

export interface VaultFigures {
  readonly debt: bigint;
  /** null without debt (the view returns MAX_UINT256) or where the view would revert. */
  readonly health: bigint | null;
  readonly safe: boolean;
  /** null without debt or collateral, or where the view would revert. */
  readonly liquidationPrice: bigint | null;
}

function orNull(f: () => bigint): bigint | null {
  try {
    const v = f();
    return v === MAX_UINT256 ? null : v;
  } catch {
    // The view reverts (FullMulDivFailed) for absurd books; the indexer records "undefined".
    return null;
  }
}

export function vaultFigures(collateral: bigint, normalizedDebt: bigint, ilk: IlkBooks): VaultFigures {
  const debt = debtOf(normalizedDebt, ilk.rate);
  return {
    debt,
    health: debt === 0n ? null : orNull(() => health(collateral, normalizedDebt, ilk)),
    safe: isSafe(collateral, normalizedDebt, ilk),
    liquidationPrice: debt === 0n ? null : orNull(() => liquidationPrice(collateral, normalizedDebt, ilk)),
  };
}
