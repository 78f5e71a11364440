// An OTLP metrics export request as Prometheus samples, one batch per tenant (the resource's `dss.client`),
// following the OTel specification's "OTLP Metric points to Prometheus" and Prometheus's own OTLP receiver.
// docs/metrics-translation.md has the mapping, with examples, and the known differences.
import { findAttribute } from '../../receiver/attributes.ts';
import {
  type DecodedMetrics,
  type Metric,
  OtlpAggregationTemporality,
} from '../../receiver/decoded-types.ts';
import type { AppendBatch, MetricKind, MetricMetadata } from '../model.ts';
import type { LabelMap } from './attribute-labels.ts';
import { DEFAULT_MAX_EXPONENTIAL_BUCKETS } from './exponential-histogram.ts';
import { writeExponentialPoints } from './exponential-points.ts';
import { writeHistogramPoints } from './histogram-points.ts';
import type { MetricContext } from './metric-context.ts';
import { type NamingKind, prometheusMetricName, prometheusUnit } from './metric-name.ts';
import { writeNumberPoints } from './number-points.ts';
import { Rejections } from './rejections.ts';
import {
  DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES,
  type ResourceLabels,
  resourceLabels,
  scopeLabels,
} from './resource-labels.ts';
import { finishedLabels, labelsKey, seriesLabels } from './series-labels.ts';
import { writeSummaryPoints } from './summary-points.ts';
import { TenantBatches } from './tenant-batches.ts';
import type { TranslationState } from './translation-state.ts';

export interface TranslateOptions {
  /** Resource attributes copied as labels onto every series. Default `dss.client`, `deployment.environment.name`. */
  promoteResourceAttributes?: readonly string[];
  /** The otel_scope_name/version/schema_url/<attribute> labels. Default true. */
  scopeLabels?: boolean;
  /** One `target_info` series per resource. Default true. */
  targetInfo?: boolean;
  /** Most buckets an exponential histogram keeps before it becomes classic buckets. Default 160. */
  maxExponentialBuckets?: number;
}

export interface TranslationResult {
  /** One batch per tenant that has samples. */
  batches: AppendBatch[];
  /** Data points not translated. */
  rejected: number;
  /** Why, when some were. */
  message?: string;
}

export const TARGET_INFO = 'target_info';

const TARGET_INFO_METADATA: MetricMetadata = {
  metric: TARGET_INFO,
  type: 'gauge',
  help: 'Target metadata',
  unit: '',
};

/** The metric's declared Prometheus type (metadata `prometheus.type`, set by Prometheus receivers). */
function declaredType(metric: Metric): string | undefined {
  const value = findAttribute(metric.metadata, 'prometheus.type');
  return value?.type === 'string' ? value.value : undefined;
}

function kinds(metric: Exclude<Metric, { type: 'empty' }>): { naming: NamingKind; kind: MetricKind } {
  const declared = declaredType(metric);
  switch (metric.type) {
    case 'gauge':
      return { naming: 'gauge', kind: declared === 'unknown' ? 'unknown' : 'gauge' };
    case 'sum':
      if (metric.isMonotonic) return { naming: 'counter', kind: 'counter' };
      return {
        naming: 'updowncounter',
        kind: declared === 'info' || declared === 'stateset' ? declared : 'gauge',
      };
    case 'histogram':
    case 'exponentialHistogram':
      return { naming: 'histogram', kind: 'histogram' };
    case 'summary':
      return { naming: 'summary', kind: 'summary' };
  }
}

/** Why the whole metric is refused, or undefined. */
function metricProblem(metric: Exclude<Metric, { type: 'empty' }>): string | undefined {
  if (metric.type === 'sum' || metric.type === 'histogram' || metric.type === 'exponentialHistogram') {
    const temporality = metric.aggregationTemporality;
    if (
      temporality !== OtlpAggregationTemporality.DELTA &&
      temporality !== OtlpAggregationTemporality.CUMULATIVE
    )
      return `aggregation temporality ${temporality} is neither delta nor cumulative`;
  }
  return undefined;
}

interface ScopeContext {
  tenant: string;
  resource: ResourceLabels;
  scope: LabelMap;
}

interface Shared {
  state: TranslationState;
  out: TenantBatches;
  rejections: Rejections;
  maxExponentialBuckets: number;
}

/** Translates one metric; returns the latest sample time written, if any. */
function translateMetric(metric: Metric, at: ScopeContext, shared: Shared): number | undefined {
  if (metric.type === 'empty' || metric.dataPoints.length === 0) return undefined;
  const { naming, kind } = kinds(metric);
  const name = prometheusMetricName(metric.name, metric.unit, naming);
  if (name === undefined) {
    shared.rejections.add(
      metric.dataPoints.length,
      'metric name has no character valid in Prometheus',
      metric.name,
    );
    return undefined;
  }
  const problem = metricProblem(metric);
  if (problem !== undefined) {
    shared.rejections.add(metric.dataPoints.length, problem, metric.name);
    return undefined;
  }

  let latestMs: number | undefined;
  let written = 0;
  const context: MetricContext = {
    name,
    tenant: at.tenant,
    resource: at.resource,
    scope: at.scope,
    state: shared.state,
    maxExponentialBuckets: shared.maxExponentialBuckets,
    write(labels, timestampMs, value, stale) {
      shared.out.sample(at.tenant, labels, timestampMs, value, stale);
      written++;
      if (latestMs === undefined || timestampMs > latestMs) latestMs = timestampMs;
    },
    reject(count, reason) {
      shared.rejections.add(count, reason, metric.name);
    },
  };
  switch (metric.type) {
    case 'gauge':
    case 'sum':
      writeNumberPoints(metric, context);
      break;
    case 'histogram':
      writeHistogramPoints(metric, context);
      break;
    case 'exponentialHistogram':
      writeExponentialPoints(metric, context);
      break;
    case 'summary':
      writeSummaryPoints(metric, context);
      break;
  }
  if (written > 0) {
    shared.out.metadata(at.tenant, {
      metric: name,
      type: kind,
      help: metric.description,
      unit: prometheusUnit(metric.unit),
    });
  }
  return latestMs;
}

/**
 * Translates a request. Delta sums and histograms are added to their running totals in `state`, which must
 * live as long as the collector (one per process).
 */
export function translateMetrics(
  request: DecodedMetrics,
  state: TranslationState,
  options: TranslateOptions = {},
): TranslationResult {
  const promote = options.promoteResourceAttributes ?? DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES;
  const withScope = options.scopeLabels ?? true;
  const withTargetInfo = options.targetInfo ?? true;
  const shared: Shared = {
    state,
    out: new TenantBatches(),
    rejections: new Rejections(),
    maxExponentialBuckets: options.maxExponentialBuckets ?? DEFAULT_MAX_EXPONENTIAL_BUCKETS,
  };
  state.forgetStale();
  // Two resources of one job and instance with the same attributes share their target_info series.
  const targetInfoWritten = new Set<string>();

  for (const resourceMetrics of request.resourceMetrics) {
    const resource = resourceLabels(resourceMetrics.resource, promote);
    let latestMs: number | undefined;
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      const scope: LabelMap = withScope ? scopeLabels(scopeMetrics.scope, scopeMetrics.schemaUrl) : new Map();
      const at: ScopeContext = { tenant: resource.tenant, resource, scope };
      for (const metric of scopeMetrics.metrics) {
        const latest = translateMetric(metric, at, shared);
        if (latest !== undefined && (latestMs === undefined || latest > latestMs)) latestMs = latest;
      }
    }
    if (withTargetInfo && resource.targetInfo !== undefined && latestMs !== undefined) {
      const labels = seriesLabels(finishedLabels(resource.targetInfo), TARGET_INFO);
      const key = `${resource.tenant}\u0003${labelsKey(labels)}\u0003${latestMs}`;
      if (!targetInfoWritten.has(key)) {
        targetInfoWritten.add(key);
        shared.out.sample(resource.tenant, labels, latestMs, 1, false);
        shared.out.metadata(resource.tenant, TARGET_INFO_METADATA);
      }
    }
  }

  const message = shared.rejections.message();
  return {
    batches: shared.out.batches(),
    rejected: shared.rejections.count,
    ...(message === undefined ? {} : { message }),
  };
}
