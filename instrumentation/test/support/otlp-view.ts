// What an OTLP receiver got, as plain objects for assertions: each span, metric and log record
// with its resource and its attributes as objects.
import {
  anyValueToPlain,
  attributesToObject,
  type DecodedExport,
  flattenLogRecords,
  flattenMetrics,
  flattenSpans,
  type PlainValue,
} from '@dss/collector/receiver';

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
  return requests
    .flatMap((r) => (r.signal === 'traces' ? flattenSpans(r) : []))
    .map(({ resource, scope, span }) => ({
      resource: attributesToObject(resource.attributes),
      scope: scope.name,
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: span.name,
      kind: span.kind,
      attributes: attributesToObject(span.attributes),
      status: span.status,
      events: span.events.map((e) => ({ name: e.name, attributes: attributesToObject(e.attributes) })),
    }));
}

export function metricsOf(requests: readonly DecodedExport[]): MetricView[] {
  return requests
    .flatMap((r) => (r.signal === 'metrics' ? flattenMetrics(r) : []))
    .map(({ resource, metric }) => ({
      resource: attributesToObject(resource.attributes),
      name: metric.name,
      unit: metric.unit,
      type: metric.type,
      points: (metric.dataPoints as Array<Record<string, unknown>>).map((p) => ({
        attributes: attributesToObject(p.attributes as never),
        ...(typeof p.value === 'number' || typeof p.value === 'bigint' ? { value: Number(p.value) } : {}),
        ...(typeof p.count === 'number' ? { count: p.count } : {}),
        ...(Array.isArray(p.explicitBounds) ? { explicitBounds: p.explicitBounds as number[] } : {}),
      })),
    }));
}

export function logsOf(requests: readonly DecodedExport[]): LogView[] {
  return requests
    .flatMap((r) => (r.signal === 'logs' ? flattenLogRecords(r) : []))
    .map(({ resource, logRecord }) => ({
      resource: attributesToObject(resource.attributes),
      body: anyValueToPlain(logRecord.body),
      severityText: logRecord.severityText,
      attributes: attributesToObject(logRecord.attributes),
      traceId: logRecord.traceId,
      spanId: logRecord.spanId,
    }));
}
