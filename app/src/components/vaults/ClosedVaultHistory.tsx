'use client';
import { useQuery } from '@tanstack/react-query';
import type { Address } from 'viem';
import type { Ilk } from '../../lib/deployment';
import { NOT_FOUND } from '../../lib/indexer';
import { vaultHistoryQueryOptions } from '../../queries/history';
import { Panel } from '../ui';
import { VaultHistory } from './VaultHistory';

/**
 * A vault that is empty now (liquidated whole, or closed) but that the indexer has seen: its
 * history and liquidations stay reachable from the owner's page. Nothing when the indexer never saw
 * it or cannot answer (the open vaults above say "History unavailable" then).
 */
export function ClosedVaultHistory({ ilk, owner }: { ilk: Ilk; owner: Address }) {
  const q = useQuery(vaultHistoryQueryOptions(ilk.id, owner));
  const r = q.data;
  if (r === undefined || !r.available || r.data === NOT_FOUND) return null;
  const liquidated = r.data.liquidations.length > 0;
  return (
    <div data-testid={`vault-closed-${ilk.name}`}>
      <Panel title={`${ilk.name} · ${liquidated ? 'liquidated, empty now' : 'closed'}`}>
        <VaultHistory ilk={ilk.id} owner={owner} />
      </Panel>
    </div>
  );
}
