// End to end: the fixture service, started each supported way, exports to a real OTLP receiver
// (the collector's: real gRPC / HTTP servers, real protobuf decoding) and we check what arrived.
import {
  type DecodedExport,
  InMemorySink,
  startOtlpGrpcReceiver,
  startOtlpHttpReceiver,
} from '@dss/collector/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../bin/platform/free-ports.ts';
import { JOB_DURATION_BUCKETS_SECONDS } from '../src/conventions/buckets.ts';
import { logsOf, metricsOf, type SpanView, spansOf } from './support/otlp-view.ts';
import { type RunningService, startService, timedGet } from './support/spawn-service.ts';

const SECRETS = ['hunter2', 'very-secret-token', 'B000/XXXX', 'token=abc'];

const cases = [
  { style: 'register', protocol: 'grpc' },
  { style: 'code', protocol: 'http/protobuf' },
  { style: 'register', protocol: 'http/json' },
] as const;

describe.each(cases)('a service started with $style, exporting $protocol', ({ style, protocol }) => {
  const sink = new InMemorySink();
  let receiver: { port: number; close(): Promise<void> };
  let service: RunningService;
  let exit: Awaited<ReturnType<RunningService['stop']>>;
  let requests: DecodedExport[];

  beforeAll(async () => {
    receiver =
      protocol === 'grpc'
        ? await startOtlpGrpcReceiver({ host: '127.0.0.1', port: 0, sink })
        : await startOtlpHttpReceiver({ host: '127.0.0.1', port: 0, sink });
    service = await startService({
      style,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        ...(style === 'register'
          ? { OTEL_SERVICE_NAME: 'fixture-api', DSS_CLIENT: 'aveiro', DSS_ENVIRONMENT: 'test' }
          : {}),
      },
    });
    expect((await timedGet(service.port, '/tanks/T1?token=abc')).status).toBe(200);
    expect((await timedGet(service.port, '/fail')).status).toBe(500);
    // Event-loop delay needs a few samples between two collections: let the service run a little.
    await sink.waitFor(
      (s) => s.allMetrics().some((m) => m.metric.name === 'nodejs.eventloop.delay.p99'),
      15_000,
    );
    // Everything still buffered must be flushed by the exit itself.
    exit = await service.stop();
    requests = sink.requests();
  });

  afterAll(async () => {
    await service?.stop();
    await receiver?.close();
  });

  it('exits cleanly and promptly on SIGTERM, after flushing', () => {
    if (style === 'register') expect(exit.signal).toBe('SIGTERM');
    else expect(exit.code).toBe(0);
    expect(exit.stopMillis).toBeLessThan(5_000);
    expect(service.stderr()).not.toMatch(/dropped since last report/);
  });

  it('puts the DSS resource attributes on every signal', () => {
    expect(requests.map((r) => r.signal).sort()).toEqual(
      expect.arrayContaining(['logs', 'metrics', 'traces']),
    );
    const resources = [...spansOf(requests), ...metricsOf(requests), ...logsOf(requests)].map(
      (x) => x.resource,
    );
    for (const resource of resources) {
      expect(resource).toMatchObject({
        'service.name': 'fixture-api',
        'service.version': '0.1.0', // from the package.json nearest the service
        'deployment.environment.name': 'test',
        'dss.client': 'aveiro',
      });
      expect(resource['host.name']).toEqual(expect.any(String));
      expect(resource['process.pid']).toEqual(expect.any(Number));
    }
  });

  it('traces a request across an outgoing HTTP call, with route templates', () => {
    const spans = spansOf(requests);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const server = spans.find((s) => s.name === 'GET /tanks/:tankId');
    expect(server, spans.map((s) => s.name).join(', ')).toBeDefined();
    const root = server as SpanView;
    expect(root.kind).toBe(2); // SERVER
    expect(root.attributes['http.route']).toBe('/tanks/:tankId');
    expect(root.attributes['http.request.header.x-request-id']).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);

    const downstream = spans.find((s) => s.name === 'GET /internal/level/:tankId') as SpanView;
    expect(downstream.traceId).toBe(root.traceId);
    const client = byId.get(downstream.parentSpanId) as SpanView;
    expect(client.kind).toBe(3); // CLIENT: the fetch, whose context crossed the wire
    // The client span descends from the incoming request's span.
    let ancestor: SpanView | undefined = client;
    while (ancestor && ancestor.spanId !== root.spanId) ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor).toBe(root);

    const job = spans.find((s) => s.name === 'job forecast') as SpanView;
    expect(job.traceId).toBe(root.traceId);
    expect(job.attributes).toMatchObject({
      'dss.job.name': 'forecast',
      'dss.job.run_id': 'run-1',
      'dss.job.outcome': 'success',
    });
  });

  it('records a failed job on its span', () => {
    const job = spansOf(requests).find((s) => s.name === 'job optimization') as SpanView;
    expect(job.status).toEqual({ code: 2, message: 'solver diverged' });
    expect(job.attributes).toMatchObject({ 'dss.job.outcome': 'failure', 'error.type': 'TypeError' });
    expect(job.events.find((e) => e.name === 'exception')?.attributes).toMatchObject({
      'exception.type': 'TypeError',
      'exception.message': 'solver diverged',
    });
  });

  it('exports the DSS metrics with their units and attributes', () => {
    const metrics = metricsOf(requests);
    const last = (name: string) => metrics.filter((m) => m.name === name).at(-1);
    expect(last('dss.tank.level')).toMatchObject({
      unit: 'm',
      type: 'gauge',
      points: [{ attributes: { 'dss.tank.id': 'T1' }, value: 3.25 }],
    });
    expect(last('dss.tank.fill_ratio')?.points[0]?.value).toBeCloseTo(0.65);
    expect(last('dss.pump.state')?.points).toEqual([{ attributes: { 'dss.pump.id': 'P-1' }, value: 1 }]);
    expect(last('dss.pump.power')).toMatchObject({ unit: 'W', points: [{ value: 7500 }] });

    const duration = last('dss.job.duration');
    expect(duration).toMatchObject({ unit: 's', type: 'histogram' });
    expect(
      duration?.points
        .map((p) => p.attributes)
        .sort((a, b) => String(a['dss.job.name']).localeCompare(String(b['dss.job.name']))),
    ).toEqual([
      { 'dss.job.name': 'forecast', 'dss.job.outcome': 'success' },
      { 'dss.job.name': 'optimization', 'dss.job.outcome': 'failure' },
    ]);
    expect(duration?.points[0]?.explicitBounds).toEqual([...JOB_DURATION_BUCKETS_SECONDS]);
    expect(last('dss.job.failures')?.points).toEqual([
      { attributes: { 'dss.job.name': 'optimization', 'error.type': 'TypeError' }, value: 1 },
    ]);
    const lastSuccess = last('dss.job.last_success')?.points[0]?.value ?? 0;
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(120);

    const http = last('http.server.request.duration');
    expect(http?.unit).toBe('s');
    const routes = http?.points.map((p) => p.attributes['http.route']);
    expect(routes).toContain('/tanks/:tankId');
    expect(routes?.some((r) => typeof r === 'string' && r.includes('T1'))).toBe(false);
  });

  it('exports runtime metrics', () => {
    const names = new Set(metricsOf(requests).map((m) => m.name));
    for (const name of [
      'nodejs.eventloop.delay.p99',
      'v8js.memory.heap.used',
      'process.cpu.time',
      'dss.process.open_handles',
    ]) {
      expect(names, [...names].join(', ')).toContain(name);
    }
  });

  it('sends logs with trace context, redacted', () => {
    const logs = logsOf(requests);
    const reading = logs.find((l) => String(l.body).startsWith('reading tank'));
    const server = spansOf(requests).find((s) => s.name === 'GET /tanks/:tankId') as SpanView;
    expect(reading).toBeDefined();
    expect(reading?.severityText).toBe('INFO');
    expect(reading?.traceId).toBe(server.traceId);
    expect(reading?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(reading?.body).toBe(
      'reading tank for client with password in url https://user:[REDACTED]@db.example/level',
    );
    expect(reading?.attributes).toMatchObject({
      tankId: 'T1',
      authorization: '[REDACTED]',
      webhook: '[REDACTED]',
    });

    const failure = logs.find((l) => l.body === 'optimization failed');
    expect(failure).toMatchObject({ severityText: 'ERROR', attributes: { 'exception.type': 'TypeError' } });
  });

  it('lets no secret through, in any signal', () => {
    const everything = JSON.stringify(requests, (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(everything).toContain('[REDACTED]');
  });
});

describe('expressTelemetry without the HTTP instrumentation', () => {
  it('records http.server.request.duration itself, by route template, with the status', async () => {
    const sink = new InMemorySink();
    const receiver = await startOtlpGrpcReceiver({ host: '127.0.0.1', port: 0, sink });
    const service = await startService({
      style: 'register',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
        OTEL_SERVICE_NAME: 'fixture-api',
        DSS_CLIENT: 'aveiro',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http',
      },
    });
    try {
      expect((await timedGet(service.port, '/tanks/T7/readings')).status).toBe(200);
      expect((await timedGet(service.port, '/fail')).status).toBe(500);
      expect((await timedGet(service.port, '/no/such/route')).status).toBe(404);
      await service.stop();
      const http = metricsOf(sink.requests()).filter((m) => m.name === 'http.server.request.duration');
      const points = http.flatMap((m) => m.points.map((p) => p.attributes));
      expect(points).toContainEqual({
        'http.request.method': 'GET',
        'http.route': '/tanks/:tankId/readings',
        'http.response.status_code': 200,
      });
      expect(points).toContainEqual({
        'http.request.method': 'GET',
        'http.route': '/fail',
        'http.response.status_code': 500,
        'error.type': '500',
      });
      // An unmatched request has no route rather than its raw URL.
      expect(points).toContainEqual({ 'http.request.method': 'GET', 'http.response.status_code': 404 });
      expect(JSON.stringify(points)).not.toContain('T7');
    } finally {
      await service.stop();
      await receiver.close();
    }
  });
});

describe('the Prometheus scrape endpoint', () => {
  it('serves the DSS metrics for scraping when OTEL_METRICS_EXPORTER=prometheus', async () => {
    const [port] = await freePorts(1);
    const service = await startService({
      style: 'register',
      env: {
        OTEL_SERVICE_NAME: 'fixture-api',
        DSS_CLIENT: 'aveiro',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
    });
    try {
      expect((await timedGet(service.port, '/tanks/T1')).status).toBe(200);
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      // The SDK's exporter adds no unit suffix (dss_tank_level, not _meters): see the README.
      expect(text).toMatch(/^dss_tank_level\w*\{[^}]*dss_tank_id="T1"[^}]*\} 3\.25/m);
      expect(text).toMatch(/^dss_job_duration\w*_bucket\{[^}]*le="1"/m);
      expect(service.stderr()).toContain(`metrics exposed for scraping on http://127.0.0.1:${port}/metrics`);
    } finally {
      await service.stop();
    }
  });
});
