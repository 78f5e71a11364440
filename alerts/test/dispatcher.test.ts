import { describe, expect, it } from 'vitest';
import { parseAlertmanagerConfig } from '../src/dispatch/config.ts';
import { Dispatcher, fingerprint, type Notification } from '../src/dispatch/dispatcher.ts';
import { payloadTime } from '../src/dispatch/payload-time.ts';
import type { NotifiableAlert } from '../src/evaluation/evaluator.ts';
import { FakeClock } from './support/fake-clock.ts';

const S = 1000;
const MIN = 60 * S;

const CONFIG = `
route:
  receiver: on-call
  group_by: [alertname, dss_client]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
  routes:
    - receiver: north
      matchers: ['dss_client="north"']
inhibit_rules:
  - source_matchers: [alertname="Empty"]
    target_matchers: [severity="warning"]
    equal: [dss_tank_id]
receivers:
  - name: on-call
  - name: north
`;

function setup() {
  const clock = new FakeClock();
  const sent: Notification[] = [];
  const d = new Dispatcher({
    config: parseAlertmanagerConfig(CONFIG, 'am.yml'),
    notify: (n) => void sent.push(n),
    clock,
  });
  const alert = (
    labels: Record<string, string>,
    endsIn = 4 * MIN,
    startsAtMs = clock.time,
  ): NotifiableAlert => ({
    labels,
    annotations: { summary: `s ${labels.dss_tank_id}` },
    startsAtMs,
    endsAtMs: clock.time + endsIn,
  });
  return { clock, sent, d, alert };
}

const low = (tank: string) => ({
  alertname: 'Low',
  dss_client: 'north',
  dss_tank_id: tank,
  severity: 'warning',
});

describe('Dispatcher', () => {
  it('waits group_wait, then group_interval for updates, repeat_interval for unchanged groups', async () => {
    const { clock, sent, d, alert } = setup();
    d.receive([alert(low('T1'))]);
    await clock.advance(29 * S);
    expect(sent).toHaveLength(0);
    await clock.advance(1 * S);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'north',
      groupKey: '{}/{dss_client="north"}:{alertname="Low", dss_client="north"}',
      groupLabels: { alertname: 'Low', dss_client: 'north' },
      commonLabels: low('T1'),
      commonAnnotations: { summary: 's T1' },
    });
    expect(sent[0]?.alerts[0]).toMatchObject({ status: 'firing', fingerprint: fingerprint(low('T1')) });
    // A second alert of the group: sent at the next group_interval, not before.
    await clock.advance(1 * MIN);
    d.receive([alert(low('T1')), alert(low('T2'))]);
    await clock.advance(3 * MIN + 59 * S);
    expect(sent).toHaveLength(1);
    await clock.advance(1 * S);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.alerts.map((a) => a.labels.dss_tank_id)).toEqual(['T1', 'T2']);
    expect(sent[1]?.commonLabels).toEqual({ alertname: 'Low', dss_client: 'north', severity: 'warning' });
    // Unchanged: nothing until repeat_interval (1h after the last notification), re-sent at a group_interval tick.
    for (let i = 0; i < 12; i++) {
      d.receive([alert(low('T1')), alert(low('T2'))]);
      await clock.advance(5 * MIN);
    }
    expect(sent).toHaveLength(3);
    expect(sent[2]?.status).toBe('firing');
  });

  it('sends resolved alerts once, then forgets the group', async () => {
    const { clock, sent, d, alert } = setup();
    d.receive([alert(low('T1')), alert(low('T2'))]);
    await clock.advance(30 * S);
    expect(sent).toHaveLength(1);
    d.receive([alert(low('T1'), 0), alert(low('T2'), 8 * MIN)]);
    await clock.advance(5 * MIN);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.status).toBe('firing');
    expect(sent[1]?.alerts.map((a) => [a.labels.dss_tank_id, a.status])).toEqual([
      ['T2', 'firing'],
      ['T1', 'resolved'],
    ]);
    // Alertmanager's JSON time (Go's RFC 3339 without trailing zeros): a whole second has no fraction.
    expect(sent[1]?.alerts[1]?.endsAt).toBe(
      new Date(clock.time - 5 * MIN).toISOString().replace('.000Z', 'Z'),
    );
    // T2 is not re-sent by the evaluator: it resolves at its endsAt.
    await clock.advance(5 * MIN);
    expect(sent).toHaveLength(3);
    expect(sent[2]?.status).toBe('resolved');
    expect(sent[2]?.alerts.map((a) => a.labels.dss_tank_id)).toEqual(['T2']);
    await clock.advance(60 * MIN);
    expect(sent).toHaveLength(3);
    // The evaluator re-sends resolved alerts while it retains them: no new notification.
    d.receive([alert(low('T1'), 0)]);
    await clock.advance(10 * MIN);
    expect(sent).toHaveLength(3);
  });

  it('flushes at once an alert that started more than group_wait ago', async () => {
    const { clock, sent, d, alert } = setup();
    d.receive([alert(low('T1'), 4 * MIN, clock.time - 10 * MIN)]);
    await clock.advance(0);
    expect(sent).toHaveLength(1);
  });

  it('routes by matchers, with the parent as fallback', async () => {
    const { clock, sent, d, alert } = setup();
    d.receive([
      alert({ alertname: 'X', dss_client: 'south' }),
      alert({ alertname: 'X', dss_client: 'north' }),
    ]);
    await clock.advance(30 * S);
    expect(sent.map((n) => n.receiver).sort()).toEqual(['north', 'on-call']);
  });

  it('inhibits targets while a matching source fires with equal labels', async () => {
    const { clock, sent, d, alert } = setup();
    const empty = { alertname: 'Empty', dss_client: 'north', dss_tank_id: 'T1', severity: 'critical' };
    d.receive([alert(empty), alert(low('T1')), alert(low('T2'))]);
    await clock.advance(30 * S);
    const lows = sent.find((n) => n.groupLabels.alertname === 'Low');
    expect(lows?.alerts.map((a) => a.labels.dss_tank_id)).toEqual(['T2']);
    // The source resolves: T1 is notified at the next group_interval.
    d.receive([alert(empty, 0), alert(low('T1')), alert(low('T2'))]);
    await clock.advance(5 * MIN);
    const last = sent.filter((n) => n.groupLabels.alertname === 'Low').at(-1);
    expect(last?.alerts.map((a) => a.labels.dss_tank_id)).toEqual(['T1', 'T2']);
  });

  it('writes times as Go does (the fraction without trailing zeros)', () => {
    expect(payloadTime(Date.parse('2026-11-23T17:38:41.590Z'))).toBe('2026-11-23T17:38:41.59Z');
    expect(payloadTime(Date.parse('2026-11-23T17:38:41.003Z'))).toBe('2026-11-23T17:38:41.003Z');
    expect(payloadTime(Date.parse('2026-11-23T17:38:40.000Z'))).toBe('2026-11-23T17:38:40Z');
  });

  it('fingerprints as Prometheus', () => {
    // model.LabelSet{}.Fingerprint() and {foo="bar"} (values from prometheus/common's signature tests).
    expect(fingerprint({})).toBe('cbf29ce484222325');
  });
});
