import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@dss/collector/collector';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Evaluator, META_ALERT_LABELS, type NotifiableAlert } from '../src/evaluation/evaluator.ts';
import { httpInstantQuery } from '../src/evaluation/http-query.ts';
import { groupQueries, rulesQueries } from '../src/evaluation/inline-recorded.ts';
import { AlertStateStore } from '../src/evaluation/state-store.ts';
import { loadRuleFile } from '../src/rules/index.ts';

const RULES = join(import.meta.dirname, 'fixtures/evaluation/tanks.rules.yml');
const MIN = 60_000;

let dir: string;
let collector: RunningCollector;
let url: string;
// A minute boundary half an hour ago: within the collector's retention.
const t0 = Math.floor((Date.now() - 30 * MIN) / MIN) * MIN;

function level(tank: string, client: string, from: number, to: number, value: number): void {
  const samples = [];
  for (let t = from; t <= to; t += 15_000)
    samples.push({
      labels: { __name__: 'dss_tank_level_meters', dss_client: client, dss_tank_id: tank },
      timestampMs: t,
      value,
    });
  collector.metricsStore.appendSync({ tenant: '', samples });
}

/** A loopback URL where nothing listens (a port just freed). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

function evaluator(
  store: AlertStateStore,
  sent: NotifiableAlert[][],
  logs: string[],
  queryUrl = url,
): Evaluator {
  const { groups, errors } = loadRuleFile(RULES);
  expect(errors).toEqual([]);
  return new Evaluator({ groups, queryUrl, store, onAlerts: (a) => sent.push(a), log: (m) => logs.push(m) });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dss-alerts-eval-'));
  collector = await startCollector({
    dbPath: join(dir, 'c.db'),
    grpcPort: 0,
    httpPort: 0,
    queryPort: 0,
    host: '127.0.0.1',
  });
  url = `http://127.0.0.1:${collector.queryPort}`;
});

afterEach(async () => {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recorded names inlined', () => {
  it('gives later rules the recorded series, labels and matchers included', async () => {
    level('T1', 'north', t0 - 5 * MIN, t0, 0.5);
    level('T2', 'south', t0 - 5 * MIN, t0, 3);
    const group = loadRuleFile(RULES).groups[0];
    if (!group) throw new Error('no group');
    const { queries } = groupQueries(group);
    expect(queries[0]).toBe(group.rules[0]?.expr);
    const v = await httpInstantQuery(url, queries[1] ?? '', t0);
    // A filtering comparison keeps the metric name, as in Prometheus.
    expect(v).toEqual([
      {
        labels: { __name__: 'test:level:max', dss_client: 'north', dss_tank_id: 'T1', recorded: 'yes' },
        value: 0.5,
      },
    ]);
    const all = await httpInstantQuery(url, queries[2] ?? '', t0);
    expect(all.map((s) => s.labels.dss_tank_id)).toEqual(['T1']);
  });

  it('every inlined query of the shipped rules runs on the collector, names of other groups included', async () => {
    level('T1', 'north', t0 - 5 * MIN, t0, 0.5);
    const { groups, errors } = loadRuleFile(join(import.meta.dirname, '../rules/dss.rules.yml'));
    expect(errors).toEqual([]);
    const all = rulesQueries(groups, (g) => g.intervalMs);
    let inlined = 0;
    for (const [gi, group] of groups.entries()) {
      for (const [i, q] of (all[gi]?.queries ?? []).entries()) {
        if (q !== group.rules[i]?.expr) inlined++;
        await httpInstantQuery(url, q, t0);
      }
    }
    expect(inlined).toBeGreaterThan(5);
    // dss-jobs reads dss_job:duration_seconds_bucket:increase1h[7d], recorded by the hourly group: a subquery
    // at that group's interval.
    const jobs = groups.findIndex((g) => g.name === 'dss-jobs');
    expect(all[jobs]?.queries[0]).toMatch(/\[604800000ms:3600000ms\]/);
  });

  it('or-s the outputs of rules recording the same name', async () => {
    level('T1', 'north', t0 - 5 * MIN, t0, 0.5);
    const file = join(dir, 'twice.rules.yml');
    writeFileSync(
      file,
      `groups:
  - name: twice
    rules:
      - record: twice
        expr: max(dss_tank_level_meters)
        labels: {kind: max}
      - record: twice
        expr: min(dss_tank_level_meters) - 1
        labels: {kind: min}
      - record: read
        expr: twice{kind="min"}
`,
    );
    const group = loadRuleFile(file).groups[0];
    if (!group) throw new Error('no group');
    const { queries } = groupQueries(group);
    const v = await httpInstantQuery(url, queries[2] ?? '', t0);
    expect(v).toEqual([{ labels: { __name__: 'twice', kind: 'min' }, value: -0.5 }]);
  });

  it('template query() runs over HTTP with recorded names inlined', async () => {
    level('T1', 'north', t0 - 5 * MIN, t0, 0.5);
    const file = join(dir, 'q.rules.yml');
    writeFileSync(
      file,
      `groups:
  - name: q
    rules:
      - record: test:level:max
        expr: max by (dss_client, dss_tank_id) (dss_tank_level_meters)
      - alert: Q
        expr: vector(1)
        annotations:
          summary: '{{ with query "test:level:max{dss_tank_id=\\"T1\\"}" }}{{ . | first | value }}{{ end }}'
`,
    );
    const { groups, errors } = loadRuleFile(file);
    expect(errors).toEqual([]);
    const store = new AlertStateStore(join(dir, 'state.db'));
    const ev = new Evaluator({ groups, queryUrl: url, store, onAlerts: () => {}, log: () => {} });
    await ev.evaluateGroup('q', t0);
    expect(ev.alerts()[0]?.annotations.summary).toBe('0.5');
    await ev.stop();
    store.close();
  });
});

describe('Evaluator against the collector', () => {
  it('pending, firing after `for`, resolved; state survives a restart mid-for; history kept', async () => {
    level('T1', 'north', t0 - 5 * MIN, t0 + 4 * MIN, 0.5);
    level('T1', 'north', t0 + 4 * MIN + 15_000, t0 + 10 * MIN, 2);
    const statePath = join(dir, 'state.db');
    const sent: NotifiableAlert[][] = [];
    const logs: string[] = [];
    let store = new AlertStateStore(statePath);
    let ev = evaluator(store, sent, logs);
    await ev.evaluateGroup('tanks', t0);
    const low = () => ev.alerts().find((a) => a.labels.alertname === 'TankLow');
    expect(low()?.state).toBe('pending');
    expect(low()?.annotations.summary).toBe('Tank T1 at 0.5 (recorded=yes)');
    await ev.evaluateGroup('tanks', t0 + MIN);
    expect(low()?.state).toBe('pending');
    // Restart mid-`for`.
    await ev.stop();
    store.close();
    store = new AlertStateStore(statePath);
    ev = evaluator(store, sent, logs);
    expect(low()?.state).toBe('pending');
    expect(low()?.activeAtMs).toBe(t0);
    await ev.evaluateGroup('tanks', t0 + 2 * MIN);
    expect(low()?.state).toBe('firing');
    const firing = sent.at(-1)?.find((a) => a.labels.alertname === 'TankLow');
    expect(firing).toMatchObject({
      startsAtMs: t0 + 2 * MIN,
      labels: { severity: 'critical', dss_tank_id: 'T1' },
    });
    expect(firing?.endsAtMs).toBeGreaterThan(t0 + 2 * MIN);
    await ev.evaluateGroup('tanks', t0 + 6 * MIN);
    expect(low()?.state).toBe('inactive');
    const resolved = sent.at(-1)?.find((a) => a.labels.alertname === 'TankLow');
    expect(resolved?.endsAtMs).toBe(t0 + 6 * MIN);
    const history = store.history().filter((h) => h.rule === 'TankLow');
    expect(history.map((h) => [h.status, h.timeMs])).toEqual([
      ['pending', t0],
      ['firing', t0 + 2 * MIN],
      ['resolved', t0 + 6 * MIN],
    ]);
    expect(logs.filter((l) => l.includes('failing'))).toEqual([]);
    await ev.stop();
    store.close();
  });

  it('a dead query URL: failures counted, logged once, one meta-alert', async () => {
    const store = new AlertStateStore(join(dir, 'state.db'));
    const sent: NotifiableAlert[][] = [];
    const logs: string[] = [];
    const ev = evaluator(store, sent, logs, await deadUrl());
    for (let i = 0; i < 3; i++) await ev.evaluateGroup('tanks', t0 + i * MIN);
    const text = await ev.registry.metrics();
    expect(text).toMatch(/dss_alerts_rule_group_evaluation_failures_total\{rule_group="[^"]*:tanks"\} 3/);
    expect(text).toMatch(/dss_alerts_rule_group_evaluations_total\{rule_group="[^"]*:tanks"\} 3/);
    expect(logs.filter((l) => l.includes('failing'))).toHaveLength(1);
    expect(logs[0]).toMatch(
      /evaluation failing \(3 of 3 rules\): rule test:level:max: fetch failed: connect ECONNREFUSED/,
    );
    const metas = sent.flat().filter((a) => a.labels.alertname === 'AlertEvaluationFailing');
    expect(metas).toHaveLength(3);
    expect(new Set(metas.map((a) => a.startsAtMs))).toEqual(new Set([t0]));
    expect(metas[0]?.labels).toEqual(META_ALERT_LABELS);
    await ev.stop();
    store.close();
  });

  it('bad_data is a failure too; the meta-alert resolves when evaluation recovers', async () => {
    level('T1', 'north', t0 - 5 * MIN, t0 + 5 * MIN, 3);
    let broken = true;
    const proxy = createServer((req, res) => {
      if (broken) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'broken on purpose' }));
        return;
      }
      fetch(`${url}${req.url}`).then(async (r) => res.writeHead(r.status).end(await r.text()));
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const store = new AlertStateStore(join(dir, 'state.db'));
    const sent: NotifiableAlert[][] = [];
    const logs: string[] = [];
    const ev = evaluator(store, sent, logs, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
    await ev.evaluateGroup('tanks', t0);
    await ev.evaluateGroup('tanks', t0 + MIN);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('broken on purpose');
    broken = false;
    await ev.evaluateGroup('tanks', t0 + 2 * MIN);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toContain('evaluates again');
    const meta = sent.at(-1)?.find((a) => a.labels.alertname === 'AlertEvaluationFailing');
    expect(meta).toMatchObject({ startsAtMs: t0, endsAtMs: t0 + 2 * MIN });
    await ev.evaluateGroup('tanks', t0 + 3 * MIN);
    await ev.stop();
    store.close();
    await new Promise((r) => proxy.close(r));
  });

  it('runs on its own at the group interval', async () => {
    const store = new AlertStateStore(join(dir, 'state.db'));
    const sent: NotifiableAlert[][] = [];
    const { groups } = loadRuleFile(RULES);
    const g = groups[0];
    if (!g) throw new Error('no group');
    const ev = new Evaluator({
      groups: [{ ...g, intervalSet: false }],
      queryUrl: await deadUrl(),
      store,
      defaultIntervalMs: 50,
      onAlerts: (a) => sent.push(a),
      log: () => {},
    });
    ev.start();
    await new Promise((r) => setTimeout(r, 400));
    await ev.stop();
    expect(sent.length).toBeGreaterThanOrEqual(3);
    store.close();
  });

  it('evaluates at times exactly one interval apart, whenever the timer fires', async () => {
    // The query times the evaluator sends: a timer firing a millisecond early must not shift them (an
    // evaluation 1 ms short of activeAt + for would fire the alert a whole interval late).
    const times: number[] = [];
    const recorder = createServer((req, res) => {
      const time = new URL(req.url ?? '/', 'http://x').searchParams.get('time');
      if (time) times.push(Math.round(Number(time) * 1000));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    const store = new AlertStateStore(join(dir, 'state-slots.db'));
    const { groups } = loadRuleFile(RULES);
    const g = groups[0];
    if (!g) throw new Error('no group');
    const ev = new Evaluator({
      groups: [{ ...g, intervalSet: false }],
      queryUrl: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`,
      store,
      defaultIntervalMs: 40,
      onAlerts: () => {},
      log: () => {},
    });
    ev.start();
    await new Promise((r) => setTimeout(r, 500));
    await ev.stop();
    store.close();
    await new Promise((r) => recorder.close(r));
    const slots = [...new Set(times)].sort((a, b) => a - b);
    expect(slots.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < slots.length; i++) expect(((slots[i] ?? 0) - (slots[0] ?? 0)) % 40).toBe(0);
  });
});
