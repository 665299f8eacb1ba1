// The owner-alert service inside the keeper daemon: driven by the keeper's index (every live block,
// which carries every price poke and vault change, re-checks every subscribed owner's vaults), it moves
// each (subscription, vault) through its alert states and queues a signed webhook for every change for
// the worse; a delivery loop sends the outbox at least once (retries 1 s, 2 s, 4 s … up to 5 min apart,
// 12 attempts in all), the receiver dedupes by the alert id. Recoveries are recorded, not sent: a vault
// alerts again only after it has recovered (with the RECOVERY_BPS margin) and crossed again.

import type { Logger } from 'pino';
import { getAddress } from 'viem';
import type { Indexer } from '../index/indexer.ts';
import { SerialRunner } from '../util/serial.ts';
import { OK_STATE, alertRank, nextAlertState } from './alerts.ts';
import type { AlertStore } from './alertStore.ts';
import type { OptIns } from './optIns.ts';
import { ownerVaults } from './ownerVaults.ts';
import { buildAlert, deliveryHeaders, postJson, type WebhookAlert } from './webhook.ts';

export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 300_000;
const CONCURRENCY = 8;

export interface AlertServiceOptions {
  readonly indexer: Indexer;
  readonly optIns: OptIns | undefined;
  readonly store: AlertStore;
  readonly chainId: number;
  readonly allowPrivateUrls: boolean;
  readonly logger: Logger;
  /** Delivery loop period (default 250 ms). */
  readonly tickMs?: number;
  /** Delay before retry n (default 1 s × 2^(n−1), capped at 5 min). */
  readonly retryDelayMs?: (attempt: number) => number;
}

export class AlertService {
  /** Alerts queued since start (tests, metrics). */
  queued = 0;
  readonly #o: AlertServiceOptions;
  #running = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #delivering = false;
  readonly #offs: (() => void)[] = [];
  readonly #runner = new SerialRunner(
    () => this.#evaluate(),
    () => this.#running,
    (err: unknown) => {
      this.#o.logger.warn({ error: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'alert evaluation failed (next block retries)');
    },
  );

  constructor(o: AlertServiceOptions) {
    this.#o = o;
  }

  get store(): AlertStore {
    return this.#o.store;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#offs.push(
      this.#o.indexer.on('block', (e) => {
        if (e.live) this.#runner.schedule();
      }),
    );
    if (this.#o.indexer.live) this.#runner.schedule();
    this.#timer = setInterval(() => {
      void this.#deliverDue();
    }, this.#o.tickMs ?? 250);
    this.#timer.unref();
  }

  /** Re-checks now (after a new subscription). */
  poke(): void {
    this.#runner.schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const off of this.#offs.splice(0)) off();
    if (this.#timer) clearInterval(this.#timer);
    await this.#runner.idle();
    while (this.#delivering) await new Promise((r) => setTimeout(r, 20));
  }

  async #evaluate(): Promise<void> {
    const { indexer, optIns, store } = this.#o;
    if (!indexer.live) return;
    const block = indexer.processed;
    await optIns?.syncTo(block);
    for (const sub of store.list()) {
      for (const v of ownerVaults(indexer.model, optIns, getAddress(sub.owner))) {
        const prev = store.state(sub.id, v.ilk) ?? OK_STATE;
        const next = nextAlertState(prev, v.healthWad, v.preHealthWad, sub.warnAtBps);
        const change = alertRank(next, sub.warnAtBps) - alertRank(prev, sub.warnAtBps);
        if (change === 0) continue;
        if (change < 0) {
          store.transition(sub.id, v.ilk, next);
          continue;
        }
        const alert: WebhookAlert = buildAlert({ subscription: sub.id, chainId: this.#o.chainId, ilk: v.ilk, ilkName: v.ilkName, owner: v.owner, state: next, previous: prev, healthWad: v.healthWad, preHealthWad: v.preHealthWad, block });
        store.transition(sub.id, v.ilk, next, { id: alert.id, url: sub.url, body: JSON.stringify(alert) });
        this.queued++;
        this.#o.logger.info({ subscription: sub.id, owner: v.owner, ilk: v.ilkName, level: next.level, distanceBps: next.distanceBps?.toString(), id: alert.id }, 'owner alert queued');
      }
    }
    if (this.queued > 0) void this.#deliverDue();
  }

  /** A method, not the field: the loop re-reads it after each await (stop() may have run). */
  #isRunning(): boolean {
    return this.#running;
  }

  async #deliverDue(): Promise<void> {
    if (this.#delivering || !this.#running) return;
    this.#delivering = true;
    try {
      const { store } = this.#o;
      for (;;) {
        const rows = store.due(Date.now(), CONCURRENCY);
        if (rows.length === 0 || !this.#isRunning()) break;
        await Promise.all(
          rows.map(async (row) => {
            const sub = store.get(row.subscription);
            if (!sub) {
              store.failed(row.id, row.attempts, 'subscription removed', undefined);
              return;
            }
            const alert = JSON.parse(row.body) as WebhookAlert;
            const r = await postJson(row.url, row.body, { allowPrivate: this.#o.allowPrivateUrls, headers: deliveryHeaders(alert, row.body, sub.secret, Math.floor(Date.now() / 1000)) });
            const attempts = row.attempts + 1;
            if (r.ok) {
              store.delivered(row.id, attempts);
              this.#o.logger.info({ id: row.id, subscription: row.subscription, attempts }, 'owner alert delivered');
              return;
            }
            const delay = (this.#o.retryDelayMs ?? defaultRetryDelay)(attempts);
            const give = attempts >= MAX_ATTEMPTS;
            store.failed(row.id, attempts, r.error, give ? undefined : Date.now() + delay);
            this.#o.logger.warn({ id: row.id, subscription: row.subscription, attempts, error: r.error, retryInMs: give ? undefined : delay }, give ? 'owner alert given up' : 'owner alert delivery failed (retrying)');
          }),
        );
      }
    } finally {
      this.#delivering = false;
    }
  }
}

function defaultRetryDelay(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
}
