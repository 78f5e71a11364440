// The normalised shape every decoded OTLP export request takes, whatever its encoding (protobuf or
// OTLP/JSON). Conventions: ids are lowercase hex ('' when absent), every *UnixNano time is a bigint,
// enums are their numeric values, absent strings are '' and absent lists are [].

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** An OTLP AnyValue. `empty` is a value with none of its fields set (allowed by the spec). */
export type AnyValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: bigint }
  | { type: 'double'; value: number }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'array'; value: AnyValue[] }
  | { type: 'kvlist'; value: KeyValue[] }
  | { type: 'empty' };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

// ---- traces ----

/** Span.SpanKind values on the wire. */
export const OtlpSpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

/** Status.StatusCode values on the wire. */
export const OtlpStatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

export interface Span {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: { code: number; message: string };
}

export interface ScopeSpans {
  scope: InstrumentationScope;
  schemaUrl: string;
  spans: Span[];
}

export interface ResourceSpans {
  resource: Resource;
  schemaUrl: string;
  scopeSpans: ScopeSpans[];
}

// ---- metrics ----

/** AggregationTemporality values on the wire. */
export const OtlpAggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;

/** DataPointFlags bit: the point marks an explicitly missing value (a Prometheus staleness marker). */
export const DATA_POINT_FLAG_NO_RECORDED_VALUE = 1;

export interface Exemplar {
  filteredAttributes: KeyValue[];
  timeUnixNano: bigint;
  /** bigint for `as_int`, number for `as_double`, null when neither is set. */
  value: bigint | number | null;
  traceId: string;
  spanId: string;
}

interface DataPointBase {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
}

export interface NumberDataPoint extends DataPointBase {
  /** bigint for `as_int`, number for `as_double`; null only with the NO_RECORDED_VALUE flag. */
  value: bigint | number | null;
  exemplars: Exemplar[];
}

// Counts are uint64 on the wire but numbers here: a count above 2^53 is not a realistic concern, and
// every consumer (PromQL, JSON APIs) works in doubles anyway.
export interface HistogramDataPoint extends DataPointBase {
  count: number;
  sum: number | null;
  /** explicitBounds.length + 1 counts (or none at all). */
  bucketCounts: number[];
  explicitBounds: number[];
  min: number | null;
  max: number | null;
  exemplars: Exemplar[];
}

export interface ExponentialHistogramBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface ExponentialHistogramDataPoint extends DataPointBase {
  count: number;
  sum: number | null;
  scale: number;
  zeroCount: number;
  positive: ExponentialHistogramBuckets;
  negative: ExponentialHistogramBuckets;
  min: number | null;
  max: number | null;
  zeroThreshold: number;
  exemplars: Exemplar[];
}

export interface SummaryDataPoint extends DataPointBase {
  count: number;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
}

interface MetricBase {
  name: string;
  description: string;
  unit: string;
  metadata: KeyValue[];
}

export interface GaugeMetric extends MetricBase {
  type: 'gauge';
  dataPoints: NumberDataPoint[];
}

export interface SumMetric extends MetricBase {
  type: 'sum';
  aggregationTemporality: number;
  isMonotonic: boolean;
  dataPoints: NumberDataPoint[];
}

export interface HistogramMetric extends MetricBase {
  type: 'histogram';
  aggregationTemporality: number;
  dataPoints: HistogramDataPoint[];
}

export interface ExponentialHistogramMetric extends MetricBase {
  type: 'exponentialHistogram';
  aggregationTemporality: number;
  dataPoints: ExponentialHistogramDataPoint[];
}

export interface SummaryMetric extends MetricBase {
  type: 'summary';
  dataPoints: SummaryDataPoint[];
}

/** A metric with none of the data fields set. The validator drops these. */
export interface EmptyMetric extends MetricBase {
  type: 'empty';
  dataPoints: never[];
}

export type Metric =
  | GaugeMetric
  | SumMetric
  | HistogramMetric
  | ExponentialHistogramMetric
  | SummaryMetric
  | EmptyMetric;

export type MetricType = Metric['type'];

export interface ScopeMetrics {
  scope: InstrumentationScope;
  schemaUrl: string;
  metrics: Metric[];
}

export interface ResourceMetrics {
  resource: Resource;
  schemaUrl: string;
  scopeMetrics: ScopeMetrics[];
}

// ---- logs ----

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** SeverityNumber: 0 unspecified, 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL. */
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}

export interface ScopeLogs {
  scope: InstrumentationScope;
  schemaUrl: string;
  logRecords: LogRecord[];
}

export interface ResourceLogs {
  resource: Resource;
  schemaUrl: string;
  scopeLogs: ScopeLogs[];
}

// ---- export requests ----

export interface DecodedTraces {
  signal: 'traces';
  resourceSpans: ResourceSpans[];
}

export interface DecodedMetrics {
  signal: 'metrics';
  resourceMetrics: ResourceMetrics[];
}

export interface DecodedLogs {
  signal: 'logs';
  resourceLogs: ResourceLogs[];
}

/** A decoded Export{Trace,Metrics,Logs}ServiceRequest, tagged by signal. */
export type DecodedExport = DecodedTraces | DecodedMetrics | DecodedLogs;
