import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertTracker, OK_STATE, alertLevel, alertState, formatDistances, nextAlertState, parseDistances } from './alerts.ts';
import { decidePreLiquidation } from './preLiquidate.ts';
import { buildAlert, deliverAlert, guardedLookup, isSpecialAddress, verifySignature, webhookUrlProblem, type WebhookAlert } from './webhook.ts';

const WAD = 10n ** 18n;
const D = { preThresholdBps: 500n, thresholdBps: 300n };

describe('alertLevel', () => {
  it('orders the levels against the pre-threshold and the line', () => {
    const pre = (12n * WAD) / 10n;
    expect(alertLevel((15n * WAD) / 10n, pre, D)).toBe('ok');
    expect(alertLevel((125n * WAD) / 100n, pre, D)).toBe('nearPreThreshold');
    expect(alertLevel((11n * WAD) / 10n, pre, D)).toBe('inPreBand');
    expect(alertLevel((102n * WAD) / 100n, pre, D)).toBe('nearLiquidation');
    expect(alertLevel((99n * WAD) / 100n, pre, D)).toBe('liquidatable');
  });
  it('has no pre-threshold levels for a vault that did not opt in', () => {
    expect(alertLevel((11n * WAD) / 10n, 0n, D)).toBe('ok');
    expect(alertLevel((102n * WAD) / 100n, 0n, D)).toBe('nearLiquidation');
  });
  it('reports changes only', () => {
    const t = new AlertTracker();
    expect(t.update('a', 'ok')).toBeUndefined();
    expect(t.update('a', 'inPreBand')).toEqual({ previous: 'ok', level: 'inPreBand' });
    expect(t.update('a', 'inPreBand')).toBeUndefined();
    expect(t.update('a', 'ok')).toEqual({ previous: 'inPreBand', level: 'ok' });
  });
});

describe('decidePreLiquidation', () => {
  const quote = { healthWad: (11n * WAD) / 10n, incentiveWad: (1025n * WAD) / 1000n, closeFactorBps: 2500n, maxRepay: 2500n * WAD, priceWad: 1650n * WAD };
  it('sends when the incentive beats gas at the market price', () => {
    const d = decidePreLiquidation({ quote, scale: 1n, maxSpend: 10n ** 30n, marketPriceWad: 1650n * WAD, gasCostWad: 5n * WAD, minProfitWad: WAD });
    expect(d.repaid).toBe(2500n * WAD);
    expect(d.send).toBe(true);
    expect(d.profit).toBeGreaterThan(50n * WAD);
  });
  it('holds when the market is below the mark by more than the incentive', () => {
    const d = decidePreLiquidation({ quote, scale: 1n, maxSpend: 10n ** 30n, marketPriceWad: 1600n * WAD, gasCostWad: 5n * WAD, minProfitWad: WAD });
    expect(d.send).toBe(false);
    expect(d.profit).toBeLessThan(0n);
  });
});

describe('owner-set distances', () => {
  it('parses 10%,5% into bps, far to near; refuses bad input', () => {
    expect(parseDistances('5%,10%')).toEqual([1000n, 500n]);
    expect(parseDistances(['2.5%'])).toEqual([250n]);
    expect(formatDistances([1000n, 250n])).toBe('10%,2.50%');
    for (const bad of ['', '0%', '101%', '10', '-5%', '1.234%', 'x%', '1%,2%,3%,4%,5%,6%,7%,8%,9%']) expect(() => parseDistances(bad), bad).toThrow(/percentages/);
  });
  it('places a vault against both lines at each distance', () => {
    const pre = (12n * WAD) / 10n;
    const d = [1000n, 500n];
    expect(alertState((135n * WAD) / 100n, pre, d)).toEqual(OK_STATE);
    expect(alertState((130n * WAD) / 100n, pre, d)).toEqual({ level: 'nearPreThreshold', distanceBps: 1000n });
    expect(alertState((125n * WAD) / 100n, pre, d)).toEqual({ level: 'nearPreThreshold', distanceBps: 500n });
    expect(alertState((115n * WAD) / 100n, pre, d)).toEqual({ level: 'inPreBand', distanceBps: undefined });
    expect(alertState((108n * WAD) / 100n, pre, d)).toEqual({ level: 'nearLiquidation', distanceBps: 1000n });
    expect(alertState((103n * WAD) / 100n, pre, d)).toEqual({ level: 'nearLiquidation', distanceBps: 500n });
    expect(alertState((99n * WAD) / 100n, pre, d).level).toBe('liquidatable');
    // Not opted in: only the liquidation line.
    expect(alertState((115n * WAD) / 100n, 0n, d)).toEqual(OK_STATE);
  });
  it('recovers only past the margin (no alert storm at a boundary)', () => {
    const d = [1000n];
    const near = nextAlertState(OK_STATE, (1099n * WAD) / 1000n, 0n, d);
    expect(near).toEqual({ level: 'nearLiquidation', distanceBps: 1000n });
    // 1.101 is above 1.10, but 1.101 less 0.5% is not: still near.
    expect(nextAlertState(near, (1101n * WAD) / 1000n, 0n, d)).toEqual(near);
    expect(nextAlertState(near, (1110n * WAD) / 1000n, 0n, d)).toEqual(OK_STATE);
    // Worse is immediate.
    expect(nextAlertState(near, (99n * WAD) / 100n, 0n, d).level).toBe('liquidatable');
  });
});

describe('webhook SSRF policy', () => {
  it('refuses non-http(s), credentials, local names and special addresses unless allowed', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', false)).toBeUndefined();
    expect(webhookUrlProblem('ftp://hooks.example.com/x', false)).toMatch(/http/);
    expect(webhookUrlProblem('https://u:p@hooks.example.com/x', false)).toMatch(/credentials/);
    for (const u of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://192.168.1.1/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://localhost/', 'http://metadata/']) {
      expect(webhookUrlProblem(u, false), u).toBeDefined();
      expect(webhookUrlProblem(u, true), u).toBeUndefined();
    }
    expect(isSpecialAddress('8.8.8.8')).toBe(false);
    expect(isSpecialAddress('2606:4700::1111')).toBe(false);
    expect(isSpecialAddress('fd00::1')).toBe(true);
  });
  it('refuses at connect time a name that resolves to loopback (the socket lookup: no DNS-rebinding window)', async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      guardedLookup('localhost', {}, (e) => {
        resolve(e);
      });
    });
    expect(err?.code).toBe('EGAVELPRIVATE');
  });
});

describe('signed webhook delivery to a receiver on loopback', () => {
  const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  let failNext = 0;
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body: data, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => {
      server.close(() => {
        r();
      });
    });
  });

  const alert = buildAlert({
    subscription: 'sub_test',
    chainId: 31337,
    ilk: '0x4554482d41000000000000000000000000000000000000000000000000000000',
    ilkName: 'ETH-A',
    owner: '0x00000000000000000000000000000000000000a1',
    state: { level: 'inPreBand', distanceBps: undefined },
    previous: { level: 'nearPreThreshold', distanceBps: 500n },
    healthWad: (11n * WAD) / 10n,
    preHealthWad: (12n * WAD) / 10n,
    block: 123n,
    now: new Date('2026-01-01T00:00:00Z'),
  });

  it('POSTs the documented JSON, signed, with the dedupe key', async () => {
    const r = await deliverAlert(url, alert, { retryDelayMs: 10, allowPrivate: true, secret: 's3cret' });
    expect(r).toEqual({ ok: true, status: 204, attempts: 1 });
    const got = received.at(-1);
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['x-gavel-delivery']).toBe(alert.id);
    const body = got?.body ?? '';
    expect(JSON.parse(body) as WebhookAlert).toEqual({ ...alert });
    expect(alert.healthWad).toBe('1100000000000000000');
    expect(alert.previousDistanceBps).toBe('500');
    const sig = String(got?.headers['x-gavel-signature']);
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature('s3cret', body, sig, now)).toBe(true);
    expect(verifySignature('other', body, sig, now)).toBe(false);
    expect(verifySignature('s3cret', body.replace('ETH-A', 'ETH-B'), sig, now)).toBe(false);
    expect(verifySignature('s3cret', body, sig, now + 3600)).toBe(false);
  });

  it('retries after a failure with the same id', async () => {
    failNext = 1;
    const r = await deliverAlert(url, alert, { retryDelayMs: 10, allowPrivate: true });
    expect(r).toEqual({ ok: true, status: 204, attempts: 2 });
    expect(received.at(-1)?.headers['x-gavel-delivery']).toBe(alert.id);
  });

  it('refuses a loopback receiver unless private targets are allowed', async () => {
    const before = received.length;
    const r = await deliverAlert(url, alert, { retryDelayMs: 10 });
    expect(r.ok).toBe(false);
    expect(received.length).toBe(before);
  });

  it('reports, never throws, when the receiver is down', async () => {
    const r = await deliverAlert('http://127.0.0.1:9/none', alert, { retryDelayMs: 10, timeoutMs: 500, allowPrivate: true });
    expect(r.ok).toBe(false);
  });
});
