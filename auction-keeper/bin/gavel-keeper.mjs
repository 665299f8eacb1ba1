#!/usr/bin/env node
// gavel-keeper launcher. Runs the compiled CLI (dist/cli/main.js, `npm run build`), or the
// TypeScript sources when dist is missing or GAVEL_KEEPER_FROM_SOURCE=1. Either way a loader hook
// transpiles .ts files on the fly: @gavel/sdk ships TypeScript sources (its ABIs and rules)
// and Node 20 cannot run .ts itself.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
register('./ts-hooks.mjs', import.meta.url);
const dist = path.join(here, '..', 'dist', 'cli', 'main.js');
const src = path.join(here, '..', 'src', 'cli', 'main.ts');
const entry = process.env.GAVEL_KEEPER_FROM_SOURCE === '1' || !existsSync(dist) ? src : dist;
const mod = await import(pathToFileURL(entry).href);
mod.runCli();
