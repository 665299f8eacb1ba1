// Owner alerts end to end on anvil (issue 17), one chain for both parts:
//  - `gavel-keeper watch <owner>` as a process: one line and exit 2 for a bad address, bad distances,
//    an RPC that does not answer; against a live chain it prints one ALERT line per crossing of the
//    owner's distances (pre-threshold and liquidation threshold) and POSTs a signed alert to a webhook.
//  - the keeper daemon's subscription service: an owner-signed POST /subscriptions, a receiver on
//    loopback gets ONE signed alert when a price move carries the vault across a distance, nothing
//    more while it stays, another only after it recovers and crosses again; the subscription (and the
//    vault's state) survive a keeper restart; the limits answer 401 / 409 / 422 / 429.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { loadConfig } from '../src/config/config.ts';
import { Keeper } from '../src/keeper.ts';
import { subscribeMessage } from '../src/protect/alertServer.ts';
import { type WebhookAlert, verifySignature } from '../src/protect/webhook.ts';
import { type IlkFixture, type System, deployPreLiquidation, deploySystem, keyOf, openVault, optIn, setPrice } from './fixture.ts';
import { waitFor } from './wait.ts';

const WAD = 10n ** 18n;
const log = pino({ level: process.env.GAVEL_TEST_LOG ?? 'silent' });
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gavel-keeper.mjs');
let sys: System;
let dir: string;
let deploymentsFile: string;
const eth = (): IlkFixture => sys.ilks[2] as IlkFixture;

interface Received {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** A webhook receiver on loopback that records every POST. */
async function receiver(): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ body, headers: req.headers });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    got,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          r();
        });
      }),
  };
}

interface Proc {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', GAVEL_KEEPER_FROM_SOURCE: '1', ...env } });
  const p: Proc = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('exit', (code) => { resolve(code); })) };
  child.stdout.on('data', (c: Buffer) => (p.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (p.stderr += c.toString()));
  return p;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

const PARAMS = { preHealthWad: (125n * WAD) / 100n, incentiveStartWad: (101n * WAD) / 100n, incentiveEndWad: (104n * WAD) / 100n, closeFactorStartBps: 1_000, closeFactorEndBps: 3_000 };

beforeAll(async () => {
  sys = await deploySystem();
  await deployPreLiquidation(sys);
  dir = mkdtempSync(path.join(tmpdir(), 'gavel-alerts-'));
  deploymentsFile = path.join(dir, 'deployment.json');
  const d = sys.deployment;
  writeFileSync(deploymentsFile, JSON.stringify({ ...d, block: d.block.toString() }, null, 2));
  // Actor 1: health 1.40 at today's price, opted in at 1.25. Actor 2: health 1.40, not opted in.
  expect(await openVault(sys, 1, eth(), 10_000n, 140n)).toBe(true);
  await optIn(sys, 1, eth(), PARAMS);
  expect(await openVault(sys, 2, eth(), 10_000n, 140n)).toBe(true);
}, 90_000);

afterAll(async () => {
  await sys.node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('gavel-keeper watch <owner> (process)', () => {
  const env = (): Record<string, string> => ({
    GAVEL_RPC_URLS: sys.node.rpcUrl,
    GAVEL_CHAIN_ID: String(sys.node.chain.id),
    GAVEL_DEPLOYMENTS_FILE: deploymentsFile,
    GAVEL_CHECKPOINT_FILE: path.join(dir, 'none.sqlite'),
    GAVEL_POLL_INTERVAL_MS: '100',
    GAVEL_LOG_LEVEL: 'warn',
  });

  it('bad input: one line, exit 2 (bad address, bad distances, bad webhook, an RPC that does not answer)', async () => {
    // Through main(), the function the process runs (runCli only wires stdio and the exit code; the
    // process-level mapping is cli.test.ts's): five processes at once took over a minute on a loaded machine.
    const owner = sys.actors[0] as Address;
    const port = await freePort(); // nothing listens there
    const runs = [
      { args: ['watch', '0x1234'], env: env(), want: /^config: owner \(argument\): must be a 0x-prefixed 20-byte address/ },
      { args: ['watch', owner, '--warn-at', '10%,0%'], env: env(), want: /^config: warn-at \(flag --warn-at\): must be percentages like 10%,5%/ },
      { args: ['watch', owner, '--warn-at', 'ten'], env: env(), want: /^config: warn-at \(flag --warn-at\): must be percentages/ },
      { args: ['watch', owner, '--webhook', 'ftp://example.com/x'], env: env(), want: /^config: webhook \(flag --webhook\): must be an http:\/\/ or https:\/\/ URL/ },
      { args: ['watch', owner], env: { ...env(), GAVEL_RPC_URLS: `http://127.0.0.1:${port}` }, want: /^config: rpcUrls\.0 \(http:\/\/127\.0\.0\.1:\d+\/?\): does not answer/ },
    ];
    for (const r of runs) {
      let out = '';
      let err = '';
      const code = await main(r.args, { env: r.env, stdout: (x) => (out += x), stderr: (x) => (err += x), stopSignal: new Promise(() => undefined) });
      expect(code, err).toBe(2);
      const lines = err.trim().split('\n');
      expect(lines, err).toHaveLength(1);
      expect(lines[0]).toMatch(r.want);
      expect(out).toBe('');
    }
    // --threshold (scripts): exit 3 with an ALERT line on stderr once a vault is below it (health 1.40 < 5).
    let err = '';
    const code = await main(['watch', owner, '--threshold', '5'], { env: env(), stdout: () => undefined, stderr: (x) => (err += x), stopSignal: new Promise(() => undefined) });
    expect(code, err).toBe(3);
    expect(err).toMatch(/ALERT ETH-A vault of 0x[0-9a-fA-F]{40}: health 1\.4 below 5/);
    // --once at 1.40 with distances 10%,5% above the pre-threshold 1.25: no alert, exit 0.
    let out = '';
    expect(await main(['watch', owner, '--once'], { env: env(), stdout: (x) => (out += x), stderr: () => undefined, stopSignal: new Promise(() => undefined) })).toBe(0);
    expect(out).toBe('');
  }, 60_000);

  it('prints one ALERT line per crossing of the owner’s distances and POSTs each, signed', async () => {
    const owner = sys.actors[0] as Address;
    const hook = await receiver();
    const w = start(['watch', owner, '--warn-at', '10%,5%', '--webhook', hook.url], { ...env(), GAVEL_WEBHOOK_SECRET: 'watch-secret' });
    try {
      await waitFor(() => w.stderr.includes('watching'), 30_000, `watch started (stderr: ${w.stderr})`);
      // Health 1.40 → 1.33: within 10% of the pre-threshold 1.25 (below 1.375), not within 5% (1.3125).
      await setPrice(sys, eth(), (eth().price * 95n) / 100n);
      await waitFor(() => w.stdout.includes('ALERT'), 10_000, `first alert (stdout: ${w.stdout})`);
      // 1.33 → 1.197: in the band.
      await setPrice(sys, eth(), (eth().price * 90n) / 100n);
      await waitFor(() => w.stdout.split('\n').filter((l) => l.startsWith('ALERT')).length >= 2, 10_000, `second alert (stdout: ${w.stdout})`);
      await sys.node.testClient.mine({ blocks: 3 });
      await new Promise((r) => setTimeout(r, 500));
      const lines = w.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^ALERT block \d+ ETH-A 0x[0-9a-fA-F]{40} health 1\.3\d+: within 10% of the pre-liquidation threshold 1\.25/);
      expect(lines[1]).toMatch(/^ALERT block \d+ ETH-A 0x[0-9a-fA-F]{40} health 1\.19\d*: in the pre-liquidation band \(below 1\.25\)/);
      await waitFor(() => hook.got.length >= 2, 10_000, 'two webhook posts');
      const bodies = hook.got.map((g) => JSON.parse(g.body) as WebhookAlert);
      expect(bodies.map((b) => [b.level, b.distanceBps])).toEqual([
        ['nearPreThreshold', '1000'],
        ['inPreBand', null],
      ]);
      expect(bodies[0]?.owner.toLowerCase()).toBe(owner.toLowerCase());
      expect(bodies[0]?.preHealthWad).toBe(PARAMS.preHealthWad.toString());
      for (const g of hook.got) expect(verifySignature('watch-secret', g.body, String(g.headers['x-gavel-signature']), Math.floor(Date.now() / 1000))).toBe(true);
    } finally {
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      await hook.close();
      // Back where the service test starts: health 1.40.
      await setPrice(sys, eth(), 2_000n * WAD);
    }
  }, 90_000);
});

describe('the keeper daemon’s alert subscriptions (POST /subscriptions, webhook to loopback, restart)', () => {
  const ckpt = (): string => path.join(dir, 'keeper.sqlite');
  async function daemon(port: number, extra: Record<string, string> = {}): Promise<Keeper> {
    const config = loadConfig(undefined, {}, {
      rpcUrls: sys.node.rpcUrl,
      chainId: String(sys.node.chain.id),
      pollIntervalMs: '25',
      deploymentsFile: '/dev/null',
      checkpointFile: ckpt(),
      settleIntervalBlocks: '0',
      alertsPort: String(port),
      alertsAllowPrivateUrls: 'true',
      alertsMaxPerOwner: '1',
      ...extra,
    });
    const k = new Keeper({ config, deployment: sys.deployment, keys: [keyOf(sys, 7)], logger: log, bid: false, kick: false, senderPollMs: 25 });
    await k.start();
    return k;
  }

  async function subscribe(port: number, actor: number, url: string, warnAt: string, tamper = false): Promise<{ status: number; body: Record<string, unknown> }> {
    const wallet = sys.node.walletFor(actor);
    const owner = wallet.account.address;
    const expiresAt = Math.floor(Date.now() / 1000) + 600;
    const signature = await wallet.signMessage({ account: wallet.account, message: subscribeMessage({ chainId: sys.node.chain.id, owner, url, warnAt, expiresAt }) });
    const res = await fetch(`http://127.0.0.1:${port}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ owner, url, warnAt: tamper ? '50%' : warnAt, expiresAt, signature }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('alerts once per crossing, again only after recovery, and survives a restart', async () => {
    const hook = await receiver();
    const port = await freePort();
    let keeper = await daemon(port);
    try {
      // Spam limits and proof of ownership.
      expect((await subscribe(port, 1, hook.url, '10%', true)).status).toBe(401);
      expect((await subscribe(port, 5, hook.url, '10%')).status).toBe(422); // actor 5: no vault
      const created = await subscribe(port, 1, hook.url, '10%');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const { id, secret } = created.body as { id: string; secret: string };
      expect((await subscribe(port, 1, hook.url, '10%')).status).toBe(409);
      expect((await subscribe(port, 1, `${hook.url}/other`, '10%')).status).toBe(429); // alertsMaxPerOwner 1
      const owner = sys.actors[0] as Address;
      const listed = (await (await fetch(`http://127.0.0.1:${port}/subscriptions?owner=${owner}`)).json()) as { id: string; warnAt: string }[];
      expect(listed).toEqual([expect.objectContaining({ id, warnAt: '10%' })]);
      expect(JSON.stringify(listed)).not.toContain(secret);

      // Health 1.40 (pre-threshold 1.25: the 10% line is 1.375). Nothing yet.
      await sys.node.testClient.mine({ blocks: 2 });
      await new Promise((r) => setTimeout(r, 400));
      expect(hook.got).toHaveLength(0);
      // −4%: 1.344 < 1.375 → one alert.
      await setPrice(sys, eth(), (2_000n * WAD * 96n) / 100n);
      await waitFor(() => hook.got.length >= 1, 10_000, 'first alert');
      await sys.node.testClient.mine({ blocks: 3 });
      await setPrice(sys, eth(), (2_000n * WAD * 95n) / 100n); // still within 10%, not in the band
      await new Promise((r) => setTimeout(r, 500));
      expect(hook.got).toHaveLength(1);
      const first = JSON.parse(hook.got[0]?.body ?? '{}') as WebhookAlert;
      expect(first).toMatchObject({ version: 2, kind: 'gavel.vault.alert', subscription: id, level: 'nearPreThreshold', distanceBps: '1000', previousLevel: 'ok' });
      expect(hook.got[0]?.headers['x-gavel-delivery']).toBe(first.id);
      expect(verifySignature(secret, hook.got[0]?.body ?? '', String(hook.got[0]?.headers['x-gavel-signature']), Math.floor(Date.now() / 1000))).toBe(true);

      // Recovers (back to 1.40: recorded, not sent), then crosses again: a second alert, a new id.
      await setPrice(sys, eth(), 2_000n * WAD);
      await sys.node.testClient.mine({ blocks: 2 });
      await new Promise((r) => setTimeout(r, 400));
      expect(hook.got).toHaveLength(1);
      await setPrice(sys, eth(), (2_000n * WAD * 96n) / 100n);
      await waitFor(() => hook.got.length >= 2, 10_000, 'second alert');
      const second = JSON.parse(hook.got[1]?.body ?? '{}') as WebhookAlert;
      expect(second.level).toBe('nearPreThreshold');
      expect(second.id).not.toBe(first.id);

      // Restart: the subscription and the vault's state are in the SQLite file.
      await keeper.stop(0);
      await setPrice(sys, eth(), (2_000n * WAD * 95n) / 100n); // moved while down, same state: no alert
      keeper = await daemon(port);
      await sys.node.testClient.mine({ blocks: 2 });
      await new Promise((r) => setTimeout(r, 500));
      expect(hook.got).toHaveLength(2);
      // Into the band (1.40 × 0.88 = 1.232 < 1.25): the restarted daemon alerts.
      await setPrice(sys, eth(), (2_000n * WAD * 88n) / 100n);
      await waitFor(() => hook.got.length >= 3, 15_000, 'alert after the restart');
      expect((JSON.parse(hook.got[2]?.body ?? '{}') as WebhookAlert).level).toBe('inPreBand');
      expect(keeper.protection.alerts?.service.store.outboxCounts()).toEqual({ delivered: 3 });

      // Unsubscribe with the secret (a wrong one is a 404).
      expect((await fetch(`http://127.0.0.1:${port}/subscriptions/${id}`, { method: 'DELETE', headers: { authorization: 'Bearer nope' } })).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/subscriptions/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${secret}` } })).status).toBe(204);
      expect(keeper.protection.alerts?.service.store.count()).toBe(0);
    } finally {
      await keeper.stop(0);
      await hook.close();
    }
  }, 120_000);

  it('refuses webhook URLs on private addresses unless configured, and oversized bodies', async () => {
    const port = await freePort();
    const keeper = await daemon(port, { alertsAllowPrivateUrls: 'false', checkpointFile: path.join(dir, 'strict.sqlite') });
    try {
      const r = await subscribe(port, 2, 'http://169.254.169.254/latest/meta-data', '10%');
      expect(r.status).toBe(400);
      expect(String(r.body.error)).toMatch(/^url: points at a private or special address/);
      const big = await fetch(`http://127.0.0.1:${port}/subscriptions`, { method: 'POST', body: 'x'.repeat(5_000) });
      expect(big.status).toBe(413);
    } finally {
      await keeper.stop(0);
    }
  }, 60_000);
});
