// The indexer beside the demo's chain (@gavel/indexer: Ponder with embedded PGlite in the work
// folder, nothing to install). The app reads history from it through NEXT_PUBLIC_GAVEL_INDEXER_URL;
// the demo does not wait for it: the app works from the chain alone until the indexer is ready.
import path from 'node:path';
import { repoRoot } from '@gavel/contracts/testing';
import { type Managed, startManaged } from './processes.ts';

/** Port of the demo's indexer (`GAVEL_INDEXER_PORT`, default 42069, Ponder's own default). */
export function indexerPort(): number {
  const p = Number(process.env.GAVEL_INDEXER_PORT ?? '42069');
  if (!Number.isInteger(p) || p <= 0 || p > 65_535) throw new Error(`GAVEL_INDEXER_PORT must be a TCP port, got ${process.env.GAVEL_INDEXER_PORT ?? ''}`);
  return p;
}

export function indexerUrl(port: number): string {
  return `http://127.0.0.1:${String(port)}`;
}

/** Starts the indexer (PGlite under `workDir/indexer`); logs once it has caught up with the chain. */
export function startIndexer(o: { rpcUrl: string; deploymentsFile: string; port: number; workDir: string; log: (s: string) => void }): Managed {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RPC_URL: o.rpcUrl,
    DEPLOYMENTS_FILE: o.deploymentsFile,
    GAVEL_INDEXER_DIR: path.join(o.workDir, 'indexer'),
    PONDER_TELEMETRY_DISABLED: 'true',
  };
  // The demo's chain is new each run: always a fresh embedded database, never a server from the env.
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  const m = startManaged('indexer', process.execPath, [path.join(repoRoot, 'indexer', 'bin', 'gavel-indexer.mjs'), '--port', String(o.port), '--hostname', '127.0.0.1'], {
    cwd: path.join(repoRoot, 'indexer'),
    env,
    logFile: path.join(o.workDir, 'indexer.log'),
  });
  const url = indexerUrl(o.port);
  o.log(`indexer starting on ${url} (log ${path.join(o.workDir, 'indexer.log')})`);
  void (async () => {
    const end = Date.now() + 300_000;
    while (Date.now() < end && m.child.exitCode === null && m.child.signalCode === null) {
      try {
        if ((await fetch(`${url}/ready`)).ok) {
          o.log(`indexer ready on ${url}`);
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  void m.exited.then((code) => {
    if (code !== 'SIGTERM' && code !== 'SIGKILL') o.log(`indexer exited (${String(code)}); the app shows history as unavailable. ${m.tail().slice(-300)}`);
  });
  return m;
}
