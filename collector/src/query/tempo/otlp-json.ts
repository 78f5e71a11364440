// Normalised OTLP trace data to JSON the way Tempo writes it: Tempo marshals its protobuf messages with
// gogo/protobuf's jsonpb (grafana/tempo modules/frontend/combiner), which follows the proto3 JSON mapping:
// - fields with their default value (0, '', false, empty lists) are left out;
// - 64-bit integers (times, intValue) are decimal strings; enums are their names (SPAN_KIND_SERVER);
// - bytes are base64, trace and span ids included. OTLP/JSON wants hex ids instead, and Tempo does not
//   (grafana/tempo#5437, 2025: /api/traces returns base64 ids); `ids: 'hex'` gives the OTLP/JSON form.
// Key order follows the field order of the .proto files, as jsonpb does.
import type {
  AnyValue,
  KeyValue,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
} from '../../receiver/decoded-types.ts';

export type IdEncoding = 'base64' | 'hex';

export interface OtlpJsonOptions {
  /** How trace and span ids are written: 'base64' as Tempo does (the default), 'hex' as OTLP/JSON does. */
  ids?: IdEncoding;
}

type Json = Record<string, unknown>;

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

export function resourceSpansJson(
  resourceSpans: readonly ResourceSpans[],
  options: OtlpJsonOptions = {},
): Json[] {
  const ids = options.ids ?? 'base64';
  return resourceSpans.map((rs) =>
    compact({
      resource: compact({
        attributes: keyValuesJson(rs.resource.attributes),
        droppedAttributesCount: rs.resource.droppedAttributesCount,
      }),
      scopeSpans: rs.scopeSpans.map((ss) => scopeSpansJson(ss, ids)),
      schemaUrl: rs.schemaUrl,
    }),
  );
}

function scopeSpansJson(ss: ScopeSpans, ids: IdEncoding): Json {
  return compact({
    scope: compact({
      name: ss.scope.name,
      version: ss.scope.version,
      attributes: keyValuesJson(ss.scope.attributes),
      droppedAttributesCount: ss.scope.droppedAttributesCount,
    }),
    spans: ss.spans.map((span) => spanJson(span, ids)),
    schemaUrl: ss.schemaUrl,
  });
}

export function spanJson(span: Span, ids: IdEncoding = 'base64'): Json {
  return compact({
    traceId: id(span.traceId, ids),
    spanId: id(span.spanId, ids),
    traceState: span.traceState,
    parentSpanId: id(span.parentSpanId, ids),
    flags: span.flags,
    name: span.name,
    kind: span.kind === 0 ? undefined : (SPAN_KINDS[span.kind] ?? span.kind),
    startTimeUnixNano: uint64(span.startTimeUnixNano),
    endTimeUnixNano: uint64(span.endTimeUnixNano),
    attributes: keyValuesJson(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map(eventJson),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => linkJson(link, ids)),
    droppedLinksCount: span.droppedLinksCount,
    // Status is a message: present (possibly as {}) even when unset, as in Tempo's output.
    status: compact({
      message: span.status.message,
      code: span.status.code === 0 ? undefined : (STATUS_CODES[span.status.code] ?? span.status.code),
    }),
  });
}

function eventJson(event: SpanEvent): Json {
  return compact({
    timeUnixNano: uint64(event.timeUnixNano),
    name: event.name,
    attributes: keyValuesJson(event.attributes),
    droppedAttributesCount: event.droppedAttributesCount,
  });
}

function linkJson(link: SpanLink, ids: IdEncoding): Json {
  return compact({
    traceId: id(link.traceId, ids),
    spanId: id(link.spanId, ids),
    traceState: link.traceState,
    attributes: keyValuesJson(link.attributes),
    droppedAttributesCount: link.droppedAttributesCount,
    flags: link.flags,
  });
}

export function keyValuesJson(attributes: readonly KeyValue[]): Json[] {
  return attributes.map((kv) => ({ key: kv.key, value: anyValueJson(kv.value) }));
}

/** An AnyValue; the member of the oneof that is set is always written, even when it is '' or 0. */
export function anyValueJson(value: AnyValue): Json {
  switch (value.type) {
    case 'string':
      return { stringValue: value.value };
    case 'bool':
      return { boolValue: value.value };
    case 'int':
      return { intValue: value.value.toString() };
    case 'double':
      return { doubleValue: doubleJson(value.value) };
    case 'bytes':
      return { bytesValue: Buffer.from(value.value).toString('base64') };
    case 'array':
      return { arrayValue: compact({ values: value.value.map(anyValueJson) }) };
    case 'kvlist':
      return { kvlistValue: compact({ values: keyValuesJson(value.value) }) };
    case 'empty':
      return {};
  }
}

/** proto3 JSON writes NaN and the infinities as strings. */
function doubleJson(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

function id(hex: string, encoding: IdEncoding): string | undefined {
  if (hex === '') return undefined;
  return encoding === 'hex' ? hex : Buffer.from(hex, 'hex').toString('base64');
}

function uint64(value: bigint): string | undefined {
  return value === 0n ? undefined : value.toString();
}

/** Drops the fields proto3 JSON leaves out: undefined, '', 0, false and empty lists. */
function compact(object: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === '' || value === 0 || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}
