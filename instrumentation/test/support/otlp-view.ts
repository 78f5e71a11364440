// Flat views of what an OTLP receiver got, for assertions: each span, metric and log record with
// its resource attributes resolved.
import { attributesToObject, type DecodedExport, type PlainValue } from '@dss/collector/receiver';

type Attributes = Record<string, PlainValue>;

export interface SpanView {
  resource: Attributes;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Attributes;
  status: { code: number; message: string };
  events: Array<{ name: string; attributes: Attributes }>;
}

export interface MetricView {
  resource: Attributes;
  name: string;
  unit: string;
  type: string;
  points: Array<{ attributes: Attributes; value?: number; count?: number; explicitBounds?: number[] }>;
}

export interface LogView {
  resource: Attributes;
  body: PlainValue;
  severityText: string;
  attributes: Attributes;
  traceId: string;
  spanId: string;
}

export function spansOf(requests: readonly DecodedExport[]): SpanView[] {
  const out: SpanView[] = [];
  for (const request of requests) {
    if (request.signal !== 'traces') continue;
    for (const rs of request.resourceSpans) {
      const resource = attributesToObject(rs.resource.attributes);
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          out.push({
            resource,
            scope: ss.scope.name,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId,
            name: span.name,
            kind: span.kind,
            attributes: attributesToObject(span.attributes),
            status: span.status,
            events: span.events.map((e) => ({ name: e.name, attributes: attributesToObject(e.attributes) })),
          });
        }
      }
    }
  }
  return out;
}

export function metricsOf(requests: readonly DecodedExport[]): MetricView[] {
  const out: MetricView[] = [];
  for (const request of requests) {
    if (request.signal !== 'metrics') continue;
    for (const rm of request.resourceMetrics) {
      const resource = attributesToObject(rm.resource.attributes);
      for (const sm of rm.scopeMetrics) {
        for (const metric of sm.metrics) {
          const points = (metric.dataPoints as Array<Record<string, unknown>>).map((p) => ({
            attributes: attributesToObject(p.attributes as never),
            ...(typeof p.value === 'number' || typeof p.value === 'bigint' ? { value: Number(p.value) } : {}),
            ...(typeof p.count === 'number' ? { count: p.count } : {}),
            ...(Array.isArray(p.explicitBounds) ? { explicitBounds: p.explicitBounds as number[] } : {}),
          }));
          out.push({ resource, name: metric.name, unit: metric.unit, type: metric.type, points });
        }
      }
    }
  }
  return out;
}

export function logsOf(requests: readonly DecodedExport[]): LogView[] {
  const out: LogView[] = [];
  for (const request of requests) {
    if (request.signal !== 'logs') continue;
    for (const rl of request.resourceLogs) {
      const resource = attributesToObject(rl.resource.attributes);
      for (const sl of rl.scopeLogs) {
        for (const record of sl.logRecords) {
          out.push({
            resource,
            body: attributesToObject([{ key: 'b', value: record.body }]).b ?? null,
            severityText: record.severityText,
            attributes: attributesToObject(record.attributes),
            traceId: record.traceId,
            spanId: record.spanId,
          });
        }
      }
    }
  }
  return out;
}
