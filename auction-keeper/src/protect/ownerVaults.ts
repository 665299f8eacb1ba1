// An owner's vaults as the alerts see them: health from the keeper's index (SDK rule), the
// pre-threshold in force from the opt-ins (0 when not opted in or no PreLiquidation is deployed).

import { effectivePreHealth, health } from '@gavel/sdk';
import { type Address, type Hex, getAddress, hexToString } from 'viem';
import type { IndexModel } from '../index/model.ts';
import type { OptIns } from './optIns.ts';

export interface OwnerVault {
  readonly ilk: Hex;
  readonly ilkName: string;
  readonly owner: Address;
  readonly healthWad: bigint;
  /** The pre-threshold in force, WAD; 0 when not opted in. */
  readonly preHealthWad: bigint;
}

export function ilkNameOf(id: Hex): string {
  try {
    return hexToString(id, { size: 32 }).replace(/\0+$/, '');
  } catch {
    return id;
  }
}

/** Vaults of `owner` with debt, one per ilk the index knows. */
export function ownerVaults(model: IndexModel, optIns: OptIns | undefined, ownerAny: Address): OwnerVault[] {
  const owner = getAddress(ownerAny);
  const out: OwnerVault[] = [];
  const bounds = optIns?.bounds;
  for (const [id, ilk] of model.ilks) {
    const v = model.vault(id, owner);
    if (v.normalizedDebt === 0n) continue;
    const params = optIns?.get(id, owner);
    out.push({
      ilk: id,
      ilkName: ilkNameOf(id),
      owner,
      healthWad: health(v.collateral, v.normalizedDebt, { spot: ilk.spot, rate: ilk.rate, scale: ilk.scale }),
      preHealthWad: params && bounds ? effectivePreHealth(params, bounds) : 0n,
    });
  }
  return out;
}

/** True when the owner has any vault (collateral or debt) in the index. */
export function hasVault(model: IndexModel, ownerAny: Address): boolean {
  const owner = getAddress(ownerAny);
  for (const id of model.ilks.keys()) {
    const v = model.vault(id, owner);
    if (v.collateral > 0n || v.normalizedDebt > 0n) return true;
  }
  return false;
}
