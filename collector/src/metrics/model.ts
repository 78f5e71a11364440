// The Prometheus data model the metrics side of the collector works in: what the OTLP translation and
// the scraper produce, what the metrics store keeps, and what the PromQL engine reads. Times are
// milliseconds since the Unix epoch (Prometheus's resolution); values are float64.

/** A label set. `__name__` holds the metric name. Label names are unique; empty values mean "absent". */
export type Labels = Readonly<Record<string, string>>;

export const METRIC_NAME_LABEL = '__name__';

/** One sample to append. */
export interface AppendSample {
  labels: Labels;
  timestampMs: number;
  value: number;
  /**
   * A staleness marker (Prometheus's special NaN): the series ended here. Written by the scraper when a
   * series or target disappears and by the OTLP translation for NO_RECORDED_VALUE points. `value` is
   * ignored.
   */
  stale?: boolean;
}

export type MetricKind =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

/** Metadata of a metric family, for /api/v1/metadata. */
export interface MetricMetadata {
  /** The family name: without _bucket/_sum/_count, with _total for counters (as Prometheus's OTLP receiver and a prom-client scrape name them). */
  metric: string;
  type: MetricKind;
  help: string;
  unit: string;
}

/** A batch of samples of one tenant ('' when the data carries no `dss.client`). */
export interface AppendBatch {
  tenant: string;
  samples: AppendSample[];
  metadata?: MetricMetadata[];
}

/** Where translated or scraped samples go: the metrics store, or a test's memory. */
export interface SampleAppender {
  /** Durable when the promise resolves (the batch is committed). */
  append(batch: AppendBatch): Promise<void>;
}

export type MatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher. Regex matchers are fully anchored (Prometheus semantics). */
export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A stored series. `id` is the store's key, stable for the life of the database. */
export interface SeriesRef {
  id: number;
  labels: Labels;
}

/**
 * Samples of one series, in time order, no two with the same timestamp. `stale[i]` is 1 where the
 * sample is a staleness marker (then `v[i]` is NaN); `stale` is absent when there is none.
 */
export interface SampleBlock {
  t: Float64Array;
  v: Float64Array;
  stale?: Uint8Array;
}

/** A time window, both ends inclusive, in ms. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** What the PromQL engine and the Prometheus API read. Synchronous: better-sqlite3 is. */
export interface MetricsReader {
  /**
   * Series of `tenant` (every tenant when undefined) that match every matcher and have at least one
   * sample in `range`. Matching follows Prometheus: a matcher on a label a series lacks compares
   * against ''.
   */
  selectSeries(tenant: string | undefined, matchers: readonly LabelMatcher[], range: TimeRange): SeriesRef[];
  /** Samples of each series within `range` (both ends inclusive). Series without samples are absent from the map. */
  readSamples(seriesIds: readonly number[], range: TimeRange): Map<number, SampleBlock>;
  /** Label names of the series that match any of the matcher sets (every series when empty), sorted. */
  labelNames(
    tenant: string | undefined,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[];
  /** Values of one label over the series that match any of the matcher sets, sorted, without ''. */
  labelValues(
    tenant: string | undefined,
    name: string,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[];
  /** Metric metadata, by family name. */
  metadata(tenant: string | undefined, metric?: string): Map<string, MetricMetadata[]>;
}
