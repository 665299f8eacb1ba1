// Owner protection of one vault, read from chain: the owner's pre-liquidation parameters and governance's
// bounds (PreLiquidation), the registered rescue hook and the governance allow-list (LiquidationEngine),
// the top-up reserve with the owner's balance and allowance to the hook (CollateralTopUpHook), and the
// vault's recent protection events. The rules that turn these into a band, a preview or a rescue are the SDK's.
import { collateralTopUpHookAbi, liquidationEngineAbi, preLiquidationAbi, type PreLiquidationBounds, type PreLiquidationParams, type TopUpReserve } from '@gavel/sdk';
import { queryOptions } from '@tanstack/react-query';
import { erc20Abi, getAbiItem, zeroAddress, type Address, type Hex, type PublicClient } from 'viem';
import type { Deployment, Ilk } from '../lib/deployment.ts';
import { familyKey } from '../lib/liveKeys.ts';

/** How far back the card looks for the vault's pre-liquidations and rescues. */
const LOOKBACK_BLOCKS = 5_000n;

/** A hook governance allows, and what the app knows it to be. */
export interface AllowedHook {
  address: Address;
  /** `top-up`: the deployment's CollateralTopUpHook (the app can manage its reserve); `other`: any other allowed contract. */
  kind: 'top-up' | 'other';
}

export type ProtectionEvent =
  | { kind: 'pre-liquidate'; key: string; block: bigint; tx: Hex; caller: Address; repaid: bigint; collateralOut: bigint; incentiveWad: bigint; healthBeforeWad: bigint; healthAfterWad: bigint }
  | { kind: 'topped-up'; key: string; block: bigint; tx: Hex; amount: bigint; reserveLeft: bigint }
  | { kind: 'rescued'; key: string; block: bigint; tx: Hex; hook: Address };

export interface Protection {
  /** Absent when the deployment has no PreLiquidation. */
  pre: { address: Address; params: PreLiquidationParams; bounds: PreLiquidationBounds } | undefined;
  /** The hook registered for this vault (undefined: none), and whether governance still allows it. */
  hook: Address | undefined;
  hookAllowed: boolean;
  /** Every hook governance allows now (from its `RescueHookAllowed` logs, each checked with `isRescueHookAllowed`). */
  allowedHooks: AllowedHook[];
  /** Absent when the deployment has no CollateralTopUpHook. */
  topUp: { address: Address; reserve: TopUpReserve; balance: bigint; allowance: bigint } | undefined;
  /** Most recent first. */
  events: ProtectionEvent[];
}

async function allowedHooks(client: PublicClient, d: Deployment): Promise<AllowedHook[]> {
  const logs = await client.getLogs({ address: d.liquidationEngine, event: getAbiItem({ abi: liquidationEngineAbi, name: 'RescueHookAllowed' }), fromBlock: d.block });
  const candidates = new Set<Address>();
  if (d.topUpHook) candidates.add(d.topUpHook);
  for (const l of logs) if (l.args.hook) candidates.add(l.args.hook);
  const checked = await Promise.all(
    [...candidates].map(async (address) => ({
      address,
      allowed: await client.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'isRescueHookAllowed', args: [address] }),
    })),
  );
  return checked.filter((c) => c.allowed).map((c) => ({ address: c.address, kind: d.topUpHook && c.address.toLowerCase() === d.topUpHook.toLowerCase() ? 'top-up' : 'other' }));
}

async function vaultEvents(client: PublicClient, d: Deployment, ilk: Hex, owner: Address): Promise<ProtectionEvent[]> {
  // Uncached: viem caches the block number for its polling interval, so a refresh right after a new block
  // would read up to the block before and miss the event that block carries (nothing refreshes it again).
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  const fromBlock = latest > d.block + LOOKBACK_BLOCKS ? latest - LOOKBACK_BLOCKS : d.block;
  const [pre, topped, rescued] = await Promise.all([
    d.preLiquidation
      ? client.getLogs({ address: d.preLiquidation, event: getAbiItem({ abi: preLiquidationAbi, name: 'PreLiquidate' }), args: { ilk, owner }, fromBlock, toBlock: latest })
      : Promise.resolve([]),
    d.topUpHook
      ? client.getLogs({ address: d.topUpHook, event: getAbiItem({ abi: collateralTopUpHookAbi, name: 'ToppedUp' }), args: { ilk, owner }, fromBlock, toBlock: latest })
      : Promise.resolve([]),
    client.getLogs({ address: d.liquidationEngine, event: getAbiItem({ abi: liquidationEngineAbi, name: 'Rescued' }), args: { ilk, owner }, fromBlock, toBlock: latest }),
  ]);
  const key = (l: { transactionHash: Hex; logIndex: number }): string => `${l.transactionHash}-${l.logIndex}`;
  const out: ProtectionEvent[] = [
    ...pre.map((l) => ({
      kind: 'pre-liquidate' as const,
      key: key(l),
      block: l.blockNumber,
      tx: l.transactionHash,
      caller: l.args.caller ?? zeroAddress,
      repaid: l.args.repaid ?? 0n,
      collateralOut: l.args.collateralOut ?? 0n,
      incentiveWad: l.args.incentiveWad ?? 0n,
      healthBeforeWad: l.args.healthBeforeWad ?? 0n,
      healthAfterWad: l.args.healthAfterWad ?? 0n,
    })),
    ...topped.map((l) => ({ kind: 'topped-up' as const, key: key(l), block: l.blockNumber, tx: l.transactionHash, amount: l.args.amount ?? 0n, reserveLeft: l.args.reserveLeft ?? 0n })),
    ...rescued.map((l) => ({ kind: 'rescued' as const, key: key(l), block: l.blockNumber, tx: l.transactionHash, hook: l.args.hook ?? zeroAddress })),
  ];
  return out.sort((a, b) => (a.block === b.block ? b.key.localeCompare(a.key) : a.block > b.block ? -1 : 1));
}

async function fetchProtection(client: PublicClient, d: Deployment, ilk: Ilk, owner: Address): Promise<Protection> {
  const pre = d.preLiquidation;
  const hookAddress = d.topUpHook;
  const [preState, registered, allowed, topUp, events] = await Promise.all([
    pre
      ? Promise.all([
          client.readContract({ address: pre, abi: preLiquidationAbi, functionName: 'params', args: [ilk.id, owner] }),
          client.readContract({ address: pre, abi: preLiquidationAbi, functionName: 'bounds' }),
        ]).then(([params, bounds]) => ({ address: pre, params, bounds }))
      : Promise.resolve(undefined),
    client.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'rescueHook', args: [ilk.id, owner] }),
    allowedHooks(client, d),
    hookAddress
      ? Promise.all([
          client.readContract({ address: hookAddress, abi: collateralTopUpHookAbi, functionName: 'reserve', args: [ilk.id, owner] }),
          client.readContract({ address: ilk.token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }),
          client.readContract({ address: ilk.token, abi: erc20Abi, functionName: 'allowance', args: [owner, hookAddress] }),
        ]).then(([r, balance, allowance]) => ({ address: hookAddress, reserve: { maxAmount: r.maxAmount, targetHealthWad: r.targetHealthWad }, balance, allowance }))
      : Promise.resolve(undefined),
    vaultEvents(client, d, ilk.id, owner),
  ]);
  const hook = registered === zeroAddress ? undefined : registered;
  const hookAllowed = hook !== undefined && allowed.some((h) => h.address.toLowerCase() === hook.toLowerCase());
  return { pre: preState, hook, hookAllowed, allowedHooks: allowed, topUp, events };
}

/** Owner protection of `owner`'s vault of `ilk` (refreshed with the vault cards). */
export function protectionQueryOptions(client: PublicClient, d: Deployment, ilk: Ilk, owner: Address) {
  return queryOptions({ queryKey: [...familyKey('vaults'), d.chainId, owner, ilk.id, 'protection'] as const, queryFn: () => fetchProtection(client, d, ilk, owner) });
}
