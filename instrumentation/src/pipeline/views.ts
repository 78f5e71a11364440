// Histogram boundaries for the DSS metrics: the SDK's defaults (0 to 10 000) suit milliseconds,
// and our durations are in seconds, from HTTP requests to hours-long optimization runs.
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  METRIC_HTTP_SERVER_DURATION,
  METRIC_JOB_DURATION,
  METRIC_JOB_SCHEDULE_DELAY,
} from '../conventions/metrics.ts';

const histogram = (instrumentName: string, boundaries: readonly number[]): ViewOptions => ({
  instrumentName,
  aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...boundaries] } },
});

export function dssViews(): ViewOptions[] {
  return [
    histogram(METRIC_JOB_DURATION.name, METRIC_JOB_DURATION.buckets),
    histogram(METRIC_JOB_SCHEDULE_DELAY.name, METRIC_JOB_SCHEDULE_DELAY.buckets),
    histogram(METRIC_HTTP_SERVER_DURATION.name, METRIC_HTTP_SERVER_DURATION.buckets),
  ];
}
