// The Scraper against real HTTP servers serving prom-client registries: labels, the report series,
// staleness, exported_ renaming, failures (status, parse errors, timeouts), and the schedule.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppendBatch, AppendSample, SampleAppender } from '../../../src/metrics/model.ts';
import {
  nextScrapeMs,
  Scraper,
  type ScraperOptions,
  type ScrapeTarget,
  scrapeOffsetMs,
} from '../../../src/metrics/scrape/index.ts';

class MemoryAppender implements SampleAppender {
  readonly batches: AppendBatch[] = [];
  fail = false;

  async append(batch: AppendBatch): Promise<void> {
    if (this.fail) throw new Error('disk full');
    this.batches.push(batch);
  }

  get last(): AppendBatch {
    const batch = this.batches.at(-1);
    if (batch === undefined) throw new Error('nothing appended');
    return batch;
  }
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

const servers: Server[] = [];
const scrapers: Scraper[] = [];

afterEach(async () => {
  await Promise.all(scrapers.splice(0).map((s) => s.stop()));
  await Promise.all(
    servers.splice(0).map(async (server) => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }),
  );
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

/** A server for a registry; `state.down` makes it answer 503, `state.body` overrides the body. */
async function serveRegistry(
  registry: Registry,
  state: { down?: boolean; body?: string; seenAccept?: string } = {},
) {
  const url = await serve(async (request, response) => {
    state.seenAccept = request.headers.accept;
    if (state.down) {
      response.statusCode = 503;
      response.end('down');
      return;
    }
    response.setHeader('content-type', registry.contentType);
    response.end(state.body ?? (await registry.metrics()));
  });
  return { url, state };
}

function scraper(
  options: Partial<ScraperOptions> & { targets: ScrapeTarget[] },
  appender = new MemoryAppender(),
) {
  const errors: string[] = [];
  const s = new Scraper({
    appender,
    onError: (error, target) => errors.push(`${target.job}: ${error.message}`),
    ...options,
  });
  scrapers.push(s);
  return { scraper: s, appender, errors };
}

const named = (batch: AppendBatch, name: string): AppendSample[] =>
  batch.samples.filter((s) => s.labels.__name__ === name);
const value = (batch: AppendBatch, name: string) => named(batch, name)[0]?.value;

describe('Scraper', () => {
  it('appends the exposed samples with job, instance and target labels, at the scrape start', async () => {
    const registry = new Registry();
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'Requests',
      labelNames: ['method'],
      registers: [registry],
    });
    requests.inc({ method: 'GET' }, 2);
    new Gauge({ name: 'queue_depth', help: 'Depth', registers: [registry] }).set(4);
    const { url, state } = await serveRegistry(registry);
    const instance = new URL(url).host;
    const {
      scraper: s,
      appender,
      errors,
    } = scraper({
      targets: [{ url, job: 'intake', labels: { env: 'test' }, tenant: 'acme' }],
      now: () => 1_700_000_000_000,
    });

    await s.scrapeNow();

    expect(errors).toEqual([]);
    expect(state.seenAccept).toBe('text/plain;version=0.0.4');
    const batch = appender.last;
    expect(batch.tenant).toBe('acme');
    expect(named(batch, 'http_requests_total')).toEqual([
      {
        labels: { __name__: 'http_requests_total', method: 'GET', job: 'intake', instance, env: 'test' },
        timestampMs: 1_700_000_000_000,
        value: 2,
      },
    ]);
    expect(value(batch, 'queue_depth')).toBe(4);
    expect(batch.metadata).toEqual([
      { metric: 'http_requests_total', type: 'counter', help: 'Requests', unit: '' },
      { metric: 'queue_depth', type: 'gauge', help: 'Depth', unit: '' },
    ]);
  });

  it('writes up, scrape_duration_seconds, scrape_samples_scraped and scrape_series_added', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'level', help: 'L', labelNames: ['tank'], registers: [registry] });
    gauge.set({ tank: 'T1' }, 1);
    gauge.set({ tank: 'T2' }, 2);
    const { url } = await serveRegistry(registry);
    const { scraper: s, appender } = scraper({ targets: [{ url, job: 'intake' }] });

    await s.scrapeNow();
    const first = appender.last;
    expect(named(first, 'up')[0]?.labels).toEqual({
      __name__: 'up',
      job: 'intake',
      instance: new URL(url).host,
    });
    expect(value(first, 'up')).toBe(1);
    expect(value(first, 'scrape_samples_scraped')).toBe(2);
    expect(value(first, 'scrape_series_added')).toBe(2);
    const duration = value(first, 'scrape_duration_seconds') ?? -1;
    expect(duration).toBeGreaterThan(0);
    expect(duration).toBeLessThan(5);

    gauge.set({ tank: 'T3' }, 3);
    await s.scrapeNow();
    expect(value(appender.last, 'scrape_samples_scraped')).toBe(3);
    expect(value(appender.last, 'scrape_series_added')).toBe(1);
    // Metadata is sent again only when it changes.
    expect(appender.last.metadata).toBeUndefined();
  });

  it('normalises le and quantile values the way Prometheus 3 does (le="1" → "1.0")', async () => {
    const registry = new Registry();
    new Histogram({ name: 'job_seconds', help: 'J', buckets: [0.005, 1, 10], registers: [registry] }).observe(
      0.5,
    );
    new Summary({ name: 'latency', help: 'L', percentiles: [0.5, 1], registers: [registry] }).observe(2);
    new Gauge({ name: 'other', help: 'O', labelNames: ['le'], registers: [registry] }).set({ le: '1' }, 1);
    const { url } = await serveRegistry(registry);
    const { scraper: s, appender } = scraper({ targets: [{ url, job: 'j' }] });
    await s.scrapeNow();
    const batch = appender.last;
    expect(named(batch, 'job_seconds_bucket').map((x) => x.labels.le)).toEqual([
      '0.005',
      '1.0',
      '10.0',
      '+Inf',
    ]);
    expect(named(batch, 'latency').map((x) => x.labels.quantile)).toEqual(['0.5', '1.0']);
    expect(named(batch, 'other')[0]?.labels.le).toBe('1');
  });

  it('writes staleness markers for series that disappear', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'level', help: 'L', labelNames: ['tank'], registers: [registry] });
    gauge.set({ tank: 'T1' }, 1);
    gauge.set({ tank: 'T2' }, 2);
    const { url } = await serveRegistry(registry);
    let now = 1000;
    const { scraper: s, appender } = scraper({ targets: [{ url, job: 'j' }], now: () => now });
    await s.scrapeNow();
    gauge.remove({ tank: 'T1' });
    now = 2000;
    await s.scrapeNow();
    const level = named(appender.last, 'level');
    expect(level.map((x) => [x.labels.tank, x.stale ?? false, x.timestampMs])).toEqual([
      ['T2', false, 2000],
      ['T1', true, 2000],
    ]);
    expect(Number.isNaN(level[1]?.value)).toBe(true);
    now = 3000;
    await s.scrapeNow();
    expect(named(appender.last, 'level').map((x) => x.labels.tank)).toEqual(['T2']);
  });

  it('keeps explicit timestamps, and writes no staleness markers for those series', async () => {
    let body = 'with_time 1 1600000000000\nwithout 2\n';
    const url = await serve((_, response) => {
      response.end(body);
    });
    const { scraper: s, appender } = scraper({ targets: [{ url, job: 'j' }], now: () => 1_700_000_000_000 });
    await s.scrapeNow();
    expect(named(appender.last, 'with_time')[0]?.timestampMs).toBe(1_600_000_000_000);
    expect(named(appender.last, 'without')[0]?.timestampMs).toBe(1_700_000_000_000);
    body = 'with_time 1 1600000000000\n';
    await s.scrapeNow();
    expect(value(appender.last, 'scrape_series_added')).toBe(0);
    body = '';
    await s.scrapeNow();
    expect(appender.last.samples.filter((x) => x.stale)).toEqual([]);
  });

  it('writes up 0 and staleness markers for every series when the target fails, and counts the error', async () => {
    const registry = new Registry();
    new Gauge({ name: 'a', help: 'A', registers: [registry] }).set(1);
    new Gauge({ name: 'b', help: 'B', registers: [registry] }).set(2);
    const { url, state } = await serveRegistry(registry);
    const { scraper: s, appender, errors } = scraper({ targets: [{ url, job: 'j' }] });
    await s.scrapeNow();
    state.down = true;
    await s.scrapeNow();
    const batch = appender.last;
    expect(value(batch, 'up')).toBe(0);
    expect(value(batch, 'scrape_samples_scraped')).toBe(0);
    expect(batch.samples.filter((x) => x.stale).map((x) => x.labels.__name__)).toEqual(['a', 'b']);
    expect(errors).toEqual(['j: server returned HTTP status 503 Service Unavailable']);
    expect(s.errors).toBe(1);
    // Still down: nothing more to mark stale.
    await s.scrapeNow();
    expect(appender.last.samples.filter((x) => x.stale)).toEqual([]);
    // Back: the series return.
    state.down = false;
    await s.scrapeNow();
    expect(value(appender.last, 'up')).toBe(1);
    expect(value(appender.last, 'scrape_series_added')).toBe(2);
  });

  it('reports an unreachable target as down', async () => {
    const url = await serve((_, response) => {
      response.end();
    });
    await new Promise<void>((resolve) => {
      const server = servers.pop();
      server?.close(() => resolve());
    });
    const { scraper: s, appender, errors } = scraper({ targets: [{ url, job: 'gone' }] });
    await s.scrapeNow();
    expect(value(appender.last, 'up')).toBe(0);
    expect(errors[0]).toMatch(/^gone: fetch failed: .*ECONNREFUSED/);
  });

  it('renames exposed labels that clash with target labels to exported_<name>', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ job: 'exposed-job', instance: 'exposed-instance', exported_job: 'already' });
    new Gauge({ name: 'g', help: 'G', labelNames: ['env'], registers: [registry] }).set(
      { env: 'exposed-env' },
      1,
    );
    const { url } = await serveRegistry(registry);
    const { scraper: s, appender } = scraper({ targets: [{ url, job: 'j', labels: { env: 'prod' } }] });
    await s.scrapeNow();
    expect(named(appender.last, 'g')[0]?.labels).toEqual({
      __name__: 'g',
      job: 'j',
      instance: new URL(url).host,
      env: 'prod',
      exported_instance: 'exposed-instance',
      exported_job: 'already',
      exported_exported_job: 'exposed-job',
      exported_env: 'exposed-env',
    });
  });

  it('fails the scrape on a parse error, naming the line', async () => {
    const registry = new Registry();
    const { url, state } = await serveRegistry(registry);
    state.body = '# HELP a A\n# TYPE a gauge\na{x="1" 1\n';
    const { scraper: s, appender, errors } = scraper({ targets: [{ url, job: 'bad' }] });
    await s.scrapeNow();
    expect(value(appender.last, 'up')).toBe(0);
    expect(errors).toEqual([`bad: line 3: expected ',' or '}' after the value of label "x", found "1"`]);
  });

  it('gives up on a target slower than the timeout', async () => {
    const url = await serve(async (_, response) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      response.end('a 1\n');
    });
    const {
      scraper: s,
      appender,
      errors,
    } = scraper({ targets: [{ url, job: 'slow' }], timeoutMs: 100, intervalMs: 1000 });
    const started = Date.now();
    await s.scrapeNow();
    expect(Date.now() - started).toBeLessThan(900);
    expect(value(appender.last, 'up')).toBe(0);
    expect(errors).toEqual(['slow: scrape timed out after 100 ms']);
  });

  it('reads OpenMetrics answers (timestamps in seconds, # EOF)', async () => {
    const url = await serve((_, response) => {
      response.setHeader('content-type', 'application/openmetrics-text; version=1.0.0; charset=utf-8');
      response.end('# TYPE jobs counter\njobs_total 3 1700000000.25\njobs_created 1.6e9\n# EOF\n');
    });
    const { scraper: s, appender } = scraper({ targets: [{ url, job: 'om' }] });
    await s.scrapeNow();
    expect(named(appender.last, 'jobs_total').map((x) => [x.value, x.timestampMs])).toEqual([
      [3, 1_700_000_000_250],
    ]);
    expect(named(appender.last, 'jobs_created')).toEqual([]);
    expect(appender.last.metadata).toEqual([{ metric: 'jobs', type: 'counter', help: '', unit: '' }]);
  });

  it('counts failed appends and keeps going; errors thrown by onError are ignored', async () => {
    const registry = new Registry();
    new Gauge({ name: 'g', help: 'G', registers: [registry] }).set(1);
    const { url } = await serveRegistry(registry);
    const appender = new MemoryAppender();
    appender.fail = true;
    const s = new Scraper({
      targets: [{ url, job: 'j' }],
      appender,
      onError: () => {
        throw new Error('handler broke');
      },
    });
    scrapers.push(s);
    await s.scrapeNow();
    expect(s.errors).toBe(1);
    appender.fail = false;
    await s.scrapeNow();
    expect(value(appender.last, 'g')).toBe(1);
    // The metadata of the failed append is sent again.
    expect(appender.last.metadata).toEqual([{ metric: 'g', type: 'gauge', help: 'G', unit: '' }]);
  });

  it('scrapes on the interval once started, at most one scrape of a target at a time, until stopped', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const url = await serve(async (_, response) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 40));
      inFlight--;
      response.end('a 1\n');
    });
    const { scraper: s, appender } = scraper({
      targets: [{ url, job: 'loop' }],
      intervalMs: 150,
      timeoutMs: 150,
    });
    s.start();
    void s.scrapeNow();
    await new Promise((resolve) => setTimeout(resolve, 800));
    await s.stop();
    const scrapes = appender.batches.length;
    expect(scrapes).toBeGreaterThanOrEqual(4);
    expect(maxInFlight).toBe(1);
    const times = appender.batches.map((b) => named(b, 'up')[0]?.timestampMs ?? 0);
    expect(times.slice(2).every((t, i) => t - (times[i + 1] as number) >= 100)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(appender.batches.length).toBe(scrapes);
  });

  it('waits in stop() for the scrape in flight to be appended', async () => {
    const url = await serve(async (_, response) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response.end('a 1\n');
    });
    const { scraper: s, appender } = scraper({ targets: [{ url, job: 'j' }] });
    void s.scrapeNow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await s.stop();
    expect(value(appender.last, 'up')).toBe(1);
  });

  it('rejects a timeout longer than the interval', () => {
    expect(
      () => new Scraper({ targets: [], appender: new MemoryAppender(), intervalMs: 1000, timeoutMs: 2000 }),
    ).toThrow(/timeout must be positive and at most the interval/);
  });
});

describe('scrape slots', () => {
  it('spreads targets over the interval by a hash, stable from run to run', () => {
    const offsets = Array.from({ length: 20 }, (_, i) =>
      scrapeOffsetMs({ url: `http://10.0.0.${i}:9464/metrics`, job: 'node' }, 15_000),
    );
    expect(offsets.every((o) => o >= 0 && o < 15_000)).toBe(true);
    expect(new Set(offsets).size).toBeGreaterThan(15);
    expect(scrapeOffsetMs({ url: 'http://10.0.0.3:9464/metrics', job: 'node' }, 15_000)).toBe(offsets[3]);
  });

  it('finds the next slot after now', () => {
    expect(nextScrapeMs(100_000, 15_000, 2_000)).toBe(107_000);
    expect(nextScrapeMs(107_000, 15_000, 2_000)).toBe(122_000);
    expect(nextScrapeMs(106_999, 15_000, 2_000)).toBe(107_000);
  });
});
