#!/usr/bin/env node
// `npm run stress` launcher: builds the contracts and their typed ABIs (incremental), then runs the
// lab's TypeScript CLI through the keeper's loader hook (type stripping: Node 20 cannot run .ts itself).
import { spawnSync } from 'node:child_process';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (!process.argv.includes('--no-build')) {
  process.stderr.write('gavel-stress: building contracts and ABIs (forge build, wagmi generate)...\n');
  const generate = fileURLToPath(new URL('../../contracts/tools/generate.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [generate], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    process.stderr.write(`gavel-stress: the contracts build failed (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}
register(new URL('../../auction-keeper/bin/ts-hooks.mjs', import.meta.url).href, import.meta.url);
const mod = await import(pathToFileURL(fileURLToPath(new URL('../src/main.ts', import.meta.url))).href);
process.exitCode = await mod.main(process.argv.slice(2));
