'use client';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { CHAIN_ID } from '../lib/env';
import { LiveUpdates } from '../live/LiveUpdates';
import { deploymentQueryOptions } from '../queries/deployment';
import { DeploymentContext } from './DeploymentContext';
import { Notice, Skeleton } from './ui';

/** Renders the page only once a valid deployment for this chain is loaded; a clear state otherwise. */
export function DeploymentGate({ children }: { children: ReactNode }) {
  const q = useQuery(deploymentQueryOptions());
  if (q.isPending) {
    return (
      <div className="space-y-3" data-testid="deployment-loading">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (q.isError) {
    return (
      <Notice tone="bad" title="Cannot load the deployment" testId="deployment-error">
        The app&apos;s own server did not answer ({q.error.message}).
      </Notice>
    );
  }
  const s = q.data;
  if (s.status === 'missing') {
    return (
      <div data-testid="no-deployment">
        <Notice tone="warn" title="No deployment found">
          There is no deployment file at <code className="text-slate-100">{s.path}</code>. Deploy the system (or set{' '}
          <code>GAVEL_DEPLOYMENTS_FILE</code>) and this page will load it by itself.
        </Notice>
      </div>
    );
  }
  if (s.status === 'invalid') {
    return (
      <Notice tone="bad" title="The deployment file is not valid" testId="invalid-deployment">
        {s.message}
      </Notice>
    );
  }
  if (s.status === 'wrong-chain') {
    return (
      <Notice tone="bad" title="Deployment for another chain" testId="deployment-wrong-chain">
        The deployment file is for chain {s.chainId}, but this app is built for chain {CHAIN_ID}.
      </Notice>
    );
  }
  if (s.status === 'wrong-genesis') {
    return (
      <Notice tone="bad" title="Deployment for another chain" testId="deployment-wrong-genesis">
        The node at the app&apos;s RPC URL is not the chain this deployment file was made on: {s.message}.
      </Notice>
    );
  }
  return (
    <DeploymentContext.Provider value={s.deployment}>
      <LiveUpdates deployment={s.deployment} />
      {children}
    </DeploymentContext.Provider>
  );
}
