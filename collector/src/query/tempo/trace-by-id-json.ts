// The JSON bodies of trace by id, following Tempo (checked against grafana/tempo's sources and docs):
// - GET /api/traces/<id> (v1): `{"batches": [ResourceSpans...]}`. Tempo renamed the proto field to
//   resourceSpans but kept "batches" in this JSON for compatibility (grafana/tempo#3895; the example in
//   docs/sources/tempo/api_docs/pushing-spans-with-http.md shows it, with base64 ids).
// - GET /api/v2/traces/<id> (v2): tempopb.TraceByIDResponse through jsonpb:
//   `{"trace": {"resourceSpans": [...]}, "status": "PARTIAL", "message": "..."}`, where status and message
//   are left out for a complete trace (COMPLETE is the enum's zero value).
// Grafana itself asks for protobuf (see trace-by-id-protobuf.ts); the JSON is for other clients and people.
import type { ResourceSpans } from '../../receiver/decoded-types.ts';
import { type OtlpJsonOptions, resourceSpansJson } from './otlp-json.ts';

export interface TraceByIdStatus {
  /** A partial trace (Tempo: larger than its size limit); COMPLETE when absent. */
  partial?: boolean;
  message?: string;
}

export function traceByIdV1Json(
  resourceSpans: readonly ResourceSpans[],
  options: OtlpJsonOptions = {},
): { batches: unknown[] } {
  return { batches: resourceSpansJson(resourceSpans, options) };
}

export function traceByIdV2Json(
  resourceSpans: readonly ResourceSpans[],
  status: TraceByIdStatus = {},
  options: OtlpJsonOptions = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    trace: { resourceSpans: resourceSpansJson(resourceSpans, options) },
  };
  if (status.partial) body.status = 'PARTIAL';
  if (status.message) body.message = status.message;
  return body;
}
