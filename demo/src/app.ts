// Builds the Next.js app for the demo's RPC URL (the URL is inlined at build time; the build is
// reused while the URL stays the same) and serves it with `next start`, the development wallet on.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from '@gavel/contracts/testing';
import { type Managed, startManaged } from './processes.ts';

const appDir = path.join(repoRoot, 'app');
const NEXT = path.join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next');
/** The demo's own build folder (app/next.config.ts reads GAVEL_NEXT_DIST_DIR). */
const DIST = '.next-demo';
const MARKER = path.join(appDir, DIST, 'demo-rpc-url');

function appEnv(rpcUrl: string, chainId: number, indexerUrl?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...(indexerUrl === undefined ? {} : { NEXT_PUBLIC_GAVEL_INDEXER_URL: indexerUrl }),
    NEXT_PUBLIC_RPC_URL: rpcUrl,
    NEXT_PUBLIC_CHAIN_ID: String(chainId),
    NEXT_TELEMETRY_DISABLED: '1',
    GAVEL_NEXT_DIST_DIR: DIST,
  };
}

/** `next build` unless .next already holds a build for this RPC URL and chain. */
export async function buildApp(rpcUrl: string, chainId: number, logFile: string, log: (s: string) => void, indexerUrl?: string): Promise<void> {
  const want = `${chainId} ${rpcUrl}${indexerUrl === undefined ? '' : ` ${indexerUrl}`}`;
  if (existsSync(MARKER) && readFileSync(MARKER, 'utf8') === want && existsSync(path.join(appDir, DIST, 'BUILD_ID'))) {
    log(`app: reusing the production build in app/${DIST}`);
    return;
  }
  log('app: next build (about a minute the first time)...');
  const t = Date.now();
  const m = startManaged('next build', process.execPath, [NEXT, 'build'], { cwd: appDir, env: appEnv(rpcUrl, chainId, indexerUrl), logFile });
  const code = await m.exited;
  if (code !== 0) throw new Error(`next build failed (${code}); see ${logFile}\n${m.tail().slice(-1500)}`);
  writeFileSync(MARKER, want);
  log(`app: built in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

/** Serves the built app on `port`; resolves once it answers. */
export async function startApp(o: { rpcUrl: string; chainId: number; port: number; deploymentsFile: string; logFile: string; indexerUrl?: string }): Promise<Managed> {
  const m = startManaged('app', process.execPath, [NEXT, 'start', '-p', String(o.port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...appEnv(o.rpcUrl, o.chainId, o.indexerUrl), GAVEL_DEPLOYMENTS_FILE: o.deploymentsFile, NODE_ENV: 'production' },
    logFile: o.logFile,
  });
  const end = Date.now() + 60_000;
  for (;;) {
    if (m.child.exitCode !== null) throw new Error(`the app server exited (${m.child.exitCode}): ${m.tail().slice(-800)}`);
    try {
      const r = await fetch(`http://127.0.0.1:${o.port}/api/deployment`);
      if (r.ok) return m;
    } catch {
      // not yet
    }
    if (Date.now() > end) {
      await m.stop();
      throw new Error(`the app did not answer on port ${o.port} within 60 s: ${m.tail().slice(-800)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Whether a TCP port is free on 127.0.0.1. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => {
      resolve(false);
    });
    srv.listen(port, '127.0.0.1', () => srv.close(() => {
      resolve(true);
    }));
  });
}

