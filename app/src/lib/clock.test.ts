import { describe, expect, it } from 'vitest';
import { chainNow, clockOffset } from './clock.ts';

describe('chain clock', () => {
  // anvil after evm_increaseTime(4): its clock is unix seconds + 4.
  const wallSec = 1_800_000_000;
  const offset = 4n;

  it('reads the offset of the node clock from a pending-block sample', () => {
    const sample = { timestamp: BigInt(wallSec) + offset, seenAtMs: wallSec * 1000 + 730, exact: true };
    expect(clockOffset(sample)).toBe(offset);
  });

  it('ticks wall clock + offset, however old the latest block is (automine)', () => {
    // The latest block was mined 90 s before the page saw it; the pending block says "now".
    const latestTs = BigInt(wallSec - 90) + offset;
    const sample = { timestamp: BigInt(wallSec) + offset, seenAtMs: wallSec * 1000 + 10, exact: true };
    expect(chainNow(sample, wallSec * 1000 + 2_500, latestTs)).toBe(BigInt(wallSec + 2) + offset);
    // The old rule (latest block + time since seen) lagged by the block's age.
    const lagging = chainNow({ timestamp: latestTs, seenAtMs: wallSec * 1000 + 10 }, wallSec * 1000 + 2_500);
    expect(BigInt(wallSec + 2) + offset - lagging).toBe(90n);
  });

  it('turns with the wall-clock second, as the node does (no late-seen lag)', () => {
    // Sample seen 0.9 s into a second: the next second still turns 0.1 s later, not 1 s later.
    const sample = { timestamp: BigInt(wallSec) + offset, seenAtMs: wallSec * 1000 + 900, exact: true };
    expect(chainNow(sample, wallSec * 1000 + 999)).toBe(BigInt(wallSec) + offset);
    expect(chainNow(sample, wallSec * 1000 + 1_000)).toBe(BigInt(wallSec + 1) + offset);
  });

  it('never reads before the latest block or the sample', () => {
    const sample = { timestamp: BigInt(wallSec) + offset, seenAtMs: wallSec * 1000, exact: true };
    expect(chainNow(sample, wallSec * 1000 - 5_000)).toBe(BigInt(wallSec) + offset);
    expect(chainNow(sample, wallSec * 1000, BigInt(wallSec) + 50n)).toBe(BigInt(wallSec) + 50n);
  });

  it('without a pending block, falls back to the latest block plus elapsed time', () => {
    const stamp = { timestamp: 1_000n, seenAtMs: 5_000 };
    expect(chainNow(stamp, 5_000)).toBe(1_000n);
    expect(chainNow(stamp, 7_400)).toBe(1_002n);
  });
});
