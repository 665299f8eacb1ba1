#!/usr/bin/env node
// Build step of @gavel/contracts: compile with the real forge binary (fails loudly on a compile
// error), then generate sdk/src/generated.ts (the SDK's typed ABIs) from the artifacts with @wagmi/cli, and check that it
// really was written now (wagmi exits 0 when it finds no contracts).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '..');
const started = Date.now();

function step(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`generate: \`${[cmd, ...args].join(' ')}\` failed (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

step(path.join(here, 'forge'), ['build'], pkg);
step('npx', ['wagmi', 'generate'], pkg);
const out = path.join(pkg, '..', 'sdk', 'src', 'generated.ts');
let mtime = 0;
try {
  mtime = statSync(out).mtimeMs;
} catch {
  // reported below
}
if (mtime < started - 1000) {
  process.stderr.write(`generate: ${path.relative(process.cwd(), out)} was not written: no protocol contracts found under contracts/src?\n`);
  process.exit(1);
}
