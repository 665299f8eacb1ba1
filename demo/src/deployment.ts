// The deployment file the forge scripts write (Deploy.s.sol, then SeedLocal.s.sol adds `dex`,
// `flashTaker` and `seed`), validated: the demo reads addresses from nothing else.

import { readFileSync } from 'node:fs';
import { type Address, type Hex, getAddress, isAddress } from 'viem';
import { z } from 'zod';

const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), { error: 'must be a 0x-prefixed 20-byte address' })
  .transform((s): Address => getAddress(s));
const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, { error: 'must be a bytes32 hex' })
  .transform((s) => s.toLowerCase() as Hex);

export const demoDeploymentSchema = z.object({
  chainId: z.number().int().positive(),
  block: z.number().int().min(0),
  engine: address,
  stablecoin: address,
  fund: address,
  spotter: address,
  liquidationEngine: address,
  flashTaker: address.optional(),
  ilks: z
    .array(
      z.object({
        name: z.string().min(1),
        id: bytes32,
        token: address,
        decimals: z.number().int().min(0).max(18),
        oracle: address,
        feeds: z.array(address),
        house: address,
      }),
    )
    .min(1),
  dex: z
    .object({
      router: address,
      factory: address,
      pairs: z.record(z.string(), address),
    })
    .optional(),
  seed: z
    .object({
      vaults: z.number().int().min(0),
      firstAccountIndex: z.number().int().min(0),
      mnemonic: z.string().min(1),
    })
    .optional(),
});

export type DemoDeployment = z.infer<typeof demoDeploymentSchema>;
export type DemoIlk = DemoDeployment['ilks'][number];

/** Reads and validates a deployment file; throws one line naming the file and the bad field. */
export function readDeployment(file: string): DemoDeployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`deployments file ${file}: ${(e as Error).message}`);
  }
  const r = demoDeploymentSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`deployments file ${file}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return r.data;
}
