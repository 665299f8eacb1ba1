'use client';
import type { ReactNode } from 'react';
import { Notice, Skeleton } from './ui';

/**
 * Loading and error states of a chain read, with the data rendered otherwise. A failed background
 * refresh keeps the last data on screen (with a notice) instead of replacing it: the subtree may
 * hold state that must survive a transient RPC error — a take form's pending transaction.
 */
export function QueryState<T>({
  query,
  children,
  what,
}: {
  query: { isPending: boolean; isError: boolean; error: Error | null; data: T | undefined };
  children: (data: T) => ReactNode;
  what: string;
}) {
  if (query.isPending) return <Skeleton className="h-24 w-full" />;
  if (query.data === undefined) {
    return (
      <Notice tone="bad" title={`Cannot read ${what}`} testId="read-error">
        {query.error?.message.split('\n')[0] ?? 'No data'}. Is the RPC node running and the deployment current?
      </Notice>
    );
  }
  return (
    <>
      {query.isError && (
        <Notice tone="warn" title={`Showing the last known ${what}: a refresh failed`} testId="stale-read">
          {query.error?.message.split('\n')[0] ?? 'RPC error'}
        </Notice>
      )}
      {children(query.data)}
    </>
  );
}
