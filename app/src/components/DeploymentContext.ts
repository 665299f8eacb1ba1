'use client';
import { createContext, useContext } from 'react';
import type { Deployment } from '../lib/deployment';

export const DeploymentContext = createContext<Deployment | undefined>(undefined);

/** The loaded deployment; only rendered under DeploymentGate, which guarantees one. */
export function useDeployment(): Deployment {
  const d = useContext(DeploymentContext);
  if (!d) throw new Error('useDeployment outside DeploymentGate');
  return d;
}
