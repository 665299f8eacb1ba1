#!/usr/bin/env node
// gavel-indexer: `ponder start` for this package with telemetry off, from any working directory.
//   gavel-indexer [--port <n>] [--schema <name>] [--hostname <h>]
// Env: RPC_URL, DEPLOYMENTS_FILE (required); DATABASE_URL (PostgreSQL; unset: PGlite in
// $GAVEL_INDEXER_DIR/pglite); DATABASE_SCHEMA (default `gavel`, used when --schema is absent).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// ponder's package exports only its library entry (dist/esm/index.js); its CLI sits beside it.
const ponderBin = path.join(path.dirname(fileURLToPath(import.meta.resolve('ponder'))), 'bin', 'ponder.js');

const args = process.argv.slice(2);
if (!args.includes('--schema')) args.push('--schema', process.env.DATABASE_SCHEMA || 'gavel');
const child = spawn(process.execPath, [ponderBin, 'start', '--root', root, ...args], {
  cwd: root,
  env: { ...process.env, PONDER_TELEMETRY_DISABLED: 'true' },
  stdio: 'inherit',
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
