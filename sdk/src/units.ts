// Fixed-point units shared by the contracts and their TypeScript mirror (docs/contracts.md "Units").

/** One in 18-decimal fixed point: token amounts, prices and debt. */
export const WAD = 10n ** 18n;

/** One in 27-decimal fixed point: per-second rates, rate accumulators and decay factors (`cut`). */
export const RAY = 10n ** 27n;

/** Basis points in one (10,000): premiums, tolerances, caps. */
export const BPS = 10_000n;

/** The largest uint256, the range of every on-chain integer. */
export const MAX_UINT256 = (1n << 256n) - 1n;

/** A RAD amount (45 decimals: `badDebtRad`, `totalDebtRad`) in WAD, rounded down as the contracts divide (`badDebtRad() / RAY`). */
export function radToWad(rad: bigint): bigint {
  return rad / RAY;
}
