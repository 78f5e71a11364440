// What protobufjs hands back, typed loosely: `Type.decode` gives message instances whose absent
// fields fall back to prototype defaults (0, '', [], null), while the ProtoJSON reader gives plain
// objects that simply lack absent fields. 64-bit integers arrive as Long objects (or numbers), bytes
// as Uint8Array. The normalisers read these shapes and must cope with both.
import type protobuf from 'protobufjs';

export type WireLong = protobuf.Long | number | string | bigint;
type Maybe<T> = T | null | undefined;

export interface WireAnyValue {
  stringValue?: Maybe<string>;
  boolValue?: Maybe<boolean>;
  intValue?: Maybe<WireLong>;
  doubleValue?: Maybe<number>;
  arrayValue?: Maybe<{ values?: Maybe<WireAnyValue[]> }>;
  kvlistValue?: Maybe<{ values?: Maybe<WireKeyValue[]> }>;
  bytesValue?: Maybe<Uint8Array>;
}

export interface WireKeyValue {
  key?: Maybe<string>;
  value?: Maybe<WireAnyValue>;
}

export interface WireResource {
  attributes?: Maybe<WireKeyValue[]>;
  droppedAttributesCount?: Maybe<number>;
}

export interface WireScope extends WireResource {
  name?: Maybe<string>;
  version?: Maybe<string>;
}

// ---- traces ----

export interface WireSpanEvent {
  timeUnixNano?: Maybe<WireLong>;
  name?: Maybe<string>;
  attributes?: Maybe<WireKeyValue[]>;
  droppedAttributesCount?: Maybe<number>;
}

export interface WireSpanLink {
  traceId?: Maybe<Uint8Array>;
  spanId?: Maybe<Uint8Array>;
  traceState?: Maybe<string>;
  attributes?: Maybe<WireKeyValue[]>;
  droppedAttributesCount?: Maybe<number>;
  flags?: Maybe<number>;
}

export interface WireSpan {
  traceId?: Maybe<Uint8Array>;
  spanId?: Maybe<Uint8Array>;
  traceState?: Maybe<string>;
  parentSpanId?: Maybe<Uint8Array>;
  flags?: Maybe<number>;
  name?: Maybe<string>;
  kind?: Maybe<number>;
  startTimeUnixNano?: Maybe<WireLong>;
  endTimeUnixNano?: Maybe<WireLong>;
  attributes?: Maybe<WireKeyValue[]>;
  droppedAttributesCount?: Maybe<number>;
  events?: Maybe<WireSpanEvent[]>;
  droppedEventsCount?: Maybe<number>;
  links?: Maybe<WireSpanLink[]>;
  droppedLinksCount?: Maybe<number>;
  status?: Maybe<{ message?: Maybe<string>; code?: Maybe<number> }>;
}

export interface WireTraceRequest {
  resourceSpans?: Maybe<
    {
      resource?: Maybe<WireResource>;
      schemaUrl?: Maybe<string>;
      scopeSpans?: Maybe<
        { scope?: Maybe<WireScope>; schemaUrl?: Maybe<string>; spans?: Maybe<WireSpan[]> }[]
      >;
    }[]
  >;
}

// ---- metrics ----

export interface WireExemplar {
  filteredAttributes?: Maybe<WireKeyValue[]>;
  timeUnixNano?: Maybe<WireLong>;
  asDouble?: Maybe<number>;
  asInt?: Maybe<WireLong>;
  spanId?: Maybe<Uint8Array>;
  traceId?: Maybe<Uint8Array>;
}

export interface WireDataPointBase {
  attributes?: Maybe<WireKeyValue[]>;
  startTimeUnixNano?: Maybe<WireLong>;
  timeUnixNano?: Maybe<WireLong>;
  flags?: Maybe<number>;
}

export interface WireNumberDataPoint extends WireDataPointBase {
  asDouble?: Maybe<number>;
  asInt?: Maybe<WireLong>;
  exemplars?: Maybe<WireExemplar[]>;
}

export interface WireHistogramDataPoint extends WireDataPointBase {
  count?: Maybe<WireLong>;
  sum?: Maybe<number>;
  bucketCounts?: Maybe<WireLong[]>;
  explicitBounds?: Maybe<number[]>;
  exemplars?: Maybe<WireExemplar[]>;
  min?: Maybe<number>;
  max?: Maybe<number>;
}

export interface WireBuckets {
  offset?: Maybe<number>;
  bucketCounts?: Maybe<WireLong[]>;
}

export interface WireExponentialHistogramDataPoint extends WireDataPointBase {
  count?: Maybe<WireLong>;
  sum?: Maybe<number>;
  scale?: Maybe<number>;
  zeroCount?: Maybe<WireLong>;
  positive?: Maybe<WireBuckets>;
  negative?: Maybe<WireBuckets>;
  exemplars?: Maybe<WireExemplar[]>;
  min?: Maybe<number>;
  max?: Maybe<number>;
  zeroThreshold?: Maybe<number>;
}

export interface WireSummaryDataPoint extends WireDataPointBase {
  count?: Maybe<WireLong>;
  sum?: Maybe<number>;
  quantileValues?: Maybe<{ quantile?: Maybe<number>; value?: Maybe<number> }[]>;
}

export interface WireMetric {
  name?: Maybe<string>;
  description?: Maybe<string>;
  unit?: Maybe<string>;
  metadata?: Maybe<WireKeyValue[]>;
  gauge?: Maybe<{ dataPoints?: Maybe<WireNumberDataPoint[]> }>;
  sum?: Maybe<{
    dataPoints?: Maybe<WireNumberDataPoint[]>;
    aggregationTemporality?: Maybe<number>;
    isMonotonic?: Maybe<boolean>;
  }>;
  histogram?: Maybe<{ dataPoints?: Maybe<WireHistogramDataPoint[]>; aggregationTemporality?: Maybe<number> }>;
  exponentialHistogram?: Maybe<{
    dataPoints?: Maybe<WireExponentialHistogramDataPoint[]>;
    aggregationTemporality?: Maybe<number>;
  }>;
  summary?: Maybe<{ dataPoints?: Maybe<WireSummaryDataPoint[]> }>;
}

export interface WireMetricsRequest {
  resourceMetrics?: Maybe<
    {
      resource?: Maybe<WireResource>;
      schemaUrl?: Maybe<string>;
      scopeMetrics?: Maybe<
        { scope?: Maybe<WireScope>; schemaUrl?: Maybe<string>; metrics?: Maybe<WireMetric[]> }[]
      >;
    }[]
  >;
}

// ---- logs ----

export interface WireLogRecord {
  timeUnixNano?: Maybe<WireLong>;
  observedTimeUnixNano?: Maybe<WireLong>;
  severityNumber?: Maybe<number>;
  severityText?: Maybe<string>;
  body?: Maybe<WireAnyValue>;
  attributes?: Maybe<WireKeyValue[]>;
  droppedAttributesCount?: Maybe<number>;
  flags?: Maybe<number>;
  traceId?: Maybe<Uint8Array>;
  spanId?: Maybe<Uint8Array>;
  eventName?: Maybe<string>;
}

export interface WireLogsRequest {
  resourceLogs?: Maybe<
    {
      resource?: Maybe<WireResource>;
      schemaUrl?: Maybe<string>;
      scopeLogs?: Maybe<
        { scope?: Maybe<WireScope>; schemaUrl?: Maybe<string>; logRecords?: Maybe<WireLogRecord[]> }[]
      >;
    }[]
  >;
}
