// OTLP metrics to Prometheus samples: names, labels, the metric kinds, delta accumulation.
export { formatGoFloat, formatOpenMetricsFloat } from '../float-format.ts';
export { prometheusLabelName } from './label-name.ts';
export { type NamingKind, prometheusMetricName, prometheusUnit } from './metric-name.ts';
export { DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES } from './resource-labels.ts';
export {
  TARGET_INFO,
  type TranslateOptions,
  type TranslationResult,
  translateMetrics,
} from './translate-metrics.ts';
export { TranslationState, type TranslationStateOptions } from './translation-state.ts';
