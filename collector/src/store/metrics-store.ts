// The Prometheus metrics store over the collector's database: appends (durable per batch, in the head),
// reads (MetricsReader), compaction of the head into chunks, and the deletions retention asks for. One
// per database and process: its in-memory catalog and head must see every write, so every write goes
// through it (another process may open one to read). Synchronous, like better-sqlite3; each transaction
// is short so that ingest, queries, compaction and retention interleave on the one connection.
//
// Where samples are: recent ones in the head, in memory and in its write-ahead log (prom_head, one row
// per batch); older ones in compressed chunks (prom_chunks). See schema.ts, metrics-head-log.ts,
// metrics-compaction.ts.
import type Database from 'better-sqlite3';
import type {
  AppendBatch,
  LabelMatcher,
  MetricMetadata,
  MetricsReader,
  SampleBlock,
  SeriesRef,
  TimeRange,
} from '../metrics/model.ts';
import { type AppendOutcome, MetricsAppender } from './metrics-appender.ts';
import { SeriesCatalog } from './metrics-catalog.ts';
import {
  type CompactionOptions,
  type CompactionPolicy,
  type CompactionResult,
  HeadCompaction,
  MetricsCompactor,
  type MetricsCompactorOptions,
} from './metrics-compaction.ts';
import { HeadLog } from './metrics-head-log.ts';
import { MetricsStoreReader } from './metrics-reader.ts';
import { type MetricsDeletion, MetricsRetention } from './metrics-retention.ts';

export interface MetricsStoreOptions {
  compaction?: CompactionPolicy;
}

export class MetricsStore implements MetricsReader {
  readonly db: Database.Database;
  private readonly catalog: SeriesCatalog;
  private readonly appender: MetricsAppender;
  private readonly reader: MetricsStoreReader;
  private readonly compaction: HeadCompaction;
  private readonly retention: MetricsRetention;

  /**
   * Loads the series catalog and the head (from its log) of a database at schema version 4 or later
   * (openDatabase migrates).
   */
  constructor(db: Database.Database, options: MetricsStoreOptions = {}) {
    this.db = db;
    this.catalog = SeriesCatalog.load(db);
    const log = new HeadLog(db, this.catalog);
    log.load();
    this.appender = new MetricsAppender(db, this.catalog, log);
    this.reader = new MetricsStoreReader(db, this.catalog);
    this.compaction = new HeadCompaction(db, this.catalog, log, options.compaction);
    this.retention = new MetricsRetention(db, this.catalog, log);
  }

  /** Series in the catalog. */
  get seriesCount(): number {
    return this.catalog.size;
  }

  /** Appends a batch in one transaction: committed when this returns (throws, and stores nothing, else). */
  appendSync(batch: AppendBatch): AppendOutcome {
    return this.appender.append(batch);
  }

  selectSeries(tenant: string | undefined, matchers: readonly LabelMatcher[], range: TimeRange): SeriesRef[] {
    return this.reader.selectSeries(tenant, matchers, range);
  }

  readSamples(seriesIds: readonly number[], range: TimeRange): Map<number, SampleBlock> {
    return this.reader.readSamples(seriesIds, range);
  }

  labelNames(
    tenant: string | undefined,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    return this.reader.labelNames(tenant, matcherSets, range);
  }

  labelValues(
    tenant: string | undefined,
    name: string,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    return this.reader.labelValues(tenant, name, matcherSets, range);
  }

  metadata(tenant: string | undefined, metric?: string): Map<string, MetricMetadata[]> {
    return this.reader.metadata(tenant, metric);
  }

  /** Compacts the head now, without yielding (tests, benchmarks, tools). */
  compactSync(options: CompactionOptions = {}): CompactionResult {
    return this.compaction.compactSync(options);
  }

  /** Compacts the head in short transactions, yielding to the event loop between them. */
  compact(options: CompactionOptions = {}): Promise<CompactionResult> {
    return this.compaction.compact(options);
  }

  /** A background compactor (start() it, stop() it before closing the database). */
  compactor(options: MetricsCompactorOptions = {}): MetricsCompactor {
    return new MetricsCompactor(this.compaction, options);
  }

  // ---- for Retention (MetricsRetentionTarget) ----

  oldestSampleMs(): number | undefined {
    return this.retention.oldestSampleMs();
  }

  deleteBefore(cutoffMs: number, limit: number, partial = false): MetricsDeletion {
    return this.retention.deleteBefore(cutoffMs, limit, partial);
  }
}
