// The subscription endpoint (config `alertsPort`, on `alertsHost`, loopback by default):
//   POST   /subscriptions        {owner, url, warnAt, expiresAt, signature} → 201 {id, secret, …}
//   GET    /subscriptions?owner=0x…                                         → 200 [{id, owner, urlHost, warnAt, createdAt}]
//   DELETE /subscriptions/<id>   Authorization: Bearer <secret>             → 204 (404 for a wrong id or secret)
// A subscription must be signed by the owner (EIP-191 personal_sign of subscribeMessage(), valid for at
// most an hour), the owner must have a vault in the index, the URL must pass the SSRF policy, and the
// limits hold: alertsMaxPerOwner per owner, alertsMaxSubscriptions in all, 20 requests a minute per
// client address, 4 KiB bodies. Errors: JSON {error} with 400/401/404/409/413/422/429.

import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type Address, getAddress, isAddress, isHex, verifyMessage } from 'viem';
import type { IndexModel } from '../index/model.ts';
import { formatDistances, parseDistances } from './alerts.ts';
import type { AlertStore } from './alertStore.ts';
import { hasVault } from './ownerVaults.ts';
import { webhookUrlProblem } from './webhook.ts';

export const MAX_BODY_BYTES = 4_096;
export const MAX_SIGNATURE_AGE_SECONDS = 3_600;
export const REQUESTS_PER_MINUTE = 20;

/** The text an owner signs to subscribe (one line per field, in this order). */
export function subscribeMessage(x: { chainId: number; owner: Address; url: string; warnAt: string; expiresAt: number }): string {
  return ['Gavel alerts: subscribe', `chain: ${x.chainId}`, `owner: ${getAddress(x.owner)}`, `url: ${x.url}`, `warn at: ${x.warnAt}`, `expires: ${x.expiresAt}`].join('\n');
}

export interface AlertServerOptions {
  readonly store: AlertStore;
  readonly model: () => IndexModel;
  readonly chainId: number;
  readonly host: string;
  readonly port: number;
  readonly allowPrivateUrls: boolean;
  readonly maxSubscriptions: number;
  readonly maxPerOwner: number;
  readonly logger: Logger;
  /** Called after a subscription is added (re-check at once). */
  readonly onSubscribed?: () => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class AlertServer {
  readonly #o: AlertServerOptions;
  #server: Server | undefined;
  readonly #hits = new Map<string, number[]>();

  constructor(o: AlertServerOptions) {
    this.#o = o;
  }

  /** Listens; resolves with the bound port. */
  async listen(): Promise<number> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        if (status === 500) this.#o.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'alert endpoint error');
        send(res, status, { error: err instanceof Error && status !== 500 ? err.message : 'internal error' });
      });
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 15_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#o.port, this.#o.host, () => {
        resolve();
      });
    });
    this.#server = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => {
      s.close(() => {
        r();
      });
    });
  }

  #limit(req: IncomingMessage): void {
    const who = req.socket.remoteAddress ?? '?';
    const now = Date.now();
    const recent = (this.#hits.get(who) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    this.#hits.set(who, recent);
    if (this.#hits.size > 10_000) this.#hits.clear();
    if (recent.length > REQUESTS_PER_MINUTE) throw new HttpError(429, `more than ${REQUESTS_PER_MINUTE} requests a minute from this address`);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    if (parts[0] !== 'subscriptions' || parts.length > 2) throw new HttpError(404, 'not found');
    this.#limit(req);
    if (req.method === 'POST' && parts.length === 1) {
      send(res, 201, await this.#subscribe(await readJson(req)));
      return;
    }
    if (req.method === 'GET' && parts.length === 1) {
      const owner = url.searchParams.get('owner') ?? '';
      if (!isAddress(owner, { strict: false })) throw new HttpError(400, 'owner: must be a 0x-prefixed 20-byte address');
      send(
        res,
        200,
        this.#o.store.list(getAddress(owner)).map((s) => ({ id: s.id, owner: getAddress(s.owner), urlHost: new URL(s.url).host, warnAt: formatDistances(s.warnAtBps), createdAt: new Date(s.createdAt).toISOString() })),
      );
      return;
    }
    if (req.method === 'DELETE' && parts.length === 2) {
      const id = parts[1] ?? '';
      const sub = this.#o.store.get(id);
      const auth = req.headers.authorization ?? '';
      if (!sub || auth !== `Bearer ${sub.secret}`) throw new HttpError(404, 'no such subscription (or a wrong secret)');
      this.#o.store.remove(id);
      this.#o.logger.info({ id }, 'alert subscription removed');
      res.writeHead(204).end();
      return;
    }
    throw new HttpError(405, 'method not allowed');
  }

  async #subscribe(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { owner, url, warnAt, expiresAt, signature } = body;
    if (typeof owner !== 'string' || !isAddress(owner, { strict: false })) throw new HttpError(400, 'owner: must be a 0x-prefixed 20-byte address');
    if (typeof url !== 'string') throw new HttpError(400, 'url: must be a string');
    const problem = webhookUrlProblem(url, this.#o.allowPrivateUrls);
    if (problem) throw new HttpError(400, `url: ${problem}`);
    if (typeof warnAt !== 'string') throw new HttpError(400, 'warnAt: must be a string like "10%,5%"');
    let warnAtBps: bigint[];
    try {
      warnAtBps = parseDistances(warnAt);
    } catch (e) {
      throw new HttpError(400, `warnAt: ${(e as Error).message}`);
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt) || expiresAt <= now || expiresAt > now + MAX_SIGNATURE_AGE_SECONDS) {
      throw new HttpError(400, `expiresAt: must be unix seconds in the next ${MAX_SIGNATURE_AGE_SECONDS} s`);
    }
    if (typeof signature !== 'string' || !isHex(signature)) throw new HttpError(400, 'signature: must be a 0x-prefixed hex signature');
    const who = getAddress(owner);
    const message = subscribeMessage({ chainId: this.#o.chainId, owner: who, url, warnAt, expiresAt });
    let valid = false;
    try {
      valid = await verifyMessage({ address: who, message, signature: signature });
    } catch {
      valid = false;
    }
    if (!valid) throw new HttpError(401, 'signature: not the owner\'s signature of the subscribe message');
    if (!hasVault(this.#o.model(), who)) throw new HttpError(422, 'owner: has no vault on this deployment');
    const { store } = this.#o;
    if (store.findByOwnerUrl(who, url)) throw new HttpError(409, 'already subscribed (this owner, this URL)');
    if (store.countFor(who) >= this.#o.maxPerOwner) throw new HttpError(429, `owner: has ${this.#o.maxPerOwner} subscriptions already (the limit)`);
    if (store.count() >= this.#o.maxSubscriptions) throw new HttpError(429, `the keeper holds ${this.#o.maxSubscriptions} subscriptions already (the limit)`);
    const s = store.add(who, url, warnAtBps);
    this.#o.logger.info({ id: s.id, owner: who, urlHost: new URL(url).host, warnAt: formatDistances(warnAtBps) }, 'alert subscription added');
    this.#o.onSubscribed?.();
    return { id: s.id, secret: s.secret, owner: who, url, warnAt: formatDistances(warnAtBps), createdAt: new Date(s.createdAt).toISOString() };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(c);
  }
  let v: unknown;
  try {
    v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body: must be JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'body: must be a JSON object');
  return v as Record<string, unknown>;
}
