import type {
  DecodedMetrics,
  Exemplar,
  ExponentialHistogramBuckets,
  Metric,
  NumberDataPoint,
} from './decoded-types.ts';
import { idToHex, isSet, keyValues, list, resource, scope, toBigInt, toCount } from './normalize-common.ts';
import type {
  WireBuckets,
  WireDataPointBase,
  WireExemplar,
  WireMetric,
  WireMetricsRequest,
  WireNumberDataPoint,
} from './wire-types.ts';

export function normalizeMetrics(request: WireMetricsRequest): DecodedMetrics {
  return {
    signal: 'metrics',
    resourceMetrics: list(request.resourceMetrics).map((rm) => ({
      resource: resource(rm.resource),
      schemaUrl: rm.schemaUrl ?? '',
      scopeMetrics: list(rm.scopeMetrics).map((sm) => ({
        scope: scope(sm.scope),
        schemaUrl: sm.schemaUrl ?? '',
        metrics: list(sm.metrics).map(normalizeMetric),
      })),
    })),
  };
}

function normalizeMetric(metric: WireMetric): Metric {
  const base = {
    name: metric.name ?? '',
    description: metric.description ?? '',
    unit: metric.unit ?? '',
    metadata: keyValues(metric.metadata),
  };
  // `data` is a oneof of messages: unset members are null (decoded messages) or missing (ProtoJSON).
  if (metric.gauge != null) {
    return { ...base, type: 'gauge', dataPoints: list(metric.gauge.dataPoints).map(numberDataPoint) };
  }
  if (metric.sum != null) {
    return {
      ...base,
      type: 'sum',
      aggregationTemporality: metric.sum.aggregationTemporality ?? 0,
      isMonotonic: metric.sum.isMonotonic ?? false,
      dataPoints: list(metric.sum.dataPoints).map(numberDataPoint),
    };
  }
  if (metric.histogram != null) {
    return {
      ...base,
      type: 'histogram',
      aggregationTemporality: metric.histogram.aggregationTemporality ?? 0,
      dataPoints: list(metric.histogram.dataPoints).map((point) => ({
        ...dataPointBase(point),
        count: toCount(point.count),
        sum: point.sum ?? null,
        bucketCounts: list(point.bucketCounts).map(toCount),
        explicitBounds: list(point.explicitBounds),
        min: point.min ?? null,
        max: point.max ?? null,
        exemplars: list(point.exemplars).map(exemplar),
      })),
    };
  }
  if (metric.exponentialHistogram != null) {
    return {
      ...base,
      type: 'exponentialHistogram',
      aggregationTemporality: metric.exponentialHistogram.aggregationTemporality ?? 0,
      dataPoints: list(metric.exponentialHistogram.dataPoints).map((point) => ({
        ...dataPointBase(point),
        count: toCount(point.count),
        sum: point.sum ?? null,
        scale: point.scale ?? 0,
        zeroCount: toCount(point.zeroCount),
        positive: buckets(point.positive),
        negative: buckets(point.negative),
        min: point.min ?? null,
        max: point.max ?? null,
        zeroThreshold: point.zeroThreshold ?? 0,
        exemplars: list(point.exemplars).map(exemplar),
      })),
    };
  }
  if (metric.summary != null) {
    return {
      ...base,
      type: 'summary',
      dataPoints: list(metric.summary.dataPoints).map((point) => ({
        ...dataPointBase(point),
        count: toCount(point.count),
        sum: point.sum ?? 0,
        quantileValues: list(point.quantileValues).map((q) => ({
          quantile: q.quantile ?? 0,
          value: q.value ?? 0,
        })),
      })),
    };
  }
  return { ...base, type: 'empty', dataPoints: [] };
}

function dataPointBase(point: WireDataPointBase) {
  return {
    attributes: keyValues(point.attributes),
    startTimeUnixNano: toBigInt(point.startTimeUnixNano),
    timeUnixNano: toBigInt(point.timeUnixNano),
    flags: point.flags ?? 0,
  };
}

function numberValue(point: WireNumberDataPoint | WireExemplar): bigint | number | null {
  if (isSet(point, 'asInt')) return toBigInt(point.asInt);
  if (isSet(point, 'asDouble')) return point.asDouble as number;
  return null;
}

function numberDataPoint(point: WireNumberDataPoint): NumberDataPoint {
  return {
    ...dataPointBase(point),
    value: numberValue(point),
    exemplars: list(point.exemplars).map(exemplar),
  };
}

function exemplar(value: WireExemplar): Exemplar {
  return {
    filteredAttributes: keyValues(value.filteredAttributes),
    timeUnixNano: toBigInt(value.timeUnixNano),
    value: numberValue(value),
    traceId: idToHex(value.traceId),
    spanId: idToHex(value.spanId),
  };
}

function buckets(value: WireBuckets | null | undefined): ExponentialHistogramBuckets {
  return { offset: value?.offset ?? 0, bucketCounts: list(value?.bucketCounts).map(toCount) };
}
