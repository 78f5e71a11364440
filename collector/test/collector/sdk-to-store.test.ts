// The official OTel SDK exporters (gRPC, http/protobuf, http/json) → startCollector → SQLite: once an
// export is acknowledged its records are in the database, and they read back exactly as the SDK
// serialised them (every attribute type, events, links, status, resource and scope).
import { ROOT_CONTEXT, SeverityNumber, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../../src/collector/index.ts';
import { instantQuery } from '../../src/query/promql/index.ts';
import { findAttribute } from '../../src/receiver/attributes.ts';
import { decodeLogs, decodeTraces } from '../../src/receiver/decode.ts';
import type { DecodedTraces, ResourceSpans } from '../../src/receiver/decoded-types.ts';
import { flattenLogRecords, flattenSpans } from '../../src/receiver/flatten.ts';
import { parseTokenList } from '../../src/receiver/index.ts';
import { readLogRecords } from '../../src/store/read-logs.ts';
import { readTrace } from '../../src/store/read-traces.ts';
import { request } from '../support/http-client.ts';
import { rawTraceClient } from '../support/raw-grpc.ts';
import {
  exportWith,
  logExporter,
  metricExporter,
  type Protocol,
  RESOURCE_ATTRIBUTES,
  recordMetrics,
  START_TIME,
  traceExporter,
} from '../support/sdk-telemetry.ts';
import {
  EVERY_ANY_VALUE,
  encodeTraces,
  randomSpanId,
  randomTraceId,
  span,
  tracesRequest,
} from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const SUCCESS = 0;
const protocols: Protocol[] = ['grpc', 'http/protobuf', 'http/json'];
const resource = resourceFromAttributes(RESOURCE_ATTRIBUTES);

async function recordRichSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('dss-store-test', '2.0.0');
  const linked = { traceId: randomTraceId(), spanId: randomSpanId(), traceFlags: 1 };
  const parent = tracer.startSpan('POST /intake', {
    kind: SpanKind.SERVER,
    startTime: START_TIME,
    attributes: {
      text: 'niveau ✓',
      flag: true,
      count: 42,
      ratio: 3.25,
      words: ['a', 'b'],
      flags: [true, false],
      counts: [1, 2, 3],
      ratios: [1.5, 2.5],
    },
    links: [{ context: linked, attributes: { 'link.reason': 'batch' } }],
  });
  const child = tracer.startSpan(
    'INSERT readings',
    { kind: SpanKind.CLIENT, startTime: [START_TIME[0], START_TIME[1] + 5_000] },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  child.addEvent('exception', { 'exception.type': 'Deadlock', attempt: 2 }, [
    START_TIME[0],
    START_TIME[1] + 6_000,
  ]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
  child.end([START_TIME[0] + 1, 0]);
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end([START_TIME[0] + 2, 0]);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

async function recordRichLogs(): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('dss-store-test', '2.0.0');
  const everyType = {
    text: 'tank T1 low',
    flag: false,
    count: 7,
    ratio: 0.25,
    raw: new Uint8Array([0, 255, 7]),
    list: [1, 'two', true],
    map: { nested: { deeper: [1.5, 'x'] } },
    nothing: null,
  };
  logger.emit({
    timestamp: START_TIME,
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: everyType,
    attributes: everyType,
    eventName: 'tank.low',
    context: trace.setSpan(
      ROOT_CONTEXT,
      trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
      }),
    ),
  });
  logger.emit({
    timestamp: [START_TIME[0] + 1, 0],
    severityNumber: SeverityNumber.INFO,
    body: 'pump P1 started',
  });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

/** Spans (with their resource and scope) keyed and ordered by span id, whatever their grouping. */
function bySpanId(resourceSpans: ResourceSpans[]) {
  return flattenSpans({ signal: 'traces', resourceSpans }).sort((a, b) =>
    a.span.spanId.localeCompare(b.span.spanId),
  );
}

describe.each(protocols)('SDK exporters over %s into the store', (protocol) => {
  let dir: TempDir;
  let collector: RunningCollector;

  beforeAll(async () => {
    dir = await makeTempDir();
    collector = await startCollector({ dbPath: dir.file('store.sqlite'), grpcPort: 0, httpPort: 0 });
  });
  afterAll(async () => {
    await collector.close();
    await dir.remove();
  });

  it('stores spans exactly as sent, and they are there as soon as the export is acknowledged', async () => {
    const spans = await recordRichSpans();
    const result = await exportWith(traceExporter(protocol, port(protocol)), spans);
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(SUCCESS);

    const sent = decodeTraces(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array, 'protobuf');
    const traceId = spans[0]?.spanContext().traceId as string;
    const stored = readTrace(collector.db, traceId);
    expect(bySpanId(stored)).toEqual(bySpanId(sent.resourceSpans));
    // Resource and scope once, the two spans under them.
    expect(stored).toHaveLength(1);
    expect(stored[0]?.scopeSpans).toHaveLength(1);
    expect(stored[0]?.scopeSpans[0]?.scope).toMatchObject({ name: 'dss-store-test', version: '2.0.0' });

    const parent = stored[0]?.scopeSpans[0]?.spans.find((s) => s.name === 'POST /intake');
    expect(findAttribute(parent?.attributes ?? [], 'count')).toEqual({ type: 'int', value: 42n });
    expect(findAttribute(parent?.attributes ?? [], 'ratio')).toEqual({ type: 'double', value: 3.25 });
    expect(findAttribute(parent?.attributes ?? [], 'counts')).toEqual({
      type: 'array',
      value: [1n, 2n, 3n].map((value) => ({ type: 'int', value })),
    });
    expect(parent?.links[0]?.attributes).toEqual([
      { key: 'link.reason', value: { type: 'string', value: 'batch' } },
    ]);
    expect(parent?.status).toEqual({ code: 1, message: '' });
  });

  it('stores log records with bodies and attributes of every type', async () => {
    const records = await recordRichLogs();
    const result = await exportWith(logExporter(protocol, port(protocol)), records);
    expect(result.code).toBe(SUCCESS);

    const sent = flattenLogRecords(
      decodeLogs(ProtobufLogsSerializer.serializeRequest(records) as Uint8Array, 'protobuf'),
    );
    const stored = readLogRecords(collector.db, {
      startNs: 1_700_000_000_000_000_000n,
      endNs: 1_700_000_010_000_000_000n,
      direction: 'forward',
    });
    expect(stored.map((r) => r.logRecord)).toEqual(sent.map((r) => r.logRecord));
    expect(stored[0]?.resource).toEqual(sent[0]?.resource);
    expect(stored[0]).toMatchObject({ tenant: 'aveiro', serviceName: 'receiver-test' });
    const body = stored[0]?.logRecord.body;
    expect(body?.type).toBe('kvlist');
    const types =
      body?.type === 'kvlist' ? Object.fromEntries(body.value.map((kv) => [kv.key, kv.value.type])) : {};
    expect(types).toEqual({
      text: 'string',
      flag: 'bool',
      count: 'int',
      ratio: 'double',
      raw: 'bytes',
      list: 'array',
      map: 'kvlist',
      nothing: 'empty',
    });
  });

  it('stores metrics as Prometheus series that PromQL reads back', async () => {
    const result = await exportWith(metricExporter(protocol, port(protocol)), await recordMetrics());
    expect(result.code).toBe(SUCCESS);
    const value = (query: string) => {
      const data = instantQuery({ reader: collector.metricsStore, tenant: 'aveiro' }, query, Date.now());
      if (data.resultType !== 'vector') throw new Error(`not a vector: ${data.resultType}`);
      return data.result.map((sample) => ({ ...sample.metric, value: sample.value[1] }));
    };
    expect(value('dss_jobs_runs_total')).toEqual([
      expect.objectContaining({
        job: 'receiver-test',
        dss_client: 'aveiro',
        dss_job_name: 'nightly',
        value: '3',
      }),
    ]);
    expect(value('dss_tank_level_meters')).toEqual([
      expect.objectContaining({ dss_tank_id: 'T1', value: '3.25' }),
    ]);
    expect(value('dss_job_duration_seconds_bucket{le="5"}')).toEqual([
      expect.objectContaining({ value: '3' }),
    ]);
    expect(value('dss_job_duration_seconds_count')).toEqual([expect.objectContaining({ value: '5' })]);
    expect(value('histogram_quantile(0.5, dss_job_duration_seconds_bucket)')).toEqual([
      expect.objectContaining({ dss_job_name: 'nightly', value: '4' }), // rank 2.5 of 5: 1 + 4 × 1.5/2
    ]);
    // Another tenant sees none of it.
    expect(
      instantQuery({ reader: collector.metricsStore, tenant: 'faro' }, 'dss_jobs_runs_total', Date.now()),
    ).toEqual({
      resultType: 'vector',
      result: [],
    });
  });

  function port(p: Protocol): number {
    return p === 'grpc' ? collector.grpcPort : collector.httpPort;
  }
});

describe('raw OTLP protobuf into the store', () => {
  let dir: TempDir;
  let collector: RunningCollector;

  beforeAll(async () => {
    dir = await makeTempDir();
    collector = await startCollector({ dbPath: dir.file('store.sqlite'), grpcPort: 0, httpPort: 0 });
  });
  afterAll(async () => {
    await collector.close();
    await dir.remove();
  });

  /** A span carrying every AnyValue type and edge value on itself, an event and a link. */
  function extremeRequest(): DecodedTraces {
    return tracesRequest(
      [
        span({
          attributes: EVERY_ANY_VALUE,
          traceState: 'dss=ok',
          droppedAttributesCount: 1,
          endTimeUnixNano: 9_223_372_036_854_775_807n,
          events: [{ timeUnixNano: 5n, name: 'ev', attributes: EVERY_ANY_VALUE, droppedAttributesCount: 2 }],
          links: [
            {
              traceId: randomTraceId(),
              spanId: randomSpanId(),
              traceState: 'x=y',
              attributes: EVERY_ANY_VALUE,
              droppedAttributesCount: 3,
              flags: 257,
            },
          ],
          status: { code: 2, message: 'all of it' },
        }),
      ],
      { tenant: 'faro', service: 'intake' },
    );
  }

  it('keeps int64 limits, NaN, ±Infinity, -0, bytes, empty values and nested maps (OTLP/HTTP)', async () => {
    const sent = extremeRequest();
    const response = await request(collector.httpPort, {
      path: '/v1/traces',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from(encodeTraces(sent)),
    });
    expect(response.status).toBe(200);
    const traceId = sent.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
    expect(readTrace(collector.db, traceId)).toEqual(sent.resourceSpans);
  });

  it('keeps them over OTLP/gRPC too', async () => {
    const sent = extremeRequest();
    const client = rawTraceClient(collector.grpcPort);
    const error = await client.export(encodeTraces(sent));
    client.close();
    expect(error).toBeNull();
    const traceId = sent.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
    expect(readTrace(collector.db, traceId)).toEqual(sent.resourceSpans);
  });
});

describe('tenancy on ingest', () => {
  it('stores the tenant a token writes for, and reads it back for that tenant only', async () => {
    const dir = await makeTempDir();
    const collector = await startCollector({
      dbPath: dir.file('store.sqlite'),
      grpcPort: 0,
      httpPort: 0,
      auth: parseTokenList('tok-braga=braga'),
    });
    try {
      const sent = tracesRequest([span()], { service: 'workers' }); // no dss.client: the token's tenant is stamped
      const response = await request(collector.httpPort, {
        path: '/v1/traces',
        headers: { 'content-type': 'application/x-protobuf', authorization: 'Bearer tok-braga' },
        body: Buffer.from(encodeTraces(sent)),
      });
      expect(response.status).toBe(200);
      const traceId = sent.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
      expect(readTrace(collector.db, traceId, { tenant: 'braga' })).toHaveLength(1);
      expect(readTrace(collector.db, traceId, { tenant: 'aveiro' })).toEqual([]);
      expect(
        collector.db.prepare("SELECT tenant FROM resources WHERE service_name = 'workers'").pluck().get(),
      ).toBe('braga');
    } finally {
      await collector.close();
      await dir.remove();
    }
  });
});
