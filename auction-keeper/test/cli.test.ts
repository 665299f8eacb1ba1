// The CLI as a process: bad config or flags print ONE line naming the field and exit 2.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gavel-keeper.mjs');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', GAVEL_KEEPER_FROM_SOURCE: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const KEY = `0x${'ab'.repeat(32)}`;

describe('gavel-keeper CLI', () => {
  it('exits 2 with one line naming the field', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['vaults', '--bogus'], {}, /^config: unknown option '--bogus'$/],
      [['run', '--rpc-urls', 'http://127.0.0.1:1', '--chain-id', '1', '--max-fee-gwei', 'lots'], {}, /^config: maxFeeGwei \(flag --max-fee-gwei\): must be a decimal number of gwei, got "lots"$/],
      [['run', '--chain-id', '1', '--reference', 'moon'], { GAVEL_RPC_URLS: 'http://127.0.0.1:1', GAVEL_PRIVATE_KEYS: KEY.slice(0, 20) }, /^config: keys\.0 \(env GAVEL_PRIVATE_KEYS\): must be a 0x-prefixed 32-byte hex private key$/],
      [['vaults', '--sort', 'sideways'], {}, /^config: sort \(flag --sort\): must be one of health, debt, collateral, liquidation-price, owner, got "sideways"$/],
      [['watch', '0x1234'], {}, /^config: owner \(argument\): must be a 0x-prefixed 20-byte address/],
      [['run', '--rpc-urls', 'http://127.0.0.1:1', '--chain-id', '1', '--keystore', '/nonexistent.json'], { GAVEL_KEYSTORE_PASSWORD: 'pw' }, /^config: keystore \(\/nonexistent\.json\): cannot read \/nonexistent\.json: ENOENT$/],
    ];
    const results = await Promise.all(cases.map(([args, env]) => run(args, env)));
    results.forEach((r, i) => {
      const [, , re] = cases[i] ?? [[], {}, /x/];
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(re);
      expect(r.stderr).not.toContain('abababab');
    });
  }, 30_000);
});
