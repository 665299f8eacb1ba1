// @gavel/contracts: typed ABIs generated from forge artifacts, plus the TypeScript mirror of
// on-chain math.
export * from './generated.ts';
export * from './units.ts';
export * from './curves.ts';
export * from './vault.ts';
// The deployment file's schema is a separate entry point, '@gavel/contracts/deployment': it
// builds zod schemas at load, which would otherwise ride along into every app bundle.
