#!/usr/bin/env node
// Renders a captured terminal frame (ANSI colours) to a PNG with Debian's Chromium, for the README:
//   node scripts/ansi-screenshot.mjs frame.ansi docs/screenshots/dashboard.png
// (capture a frame with `npm run demo > out.ansi`; frames start with ESC[H ESC[2J).
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: ansi-screenshot.mjs <frame.ansi> <out.png>\n');
  process.exit(2);
}
const frames = readFileSync(input, 'utf8').split('\x1b[H\x1b[2J').filter((f) => f.trim() !== '');
const frame = frames.at(-1) ?? '';
const colours = { 1: 'font-weight:bold', 2: 'opacity:0.6', 31: 'color:#ff6b6b', 32: 'color:#69db7c', 33: 'color:#ffd43b' };
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
let html = '';
let open = 0;
for (const part of frame.split(/(\x1b\[[0-9;]*m)/)) {
  const m = /^\x1b\[([0-9;]*)m$/.exec(part);
  if (!m) {
    html += esc(part);
    continue;
  }
  const code = Number(m[1] || 0);
  if (code === 0) {
    html += '</span>'.repeat(open);
    open = 0;
  } else if (colours[code]) {
    html += `<span style="${colours[code]}">`;
    open++;
  }
}
html += '</span>'.repeat(open);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 1000, height: 200 }, deviceScaleFactor: 1 });
await page.setContent(
  `<body style="margin:0;background:#1e1e2e;color:#e0e0e0"><pre id="t" style="margin:0;padding:16px;font:14px/1.35 'DejaVu Sans Mono',monospace;display:inline-block">${html}</pre></body>`,
);
await page.locator('#t').screenshot({ path: output });
await browser.close();
process.stdout.write(`wrote ${output} (${frames.length} frames read, last rendered)\n`);
