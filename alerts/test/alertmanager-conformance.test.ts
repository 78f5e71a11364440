// Our dispatcher against the real Alertmanager (Debian's 0.25): both get the same configuration (a webhook
// receiver pointing at one capture server), the same alerts and silences through the same API v2 calls at the
// same moments; the notifications must be the same, in the same order, within a timing tolerance: grouping,
// repeat, inhibition, silences (and their expiry) and resolve.

import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertsApi } from '../src/api/server.ts';
import { parseAlertmanagerConfig, parseDssAlertsConfig } from '../src/dispatch/config.ts';
import { Dispatcher } from '../src/dispatch/dispatcher.ts';
import { createDelivery, type Delivery } from '../src/notify/index.ts';
import { Silences } from '../src/silence/silences.ts';
import { openStateDatabase } from '../src/state/database.ts';
import {
  alertmanagerAvailable,
  type RunningAlertmanager,
  startAlertmanager,
} from './support/alertmanager.ts';
import { type CaptureServer, startCaptureServer } from './support/capture-server.ts';

const config = (url: string) => `
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 5s
inhibit_rules:
  - source_matchers: [alertname="Src"]
    target_matchers: [alertname="Tgt"]
    equal: [tank]
receivers:
  - name: hook
    webhook_configs:
      - url: ${url}
`;

/** What must agree in a notification (times relative to the start, checked separately). */
interface Seen {
  groupKey: string;
  status: string;
  alerts: string[];
  atMs: number;
}

function seen(body: unknown, atMs: number): Seen {
  const n = body as {
    groupKey: string;
    status: string;
    alerts: Array<{ status: string; labels: Record<string, string>; fingerprint: string; endsAt: string }>;
  };
  return {
    groupKey: n.groupKey,
    status: n.status,
    alerts: n.alerts
      .map(
        (a) =>
          `${JSON.stringify(a.labels)} ${a.status} ${a.fingerprint}${a.status === 'resolved' ? ` ${a.endsAt}` : ''}`,
      )
      .sort(),
    atMs,
  };
}

describe.skipIf(!alertmanagerAvailable)('conformance with the real Alertmanager', () => {
  let capture: CaptureServer;
  let am: RunningAlertmanager;
  let ours: { url: string; close(): Promise<void> };
  let dispatcher: Dispatcher;
  let delivery: Delivery | undefined;

  beforeAll(async () => {
    capture = await startCaptureServer();
    am = await startAlertmanager(config(`${capture.url}/am`));
    const text = config(`${capture.url}/ours`);
    const amConfig = parseAlertmanagerConfig(text, 'am.yml');
    const dss = parseDssAlertsConfig('receivers:\n  hook: {client: "*", console: false}\n', 'dss-alerts.yml');
    const db = openStateDatabase(':memory:');
    const silences = new Silences(db);
    // Our side delivers as the service does: outbox rows committed with the notification log, a worker sends.
    delivery = createDelivery({ alertmanager: amConfig, dss, db, log: () => {} });
    dispatcher = new Dispatcher({ config: amConfig, notify: delivery.notify, silences, db });
    const api = await startAlertsApi(
      {
        dispatcher,
        silences,
        registry: new Registry(),
        resolveTimeoutMs: 300_000,
        receivers: ['hook'],
        configText: text,
      },
      0,
    );
    ours = { url: `http://127.0.0.1:${api.port}`, close: api.close };
  }, 30_000);

  afterAll(async () => {
    dispatcher?.stop();
    await delivery?.stop();
    await ours?.close();
    await am?.stop();
    await capture?.close();
  });

  it('sends the same notifications at the same times', async () => {
    const both = async (method: string, path: string, body?: unknown) =>
      Promise.all(
        [am.url, ours.url].map(async (base) => {
          const res = await fetch(`${base}${path}`, {
            method,
            headers: { 'content-type': 'application/json' },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          });
          const text = await res.text();
          expect(res.ok, `${base}${path}: ${res.status} ${text}`).toBe(true);
          return text ? (JSON.parse(text) as unknown) : undefined;
        }),
      );
    const t0 = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const alert = (labels: Record<string, string>, endsAtMs = t0 + 60_000) => ({
      labels,
      annotations: { summary: `${labels.alertname} ${labels.tank ?? ''}` },
      startsAt: iso(t0),
      endsAt: iso(endsAtMs),
    });
    const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - Date.now())));

    // A silence of Sil/T1, made before the alerts arrive, expired at 4 s.
    const ids = (await both('POST', '/api/v2/silences', {
      matchers: [
        { name: 'alertname', value: 'Sil', isRegex: false, isEqual: true },
        { name: 'tank', value: 'T1', isRegex: false, isEqual: true },
      ],
      startsAt: iso(t0),
      endsAt: iso(t0 + 60_000),
      createdBy: 'conformance',
      comment: 'T1 is being cleaned',
    })) as Array<{ silenceID: string }>;
    await both('POST', '/api/v2/alerts', [
      alert({ alertname: 'Group', i: '1' }),
      alert({ alertname: 'Repeat' }),
      alert({ alertname: 'Src', tank: 'T1' }),
      alert({ alertname: 'Tgt', tank: 'T1' }),
      alert({ alertname: 'Tgt', tank: 'T2' }),
      alert({ alertname: 'Sil', tank: 'T1' }),
      alert({ alertname: 'Sil', tank: 'T2' }),
      alert({ alertname: 'Res' }),
    ]);
    await at(300);
    await both('POST', '/api/v2/alerts', [alert({ alertname: 'Group', i: '2' })]); // joins the group before its flush
    await at(3500);
    const resolvedAt = Date.now();
    await both('POST', '/api/v2/alerts', [
      alert({ alertname: 'Res' }, resolvedAt),
      alert({ alertname: 'Src', tank: 'T1' }, resolvedAt),
    ]);
    await at(4000); // a second before the 5 s flush, so that both sides see the expiry at it
    await Promise.all(
      [am.url, ours.url].map((base, i) =>
        fetch(`${base}/api/v2/silence/${ids[i]?.silenceID}`, { method: 'DELETE' }).then((r) =>
          expect(r.ok).toBe(true),
        ),
      ),
    );
    await at(12_000);

    const of = (path: string) =>
      capture.received.filter((c) => c.path === path).map((c) => seen(c.body, c.atMs - t0));
    const theirs = of('/am');
    const mine = of('/ours');
    const byGroup = (list: Seen[]) => {
      const out = new Map<string, Seen[]>();
      for (const s of list) out.set(s.groupKey, [...(out.get(s.groupKey) ?? []), s]);
      return out;
    };
    const a = byGroup(theirs);
    const b = byGroup(mine);
    const summary = (m: Map<string, Seen[]>) =>
      Object.fromEntries(
        [...m].map(([k, v]) => [k, v.map((s) => `${s.status}@${(s.atMs / 1000).toFixed(1)}`)]),
      );
    const report = `Alertmanager: ${JSON.stringify(summary(a))}\nours: ${JSON.stringify(summary(b))}\n${am.output()}`;
    if (process.env.DEBUG_CONFORMANCE) console.log(report);
    // Every scenario produced notifications at all (the comparison below is not vacuous).
    expect(a.size, report).toBe(6);
    expect([...b.keys()].sort(), report).toEqual([...a.keys()].sort());
    for (const [key, list] of a) {
      const other = b.get(key) ?? [];
      expect(
        other.map(({ atMs: _, ...rest }) => rest),
        `${key}\n${report}`,
      ).toEqual(list.map(({ atMs: _, ...rest }) => rest));
      for (const [i, s] of list.entries())
        expect(
          Math.abs((other[i]?.atMs ?? Number.POSITIVE_INFINITY) - s.atMs),
          `${key} #${i}\n${report}`,
        ).toBeLessThan(1000);
    }
    // The scenarios did what they are for, in Alertmanager's own output.
    const alertsOf = (group: string, i: number) => a.get(`{}:{alertname="${group}"}`)?.[i]?.alerts.length;
    expect(alertsOf('Group', 0), report).toBe(2); // grouped
    expect(a.get('{}:{alertname="Repeat"}')?.length, report).toBeGreaterThanOrEqual(2); // repeated
    expect(alertsOf('Tgt', 0), report).toBe(1); // T1 inhibited
    expect(alertsOf('Tgt', 1), report).toBe(2); // source resolved
    expect(alertsOf('Sil', 0), report).toBe(1); // T1 silenced
    expect(alertsOf('Sil', 1), report).toBe(2); // silence expired
    expect(
      a.get('{}:{alertname="Res"}')?.map((s) => s.status),
      report,
    ).toEqual(['firing', 'resolved']);
  }, 40_000);
});
