// deployments/<chainId>.json, written by contracts/script/Deploy.s.sol: the addresses the keeper
// indexes and the block to backfill from. Adjust `deploymentSchema` if the deploy script's shape
// changes; everything else reads the parsed `Deployment`.

import { readFileSync } from 'node:fs';
import { type Address, type Hex, getAddress, isAddress, stringToHex } from 'viem';
import { z } from 'zod';
import { ConfigError } from './config.ts';

const address = z
  .string({ error: 'must be an address' })
  .refine((s) => isAddress(s, { strict: false }), { error: 'must be a 0x-prefixed 20-byte address' })
  .transform((s): Address => getAddress(s));

/** An ilk id: a bytes32 hex, or its short name ("ETH-A") which is encoded like Solidity's `bytes32("ETH-A")`. */
const ilkId = z
  .string({ error: 'must be a bytes32 hex or a name' })
  .refine((s) => /^0x[0-9a-fA-F]{64}$/.test(s) || (s.length > 0 && s.length <= 32 && !s.startsWith('0x')), {
    error: 'must be a bytes32 hex or a name of at most 32 characters',
  })
  .transform((s): Hex => (s.startsWith('0x') ? (s.toLowerCase() as Hex) : stringToHex(s, { size: 32 })));

const blockNumber = z
  .union([z.number().int().min(0), z.string().regex(/^(0x[0-9a-fA-F]+|\d+)$/)], { error: 'must be a block number' })
  .transform((v) => BigInt(v));

export const deploymentSchema = z.object({
  chainId: z.number().int().positive().optional(),
  engine: address,
  stablecoin: address.optional(),
  fund: address.optional(),
  spotter: address.optional(),
  liquidationEngine: address.optional(),
  flashTaker: address.optional(),
  ilks: z.array(
    z.object({
      name: z.string().min(1),
      id: ilkId.optional(),
      token: address,
      decimals: z.number().int().min(0).max(18),
      oracle: address.optional(),
      house: address,
    }),
  ),
  /** The block the system was deployed at: backfill starts there. */
  block: blockNumber,
  /** Written by SeedLocal.s.sol: the local Uniswap V2 (the default router for reference "dex"). */
  dex: z.object({ router: address }).optional(),
});

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
  readonly chainId: number | undefined;
  readonly engine: Address;
  readonly stablecoin: Address | undefined;
  readonly fund: Address | undefined;
  readonly spotter: Address | undefined;
  readonly liquidationEngine: Address | undefined;
  readonly flashTaker: Address | undefined;
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
    engine: d.engine,
    stablecoin: d.stablecoin,
    fund: d.fund,
    spotter: d.spotter,
    liquidationEngine: d.liquidationEngine,
    flashTaker: d.flashTaker,
    ilks: d.ilks.map((i) => ({
      name: i.name,
      id: i.id ?? stringToHex(i.name, { size: 32 }),
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
  if (expectedChainId !== undefined && d.chainId !== undefined && d.chainId !== expectedChainId) {
    throw new ConfigError('chainId', `config: chainId: ${expectedChainId} does not match ${file} (chainId ${d.chainId})`);
  }
  return d;
}
