import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchHead, type Head } from './watchHead.ts';

/** A node whose answers the test scripts: a head number, or an error. */
function node(script: (bigint | Error)[]) {
  let i = 0;
  return vi.fn(async (): Promise<Head> => {
    const next = script[Math.min(i, script.length - 1)];
    i++;
    await Promise.resolve();
    if (next instanceof Error) throw next;
    return { number: next ?? 0n };
  });
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    onBlock: (b: Head) => events.push(`block ${b.number}`),
    onError: (e: unknown) => events.push(`error ${e instanceof Error ? e.message : String(e)}`),
    onRecover: () => events.push('recover'),
  };
}

describe('watchHead', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits the first head at once and then only heads that changed', async () => {
    const r = recorder();
    const stop = watchHead({ getBlock: node([5n, 5n, 6n, 6n]), intervalMs: 1_000, ...r });
    await vi.advanceTimersByTimeAsync(3_500);
    stop();
    expect(r.events).toEqual(['block 5', 'block 6']);
  });

  it('reports every failed poll and recovers on the first answer, even with the same head', async () => {
    const r = recorder();
    const down = new Error('fetch failed');
    const stop = watchHead({ getBlock: node([7n, down, down, 7n, 7n]), intervalMs: 1_000, ...r });
    await vi.advanceTimersByTimeAsync(4_500);
    stop();
    // The head is emitted again after the recovery although it is still 7.
    expect(r.events).toEqual(['block 7', 'error fetch failed', 'error fetch failed', 'recover', 'block 7']);
  });

  it('emits a lower head (a node restarted from scratch)', async () => {
    const r = recorder();
    const stop = watchHead({ getBlock: node([40n, 3n]), intervalMs: 1_000, ...r });
    await vi.advanceTimersByTimeAsync(1_500);
    stop();
    expect(r.events).toEqual(['block 40', 'block 3']);
  });

  it('a node down from the start recovers without a head before it', async () => {
    const r = recorder();
    const stop = watchHead({ getBlock: node([new Error('refused'), 1n]), intervalMs: 1_000, ...r });
    await vi.advanceTimersByTimeAsync(1_500);
    stop();
    expect(r.events).toEqual(['error refused', 'recover', 'block 1']);
  });

  it('stops polling when stopped, and ignores a poll that was in flight', async () => {
    const r = recorder();
    const getBlock = node([1n, 2n, 3n]);
    const stop = watchHead({ getBlock, intervalMs: 1_000, ...r });
    stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(getBlock).toHaveBeenCalledTimes(1);
    expect(r.events).toEqual([]);
  });

  it('keeps polling when a callback throws', async () => {
    const getBlock = node([1n, 2n]);
    const seen: bigint[] = [];
    const stop = watchHead({
      getBlock,
      intervalMs: 1_000,
      onBlock: (b) => {
        seen.push(b.number);
        throw new Error('handler bug');
      },
      onError: () => undefined,
      onRecover: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(1_500);
    stop();
    expect(seen).toEqual([1n, 2n]);
  });
});
