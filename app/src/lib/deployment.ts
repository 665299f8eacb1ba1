// The deployment file (deployments/<chainId>.json) as the app reads it: addresses of every
// contract, the block it was deployed at, and each collateral type. Validated with zod so a shape
// change in the deploy script fails here, in one place, with a readable message.
import { getAddress, isAddress, isHex, type Address, type Hex } from 'viem';
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
});

export type Ilk = z.output<typeof ilkSchema>;
export type Deployment = z.output<typeof deploymentSchema>;

/** The JSON the API route serves: the raw file, or why there is none. */
export type DeploymentResponse =
  | { status: 'ok'; deployment: unknown }
  | { status: 'missing'; path: string }
  | { status: 'invalid'; path: string; message: string };

export type ParsedDeployment = { ok: true; deployment: Deployment } | { ok: false; message: string };

/** Validates a deployment file's content; the message names every bad field. */
export function parseDeployment(raw: unknown): ParsedDeployment {
  const r = deploymentSchema.safeParse(raw);
  if (r.success) return { ok: true, deployment: r.data };
  const message = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return { ok: false, message };
}
