#!/usr/bin/env node
// solc-js as forge's compiler. forge cannot download a native solc here, so foundry.toml points
// `solc` at this file. forge calls it two ways:
//   solc --version              -> must print "Version: <semver+commit>"
//   solc [flags] --standard-json -> standard JSON on stdin, standard JSON output on stdout
// Other flags forge passes (--allow-paths, --base-path, --include-path) tell us where imports
// may be read from; solc-js has no file system access of its own, so the import callback does it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const solc = require('solc');

const args = process.argv.slice(2);

if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write(`solc-js wrapper: only --version and --standard-json are supported (got: ${args.join(' ')})\n`);
  process.exit(1);
}

/** Values of a repeatable flag, accepting both `--flag v` and `--flag=v`, comma lists split. */
function flagValues(name) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === name && i + 1 < args.length) out.push(args[++i]);
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  }
  return out.flatMap((v) => v.split(',')).filter(Boolean);
}

const basePath = flagValues('--base-path')[0] ?? process.cwd();
const roots = [basePath, ...flagValues('--include-path'), ...flagValues('--allow-paths')];

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.resolve(r, importPath));
  for (const file of candidates) {
    try {
      return { contents: readFileSync(file, 'utf8') };
    } catch {
      // try the next root
    }
  }
  return { error: `File not found: ${importPath} (searched ${roots.join(', ')})` };
}

const input = readFileSync(0, 'utf8');
const output = solc.compile(input, { import: findImports });
process.stdout.write(output);
// Like native solc in --standard-json mode: errors are reported inside the JSON and the exit
// code is 0; forge reads the JSON and fails the build with the file and line of each error.
