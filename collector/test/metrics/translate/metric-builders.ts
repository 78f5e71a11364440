// Decoded OTLP metrics requests built by hand, for the translation tests.
import type {
  DecodedMetrics,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  KeyValue,
  Metric,
  NumberDataPoint,
  SummaryDataPoint,
} from '../../../src/receiver/decoded-types.ts';
import { attrs, str } from '../../support/telemetry-builders.ts';

export { attrs, str };

/** 2023-11-14T22:13:20Z, in ns; `T0 + s(n)` is n seconds later. */
export const T0 = 1_700_000_000_000_000_000n;
export const T0_MS = 1_700_000_000_000;
export const s = (seconds: number) => BigInt(seconds) * 1_000_000_000n;

export const labels = (record: Record<string, string>): KeyValue[] =>
  Object.entries(record).map(([key, value]) => ({ key, value: str(value) }));

export function numberPoint(
  value: number | bigint | null,
  overrides: Partial<NumberDataPoint> = {},
): NumberDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: T0 - s(60),
    timeUnixNano: T0,
    flags: 0,
    value,
    exemplars: [],
    ...overrides,
  };
}

export function histogramPoint(overrides: Partial<HistogramDataPoint> = {}): HistogramDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: T0 - s(60),
    timeUnixNano: T0,
    flags: 0,
    count: 6,
    sum: 12.5,
    bucketCounts: [1, 2, 3],
    explicitBounds: [1, 5],
    min: null,
    max: null,
    exemplars: [],
    ...overrides,
  };
}

export function exponentialPoint(
  overrides: Partial<ExponentialHistogramDataPoint> = {},
): ExponentialHistogramDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: T0 - s(60),
    timeUnixNano: T0,
    flags: 0,
    count: 0,
    sum: 0,
    scale: 0,
    zeroCount: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    min: null,
    max: null,
    zeroThreshold: 0,
    exemplars: [],
    ...overrides,
  };
}

export function summaryPoint(overrides: Partial<SummaryDataPoint> = {}): SummaryDataPoint {
  return {
    attributes: [],
    startTimeUnixNano: T0 - s(60),
    timeUnixNano: T0,
    flags: 0,
    count: 10,
    sum: 4.5,
    quantileValues: [
      { quantile: 0.5, value: 0.4 },
      { quantile: 0.99, value: 1.2 },
    ],
    ...overrides,
  };
}

const base = { description: '', unit: '', metadata: [] as KeyValue[] };

export const gauge = (
  name: string,
  unit: string,
  dataPoints: NumberDataPoint[],
  description = '',
): Metric => ({
  ...base,
  type: 'gauge',
  name,
  unit,
  description,
  dataPoints,
});

export const sum = (
  name: string,
  unit: string,
  dataPoints: NumberDataPoint[],
  { monotonic = true, delta = false } = {},
): Metric => ({
  ...base,
  type: 'sum',
  name,
  unit,
  isMonotonic: monotonic,
  aggregationTemporality: delta ? 1 : 2,
  dataPoints,
});

export const histogram = (
  name: string,
  unit: string,
  dataPoints: HistogramDataPoint[],
  { delta = false } = {},
): Metric => ({
  ...base,
  type: 'histogram',
  name,
  unit,
  aggregationTemporality: delta ? 1 : 2,
  dataPoints,
});

export const exponentialHistogram = (
  name: string,
  unit: string,
  dataPoints: ExponentialHistogramDataPoint[],
  { delta = false } = {},
): Metric => ({
  ...base,
  type: 'exponentialHistogram',
  name,
  unit,
  aggregationTemporality: delta ? 1 : 2,
  dataPoints,
});

export const summary = (name: string, unit: string, dataPoints: SummaryDataPoint[]): Metric => ({
  ...base,
  type: 'summary',
  name,
  unit,
  dataPoints,
});

export interface ResourceOptions {
  /** Resource attributes; default service.name backend-api and dss.client acme. */
  resource?: Record<string, string>;
  scope?: { name: string; version?: string; attributes?: KeyValue[] };
  schemaUrl?: string;
}

export function metricsRequest(metrics: Metric[], options: ResourceOptions = {}): DecodedMetrics {
  return requestOf([{ metrics, ...options }]);
}

/** Several resources in one request. */
export function requestOf(resources: ({ metrics: Metric[] } & ResourceOptions)[]): DecodedMetrics {
  return {
    signal: 'metrics',
    resourceMetrics: resources.map(({ metrics, resource, scope, schemaUrl }) => ({
      resource: {
        attributes: labels(resource ?? { 'service.name': 'backend-api', 'dss.client': 'acme' }),
        droppedAttributesCount: 0,
      },
      schemaUrl: '',
      scopeMetrics: [
        {
          scope: {
            name: scope?.name ?? 'dss-test',
            version: scope?.version ?? '1.0.0',
            attributes: scope?.attributes ?? [],
            droppedAttributesCount: 0,
          },
          schemaUrl: schemaUrl ?? '',
          metrics,
        },
      ],
    })),
  };
}
