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
  .string()
  .refine((s) => isHex(s) && s.length === 66, 'not a bytes32 hex string')
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
  chainId: z.number().int().positive(),
  block: blockNumber,
  engine: address,
  stablecoin: address,
  fund: address,
  spotter: address,
  liquidationEngine: address,
  flashTaker: address.optional(),
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
