#!/usr/bin/env node
// Builds the publishable @gavel/sdk: ESM + .d.ts compiled from src/ (the generated ABIs inside), a
// package.json whose exports point at dist/, the README and the examples; then `npm pack` writes
// sdk/pack/gavel-sdk-<version>.tgz. A consumer needs no Solidity toolchain and no TypeScript.
// In the workspace, @gavel/sdk resolves to its TypeScript sources instead (package.json "exports").
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(sdk, 'pack');
const pkgDir = path.join(out, 'package');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`pack: \`${[cmd, ...args].join(' ')}\` failed (exit ${r.status ?? r.signal})\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  return r.stdout;
}

if (!existsSync(path.join(sdk, 'src', 'generated.ts'))) {
  process.stderr.write('pack: sdk/src/generated.ts is missing: run `npm run build` at the repository root first\n');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(pkgDir, { recursive: true });
run(process.execPath, [path.join(sdk, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], sdk);

const src = JSON.parse(readFileSync(path.join(sdk, 'package.json'), 'utf8'));
const entry = (name) => ({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
const pkg = {
  name: src.name,
  version: src.version,
  description: src.description,
  license: src.license,
  type: 'module',
  sideEffects: false,
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': entry('index'), './deployment': entry('deployment') },
  files: ['dist', 'examples', 'README.md'],
  dependencies: src.dependencies,
  engines: { node: '>=20.19' },
};
writeFileSync(path.join(pkgDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
cpSync(path.join(sdk, 'README.md'), path.join(pkgDir, 'README.md'));
cpSync(path.join(sdk, 'examples'), path.join(pkgDir, 'examples'), { recursive: true });
const packed = run('npm', ['pack', '--json', '--pack-destination', out], pkgDir);
const [info] = JSON.parse(packed);
const tarball = path.join(out, info.filename);
process.stdout.write(`${tarball}\n`);
