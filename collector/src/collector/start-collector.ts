// The assembled collector: the SQLite store, the store sink behind both OTLP receivers, background
// retention, self-metrics and (optionally) the query server that serves them on /metrics.
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { lokiRoutes } from '../api/loki/index.ts';
import { prometheusRoutes } from '../api/prometheus/index.ts';
import { startQueryServer } from '../api/query-server.ts';
import { tempoRoutes } from '../api/tempo/index.ts';
import { type AuthConfig, checkExposure } from '../auth/tokens.ts';
import { StoreSink } from '../ingest/store-sink.ts';
import { Scraper, type ScraperConfig } from '../metrics/scrape/index.ts';
import type { TranslateOptions } from '../metrics/translate/index.ts';
import { startOtlpGrpcReceiver } from '../receiver/grpc-server.ts';
import { startOtlpHttpReceiver } from '../receiver/http-server.ts';
import { type CollectorMetrics, createCollectorMetrics } from '../self-metrics/collector-metrics.ts';
import { BackgroundCheckpointer } from '../store/checkpointer.ts';
import { MetricsStore } from '../store/metrics-store.ts';
import { openDatabase } from '../store/open-database.ts';
import { Retention, type RetentionPolicy } from '../store/retention.ts';
import type { Migration } from '../store/schema.ts';
import { StoreWriter } from '../store/writer.ts';
import { acquireWriterLock, type WriterLock } from '../store/writer-lock.ts';

export const DEFAULT_QUEUE_LIMIT_BYTES = 32 * 1024 * 1024;

export interface CollectorRetentionOptions extends RetentionPolicy {
  /** Time between retention passes. Default 60 s. */
  intervalMs?: number;
}

export interface CollectorOptions {
  /** The SQLite file; created with its directory if missing. */
  dbPath: string;
  /** Default 127.0.0.1. Any other address needs auth tokens. */
  host?: string;
  /** Default 4317; 0 picks a free port. */
  grpcPort?: number;
  /** Default 4318; 0 picks a free port. */
  httpPort?: number;
  /**
   * The query server's port (the Tempo and Loki APIs, self-metrics on /metrics, and `routes`); not
   * started when undefined.
   */
  queryPort?: number;
  /** Estimated bytes of requests waiting for their commit before exports are refused. Default 32 MiB. */
  queueLimitBytes?: number;
  /** Age and size limits; no retention when absent. */
  retention?: CollectorRetentionOptions;
  /** Bearer tokens for ingest and queries (see auth/tokens.ts). */
  auth?: AuthConfig;
  /** 'NORMAL' (default) survives a killed process, 'FULL' also power loss (open-database.ts). */
  synchronous?: 'NORMAL' | 'FULL';
  /** More query API routes, given the store's database; the Tempo, Loki and Prometheus APIs are always added. */
  routes?: Array<(app: FastifyInstance, db: Database.Database) => void>;
  /** Prometheus /metrics endpoints to scrape into the metrics store. */
  scrape?: ScraperConfig;
  /** How OTLP metrics become Prometheus series (docs/metrics-translation.md). */
  translation?: TranslateOptions;
  /** Told before each schema migration of an existing file (some take a while on a large file). */
  onUpgrade?: (migration: Migration) => void;
  /** Unexpected errors (a failed commit, a failed retention pass). Default console.error. */
  onError?: (error: unknown) => void;
}

export interface RunningCollector {
  readonly dbPath: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly queryPort: number | undefined;
  readonly db: Database.Database;
  readonly sink: StoreSink;
  readonly metrics: CollectorMetrics;
  readonly retention: Retention;
  /** The Prometheus metrics (OTLP metrics translated, scraped samples) and what the PromQL engine reads. */
  readonly metricsStore: MetricsStore;
  /** Stops receiving (answering in-flight exports), commits the queue, stops retention, closes the file. */
  close(): Promise<void>;
}

export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const host = options.host ?? '127.0.0.1';
  checkExposure(host, options.auth);
  const onError = options.onError ?? ((error: unknown) => console.error('collector:', error));
  const { db } = openDatabase(options.dbPath, {
    synchronous: options.synchronous ?? 'NORMAL',
    ...(options.onUpgrade ? { onUpgrade: options.onUpgrade } : {}),
  });
  let lock: WriterLock;
  try {
    lock = acquireWriterLock(options.dbPath);
  } catch (error) {
    db.close();
    throw error;
  }
  const closers: Array<() => Promise<void> | void> = [
    () => lock.release(),
    () => {
      db.close();
    },
  ];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        onError(error);
      }
    }
  };

  try {
    const metrics = createCollectorMetrics({ databaseFile: options.dbPath });
    // Stopped after everything that writes (closers run in reverse), before the database closes.
    const checkpointer = new BackgroundCheckpointer(db, options.dbPath, {
      onPass: (pass) => metrics.checkpointSeconds.observe(pass.seconds),
      onError,
    });
    closers.push(() => checkpointer.stop());
    const metricsStore = new MetricsStore(db);
    const compactor = metricsStore.compactor({ onError });
    compactor.start();
    closers.push(() => compactor.stop());
    const writer = new StoreWriter(db, metricsStore);
    const sink = new StoreSink({
      writer,
      queueLimitBytes: options.queueLimitBytes ?? DEFAULT_QUEUE_LIMIT_BYTES,
      metrics,
      storeMetrics: true,
      ...(options.translation ? { translation: options.translation } : {}),
    });
    closers.push(() => sink.close());
    const retention = new Retention(db, {
      ...options.retention,
      metrics: metricsStore,
      onResourcesDeleted: () => writer.forgetDictionaries(),
      onPass: (pass) => {
        metrics.retentionDeleted.inc({ signal: 'traces' }, pass.spans);
        metrics.retentionDeleted.inc({ signal: 'logs' }, pass.logRecords);
        metrics.retentionDeleted.inc({ signal: 'metrics' }, pass.metricSamples);
      },
      onError,
    });
    retention.start();
    closers.push(() => retention.stop());

    const receiverOptions = { host, sink, auth: options.auth, onError };
    const grpc = await startOtlpGrpcReceiver({ ...receiverOptions, port: options.grpcPort ?? 4317 });
    closers.push(() => grpc.close());
    const http = await startOtlpHttpReceiver({ ...receiverOptions, port: options.httpPort ?? 4318 });
    closers.push(() => http.close());
    const query =
      options.queryPort === undefined
        ? undefined
        : await startQueryServer({
            host,
            port: options.queryPort,
            auth: options.auth,
            registry: metrics.registry,
            routes: [
              ...[tempoRoutes, lokiRoutes, ...(options.routes ?? [])].map(
                (addRoutes) => (app: FastifyInstance) => addRoutes(app, db),
              ),
              (app: FastifyInstance) => prometheusRoutes(app, metricsStore),
            ],
          });
    if (query) closers.push(() => query.close());
    if (options.scrape && options.scrape.targets.length > 0) {
      const scraper = new Scraper({
        ...options.scrape,
        appender: sink,
        onError: (error, target) => {
          metrics.scrapeErrors.inc({ job: target.job });
          onError(new Error(`scrape of ${target.url} failed: ${error.message}`));
        },
      });
      scraper.start();
      // Stopped before the sink closes (closers run in reverse), so that its last appends are committed.
      closers.push(() => scraper.stop());
    }

    return {
      dbPath: options.dbPath,
      grpcPort: grpc.port,
      httpPort: http.port,
      queryPort: query?.port,
      db,
      sink,
      metrics,
      retention,
      metricsStore,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
