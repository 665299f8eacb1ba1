// The margin comparison's smoke run (npm test): the smoke scenario on Gavel's demo tiers, the book of
// lab/margin.json opened as isolated vaults and, from the same snapshot, as portfolios; each model's
// figures checked against chain truth read independently (positions, capacity, seized debt, lots, the books).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Address, type Hex, decodeEventLog } from 'viem';
import { RAY, collateralValueWadDown, portfolioEngineAbi, vaultEngineAbi } from '@gavel/sdk';
import { type LabChain, deployLab, readBaseConfig, seedPrices } from '../src/deploy.ts';
import { type Metrics, measure } from '../src/ledger.ts';
import { type ModelMetrics, type OpenedBook, type Reconciliation, drawFor, runMargin } from '../src/margin.ts';
import { type Read, hex, readMany } from '../src/rpc.ts';
import { labRoot, loadMarginBook, loadMechanisms, scenarioSchema } from '../src/schema.ts';
import { type Ilk, type RunResult, type World, setupWorld } from '../src/sim.ts';

const scenario = scenarioSchema.parse(JSON.parse(readFileSync(path.join(labRoot, 'test', 'smoke.json'), 'utf8')));
const mechanism = loadMechanisms().find((m) => m.name === 'gavel-demo');
if (!mechanism) throw new Error('lab/mechanisms/gavel-demo.json is missing');
const book = loadMarginBook();

interface ModelRun {
  readonly result: RunResult;
  readonly opened: OpenedBook;
  readonly metrics: ModelMetrics;
  readonly reconciliation: Reconciliation;
  readonly lab: Metrics;
  /** Logs read right after the run, before the next run reverts the chain. */
  readonly seizedDebt: bigint;
  readonly auctioned: { ilk: Hex; auctionId: bigint; amount: bigint }[];
  readonly restored: { ilk: Hex; auctionId: bigint; amount: bigint }[];
  /** Debt the book's positions owe at the end, read at the last block. */
  readonly debtAtEnd: bigint;
  readonly chain: { capacity: bigint[]; drawn: bigint[]; holdingsOk: boolean };
}

let chain: LabChain | undefined;
let world: World;
const runs = new Map<'isolated' | 'portfolio', ModelRun>();

async function runModel(model: 'isolated' | 'portfolio', snapshot: string): Promise<string> {
  await world.rpc.call('evm_revert', [snapshot]);
  const next = await world.rpc.call<string>('evm_snapshot');
  const prices = seedPrices(readBaseConfig(scenario.baseConfig));
  const { result, opened, margin } = await runMargin(world, scenario, prices, book, model, mechanism?.name ?? '');
  const lab = await measure(world, result, mechanism?.name ?? '');
  const { d, rpc, ilks } = world;
  const pe = d.portfolioEngine as Address;
  const owners = new Set(opened.positions.map((p) => p.owner.toLowerCase()));
  // Chain truth at the opening block, read here rather than through the lab's code.
  const at = hex(opened.block);
  const ilkById = (id: string): Ilk => ilks.find((i) => i.id.toLowerCase() === id.toLowerCase()) as Ilk;
  const [assetIds] = (await readMany(rpc, [{ address: pe, abi: portfolioEngineAbi, functionName: 'assets' }], at)) as [Hex[]];
  const capacity: bigint[] = [];
  const drawn: bigint[] = [];
  let holdingsOk = true;
  for (const p of opened.positions) {
    if (model === 'isolated') {
      let cap = 0n;
      let debt = 0n;
      for (const [name, amount] of p.holdings) {
        const ilk = ilks.find((i) => i.name === name) as Ilk;
        const [vault, info, owed] = await readMany(rpc, [
          { address: d.engine, abi: vaultEngineAbi, functionName: 'vault', args: [ilk.id, p.owner] },
          { address: d.engine, abi: vaultEngineAbi, functionName: 'ilks', args: [ilk.id] },
          { address: d.engine, abi: vaultEngineAbi, functionName: 'debtOf', args: [ilk.id, p.owner] },
        ], at) as [[bigint, bigint], { spot: bigint; scale: bigint }, bigint];
        if (vault[0] !== amount) holdingsOk = false;
        cap += collateralValueWadDown(vault[0], info.scale, info.spot);
        debt += owed;
      }
      capacity.push(cap);
      drawn.push(debt);
    } else {
      const [holdings] = (await readMany(rpc, [{ address: pe, abi: portfolioEngineAbi, functionName: 'holdingsOf', args: [p.owner] }], at)) as [bigint[]];
      assetIds.forEach((id, k) => {
        if ((holdings[k] ?? 0n) !== (p.holdings.get(ilkById(id).name) ?? 0n)) holdingsOk = false;
      });
      const [req, debt] = (await readMany(rpc, [
        { address: pe, abi: portfolioEngineAbi, functionName: 'portfolioRequirement', args: [holdings] },
        { address: pe, abi: portfolioEngineAbi, functionName: 'portfolioDebt', args: [p.owner] },
      ], at)) as [[bigint, bigint], bigint];
      capacity.push(req[0]);
      drawn.push(debt);
    }
  }
  // The engine's Seized events for the book's owners (the portfolio debt line for portfolios).
  const logs = async (address: Address): Promise<{ topics: Hex[]; data: Hex }[]> =>
    rpc.call('eth_getLogs', [{ address, fromBlock: hex(result.startBlock), toBlock: hex(result.endBlock) }]);
  let seizedDebt = 0n;
  for (const l of await logs(d.engine)) {
    const e = decodeEventLog({ abi: vaultEngineAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: false });
    if (e.eventName !== 'Seized' || !owners.has((e.args.owner as string).toLowerCase())) continue;
    // The liquidation engine's lot debt: the seized debt rounded up to the wei (divUp).
    seizedDebt += ((e.args.debtRad as bigint) + RAY - 1n) / RAY;
  }
  const auctioned: { ilk: Hex; auctionId: bigint; amount: bigint }[] = [];
  const restored: { ilk: Hex; auctionId: bigint; amount: bigint }[] = [];
  for (const l of await logs(pe)) {
    const e = decodeEventLog({ abi: portfolioEngineAbi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: false });
    if (e.eventName === 'PortfolioCollateralAuctioned') auctioned.push({ ilk: e.args.ilk as Hex, auctionId: e.args.auctionId as bigint, amount: e.args.amount as bigint });
    if (e.eventName === 'PortfolioCollateralRestored') restored.push({ ilk: e.args.ilk as Hex, auctionId: e.args.auctionId as bigint, amount: e.args.amount as bigint });
  }
  const owed = (await readMany(rpc, opened.positions.flatMap((p): Read[] => (model === 'isolated'
    ? [...p.holdings.keys()].map((name) => ({ address: d.engine, abi: vaultEngineAbi, functionName: 'debtOf', args: [(ilks.find((i) => i.name === name) as Ilk).id, p.owner] }))
    : [{ address: pe, abi: portfolioEngineAbi, functionName: 'portfolioDebt', args: [p.owner] }])), hex(result.endBlock))) as bigint[];
  runs.set(model, { result, opened, ...margin, lab, seizedDebt, auctioned, restored, debtAtEnd: owed.reduce((a, b) => a + b, 0n), chain: { capacity, drawn, holdingsOk } });
  return next;
}

beforeAll(async () => {
  const c = await deployLab(scenario, mechanism);
  chain = c;
  world = await setupWorld(c.node.rpcUrl, c.deployment);
  let snapshot = await world.rpc.call<string>('evm_snapshot');
  snapshot = await runModel('isolated', snapshot);
  await runModel('portfolio', snapshot);
}, 240_000);

afterAll(async () => {
  await chain?.stop();
});

const get = (model: 'isolated' | 'portfolio'): ModelRun => {
  const r = runs.get(model);
  if (!r) throw new Error(`no ${model} run`);
  return r;
};

describe('margin comparison on the smoke scenario: each model against chain truth', () => {
  it('opens the same holdings both ways and reports the capacity the chain states, drawing the book’s share of it', () => {
    for (const model of ['isolated', 'portfolio'] as const) {
      const r = get(model);
      expect(r.chain.holdingsOk).toBe(true);
      r.opened.positions.forEach((p, k) => {
        const cap = model === 'isolated' ? p.isolatedCapacity : p.portfolioCapacity;
        expect(cap).toBe(r.chain.capacity[k]);
        expect(p.drawn).toBe(r.chain.drawn[k]);
        // Drawn is the book's share of the capacity (isolated: per vault, each rounded down and up once).
        const share = book.borrowers[k]?.utilization ?? book.utilization;
        expect(p.utilization).toBe(share);
        expect(p.drawn).toBeLessThanOrEqual(drawFor(cap, share) + BigInt(p.holdings.size));
        expect(p.drawn).toBeGreaterThanOrEqual(drawFor(cap, share) - BigInt(p.holdings.size));
      });
    }
    const iso = get('isolated').opened.positions;
    const pf = get('portfolio').opened.positions;
    // Same holdings, same prices: each run also read the other model's capacity, and they agree.
    iso.forEach((p, k) => {
      expect([...p.holdings]).toEqual([...(pf[k]?.holdings ?? [])]);
      expect(p.portfolioCapacity).toBe(pf[k]?.portfolioCapacity);
      expect(p.isolatedCapacity).toBe(pf[k]?.isolatedCapacity);
      // The table never values an asset below its spot: a portfolio lends at least what the vaults do.
      expect(p.portfolioCapacity).toBeGreaterThanOrEqual(p.isolatedCapacity);
    });
    // One asset: exactly the isolated rule (docs/portfolio.md).
    const single = iso.find((p) => p.holdings.size === 1);
    expect(single?.portfolioCapacity).toBe(single?.isolatedCapacity);
  });

  it('attributes bad debt so that every auction of the run adds up to the books, and the lab’s ledger still agrees with them', () => {
    for (const model of ['isolated', 'portfolio'] as const) {
      const r = get(model);
      expect(r.reconciliation.ok).toBe(true);
      expect(r.reconciliation.lots).toBe(r.lab.kicked);
      expect(r.lab.liquidations).toBe(r.lab.kicked);
      expect(r.lab.badDebtFromEvents).toBe(r.lab.badDebt);
      expect(r.lab.infraReverts).toBe(0);
      expect(r.metrics.badDebt).toBeGreaterThanOrEqual(r.metrics.incentives);
      expect(r.metrics.lots).toBe(r.metrics.sold + r.metrics.takenOver + r.metrics.left);
    }
  });

  it('liquidates both books in the crash: the keeper’s liquidatePortfolio lands, and each model’s lots carry the debt the engine seized', () => {
    const iso = get('isolated');
    const pf = get('portfolio');
    expect(iso.metrics.lots).toBeGreaterThan(0);
    expect(pf.metrics.lots).toBeGreaterThan(0);
    expect(pf.result.included.some((t) => t.kind === 'liquidatePortfolio' && t.success)).toBe(true);
    expect(iso.result.included.some((t) => t.kind === 'liquidatePortfolio')).toBe(false);
    for (const r of [iso, pf]) {
      const debt = r.metrics.lotsList.reduce((s, x) => s + x.debt, 0n);
      expect(debt).toBe(r.seizedDebt);
    }
    // Every portfolio lot is a PortfolioCollateralAuctioned of the portfolio engine, and nothing else is.
    const lots = pf.metrics.lotsList.map((x) => `${x.ilk}/${x.id}`).sort();
    const auctioned = pf.auctioned.map((a) => `${world.ilks.find((i) => i.id.toLowerCase() === a.ilk.toLowerCase())?.name}/${a.auctionId}`).sort();
    expect(auctioned).toEqual(lots);
    expect(iso.auctioned).toEqual([]);
  });

  it('reports collateral returned and the debt left as the chain holds them', () => {
    const pf = get('portfolio');
    // An unsold rest of a portfolio lot comes back into the portfolio (PortfolioCollateralRestored, same auction and amount).
    const returned = pf.metrics.lotsList.filter((x) => x.returned > 0n).map((x) => `${x.ilk}/${x.id}/${x.returned}`).sort();
    const restored = pf.restored.map((x) => `${world.ilks.find((i) => i.id.toLowerCase() === x.ilk.toLowerCase())?.name}/${x.auctionId}/${x.amount}`).sort();
    expect(restored).toEqual(returned);
    for (const model of ['isolated', 'portfolio'] as const) {
      const r = get(model);
      expect(r.metrics.debtLeft).toBe(Number(r.debtAtEnd) / 1e18);
      expect(r.metrics.drawn).toBeGreaterThan(0);
      expect(r.metrics.capacity).toBeGreaterThan(r.metrics.drawn);
    }
    expect(get('portfolio').metrics.capacity).toBeGreaterThan(get('isolated').metrics.capacity);
  });
});
