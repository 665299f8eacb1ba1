// The chain clock the auction prices tick against: the latest block's timestamp plus the wall
// time elapsed since that block was seen. One block read per new block, none per tick.

export interface BlockStamp {
  /** Block timestamp (seconds). */
  timestamp: bigint;
  /** Wall-clock time (ms) when the app saw the block. */
  seenAtMs: number;
}

/** Chain time at wall time `nowMs`, in whole seconds, never before the block. */
export function chainNow(stamp: BlockStamp, nowMs: number): bigint {
  const elapsed = Math.max(0, Math.floor((nowMs - stamp.seenAtMs) / 1000));
  return stamp.timestamp + BigInt(elapsed);
}
