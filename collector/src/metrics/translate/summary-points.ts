// Summary points: `_sum`, `_count` and one series per quantile, `quantile` written like `le` (Go's
// FormatFloat(q, 'f', -1): "0.5", "0.99", "1").
import type { SummaryMetric } from '../../receiver/decoded-types.ts';
import { formatGoFloat } from '../float-format.ts';
import { type MetricContext, noRecordedValue, pointTimeMs, REJECT_NO_TIME } from './metric-context.ts';
import { pointLabels, seriesLabels } from './series-labels.ts';

export function writeSummaryPoints(metric: SummaryMetric, context: MetricContext): void {
  const { name } = context;
  for (const point of metric.dataPoints) {
    const timestampMs = pointTimeMs(point.timeUnixNano);
    if (timestampMs === undefined) {
      context.reject(1, REJECT_NO_TIME);
      continue;
    }
    const base = pointLabels(point.attributes, context.resource, context.scope);
    const stale = noRecordedValue(point.flags);
    const value = (v: number) => (stale ? Number.NaN : v);
    context.write(seriesLabels(base, `${name}_sum`), timestampMs, value(point.sum), stale);
    context.write(seriesLabels(base, `${name}_count`), timestampMs, value(point.count), stale);
    for (const { quantile, value: quantileValue } of point.quantileValues) {
      const labels = seriesLabels(base, name, 'quantile', formatGoFloat(quantile));
      context.write(labels, timestampMs, value(quantileValue), stale);
    }
  }
}
