// A trace with every attribute type, events, links, statuses, resource and scope attributes.
import type { KeyValue, ResourceSpans, Span } from '../../src/receiver/decoded-types.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const everyType: KeyValue[] = [
  { key: 'str', value: { type: 'string', value: 'tank 7' } },
  { key: 'empty.str', value: { type: 'string', value: '' } },
  { key: 'bool', value: { type: 'bool', value: true } },
  { key: 'false', value: { type: 'bool', value: false } },
  { key: 'int', value: { type: 'int', value: -9223372036854775808n } },
  { key: 'zero', value: { type: 'int', value: 0n } },
  { key: 'double', value: { type: 'double', value: 2.5 } },
  { key: 'bytes', value: { type: 'bytes', value: new Uint8Array([0, 1, 254, 255]) } },
  {
    key: 'array',
    value: {
      type: 'array',
      value: [
        { type: 'string', value: 'a' },
        { type: 'int', value: 2n },
      ],
    },
  },
  {
    key: 'kvlist',
    value: {
      type: 'kvlist',
      value: [
        {
          key: 'nested',
          value: { type: 'kvlist', value: [{ key: 'deep', value: { type: 'bool', value: false } }] },
        },
      ],
    },
  },
  { key: 'nothing', value: { type: 'empty' } },
];

const baseSpan: Span = {
  traceId: TRACE_ID,
  spanId: '00f067aa0ba902b7',
  traceState: '',
  parentSpanId: '',
  flags: 0,
  name: 'GET /tanks/:id',
  kind: 2,
  startTimeUnixNano: 1700000000123456789n,
  endTimeUnixNano: 1700000000250000000n,
  attributes: [],
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 0, message: '' },
};

export const richTrace: ResourceSpans[] = [
  {
    resource: {
      attributes: [
        { key: 'service.name', value: { type: 'string', value: 'api' } },
        { key: 'dss.client', value: { type: 'string', value: 'utility-a' } },
      ],
      droppedAttributesCount: 1,
    },
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    scopeSpans: [
      {
        scope: {
          name: '@dss/instrumentation',
          version: '0.1.0',
          attributes: [{ key: 'scope.attr', value: { type: 'string', value: 's' } }],
          droppedAttributesCount: 0,
        },
        schemaUrl: '',
        spans: [
          {
            ...baseSpan,
            attributes: everyType,
            droppedAttributesCount: 2,
            flags: 0x301,
            traceState: 'vendor=1',
            status: { code: 1, message: '' },
          },
          {
            ...baseSpan,
            spanId: '00f067aa0ba902b8',
            parentSpanId: '00f067aa0ba902b7',
            name: 'SELECT tanks',
            kind: 3,
            startTimeUnixNano: 1700000000130000000n,
            endTimeUnixNano: 1700000000200000000n,
            events: [
              {
                timeUnixNano: 1700000000150000000n,
                name: 'exception',
                attributes: [{ key: 'exception.message', value: { type: 'string', value: 'disk full' } }],
                droppedAttributesCount: 3,
              },
            ],
            droppedEventsCount: 4,
            links: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                traceState: 'k=v',
                attributes: [{ key: 'link.kind', value: { type: 'string', value: 'follows' } }],
                droppedAttributesCount: 0,
                flags: 1,
              },
            ],
            droppedLinksCount: 5,
            status: { code: 2, message: 'disk full' },
          },
        ],
      },
    ],
  },
  {
    resource: {
      attributes: [{ key: 'service.name', value: { type: 'string', value: 'worker' } }],
      droppedAttributesCount: 0,
    },
    schemaUrl: '',
    scopeSpans: [
      {
        scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
        schemaUrl: '',
        spans: [
          { ...baseSpan, spanId: '00f067aa0ba902b9', parentSpanId: '00f067aa0ba902b7', name: 'job', kind: 1 },
        ],
      },
    ],
  },
];
