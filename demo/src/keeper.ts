// Runs the real keeper CLI (`gavel-keeper run`) against the demo's chain: kick and bid, zero
// capital through the flash taker, the Uniswap V2 pool as the market reference.

import path from 'node:path';
import { type Address, type Hex, toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { ANVIL_MNEMONIC, repoRoot } from '@gavel/contracts/testing';
import type { DemoDeployment } from './deployment.ts';
import { type Managed, startManaged } from './processes.ts';

/** anvil accounts the keeper signs with: one per lane (kick, take, settle). */
export const KEEPER_ACCOUNT_INDEXES = [5, 6, 7] as const;

export interface KeeperAccounts {
  readonly keys: readonly Hex[];
  readonly addresses: readonly Address[];
}

export function keeperAccounts(): KeeperAccounts {
  const accounts = KEEPER_ACCOUNT_INDEXES.map((i) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }));
  const keys = accounts.map((a) => {
    const pk = a.getHdKey().privateKey;
    if (!pk) throw new Error('could not derive a keeper key');
    return toHex(pk);
  });
  return { keys, addresses: accounts.map((a) => a.address) };
}

export interface KeeperRunOptions {
  readonly rpcUrl: string;
  readonly deploymentsFile: string;
  readonly deployment: DemoDeployment;
  readonly keys: readonly Hex[];
  readonly workDir: string;
  /** Stablecoin per ETH, for the keeper's gas-cost estimate. */
  readonly nativePrice: string;
  /** GAVEL_MIN_MARGIN: take only at this fraction below the market (unset: the keeper's default, 0.02). */
  readonly minMargin?: string | undefined;
}

export function startKeeper(o: KeeperRunOptions): Managed {
  const router = o.deployment.dex?.router;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GAVEL_RPC_URLS: o.rpcUrl,
    GAVEL_CHAIN_ID: String(o.deployment.chainId),
    GAVEL_DEPLOYMENTS_FILE: o.deploymentsFile,
    GAVEL_CHECKPOINT_FILE: path.join(o.workDir, 'keeper-checkpoint.sqlite'),
    GAVEL_PRIVATE_KEYS: o.keys.join(','),
    GAVEL_POLL_INTERVAL_MS: '200',
    GAVEL_CAPITAL: router && o.deployment.flashTaker ? 'flash' : 'own',
    GAVEL_REFERENCE: router ? 'dex' : 'oracle',
    GAVEL_NATIVE_PRICE: o.nativePrice,
    GAVEL_SETTLE_INTERVAL_BLOCKS: '20',
    GAVEL_LOG_LEVEL: process.env.GAVEL_DEMO_KEEPER_LOG_LEVEL ?? 'info',
  };
  if (router) env.GAVEL_DEX_ROUTER = router;
  if (o.minMargin !== undefined) env.GAVEL_MIN_MARGIN = o.minMargin;
  return startManaged('keeper', process.execPath, [path.join(repoRoot, 'auction-keeper', 'bin', 'gavel-keeper.mjs'), 'run'], {
    cwd: repoRoot,
    env,
    logFile: path.join(o.workDir, 'keeper.log'),
  });
}
