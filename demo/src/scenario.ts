// One run of the demo: a local chain deployed and seeded, the market simulator, the keeper, the
// observer (and, interactively, the app and the dashboard). Headless, it runs the fixed timeline,
// settles, checks the books and, unless told not to, replays the same market on the same seeded
// chain without the keeper (anvil snapshot/revert) to show the bad debt the keeper prevents.

import { type Address, type Chain, type HttpTransport, type PublicClient, encodeFunctionData, formatUnits, parseGwei } from 'viem';
import { collateralAuctionAbi, demoTokenAbi, iMedianOracleAbi, portfolioEngineAbi, RAY, stablecoinAbi, vaultEngineAbi } from '@gavel/sdk';
import type { AnvilNode } from '@gavel/contracts/testing';
import { buildApp, portFree, startApp } from './app.ts';
import { indexerPort, indexerUrl, startIndexer } from './indexer.ts';
import { startLocalChain } from './chain.ts';
import { renderDashboard } from './dashboard.ts';
import type { DemoDeployment } from './deployment.ts';
import { fundHumans, humanHint } from './humans.ts';
import { keeperAccounts, startKeeper } from './keeper.ts';
import { MarketPath, type Timeline, defaultMarkets } from './market/path.ts';
import { MarketSimulator } from './market/simulator.ts';
import { type SystemFigures, systemFigures } from './figures.ts';
import { summarizeLatency } from './observe/latency.ts';
import { Observer } from './observe/observer.ts';
import type { Managed } from './processes.ts';
import { type Books, type RunSummary, keeperProfit, runSummary } from './summary.ts';

export interface ScenarioOptions {
  readonly headless: boolean;
  readonly seed: string;
  readonly vaults: number;
  /** Portfolio vaults to seed (when the deployment has a portfolio engine). */
  readonly portfolios: number;
  readonly timeline: Timeline;
  readonly keeper: boolean;
  readonly compare: boolean;
  readonly anvilPort: number;
  readonly appPort: number;
  readonly config: string;
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Interactive: resolves when the user asks to stop (Ctrl-C). */
  readonly stopRequested: Promise<void>;
  /** The keeper's GAVEL_MIN_MARGIN (undefined: its default); interactive runs leave people a window. */
  readonly keeperMargin?: string | undefined;
}

export interface DemoSummary {
  readonly scenario: {
    readonly seed: string;
    readonly vaultsSeeded: number;
    readonly blocks: number;
    readonly calmBlocks: number;
    readonly crashBlocks: number;
    readonly aftermathBlocks: number;
    readonly crashDepth: Record<string, number>;
    readonly seconds: number;
  };
  readonly withKeeper: RunSummary & {
    readonly observerAgreesWithChain: CrossCheck;
    readonly keeper: { readonly accounts: readonly Address[]; readonly profit: string; readonly gasEth: string } | undefined;
    readonly simulator: { readonly sent: number; readonly reverted: number; readonly failedToSend: number };
    /** Each house's circuit-breaker level at the end (0: the armed breaker never paused it). */
    readonly breakerLevels: Record<string, number>;
  };
  readonly withoutKeeper: { readonly liquidated: number; readonly unsafeAtEnd: number; readonly badDebt: string; readonly shortfall: string } | undefined;
  /** (shortfall + bad debt without the keeper) − (shortfall + bad debt added with it), gUSD. */
  readonly badDebtPrevented: string | undefined;
  readonly logs: string;
}

type Client = PublicClient<HttpTransport, Chain>;

async function books(client: Client, d: DemoDeployment, obs: Observer): Promise<Books> {
  const supply = await client.readContract({ address: d.stablecoin, abi: stablecoinAbi, functionName: 'totalSupply' });
  const surplus = await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'surplusRad' });
  const debt = await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'totalDebtRad' });
  const bad = await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'badDebtRad' });
  return {
    balanced: supply * RAY + surplus === debt + bad,
    observerDebtMatches: obs.totalDebtRad() === debt,
    supply: formatUnits(supply, 18),
    surplus: formatUnits(surplus, 45),
    debt: formatUnits(debt, 45),
    badDebt: formatUnits(bad, 45),
  };
}

async function holdings(client: Client, d: DemoDeployment, who: readonly Address[]) {
  let stable = 0n;
  let eth = 0n;
  const collateral = new Map<string, bigint>();
  for (const a of who) {
    stable += await client.readContract({ address: d.stablecoin, abi: stablecoinAbi, functionName: 'balanceOf', args: [a] });
    eth += await client.getBalance({ address: a });
    for (const ilk of d.ilks) {
      const b = await client.readContract({ address: ilk.token, abi: demoTokenAbi, functionName: 'balanceOf', args: [a] });
      collateral.set(ilk.name, (collateral.get(ilk.name) ?? 0n) + b);
    }
  }
  return { stable, eth, collateral };
}

/** Settles every house (books penalty revenue, burns proceeds against bad debt) with automine on. */
async function settleAll(node: AnvilNode, d: DemoDeployment): Promise<void> {
  for (const ilk of d.ilks) {
    const hash = await node.walletClient.sendTransaction({
      to: ilk.house,
      data: encodeFunctionData({ abi: collateralAuctionAbi, functionName: 'settle' }),
      gas: 500_000n,
      maxFeePerGas: parseGwei('50'),
      maxPriorityFeePerGas: parseGwei('1'),
    });
    await node.publicClient.waitForTransactionReceipt({ hash });
  }
}

export interface CrossCheck {
  /** Vault-blocks checked against VaultEngine.isSafe at that block. */
  readonly checked: number;
  /** Where the observer's classification differed from the chain's: must be 0. */
  readonly mismatches: number;
}

/**
 * The observer's classification against the chain's: for every unsafe episode, `isSafe` at the
 * block it started must be false and at the block before true (unless the vault was new); for
 * every liquidation, `isSafe` at the block before it must be false.
 */
async function checkAgainstChain(client: Client, d: DemoDeployment, obs: Observer): Promise<CrossCheck> {
  const ids = new Map(d.ilks.map((i) => [i.name, i.id]));
  let checked = 0;
  let mismatches = 0;
  const expect = async (ilk: string, owner: Address, block: bigint, safe: boolean): Promise<void> => {
    const id = ids.get(ilk);
    if (!id) return;
    const chainSafe = await client.readContract({ address: d.engine, abi: vaultEngineAbi, functionName: 'isSafe', args: [id, owner], blockNumber: block });
    checked++;
    if (chainSafe !== safe) mismatches++;
  };
  for (const e of obs.episodes) {
    if (e.startedFresh) {
      await expect(e.ilk, e.owner as Address, e.unsafeAt, false);
      await expect(e.ilk, e.owner as Address, e.unsafeAt - 1n, true);
    }
  }
  for (const l of obs.liquidations) await expect(l.ilk, l.owner, l.block - 1n, false);
  // Every portfolio liquidation: the portfolio engine's own rule said unsafe at the block before.
  const pe = d.portfolioEngine;
  for (const l of pe === undefined ? [] : obs.portfolioLiquidations) {
    const safe = await client.readContract({ address: pe as Address, abi: portfolioEngineAbi, functionName: 'isSafe', args: [l.owner], blockNumber: l.block - 1n });
    checked++;
    if (safe) mismatches++;
  }
  return { checked, mismatches };
}

/** How many of the observer's portfolios the portfolio engine calls unsafe now (chain truth). */
async function portfoliosUnsafe(client: Client, d: DemoDeployment, obs: Observer): Promise<number> {
  const pe = d.portfolioEngine;
  if (pe === undefined) return 0;
  const safe = await Promise.all([...obs.portfolios.values()].map((p) => client.readContract({ address: pe, abi: portfolioEngineAbi, functionName: 'isSafe', args: [p.owner] })));
  return safe.filter((s) => !s).length;
}

/** Quiet blocks after the market's last move before a headless run is judged. */
const DRAIN_BLOCKS = 5n;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runScenario(o: ScenarioOptions): Promise<DemoSummary | undefined> {
  const t0 = Date.now();
  if (o.anvilPort !== 0 && !(await portFree(o.anvilPort))) throw new Error(`port ${o.anvilPort} is in use (another anvil?): pass --port <free port>`);
  if (!o.headless && !(await portFree(o.appPort))) throw new Error(`port ${o.appPort} is in use: pass --app-port <free port>`);
  if (!o.headless && !(await portFree(indexerPort()))) throw new Error(`port ${indexerPort()} (the indexer) is in use: set GAVEL_INDEXER_PORT to a free port`);
  const chain = await startLocalChain({ port: o.anvilPort, vaults: o.vaults, portfolios: o.portfolios, config: o.config, log: o.log });
  const managed: Managed[] = [];
  try {
    const { node, deployment: d } = chain;
    const client = node.publicClient;
    const startPrices = new Map<string, number>();
    for (const ilk of d.ilks) {
      const [p] = await client.readContract({ address: ilk.oracle, abi: iMedianOracleAbi, functionName: 'peek' });
      startPrices.set(ilk.name, Number(formatUnits(p, 18)));
    }
    const markets = defaultMarkets(startPrices);
    const sim = new MarketSimulator(client, node.walletClient, d, new MarketPath(o.seed, o.timeline, markets));
    await sim.setup();
    const snapshot = o.headless && o.compare ? await node.testClient.snapshot() : undefined;
    // Interactive: development accounts with gUSD, so a person can take auctions by hand.
    const humans = o.headless ? undefined : await fundHumans(node, d);
    if (humans) o.log(`development wallets #${humans.indexes.join(', #')} hold ${formatUnits(humans.stableEach, 18)} gUSD each`);

    // The indexer (history for the app) starts first: it catches up while the app builds.
    const indexer = o.headless ? undefined : indexerUrl(indexerPort());
    if (indexer !== undefined) managed.push(startIndexer({ rpcUrl: node.rpcUrl, deploymentsFile: chain.deploymentsFile, port: indexerPort(), workDir: o.workDir, log: o.log }));
    if (!o.headless) await buildApp(node.rpcUrl, d.chainId, `${o.workDir}/next-build.log`, o.log, indexer);

    const accounts = keeperAccounts();
    let keeper: Managed | undefined;
    if (o.keeper) {
      keeper = startKeeper({ rpcUrl: node.rpcUrl, deploymentsFile: chain.deploymentsFile, deployment: d, keys: accounts.keys, workDir: o.workDir, nativePrice: String(Math.round(startPrices.get('ETH-A') ?? 2000)), minMargin: o.keeperMargin });
      managed.push(keeper);
      await sleep(4000);
      if (keeper.child.exitCode !== null) throw new Error(`the keeper exited at start (${keeper.child.exitCode}):\n${keeper.tail().slice(-1500)}`);
      o.log('keeper running (kick + bid, flash capital, DEX reference)');
    }
    let appUrl: string | undefined;
    if (!o.headless) {
      const app = await startApp({ rpcUrl: node.rpcUrl, chainId: d.chainId, port: o.appPort, deploymentsFile: chain.deploymentsFile, logFile: `${o.workDir}/app.log`, indexerUrl: indexer });
      managed.push(app);
      appUrl = `http://localhost:${o.appPort}`;
      o.log(`app on ${appUrl}`);
    }

    const obs = new Observer(client, d);
    const before = { ...(await systemFigures(client, d)), keeper: await holdings(client, d, accounts.addresses) };
    await obs.init(await client.getBlockNumber({ cacheTime: 0 }));
    await node.testClient.setIntervalMining({ interval: 1 });
    o.log(`market: ${o.timeline.calmBlocks} calm blocks, a crash over ${o.timeline.crashBlocks}, then ${Number.isFinite(o.timeline.aftermathBlocks) ? o.timeline.aftermathBlocks : 'endless'} blocks of aftermath (1-second blocks)`);

    const run = { stop: false };
    let drainUntil: bigint | undefined;
    void o.stopRequested.then(() => {
      run.stop = true;
    });
    let figures: SystemFigures = before;
    let profitNow: bigint | undefined;
    const units = new Map(d.ilks.map((i) => [i.name, 10n ** BigInt(i.decimals)]));
    const dashboardStart = Date.now();
    while (!run.stop) {
      await sleep(100);
      const tip = await client.getBlockNumber({ cacheTime: 0 });
      if (tip <= obs.head) continue;
      while (obs.head < tip) {
        await obs.processBlock(obs.head + 1n);
        await sim.checkBlock(obs.head);
      }
      if (keeper && keeper.child.exitCode !== null) throw new Error(`the keeper exited (${keeper.child.exitCode}):\n${keeper.tail().slice(-1500)}`);
      if (sim.path.done()) {
        // Headless: a few quiet blocks after the last price move, so a vault made unsafe by it
        // still gets the 2 blocks the rule gives the keeper before the run is judged.
        drainUntil ??= tip + DRAIN_BLOCKS;
        if (!o.headless || tip >= drainUntil) break;
        continue;
      }
      await sim.step(tip + 1n);
      if (!o.headless) {
        if (tip % 5n === 0n) {
          figures = await systemFigures(client, d);
          if (keeper) {
            const now = await holdings(client, d, accounts.addresses);
            const prices = sim.lastStep?.truth ?? new Map<string, bigint>();
            profitNow = keeperProfit(before.keeper, now, prices, units, prices.get('ETH-A') ?? 0n).profit;
          }
        }
        process.stdout.write(
          renderDashboard(obs, sim, {
            title: 'Gavel demo',
            rpcUrl: node.rpcUrl,
            appUrl,
            keeper: keeper ? `running (log ${o.workDir}/keeper.log)` : 'off',
            startedAt: dashboardStart,
            badDebtWad: figures.badDebt,
            fundWad: figures.fund,
            proceedsWad: figures.proceeds,
            keeperProfitWad: profitNow,
            hint: appUrl && humans ? humanHint(appUrl, humans, keeper ? o.keeperMargin : undefined) : undefined,
          }),
        );
      }
    }

    if (o.headless && run.stop) throw new Error('interrupted before the scenario ended (no summary)');
    // Wind down: stop the keeper (and the app).
    for (const m of managed.splice(0).reverse()) await m.stop();
    if (!o.headless) {
      const a = [...obs.auctions.values()];
      o.log(
        `stopped at block ${obs.head}: ${obs.liquidations.length} liquidations, ${a.length} auctions (${a.filter((x) => x.end !== undefined).length} ended), ` +
          `slowest kick ${summarizeLatency(obs.episodes).maxBlocks} blocks; logs in ${o.workDir}`,
      );
      return undefined;
    }
    // Headless: mine on demand again, settle every house, read the books.
    await node.testClient.setIntervalMining({ interval: 0 });
    await node.testClient.setAutomine(true);
    await settleAll(node, d);
    await obs.catchUp();
    obs.finish();
    const finalPrices = sim.lastStep?.truth ?? new Map<string, bigint>();
    const truthAt = (block: bigint): ReadonlyMap<string, bigint> | undefined => {
      for (let b = block; b >= block - 5n; b--) {
        const t = sim.truthByBlock.get(b);
        if (t) return t;
      }
      return undefined;
    };
    const after = { ...(await systemFigures(client, d)), keeper: await holdings(client, d, accounts.addresses) };
    const eth = finalPrices.get('ETH-A') ?? 0n;
    const kp = keeperProfit(before.keeper, after.keeper, finalPrices, units, eth);
    const summary = runSummary(obs, summarizeLatency(obs.episodes), {
      truthAt,
      finalPrices,
      badDebtBefore: before.badDebt,
      badDebtAfter: after.badDebt,
      fundBefore: before.fund,
      fundAfter: after.fund,
      books: await books(client, d, obs),
      portfoliosUnsafeAtEnd: await portfoliosUnsafe(client, d, obs),
    });
    const crossCheck = await checkAgainstChain(client, d, obs);
    const withKeeper = {
      ...summary,
      observerAgreesWithChain: crossCheck,
      keeper: o.keeper ? { accounts: accounts.addresses, profit: formatUnits(kp.profit, 18), gasEth: formatUnits(kp.gasEth, 18) } : undefined,
      simulator: { sent: sim.stats.sent, reverted: sim.stats.reverted, failedToSend: sim.stats.failedToSend },
      breakerLevels: Object.fromEntries(
        await Promise.all(d.ilks.map(async (i) => [i.name, await client.readContract({ address: i.house, abi: collateralAuctionAbi, functionName: 'breakerLevel' })] as const)),
      ),
    };

    // The same market on the same chain without the keeper: blocks mined on demand (no one to wait for).
    let withoutKeeper: DemoSummary['withoutKeeper'];
    let prevented: string | undefined;
    if (snapshot !== undefined) {
      o.log('replaying the same market without the keeper...');
      await node.testClient.revert({ id: snapshot });
      await node.testClient.setAutomine(false);
      const obs2 = new Observer(client, d);
      const head = await client.getBlockNumber({ cacheTime: 0 });
      await obs2.init(head);
      const sim2 = new MarketSimulator(client, node.walletClient, d, new MarketPath(o.seed, o.timeline, markets));
      await sim2.attach();
      let ts = (await client.getBlock({ blockNumber: head })).timestamp;
      while (!sim2.path.done()) {
        await sim2.step(obs2.head + 1n);
        ts += 1n;
        await node.testClient.setNextBlockTimestamp({ timestamp: ts });
        await node.testClient.mine({ blocks: 1 });
        await obs2.processBlock(obs2.head + 1n);
      }
      const shortfall2 = obs2.shortfall(finalPrices);
      const bad2 = (await systemFigures(client, d)).badDebt - before.badDebt;
      withoutKeeper = {
        liquidated: obs2.liquidations.length,
        unsafeAtEnd: [...obs2.vaults.values()].filter((v) => obs2.unsafe(v)).length,
        badDebt: formatUnits(bad2, 18),
        shortfall: formatUnits(shortfall2, 18),
      };
      const withLoss = obs.shortfall(finalPrices) + (after.badDebt - before.badDebt);
      prevented = formatUnits(shortfall2 + bad2 - withLoss, 18);
    }
    return {
      scenario: {
        seed: o.seed,
        vaultsSeeded: o.vaults,
        blocks: o.timeline.calmBlocks + o.timeline.crashBlocks + o.timeline.aftermathBlocks,
        calmBlocks: o.timeline.calmBlocks,
        crashBlocks: o.timeline.crashBlocks,
        aftermathBlocks: o.timeline.aftermathBlocks,
        crashDepth: Object.fromEntries(markets.map((m) => [m.name, m.crashDepth])),
        seconds: Math.round((Date.now() - t0) / 1000),
      },
      withKeeper,
      withoutKeeper,
      badDebtPrevented: prevented,
      logs: o.workDir,
    };
  } finally {
    for (const m of managed.reverse()) await m.stop();
    await chain.stop();
  }
}
