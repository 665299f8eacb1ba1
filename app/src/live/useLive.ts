'use client';
import { useSyncExternalStore } from 'react';
import { chainNow } from '../lib/clock.ts';
import { getLiveState, getServerLiveState, subscribeLive, type LiveState } from './store.ts';

export function useLive(): LiveState {
  return useSyncExternalStore(subscribeLive, getLiveState, getServerLiveState);
}

/**
 * Chain time now (seconds): the timestamp a block mined now would carry, ticking every second from
 * the node's clock (see lib/clock.ts); undefined before the first block.
 */
export function useChainNow(): bigint | undefined {
  const { block, clock, nowMs } = useLive();
  if (!block) return undefined;
  const sample = clock ?? block;
  return chainNow(sample, Math.max(nowMs, sample.seenAtMs), block.timestamp);
}
