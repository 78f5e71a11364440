// An outbox, its worker and Slack integrations pointed at a FakeSlack, on a temporary SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import type { Notification } from '../../../src/dispatch/dispatcher.ts';
import {
  createSlackIntegrations,
  deliveryKey,
  Outbox,
  type OutboxRow,
  OutboxWorker,
  type OutboxWorkerOptions,
  RateLimiter,
  type SlackIntegration,
  type SlackIntegrationsOptions,
} from '../../../src/notify/outbox/index.ts';
import type { FakeSlack } from './server.ts';

export function botConfig(fake: FakeSlack, channel: string, extra: Record<string, unknown> = {}) {
  return {
    channel,
    api_url: `${fake.apiUrl}/chat.postMessage`,
    http_config: { authorization: { type: 'Bearer', credentials: fake.token } },
    send_resolved: true,
    timeout: '1s',
    ...extra,
  };
}

export interface Harness {
  dir: string;
  db: Database.Database;
  outbox: Outbox;
  worker: OutboxWorker;
  registry: Registry;
  integrations: SlackIntegration[];
  dead: OutboxRow[];
  /** Enqueues a notification for every integration of its receiver; returns the delivery keys. */
  send(n: Notification, flush?: string | number): string[];
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

let flushSeq = 0;

export function harness(
  receivers: Record<string, Array<Record<string, unknown>>>,
  options: {
    dbFile?: string;
    limiter?: RateLimiter;
    start?: boolean;
    worker?: Partial<OutboxWorkerOptions>;
    client?: SlackIntegrationsOptions['client'];
  } = {},
): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'dss-slack-'));
  const db = new Database(options.dbFile ?? join(dir, 'alerts.db'));
  db.pragma('journal_mode = WAL');
  const outbox = new Outbox(db);
  const limiter = options.limiter ?? new RateLimiter({ ratePerSecond: 1, burst: 2 });
  const integrations = Object.entries(receivers).flatMap(([name, slackConfigs]) =>
    createSlackIntegrations(
      { name, slackConfigs },
      {
        limiter,
        env: {},
        render: { grafanaUrl: 'http://grafana:3000', silenceApiUrl: 'http://localhost:9093/api/v2/silences' },
        client: { initialBackoffMs: 50, maxBackoffMs: 200, ...options.client },
      },
    ),
  );
  const registry = new Registry();
  const dead: OutboxRow[] = [];
  const worker = new OutboxWorker({
    outbox,
    integrations,
    registry,
    onDeadLetter: (row) => dead.push(row),
    retryInitialMs: 100,
    retryMaxMs: 500,
    pollIntervalMs: 50,
    ...options.worker,
  });
  if (options.start ?? true) worker.start();
  return {
    dir,
    db,
    outbox,
    worker,
    registry,
    integrations,
    dead,
    send(n, flush = ++flushSeq) {
      const keys: string[] = [];
      db.transaction(() => {
        for (const i of integrations.filter((x) => x.receiver === n.receiver)) {
          const key = deliveryKey(n, i.name, flush);
          outbox.enqueue({
            deliveryKey: key,
            receiver: n.receiver,
            integration: i.name,
            groupKey: n.groupKey,
            payload: n,
          });
          keys.push(key);
        }
      })();
      return keys;
    },
    async metric(name, labels = {}) {
      const m = registry.getSingleMetric(name);
      if (!m) return 0;
      const data = await m.get();
      return data.values
        .filter((v) => Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x))
        .filter((v) => {
          const mn = (v as { metricName?: string }).metricName;
          return mn === undefined || mn === `${name}_count`;
        })
        .reduce((s, v) => s + v.value, 0);
    },
    async close() {
      await worker.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(check: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
