import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { Outbox } from '../src/notify/outbox/index.ts';
import { type FakeSlack, startFakeSlack } from './support/slack-fake/server.ts';

const CHILD = join(import.meta.dirname, 'support', 'slack-fake', 'crash-child.ts');
let fake: FakeSlack | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(
  db: string,
  api: string,
  token: string,
): { child: ChildProcess; exited: Promise<number | null>; out: () => string } {
  const child = spawn(process.execPath, [CHILD, db, api, token], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out };
}

it('a SIGKILL mid-storm loses nothing and duplicates nothing (bot mode, reconciled by metadata)', async () => {
  dir = mkdtempSync(join(tmpdir(), 'dss-outbox-crash-'));
  const db = join(dir, 'alerts.db');
  let first: ChildProcess | undefined;
  let killedAt: string | undefined;
  fake = await startFakeSlack({
    // Answers come 100 ms after the message is stored: the kill lands between "sent" and "marked".
    postDelayMs: 100,
    onStored: (m) => {
      if (first && !killedAt && fake && fake.messages().length >= 15) {
        killedAt = String(m.metadata?.event_payload.delivery_id);
        first.kill('SIGKILL');
      }
    },
  });
  const one = run(db, fake.apiUrl, fake.token);
  first = one.child;
  const code1 = await one.exited;
  expect(code1, one.out()).toBeNull(); // killed
  expect(killedAt).toBeDefined();
  const before = fake.messages().length;
  expect(before).toBeGreaterThanOrEqual(15);
  expect(before).toBeLessThan(50);

  first = undefined;
  const two = run(db, fake.apiUrl, fake.token);
  const code2 = await two.exited;
  expect(code2, two.out()).toBe(0);

  // Exactly once per notification, counted by delivery_id in the messages' metadata.
  const ids = fake.messages().map((m) => String(m.metadata?.event_payload.delivery_id));
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect(counts.size).toBe(50);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  for (const c of [0, 1, 2]) expect(fake.messages(`C${c}`).length).toBeGreaterThanOrEqual(16);

  const sqlite = new Database(db, { readonly: true });
  const outbox = new Outbox(sqlite);
  const rows = outbox.list({ limit: 1000 });
  sqlite.close();
  expect(rows).toHaveLength(50);
  expect(rows.every((r) => r.state === 'delivered')).toBe(true);
  expect(new Set(rows.map((r) => r.deliveryKey))).toEqual(new Set(counts.keys()));
  // The message stored when the first process died was found again, not re-posted.
  const killedRow = rows.find((r) => r.deliveryKey === killedAt);
  expect(JSON.parse(killedRow?.response ?? '{}').reconciled).toBe(true);
}, 60_000);
