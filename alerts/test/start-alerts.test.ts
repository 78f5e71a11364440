import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@dss/collector/collector';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Notification, startAlerts } from '../src/index.ts';

const ALERTS = join(import.meta.dirname, '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dss-alerts-start-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('evaluates against the collector and writes notifications to the file sink; serves /metrics', async () => {
  const collector = await startCollector({
    dbPath: join(dir, 'c.db'),
    grpcPort: 0,
    httpPort: 0,
    queryPort: 0,
    host: '127.0.0.1',
  });
  const now = Date.now();
  const samples = [];
  for (let t = now - 120_000; t <= now + 120_000; t += 5000)
    samples.push({
      labels: { __name__: 'dss_tank_level_meters', dss_client: 'north', dss_tank_id: 'T1' },
      timestampMs: t,
      value: 0.2,
    });
  collector.metricsStore.appendSync({ tenant: '', samples });
  const rules = join(dir, 'rules.yml');
  writeFileSync(
    rules,
    `groups:
  - name: fast
    rules:
      - alert: TankLow
        expr: max by (dss_client, dss_tank_id) (dss_tank_level_meters) < 1
        labels: {severity: critical}
        annotations: {summary: "Tank {{ $labels.dss_tank_id }} low"}
`,
  );
  const am = join(dir, 'am.yml');
  writeFileSync(
    am,
    readFileSync(join(ALERTS, 'routing/dss.alertmanager.yml'), 'utf8').replace(
      /group_wait: \d+s/g,
      'group_wait: 0s',
    ),
  );
  const file = join(dir, 'data/alerts/notifications.jsonl');
  const logs: string[] = [];
  const running = await startAlerts({
    ruleFiles: [rules],
    queryUrl: `http://127.0.0.1:${collector.queryPort}`,
    alertmanagerConfig: am,
    config: join(ALERTS, 'routing/dss-alerts.yml'),
    notificationsFile: file,
    statePath: join(dir, 'data/alerts/state.db'),
    log: (m) => logs.push(m),
    intervalMs: 100,
    apiPort: 0,
  });
  try {
    await until(() => existsSync(file));
    const [line] = readFileSync(file, 'utf8').trim().split('\n');
    const n = JSON.parse(line ?? '') as Notification;
    expect(n).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'north',
      groupLabels: { alertname: 'TankLow', dss_client: 'north', dss_tank_id: 'T1' },
      commonAnnotations: { summary: 'Tank T1 low' },
    });
    expect(n.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { severity: 'critical' },
      fingerprint: expect.any(String),
    });
    expect(logs.some((l) => l.startsWith('[FIRING:1] north'))).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${running.apiPort}/metrics`)).text();
    expect(metrics).toMatch(/dss_alerts_alerts\{state="firing"\} 1/);
  } finally {
    await running.stop();
    await collector.close();
  }
});

it('loads the shipped rules and routing (recorded names inlined) and stops', async () => {
  const running = await startAlerts({
    ruleFiles: [join(ALERTS, 'rules/dss.rules.yml')],
    queryUrl: 'http://127.0.0.1:9',
    alertmanagerConfig: join(ALERTS, 'routing/dss.alertmanager.yml'),
    config: join(ALERTS, 'routing/dss-alerts.yml'),
    notificationsFile: join(dir, 'n.jsonl'),
    statePath: join(dir, 'state.db'),
    log: () => {},
  });
  await running.stop();
});

it('refuses invalid rule files and routing', async () => {
  const bad = join(dir, 'bad.yml');
  writeFileSync(bad, 'groups: [{name: x, rules: [{alert: A}]}]\n');
  const base = {
    queryUrl: 'http://127.0.0.1:9',
    alertmanagerConfig: join(ALERTS, 'routing/dss.alertmanager.yml'),
    config: join(ALERTS, 'routing/dss-alerts.yml'),
    statePath: join(dir, 'state.db'),
  };
  await expect(startAlerts({ ...base, ruleFiles: [bad] })).rejects.toThrow(/invalid rule files/);
  await expect(startAlerts({ ...base, ruleFiles: [], config: bad })).rejects.toThrow(
    /field groups not found/,
  );
});
