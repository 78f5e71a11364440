// Spans and log records built by hand, in two forms: decoded requests (what a sink receives) for the
// store and sink tests, and encoded OTLP protobuf bodies (what a client sends) for the end-to-end ones.
import { randomBytes } from 'node:crypto';
import { wireResourceSpans } from '../../src/query/tempo/trace-by-id-protobuf.ts';
import type {
  AnyValue,
  DecodedLogs,
  DecodedTraces,
  KeyValue,
  LogRecord,
  Span,
} from '../../src/receiver/decoded-types.ts';
import { otlpTypes } from '../../src/receiver/otlp-schema.ts';

export const randomTraceId = () => randomBytes(16).toString('hex');
export const randomSpanId = () => randomBytes(8).toString('hex');

export const str = (value: string): AnyValue => ({ type: 'string', value });
export const attrs = (record: Record<string, AnyValue>): KeyValue[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

/** One attribute of every AnyValue type, with the values that are easy to get wrong. */
export const EVERY_ANY_VALUE: KeyValue[] = attrs({
  string: str('tank "T1" — niveau ✓'),
  emptyString: str(''),
  boolTrue: { type: 'bool', value: true },
  boolFalse: { type: 'bool', value: false },
  int: { type: 'int', value: 42n },
  intMax: { type: 'int', value: 9_223_372_036_854_775_807n },
  intMin: { type: 'int', value: -9_223_372_036_854_775_808n },
  double: { type: 'double', value: 3.25 },
  doubleIntegral: { type: 'double', value: 2 },
  doubleNegativeZero: { type: 'double', value: -0 },
  doubleNaN: { type: 'double', value: Number.NaN },
  doubleInfinity: { type: 'double', value: Number.POSITIVE_INFINITY },
  doubleMinusInfinity: { type: 'double', value: Number.NEGATIVE_INFINITY },
  doubleTiny: { type: 'double', value: 5e-324 },
  bytes: { type: 'bytes', value: new Uint8Array([0, 1, 254, 255]) },
  emptyBytes: { type: 'bytes', value: new Uint8Array([]) },
  array: { type: 'array', value: [str('a'), { type: 'int', value: 1n }, { type: 'empty' }] },
  emptyArray: { type: 'array', value: [] },
  kvlist: {
    type: 'kvlist',
    value: attrs({
      nested: {
        type: 'kvlist',
        value: attrs({ deeper: { type: 'array', value: [{ type: 'bool', value: true }] } }),
      },
      'dotted.key': str('x'),
    }),
  },
  emptyKvlist: { type: 'kvlist', value: [] },
  empty: { type: 'empty' },
});

export function span(overrides: Partial<Span> = {}): Span {
  return {
    traceId: randomTraceId(),
    spanId: randomSpanId(),
    traceState: '',
    parentSpanId: '',
    flags: 1,
    name: 'GET /tanks/:id',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_250_000_000n,
    attributes: attrs({ 'http.response.status_code': { type: 'int', value: 200n } }),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    ...overrides,
  };
}

export function logRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: 1_700_000_000_000_000_000n,
    observedTimeUnixNano: 1_700_000_000_100_000_000n,
    severityNumber: 9,
    severityText: 'INFO',
    body: str('tank T1 level 3.2 m'),
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
    ...overrides,
  };
}

export interface ResourceSpec {
  service?: string;
  /** dss.client; omitted when undefined. */
  tenant?: string;
}

function resourceAttributes({ service = 'backend-api', tenant }: ResourceSpec): KeyValue[] {
  return attrs({
    'service.name': str(service),
    ...(tenant === undefined ? {} : { 'dss.client': str(tenant) }),
  });
}

export function tracesRequest(spans: Span[], resource: ResourceSpec = {}): DecodedTraces {
  return {
    signal: 'traces',
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes(resource), droppedAttributesCount: 0 },
        schemaUrl: '',
        scopeSpans: [
          {
            scope: { name: 'dss-test', version: '1.0.0', attributes: [], droppedAttributesCount: 0 },
            schemaUrl: '',
            spans,
          },
        ],
      },
    ],
  };
}

export function logsRequest(records: LogRecord[], resource: ResourceSpec = {}): DecodedLogs {
  return {
    signal: 'logs',
    resourceLogs: [
      {
        resource: { attributes: resourceAttributes(resource), droppedAttributesCount: 0 },
        schemaUrl: '',
        scopeLogs: [
          {
            scope: { name: 'dss-test', version: '1.0.0', attributes: [], droppedAttributesCount: 0 },
            schemaUrl: '',
            logRecords: records,
          },
        ],
      },
    ],
  };
}

// ---- encoded protobuf bodies ----

/** An ExportTraceServiceRequest body (protobuf) carrying the request's spans. */
export function encodeTraces(request: DecodedTraces): Uint8Array {
  const type = otlpTypes.ExportTraceServiceRequest;
  return type
    .encode(type.fromObject({ resourceSpans: request.resourceSpans.map(wireResourceSpans) }))
    .finish();
}

/** `count` spans of one new trace, for load and durability tests. */
export function traceBatch(count: number, resource: ResourceSpec = {}, name = 'batch'): DecodedTraces {
  const traceId = randomTraceId();
  const spans = Array.from({ length: count }, (_, i) =>
    span({
      traceId,
      name: `${name} ${i}`,
      attributes: attrs({
        'dss.tank.id': str(`T${i % 50}`),
        'http.request.method': str('GET'),
        'http.route': str('/tanks/:id'),
        'http.response.status_code': { type: 'int', value: 200n },
        'server.address': str('backend-api.dss.internal'),
      }),
    }),
  );
  return tracesRequest(spans, resource);
}
