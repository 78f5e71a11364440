// The intake's own instruments and tracer. Like the helpers of @dss/instrumentation, they are taken
// from the providers in force when first used, never at import time (a meter taken before
// startTelemetry() stays a no-op for good), and are no-ops when telemetry is off.

import {
  METRIC_INTAKE_FILE_DURATION,
  METRIC_INTAKE_FILES,
  METRIC_INTAKE_LAST_READING,
  METRIC_INTAKE_ROWS_QUARANTINED,
  METRIC_INTAKE_ROWS_STORED,
  type MetricConvention,
} from '@dss/instrumentation/conventions';
import {
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  metrics,
  type Tracer,
  trace,
} from '@opentelemetry/api';

export const INTAKE_SCOPE = '@dss/services/intake';

interface Instruments {
  files: Counter;
  rowsStored: Counter;
  rowsQuarantined: Counter;
  fileDuration: Histogram;
  lastReading: Gauge;
}

let cachedFor: unknown;
let cached: Instruments | undefined;

const describe = (c: MetricConvention) => ({ unit: c.unit, description: c.description });

export function intakeInstruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (provider !== cachedFor || !cached) {
    const meter: Meter = provider.getMeter(INTAKE_SCOPE);
    cached = {
      files: meter.createCounter(METRIC_INTAKE_FILES.name, describe(METRIC_INTAKE_FILES)),
      rowsStored: meter.createCounter(METRIC_INTAKE_ROWS_STORED.name, describe(METRIC_INTAKE_ROWS_STORED)),
      rowsQuarantined: meter.createCounter(
        METRIC_INTAKE_ROWS_QUARANTINED.name,
        describe(METRIC_INTAKE_ROWS_QUARANTINED),
      ),
      fileDuration: meter.createHistogram(METRIC_INTAKE_FILE_DURATION.name, {
        ...describe(METRIC_INTAKE_FILE_DURATION),
        advice: { explicitBucketBoundaries: [...METRIC_INTAKE_FILE_DURATION.buckets] },
      }),
      lastReading: meter.createGauge(METRIC_INTAKE_LAST_READING.name, describe(METRIC_INTAKE_LAST_READING)),
    };
    cachedFor = provider;
  }
  return cached;
}

export function intakeTracer(): Tracer {
  return trace.getTracer(INTAKE_SCOPE);
}
