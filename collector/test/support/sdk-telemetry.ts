// Real OpenTelemetry SDK telemetry for the receiver tests: spans, metrics and log records recorded by
// the SDK, and the official OTLP exporters (gRPC, http/protobuf, http/json) to send them with.

import { ROOT_CONTEXT, SeverityNumber, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

export type Protocol = 'grpc' | 'http/protobuf' | 'http/json';

export const RESOURCE_ATTRIBUTES = {
  'service.name': 'receiver-test',
  'service.version': '1.2.3',
  'dss.client': 'aveiro',
};
const resource = resourceFromAttributes(RESOURCE_ATTRIBUTES);

/** 2023-11-14T22:13:20.123456789Z, as the SDK's HrTime. */
export const START_TIME: [number, number] = [1_700_000_000, 123_456_789];
export const START_NANOS = 1_700_000_000_123_456_789n;

// ---- recording ----

export async function recordSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('dss-receiver-test', '0.0.1');
  const parent = tracer.startSpan('GET /tanks/:id', {
    kind: SpanKind.SERVER,
    startTime: START_TIME,
    attributes: { 'http.response.status_code': 200, 'dss.tank.id': 'T1', 'tank.levels': [1.5, 2.5] },
  });
  const child = tracer.startSpan(
    'SELECT tanks',
    { kind: SpanKind.CLIENT, startTime: [START_TIME[0], START_TIME[1] + 1_000] },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  child.addEvent('retry', { attempt: 2 }, [START_TIME[0], START_TIME[1] + 2_000]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
  child.end([START_TIME[0] + 1, 0]);
  parent.end([START_TIME[0] + 2, 0]);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans(); // before shutdown, which empties the in-memory exporter
  await provider.shutdown();
  return spans;
}

export async function recordLogs(): Promise<{
  records: ReadableLogRecord[];
  traceId: string;
  spanId: string;
}> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('dss-receiver-test');
  const span = trace.wrapSpanContext({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
  });
  logger.emit({
    timestamp: START_TIME,
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'tank T1 level low',
    attributes: { 'dss.tank.id': 'T1', level: 0.25 },
    context: trace.setSpan(ROOT_CONTEXT, span),
  });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: { event: 'pump.start', pump: 'P1' } });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords(); // before shutdown, which empties the in-memory exporter
  await provider.shutdown();
  return { records, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
}

/** A reader we collect from by hand, so the test decides when metrics are exported. */
class ManualReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export async function recordMetrics(): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [
      {
        instrumentName: 'dss.job.duration',
        aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [1, 5, 10] } },
      },
      { instrumentName: 'dss.flow.rate', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ],
  });
  const meter = provider.getMeter('dss-receiver-test', '0.0.1');
  meter.createCounter('dss.jobs.runs').add(3, { 'dss.job.name': 'nightly' });
  meter.createGauge('dss.tank.level', { unit: 'm' }).record(3.25, { 'dss.tank.id': 'T1' });
  const duration = meter.createHistogram('dss.job.duration', { unit: 's' });
  for (const seconds of [0.5, 2, 3, 7, 30]) duration.record(seconds, { 'dss.job.name': 'nightly' });
  const flow = meter.createHistogram('dss.flow.rate');
  for (const value of [1, 2, 4, 8]) flow.record(value);
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw errors[0];
  await provider.shutdown();
  return resourceMetrics;
}

// ---- exporting ----

type ProtoTraceOptions = NonNullable<ConstructorParameters<typeof ProtoTraceExporter>[0]>;
type GrpcTraceOptions = NonNullable<ConstructorParameters<typeof GrpcTraceExporter>[0]>;
const GZIP_HTTP = 'gzip' as ProtoTraceOptions['compression'];
const GZIP_GRPC = 'gzip' as GrpcTraceOptions['compression'];

export interface ExporterOptions {
  gzip?: boolean;
  timeoutMillis?: number;
}

function urls(protocol: Protocol, port: number, path: string) {
  return protocol === 'grpc' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}${path}`;
}

export function traceExporter(protocol: Protocol, port: number, options: ExporterOptions = {}) {
  const url = urls(protocol, port, '/v1/traces');
  const timeoutMillis = options.timeoutMillis ?? 10_000;
  if (protocol === 'grpc')
    return new GrpcTraceExporter({ url, timeoutMillis, ...(options.gzip ? { compression: GZIP_GRPC } : {}) });
  const config = { url, timeoutMillis, ...(options.gzip ? { compression: GZIP_HTTP } : {}) };
  return protocol === 'http/json' ? new JsonTraceExporter(config) : new ProtoTraceExporter(config);
}

export function logExporter(protocol: Protocol, port: number, options: ExporterOptions = {}) {
  const url = urls(protocol, port, '/v1/logs');
  const timeoutMillis = options.timeoutMillis ?? 10_000;
  if (protocol === 'grpc')
    return new GrpcLogExporter({ url, timeoutMillis, ...(options.gzip ? { compression: GZIP_GRPC } : {}) });
  const config = { url, timeoutMillis, ...(options.gzip ? { compression: GZIP_HTTP } : {}) };
  return protocol === 'http/json' ? new JsonLogExporter(config) : new ProtoLogExporter(config);
}

export function metricExporter(protocol: Protocol, port: number, options: ExporterOptions = {}) {
  const url = urls(protocol, port, '/v1/metrics');
  const timeoutMillis = options.timeoutMillis ?? 10_000;
  if (protocol === 'grpc')
    return new GrpcMetricExporter({
      url,
      timeoutMillis,
      ...(options.gzip ? { compression: GZIP_GRPC } : {}),
    });
  const config = { url, timeoutMillis, ...(options.gzip ? { compression: GZIP_HTTP } : {}) };
  return protocol === 'http/json' ? new JsonMetricExporter(config) : new ProtoMetricExporter(config);
}

interface ExportResultLike {
  code: number;
  error?: Error;
}

interface Exporter<T> {
  export(items: T, resultCallback: (result: ExportResultLike) => void): void;
  shutdown(): Promise<void>;
}

/** Exports once through the SDK exporter (with its own retries) and shuts it down; 0 is SUCCESS. */
export async function exportWith<T>(exporter: Exporter<T>, items: T): Promise<ExportResultLike> {
  try {
    return await new Promise((resolve) => exporter.export(items, resolve));
  } finally {
    await exporter.shutdown();
  }
}
