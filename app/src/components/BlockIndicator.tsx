'use client';
import { useLive } from '../live/useLive';

export function BlockIndicator() {
  const { block, rpcError } = useLive();
  const color = rpcError ? 'bg-bad' : block ? 'bg-good' : 'bg-muted';
  return (
    <span className="hidden items-center gap-2 text-xs text-muted sm:flex" title={rpcError ?? 'Latest block'}>
      <span className={`h-2 w-2 rounded-full ${color}`} aria-hidden />
      <span className="num" data-testid="block-number">
        {block ? `#${block.number}` : '—'}
      </span>
    </span>
  );
}
