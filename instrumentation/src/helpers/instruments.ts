// Instruments of the DSS conventions, created on first use from the meter provider in force then.
// (A meter taken before startTelemetry() is a no-op for good in the OTel API, so nothing here may
// be created at import time.)
import { type Meter, metrics, type Tracer, trace } from '@opentelemetry/api';
import type { MetricConvention } from '../conventions/entry.ts';
import { INSTRUMENTATION_SCOPE } from '../scope.ts';

let cachedFor: unknown;
let cache = new Map<string, unknown>();

function meter(): Meter {
  const provider = metrics.getMeterProvider();
  if (provider !== cachedFor) {
    cachedFor = provider;
    cache = new Map();
  }
  return provider.getMeter(INSTRUMENTATION_SCOPE);
}

function instrument<T>(convention: MetricConvention, create: (m: Meter) => T): T {
  const m = meter();
  let found = cache.get(convention.name) as T | undefined;
  if (found === undefined) {
    found = create(m);
    cache.set(convention.name, found);
  }
  return found;
}

const describe = (c: MetricConvention) => ({ unit: c.unit, description: c.description });

export const gauge = (c: MetricConvention) => instrument(c, (m) => m.createGauge(c.name, describe(c)));
export const counter = (c: MetricConvention) => instrument(c, (m) => m.createCounter(c.name, describe(c)));
export const histogram = (c: MetricConvention) =>
  instrument(c, (m) =>
    m.createHistogram(c.name, {
      ...describe(c),
      ...(c.buckets ? { advice: { explicitBucketBoundaries: [...c.buckets] } } : {}),
    }),
  );

export function tracer(): Tracer {
  return trace.getTracer(INSTRUMENTATION_SCOPE);
}
