// Explicit-bound histogram points as classic histograms; delta ones as their running totals.
import { type HistogramMetric, OtlpAggregationTemporality } from '../../receiver/decoded-types.ts';
import { cumulativeCounts, writeClassicHistogram } from './classic-histogram.ts';
import {
  type MetricContext,
  noRecordedValue,
  pointTimeMs,
  REJECT_NO_TIME,
  REJECT_NOT_LATER,
  stateKey,
} from './metric-context.ts';
import { pointLabels } from './series-labels.ts';
import type { AccumulatedHistogram } from './translation-state.ts';

export function writeHistogramPoints(metric: HistogramMetric, context: MetricContext): void {
  const delta = metric.aggregationTemporality === OtlpAggregationTemporality.DELTA;
  for (const point of metric.dataPoints) {
    const timestampMs = pointTimeMs(point.timeUnixNano);
    if (timestampMs === undefined) {
      context.reject(1, REJECT_NO_TIME);
      continue;
    }
    const base = pointLabels(point.attributes, context.resource, context.scope);
    let histogram: AccumulatedHistogram = {
      bounds: point.explicitBounds,
      counts: point.bucketCounts,
      count: point.count,
      sum: point.sum,
    };
    const stale = noRecordedValue(point.flags);
    if (delta && !stale) {
      const total = context.state.addHistogram(stateKey(context, base), point.timeUnixNano, histogram);
      if (total === undefined) {
        context.reject(1, REJECT_NOT_LATER);
        continue;
      }
      histogram = total;
    }
    const classic = {
      bounds: histogram.bounds,
      cumulative: cumulativeCounts(histogram.bounds, histogram.counts),
      count: histogram.count,
      sum: histogram.sum,
    };
    writeClassicHistogram(context, base, timestampMs, classic, stale);
  }
}
