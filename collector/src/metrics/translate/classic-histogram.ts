// The series of a classic Prometheus histogram: `_sum` (when the point has a sum), `_count`, and one
// `_bucket` per bound with the cumulative count, then `le="+Inf"` with the count. `le` is written as
// Prometheus's OTLP receiver writes it: Go's FormatFloat(bound, 'f', -1), so "0.005", "1", "2.5".

import { formatGoFloat } from '../float-format.ts';
import type { Labels } from '../model.ts';
import type { MetricContext } from './metric-context.ts';
import { seriesLabels } from './series-labels.ts';

export interface ClassicHistogram {
  /** Finite upper bounds, increasing. */
  bounds: readonly number[];
  /** Observations ≤ each bound (ignored for staleness markers). */
  cumulative: readonly number[];
  count: number;
  sum: number | null;
}

export function writeClassicHistogram(
  context: MetricContext,
  base: Labels,
  timestampMs: number,
  histogram: ClassicHistogram,
  stale: boolean,
): void {
  const { name } = context;
  const value = (v: number) => (stale ? Number.NaN : v);
  if (histogram.sum !== null)
    context.write(seriesLabels(base, `${name}_sum`), timestampMs, value(histogram.sum), stale);
  context.write(seriesLabels(base, `${name}_count`), timestampMs, value(histogram.count), stale);
  const buckets = stale
    ? histogram.bounds.length
    : Math.min(histogram.bounds.length, histogram.cumulative.length);
  for (let i = 0; i < buckets; i++) {
    const bound = histogram.bounds[i] as number;
    // An explicit +Inf bound would repeat the +Inf bucket below.
    if (bound === Number.POSITIVE_INFINITY) continue;
    const labels = seriesLabels(base, `${name}_bucket`, 'le', formatGoFloat(bound));
    context.write(labels, timestampMs, value(histogram.cumulative[i] ?? 0), stale);
  }
  context.write(
    seriesLabels(base, `${name}_bucket`, 'le', '+Inf'),
    timestampMs,
    value(histogram.count),
    stale,
  );
}

/** Per-bucket counts (bounds + 1 of them, or none) as cumulative counts for each bound. */
export function cumulativeCounts(bounds: readonly number[], counts: readonly number[]): number[] {
  const cumulative: number[] = [];
  let running = 0;
  for (let i = 0; i < bounds.length && i < counts.length; i++) {
    running += counts[i] as number;
    cumulative.push(running);
  }
  return cumulative;
}
