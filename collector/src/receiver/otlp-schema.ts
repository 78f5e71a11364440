// The OTLP protobuf schema (opentelemetry-proto v1.x: common, resource, trace, metrics, logs and the
// three collector services), plus the google.rpc messages OTLP uses for errors, written as a
// protobufjs JSON descriptor. Field names are the lowerCamelCase JSON names, so decoded messages and
// OTLP/JSON share property names. Field numbers and types follow the upstream .proto files; reserved
// numbers are left out (unknown fields are skipped when decoding anyway).
import protobuf from 'protobufjs';

type Fields = Record<string, protobuf.IField>;

const field = (id: number, type: string): protobuf.IField => ({ id, type });
const repeated = (id: number, type: string): protobuf.IField => ({ id, type, rule: 'repeated' });
// proto3 `optional`: the field gets presence through a synthetic one-field oneof named `_<name>`.
const optional = (id: number, type: string): protobuf.IField => ({
  id,
  type,
  options: { proto3_optional: true },
});

function message(fields: Fields, extra: Omit<protobuf.IType, 'fields'> = {}): protobuf.IType {
  const oneofs: Record<string, protobuf.IOneOf> = { ...extra.oneofs };
  for (const [name, f] of Object.entries(fields)) {
    if (f.options?.proto3_optional) oneofs[`_${name}`] = { oneof: [name] };
  }
  return Object.keys(oneofs).length > 0 ? { ...extra, fields, oneofs } : { ...extra, fields };
}

const oneof = (...names: string[]): protobuf.IOneOf => ({ oneof: names });

const COMMON = 'opentelemetry.proto.common.v1';
const RESOURCE = 'opentelemetry.proto.resource.v1.Resource';
const KEY_VALUE = `${COMMON}.KeyValue`;
const SCOPE = `${COMMON}.InstrumentationScope`;

const common: protobuf.INamespace = {
  nested: {
    AnyValue: message(
      {
        stringValue: field(1, 'string'),
        boolValue: field(2, 'bool'),
        intValue: field(3, 'int64'),
        doubleValue: field(4, 'double'),
        arrayValue: field(5, 'ArrayValue'),
        kvlistValue: field(6, 'KeyValueList'),
        bytesValue: field(7, 'bytes'),
      },
      {
        oneofs: {
          value: oneof(
            'stringValue',
            'boolValue',
            'intValue',
            'doubleValue',
            'arrayValue',
            'kvlistValue',
            'bytesValue',
          ),
        },
      },
    ),
    ArrayValue: message({ values: repeated(1, 'AnyValue') }),
    KeyValueList: message({ values: repeated(1, 'KeyValue') }),
    KeyValue: message({ key: field(1, 'string'), value: field(2, 'AnyValue') }),
    InstrumentationScope: message({
      name: field(1, 'string'),
      version: field(2, 'string'),
      attributes: repeated(3, 'KeyValue'),
      droppedAttributesCount: field(4, 'uint32'),
    }),
    EntityRef: message({
      schemaUrl: field(1, 'string'),
      type: field(2, 'string'),
      idKeys: repeated(3, 'string'),
      descriptionKeys: repeated(4, 'string'),
    }),
  },
};

const resource: protobuf.INamespace = {
  nested: {
    Resource: message({
      attributes: repeated(1, KEY_VALUE),
      droppedAttributesCount: field(2, 'uint32'),
      entityRefs: repeated(3, `${COMMON}.EntityRef`),
    }),
  },
};

const trace: protobuf.INamespace = {
  nested: {
    TracesData: message({ resourceSpans: repeated(1, 'ResourceSpans') }),
    ResourceSpans: message({
      resource: field(1, RESOURCE),
      scopeSpans: repeated(2, 'ScopeSpans'),
      schemaUrl: field(3, 'string'),
    }),
    ScopeSpans: message({
      scope: field(1, SCOPE),
      spans: repeated(2, 'Span'),
      schemaUrl: field(3, 'string'),
    }),
    Span: message(
      {
        traceId: field(1, 'bytes'),
        spanId: field(2, 'bytes'),
        traceState: field(3, 'string'),
        parentSpanId: field(4, 'bytes'),
        flags: field(16, 'fixed32'),
        name: field(5, 'string'),
        kind: field(6, 'SpanKind'),
        startTimeUnixNano: field(7, 'fixed64'),
        endTimeUnixNano: field(8, 'fixed64'),
        attributes: repeated(9, KEY_VALUE),
        droppedAttributesCount: field(10, 'uint32'),
        events: repeated(11, 'Event'),
        droppedEventsCount: field(12, 'uint32'),
        links: repeated(13, 'Link'),
        droppedLinksCount: field(14, 'uint32'),
        status: field(15, 'Status'),
      },
      {
        nested: {
          SpanKind: {
            values: {
              SPAN_KIND_UNSPECIFIED: 0,
              SPAN_KIND_INTERNAL: 1,
              SPAN_KIND_SERVER: 2,
              SPAN_KIND_CLIENT: 3,
              SPAN_KIND_PRODUCER: 4,
              SPAN_KIND_CONSUMER: 5,
            },
          },
          Event: message({
            timeUnixNano: field(1, 'fixed64'),
            name: field(2, 'string'),
            attributes: repeated(3, KEY_VALUE),
            droppedAttributesCount: field(4, 'uint32'),
          }),
          Link: message({
            traceId: field(1, 'bytes'),
            spanId: field(2, 'bytes'),
            traceState: field(3, 'string'),
            attributes: repeated(4, KEY_VALUE),
            droppedAttributesCount: field(5, 'uint32'),
            flags: field(6, 'fixed32'),
          }),
        },
      },
    ),
    Status: message(
      { message: field(2, 'string'), code: field(3, 'StatusCode') },
      {
        nested: { StatusCode: { values: { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } } },
      },
    ),
    SpanFlags: {
      values: {
        SPAN_FLAGS_DO_NOT_USE: 0,
        SPAN_FLAGS_TRACE_FLAGS_MASK: 0xff,
        SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK: 0x100,
        SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK: 0x200,
      },
    },
  },
};

const dataPointCommon = (attributesId: number): Fields => ({
  attributes: repeated(attributesId, KEY_VALUE),
  startTimeUnixNano: field(2, 'fixed64'),
  timeUnixNano: field(3, 'fixed64'),
});

const metrics: protobuf.INamespace = {
  nested: {
    MetricsData: message({ resourceMetrics: repeated(1, 'ResourceMetrics') }),
    ResourceMetrics: message({
      resource: field(1, RESOURCE),
      scopeMetrics: repeated(2, 'ScopeMetrics'),
      schemaUrl: field(3, 'string'),
    }),
    ScopeMetrics: message({
      scope: field(1, SCOPE),
      metrics: repeated(2, 'Metric'),
      schemaUrl: field(3, 'string'),
    }),
    Metric: message(
      {
        name: field(1, 'string'),
        description: field(2, 'string'),
        unit: field(3, 'string'),
        gauge: field(5, 'Gauge'),
        sum: field(7, 'Sum'),
        histogram: field(9, 'Histogram'),
        exponentialHistogram: field(10, 'ExponentialHistogram'),
        summary: field(11, 'Summary'),
        metadata: repeated(12, KEY_VALUE),
      },
      { oneofs: { data: oneof('gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary') } },
    ),
    Gauge: message({ dataPoints: repeated(1, 'NumberDataPoint') }),
    Sum: message({
      dataPoints: repeated(1, 'NumberDataPoint'),
      aggregationTemporality: field(2, 'AggregationTemporality'),
      isMonotonic: field(3, 'bool'),
    }),
    Histogram: message({
      dataPoints: repeated(1, 'HistogramDataPoint'),
      aggregationTemporality: field(2, 'AggregationTemporality'),
    }),
    ExponentialHistogram: message({
      dataPoints: repeated(1, 'ExponentialHistogramDataPoint'),
      aggregationTemporality: field(2, 'AggregationTemporality'),
    }),
    Summary: message({ dataPoints: repeated(1, 'SummaryDataPoint') }),
    AggregationTemporality: {
      values: {
        AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
        AGGREGATION_TEMPORALITY_DELTA: 1,
        AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
      },
    },
    DataPointFlags: {
      values: { DATA_POINT_FLAGS_DO_NOT_USE: 0, DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK: 1 },
    },
    NumberDataPoint: message(
      {
        ...dataPointCommon(7),
        asDouble: field(4, 'double'),
        asInt: field(6, 'sfixed64'),
        exemplars: repeated(5, 'Exemplar'),
        flags: field(8, 'uint32'),
      },
      { oneofs: { value: oneof('asDouble', 'asInt') } },
    ),
    HistogramDataPoint: message({
      ...dataPointCommon(9),
      count: field(4, 'fixed64'),
      sum: optional(5, 'double'),
      bucketCounts: repeated(6, 'fixed64'),
      explicitBounds: repeated(7, 'double'),
      exemplars: repeated(8, 'Exemplar'),
      flags: field(10, 'uint32'),
      min: optional(11, 'double'),
      max: optional(12, 'double'),
    }),
    ExponentialHistogramDataPoint: message(
      {
        ...dataPointCommon(1),
        count: field(4, 'fixed64'),
        sum: optional(5, 'double'),
        scale: field(6, 'sint32'),
        zeroCount: field(7, 'fixed64'),
        positive: field(8, 'Buckets'),
        negative: field(9, 'Buckets'),
        flags: field(10, 'uint32'),
        exemplars: repeated(11, 'Exemplar'),
        min: optional(12, 'double'),
        max: optional(13, 'double'),
        zeroThreshold: field(14, 'double'),
      },
      { nested: { Buckets: message({ offset: field(1, 'sint32'), bucketCounts: repeated(2, 'uint64') }) } },
    ),
    SummaryDataPoint: message(
      {
        ...dataPointCommon(7),
        count: field(4, 'fixed64'),
        sum: field(5, 'double'),
        quantileValues: repeated(6, 'ValueAtQuantile'),
        flags: field(8, 'uint32'),
      },
      { nested: { ValueAtQuantile: message({ quantile: field(1, 'double'), value: field(2, 'double') }) } },
    ),
    Exemplar: message(
      {
        filteredAttributes: repeated(7, KEY_VALUE),
        timeUnixNano: field(2, 'fixed64'),
        asDouble: field(3, 'double'),
        asInt: field(6, 'sfixed64'),
        spanId: field(4, 'bytes'),
        traceId: field(5, 'bytes'),
      },
      { oneofs: { value: oneof('asDouble', 'asInt') } },
    ),
  },
};

const severityNumbers: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((level, i) => {
  for (let n = 1; n <= 4; n++) severityNumbers[`SEVERITY_NUMBER_${level}${n === 1 ? '' : n}`] = i * 4 + n;
});

const logs: protobuf.INamespace = {
  nested: {
    LogsData: message({ resourceLogs: repeated(1, 'ResourceLogs') }),
    ResourceLogs: message({
      resource: field(1, RESOURCE),
      scopeLogs: repeated(2, 'ScopeLogs'),
      schemaUrl: field(3, 'string'),
    }),
    ScopeLogs: message({
      scope: field(1, SCOPE),
      logRecords: repeated(2, 'LogRecord'),
      schemaUrl: field(3, 'string'),
    }),
    SeverityNumber: { values: severityNumbers },
    LogRecordFlags: { values: { LOG_RECORD_FLAGS_DO_NOT_USE: 0, LOG_RECORD_FLAGS_TRACE_FLAGS_MASK: 0xff } },
    LogRecord: message({
      timeUnixNano: field(1, 'fixed64'),
      observedTimeUnixNano: field(11, 'fixed64'),
      severityNumber: field(2, 'SeverityNumber'),
      severityText: field(3, 'string'),
      body: field(5, `${COMMON}.AnyValue`),
      attributes: repeated(6, KEY_VALUE),
      droppedAttributesCount: field(7, 'uint32'),
      flags: field(8, 'fixed32'),
      traceId: field(9, 'bytes'),
      spanId: field(10, 'bytes'),
      eventName: field(12, 'string'),
    }),
  },
};

/** One collector service package: `Export<Signal>ServiceRequest/Response`, the partial success and the service. */
function collectorService(
  signal: 'Trace' | 'Metrics' | 'Logs',
  requestField: string,
  requestType: string,
  rejectedField: string,
): protobuf.INamespace {
  return {
    nested: {
      [`Export${signal}ServiceRequest`]: message({ [requestField]: repeated(1, requestType) }),
      [`Export${signal}ServiceResponse`]: message({
        partialSuccess: field(1, `Export${signal}PartialSuccess`),
      }),
      [`Export${signal}PartialSuccess`]: message({
        [rejectedField]: field(1, 'int64'),
        errorMessage: field(2, 'string'),
      }),
      [`${signal}Service`]: {
        methods: {
          Export: {
            requestType: `Export${signal}ServiceRequest`,
            responseType: `Export${signal}ServiceResponse`,
          },
        },
      },
    },
  };
}

const descriptor: protobuf.INamespace = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: { nested: { v1: common } },
            resource: { nested: { v1: resource } },
            trace: { nested: { v1: trace } },
            metrics: { nested: { v1: metrics } },
            logs: { nested: { v1: logs } },
            collector: {
              nested: {
                trace: {
                  nested: {
                    v1: collectorService(
                      'Trace',
                      'resourceSpans',
                      'opentelemetry.proto.trace.v1.ResourceSpans',
                      'rejectedSpans',
                    ),
                  },
                },
                metrics: {
                  nested: {
                    v1: collectorService(
                      'Metrics',
                      'resourceMetrics',
                      'opentelemetry.proto.metrics.v1.ResourceMetrics',
                      'rejectedDataPoints',
                    ),
                  },
                },
                logs: {
                  nested: {
                    v1: collectorService(
                      'Logs',
                      'resourceLogs',
                      'opentelemetry.proto.logs.v1.ResourceLogs',
                      'rejectedLogRecords',
                    ),
                  },
                },
              },
            },
          },
        },
      },
    },
    // The error model of OTLP/gRPC and the body of OTLP/HTTP 4xx/5xx responses.
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: message({ typeUrl: field(1, 'string'), value: field(2, 'bytes') }),
            Duration: message({ seconds: field(1, 'int64'), nanos: field(2, 'int32') }),
          },
        },
        rpc: {
          nested: {
            Status: message({
              code: field(1, 'int32'),
              message: field(2, 'string'),
              details: repeated(3, 'google.protobuf.Any'),
            }),
            RetryInfo: message({ retryDelay: field(1, 'google.protobuf.Duration') }),
          },
        },
      },
    },
  },
};

export const otlpRoot: protobuf.Root = protobuf.Root.fromJSON(descriptor);
otlpRoot.resolveAll(); // fail at import, not at the first request, if a type reference is wrong

export const otlpTypes = {
  ExportTraceServiceRequest: otlpRoot.lookupType(
    'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  ),
  ExportTraceServiceResponse: otlpRoot.lookupType(
    'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
  ),
  ExportMetricsServiceRequest: otlpRoot.lookupType(
    'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  ),
  ExportMetricsServiceResponse: otlpRoot.lookupType(
    'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
  ),
  ExportLogsServiceRequest: otlpRoot.lookupType(
    'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
  ),
  ExportLogsServiceResponse: otlpRoot.lookupType(
    'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse',
  ),
  TraceService: otlpRoot.lookupService('opentelemetry.proto.collector.trace.v1.TraceService'),
  MetricsService: otlpRoot.lookupService('opentelemetry.proto.collector.metrics.v1.MetricsService'),
  LogsService: otlpRoot.lookupService('opentelemetry.proto.collector.logs.v1.LogsService'),
  Status: otlpRoot.lookupType('google.rpc.Status'),
  RetryInfo: otlpRoot.lookupType('google.rpc.RetryInfo'),
  Any: otlpRoot.lookupType('google.protobuf.Any'),
} as const;
