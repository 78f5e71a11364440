// The Prometheus data model of the collector's metrics side, and an in-memory store behind its interfaces.
export { matches, matchesAll } from './matchers.ts';
export { MemoryMetricsStore } from './memory-store.ts';
export type {
  AppendBatch,
  AppendSample,
  LabelMatcher,
  Labels,
  MatchType,
  MetricKind,
  MetricMetadata,
  MetricsReader,
  SampleAppender,
  SampleBlock,
  SeriesRef,
  TimeRange,
} from './model.ts';
export { METRIC_NAME_LABEL } from './model.ts';
export type { ScraperConfig, ScrapeTarget } from './scrape/index.ts';
