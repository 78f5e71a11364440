// `dora serve` over real HTTP on loopback, synced from the fake GitLab: every endpoint, the report archive,
// the Prometheus gauges, sync errors, the periodic sync, and the webhook receiver (secret, bad JSON, debounced
// incremental sync of the named project only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabHistory, GlDeployment } from '../src/gitlab-types.ts';
import { loadDataset } from '../src/metrics/load.ts';
import { weeklyReport } from '../src/report/weekly.ts';
import { generateHistory, sampleConfig } from '../src/sample/generator.ts';
import { loadHistory } from '../src/sample/load.ts';
import { type DoraServer, startDoraServer } from '../src/serve/server.ts';
import { openStore } from '../src/store/db.ts';
import { type FakeGitlab, startFakeGitlab } from './support/gitlab-fake/server.ts';

const TOKEN = 'glpat-serve-secret';
const SECRET = 'hook-secret-4711';
const NOW = Date.parse('2026-11-25T12:00:00Z'); // Wednesday of 2026-W48: W47 is over
let dir: string;
let fake: FakeGitlab;
let history: GitlabHistory;
let server: DoraServer;
const logs: string[] = [];

const api = (name: string) => {
  const p = history.projects.find((x) => x.path_with_namespace === name);
  if (!p) throw new Error(name);
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dora-serve-'));
  history = generateHistory({
    seed: 11,
    clients: ['aveiro', 'braga'],
    start: '2026-07-01T00:00:00Z',
    days: 145,
  });
  fake = await startFakeGitlab(history, { [TOKEN]: ['read_api'] });
  server = await startDoraServer({
    dbFile: join(dir, 'dora.sqlite'),
    config: sampleConfig(fake.url, ['aveiro', 'braga']),
    token: TOKEN,
    port: 0,
    syncIntervalMs: 0,
    webhookSecret: SECRET,
    debounceMs: 100,
    now: () => NOW,
    log: (line) => logs.push(line),
    gitlabClient: { backoffMs: 1, maxRetries: 1 },
  });
  await server.idle();
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, headers: res.headers, text: await res.text() };
};
const json = async (path: string) => {
  const r = await get(path);
  return { ...r, body: JSON.parse(r.text) };
};
const hook = (body: string, token?: string, event = 'Merge Request Hook') =>
  fetch(`${server.url}/webhooks/gitlab`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': event,
      ...(token ? { 'x-gitlab-token': token } : {}),
    },
    body,
  });

/** `name{labels} value` lines of a Prometheus exposition. */
const samples = (text: string) =>
  text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(l) as RegExpExecArray;
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
      );
      return { name: m[1] as string, labels, value: Number(m[3]) };
    });

describe('dora serve', () => {
  it('syncs at start and says so on /healthz', async () => {
    const { status, body } = await json('/healthz');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      gitlab: 'configured',
      sync: { syncs: 1, errors: 0, running: false },
    });
    expect(body.sync.lastSyncAt).toBe(new Date(NOW).toISOString());
    expect(body.sync.requests).toBeGreaterThan(20);
  });

  it('lists the clients and their projects', async () => {
    const { body } = await json('/api/v1/clients');
    expect(body.clients.map((c: { name: string }) => c.name)).toEqual(['aveiro', 'braga']);
    const dbs = body.clients[0].projects.find((p: { path: string }) => p.path === 'dbs');
    expect(dbs).toMatchObject({
      pathWithNamespace: 'dss/aveiro/dbs',
      deploy: { type: 'pipeline' },
      ships: ['*'],
    });
  });

  it('gives the metrics of a week, per client and overall, as the metric code computes them', async () => {
    const mem = openStore(':memory:');
    loadHistory(mem, history, sampleConfig(fake.url, ['aveiro', 'braga']));
    const direct = weeklyReport(loadDataset(mem), { week: '2026-W47' });
    mem.close();
    const all = await json('/api/v1/metrics?week=2026-W47');
    expect(all.status).toBe(200);
    expect(all.body.metrics).toEqual(JSON.parse(JSON.stringify(direct.scopes[0]?.metrics)));
    const braga = await json('/api/v1/metrics?week=2026-W47&client=braga');
    expect(braga.body.metrics).toEqual(JSON.parse(JSON.stringify(direct.scopes[2]?.metrics)));
    expect(braga.body.metrics.deployments[0].webUrl).toMatch(/^https:\/\/gitlab\.example\.com\/dss\/braga\//);
    expect((await json('/api/v1/metrics?week=2026-W99')).status).toBe(400);
    expect((await json('/api/v1/metrics?week=2026-W47&tz=Mars/Olympus')).status).toBe(400);
    const unknown = await json('/api/v1/metrics?week=2026-W47&client=porto');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'no such client: porto' } });
    // The current week by default.
    expect((await json('/api/v1/metrics')).body.week).toBe('2026-W48');
  });

  it('publishes a finished week once, in every format, and serves it as published after the data changes', async () => {
    const html = await get('/api/v1/reports/2026-W47.html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('x-dora-report')).toBe('archived');
    expect(html.text).toContain('DORA weekly report 2026-W47');
    const md = await get('/api/v1/reports/2026-W47.md');
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.text).toContain('# DORA weekly report, 2026-W47 (UTC)');
    const report = await json('/api/v1/reports/2026-W47.json?client=aveiro');
    expect(report.body.scopes.map((s: { client: string }) => s.client)).toEqual(['aveiro']);
    const list = await json('/api/v1/reports');
    expect(list.body.reports).toEqual([
      expect.objectContaining({
        week: '2026-W47',
        client: null,
        formats: ['html', 'json', 'md'],
        timeZone: 'UTC',
      }),
      expect.objectContaining({
        week: '2026-W47',
        client: 'aveiro',
        urls: expect.objectContaining({ html: '/api/v1/reports/2026-W47.html?client=aveiro' }),
      }),
    ]);
    // Later data changes the week's figures, not its published report.
    const before = (await json('/api/v1/metrics?week=2026-W47')).body.metrics.deploymentFrequency.deployments;
    server.service.db
      .prepare(
        'UPDATE deployments SET finished_at = ? WHERE id = (SELECT min(id) FROM deployments WHERE tier = ?)',
      )
      .run(Date.parse('2026-11-18T10:00:00Z'), 'production');
    server.service.invalidate();
    const after = (await json('/api/v1/metrics?week=2026-W47')).body.metrics.deploymentFrequency.deployments;
    expect(after).toBe(before + 1);
    expect((await get('/api/v1/reports/2026-W47.md')).text).toBe(md.text);
    // The week in progress is live, and not archived.
    const live = await get('/api/v1/reports/2026-W48.md');
    expect(live.headers.get('x-dora-report')).toBe('live');
    expect((await json('/api/v1/reports')).body.reports.map((r: { week: string }) => r.week)).not.toContain(
      '2026-W48',
    );
    expect((await get('/api/v1/reports/2026-W47.pdf')).status).toBe(404);
    expect((await get('/api/v1/reports/2026-47.md')).status).toBe(400);
    expect((await get('/api/v1/nothing')).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/clients`, { method: 'DELETE' })).status).toBe(405);
  });

  it('exposes the keys, bands and sync state as Prometheus gauges', async () => {
    const res = await get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const s = samples(res.text);
    for (const name of [
      'dss_dora_deployments_per_day',
      'dss_dora_change_failure_ratio',
      'dss_dora_time_to_restore_seconds',
      'dss_dora_rework_ratio',
    ])
      expect(s.filter((x) => x.name === name).map((x) => x.labels.client)).toEqual([
        'all',
        'aveiro',
        'braga',
      ]);
    const lead = s.filter((x) => x.name === 'dss_dora_lead_time_seconds' && x.labels.client === 'aveiro');
    expect(lead.map((x) => x.labels.quantile)).toEqual(['0.5', '0.9']);
    expect((lead[0] as { value: number }).value).toBeLessThanOrEqual((lead[1] as { value: number }).value);
    for (const client of ['all', 'aveiro', 'braga'])
      for (const key of ['deployment_frequency', 'lead_time', 'change_failure_rate']) {
        const bands = s.filter(
          (x) => x.name === 'dss_dora_band' && x.labels.client === client && x.labels.key === key,
        );
        expect(bands.map((x) => x.labels.band).sort()).toEqual(['elite', 'high', 'low', 'medium']);
        expect(bands.filter((x) => x.value === 1)).toHaveLength(1);
      }
    expect(s.find((x) => x.name === 'dss_dora_last_sync_timestamp_seconds')?.value).toBe(NOW / 1000);
    expect(s.find((x) => x.name === 'dss_dora_sync_errors_total')?.value).toBe(0);
    // The overall deployments per day over the 28 days = the sum of the clients'.
    const perDay = s.filter((x) => x.name === 'dss_dora_deployments_per_day').map((x) => x.value);
    expect(perDay[0]).toBeCloseTo((perDay[1] as number) + (perDay[2] as number), 2);
  });

  it('refuses webhooks without the secret (401) or with bad JSON (400), and ignores other events', async () => {
    const requests = fake.requests.length;
    expect((await hook('{}')).status).toBe(401);
    expect((await hook('{}', 'hook-secret-4712')).status).toBe(401);
    expect((await hook('{}', `${SECRET}x`)).status).toBe(401);
    const bad = await hook('{"object_kind": ', SECRET);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not JSON/);
    const push = await hook(JSON.stringify({ object_kind: 'push', project: { id: 1 } }), SECRET, 'Push Hook');
    expect(await push.json()).toMatchObject({ queued: false, kind: 'push' });
    await server.idle();
    expect(fake.requests.length).toBe(requests);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('syncs only the project a burst of webhooks names, once, and serves the new deployment', async () => {
    const p = api('dss/aveiro/forecast_optimization_api');
    const other = api('dss/braga/dbs');
    const w48 = async () =>
      (await json('/api/v1/metrics?week=2026-W48&client=aveiro')).body.metrics.deploymentFrequency
        .deployments;
    const before = await w48();
    const deployments = history.deployments.get(p.id) as GlDeployment[];
    const last = deployments[deployments.length - 1] as GlDeployment;
    deployments.push({
      ...last,
      id: 990_001,
      iid: last.iid + 1,
      status: 'success',
      created_at: '2026-11-24T09:00:00.000Z',
      updated_at: '2026-11-24T09:10:00.000Z',
      finished_at: '2026-11-24T09:10:00.000Z',
      environment: { id: 1, name: 'production', tier: 'production' },
    });
    const syncs = server.state().syncs;
    const from = fake.requests.length;
    const event = (kind: string, id: number) =>
      JSON.stringify({ object_kind: kind, project: { id }, object_attributes: {} });
    for (const body of [event('merge_request', p.id), event('pipeline', p.id), event('deployment', p.id)]) {
      const res = await hook(body, SECRET, 'Deployment Hook');
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ queued: true, project: p.id });
    }
    await server.idle();
    expect(server.state().syncs).toBe(syncs + 1);
    const paths = fake.requests.slice(from).map((r) => r.path);
    expect(paths.filter((x) => x.includes(`/projects/${p.id}/`)).length).toBeGreaterThan(0);
    expect(paths.filter((x) => x.includes('/projects/') && !x.includes(`/projects/${p.id}/`))).toEqual([]);
    expect(paths.some((x) => x.includes(`/projects/${other.id}`) || x.includes('dss%2Fbraga'))).toBe(false);
    expect(await w48()).toBe(before + 1);
  });

  it('counts failed syncs, keeps serving, and never logs the token', async () => {
    fake.faults.push({ status: 500, times: 1000 });
    try {
      await server.syncNow();
    } finally {
      fake.faults.length = 0;
    }
    const s = samples((await get('/metrics')).text);
    expect(s.find((x) => x.name === 'dss_dora_sync_errors_total')?.value).toBe(1);
    const health = await json('/healthz');
    expect(health.body.sync.errors).toBe(1);
    expect(health.body.sync.lastError).toMatch(/500/);
    expect(logs.join('\n')).toMatch(/sync of all projects failed/);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect((await get('/api/v1/clients')).status).toBe(200);
  });
});

describe('dora serve without GitLab', () => {
  it('serves the sample, publishes finished weeks without a sync, and has webhooks off (404)', async () => {
    const s = await startDoraServer({
      dbFile: ':memory:',
      sample: true,
      port: 0,
      now: () => NOW,
      log: () => {},
    });
    try {
      const res = await fetch(`${s.url}/api/v1/reports/2026-W47.json`);
      expect(res.headers.get('x-dora-report')).toBe('archived');
      expect(((await res.json()) as { scopes: unknown[] }).scopes).toHaveLength(4);
      const h = await fetch(`${s.url}/webhooks/gitlab`, {
        method: 'POST',
        headers: { 'x-gitlab-token': 'x' },
        body: '{}',
      });
      expect(h.status).toBe(404);
      expect(((await h.json()) as { error: string }).error).toMatch(/webhooks are disabled/);
      expect(s.state().syncs).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('syncs periodically when given an interval', async () => {
    const s = await startDoraServer({
      dbFile: join(dir, 'periodic.sqlite'),
      config: sampleConfig(fake.url, ['braga']),
      token: TOKEN,
      port: 0,
      syncAtStart: false,
      syncIntervalMs: 150,
      log: () => {},
    });
    try {
      for (let i = 0; i < 100 && s.state().syncs < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(s.state().syncs).toBeGreaterThanOrEqual(2);
      expect(s.state().errors).toBe(0);
    } finally {
      await s.close();
    }
  });
});

describe('dss-obs dora serve', () => {
  it('starts from the command line, answers, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const bin = fileURLToPath(new URL('../../bin/dss-obs.ts', import.meta.url));
    const child = spawn(process.execPath, [bin, 'dora', 'serve', '--sample', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GITLAB_WEBHOOK_SECRET: 'cli-hook-secret' },
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m =
            /dora serve: (http:\/\/127\.0\.0\.1:\d+) \(sample history; webhooks on; Slack digest off\)/.exec(
              out,
            );
          if (m) resolve(m[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const health = (await (await fetch(`${url}/healthz`)).json()) as { gitlab: string };
      expect(health.gitlab).toBe('sample');
      const hook = await fetch(`${url}/webhooks/gitlab`, { method: 'POST', body: '{}' });
      expect(hook.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
