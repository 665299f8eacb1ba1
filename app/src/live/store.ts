// One small external store for what every page shares: the latest block (number, timestamp, when
// it was seen), whether the RPC answers, and a once-a-second wall clock for the price tickers.
import type { BlockStamp, ClockSample } from '../lib/clock.ts';

export interface LiveState {
  block: (BlockStamp & { number: bigint }) | undefined;
  /** The node's clock, read when a new block is seen (pending block's timestamp). */
  clock: ClockSample | undefined;
  /** Message of the last RPC failure; undefined while the node answers. */
  rpcError: string | undefined;
  /** Wall clock (ms), advanced once a second while someone listens. */
  nowMs: number;
}

type Listener = () => void;

let state: LiveState = { block: undefined, clock: undefined, rpcError: undefined, nowMs: 0 };
const listeners = new Set<Listener>();
let timer: ReturnType<typeof setTimeout> | undefined;

function emit(): void {
  for (const l of listeners) l();
}

export function getLiveState(): LiveState {
  return state;
}

const serverState: LiveState = { block: undefined, clock: undefined, rpcError: undefined, nowMs: 0 };

export function getServerLiveState(): LiveState {
  return serverState;
}

export function setLiveState(patch: Partial<LiveState>): void {
  state = { ...state, ...patch };
  emit();
}

/** Subscribes; the first listener starts the one-second clock, the last one stops it. */
export function subscribeLive(listener: Listener): () => void {
  listeners.add(listener);
  if (!timer) {
    state = { ...state, nowMs: Date.now() };
    // Tick just after each wall-clock second turns: the node's clock turns with it.
    const tick = (): void => {
      state = { ...state, nowMs: Date.now() };
      emit();
      timer = setTimeout(tick, 1_000 - (Date.now() % 1_000) + 5);
    };
    timer = setTimeout(tick, 1_000 - (Date.now() % 1_000) + 5);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}
