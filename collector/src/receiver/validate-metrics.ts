import {
  DATA_POINT_FLAG_NO_RECORDED_VALUE,
  type DecodedMetrics,
  type ExponentialHistogramDataPoint,
  type HistogramDataPoint,
  type Metric,
  type NumberDataPoint,
  OtlpAggregationTemporality,
  type SummaryDataPoint,
} from './decoded-types.ts';
import { keepValid, type ValidationProblems } from './validation-problems.ts';

/** Drops metrics and data points that cannot be stored (in place). Counts are in data points. */
export function validateMetrics(request: DecodedMetrics, problems: ValidationProblems): void {
  request.resourceMetrics.forEach((rm, r) => {
    rm.scopeMetrics.forEach((sm, s) => {
      sm.metrics = sm.metrics.filter((metric, m) =>
        validateMetric(metric, `resource_metrics[${r}].scope_metrics[${s}].metrics[${m}]`, problems),
      );
    });
  });
}

/** False when the whole metric goes (invalid, or no valid data points). */
function validateMetric(metric: Metric, at: string, problems: ValidationProblems): boolean {
  const where = `${at} ${JSON.stringify(metric.name)}`;
  if (metric.type === 'empty') {
    // Nothing to reject: there are no data points. Say so anyway, it is a sender bug.
    problems.warn(
      where,
      'metric has no data (none of gauge, sum, histogram, exponential_histogram, summary)',
    );
    return false;
  }
  const problem = metricProblem(metric);
  if (problem !== undefined) {
    problems.total += metric.dataPoints.length;
    problems.reject(
      where,
      `${problem} (all ${metric.dataPoints.length} data points rejected)`,
      metric.dataPoints.length,
    );
    return false;
  }
  const pointWhere = (i: number) => `${where}.data_points[${i}]`;
  switch (metric.type) {
    case 'gauge':
    case 'sum':
      metric.dataPoints = keepValid(metric.dataPoints, numberPointProblem, pointWhere, problems);
      break;
    case 'histogram':
      metric.dataPoints = keepValid(metric.dataPoints, histogramPointProblem, pointWhere, problems);
      break;
    case 'exponentialHistogram':
      metric.dataPoints = keepValid(metric.dataPoints, exponentialPointProblem, pointWhere, problems);
      break;
    case 'summary':
      metric.dataPoints = keepValid(metric.dataPoints, summaryPointProblem, pointWhere, problems);
      break;
  }
  return metric.dataPoints.length > 0; // nothing left to store
}

function metricProblem(metric: Exclude<Metric, { type: 'empty' }>): string | undefined {
  if (metric.name === '') return 'metric name is empty';
  if (
    (metric.type === 'sum' || metric.type === 'histogram' || metric.type === 'exponentialHistogram') &&
    metric.aggregationTemporality !== OtlpAggregationTemporality.DELTA &&
    metric.aggregationTemporality !== OtlpAggregationTemporality.CUMULATIVE
  ) {
    return `aggregation_temporality ${metric.aggregationTemporality} is neither DELTA (1) nor CUMULATIVE (2)`;
  }
  return undefined;
}

function timeProblem(point: { timeUnixNano: bigint }): string | undefined {
  return point.timeUnixNano === 0n ? 'time_unix_nano is missing' : undefined;
}

const noRecordedValue = (point: { flags: number }) => (point.flags & DATA_POINT_FLAG_NO_RECORDED_VALUE) !== 0;

function numberPointProblem(point: NumberDataPoint): string | undefined {
  if (point.value === null && !noRecordedValue(point))
    return 'data point has no value (neither as_int nor as_double)';
  return timeProblem(point);
}

function histogramPointProblem(point: HistogramDataPoint): string | undefined {
  const { bucketCounts, explicitBounds } = point;
  if (bucketCounts.length > 0 && bucketCounts.length !== explicitBounds.length + 1) {
    return `bucket_counts has ${bucketCounts.length} entries for ${explicitBounds.length} explicit_bounds (want ${explicitBounds.length + 1})`;
  }
  for (let i = 0; i < explicitBounds.length; i++) {
    const bound = explicitBounds[i] as number;
    if (Number.isNaN(bound) || (i > 0 && !(bound > (explicitBounds[i - 1] as number)))) {
      return 'explicit_bounds must be strictly increasing';
    }
  }
  return timeProblem(point);
}

function exponentialPointProblem(point: ExponentialHistogramDataPoint): string | undefined {
  // The range the data model allows: beyond it bucket boundaries stop being representable.
  if (point.scale < -10 || point.scale > 20) return `scale ${point.scale} is outside [-10, 20]`;
  return timeProblem(point);
}

function summaryPointProblem(point: SummaryDataPoint): string | undefined {
  if (point.quantileValues.some((q) => !(q.quantile >= 0 && q.quantile <= 1))) {
    return 'quantile_values: quantiles must be between 0 and 1';
  }
  return timeProblem(point);
}
