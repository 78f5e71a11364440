// Delivers the outbox's pending rows: in order within each (receiver, integration) lane, lanes
// concurrently. A row is retried (after a growing delay) while its errors are transient, dead-lettered on
// a permanent error or when it has failed too often or for too long; a dead row does not hold up the rows
// behind it. A request that may have gone out is recorded first (maybe_sent), so after a crash or an
// ambiguous failure the integration looks for the message before posting again.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Notification } from '../../dispatch/dispatcher.ts';
import { DeliveryError } from '../delivery-error.ts';
import { redact } from '../slack/config.ts';
import type { Outbox, OutboxRow, ThreadChange, ThreadRef } from './store.ts';

/** What an integration gets for one row. */
export interface DeliveryContext {
  row: OutboxRow;
  notification: Notification;
  /** Aborted when the worker stops. */
  signal: AbortSignal;
  /** A previous attempt may have sent this row's message (look for it before sending). */
  maybeSent: boolean;
  /** Call synchronously right before each request that may send the message (persists maybe_sent). */
  beginAttempt(): void;
  /** The group's open Slack thread, if any. */
  thread(): ThreadRef | undefined;
  onRetry(): void;
  onRateLimited(): void;
}

export interface DeliveryResult {
  channel?: string;
  ts?: string;
  threadTs?: string;
  reconciled?: boolean;
  /** Why nothing was sent (e.g. resolved and send_resolved false). */
  skipped?: string;
  /** Open (set) or close (clear) the group's thread, committed with "delivered". */
  thread?: ThreadChange;
}

/** One way of delivering a receiver's notifications (one slack_configs entry). */
export interface Integration {
  readonly receiver: string;
  /** Unique within the receiver, e.g. `slack/0`. */
  readonly name: string;
  deliver(ctx: DeliveryContext): Promise<DeliveryResult>;
}

export interface OutboxWorkerOptions {
  outbox: Outbox;
  /** The integrations rows are delivered through, or a lookup. A row without one is dead-lettered. */
  integrations: readonly Integration[] | ((receiver: string, integration: string) => Integration | undefined);
  /** Metrics are registered here (reused if already registered). */
  registry?: Registry;
  /** A row became dead (permanent error, too many failures): raise the meta-alert. */
  onDeadLetter?: (row: OutboxRow) => void;
  log?: (message: string) => void;
  /** Failed rounds before a row is dead (default 10). */
  maxFailures?: number;
  /** Pending longer than this (with errors) → dead (default 24 h). */
  maxAgeMs?: number;
  /** Delay before retrying a failed round: initial (default 5 s) doubling up to max (default 5 min). */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** How often the table is polled for rows written by other processes (default 1 s). */
  pollIntervalMs?: number;
  /** Delivered rows older than this many days are deleted (default 30; 0 keeps them). */
  retentionDays?: number;
  /** Lanes delivered at once (default 16). */
  maxConcurrentLanes?: number;
  now?: () => number;
}

interface Metrics {
  notifications: Counter<'receiver' | 'integration' | 'outcome'>;
  pending: Gauge;
  rateLimited: Counter<'receiver'>;
  latency: Histogram<'receiver' | 'integration'>;
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

function makeMetrics(registry: Registry, outbox: Outbox): Metrics {
  return {
    notifications: metric(
      registry,
      'dss_alerts_notifications_total',
      () =>
        new Counter({
          name: 'dss_alerts_notifications_total',
          help: 'Notification deliveries by outcome: delivered, retried (each retry), dead (dead-lettered).',
          labelNames: ['receiver', 'integration', 'outcome'] as const,
          registers: [registry],
        }),
    ),
    pending: metric(
      registry,
      'dss_alerts_outbox_pending',
      () =>
        new Gauge({
          name: 'dss_alerts_outbox_pending',
          help: 'Notifications waiting in the outbox.',
          registers: [registry],
          collect() {
            this.set(outbox.pendingCount());
          },
        }),
    ),
    rateLimited: metric(
      registry,
      'dss_alerts_slack_rate_limited_total',
      () =>
        new Counter({
          name: 'dss_alerts_slack_rate_limited_total',
          help: 'HTTP 429 answers from Slack.',
          labelNames: ['receiver'] as const,
          registers: [registry],
        }),
    ),
    latency: metric(
      registry,
      'dss_alerts_notification_latency_seconds',
      () =>
        new Histogram({
          name: 'dss_alerts_notification_latency_seconds',
          help: 'Time from enqueue to delivered.',
          labelNames: ['receiver', 'integration'] as const,
          buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600],
          registers: [registry],
        }),
    ),
  };
}

export class OutboxWorker {
  readonly #outbox: Outbox;
  readonly #lookup: (receiver: string, integration: string) => Integration | undefined;
  readonly #metrics: Metrics | undefined;
  readonly #onDeadLetter: ((row: OutboxRow) => void) | undefined;
  readonly #log: (message: string) => void;
  readonly #maxFailures: number;
  readonly #maxAgeMs: number;
  readonly #retryInitialMs: number;
  readonly #retryMaxMs: number;
  readonly #pollIntervalMs: number;
  readonly #retentionMs: number;
  readonly #maxLanes: number;
  readonly #now: () => number;
  readonly #lanes = new Map<string, Promise<void>>();
  #abort = new AbortController();
  #running = false;
  #poll: NodeJS.Timeout | undefined;
  #due: NodeJS.Timeout | undefined;
  #dueAt = Number.POSITIVE_INFINITY;
  #purge: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.#outbox = options.outbox;
    const ints = options.integrations;
    if (typeof ints === 'function') this.#lookup = ints;
    else {
      const map = new Map(ints.map((i) => [`${i.receiver}\u0000${i.name}`, i]));
      this.#lookup = (r, n) => map.get(`${r}\u0000${n}`);
    }
    this.#metrics = options.registry ? makeMetrics(options.registry, options.outbox) : undefined;
    this.#onDeadLetter = options.onDeadLetter;
    this.#log = options.log ?? (() => {});
    this.#maxFailures = options.maxFailures ?? 10;
    this.#maxAgeMs = options.maxAgeMs ?? 86_400_000;
    this.#retryInitialMs = options.retryInitialMs ?? 5000;
    this.#retryMaxMs = options.retryMaxMs ?? 300_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#retentionMs = (options.retentionDays ?? 30) * 86_400_000;
    this.#maxLanes = options.maxConcurrentLanes ?? 16;
    this.#now = options.now ?? Date.now;
  }

  /** Starts delivering, beginning with the rows left pending by a previous run. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    this.#unsubscribe = this.#outbox.onEnqueue(() => this.#tick());
    this.#poll = setInterval(() => this.#tick(), this.#pollIntervalMs);
    this.#poll.unref();
    if (this.#retentionMs > 0) {
      this.#purgeOld();
      this.#purge = setInterval(() => this.#purgeOld(), 3_600_000);
      this.#purge.unref();
    }
    this.#tick();
  }

  /** Stops: no new rows are started; in-flight requests are aborted (their rows stay pending). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    clearInterval(this.#poll);
    clearInterval(this.#purge);
    clearTimeout(this.#due);
    this.#dueAt = Number.POSITIVE_INFINITY;
    this.#abort.abort(new Error('outbox worker stopped'));
    await Promise.allSettled([...this.#lanes.values()]);
  }

  /** Resolves once nothing is pending (rows waiting for a retry included); for tests and shutdown. */
  async drain(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (this.#lanes.size === 0 && this.#outbox.pendingCount() === 0) return;
      if (Date.now() > end)
        throw new Error(`outbox not drained within ${timeoutMs} ms: ${this.#outbox.pendingCount()} pending`);
      this.#tick();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  #purgeOld(): void {
    try {
      const n = this.#outbox.purge(this.#retentionMs);
      if (n > 0) this.#log(`outbox: deleted ${n} delivered rows older than the retention`);
    } catch (e) {
      this.#log(`outbox: purge failed: ${(e as Error).message}`);
    }
  }

  #tick(): void {
    if (!this.#running) return;
    const now = this.#now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const head of this.#outbox.laneHeads()) {
      const lane = `${head.receiver}\u0000${head.integration}`;
      if (this.#lanes.has(lane)) continue;
      if (head.nextAttemptMs > now) {
        nextDue = Math.min(nextDue, head.nextAttemptMs);
        continue;
      }
      if (this.#lanes.size >= this.#maxLanes) break;
      const run = this.#runLane(head.receiver, head.integration).finally(() => {
        this.#lanes.delete(lane);
        this.#tick();
      });
      this.#lanes.set(lane, run);
    }
    if (nextDue < this.#dueAt) {
      clearTimeout(this.#due);
      this.#dueAt = nextDue;
      this.#due = setTimeout(
        () => {
          this.#dueAt = Number.POSITIVE_INFINITY;
          this.#tick();
        },
        Math.max(0, nextDue - now),
      );
      this.#due.unref();
    }
  }

  async #runLane(receiver: string, integration: string): Promise<void> {
    while (this.#running) {
      const row = this.#outbox.laneHead(receiver, integration);
      if (!row || row.nextAttemptMs > this.#now()) return;
      await this.#process(row);
    }
  }

  async #process(row: OutboxRow): Promise<void> {
    const m = this.#metrics;
    const labels = { receiver: row.receiver, integration: row.integration };
    const integration = this.#lookup(row.receiver, row.integration);
    if (!integration) {
      this.#dead(row, `no integration ${row.integration} configured for receiver ${row.receiver}`);
      return;
    }
    let notification: Notification;
    try {
      notification = JSON.parse(row.payload) as Notification;
    } catch {
      this.#dead(row, 'payload is not JSON');
      return;
    }
    const signal = this.#abort.signal;
    const ctx: DeliveryContext = {
      row,
      notification,
      signal,
      maybeSent: row.maybeSent,
      beginAttempt: () => this.#outbox.markAttempt(row.id),
      thread: () => this.#outbox.thread(row.receiver, row.integration, row.groupKey),
      onRetry: () => m?.notifications.inc({ ...labels, outcome: 'retried' }),
      onRateLimited: () => m?.rateLimited.inc({ receiver: row.receiver }),
    };
    let result: DeliveryResult;
    try {
      result = await integration.deliver(ctx);
    } catch (e) {
      if (signal.aborted) return; // stopping: the row stays pending
      const message = redact(e instanceof Error ? e.message : String(e));
      const permanent = e instanceof DeliveryError && e.kind === 'permanent';
      const failures = row.failures + 1;
      const age = this.#now() - row.enqueuedMs;
      if (permanent || failures >= this.#maxFailures || age >= this.#maxAgeMs) {
        const why = permanent ? message : `${message} (gave up after ${failures} rounds)`;
        this.#dead(row, why);
        return;
      }
      const delay = Math.min(this.#retryMaxMs, this.#retryInitialMs * 2 ** (failures - 1));
      this.#outbox.markRetry(row.id, message, this.#now() + delay * (0.75 + Math.random() * 0.5));
      m?.notifications.inc({ ...labels, outcome: 'retried' });
      this.#log(`outbox: ${row.receiver}/${row.integration} row ${row.id} failed (${message}); retrying`);
      return;
    }
    const { thread, ...response } = result;
    this.#outbox.markDelivered(row, response, thread);
    m?.notifications.inc({ ...labels, outcome: 'delivered' });
    m?.latency.observe(labels, Math.max(0, (this.#now() - row.enqueuedMs) / 1000));
  }

  #dead(row: OutboxRow, error: string): void {
    this.#outbox.markDead(row.id, error);
    this.#metrics?.notifications.inc({
      receiver: row.receiver,
      integration: row.integration,
      outcome: 'dead',
    });
    this.#log(`outbox: ${row.receiver}/${row.integration} row ${row.id} dead: ${error}`);
    const dead = this.#outbox.get(row.id) ?? row;
    try {
      this.#onDeadLetter?.(dead);
    } catch (e) {
      this.#log(`outbox: onDeadLetter failed: ${(e as Error).message}`);
    }
  }
}
