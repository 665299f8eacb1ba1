import { RAY, WAD } from '@gavel/sdk';
import { describe, expect, it } from 'vitest';
import { countUnsafe, isUnsafe, unsafeVaults, vaultsFromLogs, type VaultLog } from './unsafe.ts';

const ETH = `0x${'11'.repeat(32)}` as const;
const BTC = `0x${'22'.repeat(32)}` as const;
const alice = '0x00000000000000000000000000000000000000a1' as const;
const bob = '0x00000000000000000000000000000000000000b0' as const;

function changed(ilk: `0x${string}`, owner: `0x${string}`, collateral: bigint, normalizedDebt: bigint, blockNumber: bigint, logIndex = 0): VaultLog {
  return { kind: 'changed', ilk, owner, collateral, normalizedDebt, blockNumber, logIndex };
}

describe('unsafe vaults', () => {
  it('applies VaultChanged absolutes and Seized deltas in chain order', () => {
    const logs: VaultLog[] = [
      { kind: 'seized', ilk: ETH, owner: alice, collateral: 4n * WAD, normalizedDebt: 3_000n * WAD, blockNumber: 9n, logIndex: 1 },
      changed(ETH, alice, 10n * WAD, 8_000n * WAD, 5n),
      changed(ETH, alice, 12n * WAD, 8_000n * WAD, 9n, 0),
      changed(BTC, alice, 1n, 1n, 6n),
    ];
    const v = vaultsFromLogs(logs);
    expect(v.size).toBe(2);
    expect(v.get(`${ETH}:${alice}`)).toMatchObject({ collateral: 8n * WAD, normalizedDebt: 5_000n * WAD });
  });

  it('uses the engine rule to the wei: value rounded down against debt rounded up', () => {
    const i = { scale: 1n, spot: 1_000n * WAD, rate: RAY };
    // value 8,000 == debt 8,000: safe; one wei more debt: unsafe.
    expect(isUnsafe({ collateral: 8n * WAD, normalizedDebt: 8_000n * WAD }, i)).toBe(false);
    expect(isUnsafe({ collateral: 8n * WAD, normalizedDebt: 8_000n * WAD + 1n }, i)).toBe(true);
    // A rate just above 1 rounds the debt up by a wei: unsafe at equality of the unrounded figures.
    expect(isUnsafe({ collateral: 8n * WAD, normalizedDebt: 8_000n * WAD }, { ...i, rate: RAY + 1n })).toBe(true);
    // 8-decimal collateral through the scale.
    expect(isUnsafe({ collateral: 2n * 10n ** 8n, normalizedDebt: 50_000n * WAD }, { scale: 10n ** 10n, spot: 25_000n * WAD, rate: RAY })).toBe(false);
    // No debt is never unsafe, even with no collateral.
    expect(isUnsafe({ collateral: 0n, normalizedDebt: 0n }, i)).toBe(false);
  });

  it('counts per ilk, zero for ilks without unsafe vaults', () => {
    const v = vaultsFromLogs([changed(ETH, alice, 10n * WAD, 9_000n * WAD, 1n), changed(ETH, bob, 10n * WAD, 5_000n * WAD, 1n, 1)]);
    const risks = new Map([
      [ETH.toLowerCase(), { scale: 1n, spot: 800n * WAD, rate: RAY }],
      [BTC.toLowerCase(), { scale: 1n, spot: 800n * WAD, rate: RAY }],
    ]);
    const c = countUnsafe(v.values(), risks);
    expect(c.get(ETH.toLowerCase())).toBe(1);
    expect(c.get(BTC.toLowerCase())).toBe(0);
  });

  it('lists the unsafe vaults, largest debt first, with their debt at the rate', () => {
    const carol = '0x00000000000000000000000000000000000000c0' as const;
    const v = vaultsFromLogs([
      changed(ETH, alice, 10n * WAD, 9_000n * WAD, 1n),
      changed(ETH, bob, 10n * WAD, 5_000n * WAD, 1n, 1),
      changed(ETH, carol, 20n * WAD, 17_000n * WAD, 1n, 2),
    ]);
    const rate = (RAY * 11n) / 10n;
    const list = unsafeVaults(v.values(), new Map([[ETH.toLowerCase(), { scale: 1n, spot: 800n * WAD, rate }]]));
    expect(list.map((x) => x.owner)).toEqual([carol, alice]);
    expect(list[0]?.debt).toBe(18_700n * WAD);
  });
});
