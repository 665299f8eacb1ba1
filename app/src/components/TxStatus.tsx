'use client';
import type { TxState } from '../tx/types';
import { shortAddress } from '../lib/format';

/** One line per transaction state: simulating, waiting for the signature, pending, mined, failed. */
export function TxStatus({ state, testId = 'tx-status' }: { state: TxState; testId?: string }) {
  if (state.status === 'idle') return null;
  const base = 'mt-3 rounded-lg border px-3 py-2 text-sm';
  switch (state.status) {
    case 'simulating':
      return <p className={`${base} border-line text-muted`} data-testid={testId} data-status="simulating">Checking {state.label}…</p>;
    case 'signing':
      return <p className={`${base} border-accent/50 text-accent`} data-testid={testId} data-status="signing">Confirm “{state.label}” in your wallet…</p>;
    case 'pending':
      return (
        <p className={`${base} border-accent/50 text-accent`} data-testid={testId} data-status="pending">
          {state.label}: pending <span className="num text-muted">{shortAddress(state.hash)}</span>
        </p>
      );
    case 'mined':
      return (
        <p className={`${base} border-good/50 text-good`} data-testid={testId} data-status="mined">
          {state.label}: mined in block <span className="num">{state.receipt.blockNumber.toString()}</span>
        </p>
      );
    case 'failed':
      return (
        <div className={`${base} border-bad/50 text-bad`} data-testid={testId} data-status="failed" data-error={state.error.name}>
          <div className="font-semibold">
            {state.label} failed{state.error.kind === 'contract' ? `: ${state.error.name}` : ''}
          </div>
          <div className="text-slate-300">{state.error.message}</div>
        </div>
      );
  }
}
