// The decoder on hand-made requests: protobuf and OTLP/JSON must give the same normalised shape.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  anyValueToPlain,
  anyValueToString,
  attributesToObject,
  decodeExportRequest,
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  findAttribute,
  OtlpDecodeError,
  otlpTypes,
} from '../src/receiver/index.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const PARENT_ID = 'eee19b7ec3c1b173';
const START = '1700000000123456789'; // not representable as a double
const END = '1700000000987654321';

const hex = (s: string) => Buffer.from(s, 'hex');

/** One request in the shape `Type.fromObject` takes (bytes as Buffers, 64-bit as strings). */
const traceObject = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'api' } },
          { key: 'dss.client', value: { stringValue: 'aveiro' } },
        ],
        droppedAttributesCount: 1,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
      scopeSpans: [
        {
          scope: { name: 'dss', version: '1.0.0' },
          spans: [
            {
              traceId: hex(TRACE_ID),
              spanId: hex(SPAN_ID),
              parentSpanId: hex(PARENT_ID),
              traceState: 'a=b',
              flags: 0x301,
              name: 'GET /tanks',
              kind: 2,
              startTimeUnixNano: START,
              endTimeUnixNano: END,
              attributes: [
                { key: 'http.status_code', value: { intValue: '200' } },
                { key: 'big', value: { intValue: '9007199254740993' } },
                { key: 'ratio', value: { doubleValue: 0.5 } },
                { key: 'ok', value: { boolValue: true } },
                { key: 'raw', value: { bytesValue: Buffer.from([1, 2, 3]) } },
                {
                  key: 'list',
                  value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } },
                },
                {
                  key: 'map',
                  value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } },
                },
                { key: 'nothing', value: {} },
              ],
              events: [{ timeUnixNano: START, name: 'exception', attributes: [] }],
              links: [{ traceId: hex(TRACE_ID), spanId: hex(PARENT_ID), flags: 1 }],
              droppedLinksCount: 2,
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ],
};

/** The same request as OTLP/JSON: hex ids, camelCase, int64 as strings or numbers, enums as integers. */
const traceJson = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'api' } },
          { key: 'dss.client', value: { stringValue: 'aveiro' } },
        ],
        droppedAttributesCount: 1,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
      scopeSpans: [
        {
          scope: { name: 'dss', version: '1.0.0' },
          spans: [
            {
              traceId: TRACE_ID.toUpperCase(), // hex is case-insensitive
              spanId: SPAN_ID,
              parentSpanId: PARENT_ID,
              traceState: 'a=b',
              flags: 0x301,
              name: 'GET /tanks',
              kind: 2,
              startTimeUnixNano: START,
              endTimeUnixNano: END,
              attributes: [
                { key: 'http.status_code', value: { intValue: 200 } },
                { key: 'big', value: { intValue: '9007199254740993' } },
                { key: 'ratio', value: { doubleValue: 0.5 } },
                { key: 'ok', value: { boolValue: true } },
                { key: 'raw', value: { bytesValue: 'AQID' } },
                { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } } },
                {
                  key: 'map',
                  value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } },
                },
                { key: 'nothing', value: {} },
              ],
              events: [{ timeUnixNano: START, name: 'exception' }],
              links: [{ traceId: TRACE_ID, spanId: PARENT_ID, flags: 1 }],
              droppedLinksCount: 2,
              status: { code: 2, message: 'boom' },
              someFutureField: { nested: true }, // unknown fields are ignored
            },
          ],
        },
      ],
    },
  ],
};

function encode(type: protobuf.Type, object: object): Uint8Array {
  return type.encode(type.fromObject(object)).finish();
}

describe('decoding traces', () => {
  const fromProtobuf = decodeTraces(encode(otlpTypes.ExportTraceServiceRequest, traceObject), 'protobuf');
  const fromJson = decodeTraces(JSON.stringify(traceJson), 'json');

  it('gives the same normalised request for protobuf and OTLP/JSON', () => {
    expect(fromJson).toEqual(fromProtobuf);
  });

  it('normalises ids, times, enums and attributes', () => {
    const rs = fromProtobuf.resourceSpans[0];
    expect(rs?.schemaUrl).toBe('https://opentelemetry.io/schemas/1.30.0');
    expect(attributesToObject(rs?.resource.attributes ?? [])).toEqual({
      'service.name': 'api',
      'dss.client': 'aveiro',
    });
    expect(rs?.resource.droppedAttributesCount).toBe(1);
    expect(rs?.scopeSpans[0]?.scope).toEqual({
      name: 'dss',
      version: '1.0.0',
      attributes: [],
      droppedAttributesCount: 0,
    });
    const span = rs?.scopeSpans[0]?.spans[0];
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      traceState: 'a=b',
      flags: 0x301,
      name: 'GET /tanks',
      kind: 2,
      startTimeUnixNano: 1700000000123456789n,
      endTimeUnixNano: 1700000000987654321n,
      droppedLinksCount: 2,
      status: { code: 2, message: 'boom' },
      events: [
        { timeUnixNano: 1700000000123456789n, name: 'exception', attributes: [], droppedAttributesCount: 0 },
      ],
      links: [{ traceId: TRACE_ID, spanId: PARENT_ID, traceState: '', flags: 1, attributes: [] }],
    });
    expect(span?.attributes.map((a) => a.value)).toEqual([
      { type: 'int', value: 200n },
      { type: 'int', value: 9007199254740993n },
      { type: 'double', value: 0.5 },
      { type: 'bool', value: true },
      { type: 'bytes', value: new Uint8Array([1, 2, 3]) },
      {
        type: 'array',
        value: [
          { type: 'string', value: 'a' },
          { type: 'int', value: 1n },
        ],
      },
      { type: 'kvlist', value: [{ key: 'k', value: { type: 'bool', value: false } }] },
      { type: 'empty' },
    ]);
  });

  it('turns attributes into JSON-safe plain objects', () => {
    const attributes = fromJson.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes ?? [];
    expect(attributesToObject(attributes)).toEqual({
      'http.status_code': 200,
      big: '9007199254740993',
      ratio: 0.5,
      ok: true,
      raw: 'AQID',
      list: ['a', 1],
      map: { k: false },
      nothing: null,
    });
    expect(findAttribute(attributes, 'ratio')).toEqual({ type: 'double', value: 0.5 });
    expect(findAttribute(attributes, 'absent')).toBeUndefined();
    expect(
      anyValueToString({ type: 'kvlist', value: [{ key: 'a', value: { type: 'int', value: 1n } }] }),
    ).toBe('{"a":1}');
    expect(anyValueToPlain({ type: 'string', value: 'x' })).toBe('x');
    expect(attributesToObject([{ key: '__proto__', value: { type: 'string', value: 'x' } }])).toHaveProperty(
      '__proto__',
      'x',
    );
  });

  it('fills absent fields with empty values', () => {
    const minimal = decodeTraces(
      encode(otlpTypes.ExportTraceServiceRequest, { resourceSpans: [{ scopeSpans: [{ spans: [{}] }] }] }),
      'protobuf',
    );
    const fromJsonMinimal = decodeTraces('{"resourceSpans":[{"scopeSpans":[{"spans":[{}]}]}]}', 'json');
    expect(fromJsonMinimal).toEqual(minimal);
    expect(minimal.resourceSpans[0]?.scopeSpans[0]?.spans[0]).toEqual({
      traceId: '',
      spanId: '',
      traceState: '',
      parentSpanId: '',
      flags: 0,
      name: '',
      kind: 0,
      startTimeUnixNano: 0n,
      endTimeUnixNano: 0n,
      attributes: [],
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    });
    expect(minimal.resourceSpans[0]?.resource).toEqual({ attributes: [], droppedAttributesCount: 0 });
    expect(decodeExportRequest('traces', new Uint8Array(), 'protobuf')).toEqual({
      signal: 'traces',
      resourceSpans: [],
    });
  });

  it('keeps int64 values beyond 2^53 exact when OTLP/JSON sends them as numbers', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":${START},"attributes":[{"key":"n","value":{"intValue":-9223372036854775808}}]}]}]}]}`;
    const span = decodeTraces(text, 'json').resourceSpans[0]?.scopeSpans[0]?.spans[0];
    expect(span?.startTimeUnixNano).toBe(1700000000123456789n);
    expect(span?.attributes[0]?.value).toEqual({ type: 'int', value: -9223372036854775808n });
  });

  it('skips unknown protobuf fields', () => {
    const known = encode(otlpTypes.ExportTraceServiceRequest, traceObject);
    // Field 99 (length-delimited) at the top level, as a newer sender might add.
    const unknown = protobuf.Writer.create()
      .uint32((99 << 3) | 2)
      .string('from the future')
      .finish();
    const decoded = decodeTraces(Buffer.concat([unknown, known]), 'protobuf');
    expect(decoded).toEqual(fromProtobuf);
  });
});

describe('decoding metrics', () => {
  const time = '1700000001000000000';
  const metricsJson = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
        scopeMetrics: [
          {
            scope: { name: 'dss' },
            metrics: [
              {
                name: 'dss.tank.level',
                unit: 'm',
                gauge: { dataPoints: [{ timeUnixNano: time, asDouble: 3.25, attributes: [] }] },
              },
              {
                name: 'requests',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [
                    {
                      startTimeUnixNano: '1',
                      timeUnixNano: time,
                      asInt: '42',
                      exemplars: [{ timeUnixNano: time, asInt: 1, traceId: TRACE_ID, spanId: SPAN_ID }],
                    },
                  ],
                },
              },
              {
                name: 'dss.job.duration',
                unit: 's',
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: [
                    {
                      timeUnixNano: time,
                      count: '3',
                      sum: 7.5,
                      bucketCounts: ['1', '0', 2],
                      explicitBounds: [1, 5],
                      min: 0.5,
                      max: 4,
                    },
                  ],
                },
              },
              {
                name: 'latency',
                exponentialHistogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    {
                      timeUnixNano: time,
                      count: '5',
                      scale: -2,
                      zeroCount: '1',
                      positive: { offset: -3, bucketCounts: ['1', '3'] },
                      zeroThreshold: 0.001,
                    },
                  ],
                },
              },
              {
                name: 'legacy',
                summary: {
                  dataPoints: [
                    {
                      timeUnixNano: time,
                      count: '10',
                      sum: 20,
                      quantileValues: [
                        { quantile: 0.5, value: 1.5 },
                        { quantile: 1, value: 9 },
                      ],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };

  it('decodes every metric type, the same from JSON and from protobuf', () => {
    const fromJson = decodeMetrics(JSON.stringify(metricsJson), 'json');
    // Re-encode what ProtoJSON read (ids back to bytes) to get the protobuf form of the same request.
    const protobufForm = structuredClone(metricsJson) as typeof metricsJson;
    const exemplar = protobufForm.resourceMetrics[0]?.scopeMetrics[0]?.metrics[1]?.sum?.dataPoints[0]
      ?.exemplars[0] as Record<string, unknown> | undefined;
    if (exemplar) Object.assign(exemplar, { traceId: hex(TRACE_ID), spanId: hex(SPAN_ID) });
    const fromProtobuf = decodeMetrics(
      encode(otlpTypes.ExportMetricsServiceRequest, protobufForm),
      'protobuf',
    );
    expect(fromJson).toEqual(fromProtobuf);

    const metrics = fromJson.resourceMetrics[0]?.scopeMetrics[0]?.metrics ?? [];
    expect(metrics.map((m) => m.type)).toEqual([
      'gauge',
      'sum',
      'histogram',
      'exponentialHistogram',
      'summary',
    ]);
    expect(metrics[0]).toMatchObject({
      name: 'dss.tank.level',
      unit: 'm',
      dataPoints: [{ value: 3.25, timeUnixNano: 1700000001000000000n, startTimeUnixNano: 0n, flags: 0 }],
    });
    expect(metrics[1]).toMatchObject({
      aggregationTemporality: 2,
      isMonotonic: true,
      dataPoints: [
        {
          value: 42n,
          startTimeUnixNano: 1n,
          exemplars: [{ value: 1n, traceId: TRACE_ID, spanId: SPAN_ID, timeUnixNano: 1700000001000000000n }],
        },
      ],
    });
    expect(metrics[2]).toMatchObject({
      aggregationTemporality: 1,
      dataPoints: [{ count: 3, sum: 7.5, bucketCounts: [1, 0, 2], explicitBounds: [1, 5], min: 0.5, max: 4 }],
    });
    expect(metrics[3]).toMatchObject({
      dataPoints: [
        {
          count: 5,
          sum: null,
          scale: -2,
          zeroCount: 1,
          positive: { offset: -3, bucketCounts: [1, 3] },
          negative: { offset: 0, bucketCounts: [] },
          min: null,
          max: null,
          zeroThreshold: 0.001,
        },
      ],
    });
    expect(metrics[4]).toMatchObject({
      dataPoints: [
        {
          count: 10,
          sum: 20,
          quantileValues: [
            { quantile: 0.5, value: 1.5 },
            { quantile: 1, value: 9 },
          ],
        },
      ],
    });
  });

  it('tells a zero sum from an absent one (proto3 optional)', () => {
    const point = (sum?: number) =>
      decodeMetrics(
        encode(otlpTypes.ExportMetricsServiceRequest, {
          resourceMetrics: [
            {
              scopeMetrics: [
                {
                  metrics: [
                    {
                      name: 'h',
                      histogram: { dataPoints: [{ count: 1, ...(sum === undefined ? {} : { sum }) }] },
                    },
                  ],
                },
              ],
            },
          ],
        }),
        'protobuf',
      ).resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.dataPoints[0];
    expect(point(0)).toMatchObject({ sum: 0 });
    expect(point()).toMatchObject({ sum: null });
  });
});

describe('decoding logs', () => {
  it('decodes bodies, severities and trace context', () => {
    const json = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: START,
                  observedTimeUnixNano: END,
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { kvlistValue: { values: [{ key: 'msg', value: { stringValue: 'pump stopped' } }] } },
                  attributes: [{ key: 'dss.pump.id', value: { stringValue: 'P1' } }],
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  flags: 1,
                  eventName: 'pump.stop',
                },
              ],
            },
          ],
        },
      ],
    };
    const record = decodeLogs(JSON.stringify(json), 'json').resourceLogs[0]?.scopeLogs[0]?.logRecords[0];
    expect(record).toEqual({
      timeUnixNano: 1700000000123456789n,
      observedTimeUnixNano: 1700000000987654321n,
      severityNumber: 17,
      severityText: 'ERROR',
      body: { type: 'kvlist', value: [{ key: 'msg', value: { type: 'string', value: 'pump stopped' } }] },
      attributes: [{ key: 'dss.pump.id', value: { type: 'string', value: 'P1' } }],
      droppedAttributesCount: 0,
      flags: 1,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      eventName: 'pump.stop',
    });
    expect(anyValueToString(record?.body ?? { type: 'empty' })).toBe('{"msg":"pump stopped"}');
  });
});

describe('undecodable bodies', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'truncated protobuf',
      () => decodeTraces(Buffer.from([0x0a, 0x10, 0x01]), 'protobuf'),
      /invalid protobuf/,
    ],
    ['not JSON', () => decodeTraces('{"resourceSpans": [', 'json'), /invalid JSON/],
    ['invalid UTF-8', () => decodeTraces(Buffer.from([0x7b, 0xff, 0x7d]), 'json'), /UTF-8/],
    ['a JSON array', () => decodeTraces('[]', 'json'), /not a JSON object/],
    ['a wrong JSON type', () => decodeTraces('{"resourceSpans": {}}', 'json'), /expected array/],
    [
      'a base64 id in JSON',
      () =>
        decodeTraces(
          '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA=="}]}]}]}',
          'json',
        ),
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId is not a hex-encoded id/,
    ],
    [
      'a fractional int64',
      () => decodeLogs('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1.5}]}]}]}', 'json'),
      /not an integer/,
    ],
  ];
  it.each(cases)('rejects %s with OtlpDecodeError', (_name, decode, message) => {
    expect(decode).toThrow(OtlpDecodeError);
    expect(decode).toThrow(message);
  });
});
