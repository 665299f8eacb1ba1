// Fixed-point units shared by the contracts and their TypeScript mirror (docs/contracts.md "Units").

/** One in 18-decimal fixed point: token amounts, prices and debt. */
export const WAD = 10n ** 18n;

/** One in 27-decimal fixed point: per-second rates, rate accumulators and decay factors (`cut`). */
export const RAY = 10n ** 27n;

/** The largest uint256, the range of every on-chain integer. */
export const MAX_UINT256 = (1n << 256n) - 1n;
