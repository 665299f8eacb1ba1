// Owner-alert subscriptions, each vault's last alert state, and the delivery outbox, in the keeper's
// SQLite file (tables of their own beside the checkpoint's; a checkpoint reset leaves them alone).
//
//   alert_subscriptions(id, owner, url, secret, warn_at, created_at)
//   alert_state(subscription, ilk, level, distance_bps)            -- last state per vault, for changes only
//   alert_outbox(id, subscription, url, body, attempts, next_at, status, last_error, created_at)
//
// A state change and its outbox row are written in one transaction, so an alert is never lost between
// "seen" and "queued" (a crash re-reads the outbox: at-least-once), and never queued twice for one
// crossing (the row's id is the alert's dedupe key).

import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Address } from 'viem';
import type { AlertLevel, AlertState } from './alerts.ts';

export interface Subscription {
  readonly id: string;
  readonly owner: Address;
  readonly url: string;
  readonly secret: string;
  readonly warnAtBps: readonly bigint[];
  readonly createdAt: number;
}

export interface OutboxRow {
  readonly id: string;
  readonly subscription: string;
  readonly url: string;
  readonly body: string;
  readonly attempts: number;
}

interface SubRow {
  id: string;
  owner: string;
  url: string;
  secret: string;
  warn_at: string;
  created_at: number;
}

export class AlertStore {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('busy_timeout = 2000');
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS alert_subscriptions (id TEXT PRIMARY KEY, owner TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL, warn_at TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS alert_subscriptions_owner ON alert_subscriptions(owner);
      CREATE TABLE IF NOT EXISTS alert_state (subscription TEXT NOT NULL, ilk TEXT NOT NULL, level TEXT NOT NULL, distance_bps TEXT, PRIMARY KEY (subscription, ilk)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS alert_outbox (id TEXT PRIMARY KEY, subscription TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, status TEXT NOT NULL, last_error TEXT, created_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS alert_outbox_due ON alert_outbox(status, next_at);
    `);
  }

  close(): void {
    this.#db.close();
  }

  /* ---------------------------- subscriptions ---------------------------- */

  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM alert_subscriptions').get() as { n: number }).n;
  }

  countFor(owner: Address): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM alert_subscriptions WHERE owner = ?').get(owner.toLowerCase()) as { n: number }).n;
  }

  /** Adds a subscription with a fresh id and secret (32 random bytes, hex). */
  add(owner: Address, url: string, warnAtBps: readonly bigint[], now = Date.now()): Subscription {
    const s: Subscription = { id: `sub_${randomBytes(12).toString('hex')}`, owner, url, secret: randomBytes(32).toString('hex'), warnAtBps, createdAt: now };
    this.#db
      .prepare('INSERT INTO alert_subscriptions (id, owner, url, secret, warn_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.id, owner.toLowerCase(), url, s.secret, JSON.stringify(warnAtBps.map(String)), now);
    return s;
  }

  findByOwnerUrl(owner: Address, url: string): Subscription | undefined {
    const r = this.#db.prepare('SELECT * FROM alert_subscriptions WHERE owner = ? AND url = ?').get(owner.toLowerCase(), url) as SubRow | undefined;
    return r && toSub(r);
  }

  get(id: string): Subscription | undefined {
    const r = this.#db.prepare('SELECT * FROM alert_subscriptions WHERE id = ?').get(id) as SubRow | undefined;
    return r && toSub(r);
  }

  list(owner?: Address): Subscription[] {
    const rows = (owner === undefined ? this.#db.prepare('SELECT * FROM alert_subscriptions ORDER BY created_at').all() : this.#db.prepare('SELECT * FROM alert_subscriptions WHERE owner = ? ORDER BY created_at').all(owner.toLowerCase())) as SubRow[];
    return rows.map(toSub);
  }

  /** Removes a subscription with its states and undelivered alerts. */
  remove(id: string): boolean {
    return this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM alert_state WHERE subscription = ?').run(id);
      this.#db.prepare("DELETE FROM alert_outbox WHERE subscription = ? AND status = 'pending'").run(id);
      return this.#db.prepare('DELETE FROM alert_subscriptions WHERE id = ?').run(id).changes > 0;
    })();
  }

  /* ------------------------------- states -------------------------------- */

  state(subscription: string, ilk: string): AlertState | undefined {
    const r = this.#db.prepare('SELECT level, distance_bps FROM alert_state WHERE subscription = ? AND ilk = ?').get(subscription, ilk.toLowerCase()) as { level: string; distance_bps: string | null } | undefined;
    return r && { level: r.level as AlertLevel, distanceBps: r.distance_bps === null ? undefined : BigInt(r.distance_bps) };
  }

  /** Records the new state and, when given, queues the alert: one transaction. */
  transition(subscription: string, ilk: string, state: AlertState, alert?: { id: string; url: string; body: string }, now = Date.now()): void {
    this.#db.transaction(() => {
      this.#db
        .prepare('INSERT INTO alert_state (subscription, ilk, level, distance_bps) VALUES (?, ?, ?, ?) ON CONFLICT(subscription, ilk) DO UPDATE SET level = excluded.level, distance_bps = excluded.distance_bps')
        .run(subscription, ilk.toLowerCase(), state.level, state.distanceBps?.toString() ?? null);
      if (alert) {
        this.#db
          .prepare("INSERT OR IGNORE INTO alert_outbox (id, subscription, url, body, attempts, next_at, status, last_error, created_at) VALUES (?, ?, ?, ?, 0, ?, 'pending', NULL, ?)")
          .run(alert.id, subscription, alert.url, alert.body, now, now);
      }
    })();
  }

  /* ------------------------------- outbox -------------------------------- */

  due(now: number, limit: number): OutboxRow[] {
    return this.#db.prepare("SELECT id, subscription, url, body, attempts FROM alert_outbox WHERE status = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ?").all(now, limit) as OutboxRow[];
  }

  delivered(id: string, attempts: number): void {
    this.#db.prepare("UPDATE alert_outbox SET status = 'delivered', attempts = ?, last_error = NULL WHERE id = ?").run(attempts, id);
  }

  /** A failed attempt: retried at `nextAt`, or given up (`failed`) when nextAt is undefined. */
  failed(id: string, attempts: number, error: string, nextAt: number | undefined): void {
    if (nextAt === undefined) this.#db.prepare("UPDATE alert_outbox SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?").run(attempts, error, id);
    else this.#db.prepare('UPDATE alert_outbox SET attempts = ?, last_error = ?, next_at = ? WHERE id = ?').run(attempts, error, nextAt, id);
  }

  /** Outbox counts by status (metrics, tests). */
  outboxCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.#db.prepare('SELECT status, COUNT(*) AS n FROM alert_outbox GROUP BY status').all() as { status: string; n: number }[]) out[r.status] = r.n;
    return out;
  }
}

function toSub(r: SubRow): Subscription {
  return { id: r.id, owner: r.owner as Address, url: r.url, secret: r.secret, warnAtBps: (JSON.parse(r.warn_at) as string[]).map((s) => BigInt(s)), createdAt: r.created_at };
}
