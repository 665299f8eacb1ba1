// The keeper's event ABI must match the contracts' generated ABIs selector for selector.
import { collateralAuctionAbi, liquidationEngineAbi, spotterAbi, vaultEngineAbi } from '@gavel/sdk';
import { type Abi, toEventSelector } from 'viem';
import { expect, it } from 'vitest';
import { auctionEvents, liquidationEngineEvents, spotterEvents, vaultEngineEvents } from './events.ts';

function selectors(abi: Abi): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of abi) if (item.type === 'event') m.set(item.name, toEventSelector(item));
  return m;
}

it.each([
  ['VaultEngine', vaultEngineEvents, vaultEngineAbi],
  ['CollateralAuction', auctionEvents, collateralAuctionAbi],
  ['Spotter', spotterEvents, spotterAbi],
  ['LiquidationEngine', liquidationEngineEvents, liquidationEngineAbi],
] as const)('%s events match the generated ABI', (_name, mine, generated) => {
  const theirs = selectors(generated);
  for (const [name, sel] of selectors(mine)) expect(theirs.get(name), name).toBe(sel);
});
