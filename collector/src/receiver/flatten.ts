// Flat views of decoded requests: each record next to the resource and scope it came with.
import type {
  DecodedExport,
  DecodedLogs,
  DecodedMetrics,
  DecodedTraces,
  InstrumentationScope,
  LogRecord,
  Metric,
  Resource,
  Span,
} from './decoded-types.ts';

export interface RecordContext {
  resource: Resource;
  resourceSchemaUrl: string;
  scope: InstrumentationScope;
  scopeSchemaUrl: string;
}

export interface SpanInContext extends RecordContext {
  span: Span;
}

export interface MetricInContext extends RecordContext {
  metric: Metric;
}

export interface LogRecordInContext extends RecordContext {
  logRecord: LogRecord;
}

export function flattenSpans(request: DecodedTraces): SpanInContext[] {
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((span) => ({
        resource: rs.resource,
        resourceSchemaUrl: rs.schemaUrl,
        scope: ss.scope,
        scopeSchemaUrl: ss.schemaUrl,
        span,
      })),
    ),
  );
}

export function flattenMetrics(request: DecodedMetrics): MetricInContext[] {
  return request.resourceMetrics.flatMap((rm) =>
    rm.scopeMetrics.flatMap((sm) =>
      sm.metrics.map((metric) => ({
        resource: rm.resource,
        resourceSchemaUrl: rm.schemaUrl,
        scope: sm.scope,
        scopeSchemaUrl: sm.schemaUrl,
        metric,
      })),
    ),
  );
}

export function flattenLogRecords(request: DecodedLogs): LogRecordInContext[] {
  return request.resourceLogs.flatMap((rl) =>
    rl.scopeLogs.flatMap((sl) =>
      sl.logRecords.map((logRecord) => ({
        resource: rl.resource,
        resourceSchemaUrl: rl.schemaUrl,
        scope: sl.scope,
        scopeSchemaUrl: sl.schemaUrl,
        logRecord,
      })),
    ),
  );
}

/** Spans, data points or log records in a request. */
export function countRecords(request: DecodedExport): number {
  switch (request.signal) {
    case 'traces':
      return flattenSpans(request).length;
    case 'metrics':
      return flattenMetrics(request).reduce((sum, { metric }) => sum + metric.dataPoints.length, 0);
    case 'logs':
      return flattenLogRecords(request).length;
  }
}
