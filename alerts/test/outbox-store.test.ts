import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxRow, OutboxWorker } from '../src/notify/outbox/index.ts';
import { notification } from './support/slack-fake/fixtures.ts';
import { botConfig, type Harness, harness } from './support/slack-fake/harness.ts';
import { type FakeSlack, startFakeSlack } from './support/slack-fake/server.ts';

let dir: string;
let db: Database.Database;
let fake: FakeSlack | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await fake?.close();
  fake = undefined;
  db?.open && db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function openDb(): Database.Database {
  dir = mkdtempSync(join(tmpdir(), 'dss-outbox-'));
  db = new Database(join(dir, 'alerts.db'));
  db.exec('CREATE TABLE nflog (k TEXT PRIMARY KEY, v TEXT)');
  return db;
}

const input = (key: string, receiver = 'north') => ({
  deliveryKey: key,
  receiver,
  integration: 'slack/0',
  groupKey: 'g',
  payload: notification({ receiver }),
});

describe('Outbox', () => {
  it('creates prefixed tables next to others, and enqueue is idempotent by delivery key', () => {
    const d = openDb();
    const outbox = new Outbox(d);
    new Outbox(d); // twice on the same database is fine
    const tables = (
      d.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    )
      .map((t) => t.name)
      .filter((n) => n !== 'sqlite_sequence')
      .sort();
    expect(tables).toEqual(['nflog', 'outbox_deliveries', 'slack_threads']);
    const a = outbox.enqueue(input('k1'));
    const b = outbox.enqueue(input('k1'));
    expect(a.inserted).toBe(true);
    expect(b).toEqual({ id: a.id, inserted: false });
    expect(outbox.list()).toHaveLength(1);
    expect(outbox.list()[0]).toMatchObject({
      deliveryKey: 'k1',
      state: 'pending',
      attempts: 0,
      maybeSent: false,
    });
  });

  it('commits or rolls back with the caller transaction (the notification log write)', () => {
    const d = openDb();
    const outbox = new Outbox(d);
    const write = d.transaction((key: string, fail: boolean) => {
      d.prepare('INSERT INTO nflog VALUES (?, ?)').run(key, 'x');
      outbox.enqueue(input(key));
      if (fail) throw new Error('boom');
    });
    write('ok', false);
    expect(() => write('bad', true)).toThrow('boom');
    expect(outbox.list().map((r) => r.deliveryKey)).toEqual(['ok']);
    expect(d.prepare('SELECT k FROM nflog').all()).toEqual([{ k: 'ok' }]);
  });

  it('lists the history newest first by receiver and state, and purges old delivered rows only', () => {
    const d = openDb();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const outbox = new Outbox(d, { now: () => now });
    for (let i = 0; i < 5; i++) outbox.enqueue(input(`n${i}`, i % 2 ? 'south' : 'north'));
    const rows = outbox.list();
    expect(rows.map((r) => r.deliveryKey)).toEqual(['n4', 'n3', 'n2', 'n1', 'n0']);
    expect(outbox.list({ receiver: 'south' }).map((r) => r.deliveryKey)).toEqual(['n3', 'n1']);
    expect(outbox.list({ limit: 2 })).toHaveLength(2);
    const byKey = (k: string) => rows.find((r) => r.deliveryKey === k) as OutboxRow;
    outbox.markDelivered(byKey('n0'), { ts: '1.0' }, undefined);
    outbox.markDelivered(byKey('n1'), { ts: '2.0' }, undefined);
    outbox.markDead(byKey('n2').id, 'channel_not_found');
    expect(outbox.list({ state: 'delivered' }).map((r) => r.deliveryKey)).toEqual(['n1', 'n0']);
    expect(outbox.list({ state: 'dead' })[0]?.lastError).toBe('channel_not_found');
    now += 31 * 86_400_000;
    outbox.markDelivered(byKey('n3'), {}, undefined);
    expect(outbox.purge(30 * 86_400_000)).toBe(2);
    expect(outbox.list().map((r) => [r.deliveryKey, r.state])).toEqual([
      ['n4', 'pending'],
      ['n3', 'delivered'],
      ['n2', 'dead'],
    ]);
    expect(outbox.pendingCount()).toBe(1);
  });
});

describe('OutboxWorker', () => {
  it('dead-letters rows whose integration is not configured, and exports the pending gauge', async () => {
    const d = openDb();
    const outbox = new Outbox(d);
    outbox.enqueue(input('orphan', 'nobody'));
    const registry = new Registry();
    expect((await registry.metrics()).trim()).toBe('');
    const dead: OutboxRow[] = [];
    const worker = new OutboxWorker({
      outbox,
      integrations: [],
      registry,
      onDeadLetter: (r) => dead.push(r),
    });
    expect(await registry.metrics()).toContain('dss_alerts_outbox_pending 1');
    worker.start();
    await worker.drain(5000);
    await worker.stop();
    expect(dead.map((r) => [r.deliveryKey, r.state, r.lastError])).toEqual([
      ['orphan', 'dead', 'no integration slack/0 configured for receiver nobody'],
    ]);
    const text = await registry.metrics();
    expect(text).toContain('dss_alerts_outbox_pending 0');
    expect(text).toContain(
      'dss_alerts_notifications_total{receiver="nobody",integration="slack/0",outcome="dead"} 1',
    );
  });

  it('retries transient failures in later rounds, then gives up (dead) after maxFailures', async () => {
    fake = await startFakeSlack();
    fake.script(
      'chat.postMessage',
      Array.from({ length: 4 }, () => ({ kind: 'http' as const, status: 502 })),
    );
    h = harness(
      { north: [botConfig(fake, 'CNORTH')] },
      { worker: { maxFailures: 2 }, client: { maxAttempts: 2 } },
    );
    h.send(notification());
    await h.worker.drain(10_000);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([502, 502, 502, 502]);
    expect(h.dead[0]?.lastError).toBe('chat.postMessage: HTTP 502, not JSON (gave up after 2 rounds)');
    expect(h.dead[0]?.failures).toBe(2);
    expect(fake.messages()).toHaveLength(0);
  });

  it('resumes rows left pending by a previous process (started later, same database)', async () => {
    fake = await startFakeSlack();
    h = harness({ north: [botConfig(fake, 'CNORTH')] }, { start: false });
    h.send(notification({ tank: 'T-1' }));
    h.send(notification({ tank: 'T-2' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.messages()).toHaveLength(0);
    h.worker.start();
    await h.worker.drain(10_000);
    expect(fake.messages('CNORTH').map((m) => m.text.split('\n')[1])).toEqual([
      '• T-1: Tank T-1 (north) is below its minimum level',
      '• T-2: Tank T-2 (north) is below its minimum level',
    ]);
  });
});
