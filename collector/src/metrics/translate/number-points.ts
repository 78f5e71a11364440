// Gauge and sum data points: one series each. Cumulative sums pass as they are (a start time after the
// previous point is a reset, which PromQL's rate() handles); delta sums become their running total.
import {
  type GaugeMetric,
  OtlpAggregationTemporality,
  type SumMetric,
} from '../../receiver/decoded-types.ts';
import {
  type MetricContext,
  noRecordedValue,
  pointTimeMs,
  REJECT_NO_TIME,
  REJECT_NOT_LATER,
  stateKey,
} from './metric-context.ts';
import { pointLabels, seriesLabels } from './series-labels.ts';

export function writeNumberPoints(metric: GaugeMetric | SumMetric, context: MetricContext): void {
  const delta = metric.type === 'sum' && metric.aggregationTemporality === OtlpAggregationTemporality.DELTA;
  for (const point of metric.dataPoints) {
    const timestampMs = pointTimeMs(point.timeUnixNano);
    if (timestampMs === undefined) {
      context.reject(1, REJECT_NO_TIME);
      continue;
    }
    const base = pointLabels(point.attributes, context.resource, context.scope);
    const labels = seriesLabels(base, context.name);
    if (noRecordedValue(point.flags)) {
      context.write(labels, timestampMs, Number.NaN, true);
      continue;
    }
    if (point.value === null) {
      context.reject(1, 'data point has no value');
      continue;
    }
    let value = Number(point.value);
    if (delta) {
      const total = context.state.addSum(stateKey(context, base), point.timeUnixNano, value);
      if (total === undefined) {
        context.reject(1, REJECT_NOT_LATER);
        continue;
      }
      value = total;
    }
    context.write(labels, timestampMs, value, false);
  }
}
