'use client';
import { useSyncExternalStore } from 'react';
import { chainNow } from '../lib/clock.ts';
import { getLiveState, getServerLiveState, subscribeLive, type LiveState } from './store.ts';

export function useLive(): LiveState {
  return useSyncExternalStore(subscribeLive, getLiveState, getServerLiveState);
}

/** Chain time now (seconds), ticking every second from the latest block; undefined before the first block. */
export function useChainNow(): bigint | undefined {
  const { block, nowMs } = useLive();
  return block ? chainNow(block, Math.max(nowMs, block.seenAtMs)) : undefined;
}
