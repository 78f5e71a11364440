// The workers' own instruments (the job run metrics themselves come from trackJob). Taken from the
// meter provider in force when first used, never at import time.
import {
  METRIC_JOB_QUEUE_DEPTH,
  METRIC_JOB_SCHEDULE_PERIOD,
  METRIC_JOB_SKIPPED,
  type MetricConvention,
} from '@dss/instrumentation/conventions';
import { type Counter, type Gauge, metrics } from '@opentelemetry/api';

export const WORKERS_SCOPE = '@dss/services/workers';

interface Instruments {
  schedulePeriod: Gauge;
  skipped: Counter;
  queueDepth: Gauge;
}

let cachedFor: unknown;
let cached: Instruments | undefined;
const describe = (c: MetricConvention) => ({ unit: c.unit, description: c.description });

export function workersInstruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (provider !== cachedFor || !cached) {
    const meter = provider.getMeter(WORKERS_SCOPE);
    cached = {
      schedulePeriod: meter.createGauge(
        METRIC_JOB_SCHEDULE_PERIOD.name,
        describe(METRIC_JOB_SCHEDULE_PERIOD),
      ),
      skipped: meter.createCounter(METRIC_JOB_SKIPPED.name, describe(METRIC_JOB_SKIPPED)),
      queueDepth: meter.createGauge(METRIC_JOB_QUEUE_DEPTH.name, describe(METRIC_JOB_QUEUE_DEPTH)),
    };
    cachedFor = provider;
  }
  return cached;
}
