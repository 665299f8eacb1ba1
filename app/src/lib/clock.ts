// The chain clock the auction prices tick against. A take lands in the *next* block, whose
// timestamp is the node's clock when it mines it — not the latest block's timestamp plus the wall
// time since the app happened to see that block (on anvil's automine the latest block can be
// minutes old, and a fresh one is seen up to a polling interval late: that made "price now" read
// high). So the app learns the node's clock offset from the wall clock — from the pending block's
// timestamp (what the next block would carry), or from the latest block when the node has no
// pending block — and ticks `wall clock + offset`, never before the latest block.

/** One reading of the node's clock. */
export interface ClockSample {
  /** Chain time (seconds) the node reported: the pending block's timestamp, or the latest block's. */
  timestamp: bigint;
  /** Wall-clock time (ms) when the reading arrived. */
  seenAtMs: number;
  /** true: `timestamp` is the node's clock at `seenAtMs` (pending block); false: only a lower bound (a mined block). */
  exact: boolean;
}

/** Latest-block stamp (number not needed here). */
export interface BlockStamp {
  /** Block timestamp (seconds). */
  timestamp: bigint;
  /** Wall-clock time (ms) when the app saw the block. */
  seenAtMs: number;
}

/**
 * Offset (whole seconds) of the node's clock from the wall clock, from one sample. Node clocks
 * (anvil: unix seconds + an integer offset from evm_increaseTime / evm_setNextBlockTimestamp) tick
 * on whole wall-clock seconds, so an exact reading fixes the offset to the second. A mined block
 * only bounds the node's clock from below.
 */
export function clockOffset(sample: ClockSample): bigint {
  return sample.timestamp - BigInt(Math.floor(sample.seenAtMs / 1000));
}

/**
 * Chain time at wall time `nowMs`, in whole seconds: the wall clock shifted by the node's offset,
 * never before the latest block. Without an exact sample the best lower bound is used: the
 * latest sample's timestamp plus the wall time elapsed since it was seen.
 */
export function chainNow(sample: BlockStamp | ClockSample, nowMs: number, latestBlockTimestamp?: bigint): bigint {
  let t: bigint;
  if ('exact' in sample && sample.exact) {
    t = BigInt(Math.floor(nowMs / 1000)) + clockOffset(sample);
  } else {
    const elapsed = Math.max(0, Math.floor((nowMs - sample.seenAtMs) / 1000));
    t = sample.timestamp + BigInt(elapsed);
  }
  if (t < sample.timestamp) t = sample.timestamp;
  if (latestBlockTimestamp !== undefined && t < latestBlockTimestamp) t = latestBlockTimestamp;
  return t;
}
