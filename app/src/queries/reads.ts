// Small typed readers shared by the query factories.
import { collateralAuctionAbi, iFeedAbi, liquidationEngineAbi, medianOracleAbi, vaultEngineAbi } from '@gavel/sdk';
import { erc20Abi, type Address, type Hex, type PublicClient } from 'viem';
import type { Tier } from '../lib/auction.ts';

export async function markPrice(client: PublicClient, oracle: Address): Promise<{ price: bigint; valid: boolean }> {
  try {
    const [price, valid] = await client.readContract({ address: oracle, abi: medianOracleAbi, functionName: 'peek' });
    return { price, valid };
  } catch {
    return { price: 0n, valid: false };
  }
}

export async function feedPrice(client: PublicClient, feed: Address): Promise<{ feed: Address; price?: bigint; updatedAt?: bigint }> {
  try {
    const [price, updatedAt] = await client.readContract({ address: feed, abi: iFeedAbi, functionName: 'read' });
    return { feed, price, updatedAt };
  } catch {
    return { feed };
  }
}

export async function ilkInfo(client: PublicClient, engine: Address, ilk: Hex) {
  return client.readContract({ address: engine, abi: vaultEngineAbi, functionName: 'ilks', args: [ilk] });
}

export async function ilkConfig(client: PublicClient, liquidationEngine: Address, ilk: Hex) {
  return client.readContract({ address: liquidationEngine, abi: liquidationEngineAbi, functionName: 'ilkConfig', args: [ilk] });
}

export async function tokenSymbol(client: PublicClient, token: Address, fallback: string): Promise<string> {
  try {
    return await client.readContract({ address: token, abi: erc20Abi, functionName: 'symbol' });
  } catch {
    return fallback;
  }
}

export async function readTier(client: PublicClient, house: Address, tierId: number): Promise<Tier> {
  const t = await client.readContract({ address: house, abi: collateralAuctionAbi, functionName: 'tier', args: [BigInt(tierId)] });
  return {
    kind: t.kind,
    cutRay: t.cutRay,
    periodSeconds: t.periodSeconds,
    tailSeconds: t.tailSeconds,
    floorWad: t.floorWad,
    startPremiumBps: t.startPremiumBps,
  };
}
