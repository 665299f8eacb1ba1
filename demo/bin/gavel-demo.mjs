#!/usr/bin/env node
// `npm run demo` launcher. First builds the contracts and their typed ABIs (forge build + wagmi,
// incremental: about 3 s when nothing changed; output on stderr so `--headless` keeps stdout for
// the JSON summary), then runs the demo's TypeScript CLI through the keeper's loader hook (type
// stripping with the workspace's TypeScript: Node 20 cannot run .ts itself).
import { spawnSync } from 'node:child_process';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (!process.argv.includes('--no-build') && !process.argv.includes('--help') && !process.argv.includes('-h')) {
  process.stderr.write('gavel-demo: building contracts and ABIs (forge build, wagmi generate)...\n');
  const generate = fileURLToPath(new URL('../../contracts/tools/generate.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [generate], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    process.stderr.write(`gavel-demo: the contracts build failed (exit ${r.status ?? r.signal}); nothing was started\n`);
    process.exit(1);
  }
}
register(new URL('../../auction-keeper/bin/ts-hooks.mjs', import.meta.url).href, import.meta.url);
const mod = await import(pathToFileURL(fileURLToPath(new URL('../src/main.ts', import.meta.url))).href);
await mod.main(process.argv);
