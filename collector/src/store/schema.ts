// The store's schema, as numbered migrations. Migration N takes a database from version N-1 to N
// (PRAGMA user_version). Never edit a migration that has shipped: add the next one.
//
// Conventions:
//   - times are INTEGER nanoseconds since the Unix epoch (OTLP's fixed64, which fits int64 until 2262);
//   - trace and span ids are BLOBs (16 and 8 bytes), NULL when absent;
//   - attributes, bodies and other AnyValues are JSON text in the form of any-value-json.ts;
//   - resources and instrumentation scopes are stored once (deduplicated by a hash of their content)
//     and referenced by id. A resource's `tenant` is its `dss.client` attribute ('' when absent) and
//     its `service_name` its `service.name`, as columns to filter on.
// There are no FOREIGN KEY clauses: SQLite would check them on every insert, and the only deleter
// (retention) removes a span's events and links with it.

export interface Migration {
  version: number;
  description: string;
  /** Runs inside the migration's transaction. */
  sql: string;
}

const TRACES_AND_LOGS = `
CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  tenant TEXT NOT NULL,
  service_name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  schema_url TEXT NOT NULL
);
CREATE INDEX resources_by_tenant ON resources (tenant, service_name);

CREATE TABLE scopes (
  id INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  schema_url TEXT NOT NULL
);

CREATE TABLE spans (
  id INTEGER PRIMARY KEY,
  trace_id BLOB NOT NULL,
  span_id BLOB NOT NULL,
  parent_span_id BLOB,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  status_message TEXT NOT NULL,
  trace_state TEXT NOT NULL,
  flags INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  dropped_events_count INTEGER NOT NULL,
  dropped_links_count INTEGER NOT NULL
);
-- Trace by id, and the key that makes a retried export not store its spans twice.
CREATE UNIQUE INDEX spans_by_trace ON spans (trace_id, span_id);
CREATE INDEX spans_by_time ON spans (start_ns);
-- Tenant and service filters go through the resource: resource ids of a tenant, then their spans.
CREATE INDEX spans_by_resource_time ON spans (resource_id, start_ns);

CREATE TABLE span_events (
  span_row INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  PRIMARY KEY (span_row, seq)
) WITHOUT ROWID;

CREATE TABLE span_links (
  span_row INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  trace_id BLOB NOT NULL,
  span_id BLOB NOT NULL,
  trace_state TEXT NOT NULL,
  flags INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  PRIMARY KEY (span_row, seq)
) WITHOUT ROWID;

CREATE TABLE log_records (
  id INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  -- time_ns when set, else observed_time_ns: what log queries order and filter by.
  timestamp_ns INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  observed_time_ns INTEGER NOT NULL,
  severity_number INTEGER NOT NULL,
  severity_text TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  trace_id BLOB,
  span_id BLOB,
  event_name TEXT NOT NULL
);
CREATE INDEX log_records_by_time ON log_records (timestamp_ns);
CREATE INDEX log_records_by_resource_time ON log_records (resource_id, timestamp_ns);
CREATE INDEX log_records_by_trace ON log_records (trace_id) WHERE trace_id IS NOT NULL;
`;

// Metrics are stored from the next issue on; the tables are designed now so that the three signals
// share resources, scopes and retention. A series is one metric stream: a metric (name, type, unit,
// temporality) of one resource and scope with one set of point attributes. A sample is one data point.
const METRICS = `
CREATE TABLE metric_series (
  id INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  -- gauge, sum, histogram, exponentialHistogram or summary (decoded-types.ts MetricType)
  type TEXT NOT NULL,
  unit TEXT NOT NULL,
  description TEXT NOT NULL,
  -- 0 unspecified, 1 delta, 2 cumulative
  aggregation_temporality INTEGER NOT NULL,
  is_monotonic INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  metadata TEXT NOT NULL
);
CREATE INDEX metric_series_by_name ON metric_series (name, resource_id);
CREATE INDEX metric_series_by_resource ON metric_series (resource_id);

CREATE TABLE metric_samples (
  series_id INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  start_time_ns INTEGER NOT NULL,
  -- gauge and sum points: the value (as_double, or as_int when it fits a double exactly);
  -- NULL with the NO_RECORDED_VALUE flag. Histograms and summaries: the sum, or NULL.
  value REAL,
  -- as_int values that a double cannot hold exactly.
  int_value INTEGER,
  -- histogram, exponential histogram and summary points: count.
  count INTEGER,
  flags INTEGER NOT NULL,
  -- JSON for the rest of a point: bucket bounds and counts, exponential buckets, quantiles, min, max,
  -- exemplars. NULL for plain number points without exemplars.
  data TEXT,
  PRIMARY KEY (series_id, time_ns)
) WITHOUT ROWID;
CREATE INDEX metric_samples_by_time ON metric_samples (time_ns);
`;

// Prometheus samples (metrics/model.ts): what OTLP translation and scraping produce and PromQL reads.
// Unlike the rest of the schema, times here are INTEGER milliseconds (Prometheus's resolution).
// The metric_series and metric_samples tables of version 2 were designed for OTLP-shaped points and
// never written; they stay (empty, a page each) rather than being dropped, so that version 2 and 3
// databases and the tests and retention queries that name them keep working unchanged.
//
//   prom_series    one row per series (tenant + label set). `labels` is canonical JSON (keys sorted,
//                  empty values dropped); `hash` its identity: the first 16 bytes of
//                  sha256(tenant NUL labels). `floor_t`: samples at or before it are not appended any
//                  more (they were compacted into chunks, or retention deleted them); NULL when none.
//                  AUTOINCREMENT: the head log names series by id, and an id must never come back.
//   prom_head      the head's write-ahead log: one row per appended batch, its accepted samples in a
//                  blob (metrics-head-log.ts), so that a batch is one insert and its commit writes a few
//                  pages. A table keyed by (series, time) would take a row in every series' page at each
//                  scrape, and each commit would rewrite a page per series. The store keeps the head in
//                  memory and reloads it from here when it opens; a row goes once every sample in it has
//                  been compacted or deleted.
//   prom_chunks    compressed chunks (metrics/chunks) of older samples, moved out of the head by
//                  compaction. A rowid table rather than WITHOUT ROWID: chunks are appended in time
//                  order, so its pages fill completely (a B-tree keyed by series fills ~70% under
//                  scattered inserts); the index finds a series' chunks by time. A series' chunks never
//                  overlap each other nor its head samples, which are all newer.
//   prom_metadata  type, help and unit of each metric family of a tenant.
const PROMETHEUS = `
CREATE TABLE prom_series (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  hash BLOB NOT NULL UNIQUE,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  labels TEXT NOT NULL,
  floor_t INTEGER
);

CREATE TABLE prom_head (
  id INTEGER PRIMARY KEY,
  min_t INTEGER NOT NULL,
  max_t INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);

CREATE TABLE prom_chunks (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL,
  min_t INTEGER NOT NULL,
  max_t INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX prom_chunks_by_series ON prom_chunks (series_id, max_t);

CREATE TABLE prom_metadata (
  tenant TEXT NOT NULL,
  metric TEXT NOT NULL,
  type TEXT NOT NULL,
  help TEXT NOT NULL,
  unit TEXT NOT NULL,
  PRIMARY KEY (tenant, metric)
) WITHOUT ROWID;
`;

/**
 * Every migration, in order. Version 2 is the metric tables: they were split from version 1 so that the
 * upgrade path (an existing database gaining tables) is exercised from the first release on.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'resources, scopes, spans, span events and links, log records',
    sql: TRACES_AND_LOGS,
  },
  { version: 2, description: 'metric series and samples', sql: METRICS },
  {
    version: 3,
    description: 'spans by status and time (TraceQL `status=error` searches)',
    // Failing spans are a few percent: without this index a `{status=error}` search walks every span
    // of its time window.
    sql: 'CREATE INDEX spans_by_status ON spans (status_code, start_ns);',
  },
  { version: 4, description: 'Prometheus series, head samples, chunks and metadata', sql: PROMETHEUS },
  {
    version: 5,
    description: 'spans by time for failed spans only (a partial index instead of spans_by_status)',
    // spans_by_status took an entry for every span, and every ingested span paid for it; only
    // `{status=error}` searches need it to be selective (the few percent of spans that fail). Searches for
    // other statuses walk spans_by_time as they would without an index. The search query names
    // `status_code = 2` literally so that SQLite can use the partial index (search-candidates.ts).
    sql: `DROP INDEX spans_by_status;
CREATE INDEX spans_by_error ON spans (start_ns) WHERE status_code = 2;`,
  },
  {
    version: 6,
    description: 'spans found by trace id through trace_groups, an entry per run of one trace in an export',
    // Existing spans get an entry each; spans_by_trace also kept retried exports from being stored twice,
    // which the writer now checks through trace_groups (writer.ts).
    sql: `CREATE TABLE trace_groups (
  trace_id BLOB NOT NULL,
  first_row INTEGER NOT NULL,
  last_row INTEGER NOT NULL,
  PRIMARY KEY (trace_id, first_row)
) WITHOUT ROWID;
INSERT INTO trace_groups (trace_id, first_row, last_row) SELECT trace_id, id, id FROM spans;
CREATE INDEX trace_groups_by_last_row ON trace_groups (last_row);
DROP INDEX spans_by_trace;`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** PRAGMA application_id of a collector database ("DSSC"), to tell it from other SQLite files. */
export const APPLICATION_ID = 0x44535343;
