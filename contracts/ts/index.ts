// @gavel/contracts: typed ABIs generated from forge artifacts, plus the TypeScript mirror of
// on-chain math.
export * from './generated.ts';
export * from './units.ts';
export * from './curves.ts';
export * from './vault.ts';
export * from './deployment.ts';
