// Trace by id: the protobuf Grafana reads (round-tripped through the schema) and Tempo's JSON.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { tempoTypes } from '../../src/query/tempo/tempo-schema.ts';
import { traceByIdV1Json, traceByIdV2Json } from '../../src/query/tempo/trace-by-id-json.ts';
import { encodeTrace, encodeTraceByIdResponse } from '../../src/query/tempo/trace-by-id-protobuf.ts';
import type { ResourceSpans } from '../../src/receiver/decoded-types.ts';
import { normalizeTraces } from '../../src/receiver/normalize-traces.ts';
import { otlpRoot } from '../../src/receiver/otlp-schema.ts';
import type { WireTraceRequest } from '../../src/receiver/wire-types.ts';
import { richTrace } from './trace-fixtures.ts';

interface DecodedTraceByIdResponse {
  trace: WireTraceRequest;
  metrics?: { inspectedBytes: unknown };
  status: number;
  message: string;
}

describe('tempopb.TraceByIDResponse (/api/v2/traces/<id>, Accept: application/protobuf)', () => {
  it('round-trips every attribute type, events, links, status, resource and scope', () => {
    const bytes = encodeTraceByIdResponse(richTrace);
    const decoded = tempoTypes.TraceByIDResponse.decode(bytes) as unknown as DecodedTraceByIdResponse;
    expect(normalizeTraces(decoded.trace).resourceSpans).toStrictEqual(richTrace);
    expect(decoded.status).toBe(0);
    expect(decoded.message).toBe('');
    expect(decoded.metrics).toBeNull();
  });

  it('carries PARTIAL, the message and the metrics', () => {
    const bytes = encodeTraceByIdResponse(
      richTrace,
      { partial: true, message: 'trace exceeds 50MB' },
      { inspectedBytes: 12345n },
    );
    const decoded = tempoTypes.TraceByIDResponse.decode(bytes) as unknown as DecodedTraceByIdResponse;
    expect(decoded.status).toBe(1);
    expect(decoded.message).toBe('trace exceeds 50MB');
    expect(String(decoded.metrics?.inspectedBytes)).toBe('12345');
  });

  it('uses Tempo field numbers on the wire: trace=1, status=3, message=4', () => {
    const reader = protobuf.Reader.create(
      encodeTraceByIdResponse(richTrace.slice(1), { partial: true, message: 'm' }),
    );
    const tags: number[] = [];
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      tags.push(tag >>> 3);
      reader.skipType(tag & 7);
    }
    expect(tags).toStrictEqual([1, 3, 4]);
  });

  it('an empty trace still has its trace field', () => {
    const decoded = tempoTypes.TraceByIDResponse.decode(
      encodeTraceByIdResponse([]),
    ) as unknown as DecodedTraceByIdResponse;
    expect(normalizeTraces(decoded.trace).resourceSpans).toStrictEqual([]);
  });
});

describe('tempopb.Trace (/api/traces/<id>, Accept: application/protobuf)', () => {
  it('is wire-identical to OTLP TracesData', () => {
    const tracesData = otlpRoot.lookupType('opentelemetry.proto.trace.v1.TracesData');
    const decoded = tracesData.decode(encodeTrace(richTrace)) as unknown as WireTraceRequest;
    expect(normalizeTraces(decoded).resourceSpans).toStrictEqual(richTrace);
  });
});

describe('trace by id JSON', () => {
  // grafana/tempo docs/sources/tempo/api_docs/pushing-spans-with-http.md, "Retrieve traces".
  const documented: ResourceSpans[] = [
    {
      resource: {
        attributes: [{ key: 'service.name', value: { type: 'string', value: 'my.service' } }],
        droppedAttributesCount: 0,
      },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: { name: 'my.library', version: '1.0.0', attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc700',
              spanId: 'eee19b7ec3c1b100',
              traceState: '',
              parentSpanId: '',
              flags: 0,
              name: 'I am a span!',
              kind: 2,
              startTimeUnixNano: 1689969302000000000n,
              endTimeUnixNano: 1689970000000000000n,
              attributes: [{ key: 'my.span.attr', value: { type: 'string', value: 'some value' } }],
              droppedAttributesCount: 0,
              events: [],
              droppedEventsCount: 0,
              links: [],
              droppedLinksCount: 0,
              status: { code: 0, message: '' },
            },
          ],
        },
      ],
    },
  ];

  it("v1 is Tempo's documented answer, byte for byte", () => {
    expect(JSON.stringify(traceByIdV1Json(documented))).toBe(
      '{"batches":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0"},"spans":[{"traceId":"W47/95gDgQPSabYzgT/HAA==","spanId":"7uGbfsPBsQA=","name":"I am a span!","kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1689969302000000000","endTimeUnixNano":"1689970000000000000","attributes":[{"key":"my.span.attr","value":{"stringValue":"some value"}}],"status":{}}]}]}]}',
    );
  });

  it('hex ids on request, as OTLP/JSON has them', () => {
    const span = (
      traceByIdV1Json(documented, { ids: 'hex' }).batches[0] as {
        scopeSpans: { spans: Record<string, unknown>[] }[];
      }
    ).scopeSpans[0]?.spans[0];
    expect(span?.traceId).toBe('5b8efff798038103d269b633813fc700');
    expect(span?.spanId).toBe('eee19b7ec3c1b100');
  });

  it('writes every value type the proto3 JSON way', () => {
    const span = (
      traceByIdV1Json(richTrace, { ids: 'hex' }).batches[0] as {
        scopeSpans: { spans: Record<string, unknown>[] }[];
      }
    ).scopeSpans[0]?.spans;
    expect(span?.[0]).toStrictEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceState: 'vendor=1',
      flags: 0x301,
      name: 'GET /tanks/:id',
      kind: 'SPAN_KIND_SERVER',
      startTimeUnixNano: '1700000000123456789',
      endTimeUnixNano: '1700000000250000000',
      attributes: [
        { key: 'str', value: { stringValue: 'tank 7' } },
        { key: 'empty.str', value: { stringValue: '' } },
        { key: 'bool', value: { boolValue: true } },
        { key: 'false', value: { boolValue: false } },
        { key: 'int', value: { intValue: '-9223372036854775808' } },
        { key: 'zero', value: { intValue: '0' } },
        { key: 'double', value: { doubleValue: 2.5 } },
        { key: 'bytes', value: { bytesValue: 'AAH+/w==' } },
        { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
        {
          key: 'kvlist',
          value: {
            kvlistValue: {
              values: [
                {
                  key: 'nested',
                  value: { kvlistValue: { values: [{ key: 'deep', value: { boolValue: false } }] } },
                },
              ],
            },
          },
        },
        { key: 'nothing', value: {} },
      ],
      droppedAttributesCount: 2,
      status: { code: 'STATUS_CODE_OK' },
    });
    expect(span?.[1]).toStrictEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b8',
      parentSpanId: '00f067aa0ba902b7',
      name: 'SELECT tanks',
      kind: 'SPAN_KIND_CLIENT',
      startTimeUnixNano: '1700000000130000000',
      endTimeUnixNano: '1700000000200000000',
      events: [
        {
          timeUnixNano: '1700000000150000000',
          name: 'exception',
          attributes: [{ key: 'exception.message', value: { stringValue: 'disk full' } }],
          droppedAttributesCount: 3,
        },
      ],
      droppedEventsCount: 4,
      links: [
        {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          traceState: 'k=v',
          attributes: [{ key: 'link.kind', value: { stringValue: 'follows' } }],
          flags: 1,
        },
      ],
      droppedLinksCount: 5,
      status: { message: 'disk full', code: 'STATUS_CODE_ERROR' },
    });
  });

  it('v2 wraps the trace as TraceByIDResponse does', () => {
    const v2 = traceByIdV2Json(documented);
    expect(Object.keys(v2)).toStrictEqual(['trace']);
    expect(v2.trace).toStrictEqual({ resourceSpans: traceByIdV1Json(documented).batches });
    expect(traceByIdV2Json(documented, { partial: true, message: 'too big' })).toMatchObject({
      status: 'PARTIAL',
      message: 'too big',
    });
  });
});
