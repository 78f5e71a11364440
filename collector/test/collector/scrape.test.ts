// The collector scraping Prometheus targets end to end: samples land in the metrics store and answer PromQL
// through the query API; a dead target is `up 0` and counted in the collector's own metrics.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../../src/collector/index.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const EXPOSITION = `# HELP dss_tank_level_meters Water level of a tank.
# TYPE dss_tank_level_meters gauge
dss_tank_level_meters{dss_client="north",dss_tank_id="T1"} 3.25
# TYPE dss_files_total counter
dss_files_total{outcome="processed"} 12
`;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

describe('the collector scraping /metrics endpoints', () => {
  let dir: TempDir;
  let target: Server;
  let collector: RunningCollector;

  beforeAll(async () => {
    dir = await makeTempDir();
    target = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(EXPOSITION);
    });
    const port = await listen(target);
    // A port nothing listens on: bind one, note it, close it.
    const closed = createServer();
    const deadPort = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    collector = await startCollector({
      dbPath: dir.file('store.sqlite'),
      grpcPort: 0,
      httpPort: 0,
      queryPort: 0,
      scrape: {
        intervalMs: 200,
        targets: [
          { job: 'intake', url: `http://127.0.0.1:${port}/metrics`, tenant: 'north' },
          { job: 'dead', url: `http://127.0.0.1:${deadPort}/metrics` },
        ],
      },
      onError: () => {},
    });
  });

  afterAll(async () => {
    await collector.close();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    await dir.remove();
  });

  async function query(
    q: string,
    tenant?: string,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const headers: Record<string, string> = tenant ? { 'x-scope-orgid': tenant } : {};
    const response = await fetch(
      `http://127.0.0.1:${collector.queryPort}/api/v1/query?${new URLSearchParams({ query: q })}`,
      { headers },
    );
    const body = (await response.json()) as {
      status: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    expect(body.status).toBe('success');
    return body.data.result;
  }

  async function eventually<T>(fn: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await fn();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('stores the scraped samples with job and instance, under the target tenant', async () => {
    const levels = await eventually(
      () => query('dss_tank_level_meters'),
      (result) => result.length > 0,
    );
    expect(levels).toEqual([
      {
        metric: expect.objectContaining({
          __name__: 'dss_tank_level_meters',
          job: 'intake',
          dss_client: 'north',
          dss_tank_id: 'T1',
        }),
        value: [expect.any(Number), '3.25'],
      },
    ]);
    expect(levels[0]?.metric.instance).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await query('dss_files_total', 'north')).toHaveLength(1);
    expect(await query('dss_files_total', 'south')).toEqual([]);
  });

  it('marks a dead target down and counts its failed scrapes', async () => {
    const up = await eventually(
      () => query('up{job="dead"}'),
      (result) => result.length > 0,
    );
    expect(up.map((s) => s.value[1])).toEqual(['0']);
    expect((await query('up{job="intake"}', 'north')).map((s) => s.value[1])).toEqual(['1']);
    const metrics = await (await fetch(`http://127.0.0.1:${collector.queryPort}/metrics`)).text();
    expect(metrics).toMatch(/dss_collector_scrape_errors_total\{job="dead"\} [1-9]/);
    // The queries above were timed, by API and route pattern (not the raw URL).
    expect(metrics).toMatch(
      /dss_collector_query_duration_seconds_count\{api="prometheus",route="\/api\/v1\/query",code="200"\} [1-9]/,
    );
  });
});
