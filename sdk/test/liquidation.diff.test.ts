// Differential test: the SDK's liquidation rules (room, planLiquidation: partial sizing and dust, tab
// rounded up, incentive) against the real LiquidationEngine of a system the forge scripts deploy on
// anvil. Each case writes one vault (and the ilk's rate and spot) into the VaultEngine's storage,
// reads `room`, then sends `liquidate` and compares its `Liquidate` event, or its revert, with the SDK;
// the chain is rolled back after each case. GAVEL_TEST_SEED=<seed> reproduces a failure.
import { type Address, type Hex, encodeErrorResult, encodeFunctionData, parseEventLogs } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilNode, type LocalSystem, deployLocalSystem, revertData, rpcBatch, seededRandom, startAnvil } from '@gavel/contracts/testing';
import { type Deployment, parseDeployment } from '../src/deployment.ts';
import { collateralAuctionAbi, demoTokenAbi, liquidationEngineAbi, vaultEngineAbi } from '../src/generated.ts';
import { liquidationIncentive, planLiquidation, room, skipReasonName } from '../src/liquidation.ts';
import { RAY, WAD } from '../src/units.ts';
import { isSafe } from '../src/vault.ts';
import { mappingSlot, pack, slotPlus } from './diff.ts';

const SEED = process.env.GAVEL_TEST_SEED ?? 'gavel-liquidation-diff-1';
const CASES = 120;
const U128 = (1n << 128n) - 1n;

describe(`liquidation rules: SDK vs LiquidationEngine on anvil (seed ${SEED})`, () => {
  let node: AnvilNode;
  let system: LocalSystem;
  let d: Deployment;
  let ilksSlot = -1n;

  beforeAll(async () => {
    node = await startAnvil({ accounts: 10, args: ['--gas-limit', '30000000'] });
    system = await deployLocalSystem(node, { vaults: 2, timeoutMs: 400_000 });
    const parsed = parseDeployment(system.raw);
    if (!parsed.ok) throw new Error(parsed.message);
    d = parsed.deployment;
    const ilk = d.ilks[0];
    if (!ilk) throw new Error('no ilk');
    // Collateral for every seized vault: the engine pays the house out of its token balance.
    const hash = await node.walletClient.writeContract({ address: ilk.token, abi: demoTokenAbi, functionName: 'mint', args: [d.engine, 10n ** 40n] });
    await node.publicClient.waitForTransactionReceipt({ hash });
    for (let p = 0n; p < 16n && ilksSlot < 0n; p++) {
      const word = await node.publicClient.getStorageAt({ address: d.engine, slot: slotPlus(mappingSlot('bytes32', ilk.id, p), 3n) });
      if (word && BigInt(word) % (1n << 160n) === BigInt(ilk.token)) ilksSlot = p;
    }
    if (ilksSlot < 0n) throw new Error('cannot find the _ilks mapping slot of VaultEngine');
  }, 900_000);

  afterAll(async () => {
    await node.stop();
    system.remove();
  }, 60_000);

  it('agrees on room, the plan, the tab and the incentive of each liquidation, refusals included', { timeout: 600_000 }, async () => {
    const rng = seededRandom(SEED);
    const ilk = d.ilks[0];
    const me = node.accounts[0]?.address;
    if (!ilk || !me) throw new Error('no ilk');
    const pc = node.publicClient;
    const info = await pc.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [ilk.id] });
    const [tip, chipWad] = await Promise.all([
      pc.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'tip' }),
      pc.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'chipWad' }),
    ]);
    const ilkBase = mappingSlot('bytes32', ilk.id, ilksSlot);
    const slot0 = BigInt((await pc.getStorageAt({ address: d.engine, slot: ilkBase })) ?? '0x0');
    const slot1 = BigInt((await pc.getStorageAt({ address: d.engine, slot: slotPlus(ilkBase, 1n) })) ?? '0x0');
    const mismatches: string[] = [];
    const seen = new Map<string, number>();
    // anvil drops a snapshot when it reverts to it: take a new one each time.
    let snapshot = await node.testClient.snapshot();
    for (let i = 0; i < CASES; i++) {
      await node.testClient.revert({ id: snapshot });
      snapshot = await node.testClient.snapshot();
      const owner: Address = `0x${(0xdead0000n + BigInt(i)).toString(16).padStart(40, '0')}`;
      const rate = rng.chance(0.3) ? RAY : RAY + rng.bigintLog(0n, RAY / 2n);
      const spot = info.spot;
      const debtWanted = rng.chance(0.05) ? 0n : rng.bigintLog(50n * WAD, 20_000_000n * WAD);
      const normalizedDebt = (debtWanted * RAY) / rate;
      // Collateral around the safety line at spot: mostly unsafe, some safe.
      const collateralValue = (debtWanted * rng.bigint(80n, 105n)) / 100n;
      const collateral = spot === 0n ? 0n : (collateralValue * WAD) / spot;
      const writes: [Hex, Hex][] = [
        [ilkBase, pack([[slot0 & U128, 128], [rate, 128]])],
        [slotPlus(ilkBase, 1n), pack([[spot, 128], [slot1 >> 128n, 128]])],
        [mappingSlot('address', owner, mappingSlot('bytes32', ilk.id, ilksSlot + 1n)), pack([[collateral, 128], [normalizedDebt, 128]])],
      ];
      for (const [slot, value] of writes) await node.testClient.setStorageAt({ address: d.engine, index: slot, value });
      // The SDK's inputs, read as a client would.
      const cfg = await pc.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'ilkConfig', args: [ilk.id] });
      const [houseDebt, maxAuctionTab] = await pc.readContract({ address: ilk.house, abi: collateralAuctionAbi, functionName: 'liquidationInfo' });
      const [globalMax, globalDebt, chainRoom, blockNumber] = await Promise.all([
        pc.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'globalMaxDebtInAuctions' }),
        pc.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'globalDebtInAuctions' }),
        pc.readContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'room', args: [ilk.id] }),
        pc.getBlockNumber(),
      ]);
      const config = { ...cfg, lastBlock: BigInt(cfg.lastBlock) };
      const sdkRoom = room(config, { globalMaxDebtInAuctions: globalMax, globalDebtInAuctions: globalDebt, houseDebt, maxAuctionTab, blockNumber });
      if (sdkRoom !== chainRoom) mismatches.push(`room: solidity ${chainRoom}, sdk ${sdkRoom}`);
      // The liquidation is mined in the next block: the per-block allowance resets unless in the same block.
      const available = room(config, { globalMaxDebtInAuctions: globalMax, globalDebtInAuctions: globalDebt, houseDebt, maxAuctionTab, blockNumber: blockNumber + 1n });
      const safe = isSafe(collateral, normalizedDebt, { rate, spot, scale: info.scale });
      const plan = planLiquidation({ collateral, normalizedDebt, rate, spot, scale: info.scale, dust: info.dust, safe }, cfg.penaltyWad, available);
      const label = `case ${i}: debt ${debtWanted} rate ${rate} collateral ${collateral}`;
      // Simulate first: a refusal is compared by its revert data.
      const data = encodeFunctionData({ abi: liquidationEngineAbi, functionName: 'liquidate', args: [ilk.id, owner, me] });
      const [sim] = await rpcBatch<Hex>(node.rpcUrl, [{ method: 'eth_call', params: [{ from: me, to: d.liquidationEngine, data, gas: '0x1c9c380' }, 'pending'] }]);
      if (!sim) throw new Error('no simulation');
      if (!plan.ok) {
        seen.set(plan.error, (seen.get(plan.error) ?? 0) + 1);
        const args =
          plan.error === 'NoRoom' ? [ilk.id, plan.available, plan.minTab] : plan.error === 'DustyPartialLiquidation' ? [ilk.id, plan.debt, plan.dust] : [ilk.id, owner];
        const want = encodeErrorResult({ abi: liquidationEngineAbi, errorName: plan.error, args: args as never });
        const got = sim.ok ? 'success' : revertData(sim.error);
        if (got !== want) mismatches.push(`${label}: solidity ${String(got)}, sdk ${plan.error}`);
        // The batch form skips instead: its LiquidationSkipped event names the same refusal.
        const batch = await node.walletClient.writeContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'liquidateMany', args: [ilk.id, [owner], me], gas: 30_000_000n });
        const [skipped] = parseEventLogs({ abi: liquidationEngineAbi, eventName: 'LiquidationSkipped', logs: (await pc.waitForTransactionReceipt({ hash: batch })).logs });
        const skip = skipped ? `${String(skipReasonName(skipped.args.reason))} ${skipped.args.error}` : 'no LiquidationSkipped event';
        if (skip !== `${plan.error} ${want}`) mismatches.push(`${label}: liquidateMany skipped with ${skip}, sdk ${plan.error}`);
        continue;
      }
      seen.set(plan.plan.isPartial ? 'partial' : 'whole', (seen.get(plan.plan.isPartial ? 'partial' : 'whole') ?? 0) + 1);
      if (!sim.ok) {
        mismatches.push(`${label}: solidity reverts ${String(revertData(sim.error))}, sdk plans ${JSON.stringify(plan.plan, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`);
        continue;
      }
      const hash = await node.walletClient.writeContract({ address: d.liquidationEngine, abi: liquidationEngineAbi, functionName: 'liquidate', args: [ilk.id, owner, me], gas: 30_000_000n });
      const receipt = await pc.waitForTransactionReceipt({ hash });
      const [ev] = parseEventLogs({ abi: liquidationEngineAbi, eventName: 'Liquidate', logs: receipt.logs });
      if (!ev) {
        mismatches.push(`${label}: no Liquidate event (status ${receipt.status})`);
        continue;
      }
      const p = plan.plan;
      const got = [ev.args.collateral, ev.args.normalizedDebt, ev.args.debt, ev.args.tab, ev.args.incentive, ev.args.isPartial];
      const want = [p.collateral, p.normalizedDebt, p.debt, p.tab, liquidationIncentive(p.tab, p.debt, tip, chipWad), p.isPartial];
      if (got.map(String).join(' ') !== want.map(String).join(' ')) mismatches.push(`${label}: solidity ${got.map(String).join(' ')}, sdk ${want.map(String).join(' ')}`);
    }
    await node.testClient.revert({ id: snapshot });
    console.log(`liquidation diff: ${CASES} liquidations, outcomes ${JSON.stringify([...seen])}, seed ${SEED}`);
    expect(mismatches.slice(0, 5), `seed ${SEED}: ${mismatches.length} mismatches`).toEqual([]);
    for (const outcome of ['whole', 'partial', 'VaultIsSafe']) expect(seen.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
  });
});
