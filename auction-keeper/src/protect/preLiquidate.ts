// When a pre-liquidation pays: the SDK's quote and preview (PreLiquidation's rules to the wei), the
// collateral valued at a market price, minus the gas. Like a kick, a pre-liquidation is sent only when
// its expected profit clears the configured minimum.
import { type PreLiquidationQuote, preLiquidationProfit, previewPreLiquidation } from '@gavel/sdk';

export interface PreLiquidationDecision {
  readonly send: boolean;
  readonly repaid: bigint;
  readonly collateralOut: bigint;
  /** Collateral value at the market price minus the repayment and the gas, WAD of gUSD (may be negative). */
  readonly profit: bigint;
}

/**
 * Decides one pre-liquidation: repay as much as allowed (up to `maxSpend`), value what comes out at
 * `marketPriceWad` (a DEX quote or the mark), subtract `gasCostWad`; send when profit ≥ `minProfitWad`.
 */
export function decidePreLiquidation(x: {
  quote: PreLiquidationQuote;
  scale: bigint;
  maxSpend: bigint;
  marketPriceWad: bigint;
  gasCostWad: bigint;
  minProfitWad: bigint;
}): PreLiquidationDecision {
  const { repaid, collateralOut } = previewPreLiquidation(x.quote, x.maxSpend, x.scale);
  if (repaid === 0n || collateralOut === 0n) return { send: false, repaid, collateralOut, profit: 0n };
  const profit = preLiquidationProfit(repaid, collateralOut, x.marketPriceWad, x.scale) - x.gasCostWad;
  return { send: profit >= x.minProfitWad, repaid, collateralOut, profit };
}
