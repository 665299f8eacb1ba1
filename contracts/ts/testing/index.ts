// @gavel/contracts/testing: helpers for tests against a real anvil node and the forge build.
export * from './anvil.ts';
export * from './artifacts.ts';
export * from './deploy.ts';
export * from './random.ts';
export * from './rpc.ts';
export * from './system.ts';
