#!/usr/bin/env node
// Runs the real Foundry binary (forge, anvil or cast) shipped by the @foundry-rs npm packages.
// The npm launchers in node_modules/.bin always exit 0, even when the tool fails, so every
// script in this repository goes through here instead: the real exit code is passed through.
//   node contracts/tools/foundry.mjs forge test -vv
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @param {'forge' | 'anvil' | 'cast'} tool */
export function foundryBin(tool) {
  const bin = path.join(repoRoot, 'node_modules', '@foundry-rs', `${tool}-linux-amd64`, 'bin', tool);
  if (!existsSync(bin)) {
    throw new Error(`${tool} binary not found at ${bin}: run \`npm ci\` at the repository root`);
  }
  return bin;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [tool, ...rest] = process.argv.slice(2);
  if (tool !== 'forge' && tool !== 'anvil' && tool !== 'cast') {
    process.stderr.write('usage: foundry.mjs <forge|anvil|cast> [args...]\n');
    process.exit(2);
  }
  let bin;
  try {
    bin = foundryBin(tool);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  const child = spawn(bin, rest, { stdio: 'inherit', cwd: repoRoot });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
