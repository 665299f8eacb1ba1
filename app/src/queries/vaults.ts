import { vaultEngineAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import type { Address, PublicClient } from 'viem';
import type { Deployment, Ilk } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';
import { ilkConfig, ilkInfo, markPrice, tokenSymbol } from './reads.ts';

export interface VaultRow {
  ilk: Ilk;
  symbol: string;
  collateral: bigint;
  normalizedDebt: bigint;
  rate: bigint;
  spot: bigint;
  scale: bigint;
  liquidationRatio: bigint;
  dust: bigint;
  debtCeiling: bigint;
  ilkDebt: bigint;
  mark: bigint;
  penaltyWad: bigint;
  /** The chain's own figures, to show next to ours. */
  chainHealth: bigint;
  chainLiquidationPrice: bigint;
}

async function fetchVaults(client: PublicClient, d: Deployment, owner: Address): Promise<VaultRow[]> {
  return Promise.all(
    d.ilks.map(async (ilk): Promise<VaultRow> => {
      const [[collateral, normalizedDebt], info, mark, config, symbol, health, liquidationPrice] = await Promise.all([
        client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'vault', args: [ilk.id, owner] }),
        ilkInfo(client, d.engine, ilk.id),
        markPrice(client, ilk.oracle),
        ilkConfig(client, d.liquidationEngine, ilk.id),
        tokenSymbol(client, ilk.token, ilk.name),
        client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'health', args: [ilk.id, owner] }),
        client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'liquidationPrice', args: [ilk.id, owner] }),
      ]);
      return {
        ilk,
        symbol,
        collateral,
        normalizedDebt,
        rate: info.rate,
        spot: info.spot,
        scale: info.scale,
        liquidationRatio: info.liquidationRatio,
        dust: info.dust,
        debtCeiling: info.debtCeiling,
        ilkDebt: info.normalizedDebt * info.rate,
        mark: mark.valid ? mark.price : 0n,
        penaltyWad: config.penaltyWad,
        chainHealth: health,
        chainLiquidationPrice: liquidationPrice,
      };
    }),
  );
}

/** `owner`'s vault in every collateral type, with what the health math needs. */
export function vaultsQueryOptions(client: PublicClient, d: Deployment, owner: Address) {
  return queryOptions({ queryKey: [...familyKey('vaults'), d.chainId, owner] as const, queryFn: () => fetchVaults(client, d, owner) });
}
