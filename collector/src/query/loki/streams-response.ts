// query_range / query answers for log queries: resultType "streams". The shape follows Loki's API docs and
// the responses Grafana's Loki data source is tested with (grafana/grafana pkg/tsdb/loki/testdata/
// streams_simple.json, testdata_dataplane/streams_structured_metadata_2.json):
//
//   {"status":"success","data":{"resultType":"streams",
//     "result":[{"stream":{"code":"one","location":"moon"},"values":[["1645030244810757120","log line"]]}],
//     "stats":{...}}}
//
// With the request header X-Loki-Response-Encoding-Flags: categorize-labels (sent by recent Grafana
// versions), `stream` holds only the stream's own labels, each value gets a third element
// {"structuredMetadata":{...},"parsed":{...}} and data gets "encodingFlags":["categorize-labels"]. Without it
// Loki merges structured metadata and parsed labels into the stream labels, which splits streams.
import { emptyLokiStats, type LokiStats } from './stats.ts';

export interface LogLine {
  timestampNanos: bigint;
  line: string;
  /** The stream's own (indexed) labels. */
  streamLabels: Readonly<Record<string, string>>;
  /** Labels stored with the line: trace_id, span_id, log attributes... */
  structuredMetadata?: Readonly<Record<string, string>>;
  /** Labels extracted by parsers (| json, | logfmt) and set by the pipeline (__error__). */
  parsed?: Readonly<Record<string, string>>;
}

export interface StreamsOptions {
  /** Answer in the categorize-labels encoding. */
  categorizeLabels?: boolean;
  stats?: LokiStats;
}

type Value = [string, string] | [string, string, Record<string, Record<string, string>>];

/** Groups lines into streams (in the order lines are given, which should already be the query's direction). */
export function lokiStreamsJson(
  lines: readonly LogLine[],
  options: StreamsOptions = {},
): Record<string, unknown> {
  const streams = new Map<string, { stream: Record<string, string>; values: Value[] }>();
  for (const line of lines) {
    const labels = options.categorizeLabels
      ? sortedLabels(line.streamLabels)
      : sortedLabels({ ...line.streamLabels, ...line.structuredMetadata, ...line.parsed });
    const key = JSON.stringify(labels);
    let stream = streams.get(key);
    if (!stream) {
      stream = { stream: labels, values: [] };
      streams.set(key, stream);
    }
    const timestamp = line.timestampNanos.toString();
    stream.values.push(
      options.categorizeLabels ? [timestamp, line.line, categories(line)] : [timestamp, line.line],
    );
  }
  const data: Record<string, unknown> = {};
  if (options.categorizeLabels) data.encodingFlags = ['categorize-labels'];
  data.resultType = 'streams';
  data.result = [...streams.values()];
  data.stats = options.stats ?? emptyLokiStats();
  return { status: 'success', data };
}

function categories(line: LogLine): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  if (line.structuredMetadata && Object.keys(line.structuredMetadata).length > 0) {
    out.structuredMetadata = sortedLabels(line.structuredMetadata);
  }
  if (line.parsed && Object.keys(line.parsed).length > 0) out.parsed = sortedLabels(line.parsed);
  return out;
}

export function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) out[name] = labels[name] as string;
  return out;
}
