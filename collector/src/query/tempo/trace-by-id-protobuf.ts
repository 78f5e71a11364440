// The protobuf bodies of trace by id, the form Grafana reads (Accept: application/protobuf):
// /api/v2/traces/<id> answers tempopb.TraceByIDResponse, /api/traces/<id> answers tempopb.Trace.
import type { AnyValue, KeyValue, ResourceSpans, Span } from '../../receiver/decoded-types.ts';
import { tempoTypes } from './tempo-schema.ts';
import type { TraceByIdStatus } from './trace-by-id-json.ts';

export interface TraceByIdMetrics {
  inspectedBytes?: bigint;
}

/** tempopb.TraceByIDResponse, for /api/v2/traces/<id>. */
export function encodeTraceByIdResponse(
  resourceSpans: readonly ResourceSpans[],
  status: TraceByIdStatus = {},
  metrics?: TraceByIdMetrics,
): Uint8Array {
  const type = tempoTypes.TraceByIDResponse;
  const message: Record<string, unknown> = { trace: { resourceSpans: resourceSpans.map(wireResourceSpans) } };
  if (metrics) message.metrics = { inspectedBytes: (metrics.inspectedBytes ?? 0n).toString() };
  if (status.partial) message.status = 1;
  if (status.message) message.message = status.message;
  return type.encode(type.fromObject(message)).finish();
}

/** tempopb.Trace (wire-identical to OTLP TracesData), for /api/traces/<id>. */
export function encodeTrace(resourceSpans: readonly ResourceSpans[]): Uint8Array {
  const type = tempoTypes.Trace;
  return type.encode(type.fromObject({ resourceSpans: resourceSpans.map(wireResourceSpans) })).finish();
}

// To the protobufjs object form: ids as bytes, 64-bit integers as decimal strings (exact through Long).
// The same form encodes an OTLP ExportTraceServiceRequest (tests and benchmarks build bodies with it).
export function wireResourceSpans(rs: ResourceSpans): Record<string, unknown> {
  return {
    resource: {
      attributes: rs.resource.attributes.map(wireKeyValue),
      droppedAttributesCount: rs.resource.droppedAttributesCount,
    },
    schemaUrl: rs.schemaUrl,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: {
        name: ss.scope.name,
        version: ss.scope.version,
        attributes: ss.scope.attributes.map(wireKeyValue),
        droppedAttributesCount: ss.scope.droppedAttributesCount,
      },
      schemaUrl: ss.schemaUrl,
      spans: ss.spans.map(wireSpan),
    })),
  };
}

function wireSpan(span: Span): Record<string, unknown> {
  return {
    traceId: bytes(span.traceId),
    spanId: bytes(span.spanId),
    traceState: span.traceState,
    parentSpanId: bytes(span.parentSpanId),
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: span.attributes.map(wireKeyValue),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: event.timeUnixNano.toString(),
      name: event.name,
      attributes: event.attributes.map(wireKeyValue),
      droppedAttributesCount: event.droppedAttributesCount,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => ({
      traceId: bytes(link.traceId),
      spanId: bytes(link.spanId),
      traceState: link.traceState,
      attributes: link.attributes.map(wireKeyValue),
      droppedAttributesCount: link.droppedAttributesCount,
      flags: link.flags,
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: span.status.code, message: span.status.message },
  };
}

function wireKeyValue(kv: KeyValue): Record<string, unknown> {
  return { key: kv.key, value: wireAnyValue(kv.value) };
}

function wireAnyValue(value: AnyValue): Record<string, unknown> {
  switch (value.type) {
    case 'string':
      return { stringValue: value.value };
    case 'bool':
      return { boolValue: value.value };
    case 'int':
      return { intValue: value.value.toString() };
    case 'double':
      return { doubleValue: value.value };
    case 'bytes':
      return { bytesValue: value.value };
    case 'array':
      return { arrayValue: { values: value.value.map(wireAnyValue) } };
    case 'kvlist':
      return { kvlistValue: { values: value.value.map(wireKeyValue) } };
    case 'empty':
      return {};
  }
}

function bytes(hex: string): Uint8Array {
  return Buffer.from(hex, 'hex');
}
