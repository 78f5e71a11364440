// Flood summaries and chattering shelves (ISA-18.2), with the dispatcher where it matters.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ChatterDetector } from '../src/alarm-management/chatter-detector.ts';
import { FloodGuard } from '../src/alarm-management/flood-guard.ts';
import { alarmManagement } from '../src/alarm-management/index.ts';
import { parseAlertmanagerConfig, parseDssAlertsConfig } from '../src/dispatch/config.ts';
import { Dispatcher, fingerprint, type Notification } from '../src/dispatch/dispatcher.ts';
import { openStateDatabase } from '../src/state/database.ts';
import { FakeClock } from './support/fake-clock.ts';

const MIN = 60_000;

function notification(receiver: string, alertname: string, i: number, atMs: number): Notification {
  const labels = { alertname, dss_client: receiver, tank: `T${i}` };
  return {
    version: '4',
    groupKey: `{}:{alertname="${alertname}", tank="T${i}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver,
    groupLabels: { alertname },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: '',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: {},
        startsAt: new Date(atMs).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: fingerprint(labels),
      },
    ],
  };
}

describe('flood control', () => {
  it('summarises a storm on one channel, leaves other channels alone, and ends with what still fires', async () => {
    const now = { t: 1_700_000_000_000 };
    const out: Notification[] = [];
    const registry = new Registry();
    const guard = new FloodGuard(
      { alerts: 10, windowMs: 10 * MIN, endBelow: 5, summaryIntervalMs: 5 * MIN },
      { notify: (n) => void out.push(n), clientOf: (r) => r, now: () => now.t, registry },
    );
    // 10 new alerts within 10 minutes pass one by one.
    for (let i = 0; i < 10; i++) {
      guard.notify(notification('north', 'DSSTankLevelBelowMinimum', i, now.t));
      now.t += 30_000;
    }
    expect(out).toHaveLength(10);
    // The 11th starts the flood: one summary instead.
    guard.notify(notification('north', 'DSSJobFailed', 10, now.t));
    expect(out).toHaveLength(11);
    expect(out[10]?.alerts[0]?.labels).toMatchObject({
      alertname: 'DSSAlarmFlood',
      dss_client: 'north',
      receiver: 'north',
    });
    expect(out[10]?.commonAnnotations.summary).toContain('11 new alerts in 10 min (threshold 10)');
    // The storm goes on: held, one update per 5 minutes at most.
    for (let i = 11; i < 40; i++) {
      guard.notify(notification('north', 'DSSTankLevelBelowMinimum', i, now.t));
      now.t += 10_000;
    }
    const updates = out.slice(11).filter((n) => n.receiver === 'north');
    expect(updates).toHaveLength(0); // 29 × 10 s < 5 min
    now.t += 1 * MIN;
    guard.notify(notification('north', 'DSSTankLevelBelowMinimum', 40, now.t));
    expect(out).toHaveLength(12);
    expect(out[11]?.alerts[0]?.labels.alertname).toBe('DSSAlarmFlood');
    // Another channel is not affected.
    guard.notify(notification('south', 'DSSJobFailed', 1, now.t));
    expect(out.at(-1)?.receiver).toBe('south');
    expect(out.at(-1)?.alerts[0]?.labels.alertname).toBe('DSSJobFailed');
    expect(guard.flooded('north')).toBe(true);
    const metrics = await registry.metrics();
    expect(metrics).toContain('dss_alerts_flood_active{receiver="north"} 1');
    expect(metrics).toContain('dss_alerts_floods_total{receiver="north"} 1');
    // Quiet for 10 minutes: the flood ends by the timer, with a resolved summary of what still fires.
    now.t += 11 * MIN;
    guard.tick();
    expect(guard.flooded('north')).toBe(false);
    const end = out.at(-1);
    expect(end?.status).toBe('resolved');
    expect(end?.commonAnnotations.summary).toContain('is over');
    expect(end?.commonAnnotations.description).toContain(
      'Firing now: DSSTankLevelBelowMinimum ×30, DSSJobFailed ×1',
    );
    // Notifications pass again.
    guard.notify(notification('north', 'DSSJobFailed', 99, now.t));
    expect(out.at(-1)?.alerts[0]?.labels.tank).toBe('T99');
  });
});

describe('chattering', () => {
  const CONFIG = `
route:
  receiver: on-call
  group_by: [alertname, dss_client]
  group_wait: 10s
  group_interval: 1m
  repeat_interval: 4h
  routes:
    - receiver: north
      matchers: ['dss_client="north"']
receivers:
  - name: on-call
  - name: north
`;

  it('shelves an alert that keeps coming back, and reports it to its own client channel', async () => {
    const clock = new FakeClock();
    const sent: Notification[] = [];
    const dss = parseDssAlertsConfig(
      'receivers:\n  on-call: {client: "*"}\n  north: {client: north}\nalarm_management:\n  chattering: {cycles: 3, window: 10m, shelve_for: 30m}\n  flood: false\n',
      'dss-alerts.yml',
    );
    expect(dss.alarmManagement.flood).toBeUndefined();
    const alarms = alarmManagement(dss.alarmManagement, {
      notify: (n) => void sent.push(n),
      clientOf: (r) => dss.receivers.get(r)?.client,
      now: () => clock.time,
    });
    const d = new Dispatcher({
      config: parseAlertmanagerConfig(CONFIG, 'am.yml'),
      notify: alarms.notify,
      clock,
      ...(alarms.shelves ? { shelves: alarms.shelves } : {}),
      ...(alarms.onActivated ? { onActivated: alarms.onActivated } : {}),
    });
    alarms.setReporter((alerts) => d.receive(alerts));
    const labels = { alertname: 'DSSTankLevelAboveMaximum', dss_client: 'north', dss_tank_id: 'T1' };
    // Active, clear, active, clear, active: three activations within 10 minutes.
    for (let cycle = 0; cycle < 3; cycle++) {
      d.receive([{ labels, annotations: {}, startsAtMs: clock.time, endsAtMs: clock.time + 4 * MIN }]);
      await clock.advance(1 * MIN);
      d.receive([{ labels, annotations: {}, startsAtMs: clock.time - MIN, endsAtMs: clock.time }]);
      await clock.advance(1 * MIN);
    }
    const names = sent.map(
      (n) => `${n.receiver}:${n.alerts.map((a) => `${a.labels.alertname}/${a.status}`).join(',')}`,
    );
    expect(names.filter((n) => n.includes('DSSAlertChattering'))).toEqual([
      'north:DSSAlertChattering/firing',
    ]);
    // After the shelve, the alert's own notifications stop: nothing about it after the report.
    const reportAt = names.findIndex((n) => n.includes('DSSAlertChattering'));
    d.receive([{ labels, annotations: {}, startsAtMs: clock.time, endsAtMs: clock.time + 4 * MIN }]);
    await clock.advance(2 * MIN);
    expect(
      sent.slice(reportAt + 1).filter((n) => n.groupLabels.alertname === 'DSSTankLevelAboveMaximum'),
    ).toEqual([]);
    expect(d.alerts().find((a) => a.alert.labels.alertname === 'DSSTankLevelAboveMaximum')?.state).toBe(
      'suppressed',
    );
    const report = sent[reportAt];
    expect(report?.alerts[0]?.labels).toMatchObject({
      dss_client: 'north',
      chattering_alertname: 'DSSTankLevelAboveMaximum',
    });
    d.stop();
  });

  it('keeps a shelve across a restart (state database)', () => {
    const db = openStateDatabase(':memory:');
    const now = { t: 1_700_000_000_000 };
    const settings = { cycles: 2, windowMs: 10 * MIN, shelveForMs: 30 * MIN };
    const reported: string[] = [];
    const first = new ChatterDetector(settings, {
      onShelved: (s) => reported.push(s.alert.fingerprint),
      now: () => now.t,
      db,
    });
    const labels = { alertname: 'X', dss_client: 'north' };
    const alert = {
      labels,
      annotations: {},
      startsAtMs: now.t,
      endsAtMs: now.t + MIN,
      fingerprint: fingerprint(labels),
    };
    first.activated(alert);
    now.t += MIN;
    first.activated(alert);
    expect(reported).toEqual([fingerprint(labels)]);
    const second = new ChatterDetector(settings, { onShelved: () => {}, now: () => now.t, db });
    expect(second.mutes(labels)).toBe(true);
    now.t += 31 * MIN;
    expect(second.mutes(labels)).toBe(false);
    expect(new ChatterDetector(settings, { onShelved: () => {}, now: () => now.t, db }).shelved()).toEqual(
      [],
    );
    db.close();
  });

  it('refuses settings that cannot work, naming the key', () => {
    expect(() =>
      parseDssAlertsConfig('receivers: {}\nalarm_management:\n  flood: {alerts: 5, end_below: 5}\n', 'd.yml'),
    ).toThrow('d.yml:3: alarm_management.flood.end_below: must be below alerts');
    expect(() =>
      parseDssAlertsConfig('receivers: {}\nalarm_management:\n  chattering: {cycles: 0}\n', 'd.yml'),
    ).toThrow('alarm_management.chattering.cycles: expected a positive whole number');
  });
});
