// The outbox tables in the alerts state database (better-sqlite3), shared with other tables:
//   outbox_deliveries  one row per (notification, receiver, integration): pending → delivered | dead
//   slack_threads      per (receiver, integration, group key): the parent message (channel, ts) of the
//                      group's open Slack thread
// `enqueue` is synchronous and idempotent by delivery key, so it can run inside the caller's own
// db.transaction(...) together with its notification log write: either both are committed or neither.
import type Database from 'better-sqlite3';

export type OutboxState = 'pending' | 'delivered' | 'dead';

export interface EnqueueInput {
  /** Unique per notification and integration; a second enqueue of the same key does nothing. */
  deliveryKey: string;
  receiver: string;
  /** The integration's name within the receiver, e.g. `slack/0`. */
  integration: string;
  groupKey: string;
  /** What the integration sends: the Notification (Alertmanager webhook payload v4). Stored as JSON. */
  payload: unknown;
}

export interface OutboxRow {
  id: number;
  deliveryKey: string;
  receiver: string;
  integration: string;
  groupKey: string;
  payload: string;
  state: OutboxState;
  /** Requests sent that may have posted the message. */
  attempts: number;
  /** Failed delivery rounds (the outbox retries a round after a backoff). */
  failures: number;
  /** A request went out without a definite answer: look for the message before posting again. */
  maybeSent: boolean;
  nextAttemptMs: number;
  enqueuedMs: number;
  updatedMs: number;
  deliveredMs: number | null;
  lastError: string | null;
  /** JSON: { channel, ts, threadTs, reconciled, skipped } as the integration answered. */
  response: string | null;
}

export interface ThreadRef {
  channel: string;
  ts: string;
}

interface DbRow {
  id: number;
  delivery_key: string;
  receiver: string;
  integration: string;
  group_key: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  failures: number;
  maybe_sent: number;
  next_attempt_ms: number;
  enqueued_ms: number;
  updated_ms: number;
  delivered_ms: number | null;
  last_error: string | null;
  response: string | null;
}

function toRow(r: DbRow): OutboxRow {
  return {
    id: r.id,
    deliveryKey: r.delivery_key,
    receiver: r.receiver,
    integration: r.integration,
    groupKey: r.group_key,
    payload: r.payload,
    state: r.state,
    attempts: r.attempts,
    failures: r.failures,
    maybeSent: r.maybe_sent === 1,
    nextAttemptMs: r.next_attempt_ms,
    enqueuedMs: r.enqueued_ms,
    updatedMs: r.updated_ms,
    deliveredMs: r.delivered_ms,
    lastError: r.last_error,
    response: r.response,
  };
}

export interface OutboxOptions {
  now?: () => number;
}

export type ThreadChange = { set: ThreadRef } | { clear: true } | undefined;

export class Outbox {
  readonly db: Database.Database;
  readonly #now: () => number;
  readonly #listeners = new Set<() => void>();
  readonly #stmts: ReturnType<typeof prepare>;

  constructor(db: Database.Database, options: OutboxOptions = {}) {
    this.db = db;
    this.#now = options.now ?? Date.now;
    db.exec(`
      CREATE TABLE IF NOT EXISTS outbox_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        delivery_key TEXT NOT NULL UNIQUE,
        receiver TEXT NOT NULL,
        integration TEXT NOT NULL,
        group_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        maybe_sent INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL,
        enqueued_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        delivered_ms INTEGER,
        last_error TEXT,
        response TEXT);
      CREATE INDEX IF NOT EXISTS outbox_deliveries_lane ON outbox_deliveries (state, receiver, integration, id);
      CREATE INDEX IF NOT EXISTS outbox_deliveries_receiver ON outbox_deliveries (receiver, id);
      CREATE TABLE IF NOT EXISTS slack_threads (
        receiver TEXT NOT NULL,
        integration TEXT NOT NULL,
        group_key TEXT NOT NULL,
        channel TEXT NOT NULL,
        ts TEXT NOT NULL,
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (receiver, integration, group_key));
    `);
    this.#stmts = prepare(db);
  }

  /**
   * Queues a delivery. Synchronous; idempotent by `deliveryKey` (`inserted: false` when it was already
   * there). Safe inside the caller's db.transaction(): the worker is woken only after the current
   * synchronous code (and so the transaction) has finished.
   */
  enqueue(input: EnqueueInput): { id: number; inserted: boolean } {
    const now = this.#now();
    const payload = typeof input.payload === 'string' ? input.payload : JSON.stringify(input.payload);
    const r = this.#stmts.insert.run(
      input.deliveryKey,
      input.receiver,
      input.integration,
      input.groupKey,
      payload,
      now,
      now,
      now,
    );
    const id = (this.#stmts.byKey.get(input.deliveryKey) as { id: number }).id;
    if (r.changes > 0) setImmediate(() => this.#wake());
    return { id, inserted: r.changes > 0 };
  }

  /** The queryable history: newest first. */
  list(
    filter: { receiver?: string; state?: OutboxState; groupKey?: string; limit?: number } = {},
  ): OutboxRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.receiver !== undefined) {
      where.push('receiver = ?');
      args.push(filter.receiver);
    }
    if (filter.state !== undefined) {
      where.push('state = ?');
      args.push(filter.state);
    }
    if (filter.groupKey !== undefined) {
      where.push('group_key = ?');
      args.push(filter.groupKey);
    }
    const limit = Math.max(1, Math.min(filter.limit ?? 100, 10_000));
    const sql = `SELECT * FROM outbox_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ${limit}`;
    return (this.db.prepare(sql).all(...args) as DbRow[]).map(toRow);
  }

  get(id: number): OutboxRow | undefined {
    const r = this.#stmts.byId.get(id) as DbRow | undefined;
    return r && toRow(r);
  }

  pendingCount(): number {
    return (this.#stmts.pending.get() as { n: number }).n;
  }

  /** Deletes delivered rows older than `maxAgeMs`, and threads not touched for as long. */
  purge(maxAgeMs: number): number {
    const before = this.#now() - maxAgeMs;
    const n = this.#stmts.purge.run(before).changes;
    this.#stmts.purgeThreads.run(before);
    return n;
  }

  /** Calls `fn` (asynchronously) after each new enqueue. */
  onEnqueue(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #wake(): void {
    for (const fn of this.#listeners) fn();
  }

  // For the worker and integrations.

  /** The oldest pending row of every (receiver, integration). */
  laneHeads(): OutboxRow[] {
    return (this.#stmts.heads.all() as DbRow[]).map(toRow);
  }

  laneHead(receiver: string, integration: string): OutboxRow | undefined {
    const r = this.#stmts.head.get(receiver, integration) as DbRow | undefined;
    return r && toRow(r);
  }

  markAttempt(id: number): void {
    this.#stmts.attempt.run(this.#now(), id);
  }

  markDelivered(row: OutboxRow, response: unknown, thread: ThreadChange): void {
    const now = this.#now();
    this.db.transaction(() => {
      this.#stmts.delivered.run(now, now, JSON.stringify(response ?? {}), row.id);
      if (thread && 'set' in thread)
        this.#stmts.threadSet.run(
          row.receiver,
          row.integration,
          row.groupKey,
          thread.set.channel,
          thread.set.ts,
          now,
        );
      else if (thread && 'clear' in thread)
        this.#stmts.threadDelete.run(row.receiver, row.integration, row.groupKey);
    })();
  }

  markRetry(id: number, error: string, nextAttemptMs: number): void {
    this.#stmts.retry.run(error, nextAttemptMs, this.#now(), id);
  }

  markDead(id: number, error: string): void {
    this.#stmts.dead.run(error, this.#now(), id);
  }

  thread(receiver: string, integration: string, groupKey: string): ThreadRef | undefined {
    return this.#stmts.threadGet.get(receiver, integration, groupKey) as ThreadRef | undefined;
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(`INSERT INTO outbox_deliveries
        (delivery_key, receiver, integration, group_key, payload, next_attempt_ms, enqueued_ms, updated_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_key) DO NOTHING`),
    byKey: db.prepare('SELECT id FROM outbox_deliveries WHERE delivery_key = ?'),
    byId: db.prepare('SELECT * FROM outbox_deliveries WHERE id = ?'),
    heads: db.prepare(`SELECT * FROM outbox_deliveries WHERE id IN (
        SELECT MIN(id) FROM outbox_deliveries WHERE state = 'pending' GROUP BY receiver, integration)`),
    head: db.prepare(`SELECT * FROM outbox_deliveries
        WHERE state = 'pending' AND receiver = ? AND integration = ? ORDER BY id LIMIT 1`),
    attempt: db.prepare(
      'UPDATE outbox_deliveries SET attempts = attempts + 1, maybe_sent = 1, updated_ms = ? WHERE id = ?',
    ),
    delivered: db.prepare(`UPDATE outbox_deliveries SET state = 'delivered', delivered_ms = ?, updated_ms = ?,
        response = ?, maybe_sent = 0 WHERE id = ? AND state = 'pending'`),
    retry:
      db.prepare(`UPDATE outbox_deliveries SET failures = failures + 1, last_error = ?, next_attempt_ms = ?,
        updated_ms = ? WHERE id = ?`),
    dead: db.prepare(`UPDATE outbox_deliveries SET state = 'dead', failures = failures + 1, last_error = ?,
        updated_ms = ? WHERE id = ?`),
    pending: db.prepare(`SELECT COUNT(*) AS n FROM outbox_deliveries WHERE state = 'pending'`),
    threadGet: db.prepare(
      'SELECT channel, ts FROM slack_threads WHERE receiver = ? AND integration = ? AND group_key = ?',
    ),
    threadSet:
      db.prepare(`INSERT INTO slack_threads (receiver, integration, group_key, channel, ts, updated_ms)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (receiver, integration, group_key)
        DO UPDATE SET channel = excluded.channel, ts = excluded.ts, updated_ms = excluded.updated_ms`),
    threadDelete: db.prepare(
      'DELETE FROM slack_threads WHERE receiver = ? AND integration = ? AND group_key = ?',
    ),
    purge: db.prepare(`DELETE FROM outbox_deliveries WHERE state = 'delivered' AND delivered_ms < ?`),
    purgeThreads: db.prepare('DELETE FROM slack_threads WHERE updated_ms < ?'),
  };
}
