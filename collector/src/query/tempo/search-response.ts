// GET /api/search: tempopb.SearchResponse through jsonpb, as in the examples of grafana/tempo
// docs/sources/tempo/api_docs (_index.md "Example of TraceQL search", pushing-spans-with-http.md):
//
//   {"traces":[{"traceID":"2f3e...","rootServiceName":"shop-backend","rootTraceName":"update-billing",
//     "startTimeUnixNano":"1684778327699392724","durationMs":557,
//     "spanSet":{...},"spanSets":[{"spans":[{"spanID":"563d...","name":"...",
//       "startTimeUnixNano":"1684778327735077898","durationNanos":"446979497",
//       "attributes":[{"key":"status","value":{"stringValue":"error"}}]}],"matched":1}]}],
//    "metrics":{"inspectedBytes":"292781","completedJobs":1,"totalJobs":1}}
//
// Ids are hex here (they are strings in the proto), uint64s are strings, zero values are left out
// (jsonpb), and `spanSet` repeats the first spanset: Tempo still fills that deprecated field and older
// Grafana versions read it. Grafana's backend (pkg/tsdb/tempo/search.go) expects startTimeUnixNano and
// durationNanos as strings.
import type { KeyValue } from '../../receiver/decoded-types.ts';
import { keyValuesJson } from './otlp-json.ts';

export interface SearchSpan {
  spanId: string;
  name: string;
  startTimeUnixNano: bigint;
  durationNanos: bigint;
  /** Attributes shown with the span: the ones the query matched on and select(...) asked for. */
  attributes: readonly KeyValue[];
}

export interface SearchSpanSet {
  spans: readonly SearchSpan[];
  /** How many spans matched, which may exceed spans.length (spss limits the spans returned). */
  matched: number;
  attributes?: readonly KeyValue[];
}

export interface SearchTrace {
  traceId: string;
  rootServiceName: string;
  rootTraceName: string;
  startTimeUnixNano: bigint;
  durationMs: number;
  spanSets: readonly SearchSpanSet[];
}

export interface SearchMetrics {
  inspectedTraces?: number;
  inspectedBytes?: bigint;
  totalBlocks?: number;
  completedJobs?: number;
  totalJobs?: number;
  totalBlockBytes?: bigint;
}

export function searchResponseJson(
  traces: readonly SearchTrace[],
  metrics: SearchMetrics = {},
): Record<string, unknown> {
  return {
    traces: traces.map(traceJson),
    metrics: compact({
      inspectedTraces: metrics.inspectedTraces,
      inspectedBytes: uint64(metrics.inspectedBytes),
      totalBlocks: metrics.totalBlocks,
      completedJobs: metrics.completedJobs,
      totalJobs: metrics.totalJobs,
      totalBlockBytes: uint64(metrics.totalBlockBytes),
    }),
  };
}

function traceJson(trace: SearchTrace): Record<string, unknown> {
  const spanSets = trace.spanSets.map(spanSetJson);
  return compact({
    traceID: trace.traceId,
    rootServiceName: trace.rootServiceName,
    rootTraceName: trace.rootTraceName,
    startTimeUnixNano: uint64(trace.startTimeUnixNano),
    durationMs: Math.round(trace.durationMs),
    spanSet: spanSets[0],
    spanSets,
  });
}

function spanSetJson(spanSet: SearchSpanSet): Record<string, unknown> {
  return compact({
    spans: spanSet.spans.map((span) =>
      compact({
        spanID: span.spanId,
        name: span.name,
        startTimeUnixNano: uint64(span.startTimeUnixNano),
        durationNanos: uint64(span.durationNanos),
        attributes: keyValuesJson(span.attributes),
      }),
    ),
    matched: spanSet.matched,
    attributes: keyValuesJson(spanSet.attributes ?? []),
  });
}

function uint64(value: bigint | undefined): string | undefined {
  return value === undefined || value === 0n ? undefined : value.toString();
}

function compact(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === '' || value === 0) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}
