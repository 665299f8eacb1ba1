// Several JSON-RPC endpoints behind one EIP-1193 `request`: the keeper talks to one endpoint at a
// time (the active one) and moves to the next when it fails (network error, timeout, HTTP 5xx/429,
// an internal error), with exponential backoff per endpoint; and away from an endpoint whose head
// stopped advancing while another endpoint's head is ahead (a silently stalled node).
//
// Outages: the backoff is capped (default 1 s) and a request waiting it out looks again every
// 200 ms, so that the keeper is back within about a block of a node answering again (the probe or
// the retry that finds it answering ends the wait); and `startProbing` asks every endpoint for its head
// every second (not only the active one): a URL that stays down is seen and reported (`status`,
// `down` / `up` events → log, metrics and the health endpoint) while the others carry the load.
//
// ws(s):// URLs use viem's WebSocket transport (and a `newHeads` subscription wakes the follower
// early); http(s):// URLs use HTTP with polling.

import {
  type EIP1193RequestFn,
  type Transport,
  BaseError,
  HttpRequestError,
  TimeoutError,
  WebSocketRequestError,
  SocketClosedError,
  custom,
  http,
  webSocket,
} from 'viem';

/** How often a request waiting out a backoff looks again (a successful probe may have cleared it). */
const WAKE_SLICE_MS = 200;

export interface RpcPoolOptions {
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
  /** Attempts per request across endpoints (the first try included). Default 2 × endpoints + 2. */
  readonly maxAttempts?: number;
  /** First backoff of a failed endpoint; doubles per consecutive failure. Default 250 ms. */
  readonly backoffMs?: number;
  /** Longest backoff. Default 1 s (a node that answers again is used within about one block). */
  readonly maxBackoffMs?: number;
  /** An active endpoint whose head has not moved for this long is checked against the others. Default 30 s. */
  readonly staleHeadMs?: number;
  /** An endpoint failing for this long is reported `down` (event, status). Default 10 s. */
  readonly downAfterMs?: number;
  /** Clock (tests). */
  readonly now?: () => number;
  /** Sleep (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export type RpcPoolEvent =
  | { readonly type: 'failover'; readonly from: string; readonly to: string; readonly error: string }
  | { readonly type: 'rotate'; readonly from: string; readonly to: string; readonly staleHead: bigint; readonly aheadHead: bigint }
  | { readonly type: 'backoff'; readonly waitMs: number }
  | { readonly type: 'down'; readonly url: string; readonly downForMs: number; readonly error: string }
  | { readonly type: 'up'; readonly url: string; readonly downForMs: number };

/** What the pool knows about one endpoint (URL redacted). */
export interface EndpointStatus {
  readonly url: string;
  readonly up: boolean;
  /** How long it has been failing (0 when up). */
  readonly downForMs: number;
  readonly failures: number;
  readonly head: bigint | undefined;
  readonly lastError: string | undefined;
}

interface Endpoint {
  readonly url: string;
  readonly ws: boolean;
  readonly request: EIP1193RequestFn;
  readonly subscribeHeads: ((onHead: () => void) => Promise<() => void>) | undefined;
  failures: number;
  /** When the last failure that raised the backoff was seen (ms). */
  lastFailAt: number;
  /** Not used before this time (ms). */
  coolUntil: number;
  head: bigint | undefined;
  headChangedAt: number;
  /** First failure of the current run of failures (undefined while it answers). */
  downSince: number | undefined;
  lastError: string | undefined;
  /** A `down` event was emitted for the current outage. */
  reportedDown: boolean;
}

/** Redacts credentials and API-key-looking path segments from a URL for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    u.pathname = u.pathname.replace(/[0-9a-zA-Z_-]{20,}/g, '***');
    u.search = u.search ? '?***' : '';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}

function errorCode(err: unknown): number | undefined {
  let e: unknown = err;
  for (let i = 0; i < 8 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    e = e.cause;
  }
  return undefined;
}

function errorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 8 && e instanceof Error; i++) {
    parts.push(e.message);
    if (e instanceof BaseError) parts.push(e.details);
    e = e.cause;
  }
  return parts.join(' | ');
}

/**
 * True for failures of the endpoint rather than of the request: the same request may succeed on
 * another endpoint or later. Reverts, bad params and "range too large" are not (the caller decides).
 */
export function isEndpointFailure(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 8 && e instanceof Error; i++) {
    if (e instanceof TimeoutError || e instanceof WebSocketRequestError || e instanceof SocketClosedError) return true;
    if (e instanceof HttpRequestError) {
      const s = e.status;
      if (s === undefined || s === 408 || s === 429 || s >= 500) return true;
    }
    e = e.cause;
  }
  const code = errorCode(err);
  return code === -32603 || code === 429 || code === -32007 || code === -32002;
}

/** True when an eth_getLogs request was refused for its size (block range or result count). */
export function isRangeError(err: unknown): boolean {
  const code = errorCode(err);
  if (code === -32005) return true;
  return /block range|range (is )?too (large|wide|big)|too many (blocks|results|logs)|more than \d+ (results|logs)|response size|exceeds? (the )?(max|limit)|limit exceeded|query timeout|max(imum)? (block )?range/i.test(
    errorText(err),
  );
}

/** One line describing an error, for logs. */
export function shortError(err: unknown): string {
  if (err instanceof BaseError) return err.shortMessage;
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

export class RpcPool {
  private readonly endpoints: Endpoint[];
  private active = 0;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly staleHeadMs: number;
  private readonly downAfterMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly listeners = new Set<(e: RpcPoolEvent) => void>();
  private lastStaleProbe = 0;
  private closed = false;
  /** Number of requests sent (all endpoints, probes included). */
  requests = 0;

  constructor(urls: readonly string[], options: RpcPoolOptions = {}) {
    if (urls.length === 0) throw new Error('RpcPool needs at least one URL');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? urls.length * 2 + 2;
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 1_000;
    this.staleHeadMs = options.staleHeadMs ?? 30_000;
    this.downAfterMs = options.downAfterMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.endpoints = urls.map((url) => this.makeEndpoint(url));
  }

  private makeEndpoint(url: string): Endpoint {
    const ws = /^wss?:/i.test(url);
    const base = { url, ws, failures: 0, lastFailAt: Number.NEGATIVE_INFINITY, coolUntil: 0, head: undefined, headChangedAt: this.now(), downSince: undefined, lastError: undefined, reportedDown: false };
    if (ws) {
      const t = webSocket(url, { retryCount: 0, timeout: this.timeoutMs, keepAlive: true, reconnect: true })({ retryCount: 0 });
      return {
        ...base,
        request: t.request,
        subscribeHeads: async (onHead) => {
          if (!t.value) throw new Error('WebSocket transport without subscribe');
          const { unsubscribe } = await t.value.subscribe({ params: ['newHeads'], onData: () => { onHead(); }, onError: () => undefined });
          return () => void unsubscribe().catch(() => undefined);
        },
      };
    }
    // No JSON-RPC batching: a batch fails or succeeds as one HTTP request (the pool's failover and
    // the indexer's range-limit handling work per call), and some providers refuse batches.
    const t = http(url, { retryCount: 0, timeout: this.timeoutMs })({ retryCount: 0 });
    return { ...base, request: t.request, subscribeHeads: undefined };
  }

  /** The URL in use now. */
  get activeUrl(): string {
    return this.endpoints[this.active]?.url ?? '';
  }

  get urls(): readonly string[] {
    return this.endpoints.map((e) => e.url);
  }

  onEvent(listener: (e: RpcPoolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: RpcPoolEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** A viem transport over the pool (no viem-level retries: the pool retries). */
  transport(): Transport {
    return custom({ request: (args: { method: string; params?: unknown }) => this.request(args.method, args.params) }, { retryCount: 0 });
  }

  /** Sends one JSON-RPC request to the active endpoint, failing over on endpoint failures. */
  async request(method: string, params?: unknown): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (this.closed) throw new Error('RpcPool is closed');
      const idx = await this.pick();
      const ep = this.endpoints[idx];
      if (!ep) throw new Error('no endpoint');
      const sentAt = this.now();
      try {
        this.requests++;
        const result: unknown = await ep.request({ method, params });
        this.succeeded(ep);
        if (method === 'eth_blockNumber' && typeof result === 'string') {
          return await this.onHead(idx, BigInt(result));
        }
        return result;
      } catch (err) {
        if (!isEndpointFailure(err)) throw err;
        lastError = err;
        this.fail(idx, err, true, sentAt);
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  /** The active endpoint if usable, else the next one out of backoff (waiting for the earliest if all are). */
  private async pick(): Promise<number> {
    const n = this.endpoints.length;
    let reported = false;
    for (;;) {
      const now = this.now();
      for (let k = 0; k < n; k++) {
        const i = (this.active + k) % n;
        const ep = this.endpoints[i];
        if (ep && ep.coolUntil <= now) {
          this.active = i;
          return i;
        }
      }
      let best = this.active;
      let until = Number.POSITIVE_INFINITY;
      this.endpoints.forEach((ep, i) => {
        if (ep.coolUntil < until) {
          until = ep.coolUntil;
          best = i;
        }
      });
      const waitMs = Math.max(0, until - now);
      if (!reported) this.emit({ type: 'backoff', waitMs });
      reported = true;
      // Sleep in slices: a probe that finds the node answering again clears its cool-down, and the
      // waiting request must go at once rather than sit out the rest of the backoff (an outage of the
      // only URL then ends within a probe interval of the node answering, not a backoff later).
      if (waitMs <= WAKE_SLICE_MS || this.closed) {
        await this.sleep(waitMs);
        this.active = best;
        return best;
      }
      await this.sleep(WAKE_SLICE_MS);
    }
  }

  private succeeded(ep: Endpoint): void {
    ep.failures = 0;
    ep.coolUntil = 0;
    if (ep.downSince !== undefined) {
      const downForMs = this.now() - ep.downSince;
      ep.downSince = undefined;
      if (ep.reportedDown) this.emit({ type: 'up', url: redactUrl(ep.url), downForMs });
      ep.reportedDown = false;
    }
  }

  private markFailed(ep: Endpoint, err: unknown, since?: number): void {
    ep.failures++;
    ep.lastError = shortError(err);
    // Down since the failed request was sent (a blackholed URL fails only at the timeout).
    ep.downSince ??= since ?? this.now();
    if (!ep.reportedDown && this.now() - ep.downSince >= this.downAfterMs) {
      ep.reportedDown = true;
      this.emit({ type: 'down', url: redactUrl(ep.url), downForMs: this.now() - ep.downSince, error: ep.lastError });
    }
  }

  /** Every endpoint's state, for logs, metrics and the health endpoint. */
  status(): EndpointStatus[] {
    const now = this.now();
    return this.endpoints.map((ep) => ({
      url: redactUrl(ep.url),
      up: ep.downSince === undefined,
      downForMs: ep.downSince === undefined ? 0 : now - ep.downSince,
      failures: ep.failures,
      head: ep.head,
      lastError: ep.lastError,
    }));
  }

  /** Asks every endpoint for its head once (in parallel); failures cool it down like any failure. */
  async probe(): Promise<void> {
    await Promise.all(
      this.endpoints.map(async (ep, i) => {
        const since = this.now();
        try {
          this.requests++;
          const r = await ep.request({ method: 'eth_blockNumber' });
          const h = BigInt(r as string);
          if (ep.head === undefined || h > ep.head) ep.headChangedAt = this.now();
          ep.head = h;
          this.succeeded(ep);
        } catch (err) {
          if (isEndpointFailure(err) || !(err instanceof BaseError)) this.fail(i, err, false, since);
        }
      }),
    );
  }

  private probeTimer: ReturnType<typeof setInterval> | undefined;

  /** Probes every endpoint every `intervalMs` until {@link close}. */
  startProbing(intervalMs = 1_000): void {
    if (this.probeTimer || this.closed) return;
    let busy = false;
    this.probeTimer = setInterval(() => {
      if (busy) return;
      busy = true;
      void this.probe().finally(() => {
        busy = false;
      });
    }, intervalMs);
    this.probeTimer.unref();
  }

  private fail(idx: number, err: unknown, failover = true, since?: number): void {
    const ep = this.endpoints[idx];
    if (!ep) return;
    // One burst, one step: requests that were already on the wire when a failure raised the
    // backoff fail for the same reason and do not raise it again (300 concurrent takes meeting one
    // overloaded moment pushed the backoff to its 2 s cap at once and stalled every request).
    if (since !== undefined && since <= ep.lastFailAt) {
      ep.lastError = shortError(err);
      return;
    }
    ep.lastFailAt = this.now();
    this.markFailed(ep, err, since);
    const backoff = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** Math.min(20, ep.failures - 1));
    ep.coolUntil = this.now() + backoff * (0.75 + Math.random() * 0.5);
    if (failover && this.endpoints.length > 1 && idx === this.active) {
      const next = (idx + 1) % this.endpoints.length;
      this.emit({ type: 'failover', from: redactUrl(ep.url), to: redactUrl(this.endpoints[next]?.url ?? ''), error: shortError(err) });
      this.active = next;
    }
  }

  /** Records a head seen on an endpoint; rotates away from a stalled active endpoint. Returns the head to report. */
  private async onHead(idx: number, head: bigint): Promise<string> {
    const ep = this.endpoints[idx];
    if (!ep) return `0x${head.toString(16)}`;
    const now = this.now();
    if (ep.head === undefined || head > ep.head) ep.headChangedAt = now;
    ep.head = head;
    if (this.endpoints.length > 1 && now - ep.headChangedAt >= this.staleHeadMs && now - this.lastStaleProbe >= this.staleHeadMs / 2) {
      this.lastStaleProbe = now;
      let bestIdx = idx;
      let bestHead = head;
      await Promise.all(
        this.endpoints.map(async (other, i) => {
          if (i === idx || other.coolUntil > now) return;
          try {
            this.requests++;
            const r = await other.request({ method: 'eth_blockNumber' });
            const h = BigInt(r as string);
            if (other.head === undefined || h > other.head) other.headChangedAt = now;
            other.head = h;
            if (h > bestHead) {
              bestHead = h;
              bestIdx = i;
            }
          } catch (err) {
            if (isEndpointFailure(err)) this.fail(i, err);
          }
        }),
      );
      if (bestIdx !== idx) {
        // The stalled endpoint goes to the back: cool it down like a failure.
        ep.coolUntil = now + this.staleHeadMs;
        this.active = bestIdx;
        this.emit({ type: 'rotate', from: redactUrl(ep.url), to: redactUrl(this.endpoints[bestIdx]?.url ?? ''), staleHead: head, aheadHead: bestHead });
        return `0x${bestHead.toString(16)}`;
      }
    }
    return `0x${head.toString(16)}`;
  }

  /** The active endpoint pushes new heads (a WebSocket): {@link waitForHead} wakes on them. */
  pushesHeads(): boolean {
    return this.endpoints[this.active]?.subscribeHeads !== undefined;
  }

  /**
   * Subscribes to new heads on the active endpoint when it is a WebSocket; resolves after `ms` or
   * at the next head notification, whichever is first (HTTP: just waits `ms`).
   */
  async waitForHead(ms: number): Promise<void> {
    const ep = this.endpoints[this.active];
    if (ep?.subscribeHeads && this.wsSub?.url !== ep.url) {
      this.wsSub?.stop();
      this.wsSub = { url: ep.url, stop: () => undefined };
      const sub = this.wsSub;
      ep.subscribeHeads(() => {
        for (const w of this.headWaiters) w();
        this.headWaiters.clear();
      })
        .then((stop) => {
          if (this.wsSub === sub) sub.stop = stop;
          else stop();
        })
        .catch(() => {
          if (this.wsSub === sub) this.wsSub = undefined;
        });
    }
    await new Promise<void>((resolve) => {
      const waiters = this.headWaiters;
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  private wsSub: { url: string; stop: () => void } | undefined;
  private readonly headWaiters = new Set<() => void>();

  /** Stops subscriptions and wakes waiters. */
  close(): void {
    this.closed = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    this.wsSub?.stop();
    this.wsSub = undefined;
    for (const w of this.headWaiters) w();
    this.headWaiters.clear();
  }
}
