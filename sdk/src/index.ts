// @gavel/sdk: the one TypeScript home of the Gavel protocol. Typed ABIs, and every on-chain rule named as
// on chain and differential-tested against the deployed contracts: vault, liquidation, auction (curves),
// oracle, breaker, fund, errors. The deployments file schema is the separate entry '@gavel/sdk/deployment'
// (it builds zod schemas at load, which would otherwise ride along into every app bundle).
export * from './abis.ts';
export * from './units.ts';
export * from './math.ts';
export * from './curves.ts';
export * from './vault.ts';
export * from './liquidation.ts';
export * from './auction.ts';
export * from './adaptive.ts';
export * from './oracle.ts';
export * from './breaker.ts';
export * from './fund.ts';
export * from './errors.ts';
export * from './preLiquidation.ts';
export * from './portfolio.ts';
export * from './portfolioLiquidationPrice.ts';
export * from './rescue.ts';
