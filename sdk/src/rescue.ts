// Rescue-hook rules, mirroring CollateralTopUpHook (contracts/src/periphery/CollateralTopUpHook.sol) to the
// wei: the target-health bounds an owner's reserve must respect, the collateral that brings a vault to its
// target (`shortfall`), what a rescue moves (the smallest of the shortfall, the reserve left, the owner's
// balance and allowance) and the health it leaves. Names as on chain, prefixed `topUp` (one name per quantity).
import { mulDivUp, mulWadUp, min } from './math.ts';
import { MAX_UINT256, WAD } from './units.ts';
import { type IlkRates, health } from './vault.ts';

/** `CollateralTopUpHook.MIN_TARGET_HEALTH_WAD`: the lowest target health a reserve may aim at. */
export const TOP_UP_MIN_TARGET_HEALTH_WAD = 1_010_000_000_000_000_000n;
/** `CollateralTopUpHook.MAX_TARGET_HEALTH_WAD`. */
export const TOP_UP_MAX_TARGET_HEALTH_WAD = 5n * WAD;
/** `Reserve.maxAmount` is a uint128. */
export const TOP_UP_MAX_RESERVE = (1n << 128n) - 1n;

/** `CollateralTopUpHook.Reserve`: at most `maxAmount` (native units) more, up to `targetHealthWad`. */
export interface TopUpReserve {
  readonly maxAmount: bigint;
  readonly targetHealthWad: bigint;
}

/** `setReserve`'s refusal: `TargetHealthOutOfRange(target, min, max)` (only checked for a non-zero amount). */
export interface TopUpReserveError {
  readonly error: 'TargetHealthOutOfRange';
  readonly targetHealthWad: bigint;
  readonly min: bigint;
  readonly max: bigint;
}

/** `setReserve(ilk, maxAmount, targetHealthWad)`'s check; undefined when it passes (maxAmount 0 clears). */
export function checkTopUpReserve(r: TopUpReserve): TopUpReserveError | undefined {
  if (r.maxAmount !== 0n && (r.targetHealthWad < TOP_UP_MIN_TARGET_HEALTH_WAD || r.targetHealthWad > TOP_UP_MAX_TARGET_HEALTH_WAD)) {
    return { error: 'TargetHealthOutOfRange', targetHealthWad: r.targetHealthWad, min: TOP_UP_MIN_TARGET_HEALTH_WAD, max: TOP_UP_MAX_TARGET_HEALTH_WAD };
  }
  return undefined;
}

/**
 * `CollateralTopUpHook.shortfall`: collateral (native units) that brings the vault to `targetHealthWad` at
 * today's spot, `ceil(ceil(debt × target / WAD) × WAD / (scale × spot)) − collateral`, 0 when it is there.
 * `debt` is `VaultEngine.debtOf` (WAD, rounded up). Throws a RangeError at spot 0 (the contract reverts).
 */
export function topUpShortfall(collateral: bigint, debt: bigint, targetHealthWad: bigint, ilk: Pick<IlkRates, 'spot' | 'scale'>): bigint {
  const needed = mulDivUp(mulWadUp(debt, targetHealthWad), WAD, ilk.scale * ilk.spot);
  return needed > collateral ? needed - collateral : 0n;
}

/** What `rescue` reads besides the vault: the reserve and the owner's token balance and allowance to the hook. */
export interface TopUpRescueInputs {
  readonly reserve: TopUpReserve;
  /** `token.balanceOf(owner)`. */
  readonly balance: bigint;
  /** `token.allowance(owner, hook)`. */
  readonly allowance: bigint;
}

/**
 * Collateral `rescue` would add now: 0 without a reserve, else the smallest of the shortfall to the target,
 * the reserve left, the balance and the allowance (`rescue`'s order of `min`s).
 */
export function topUpRescueAmount(collateral: bigint, debt: bigint, ilk: Pick<IlkRates, 'spot' | 'scale'>, x: TopUpRescueInputs): bigint {
  if (x.reserve.maxAmount === 0n) return 0n;
  const shortfall = topUpShortfall(collateral, debt, x.reserve.targetHealthWad, ilk);
  return min(min(min(shortfall, x.reserve.maxAmount), x.balance), x.allowance);
}

/** A rescue's preview: collateral added, reserve left, the vault's health after (WAD, `MAX_UINT256` without debt). */
export interface TopUpRescuePreview {
  readonly amount: bigint;
  readonly reserveLeft: bigint;
  readonly healthAfterWad: bigint;
  /** The vault is safe after (health ≥ 1): the liquidation would stop there (`Rescued`). */
  readonly rescues: boolean;
}

/**
 * What the hook would do to a vault at today's spot: {@link topUpRescueAmount}, then `VaultEngine.health`
 * with that collateral added. `normalizedDebt` and `rate` give the health exactly as the engine computes it.
 */
export function previewTopUpRescue(
  vault: { readonly collateral: bigint; readonly normalizedDebt: bigint; readonly debt: bigint },
  ilk: IlkRates,
  x: TopUpRescueInputs,
): TopUpRescuePreview {
  const amount = topUpRescueAmount(vault.collateral, vault.debt, ilk, x);
  const healthAfterWad = vault.normalizedDebt === 0n ? MAX_UINT256 : health(vault.collateral + amount, vault.normalizedDebt, ilk);
  return { amount, reserveLeft: x.reserve.maxAmount - amount, healthAfterWad, rescues: healthAfterWad >= WAD };
}
