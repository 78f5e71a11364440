// Encodes what the receiver answers: Export*ServiceResponse on success (with partial_success when
// something was rejected) and google.rpc.Status on failure, in protobuf or OTLP/JSON.
import protojson from 'protobufjs/ext/protojson.js';
import type { OtlpEncoding } from './decode.ts';
import type { OtlpSignal } from './decoded-types.ts';
import type { ExportOutcome } from './handle-export.ts';
import { otlpTypes } from './otlp-schema.ts';
import { SIGNALS } from './signals.ts';

/** gRPC status codes the receiver uses (also put in the `code` of HTTP error bodies). */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** What clients are told when the sink fails unexpectedly (details go to the receiver's onError). */
export const SINK_FAILURE_MESSAGE = 'internal error: the collector could not store the data';

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

export function encodeExportResponse(
  signal: OtlpSignal,
  outcome: ExportOutcome,
  encoding: OtlpEncoding,
): Uint8Array {
  const { responseType, rejectedField } = SIGNALS[signal];
  // The spec wants partial_success left unset on full success.
  const response =
    outcome.rejected === 0 && outcome.message === ''
      ? {}
      : { partialSuccess: { [rejectedField]: outcome.rejected, errorMessage: outcome.message } };
  return encode(responseType, response, encoding);
}

export function encodeStatus(code: number, message: string, encoding: OtlpEncoding): Uint8Array {
  return encode(otlpTypes.Status, { code, message }, encoding);
}

/** A google.rpc.Status carrying RetryInfo, for the `grpc-status-details-bin` trailer. */
export function encodeStatusWithRetryInfo(
  code: number,
  message: string,
  retryAfterSeconds: number,
): Uint8Array {
  const retryInfo = otlpTypes.RetryInfo.encode(
    otlpTypes.RetryInfo.fromObject({ retryDelay: { seconds: retryAfterSeconds, nanos: 0 } }),
  ).finish();
  const status = otlpTypes.Status.fromObject({
    code,
    message,
    details: [{ typeUrl: RETRY_INFO_TYPE_URL, value: retryInfo }],
  });
  return otlpTypes.Status.encode(status).finish();
}

function encode(
  type: typeof otlpTypes.Status,
  value: Record<string, unknown>,
  encoding: OtlpEncoding,
): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify(protojson.toJson(type, value)));
  return type.encode(type.fromObject(value)).finish();
}
