// The OTLP receiver: gRPC and HTTP servers, the decoder and the sink interface they hand data to.

export {
  ALL_TENANTS,
  type AuthConfig,
  AuthError,
  isLoopback,
  parseTokenList,
  type TokenGrant,
} from '../auth/tokens.ts';
export {
  anyValueToPlain,
  anyValueToString,
  attributesToObject,
  findAttribute,
  type PlainValue,
} from './attributes.ts';
export {
  decodeExportRequest,
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  type OtlpEncoding,
} from './decode.ts';
export * from './decoded-types.ts';
export { enforceTenant } from './enforce-tenant.ts';
export { OtlpDecodeError } from './errors.ts';
export {
  countRecords,
  flattenLogRecords,
  flattenMetrics,
  flattenSpans,
  type LogRecordInContext,
  type MetricInContext,
  type RecordContext,
  type SpanInContext,
} from './flatten.ts';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  type OtlpGrpcReceiverOptions,
  startOtlpGrpcReceiver,
} from './grpc-server.ts';
export {
  DEFAULT_MAX_BODY_BYTES,
  type OtlpHttpReceiverOptions,
  startOtlpHttpReceiver,
} from './http-server.ts';
export { InMemorySink, type InMemorySinkCounts, type InMemorySinkOptions } from './in-memory-sink.ts';
export { otlpRoot, otlpTypes } from './otlp-schema.ts';
export type { RunningReceiver } from './running-receiver.ts';
export { type OtlpSink, type SinkContext, SinkOverloadedError, type SinkResult } from './sink.ts';
export { type ValidationOutcome, validateExport } from './validate.ts';
