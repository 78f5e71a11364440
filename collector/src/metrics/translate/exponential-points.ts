// Exponential histogram points as classic histograms (see exponential-histogram.ts for why and how); delta
// ones are added up in exponential form first, then converted.
import { type ExponentialHistogramMetric, OtlpAggregationTemporality } from '../../receiver/decoded-types.ts';
import { writeClassicHistogram } from './classic-histogram.ts';
import { type ExponentialHistogram, toClassicBuckets } from './exponential-histogram.ts';
import {
  type MetricContext,
  noRecordedValue,
  pointTimeMs,
  REJECT_NO_TIME,
  REJECT_NOT_LATER,
  stateKey,
} from './metric-context.ts';
import { pointLabels } from './series-labels.ts';

export function writeExponentialPoints(metric: ExponentialHistogramMetric, context: MetricContext): void {
  const delta = metric.aggregationTemporality === OtlpAggregationTemporality.DELTA;
  for (const point of metric.dataPoints) {
    const timestampMs = pointTimeMs(point.timeUnixNano);
    if (timestampMs === undefined) {
      context.reject(1, REJECT_NO_TIME);
      continue;
    }
    const base = pointLabels(point.attributes, context.resource, context.scope);
    let histogram: ExponentialHistogram = {
      scale: point.scale,
      zeroCount: point.zeroCount,
      zeroThreshold: point.zeroThreshold,
      positive: point.positive,
      negative: point.negative,
      count: point.count,
      sum: point.sum,
    };
    const stale = noRecordedValue(point.flags);
    if (delta && !stale) {
      const total = context.state.addExponential(stateKey(context, base), point.timeUnixNano, histogram);
      if (total === undefined) {
        context.reject(1, REJECT_NOT_LATER);
        continue;
      }
      histogram = total;
    }
    const { bounds, cumulative } = toClassicBuckets(histogram, context.maxExponentialBuckets);
    const classic = { bounds, cumulative, count: histogram.count, sum: histogram.sum };
    writeClassicHistogram(context, base, timestampMs, classic, stale);
  }
}
