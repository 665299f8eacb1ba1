// The deployment file the forge scripts write (contracts/script/lib/GavelDeployment.sol:
// deployments/<chainId>.json, or $GAVEL_DEPLOYMENTS_FILE), validated with zod: the one definition
// of its shape for the app and the demo, so a change in the deploy script fails in one place with a
// message naming the field. `dex` and `seed` are written by SeedLocal.s.sol on a local chain.
import { type Address, type Hex, getAddress, isAddress, isHex } from 'viem';
import { z } from 'zod';

const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), 'not an address')
  .transform((s): Address => getAddress(s));

const bytes32 = z
  .string({ error: 'must be a bytes32 hex' })
  .refine((s) => isHex(s) && s.length === 66, 'must be a bytes32 hex')
  .transform((s): Hex => s.toLowerCase() as Hex);

const blockNumber = z.union([z.number().int().nonnegative(), z.string().regex(/^(0x[0-9a-fA-F]+|\d+)$/)]).transform((v) => BigInt(v));

export const ilkSchema = z.object({
  name: z.string().min(1),
  id: bytes32,
  token: address,
  decimals: z.number().int().min(0).max(18),
  oracle: address,
  feeds: z.array(address).default([]),
  house: address,
});

export const deploymentSchema = z.object({
  /** With `genesisHash`, the chain's identity: clients refuse a file from another chain ({@link checkDeploymentChain}). */
  chainId: z.number().int().positive(),
  /** Hash of the chain's block 0 (Deploy.s.sol reads it from the node). */
  genesisHash: bytes32,
  block: blockNumber,
  /** The Timelock that owns every owned contract. */
  governance: address.optional(),
  /** The CircuitBreaker wired to every house. */
  breaker: address.optional(),
  engine: address,
  stablecoin: address,
  fund: address,
  spotter: address,
  liquidationEngine: address,
  flashTaker: address.optional(),
  /** The PreLiquidation (opt-in soft liquidation); absent in files written before issue 17. */
  preLiquidation: address.optional(),
  /** The CollateralTopUpHook (an allow-listed rescue hook). */
  topUpHook: address.optional(),
  /**
   * The PortfolioEngine (portfolio margin, issue #18): written by Deploy.s.sol when its config has a
   * `portfolio` section; absent otherwise and in files written before it.
   */
  portfolioEngine: address.optional(),
  /**
   * The engine ilk (bytes32 hex, lowercase) that books portfolio debt, margined by `portfolioEngine`: a
   * debt line with no collateral, oracle or house, not one of `ilks` (skip it when listing the engine's ilks).
   */
  portfolioIlk: bytes32.optional(),
  ilks: z.array(ilkSchema),
  /** Uniswap V2 of a seeded local chain. */
  dex: z.object({ factory: address, router: address, pairs: z.record(z.string(), address) }).optional(),
  /** The seeded vaults of a local chain: owners are the mnemonic's accounts from firstAccountIndex. */
  seed: z.object({ vaults: z.number().int().min(0), firstAccountIndex: z.number().int().min(0), mnemonic: z.string().min(1) }).optional(),
});

export type Ilk = z.output<typeof ilkSchema>;
export type Deployment = z.output<typeof deploymentSchema>;

export type ParsedDeployment = { ok: true; deployment: Deployment } | { ok: false; message: string };

/** Validates a deployment file's content; the message names every bad field. */
export function parseDeployment(raw: unknown): ParsedDeployment {
  const r = deploymentSchema.safeParse(raw);
  if (r.success) return { ok: true, deployment: r.data };
  const message = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return { ok: false, message };
}

/** What {@link checkDeploymentChain} reads from a node; a viem `PublicClient` is one. */
export interface ChainIdentityReader {
  getChainId: () => Promise<number>;
  getBlock: (args: { blockNumber: bigint }) => Promise<{ hash: Hex | null }>;
}

/** A deployment file that belongs to another chain than the node's (one-line message). */
export class DeploymentChainError extends Error {
  override readonly name = 'DeploymentChainError';
}

/**
 * Checks that `deployment` was made on the chain `client` talks to: same `eth_chainId` and the same
 * block 0 hash (two anvil chains share chain id 31337, a fork or a restarted node does not share the
 * genesis). Throws a {@link DeploymentChainError} with a one-line message on a mismatch; RPC
 * failures propagate as they are.
 */
export async function checkDeploymentChain(deployment: Pick<Deployment, 'chainId' | 'genesisHash'>, client: ChainIdentityReader): Promise<void> {
  const chainId = await client.getChainId();
  if (chainId !== deployment.chainId) {
    throw new DeploymentChainError(`the deployment is for chain ${deployment.chainId} but the node is chain ${chainId}`);
  }
  const genesis = (await client.getBlock({ blockNumber: 0n })).hash?.toLowerCase();
  if (genesis !== deployment.genesisHash.toLowerCase()) {
    throw new DeploymentChainError(`the deployment is for another chain ${chainId}: genesis ${deployment.genesisHash} but the node's is ${genesis ?? 'unknown'} (redeploy, or point at the node it was made on)`);
  }
}
