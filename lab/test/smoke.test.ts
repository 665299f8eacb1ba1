// The lab's smoke run (npm test): one tiny scenario on Gavel's demo tiers, deployed by the forge
// scripts on anvil, then the lab's accounting checked against chain truth read independently.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAY, collateralAuctionAbi, liquidationEngineAbi, vaultEngineAbi } from '@gavel/sdk';
import { type LabChain, deployLab, readBaseConfig, seedPrices } from '../src/deploy.ts';
import { type Metrics, measure } from '../src/ledger.ts';
import { hex, readMany } from '../src/rpc.ts';
import { labRoot, loadMechanisms, scenarioSchema } from '../src/schema.ts';
import { type RunResult, type World, runScenario, setupWorld } from '../src/sim.ts';

const scenario = scenarioSchema.parse(JSON.parse(readFileSync(path.join(labRoot, 'test', 'smoke.json'), 'utf8')));
const mechanism = loadMechanisms().find((m) => m.name === 'gavel-demo');
if (!mechanism) throw new Error('lab/mechanisms/gavel-demo.json is missing');

let chain: LabChain | undefined;
let world: World;
let result: RunResult;
let metrics: Metrics;

beforeAll(async () => {
  const c = await deployLab(scenario, mechanism);
  chain = c;
  world = await setupWorld(c.node.rpcUrl, c.deployment);
  result = await runScenario(world, scenario, seedPrices(readBaseConfig(scenario.baseConfig)));
  metrics = await measure(world, result, mechanism.name);
}, 240_000);

afterAll(async () => {
  await chain?.stop();
});

describe('smoke scenario: the lab against chain truth', () => {
  it('reports the bad debt the VaultEngine holds, and rebuilds it from the engine events', async () => {
    const [badDebtRad] = (await readMany(world.rpc, [{ address: world.d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' }], hex(result.endBlock))) as [bigint];
    expect(metrics.badDebt).toBe(Number(badDebtRad / RAY) / 1e18);
    expect(metrics.badDebtFromEvents).toBe(metrics.badDebt);
    expect(metrics.infraReverts).toBe(0);
  });

  it('accounts every lot once: sold, taken over by the fund, or left live (and those are the houses’ live auctions)', async () => {
    expect(metrics.kicked).toBeGreaterThan(0);
    expect(metrics.sold + metrics.takenOver + metrics.left).toBe(metrics.kicked);
    const reads = await readMany(world.rpc, world.ilks.flatMap((i) => [
      { address: i.house, abi: collateralAuctionAbi, functionName: 'list' },
      { address: i.house, abi: collateralAuctionAbi, functionName: 'debtInAuctions' },
    ]), hex(result.endBlock));
    const liveIds = world.ilks.flatMap((i, k) => (reads[2 * k] as bigint[]).map((id) => `${i.name}/${id}`)).sort();
    const leftIds = metrics.auctions.filter((a) => a.closedAt === undefined).map((a) => `${a.ilk}/${a.id}`).sort();
    expect(leftIds).toEqual(liveIds);
    const debtIn = world.ilks.reduce((s, _, k) => s + (reads[2 * k + 1] as bigint), 0n);
    expect(metrics.debtLeft).toBe(Number(debtIn) / 1e18);
    expect(metrics.debtLeftFromEvents).toBe(metrics.debtLeft);
  });

  it('counts one liquidation per auction kicked, and exercises takes and the fund takeover (tier 3)', async () => {
    const logs = await world.rpc.call<unknown[]>('eth_getLogs', [{ address: world.d.liquidationEngine, fromBlock: hex(result.startBlock), toBlock: hex(result.endBlock) }]);
    expect(logs.length).toBeGreaterThanOrEqual(metrics.liquidations);
    expect(metrics.liquidations).toBe(metrics.kicked);
    expect(liquidationEngineAbi.some((x) => x.type === 'event' && x.name === 'Liquidate')).toBe(true);
    expect(metrics.takes).toBeGreaterThan(0);
    expect(metrics.takenOver).toBeGreaterThan(0);
    expect(metrics.redos).toBeGreaterThanOrEqual(metrics.takenOver);
    // The fund paid what the takeover events say, never more than the lots' tabs.
    const fundPaid = metrics.takesList.filter((t) => t.byFund).reduce((s, t) => s + t.owe, 0n);
    const tabs = metrics.auctions.filter((a) => a.takenOver).reduce((s, a) => s + a.tab, 0n);
    expect(fundPaid).toBeGreaterThan(0n);
    expect(fundPaid).toBeLessThanOrEqual(tabs);
  });

  it('measures every take against the scenario market at its block', () => {
    for (const t of metrics.takesList) {
      expect(t.market).toBe(result.market[t.step]?.ilks.get(t.ilk)?.truth);
      expect(t.price).toBeGreaterThan(0n);
    }
    expect(metrics.clearingMean).toBeGreaterThan(0);
  });
});
