// deployments/<chainId>.json, written by contracts/script/Deploy.s.sol: the addresses the keeper
// indexes and the block to backfill from. The file's one schema is the SDK's (`@gavel/sdk/deployment`);
// this module turns its result into the keeper's view and its errors into one-line ConfigErrors.

import { readFileSync } from 'node:fs';
import { deploymentSchema } from '@gavel/sdk/deployment';
import type { Address, Hex } from 'viem';
import { ConfigError } from './config.ts';

export interface DeployedIlk {
  readonly name: string;
  /** bytes32 ilk id, lowercase hex. */
  readonly id: Hex;
  readonly token: Address;
  readonly decimals: number;
  readonly oracle: Address | undefined;
  /** The ilk's CollateralAuction. */
  readonly house: Address;
}

export interface Deployment {
  readonly chainId: number;
  /** Hash of the chain's block 0. */
  readonly genesisHash: Hex;
  readonly engine: Address;
  readonly stablecoin: Address | undefined;
  readonly fund: Address | undefined;
  readonly spotter: Address | undefined;
  readonly liquidationEngine: Address | undefined;
  readonly flashTaker: Address | undefined;
  /** The PreLiquidation (opt-in soft liquidation, issue 17); absent in older deployments files. */
  readonly preLiquidation?: Address | undefined;
  /** The PortfolioEngine (portfolio margin, issue 18); absent when the deployment has none. */
  readonly portfolioEngine?: Address | undefined;
  /** The vault engine's ilk that books portfolio debt (bytes32, lowercase hex), with `portfolioEngine`. */
  readonly portfolioIlk?: Hex | undefined;
  readonly ilks: readonly DeployedIlk[];
  readonly block: bigint;
  /** Uniswap V2 router from the deployment's `dex` section (SeedLocal), if any. */
  readonly dexRouter?: Address | undefined;
}

/** Validates a parsed deployments object; throws a one-line {@link ConfigError}. */
export function parseDeployment(value: unknown, where = 'deployments'): Deployment {
  const r = deploymentSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    throw new ConfigError(`deployments.${field}`, `config: ${where}: ${field || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const d = r.data;
  return {
    chainId: d.chainId,
    genesisHash: d.genesisHash,
    engine: d.engine,
    stablecoin: d.stablecoin,
    fund: d.fund,
    spotter: d.spotter,
    liquidationEngine: d.liquidationEngine,
    flashTaker: d.flashTaker,
    preLiquidation: d.preLiquidation,
    portfolioEngine: d.portfolioEngine,
    portfolioIlk: d.portfolioIlk,
    ilks: d.ilks.map((i) => ({
      name: i.name,
      id: i.id,
      token: i.token,
      decimals: i.decimals,
      oracle: i.oracle,
      house: i.house,
    })),
    block: d.block,
    dexRouter: d.dex?.router,
  };
}

/** Reads and validates deployments/<chainId>.json. */
export function loadDeployment(file: string, expectedChainId?: number): Deployment {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError('deploymentsFile', `config: deploymentsFile: cannot read ${file}: ${e.code ?? e.message.split('\n')[0] ?? ''}`);
  }
  const d = parseDeployment(parsed, file);
  if (expectedChainId !== undefined && d.chainId !== expectedChainId) {
    throw new ConfigError('chainId', `config: chainId: ${expectedChainId} does not match ${file} (chainId ${d.chainId})`);
  }
  return d;
}
