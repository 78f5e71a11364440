// The SQLite store: schema and migrations, the writer, readers, retention, and the Prometheus metrics
// store.
export { decodeAnyValue, decodeAttributes, encodeAnyValue, encodeAttributes } from './any-value-json.ts';
export type { AppendOutcome } from './metrics-appender.ts';
export {
  type CompactionOptions,
  type CompactionPolicy,
  type CompactionResult,
  MetricsCompactor,
  type MetricsCompactorOptions,
} from './metrics-compaction.ts';
export type { MetricsDeletion } from './metrics-retention.ts';
export { MetricsStore, type MetricsStoreOptions } from './metrics-store.ts';
export {
  checkSchemaVersion,
  type MigrationOutcome,
  migrate,
  StoreVersionError,
  schemaVersionOf,
} from './migrate.ts';
export { type OpenDatabaseOptions, type OpenedDatabase, openDatabase } from './open-database.ts';
export type { StoredResource, StoredScope } from './read-dimensions.ts';
export { type LogReadOptions, readLogRecords, type StoredLogRecord } from './read-logs.ts';
export {
  fileSizes,
  METRIC_TABLES,
  type MetricStorageStats,
  metricStorageStats,
  type PageUsage,
  pageUsage,
  readStoreStats,
  STORE_TABLES,
  type StoreStats,
  type TableStats,
  type TenantStats,
} from './read-stats.ts';
export { groupByResourceAndScope, readTrace, type TraceReadOptions } from './read-traces.ts';
export {
  type MetricsRetentionTarget,
  Retention,
  type RetentionOptions,
  type RetentionPassResult,
  type RetentionPolicy,
} from './retention.ts';
export {
  type Preparation,
  type PreparedWrite,
  prepareLogs,
  prepareTraces,
  SERVICE_NAME_ATTRIBUTE,
  TENANT_ATTRIBUTE,
} from './rows.ts';
export { APPLICATION_ID, MIGRATIONS, type Migration, SCHEMA_VERSION } from './schema.ts';
export { StoreWriter, type WriteOutcome } from './writer.ts';
