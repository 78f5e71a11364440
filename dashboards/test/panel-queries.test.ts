// Every panel query, with its variables substituted as Grafana does, returns data from a running platform
// (`dss-obs up`: the collector fed by the simulator and the intakes) through the same Prometheus API Grafana
// calls. A panel that needs a service the platform does not run yet (its `requires`) is reported, not failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Platform, startPlatform } from '../../test/support/platform.ts';
import { buildDashboards } from '../src/index.ts';
import { substituteVariables } from './substitute.ts';

interface PromAnswer {
  status: string;
  error?: string;
  data?: { result?: unknown[] } | string[];
}

describe('dashboard panel queries against a running platform', () => {
  let platform: Platform;
  let port: number;

  // Grafana POSTs queries and GETs label values, as here.
  const api = async (path: string, params: Record<string, string>): Promise<PromAnswer> => {
    const query = new URLSearchParams(params).toString();
    const response = path.includes('/label')
      ? await fetch(`http://127.0.0.1:${port}${path}?${query}`)
      : await fetch(`http://127.0.0.1:${port}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: query,
        });
    return (await response.json()) as PromAnswer;
  };

  const rangeQuery = (query: string) => {
    const end = Date.now() / 1000;
    return api('/api/v1/query_range', { query, start: String(end - 600), end: String(end), step: '15' });
  };

  beforeAll(async () => {
    platform = await startPlatform({
      prefix: 'dss-panels-',
      args: () => ['--accelerate', '600', '--backfill-hours', '1', '--scrape-interval', '2s'],
    });
    port = platform.queryPort;
    // Both clients' intakes, the jobs and the API's requests, each with two samples (rates need them), and
    // the collector scraped itself.
    await eventually(
      () =>
        rangeQuery(
          'count(count by (dss_client) (rate(dss_intake_files_total[1m]))) == 2 and on() count(count by (dss_client) (rate(dss_job_duration_seconds_count[1m]))) == 2 and on() count(rate(http_server_request_duration_seconds_count{job="backend-api"}[1m])) and on() count(up{job="dss-collector"})',
        ),
      (ready) => ((ready.data as { result?: unknown[] } | undefined)?.result?.length ?? 0) > 0,
      150_000,
      1000,
    );
  }, 200_000);

  afterAll(async () => {
    await platform.stop(15_000);
    platform.remove();
  }, 30_000);

  it('every panel has data, or names the service it waits for', async () => {
    const jobs = (await api('/api/v1/label/job/values', {})).data as string[];
    const tanks = ((
      await api('/api/v1/label/dss_tank_id/values', {
        'match[]': 'dss_tank_level_meters{dss_client="north"}',
      })
    ).data ?? []) as string[];
    expect(tanks.length).toBeGreaterThan(0);
    const values = { client: 'north', tank: tanks, service: 'intake', dora_client: 'aveiro' };
    const empty: string[] = [];
    const waiting: string[] = [];
    for (const dashboard of buildDashboards()) {
      for (const spec of dashboard.panels) {
        // The HTTP panels show the backend API, the others the intake.
        const http = spec.title.startsWith('Request') || spec.title === 'Error ratio';
        const serviceValues = http ? { ...values, service: 'backend-api' } : values;
        for (const query of spec.queries) {
          const expr = substituteVariables(query.expr, serviceValues);
          const answer = await rangeQuery(expr);
          expect(answer.status, `${spec.title}: ${expr}: ${answer.error}`).toBe('success');
          const series = (answer.data as { result?: unknown[] }).result ?? [];
          if (series.length > 0) continue;
          if (spec.requires && !jobs.includes(spec.requires))
            waiting.push(`${dashboard.json.uid} / ${spec.title} (needs ${spec.requires})`);
          else empty.push(`${dashboard.json.uid} / ${spec.title}: ${expr}`);
        }
      }
    }
    if (waiting.length > 0)
      console.log(`panels waiting for services not in the platform yet:\n  ${waiting.join('\n  ')}`);
    expect(empty).toEqual([]);
  }, 120_000);
});
