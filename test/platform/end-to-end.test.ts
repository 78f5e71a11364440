// The whole platform as `npm start` runs it, checked only through what Grafana and an operator see: the
// collector's Tempo, Loki and Prometheus APIs, the backend API, and the alert notification file.
//   - a job triggered through the backend API is one trace: the HTTP request, the job, its database calls;
//   - the job's logs are found in Loki by that trace id;
//   - tank levels and job runs exist for both clients, each series with its own client's tanks only;
//   - an alert fired by the data reaches the receiver of its client, and only that one;
//   - on Ctrl-C nothing is lost: every sensor file the intakes processed has its trace in the store.
// The alert rule here is a fast one (evaluated every 5 s, no `for`) so that the test takes seconds; the
// shipped rules' semantics are tested by their unit tests (alerts/rules/*.test.yml) and promtool.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, eventually as poll, startPlatform } from '../support/platform.ts';

const FAST_RULES = `groups:
  - name: e2e
    interval: 5s
    rules:
      - alert: E2ETankReporting
        expr: max by (dss_client, dss_tank_id) (dss_tank_level_meters{dss_tank_id="T1"}) > 0
        labels:
          severity: critical
        annotations:
          summary: 'Tank {{ $labels.dss_tank_id }} of {{ $labels.dss_client }} reports {{ $value | printf "%.2f" }} m'
`;

/** Polls every second, for a minute unless told otherwise. */
const eventually = <T>(fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000) =>
  poll(fn, ok, timeoutMs, 1000);

describe('the platform end to end', () => {
  let platform: Platform;
  let dir: string;
  let queryPort = 0;
  let apiPort = 0;
  let token = '';

  const query = async (path: string, params: Record<string, string>) =>
    (await (
      await fetch(`http://127.0.0.1:${queryPort}${path}?${new URLSearchParams(params)}`)
    ).json()) as Record<string, never>;

  beforeAll(async () => {
    platform = await startPlatform({
      prefix: 'dss-e2e-',
      prepare: (at) => writeFileSync(join(at, 'e2e.rules.yml'), FAST_RULES),
      args: (at) => [
        '--accelerate',
        '600',
        '--backfill-hours',
        '2',
        '--alert-rules',
        join(at, 'e2e.rules.yml'),
      ],
    });
    ({ dir, queryPort, apiPort } = platform);
    // Up once the API answers (the token file is written before the services start).
    await eventually(
      async () => fetch(`http://127.0.0.1:${apiPort}/health`),
      (response) => response.ok,
    );
    const tokens = readFileSync(join(dir, 'data', 'api-tokens.txt'), 'utf8');
    token = /^north (\S+)$/m.exec(tokens)?.[1] ?? '';
  }, 90_000);

  afterAll(() => platform.remove());

  it('follows a job triggered through the API in one trace, and finds its logs by trace id', async () => {
    // The intake must have readings before a job can run on them.
    await eventually(
      () => query('/api/v1/query', { query: 'dss_intake_last_reading_seconds{dss_client="north"}' }),
      (body) => ((body.data as { result?: unknown[] } | undefined)?.result?.length ?? 0) > 0,
    );
    const response = await fetch(`http://127.0.0.1:${apiPort}/clients/north/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ job: 'kpi' }),
    });
    expect([202, 409]).toContain(response.status);
    const { runId } = (await response.json()) as { runId: string };
    expect(runId).toBeTruthy();

    const search = (await eventually(
      () =>
        query('/api/search', {
          q: `{ span.dss.job.run_id = "${runId}" }`,
          limit: '5',
          start: String(Math.floor(Date.now() / 1000) - 600),
        }),
      (body) => ((body as { traces?: unknown[] }).traces?.length ?? 0) > 0,
    )) as { traces?: { traceID: string }[] };
    const traceId = search.traces?.[0]?.traceID ?? '';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const trace = (await eventually(
      () => query(`/api/traces/${traceId}`, {}),
      (body) => JSON.stringify(body).includes('job kpi'),
    )) as { batches?: { scopeSpans?: { spans?: { name: string }[] }[] }[] };
    const names = (trace.batches ?? []).flatMap((b) =>
      (b.scopeSpans ?? []).flatMap((s) => (s.spans ?? []).map((span) => span.name)),
    );
    expect(names.some((name) => /^POST \/clients\/:client\/jobs$/.test(name))).toBe(true);
    expect(names).toContain('job kpi');
    expect(names.some((name) => /select|insert|sqlite/i.test(name))).toBe(true);

    const end = BigInt(Date.now()) * 1_000_000n;
    const logs = (await eventually(
      () =>
        query('/loki/api/v1/query_range', {
          query: `{service_name="backend-api"} | trace_id = "${traceId}"`,
          start: String(end - 600_000_000_000n),
          end: String(end + 60_000_000_000n),
          limit: '50',
        }),
      (body) => ((body.data as { result?: unknown[] } | undefined)?.result?.length ?? 0) > 0,
    )) as { data?: { result?: { values: [string, string][] }[] } };
    expect(logs.data?.result?.flatMap((stream) => stream.values).length).toBeGreaterThan(0);
  }, 120_000);

  it("keeps each client's tanks and job runs apart", async () => {
    const levels = (await query('/api/v1/query', {
      query: 'count by (dss_client, dss_tank_id) (dss_tank_level_meters)',
    })) as unknown as {
      data: { result: { metric: { dss_client: string; dss_tank_id: string } }[] };
    };
    const tanks = levels.data.result.map((s) => `${s.metric.dss_client}/${s.metric.dss_tank_id}`).sort();
    // The simulator's networks: north has three tanks, south two; no series mixes them.
    expect(tanks).toEqual(['north/T1', 'north/T2', 'north/T3', 'south/T1', 'south/T2']);
    const jobs = (await eventually(
      () => query('/api/v1/query', { query: 'count by (dss_client) (dss_job_duration_seconds_count)' }),
      (body) => ((body.data as { result?: unknown[] } | undefined)?.result?.length ?? 0) === 2,
    )) as unknown as { data: { result: { metric: { dss_client: string } }[] } };
    expect(jobs.data.result.map((s) => s.metric.dss_client).sort()).toEqual(['north', 'south']);
  }, 90_000);

  it("delivers an alert to its client's receiver only", async () => {
    const file = join(dir, 'data', 'alerts', 'notifications.jsonl');
    const lines = await eventually(
      async () =>
        readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map(
            (line) =>
              JSON.parse(line) as {
                receiver: string;
                status: string;
                alerts: { labels: Record<string, string> }[];
              },
          ),
      (notes) => ['north', 'south'].every((client) => notes.some((n) => n.receiver === client)),
      60_000,
    );
    const e2e = lines.filter((n) => n.alerts.some((a) => a.labels.alertname === 'E2ETankReporting'));
    expect(e2e.map((n) => n.receiver).sort()).toEqual(expect.arrayContaining(['north', 'south']));
    for (const note of e2e) {
      for (const alert of note.alerts) expect(alert.labels.dss_client).toBe(note.receiver);
    }
  }, 90_000);

  it('stops on Ctrl-C without losing telemetry: every processed sensor file has its trace', async () => {
    expect(await platform.stop()).toBe(0);
    const processed = ['north', 'south']
      .flatMap((client) => readdirSync(join(dir, 'data', 'intake', client, 'processed')))
      .filter((name) => name.endsWith('.csv'));
    expect(processed.length).toBeGreaterThan(0);
    const db = new Database(join(dir, 'data', 'collector.sqlite'), { readonly: true });
    try {
      const traced = db
        .prepare("SELECT count(*) FROM spans WHERE name = 'intake.file'")
        .pluck()
        .get() as number;
      expect(traced).toBe(processed.length);
    } finally {
      db.close();
    }
  }, 60_000);
});
