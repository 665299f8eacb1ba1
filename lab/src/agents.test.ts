import { describe, expect, it } from 'vitest';
import { WAD } from '@gavel/sdk';
import { type LiveAuction, gasCostGusd, housekeeping, planCapitalTake, planFlashTake, vaultsToKick } from './agents.ts';
import type { BidderSpec } from './schema.ts';

const auction = (over: Partial<LiveAuction> = {}): LiveAuction => ({
  ilk: 'ETH-A', house: '0x0000000000000000000000000000000000000001', id: 1n, price: 1900n * WAD, needsRedo: false,
  lot: 10n * WAD, tab: 15_000n * WAD, redos: 0, startedStep: 0, scale: 1n, ...over,
});
const spec = (over: Partial<BidderSpec> = {}): BidderSpec => ({ name: 'b', count: 1, reactionSteps: 0, capitalGusd: 0, marginBps: 300, flash: false, maxFeeGwei: 100, ...over });

describe('keeper rules', () => {
  it('kicks a vault only after it stayed unsafe for the kick delay, and forgets vaults that recovered', () => {
    const since = new Map<string, number>();
    expect(vaultsToKick(since, new Set(['a']), 5, 2)).toEqual([]);
    expect(vaultsToKick(since, new Set(['a', 'b']), 6, 2)).toEqual([]);
    expect(vaultsToKick(since, new Set(['a', 'b']), 7, 2)).toEqual(['a']);
    expect(vaultsToKick(since, new Set(['b']), 8, 2)).toEqual(['b']);
    expect(since.has('a')).toBe(false);
  });

  it('redoes first, hands to the fund after the configured redos', () => {
    expect(housekeeping(auction(), 1)).toBe('none');
    expect(housekeeping(auction({ needsRedo: true }), 1)).toBe('redo');
    expect(housekeeping(auction({ needsRedo: true, redos: 1 }), 1)).toBe('takeover');
  });
});

describe('bidders', () => {
  it('a capital bidder buys only at its margin under the market, as much as its gUSD buys', () => {
    expect(planCapitalTake(auction(), 1950n * WAD, 100_000n * WAD, spec(), 0n)).toBeUndefined(); // 2.6% off < 3%
    const p = planCapitalTake(auction(), 2000n * WAD, 3_800n * WAD, spec(), 0n);
    expect(p?.amount).toBe(2n * WAD);
    expect(p?.profit).toBe(200n * WAD);
    expect(planCapitalTake(auction({ needsRedo: true }), 2000n * WAD, 3_800n * WAD, spec(), 0n)).toBeUndefined();
  });

  it('gas can make a take unprofitable', () => {
    const cost = gasCostGusd(200_000n, 200n * 10n ** 9n, 2000n * WAD); // 200 gwei × 200k gas at 2000 = 80 gUSD
    expect(cost).toBe(80n * WAD);
    expect(planCapitalTake(auction({ lot: WAD / 100n }), 2000n * WAD, 100_000n * WAD, spec(), cost)).toBeUndefined();
  });

  it('a flash bidder sizes its take to what the pool pays over the price', () => {
    const deep = { collateral: 10_000n * WAD, stable: 20_000_000n * WAD };
    const thin = { collateral: 20n * WAD, stable: 40_000n * WAD };
    expect(planFlashTake(auction(), deep, spec({ flash: true }), 0n)?.amount).toBe(10n * WAD);
    const part = planFlashTake(auction(), thin, spec({ flash: true }), 0n);
    expect(part?.amount).toBeLessThan(10n * WAD);
    expect(part?.amount).toBeGreaterThan(0n);
    expect(planFlashTake(auction({ price: 2100n * WAD }), deep, spec({ flash: true }), 0n)).toBeUndefined();
  });
});
