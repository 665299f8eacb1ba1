// Test harness: the real indexer process (bin/gavel-indexer.mjs → ponder start) against a real anvil,
// with PGlite in a temp dir or a throwaway PostgreSQL cluster (initdb/pg_ctl on a free port).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const indexerRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => {
        resolve(port);
      });
    });
  });
}

export type Database = { readonly kind: 'pglite'; readonly dir: string } | { readonly kind: 'postgres'; readonly url: string };

export interface IndexerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  logs(): string;
  /** SIGKILL to the whole process group (no clean shutdown), or SIGTERM and wait. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
}

export async function startIndexer(o: { rpcUrl: string; deploymentsFile: string; db: Database; schema: string }): Promise<IndexerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RPC_URL: o.rpcUrl,
    DEPLOYMENTS_FILE: o.deploymentsFile,
    GAVEL_INDEXER_POLL_MS: '100',
    PONDER_TELEMETRY_DISABLED: 'true',
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  if (o.db.kind === 'postgres') env.DATABASE_URL = o.db.url;
  else env.GAVEL_INDEXER_DIR = o.db.dir;
  const child = spawn(process.execPath, [path.join(indexerRoot, 'bin', 'gavel-indexer.mjs'), '--port', String(port), '--schema', o.schema, '--hostname', '127.0.0.1'], {
    cwd: indexerRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (b: Buffer): void => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const proc: IndexerProcess = {
    url: `http://127.0.0.1:${String(port)}`,
    child,
    logs: () => out,
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, 10_000);
      await exited;
      clearTimeout(t);
    },
  };
  live.add(proc);
  child.once('exit', () => live.delete(proc));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the indexer exited (${String(child.exitCode)}):\n${out}`);
    try {
      const r = await fetch(`${proc.url}/ready`);
      if (r.status === 200) return proc;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await proc.kill('SIGKILL');
      throw new Error(`the indexer was not ready within 90 s:\n${out}`);
    }
    await sleep(200);
  }
}

const live = new Set<IndexerProcess>();
process.once('exit', () => {
  for (const p of live) {
    try {
      if (p.child.pid !== undefined) process.kill(-p.child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Ponder's indexed block of the chain (from /status). */
export async function indexedBlock(url: string): Promise<bigint> {
  const r = await fetch(`${url}/status`);
  const s = (await r.json()) as Record<string, { block?: { number?: number } | null }>;
  const n = Object.values(s)[0]?.block?.number;
  return BigInt(n ?? -1);
}

/** Waits until the indexer has processed `block` (or throws with its logs). */
export async function waitIndexed(p: IndexerProcess, block: bigint, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await indexedBlock(p.url)) >= block) return;
    } catch {
      // restarting
    }
    if (Date.now() > deadline) throw new Error(`indexer did not reach block ${block.toString()} in ${String(timeoutMs)} ms:\n${p.logs().slice(-4000)}`);
    await sleep(150);
  }
}

/** GET a JSON route; a 503 (the indexer busy reconciling a reorg) is retried for up to 10 s. */
export async function api<T>(p: IndexerProcess, route: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await fetch(`${p.url}${route}`);
    if (r.ok) return (await r.json()) as T;
    const text = await r.text();
    if (r.status !== 503 || Date.now() > deadline) throw new Error(`GET ${route}: ${String(r.status)} ${text}`);
    await sleep(250);
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
}

/* --------------------------------- PostgreSQL -------------------------------- */

export interface PostgresCluster {
  readonly url: string;
  stop(): Promise<void>;
}

/** The directory of Debian's PostgreSQL server binaries, or undefined when not installed. */
export function postgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(base, versions[0], 'bin');
}

/**
 * A throwaway cluster: initdb into a temp dir (trust auth), pg_ctl start on a free port, unix socket
 * in the same dir. As root (CI containers), the server runs as the `postgres` user Debian's package
 * creates: PostgreSQL refuses to run as root.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBin();
  if (bin === undefined) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (Debian), or GAVEL_INDEXER_PG=0 to skip these tests locally');
  const dir = tempDir('gavel-pg-');
  const data = path.join(dir, 'data');
  const port = await freePort();
  let ids: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    ids = { uid, gid };
  }
  const run = (cmd: string, args: string[]): void => {
    execFileSync(path.join(bin, cmd), args, { cwd: dir, stdio: 'pipe', ...(ids ?? {}), env: { ...process.env, LC_ALL: 'C' } });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${String(port)} -k ${dir} -h 127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${String(port)}/postgres`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already down
      }
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
