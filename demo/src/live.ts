// `gavel-demo --rpc <url> --deployments <file>`: no local chain and no simulated market; the keeper
// and the app run against that chain and the dashboard shows what the observer sees.

import { createPublicClient, http } from 'viem';
import { buildApp, startApp } from './app.ts';
import { indexerPort, indexerUrl, startIndexer } from './indexer.ts';
import { renderDashboard } from './dashboard.ts';
import { checkDeploymentChain, DeploymentChainError, readDeployment } from './deployment.ts';
import { systemFigures } from './figures.ts';
import { startKeeper } from './keeper.ts';
import { Observer } from './observe/observer.ts';
import type { Managed } from './processes.ts';

export interface LiveOptions {
  readonly rpcUrl: string;
  readonly deploymentsFile: string;
  readonly keeper: boolean;
  readonly appPort: number;
  readonly workDir: string;
  readonly log: (line: string) => void;
  readonly stopRequested: Promise<void>;
}

export async function runLive(o: LiveOptions): Promise<void> {
  const d = readDeployment(o.deploymentsFile);
  const keys = (process.env.GAVEL_PRIVATE_KEYS ?? '').split(',').filter((k) => k.trim() !== '') as `0x${string}`[];
  if (o.keeper && keys.length === 0) throw new Error('--rpc: set GAVEL_PRIVATE_KEYS (the keeper signs with them) or pass --no-keeper');
  const client = createPublicClient({ transport: http(o.rpcUrl) });
  await checkDeploymentChain(d, client).catch((e: unknown) => {
    throw e instanceof DeploymentChainError ? new Error(`--rpc: ${o.deploymentsFile}: ${e.message}`) : e;
  });
  const chainId = d.chainId;
  const managed: Managed[] = [];
  try {
    const indexer = indexerUrl(indexerPort());
    managed.push(startIndexer({ rpcUrl: o.rpcUrl, deploymentsFile: o.deploymentsFile, port: indexerPort(), workDir: o.workDir, log: o.log }));
    await buildApp(o.rpcUrl, chainId, `${o.workDir}/next-build.log`, o.log, indexer);
    const keeper = o.keeper ? startKeeper({ rpcUrl: o.rpcUrl, deploymentsFile: o.deploymentsFile, deployment: d, keys, workDir: o.workDir, nativePrice: process.env.GAVEL_NATIVE_PRICE ?? '3000' }) : undefined;
    if (keeper) managed.push(keeper);
    managed.push(await startApp({ rpcUrl: o.rpcUrl, chainId, port: o.appPort, deploymentsFile: o.deploymentsFile, logFile: `${o.workDir}/app.log`, indexerUrl: indexer }));
    const obs = new Observer(client, d);
    await obs.init(await client.getBlockNumber());
    const run = { stop: false };
    void o.stopRequested.then(() => {
      run.stop = true;
    });
    const started = Date.now();
    while (!run.stop) {
      if (keeper && keeper.child.exitCode !== null) throw new Error(`the keeper exited (${keeper.child.exitCode}):\n${keeper.tail().slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 500));
      await obs.catchUp();
      const f = await systemFigures(client, d);
      process.stdout.write(
        renderDashboard(obs, undefined, { title: 'Gavel (live chain)', rpcUrl: o.rpcUrl, appUrl: `http://localhost:${o.appPort}`, keeper: o.keeper ? 'running' : 'off', startedAt: started, badDebtWad: f.badDebt, fundWad: f.fund, proceedsWad: f.proceeds, keeperProfitWad: undefined }),
      );
    }
  } finally {
    for (const m of managed.reverse()) await m.stop();
  }
}
