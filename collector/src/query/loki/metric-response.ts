// query_range / query answers for metric queries, in Prometheus' format (Loki's API docs; grafana/grafana
// pkg/tsdb/loki/testdata/matrix_*.json, test_non_dataplane/vector_simple.json):
//   matrix  {"resultType":"matrix","result":[{"metric":{...},"values":[[1643021611.1,"3"],...]}]}
//   vector  {"resultType":"vector","result":[{"metric":{...},"value":[1645029699,"23"]}]}
//   scalar  {"resultType":"scalar","result":[1645029699,"2"]}
// Grafana's health check sends vector(1)+vector(1) as an instant query and wants one series whose value
// is 2: lokiConstantJson answers it.
import type { ConstantResult } from '../logql/metric-values.ts';
import { formatSampleValue, sampleTimestamp } from './sample-values.ts';
import { emptyLokiStats, type LokiStats } from './stats.ts';
import { sortedLabels } from './streams-response.ts';

export interface Sample {
  timeMs: number;
  value: number;
}

export interface Series {
  labels: Readonly<Record<string, string>>;
  samples: readonly Sample[];
}

export function lokiMatrixJson(
  series: readonly Series[],
  stats: LokiStats = emptyLokiStats(),
): Record<string, unknown> {
  return success(
    'matrix',
    series.map((s) => ({ metric: sortedLabels(s.labels), values: s.samples.map(pair) })),
    stats,
  );
}

export function lokiVectorJson(
  samples: readonly { labels: Readonly<Record<string, string>>; sample: Sample }[],
  stats: LokiStats = emptyLokiStats(),
): Record<string, unknown> {
  return success(
    'vector',
    samples.map((s) => ({ metric: sortedLabels(s.labels), value: pair(s.sample) })),
    stats,
  );
}

export function lokiScalarJson(sample: Sample, stats: LokiStats = emptyLokiStats()): Record<string, unknown> {
  return success('scalar', pair(sample), stats);
}

/** The answer to a constant query at one instant (query) or at each step of a range (query_range). */
export function lokiConstantJson(
  result: ConstantResult,
  timesMs: readonly number[],
  instant: boolean,
): Record<string, unknown> {
  const samples = timesMs.map((timeMs) => ({ timeMs, value: result.value }));
  const [first] = samples;
  if (instant && first) {
    return result.resultType === 'scalar'
      ? lokiScalarJson(first)
      : lokiVectorJson([{ labels: {}, sample: first }]);
  }
  return lokiMatrixJson([{ labels: {}, samples }]);
}

function pair(sample: Sample): [number, string] {
  return [sampleTimestamp(sample.timeMs), formatSampleValue(sample.value)];
}

function success(resultType: string, result: unknown, stats: LokiStats): Record<string, unknown> {
  return { status: 'success', data: { resultType, result, stats } };
}
