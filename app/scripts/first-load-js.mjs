#!/usr/bin/env node
// First-load JS per route of the production build (Next 16 no longer prints it): fetches each
// route from a running `next start`, collects the JS chunks its HTML loads, and sums their sizes
// (raw and gzip) from .next/static. Usage: node scripts/first-load-js.mjs [baseUrl] [route...]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const routes = process.argv.length > 3 ? process.argv.slice(3) : ['/', '/auctions', '/vaults', '/auctions/0x0000000000000000000000000000000000000001/1'];
const appDir = path.resolve(import.meta.dirname, '..');

// The polyfill chunk is loaded with nomodule: modern browsers skip it.
const manifest = JSON.parse(readFileSync(path.join(appDir, '.next', 'build-manifest.json'), 'utf8'));
const skip = new Set(manifest.polyfillFiles ?? []);

const result = {};
for (const route of routes) {
  const html = await (await fetch(base + route)).text();
  const files = new Set([...html.matchAll(/\/_next\/(static\/[^"'?\s]+\.js)/g)].map((m) => m[1]));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    if (skip.has(f)) continue;
    const buf = readFileSync(path.join(appDir, '.next', f));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  result[route] = { chunks: [...files].filter((f) => !skip.has(f)).length, rawKb: +(raw / 1024).toFixed(1), gzipKb: +(gz / 1024).toFixed(1) };
}
console.log(JSON.stringify(result, null, 2));
