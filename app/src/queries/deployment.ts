import { queryOptions } from '@tanstack/react-query';
import type { Deployment, DeploymentResponse } from '../lib/deployment.ts';
import { CHAIN_ID } from '../lib/env.ts';

export type DeploymentState =
  | { status: 'ok'; deployment: Deployment }
  | { status: 'missing'; path: string }
  | { status: 'invalid'; message: string }
  | { status: 'wrong-chain'; chainId: number }
  | { status: 'wrong-genesis'; message: string };

async function fetchDeployment(): Promise<DeploymentState> {
  const res = await fetch('/api/deployment', { cache: 'no-store' });
  const body = (await res.json()) as DeploymentResponse;
  if (body.status === 'missing') return { status: 'missing', path: body.path };
  if (body.status === 'invalid') return { status: 'invalid', message: `${body.path}: ${body.message}` };
  // The zod schema loads on demand, off the first-load bundle.
  const { parseDeployment } = await import('../lib/deployment.ts');
  const parsed = parseDeployment(body.deployment);
  if (!parsed.ok) return { status: 'invalid', message: parsed.message };
  if (parsed.deployment.chainId !== CHAIN_ID) return { status: 'wrong-chain', chainId: parsed.deployment.chainId };
  // The node must be the chain the file was made on (same id is not enough: every anvil is 31337).
  // A node that does not answer is the RPC-down banner's job, not a reason to refuse the file.
  const { checkDeploymentChain, DeploymentChainError } = await import('../lib/deployment.ts');
  const { publicClient } = await import('../wallet/chain.ts');
  try {
    await checkDeploymentChain(parsed.deployment, publicClient);
  } catch (e) {
    if (e instanceof DeploymentChainError) return { status: 'wrong-genesis', message: e.message };
  }
  return { status: 'ok', deployment: parsed.deployment };
}

/** The deployment file, from the app's own API route; re-checked every 5 s until one exists. */
export function deploymentQueryOptions() {
  return queryOptions({
    queryKey: ['gavel', 'deployment'] as const,
    queryFn: fetchDeployment,
    staleTime: Infinity,
    refetchInterval: (q) => (q.state.data?.status === 'ok' ? false : 5_000),
  });
}
