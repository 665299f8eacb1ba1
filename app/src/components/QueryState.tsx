'use client';
import type { ReactNode } from 'react';
import { Notice, Skeleton } from './ui';

/** Loading and error states of a chain read, with the data rendered otherwise. */
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
  if (query.isError || query.data === undefined) {
    return (
      <Notice tone="bad" title={`Cannot read ${what}`} testId="read-error">
        {query.error?.message.split('\n')[0] ?? 'No data'}. Is the RPC node running and the deployment current?
      </Notice>
    );
  }
  return <>{children(query.data)}</>;
}
