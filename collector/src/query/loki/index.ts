export { LOKI_COMPATIBLE_VERSION, type LokiBuildInfo, lokiBuildInfoJson } from './buildinfo.ts';
export { lokiLabelsJson, lokiSeriesJson } from './labels-response.ts';
export {
  lokiConstantJson,
  lokiMatrixJson,
  lokiScalarJson,
  lokiVectorJson,
  type Sample,
  type Series,
} from './metric-response.ts';
export { formatSampleValue, sampleTimestamp } from './sample-values.ts';
export { emptyLokiStats, type LokiStats } from './stats.ts';
export { type LogLine, lokiStreamsJson, type StreamsOptions, sortedLabels } from './streams-response.ts';
