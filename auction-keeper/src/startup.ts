// Startup checks of `gavel-keeper run`: a keeper that is misconfigured must not go live indexing
// nothing. Before anything starts, over every configured RPC URL (JSON-RPC batches: one round trip
// per URL for the chain facts, one for the contracts, one for the balances):
//  - every URL answers (a dead URL at start is a configuration error: fix or remove it);
//  - every URL serves the configured chain id, and the deployment's genesis hash when the
//    deployments file records (`checkDeploymentChain` of the SDK);
//  - every configured address holds the expected contract: code present and a cheap identity call
//    answers and agrees (the liquidation engine's and each house's `vaultEngine()` is the engine,
//    each house's `ilk()` its ilk, the engine's `stablecoin()` the deployment's stablecoin);
//  - every lane account has ETH to pay for gas.
// Any failure is one line (`config: <field>: ...`) and exit code 2. Troubles after start are
// reported by /healthz and the metrics instead (src/keeper.ts).

import { collateralAuctionAbi, liquidationEngineAbi, vaultEngineAbi } from '@gavel/sdk';
import { DeploymentChainError, checkDeploymentChain } from '@gavel/sdk/deployment';
import { type Address, type PublicClient, createPublicClient, formatEther, http } from 'viem';
import { ConfigError, type KeeperConfig } from './config/config.ts';
import type { Deployment } from './config/deployments.ts';
import { redactUrl, shortError } from './rpc/pool.ts';

export interface StartupInput {
  readonly config: KeeperConfig;
  readonly deployment: Deployment;
  /** Lane → account address (lanes may share one). */
  readonly lanes: Readonly<Record<string, Address>>;
  /** Per-request timeout. Default 5 s. */
  readonly timeoutMs?: number;
}

function clientFor(url: string, timeoutMs: number): PublicClient {
  return createPublicClient({ transport: http(url, { batch: true, retryCount: 0, timeout: timeoutMs }), cacheTime: 0 });
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Runs every startup check; throws ConfigError (one line) on the first failure. */
export async function startupChecks(input: StartupInput): Promise<void> {
  const { config, deployment } = input;
  const timeoutMs = input.timeoutMs ?? 5_000;
  const clients = config.rpcUrls.map((url) => clientFor(url, timeoutMs));
  // 1. Every URL answers and serves the configured chain.
  await firstFailure(
    clients.map(async (client, i) => {
      const where = `rpcUrls.${i} (${redactUrl(config.rpcUrls[i] ?? '')})`;
      let chainId: number;
      try {
        chainId = await client.getChainId();
      } catch (err) {
        throw new ConfigError(`rpcUrls.${i}`, `config: ${where}: does not answer: ${shortError(err)}`);
      }
      if (chainId !== config.chainId) throw new ConfigError('chainId', `config: chainId: the RPC at ${where} serves chain ${chainId}, the config says ${config.chainId}`);
      // The deployments file's chain identity (chain id and block 0's hash): the SDK's one check.
      try {
        await checkDeploymentChain(deployment, client);
      } catch (err) {
        if (err instanceof DeploymentChainError) throw new ConfigError('deploymentsFile', `config: deploymentsFile (${config.deploymentsFile}): ${err.message} [${where}]`);
        throw err;
      }
    }),
  );
  const client = clients[0];
  if (!client) throw new ConfigError('rpcUrls', 'config: rpcUrls: needs at least one URL');
  // 2. The contracts (one batch).
  const expect = async (field: string, address: Address, what: string, read: () => Promise<unknown>, want?: string): Promise<void> => {
    const code = await client.getCode({ address }).catch(() => undefined);
    if (code === undefined || code === '0x') throw new ConfigError(`deployments.${field}`, `config: deployments: ${field}: no contract at ${address} on chain ${config.chainId} (expected the ${what})`);
    let got: unknown;
    try {
      got = await read();
    } catch (err) {
      throw new ConfigError(`deployments.${field}`, `config: deployments: ${field}: ${address} is not the ${what} (identity call failed: ${shortError(err)})`);
    }
    if (want !== undefined && (typeof got !== 'string' || !same(got, want))) {
      throw new ConfigError(`deployments.${field}`, `config: deployments: ${field}: ${address} is not the ${what} (it answers ${String(got)}, expected ${want})`);
    }
  };
  const engine = deployment.engine;
  const checks: Promise<void>[] = [
    expect('engine', engine, 'VaultEngine', () => client.readContract({ address: engine, abi: vaultEngineAbi, functionName: 'stablecoin' }), deployment.stablecoin),
  ];
  if (deployment.liquidationEngine) {
    const le = deployment.liquidationEngine;
    checks.push(expect('liquidationEngine', le, 'LiquidationEngine', () => client.readContract({ address: le, abi: liquidationEngineAbi, functionName: 'vaultEngine' }), engine));
  }
  deployment.ilks.forEach((ilk, i) => {
    checks.push(expect(`ilks.${i}.house`, ilk.house, `CollateralAuction of ${ilk.name}`, () => client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'ilk' }), ilk.id));
    checks.push(expect(`ilks.${i}.house`, ilk.house, `CollateralAuction of ${ilk.name}`, () => client.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'vaultEngine' }), engine));
  });
  if (deployment.stablecoin) {
    const sc = deployment.stablecoin;
    checks.push(expect('stablecoin', sc, 'stablecoin', () => client.getCode({ address: sc })));
  }
  if (config.capital === 'flash' && deployment.flashTaker) {
    const ft = deployment.flashTaker;
    checks.push(expect('flashTaker', ft, 'flash taker', () => client.getCode({ address: ft })));
  }
  await firstFailure(checks);
  // 3. Every lane account can pay for gas.
  const byAccount = new Map<string, { address: Address; lanes: string[] }>();
  for (const [lane, address] of Object.entries(input.lanes)) {
    const e = byAccount.get(address.toLowerCase()) ?? { address, lanes: [] };
    e.lanes.push(lane);
    byAccount.set(address.toLowerCase(), e);
  }
  await Promise.all(
    [...byAccount.values()].map(async ({ address, lanes }) => {
      const balance = await client.getBalance({ address });
      if (balance === 0n) throw new ConfigError('keys', `config: keys: account ${address} (lane ${lanes.join(', ')}) has no ETH on chain ${config.chainId} to pay for gas (balance ${formatEther(balance)})`);
    }),
  );
}

/** Waits for every check (run in parallel, one round trip) and throws the first failure in list order. */
async function firstFailure(checks: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(checks);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

/** The deployments file's genesis hash, when it records one (written by the deploy script from round 2). */
