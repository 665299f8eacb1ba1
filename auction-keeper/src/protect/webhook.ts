// Webhook alerts (format version 2, documented in auction-keeper/docs/alerts.md): one JSON document per
// alert, POSTed to the subscriber's URL, signed with the subscription's secret:
//   x-gavel-delivery:  the alert's id (the dedupe key: the same on every retry of the same alert)
//   x-gavel-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// Delivery never follows redirects and, unless private targets are allowed, refuses URLs whose host is
// or resolves to a loopback, private, link-local, CGNAT, multicast or otherwise special address — also
// at connect time (the DNS answer is checked in the socket's own lookup: no rebinding window).

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { Address, Hex } from 'viem';
import type { AlertLevel, AlertState } from './alerts.ts';

/** The JSON body of one alert; numbers that can exceed 2^53 are decimal strings. */
export interface WebhookAlert {
  readonly version: 2;
  readonly kind: 'gavel.vault.alert';
  /** Dedupe key: identical on every retry of this alert; a new crossing has a new id. */
  readonly id: string;
  /** The subscription (absent for `gavel-keeper watch --webhook`). */
  readonly subscription: string | null;
  readonly chainId: number;
  readonly ilk: Hex;
  readonly ilkName: string;
  readonly owner: Address;
  readonly level: AlertLevel;
  /** For nearPreThreshold / nearLiquidation: the owner-set distance crossed, bps ("500" = 5%); else null. */
  readonly distanceBps: string | null;
  readonly previousLevel: AlertLevel;
  readonly previousDistanceBps: string | null;
  /** Health, WAD decimal string ("1050000000000000000" = 1.05). */
  readonly healthWad: string;
  /** The pre-threshold in force, WAD decimal string; "0" when not opted in. */
  readonly preHealthWad: string;
  /** Block the health was read at. */
  readonly block: string;
  /** ISO 8601 time the alert was built. */
  readonly at: string;
}

/** The dedupe key of one crossing: subscription, vault, state reached and block. */
export function alertId(x: { subscription: string | null; chainId: number; ilk: Hex; owner: Address; state: AlertState; block: bigint }): string {
  const h = createHash('sha256');
  h.update([x.subscription ?? 'watch', x.chainId, x.ilk.toLowerCase(), x.owner.toLowerCase(), x.state.level, x.state.distanceBps ?? '', x.block].join('|'));
  return `alert_${h.digest('hex').slice(0, 32)}`;
}

/** Builds the document. */
export function buildAlert(x: {
  subscription: string | null;
  chainId: number;
  ilk: Hex;
  ilkName: string;
  owner: Address;
  state: AlertState;
  previous: AlertState;
  healthWad: bigint;
  preHealthWad: bigint;
  block: bigint;
  now?: Date;
}): WebhookAlert {
  return {
    version: 2,
    kind: 'gavel.vault.alert',
    id: alertId(x),
    subscription: x.subscription,
    chainId: x.chainId,
    ilk: x.ilk,
    ilkName: x.ilkName,
    owner: x.owner,
    level: x.state.level,
    distanceBps: x.state.distanceBps?.toString() ?? null,
    previousLevel: x.previous.level,
    previousDistanceBps: x.previous.distanceBps?.toString() ?? null,
    healthWad: x.healthWad.toString(),
    preHealthWad: x.preHealthWad.toString(),
    block: x.block.toString(),
    at: (x.now ?? new Date()).toISOString(),
  };
}

/** `t=<unix>,v1=<hex>`: HMAC-SHA256 over `<t>.<body>` with the subscription's secret. */
export function signBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver does: true when `header` signs `body` with `secret` and its time is within
 * `toleranceSeconds` of `nowSeconds` (replays of old deliveries are refused).
 */
export function verifySignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, body, t).slice(-64), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[2] ?? '', 'hex'));
}

/* ------------------------------ SSRF guard ------------------------------ */

const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv6');

/** True for loopback, private, link-local, CGNAT, documentation, multicast and other non-public addresses (IPv4-mapped IPv6 included). */
export function isSpecialAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return SPECIAL.check(ip, 'ipv4');
  // IPv4-mapped IPv6 (::ffff:7f00:1) is checked against the IPv4 rules by BlockList itself.
  if (family === 6) return SPECIAL.check(ip, 'ipv6');
  return true;
}

/** Why `raw` is not an acceptable webhook URL (undefined: acceptable). DNS names are checked again at connect time. */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | undefined {
  if (raw.length > 2048) return 'is longer than 2048 characters';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (u.username !== '' || u.password !== '') return 'must not carry credentials (use the signature to authenticate the keeper)';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (allowPrivate) return undefined;
  if (isIP(host) !== 0) return isSpecialAddress(host) ? `points at a private or special address (${host})` : undefined;
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost') || lower.endsWith('.local') || lower.endsWith('.internal') || !lower.includes('.')) return `points at a local host name (${host})`;
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A socket lookup that refuses special addresses (the rebinding-proof half of the guard). */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) {
      callback(err, []);
      return;
    }
    const bad = addresses.find((a) => isSpecialAddress(a.address));
    if (bad || addresses.length === 0) {
      const e: NodeJS.ErrnoException = new Error(`webhook host ${hostname} resolves to a private or special address (${bad?.address ?? 'none'})`);
      e.code = 'EGAVELPRIVATE';
      callback(e, []);
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
  });
}

export interface PostOptions {
  readonly timeoutMs?: number;
  readonly allowPrivate?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

export type PostResult = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly status?: number; readonly error: string };

/** One POST of `body` (JSON). Never throws; never follows a redirect (a 3xx is a failure). */
export function postJson(url: string, body: string, o: PostOptions = {}): Promise<PostResult> {
  const problem = webhookUrlProblem(url, o.allowPrivate ?? false);
  if (problem) return Promise.resolve({ ok: false, error: `url ${problem}` });
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: PostResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'gavel-keeper', 'content-length': Buffer.byteLength(body), ...o.headers },
        timeout: o.timeoutMs ?? 5_000,
        ...(o.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          done(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` });
        });
        res.on('error', (e) => {
          done({ ok: false, error: e.message });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs ?? 5_000} ms`)));
    req.on('error', (e) => {
      done({ ok: false, error: e.message });
    });
    req.end(body);
  });
}

/** Headers of one signed delivery attempt. */
export function deliveryHeaders(alert: WebhookAlert, body: string, secret: string | undefined, nowSeconds: number): Record<string, string> {
  const h: Record<string, string> = { 'x-gavel-delivery': alert.id, 'x-gavel-event': alert.kind };
  if (secret !== undefined) h['x-gavel-signature'] = signBody(secret, body, nowSeconds);
  return h;
}

export interface DeliveryOptions extends PostOptions {
  /** Attempts in all (default 2). */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly secret?: string;
}

export type DeliveryResult = { readonly ok: true; readonly status: number; readonly attempts: number } | { readonly ok: false; readonly error: string; readonly attempts: number };

/** POSTs `alert` (signed when a secret is given), retrying after failures; never throws. */
export async function deliverAlert(url: string, alert: WebhookAlert, o: DeliveryOptions = {}): Promise<DeliveryResult> {
  const body = JSON.stringify(alert);
  const attempts = o.attempts ?? 2;
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const r = await postJson(url, body, { ...o, headers: deliveryHeaders(alert, body, o.secret, Math.floor(Date.now() / 1000)) });
    if (r.ok) return { ok: true, status: r.status, attempts: attempt };
    error = r.error;
    if (attempt < attempts) await new Promise((res) => setTimeout(res, o.retryDelayMs ?? 500));
  }
  return { ok: false, error, attempts };
}
