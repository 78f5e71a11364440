// The collector's own metrics.
export {
  type CollectorMetrics,
  type CollectorMetricsOptions,
  createCollectorMetrics,
  type RefusalReason,
} from './collector-metrics.ts';
