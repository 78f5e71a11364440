// Decodes Export{Trace,Metrics,Logs}ServiceRequest bodies, protobuf or OTLP/JSON, into the normalised
// shape of decoded-types.ts. Both encodings go through the same protobufjs message shape first, so
// they normalise identically.
import type {
  DecodedExport,
  DecodedLogs,
  DecodedMetrics,
  DecodedTraces,
  OtlpSignal,
} from './decoded-types.ts';
import { OtlpDecodeError } from './errors.ts';
import { normalizeLogs } from './normalize-logs.ts';
import { normalizeMetrics } from './normalize-metrics.ts';
import { normalizeTraces } from './normalize-traces.ts';
import { parseOtlpJson } from './otlp-json.ts';
import { SIGNALS } from './signals.ts';
import type { WireLogsRequest, WireMetricsRequest, WireTraceRequest } from './wire-types.ts';

export type OtlpEncoding = 'protobuf' | 'json';

/**
 * Decodes an export request body. `json` bodies may be given as bytes (UTF-8) or as a string.
 * Throws OtlpDecodeError when the body is not a well-formed request of that signal.
 */
export function decodeExportRequest(
  signal: OtlpSignal,
  body: Uint8Array | string,
  encoding: OtlpEncoding,
): DecodedExport {
  const message = encoding === 'json' ? parseOtlpJson(signal, jsonText(body)) : decodeProtobuf(signal, body);
  switch (signal) {
    case 'traces':
      return normalizeTraces(message as WireTraceRequest);
    case 'metrics':
      return normalizeMetrics(message as WireMetricsRequest);
    case 'logs':
      return normalizeLogs(message as WireLogsRequest);
  }
}

export const decodeTraces = (body: Uint8Array | string, encoding: OtlpEncoding) =>
  decodeExportRequest('traces', body, encoding) as DecodedTraces;
export const decodeMetrics = (body: Uint8Array | string, encoding: OtlpEncoding) =>
  decodeExportRequest('metrics', body, encoding) as DecodedMetrics;
export const decodeLogs = (body: Uint8Array | string, encoding: OtlpEncoding) =>
  decodeExportRequest('logs', body, encoding) as DecodedLogs;

function decodeProtobuf(signal: OtlpSignal, body: Uint8Array | string): unknown {
  if (typeof body === 'string') throw new TypeError('protobuf bodies must be bytes');
  try {
    return SIGNALS[signal].requestType.decode(body);
  } catch (error) {
    throw new OtlpDecodeError(`invalid protobuf: ${(error as Error).message}`);
  }
}

function jsonText(body: Uint8Array | string): string {
  if (typeof body === 'string') return body;
  try {
    // fatal: invalid UTF-8 is a malformed body, not something to paper over with U+FFFD.
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new OtlpDecodeError('invalid JSON: the body is not valid UTF-8');
  }
}
