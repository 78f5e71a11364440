// `dss-obs up` (what `npm start` runs) as a user runs it: the collector and the DSS services on simulated
// data; both clients' tank levels reach the Prometheus API, the intake's traces the Tempo API, and Ctrl-C
// stops everything cleanly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Platform, startPlatform } from '../support/platform.ts';

describe('dss-obs up', () => {
  let platform: Platform;
  let dir: string;
  let queryPort: number;
  let apiPort: number;

  beforeAll(async () => {
    platform = await startPlatform({
      prefix: 'dss-up-',
      args: () => ['--accelerate', '600', '--backfill-hours', '1'],
      captureOutput: true,
    });
    ({ dir, queryPort, apiPort } = platform);
  });

  afterAll(() => platform.remove());

  const api = async (path: string) =>
    (await fetch(`http://127.0.0.1:${queryPort}${path}`)).json() as Promise<Record<string, never>>;

  it('runs the collector with the services, whose telemetry reaches the query APIs', async () => {
    const levels = await eventually(
      async () =>
        (await api(
          `/api/v1/query?${new URLSearchParams({ query: 'count by (dss_client) (dss_tank_level_meters)' })}`,
        )) as { data?: { result?: { metric: { dss_client: string } }[] } },
      (body) => (body.data?.result?.length ?? 0) === 2,
      45_000,
    );
    expect(levels.data?.result?.map((s) => s.metric.dss_client).sort()).toEqual(['north', 'south']);
    const search = (await eventually(
      () => api(`/api/search?${new URLSearchParams({ q: '{ name = "intake.file" }', limit: '5' })}`),
      (body) => ((body as { traces?: unknown[] }).traces?.length ?? 0) > 0,
      45_000,
    )) as { traces?: { rootServiceName: string }[] };
    expect(search.traces?.[0]?.rootServiceName).toBe('intake');
    expect(platform.output()).toMatch(
      /DSS services \(backend-api-north, backend-api-south, intake-north, intake-south, simulator\)/,
    );
    // The backend API answers with the token from the token file, and never prints it.
    const tokens = Object.fromEntries(
      readFileSync(join(dir, 'data', 'api-tokens.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ')),
    ) as Record<string, string>;
    const jobs = await eventually(
      async () =>
        fetch(`http://127.0.0.1:${apiPort}/clients/north/jobs`, {
          headers: { authorization: `Bearer ${tokens.north}` },
        }),
      (response) => response.status === 200,
      45_000,
    );
    expect(jobs?.status).toBe(200);
    expect(platform.output()).toContain(`Backend API (north)  http://127.0.0.1:${apiPort}`);
    // DORA on its sample history: last week's report written at start.
    const dora = /DORA: sample history in \S+; report of (\d{4}-W\d{2}) in (\S+)/.exec(platform.output());
    expect(dora).not.toBeNull();
    expect(readFileSync(dora?.[2] ?? '', 'utf8')).toContain(`# DORA weekly report, ${dora?.[1]}`);
    expect(platform.output()).not.toContain(tokens.north);
    expect(platform.output()).toContain(`Prometheus URL http://127.0.0.1:${queryPort}`);
  }, 90_000);

  it('stops everything on Ctrl-C', async () => {
    expect(await platform.stop()).toBe(0);
    expect(platform.output()).toContain('dss-obs up: stopping');
  }, 30_000);
});
