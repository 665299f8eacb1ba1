'use client';
// The portfolio page's state: the chain read, the what-if price moves the user typed (one per asset, in
// percent) and the views the SDK's rule gives for today's prices and for the moved ones. Components render.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { Address } from 'viem';
import { parseMovePercent, portfolioView, type PortfolioView } from '../../lib/portfolio';
import { portfolioQueryOptions, type PortfolioData } from '../../queries/portfolio';
import { publicClient } from '../../wallet/chain';
import { useDeployment } from '../DeploymentContext';

export interface WhatIf {
  /** What the user typed per asset (ilk id → percent). */
  inputs: Record<string, string>;
  /** A message per asset whose input is not a percentage. */
  errors: Record<string, string>;
  /** The parsed moves in bps, in column order (0 where none or invalid). */
  movesBps: bigint[];
  /** True when some asset's price is moved. */
  active: boolean;
  set: (ilk: string, input: string) => void;
  reset: () => void;
}

export interface UsePortfolio {
  query: UseQueryResult<PortfolioData>;
  /** Today's prices. */
  now: PortfolioView | undefined;
  /** The moved prices, when the what-if moves any. */
  whatIf: PortfolioView | undefined;
  moves: WhatIf;
}

export function usePortfolio(engine: Address, owner: Address): UsePortfolio {
  const d = useDeployment();
  const query = useQuery(portfolioQueryOptions(publicClient, d, engine, owner));
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const data = query.data;
  const { movesBps, errors } = useMemo(() => {
    const errs: Record<string, string> = {};
    const bps = (data?.assets ?? []).map((a) => {
      const r = parseMovePercent(inputs[a.ilk] ?? '');
      if (r.ok) return r.value;
      errs[a.ilk] = r.message;
      return 0n;
    });
    return { movesBps: bps, errors: errs };
  }, [data, inputs]);
  const active = movesBps.some((m) => m !== 0n);
  const now = useMemo(() => (data ? portfolioView(data) : undefined), [data]);
  const whatIf = useMemo(() => (data && active ? portfolioView(data, movesBps) : undefined), [data, active, movesBps]);
  const set = useCallback((ilk: string, input: string) => {
    setInputs((prev) => ({ ...prev, [ilk]: input }));
  }, []);
  const reset = useCallback(() => {
    setInputs({});
  }, []);
  return { query, now, whatIf, moves: { inputs, errors, movesBps, active, set, reset } };
}
