// Metric queries over logs: `count_over_time`, `rate`, `bytes_over_time`, `bytes_rate` of a log query,
// under `sum [by|without (...)]`, evaluated at each step t over the window (t - range, t], as Loki does. A
// series has a sample at t only when its window holds at least one line. Every function here is a sum
// over lines, so lines are grouped straight into their final series and each window is summed once.
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import type { RangeAggregation, VectorAggregation } from '../../query/logql/index.ts';
import { groupLabels, rangeFunctionValue } from '../../query/logql/index.ts';
import type { Series } from '../../query/loki/index.ts';
import { BadRequestError } from '../bad-request.ts';
import { MAX_SCANNED_RECORDS, selectLogLines } from './select-log-lines.ts';

export interface MetricEvaluation {
  /** Evaluation times, milliseconds since the epoch, ascending. */
  timesMs: readonly number[];
  tenant: TenantScope;
}

interface SeriesLines {
  labels: Record<string, string>;
  timesNs: bigint[];
  bytes: number[];
}

export function evaluateMetricQuery(
  db: Database.Database,
  expr: RangeAggregation | VectorAggregation,
  evaluation: MetricEvaluation,
): Series[] {
  const { range, groupings } = unwrap(expr);
  const first = evaluation.timesMs[0];
  const last = evaluation.timesMs.at(-1);
  if (first === undefined || last === undefined) return [];
  const rangeNs = BigInt(Math.round(range.rangeMs * 1e6));
  const selected = selectLogLines(db, range.query, {
    // The windows (t - range, t] of the first to the last step.
    startNs: BigInt(first) * 1_000_000n - rangeNs + 1n,
    endNs: BigInt(last) * 1_000_000n + 1n,
    tenant: evaluation.tenant,
    direction: 'forward',
  });

  const series = new Map<string, SeriesLines>();
  for (const line of selected.lines) {
    let labels: Record<string, string> = { ...line.streamLabels, ...line.structuredMetadata, ...line.parsed };
    for (const grouping of groupings) labels = groupLabels(grouping, labels);
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let entry = series.get(key);
    if (!entry) {
      entry = { labels, timesNs: [], bytes: [] };
      series.set(key, entry);
    }
    entry.timesNs.push(line.timestampNanos);
    entry.bytes.push(Buffer.byteLength(line.line));
  }
  if (selected.scanned() >= MAX_SCANNED_RECORDS) {
    throw new BadRequestError(
      `the query reads more than ${MAX_SCANNED_RECORDS} log records: narrow the time range or the stream selector`,
    );
  }

  return [...series.values()].map((entry) => ({
    labels: entry.labels,
    samples: windows(entry, evaluation.timesMs, rangeNs).map(({ timeMs, count, bytes }) => ({
      timeMs,
      value: rangeFunctionValue(range.fn, { count, bytes }, range.rangeMs),
    })),
  }));
}

/** Slides (t - range, t] over the series' lines (in time order) with two indexes. */
function windows(entry: SeriesLines, timesMs: readonly number[], rangeNs: bigint) {
  const out: { timeMs: number; count: number; bytes: number }[] = [];
  let from = 0;
  let to = 0;
  let bytes = 0;
  for (const timeMs of timesMs) {
    const endNs = BigInt(timeMs) * 1_000_000n;
    const startNs = endNs - rangeNs;
    while (to < entry.timesNs.length && (entry.timesNs[to] as bigint) <= endNs)
      bytes += entry.bytes[to++] as number;
    while (from < to && (entry.timesNs[from] as bigint) <= startNs) bytes -= entry.bytes[from++] as number;
    if (to > from) out.push({ timeMs, count: to - from, bytes });
  }
  return out;
}

/** The range aggregation inside, and the groupings around it from the innermost out. */
function unwrap(expr: RangeAggregation | VectorAggregation) {
  const groupings: (VectorAggregation['grouping'] | null)[] = [];
  let current: RangeAggregation | VectorAggregation = expr;
  while (current.type === 'vectorAggregation') {
    groupings.unshift(current.grouping);
    current = current.expr;
  }
  return { range: current, groupings };
}
