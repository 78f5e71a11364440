// The dispatcher's mute stages (silences, time intervals) and its state across a restart (alerts and the
// notification log in the SQLite state database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAlertmanagerConfig } from '../src/dispatch/config.ts';
import { Dispatcher, type Notification } from '../src/dispatch/dispatcher.ts';
import type { NotifiableAlert } from '../src/evaluation/evaluator.ts';
import { Silences } from '../src/silence/silences.ts';
import { openStateDatabase, type StateDatabase } from '../src/state/database.ts';
import { FakeClock } from './support/fake-clock.ts';

const S = 1000;
const MIN = 60 * S;

const CONFIG = `
route:
  receiver: north
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
  routes:
    - receiver: north
      matchers: [severity="info"]
      active_time_intervals: [office]
time_intervals:
  - name: office
    time_intervals:
      - weekdays: ['monday:friday']
        times: [{start_time: '08:00', end_time: '18:00'}]
receivers:
  - name: north
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dispatch-state-'));
  dirs.push(dir);
  return join(dir, 'state.db');
}

function start(clock: FakeClock, db?: StateDatabase, silences?: Silences) {
  const sent: Notification[] = [];
  const d = new Dispatcher({
    config: parseAlertmanagerConfig(CONFIG, 'am.yml'),
    notify: (n) => void sent.push(n),
    clock,
    ...(db ? { db } : {}),
    ...(silences ? { silences } : {}),
  });
  return { sent, d };
}

const alert = (clock: FakeClock, labels: Record<string, string>, endsIn = 4 * MIN): NotifiableAlert => ({
  labels,
  annotations: {},
  startsAtMs: clock.time,
  endsAtMs: clock.time + endsIn,
});

describe('Dispatcher mute stages', () => {
  it('leaves silenced alerts out, sends nothing when all are silenced, and notifies once the silence ends', async () => {
    const clock = new FakeClock();
    const db = openStateDatabase(':memory:');
    const silences = new Silences(db, { now: () => clock.time });
    const { sent, d } = start(clock, db, silences);
    silences.set({
      matchers: [{ name: 'tank', value: 'T1', isRegex: false }],
      startsAtMs: clock.time,
      endsAtMs: clock.time + 10 * MIN,
      createdBy: 'ana',
      comment: 'cleaning T1',
    });
    const both = () => [
      alert(clock, { alertname: 'Low', tank: 'T1' }),
      alert(clock, { alertname: 'Low', tank: 'T2' }),
    ];
    d.receive(both());
    await clock.advance(30 * S);
    expect(sent.map((n) => n.alerts.map((a) => a.labels.tank))).toEqual([['T2']]);
    expect(d.alerts().find((a) => a.alert.labels.tank === 'T1')).toMatchObject({
      state: 'suppressed',
      silenced: true,
    });
    // T2 resolves; T1 stays silenced: one resolved notification for T2 only.
    d.receive([
      alert(clock, { alertname: 'Low', tank: 'T1' }),
      alert(clock, { alertname: 'Low', tank: 'T2' }, 0),
    ]);
    await clock.advance(5 * MIN);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.alerts.map((a) => [a.labels.tank, a.status])).toEqual([['T2', 'resolved']]);
    // Only T1 left, silenced: nothing is sent, not even an empty notification.
    d.receive([alert(clock, { alertname: 'Low', tank: 'T1' })]);
    await clock.advance(4 * MIN);
    expect(sent).toHaveLength(2);
    // The silence ends: T1 is notified at the next flush.
    d.receive([alert(clock, { alertname: 'Low', tank: 'T1' })]);
    await clock.advance(5 * MIN);
    expect(sent.at(-1)?.alerts.map((a) => [a.labels.tank, a.status])).toEqual([['T1', 'firing']]);
    d.stop();
    db.close();
  });

  it('sends a route with active time intervals only inside them', async () => {
    const clock = new FakeClock();
    clock.time = Date.parse('2026-11-22T10:00:00Z'); // a Sunday
    const { sent, d } = start(clock);
    d.receive([alert(clock, { alertname: 'Info', severity: 'info' }, 48 * 60 * MIN)]);
    await clock.advance(30 * S);
    expect(sent).toHaveLength(0);
    // Keep it firing until Monday 08:00.
    for (let t = 0; t < 22 * 60; t += 5) {
      if (t % 60 === 0) d.receive([alert(clock, { alertname: 'Info', severity: 'info' }, 48 * 60 * MIN)]);
      await clock.advance(5 * MIN);
    }
    expect(sent).toHaveLength(1);
    expect(new Date(clock.time).toISOString() >= '2026-11-23T08:00:00.000Z').toBe(true);
    d.stop();
  });
});

describe('Dispatcher state across a restart', () => {
  it('sends nothing twice, keeps the group, and still sends the resolve', async () => {
    const file = stateFile();
    const clock = new FakeClock();
    let db = openStateDatabase(file);
    const first = start(clock, db);
    first.d.receive([alert(clock, { alertname: 'Low', tank: 'T1' }, 10 * MIN)]);
    await clock.advance(30 * S);
    expect(first.sent).toHaveLength(1);
    first.d.stop();
    db.close();

    // Restart 1 min later; the evaluator does not re-send (it may have lost the alert).
    await clock.advance(1 * MIN);
    db = openStateDatabase(file);
    const second = start(clock, db);
    await clock.advance(0);
    expect(second.sent).toHaveLength(0); // older than group_wait: flushed at once, but the log says it was sent
    expect(second.d.alerts().map((a) => a.alert.labels.tank)).toEqual(['T1']);
    // It reaches its endsAt without being re-sent: the resolve goes out.
    await clock.advance(10 * MIN);
    expect(second.sent.map((n) => n.status)).toEqual(['resolved']);
    second.d.stop();
    db.close();

    // After the resolve nothing is left to reload.
    db = openStateDatabase(file);
    const third = start(clock, db);
    expect(third.d.alerts()).toEqual([]);
    third.d.stop();
    db.close();
  });
});
