// The reference docs (docs/reference/contracts.md from the NatSpec, docs/reference/sdk.md from the SDK's
// TSDoc) cannot rot: a fresh generation must equal the committed files (run after the build, which npm
// test does first). A NatSpec or TSDoc change without `npm run docs -w @gavel/sdk` fails here.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sdk = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('reference docs', () => {
  it('docs/reference/{contracts,sdk}.md equal a fresh generation', { timeout: 60_000 }, () => {
    const r = spawnSync(process.execPath, [path.join(sdk, 'tools', 'reference.mjs'), '--check'], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('reference docs up to date');
    expect(r.status).toBe(0);
  });
});
