'use client';
import type { ReactNode } from 'react';
import { NOT_FOUND, type IndexerResult } from '../../lib/indexer';
import { Skeleton } from '../ui';

/**
 * History from the indexer: a skeleton while loading, a quiet "History unavailable" line when the
 * indexer is missing, down or catching up (the rest of the page works from the chain), the data
 * otherwise. `notFound` renders the indexer's 404 (no such row yet).
 */
export function HistoryState<T>({
  query,
  children,
  notFound,
}: {
  query: { isPending: boolean; data: IndexerResult<T | typeof NOT_FOUND> | undefined; error: Error | null };
  children: (data: T) => ReactNode;
  notFound?: ReactNode;
}) {
  if (query.isPending) return <Skeleton className="h-16 w-full" />;
  const r = query.data;
  if (r === undefined || !r.available) {
    const reason = r === undefined ? (query.error?.message ?? 'no answer') : r.reason;
    return (
      <p className="text-sm text-muted" data-testid="history-unavailable" title={reason}>
        History unavailable: {reason}. Live figures still come from the chain.
      </p>
    );
  }
  if (r.data === NOT_FOUND) return <>{notFound ?? <p className="text-sm text-muted">Nothing indexed yet.</p>}</>;
  return <>{children(r.data)}</>;
}
