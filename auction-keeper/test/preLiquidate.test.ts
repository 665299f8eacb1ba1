// The keeper executes pre-liquidations (issue 17) against the real PreLiquidation on anvil, judged by
// the chain: an opted-in vault that drifts into its band is closed by the keeper — each close repays at
// most the bounded share the contract's own quote allowed in the block before it, the vault's debt falls
// by exactly that, the keeper's collateral rises and is worth more than it paid at the mark —; a healthy
// opted-in vault and an opted-out vault in the band are left alone; nothing is liquidated.

import { preLiquidationAbi, stablecoinAbi, vaultEngineAbi } from '@gavel/sdk';
import { readArtifact } from '@gavel/contracts/testing';
import { pino } from 'pino';
import { type Address, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keeper } from '../src/keeper.ts';
import { type IlkFixture, type System, deployPreLiquidation, deploySystem, keyOf, openVault, optIn, send, setPrice, testConfig } from './fixture.ts';
import { waitFor } from './wait.ts';

const WAD = 10n ** 18n;
const BPS = 10_000n;
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });
let sys: System;
let keeper: Keeper | undefined;
const KEEPER = 7;

const eth = (): IlkFixture => sys.ilks[2] as IlkFixture;
const chainDebt = (owner: Address, blockNumber?: bigint): Promise<bigint> =>
  sys.node.publicClient.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'debtOf', args: [eth().id, owner], ...(blockNumber === undefined ? {} : { blockNumber }) });
const vaultOf = (owner: Address): Promise<readonly [bigint, bigint]> => sys.node.publicClient.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'vault', args: [eth().id, owner] });
const tokenBalance = (owner: Address): Promise<bigint> => sys.node.publicClient.readContract({ address: eth().token, abi: readArtifact('MockERC20').abi, functionName: 'balanceOf', args: [owner] }) as Promise<bigint>;

beforeAll(async () => {
  sys = await deploySystem(undefined);
  await deployPreLiquidation(sys);
}, 90_000);

afterAll(async () => {
  await keeper?.stop(0).catch(() => undefined);
  await sys.node.stop();
});

describe('keeper pre-liquidations on anvil', () => {
  it('closes an opted-in vault in its band (at most the bounded share each time), not a healthy one, not an opted-out one', { timeout: 90_000 }, async () => {
    const pre = sys.deployment.preLiquidation as Hex;
    const me = sys.node.accounts[KEEPER]?.address as Address;
    const inBand = sys.actors[0] as Address;
    const healthy = sys.actors[1] as Address;
    const optedOut = sys.actors[2] as Address;
    // The keeper's gUSD: a vault of its own at 1000 %.
    expect(await openVault(sys, KEEPER, eth(), 50_000n, 1_000n)).toBe(true);
    // Health 1.30 (130 % of the ratio), 1.80, 1.30.
    expect(await openVault(sys, 1, eth(), 10_000n, 130n)).toBe(true);
    expect(await openVault(sys, 2, eth(), 10_000n, 180n)).toBe(true);
    expect(await openVault(sys, 3, eth(), 10_000n, 130n)).toBe(true);
    const params = { preHealthWad: (125n * WAD) / 100n, incentiveStartWad: (101n * WAD) / 100n, incentiveEndWad: (104n * WAD) / 100n, closeFactorStartBps: 1_000, closeFactorEndBps: 3_000 };
    await optIn(sys, 1, eth(), params);
    await optIn(sys, 2, eth(), params);
    await optIn(sys, 3, eth(), params);
    await send(sys.node, 3, pre, preLiquidationAbi, 'optOut', [eth().id]);

    const config = testConfig(sys, {
      preLiquidate: 'on',
      preLiquidateMinProfit: '1',
    });
    keeper = new Keeper({ config, deployment: sys.deployment, keys: [keyOf(sys, KEEPER)], logger: log, noCheckpoint: true, bid: false, senderPollMs: 25 });
    await keeper.start();
    const before = { healthy: await vaultOf(healthy), optedOut: await vaultOf(optedOut), collateral: await tokenBalance(me) };
    const gusdBefore = await sys.node.publicClient.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [me] });
    // Nothing in a band yet: nothing sent.
    await new Promise((r) => setTimeout(r, 500));
    expect(keeper.protection.preLiquidator?.sent).toBe(0);

    // −10 %: health 1.30 → 1.17, inside [1.0, 1.25) for the two 130 % vaults; 1.80 → 1.62 stays above.
    const from = (await sys.node.publicClient.getBlockNumber()) + 1n;
    await setPrice(sys, eth(), (eth().price * 90n) / 100n);
    await waitFor(() => (keeper?.protection.preLiquidator?.done.length ?? 0) >= 1, 30_000, 'a pre-liquidation');
    // Let any follow-up close land and be indexed, then judge from the logs.
    await new Promise((r) => setTimeout(r, 1_500));
    await keeper.stop(5_000);
    keeper = undefined;

    const logs = await sys.node.publicClient.getContractEvents({ address: pre, abi: preLiquidationAbi, eventName: 'PreLiquidate', fromBlock: from });
    expect(logs.length).toBeGreaterThanOrEqual(1);
    let repaidTotal = 0n;
    let outTotal = 0n;
    for (const l of logs) {
      const a = l.args;
      expect(a.owner).toBe(inBand);
      expect(a.caller).toBe(me);
      const block = l.blockNumber;
      // What the contract allowed in the state before this close (automine: one transaction a block).
      const q = await sys.node.publicClient.readContract({ address: pre, abi: preLiquidationAbi, functionName: 'quote', args: [eth().id, inBand], blockNumber: block - 1n });
      const debtBefore = await chainDebt(inBand, block - 1n);
      expect(q.maxRepay).toBe((debtBefore * q.closeFactorBps) / BPS);
      expect(a.repaid ?? 0n).toBeGreaterThan(0n);
      expect(a.repaid ?? 0n).toBeLessThanOrEqual(q.maxRepay);
      expect(q.closeFactorBps).toBeLessThanOrEqual(3_000n);
      expect(await chainDebt(inBand, block)).toBe(debtBefore - (a.repaid ?? 0n));
      expect(a.healthAfterWad ?? 0n).toBeGreaterThanOrEqual(a.healthBeforeWad ?? 0n);
      repaidTotal += a.repaid ?? 0n;
      outTotal += a.collateralOut ?? 0n;
    }
    // The keeper paid gUSD and received collateral worth more at the mark.
    const gusdAfter = await sys.node.publicClient.readContract({ address: sys.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [me] });
    expect(gusdBefore - gusdAfter).toBe(repaidTotal);
    const collateralAfter = await tokenBalance(me);
    expect(collateralAfter - before.collateral).toBe(outTotal);
    expect((outTotal * eth().price) / WAD).toBeGreaterThan(repaidTotal);
    // The healthy vault and the opted-out vault in the band are untouched; nothing was liquidated.
    expect(await vaultOf(healthy)).toEqual(before.healthy);
    expect(await vaultOf(optedOut)).toEqual(before.optedOut);
    const health = await sys.node.publicClient.readContract({ address: sys.engine, abi: vaultEngineAbi, functionName: 'health', args: [eth().id, optedOut] });
    expect(health).toBeGreaterThanOrEqual(WAD);
    expect(health).toBeLessThan(params.preHealthWad);
  });
});
