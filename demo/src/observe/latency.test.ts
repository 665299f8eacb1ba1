import { describe, expect, it } from 'vitest';
import { type Episode, summarizeLatency, verdict } from './latency.ts';

const base = { ilk: 'ETH-A', owner: '0x1', startedFresh: true } as const;
const kicked = (unsafeAt: bigint, kickedAt: bigint, roomyBlocksWaited: number): Episode => ({ ...base, unsafeAt, kickedAt, roomyBlocksWaited, outcome: 'kicked' });

describe('verdict', () => {
  it('is on time when the kick lands within 2 blocks', () => {
    expect(verdict(kicked(10n, 11n, 0))).toBe('onTime');
    expect(verdict(kicked(10n, 12n, 1))).toBe('onTime');
  });
  it('is held back when the blocks in between had no room', () => {
    expect(verdict(kicked(10n, 15n, 0))).toBe('heldBackByLimits');
    expect(verdict(kicked(10n, 15n, 1))).toBe('heldBackByLimits');
  });
  it('is late when two blocks with room passed', () => {
    expect(verdict(kicked(10n, 13n, 2))).toBe('late');
    expect(verdict(kicked(10n, 40n, 5))).toBe('late');
  });
  it('judges episodes that never got a kick by the room they had', () => {
    expect(verdict({ ...base, unsafeAt: 10n, kickedAt: undefined, roomyBlocksWaited: 1, outcome: 'waiting' })).toBe('pendingAtEnd');
    expect(verdict({ ...base, unsafeAt: 10n, kickedAt: undefined, roomyBlocksWaited: 2, outcome: 'waiting' })).toBe('late');
    expect(verdict({ ...base, unsafeAt: 10n, kickedAt: undefined, roomyBlocksWaited: 0, outcome: 'recovered' })).toBe('onTime');
    expect(verdict({ ...base, unsafeAt: 10n, kickedAt: undefined, roomyBlocksWaited: 3, outcome: 'recovered' })).toBe('late');
  });
});

describe('summarizeLatency', () => {
  it('counts verdicts and the slowest kicks', () => {
    const r = summarizeLatency([kicked(1n, 2n, 0), kicked(1n, 3n, 1), kicked(1n, 9n, 0), kicked(1n, 5n, 3)]);
    expect(r).toEqual({
      episodes: 4,
      onTime: 2,
      heldBackByLimits: 1,
      late: 1,
      pendingAtEnd: 0,
      maxBlocks: 8,
      meanBlocks: 3.75,
      maxBlocksUnconstrained: 4,
      lateEpisodes: [{ ilk: 'ETH-A', owner: '0x1', unsafeAt: '1', kickedAt: '5', roomyBlocksWaited: 3 }],
    });
  });
  it('reports zeros for no episodes', () => {
    expect(summarizeLatency([]).maxBlocks).toBe(0);
  });
});
