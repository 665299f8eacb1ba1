import { WAD } from '@gavel/sdk';
import { describe, expect, it } from 'vitest';
import { auctionTick, CurveKind, type Tier } from './auction.ts';
import { chainNow } from './clock.ts';

// The pricing rules themselves are the SDK's and tested there (sdk/src/auction*.test.ts).
const tier = (kind: number): Tier => ({
  kind,
  cutRay: 99n * 10n ** 25n,
  periodSeconds: 600,
  tailSeconds: 3600,
  floorWad: (WAD * 3n) / 10n,
  startPremiumBps: 11_000,
});

describe('local auction price ticker', () => {
  const top = 2_000n * WAD;
  const start = 1_700_000_000n;

  it('falls every second as the clock ticks from the latest block', () => {
    const t = tier(CurveKind.Exponential);
    const stamp = { timestamp: start + 10n, seenAtMs: 1_000_000 };
    const a = auctionTick(t, { top, startedAt: start }, chainNow(stamp, 1_000_000));
    const b = auctionTick(t, { top, startedAt: start }, chainNow(stamp, 1_002_400));
    expect(chainNow(stamp, 1_002_400)).toBe(start + 12n);
    expect(b.price < a.price).toBe(true);
    expect(b.age).toBe(12n);
    // A clock before the block never goes backwards.
    expect(chainNow(stamp, 0)).toBe(start + 10n);
  });

});
