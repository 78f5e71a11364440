// The data the query API tests read: two tenants' traces and logs, recorded with the OpenTelemetry SDK and
// sent to a running collector by the official OTLP exporters, a few minutes before now (inside the APIs'
// default time ranges). Then helpers to call the query server as Grafana does.
import { ROOT_CONTEXT, SeverityNumber, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
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
import { type RunningCollector, startCollector } from '../../src/collector/index.ts';
import { exportWith, logExporter, traceExporter } from '../support/sdk-telemetry.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

export const BASE_MS = Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000;
/** A window around the data, in epoch seconds (Tempo) and nanoseconds (Loki). */
export const START_S = BASE_MS / 1000 - 60;
export const END_S = BASE_MS / 1000 + 120;
export const START_NS = `${START_S}000000000`;
export const END_NS = `${END_S}000000000`;

const at = (offsetMs: number) => new Date(BASE_MS + offsetMs);

export interface Fixture {
  collector: RunningCollector;
  dir: TempDir;
  /** Aveiro: GET /tanks/:id → SELECT tanks (error). */
  traceA: string;
  rootA: string;
  childA: string;
  /** Aveiro: GET /pumps. */
  traceB: string;
  /** Braga: POST /invoices (error). */
  traceC: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

function providers(service: string, client: string) {
  const resource = resourceFromAttributes({
    'service.name': service,
    'service.version': '1.0.0',
    'dss.client': client,
  });
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  return {
    spans,
    logs,
    tracer: new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
    logger: new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logs })] }),
  };
}

export async function startFixture(): Promise<Fixture> {
  const dir = await makeTempDir('dss-query-api-');
  const collector = await startCollector({
    dbPath: dir.file('store.sqlite'),
    grpcPort: 0,
    httpPort: 0,
    queryPort: 0,
  });

  const aveiro = providers('tank-api', 'aveiro');
  const tracer = aveiro.tracer.getTracer('dss-query-test', '1.0.0');
  const root = tracer.startSpan('GET /tanks/:id', {
    kind: SpanKind.SERVER,
    startTime: at(0),
    attributes: {
      'http.route': '/tanks/:id',
      'http.response.status_code': 200,
      ratio: 0.5,
      cached: false,
      tags: ['a', 'b'],
    },
  });
  const child = tracer.startSpan(
    'SELECT tanks',
    { kind: SpanKind.CLIENT, startTime: at(10), attributes: { 'db.system': 'postgresql' } },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  child.addEvent('retry', { attempt: 2 }, at(20));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
  child.end(at(60));
  root.end(at(300));
  const pumps = tracer.startSpan('GET /pumps', { kind: SpanKind.SERVER, startTime: at(1000) });
  pumps.setStatus({ code: SpanStatusCode.OK });
  pumps.end(at(1002));

  const logger = aveiro.logger.getLogger('dss-query-test');
  logger.emit({
    timestamp: at(20),
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'tank T1 level low',
    attributes: { 'dss.tank.id': 'T1' },
    context: trace.setSpan(ROOT_CONTEXT, child),
  });
  logger.emit({ timestamp: at(1001), severityNumber: SeverityNumber.INFO, body: 'pump P1 started' });

  const braga = providers('billing-api', 'braga');
  const bragaSpan = braga.tracer.getTracer('dss-query-test').startSpan('POST /invoices', {
    kind: SpanKind.SERVER,
    startTime: at(2000),
    attributes: { 'braga.secret': 'invoice-42' },
  });
  bragaSpan.setStatus({ code: SpanStatusCode.ERROR });
  bragaSpan.end(at(2005));
  braga.logger.getLogger('dss-query-test').emit({
    timestamp: at(2003),
    severityNumber: SeverityNumber.ERROR,
    body: 'invoice 42 failed',
    attributes: { 'braga.secret': 'invoice-42' },
  });

  const sent: Promise<unknown>[] = [];
  for (const client of [aveiro, braga]) {
    await client.tracer.forceFlush();
    await client.logger.forceFlush();
    sent.push(send(traceExporter('http/protobuf', collector.httpPort), client.spans.getFinishedSpans()));
    sent.push(send(logExporter('grpc', collector.grpcPort), client.logs.getFinishedLogRecords()));
  }
  await Promise.all(sent);

  const port = collector.queryPort;
  return {
    collector,
    dir,
    traceA: root.spanContext().traceId,
    rootA: root.spanContext().spanId,
    childA: child.spanContext().spanId,
    traceB: pumps.spanContext().traceId,
    traceC: bragaSpan.spanContext().traceId,
    get: (path, headers = {}) => fetch(`http://127.0.0.1:${port}${path}`, { headers }),
    close: async () => {
      await collector.close();
      await dir.remove();
    },
  };
}

async function send<T extends ReadableSpan[] | ReadableLogRecord[]>(
  exporter: ReturnType<typeof traceExporter> | ReturnType<typeof logExporter>,
  items: T,
): Promise<void> {
  const result = await exportWith(exporter as Parameters<typeof exportWith<T>>[0], items);
  if (result.code !== 0) throw result.error ?? new Error('export failed');
}

/** A URL query string, encoded as Grafana's clients encode it. */
export function qs(params: Record<string, string | number>): string {
  const pairs = Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]);
  return new URLSearchParams(pairs).toString();
}
