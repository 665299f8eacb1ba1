// Every scenario × every mechanism. Each worker owns one anvil at a time: it deploys a mechanism's
// system once (forge scripts, ~30 s), takes an anvil snapshot after the world's setup, and runs each
// of that mechanism's scenarios from the snapshot (evm_revert), so a deploy is paid once per chain.
import { deployLab, type LabChain, readBaseConfig, seedPrices } from './deploy.ts';
import { type Metrics, measure } from './ledger.ts';
import { type MarginCell, type MarginModel, runMargin } from './margin.ts';
import type { MarginBook, Mechanism, Scenario } from './schema.ts';
import { type RunResult, type World, runScenario, setupWorld } from './sim.ts';

export interface Cell {
  readonly scenario: Scenario;
  readonly mechanism: Mechanism;
  readonly result: RunResult;
  readonly metrics: Metrics;
  readonly seconds: number;
  /** The margin comparison's figures for this run's model (`--margin`). */
  readonly margin?: MarginCell;
}

interface Task {
  readonly scenario: Scenario;
  readonly mechanism: Mechanism;
  /** With a margin book: the model this run opens it as. */
  readonly model?: MarginModel;
}

/** The margin comparison: every scenario × mechanism runs once per model, each with the book opened that way. */
export interface MarginRuns {
  readonly book: MarginBook;
  readonly models: readonly MarginModel[];
}

const keyOf = (t: Task): string => `${t.mechanism.name}|${t.scenario.baseConfig}|${t.scenario.vaults}`;

export async function runMatrix(
  scenarios: readonly Scenario[],
  mechanisms: readonly Mechanism[],
  jobs: number,
  log: (s: string) => void,
  margin?: MarginRuns,
): Promise<Cell[]> {
  const tasks: Task[] = [];
  for (const mechanism of mechanisms) {
    for (const scenario of scenarios) {
      if (margin) for (const model of margin.models) tasks.push({ scenario, mechanism, model });
      else tasks.push({ scenario, mechanism });
    }
  }
  const cells: Cell[] = [];
  const held = new Map<number, string>();
  // A worker keeps to its chain's mechanism; when that runs out it takes a mechanism no other worker
  // holds (a deploy costs 30-60 s), and only then shares one.
  const take = (w: number): Task | undefined => {
    const mine = held.get(w);
    const others = new Set([...held].filter(([k]) => k !== w).map(([, v]) => v));
    const i = [
      tasks.findIndex((t) => keyOf(t) === mine),
      tasks.findIndex((t) => !others.has(keyOf(t))),
      0,
    ].find((x) => x >= 0 && x < tasks.length);
    if (i === undefined || tasks.length === 0) return undefined;
    const [task] = tasks.splice(i, 1);
    if (task) held.set(w, keyOf(task));
    return task;
  };
  async function worker(w: number): Promise<void> {
    let chain: (LabChain & { key: string; world: World; snapshot: string }) | undefined;
    try {
      for (;;) {
        const task = take(w);
        if (!task) return;
        const key = keyOf(task);
        if (chain?.key !== key) {
          await chain?.stop();
          chain = undefined;
          const t0 = performance.now();
          log(`[w${w}] deploying ${task.mechanism.name} (${task.scenario.baseConfig}, ${task.scenario.vaults} vaults)`);
          const c = await deployWithRetry(task, (s) => { log(`[w${w}] ${s}`); });
          const world = await setupWorld(c.node.rpcUrl, c.deployment, task.mechanism.preLiquidation);
          const snapshot = await world.rpc.call<string>('evm_snapshot');
          chain = { ...c, key, world, snapshot };
          log(`[w${w}] deployed ${task.mechanism.name} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        } else {
          await chain.world.rpc.call('evm_revert', [chain.snapshot]);
          chain.snapshot = await chain.world.rpc.call<string>('evm_snapshot');
        }
        const t0 = performance.now();
        const prices = seedPrices(readBaseConfig(task.scenario.baseConfig));
        const runLog = (s: string): void => { log(`[w${w}] ${task.mechanism.name}${task.model ? ` ${task.model}` : ''} ${s}`); };
        if (margin && task.model) {
          const run = await runMargin(chain.world, task.scenario, prices, margin.book, task.model, task.mechanism.name, runLog);
          const metrics = await measure(chain.world, run.result, task.mechanism.name);
          const seconds = (performance.now() - t0) / 1000;
          const m = run.margin.metrics;
          log(`[w${w}] ${task.scenario.name} × ${task.mechanism.name} × ${task.model}: capacity ${m.capacity.toFixed(0)}, drawn ${m.drawn.toFixed(0)}, ${m.lots} lots, bad debt ${m.badDebt.toFixed(0)}, ${seconds.toFixed(0)} s`);
          cells.push({ scenario: task.scenario, mechanism: task.mechanism, result: run.result, metrics, seconds, margin: { ...run.margin, seconds, runBadDebt: metrics.badDebt } });
          continue;
        }
        const result = await runScenario(chain.world, task.scenario, prices, runLog);
        const metrics = await measure(chain.world, result, task.mechanism.name);
        const seconds = (performance.now() - t0) / 1000;
        log(`[w${w}] ${task.scenario.name} × ${task.mechanism.name}: bad debt ${metrics.badDebt.toFixed(0)}, ${metrics.kicked} auctions, ${seconds.toFixed(0)} s`);
        cells.push({ scenario: task.scenario, mechanism: task.mechanism, result, metrics, seconds });
      }
    } finally {
      await chain?.stop();
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, (_, w) => worker(w)));
  const order = (c: Cell): number => scenarios.indexOf(c.scenario) * 1000 + mechanisms.indexOf(c.mechanism) * 10 + (margin && c.margin ? margin.models.indexOf(c.margin.metrics.model) : 0);
  return cells.sort((a, b) => order(a) - order(b));
}

/** Deploy attempts on a fresh anvil each: under load a forge broadcast can hang past its timeout even
 * after `deployLocalSystem`'s own retries. */
const DEPLOY_ATTEMPTS = 3;

async function deployWithRetry(task: Task, log: (s: string) => void): Promise<LabChain> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deployLab(task.scenario, task.mechanism);
    } catch (err) {
      if (attempt >= DEPLOY_ATTEMPTS) throw err;
      log(`deploy of ${task.mechanism.name} failed (attempt ${attempt}): ${(err as Error).message.split('\n')[0] ?? ''}; retrying on a fresh anvil`);
    }
  }
}
