// The official OTel SDK exporters (gRPC, http/protobuf, http/json) sending to the receivers on a free
// loopback port, and what the sink gets out of it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  attributesToObject,
  type HistogramMetric,
  InMemorySink,
  type RunningReceiver,
  startOtlpGrpcReceiver,
  startOtlpHttpReceiver,
} from '../src/receiver/index.ts';
import {
  exportWith,
  logExporter,
  metricExporter,
  type Protocol,
  RESOURCE_ATTRIBUTES,
  recordLogs,
  recordMetrics,
  recordSpans,
  START_NANOS,
  traceExporter,
} from './support/sdk-telemetry.ts';

const SUCCESS = 0;
const protocols: Protocol[] = ['grpc', 'http/protobuf', 'http/json'];

describe.each(protocols)('SDK exporters over %s', (protocol) => {
  const sink = new InMemorySink();
  let receiver: RunningReceiver;

  beforeAll(async () => {
    receiver =
      protocol === 'grpc'
        ? await startOtlpGrpcReceiver({ host: '127.0.0.1', port: 0, sink })
        : await startOtlpHttpReceiver({ host: '127.0.0.1', port: 0, sink });
  });
  afterAll(() => receiver.close());
  beforeEach(() => sink.clear());

  it('delivers spans with ids, names, kinds, times, attributes, events, status and resource', async () => {
    const recorded = await recordSpans();
    const result = await exportWith(traceExporter(protocol, receiver.port), recorded);
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(SUCCESS);

    // The export was acknowledged, so the sink already has it.
    const spans = sink.allSpans();
    expect(spans).toHaveLength(2);
    const byName = new Map(spans.map((s) => [s.span.name, s]));
    const server = byName.get('GET /tanks/:id');
    const client = byName.get('SELECT tanks');
    const sdkServer = recorded.find((s) => s.name === 'GET /tanks/:id')?.spanContext();
    const sdkClient = recorded.find((s) => s.name === 'SELECT tanks')?.spanContext();

    expect(server?.span).toMatchObject({
      traceId: sdkServer?.traceId,
      spanId: sdkServer?.spanId,
      parentSpanId: '',
      kind: 2,
      startTimeUnixNano: START_NANOS,
      endTimeUnixNano: 1_700_000_002_000_000_000n,
      status: { code: 0, message: '' },
    });
    expect(attributesToObject(server?.span.attributes ?? [])).toEqual({
      'http.response.status_code': 200,
      'dss.tank.id': 'T1',
      'tank.levels': [1.5, 2.5],
    });
    expect(client?.span).toMatchObject({
      traceId: sdkServer?.traceId,
      spanId: sdkClient?.spanId,
      parentSpanId: sdkServer?.spanId,
      kind: 3,
      startTimeUnixNano: START_NANOS + 1_000n,
      endTimeUnixNano: 1_700_000_001_000_000_000n,
      status: { code: 2, message: 'deadlock' },
    });
    expect(client?.span.events).toHaveLength(1);
    expect(client?.span.events[0]).toMatchObject({ name: 'retry', timeUnixNano: START_NANOS + 2_000n });
    expect(attributesToObject(client?.span.events[0]?.attributes ?? [])).toEqual({ attempt: 2 });
    expect(server?.span.traceId).toMatch(/^[0-9a-f]{32}$/);

    expect(attributesToObject(server?.resource.attributes ?? [])).toMatchObject(RESOURCE_ATTRIBUTES);
    expect(server?.scope).toMatchObject({ name: 'dss-receiver-test', version: '0.0.1' });
    expect(sink.received[0]?.context.transport).toBe(protocol === 'grpc' ? 'grpc' : 'http');
    expect(sink.received[0]?.context.headers['user-agent']).toMatch(/OTel-OTLP-Exporter-JavaScript/);
  });

  it('delivers log records with bodies, severities, times and trace context', async () => {
    const { records, traceId, spanId } = await recordLogs();
    const result = await exportWith(logExporter(protocol, receiver.port), records);
    expect(result.code).toBe(SUCCESS);

    const logs = sink.allLogRecords();
    expect(logs).toHaveLength(2);
    const [warning, info] = logs.map((l) => l.logRecord);
    expect(warning).toMatchObject({
      timeUnixNano: START_NANOS,
      severityNumber: 13,
      severityText: 'WARN',
      body: { type: 'string', value: 'tank T1 level low' },
      traceId,
      spanId,
      flags: 1,
    });
    expect(warning?.observedTimeUnixNano).toBeGreaterThan(START_NANOS);
    expect(attributesToObject(warning?.attributes ?? [])).toEqual({ 'dss.tank.id': 'T1', level: 0.25 });
    expect(info).toMatchObject({ severityNumber: 9, traceId: '', spanId: '' });
    expect(info?.body.type).toBe('kvlist');
    expect(attributesToObject([{ key: 'body', value: info?.body ?? { type: 'empty' } }])).toEqual({
      body: { event: 'pump.start', pump: 'P1' },
    });
    expect(attributesToObject(logs[0]?.resource.attributes ?? [])).toMatchObject(RESOURCE_ATTRIBUTES);
  });

  it('delivers sums, gauges, histogram buckets and exponential histograms', async () => {
    const resourceMetrics = await recordMetrics();
    const exporter = metricExporter(protocol, receiver.port);
    const result = await exportWith(exporter, resourceMetrics);
    expect(result.code).toBe(SUCCESS);

    const metrics = new Map(sink.allMetrics().map(({ metric }) => [metric.name, metric]));
    expect(attributesToObject(sink.allMetrics()[0]?.resource.attributes ?? [])).toMatchObject(
      RESOURCE_ATTRIBUTES,
    );
    expect(metrics.get('dss.jobs.runs')).toMatchObject({
      type: 'sum',
      isMonotonic: true,
      aggregationTemporality: 2,
      dataPoints: [{ value: 3 }],
    });
    expect(attributesToObject(metrics.get('dss.jobs.runs')?.dataPoints[0]?.attributes ?? [])).toEqual({
      'dss.job.name': 'nightly',
    });
    expect(metrics.get('dss.tank.level')).toMatchObject({
      type: 'gauge',
      unit: 'm',
      dataPoints: [{ value: 3.25 }],
    });

    const duration = metrics.get('dss.job.duration') as HistogramMetric;
    expect(duration).toMatchObject({ type: 'histogram', unit: 's', aggregationTemporality: 2 });
    expect(duration.dataPoints[0]).toMatchObject({
      count: 5,
      sum: 42.5,
      min: 0.5,
      max: 30,
      explicitBounds: [1, 5, 10],
      bucketCounts: [1, 2, 1, 1],
    });
    expect(duration.dataPoints[0]?.startTimeUnixNano).toBeGreaterThan(1_700_000_000_000_000_000n);
    expect(duration.dataPoints[0]?.timeUnixNano).toBeGreaterThanOrEqual(
      duration.dataPoints[0]?.startTimeUnixNano ?? 0n,
    );

    const flow = metrics.get('dss.flow.rate');
    expect(flow?.type).toBe('exponentialHistogram');
    const point = flow?.type === 'exponentialHistogram' ? flow.dataPoints[0] : undefined;
    expect(point).toMatchObject({ count: 4, sum: 15, min: 1, max: 8, zeroCount: 0 });
    expect(point?.positive.bucketCounts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('accepts gzip-compressed exports', async () => {
    const result = await exportWith(
      traceExporter(protocol, receiver.port, { gzip: true }),
      await recordSpans(),
    );
    expect(result.code).toBe(SUCCESS);
    expect(sink.allSpans()).toHaveLength(2);
    if (protocol !== 'grpc') expect(sink.received[0]?.context.headers['content-encoding']).toBe('gzip');
  });
});
