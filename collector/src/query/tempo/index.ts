export { type BuildInfo, TEMPO_COMPATIBLE_VERSION, tempoBuildInfoJson } from './buildinfo.ts';
export {
  anyValueJson,
  type IdEncoding,
  keyValuesJson,
  type OtlpJsonOptions,
  resourceSpansJson,
  spanJson,
} from './otlp-json.ts';
export {
  type SearchMetrics,
  type SearchSpan,
  type SearchSpanSet,
  type SearchTrace,
  searchResponseJson,
} from './search-response.ts';
export {
  intrinsicTagValues,
  searchTagsV1Json,
  searchTagsV2Json,
  searchTagValuesV1Json,
  searchTagValuesV2Json,
  type TagScopeName,
  type TagScopes,
  type TagValue,
  tagValueOf,
} from './tags-response.ts';
export { tempoRoot, tempoTypes } from './tempo-schema.ts';
export { type TraceByIdStatus, traceByIdV1Json, traceByIdV2Json } from './trace-by-id-json.ts';
export { encodeTrace, encodeTraceByIdResponse, type TraceByIdMetrics } from './trace-by-id-protobuf.ts';
