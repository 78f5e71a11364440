// The collector's own metrics (prom-client), on a registry the caller exposes (the query server's
// /metrics). Each collector gets its own registry, so that several can run in one process (tests).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { fileSizes } from '../store/read-stats.ts';

export type RefusalReason =
  /** The queue was full: the client was told to retry (HTTP 503, gRPC UNAVAILABLE). */
  | 'overloaded'
  /** The commit failed (HTTP 500, gRPC INTERNAL). */
  | 'store_error'
  /** The store cannot keep these records (partial success), e.g. metrics without a metrics store. */
  | 'not_stored'
  /** Samples older than what their series has compacted already (Prometheus refuses those too). */
  | 'out_of_order'
  /** Samples at a timestamp their series has with another value. */
  | 'duplicate'
  /** Samples with an impossible timestamp. */
  | 'invalid';

export interface CollectorMetrics {
  registry: Registry;
  /** Records committed, per signal (traces, logs, metrics). */
  accepted: Counter<'signal'>;
  refused: Counter<'signal' | 'reason'>;
  /** Export requests refused before decoding (queue full): their records are not counted in `refused`. */
  requestsRefused: Counter<'signal' | 'reason'>;
  duplicateSpans: Counter;
  queueBytes: Gauge;
  queueLimitBytes: Gauge;
  commitSeconds: Histogram;
  /** WAL checkpoints run by the background checkpointer (store/checkpointer.ts). */
  checkpointSeconds: Histogram;
  retentionDeleted: Counter<'signal'>;
  /** Scrapes that failed (target down, timeout, unparsable answer, append refused), per job. */
  scrapeErrors: Counter<'job'>;
}

export interface CollectorMetricsOptions {
  registry?: Registry;
  /** The database file, for dss_collector_database_bytes. */
  databaseFile?: string;
  /** Process metrics (CPU, resident memory, event loop lag, heap). Default true. */
  processMetrics?: boolean;
}

export function createCollectorMetrics(options: CollectorMetricsOptions = {}): CollectorMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const databaseFile = options.databaseFile;
  if (databaseFile !== undefined) {
    new Gauge({
      name: 'dss_collector_database_bytes',
      help: 'Size on disk of the SQLite database file and of its write-ahead log.',
      labelNames: ['file'],
      registers,
      collect() {
        const { fileBytes, walBytes } = fileSizes(databaseFile);
        this.set({ file: 'main' }, fileBytes);
        this.set({ file: 'wal' }, walBytes);
      },
    });
  }
  return {
    registry,
    accepted: new Counter({
      name: 'dss_collector_records_accepted_total',
      help: 'Spans, log records and metric samples committed to the store.',
      labelNames: ['signal'],
      registers,
    }),
    refused: new Counter({
      name: 'dss_collector_records_refused_total',
      help: 'Records the store did not take, by reason: overloaded (client retries), store_error, not_stored, and for metric samples out_of_order, duplicate, invalid.',
      labelNames: ['signal', 'reason'],
      registers,
    }),
    requestsRefused: new Counter({
      name: 'dss_collector_requests_refused_total',
      help: 'Export requests refused before they were decoded, because the queue was full (the client retries); their records are not in dss_collector_records_refused_total.',
      labelNames: ['signal', 'reason'],
      registers,
    }),
    duplicateSpans: new Counter({
      name: 'dss_collector_spans_duplicate_total',
      help: 'Spans received again (same trace and span id, e.g. a retried export) and stored once.',
      registers,
    }),
    scrapeErrors: new Counter({
      name: 'dss_collector_scrape_errors_total',
      help: 'Scrapes of Prometheus targets that failed (down, timeout, unparsable, append refused), per job.',
      labelNames: ['job'],
      registers,
    }),
    queueBytes: new Gauge({
      name: 'dss_collector_queue_bytes',
      help: 'Estimated bytes of accepted requests waiting for their commit.',
      registers,
    }),
    queueLimitBytes: new Gauge({
      name: 'dss_collector_queue_limit_bytes',
      help: 'Queue size past which exports are refused with a retry hint.',
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'dss_collector_commit_duration_seconds',
      help: 'Time to write and commit one batch of requests.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    checkpointSeconds: new Histogram({
      name: 'dss_collector_wal_checkpoint_duration_seconds',
      help: 'Time to copy committed WAL pages into the database file, in the background checkpoint thread.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    retentionDeleted: new Counter({
      name: 'dss_collector_retention_deleted_total',
      help: 'Records deleted by retention (age or size).',
      labelNames: ['signal'],
      registers,
    }),
  };
}
