// The deployment file the forge scripts write, read with the one schema in @gavel/sdk
// (sdk/src/deployment.ts); a bad file is one line naming the file and the field.

import { readFileSync } from 'node:fs';
import { type Deployment, type Ilk, parseDeployment } from '@gavel/sdk/deployment';

/** Refuses a deployment made on another chain than the client's (chain id and genesis hash). */
export { checkDeploymentChain, DeploymentChainError } from '@gavel/sdk/deployment';

export type DemoDeployment = Deployment;
export type DemoIlk = Ilk;

/** Reads and validates a deployment file; throws one line naming the file and the bad field. */
export function readDeployment(file: string): DemoDeployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`deployments file ${file}: ${(e as Error).message}`);
  }
  const r = parseDeployment(raw);
  if (!r.ok) {
    const [first, ...rest] = r.message.split('; ');
    throw new Error(`deployments file ${file}: ${first ?? 'invalid'}${rest.length > 0 ? ` (and ${rest.length} more)` : ''}`);
  }
  return r.deployment;
}
