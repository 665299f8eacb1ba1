import { vaultEngineAbi } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import { getAbiItem, type PublicClient } from 'viem';
import type { Deployment } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';
import { countUnsafe, unsafeVaults, vaultsFromLogs, type IlkRisk, type VaultLog } from '../lib/unsafe.ts';

/**
 * Unsafe vaults per ilk at the latest block: every vault rebuilt from the engine's VaultChanged
 * and Seized logs since deployment (one eth_getLogs), checked at that block's spot and rate.
 * One range query from the deployment block suits the local chain and small deployments; a
 * long-lived network needs the keeper's incremental index instead.
 */
async function fetchUnsafe(client: PublicClient, d: Deployment) {
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const [logs, infos] = await Promise.all([
    client.getLogs({
      address: d.engine,
      events: [getAbiItem({ abi: vaultEngineAbi, name: 'VaultChanged' }), getAbiItem({ abi: vaultEngineAbi, name: 'Seized' })],
      fromBlock: d.block,
      toBlock: blockNumber,
      strict: true,
    }),
    Promise.all(
      d.ilks.map(async (i) => {
        const info = await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [i.id], blockNumber });
        return [i.id.toLowerCase(), { scale: info.scale, spot: info.spot, rate: info.rate }] as const;
      }),
    ),
  ]);
  const vaultLogs: VaultLog[] = logs.map((l) => ({
    kind: l.eventName === 'VaultChanged' ? 'changed' : 'seized',
    ilk: l.args.ilk,
    owner: l.args.owner,
    collateral: l.args.collateral,
    normalizedDebt: l.args.normalizedDebt,
    blockNumber: l.blockNumber,
    logIndex: l.logIndex,
  }));
  const risks = new Map<string, IlkRisk>(infos);
  const vaults = vaultsFromLogs(vaultLogs);
  const perIlk = countUnsafe(vaults.values(), risks);
  let total = 0;
  for (const n of perIlk.values()) total += n;
  return { blockNumber, vaults: vaults.size, total, perIlk, list: unsafeVaults(vaults.values(), risks) };
}

export type UnsafeVaults = Awaited<ReturnType<typeof fetchUnsafe>>;

export function unsafeVaultsQueryOptions(client: PublicClient, d: Deployment) {
  return queryOptions({ queryKey: [...familyKey('overview'), 'unsafe', d.chainId] as const, queryFn: () => fetchUnsafe(client, d) });
}
