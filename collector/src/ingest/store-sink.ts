// The sink between the OTLP receivers and the store. Each request is turned into rows and queued; the
// queue is committed in batched transactions (every request that arrived while the previous commit ran
// goes into the next one), and each request's promise resolves only once its transaction committed,
// so an acknowledged export is on disk (see open-database.ts for what "on disk" survives).
//
// Memory is bounded by a queue limit in bytes: past it, exports are refused with SinkOverloadedError,
// which the receivers answer with HTTP 503 + Retry-After / gRPC UNAVAILABLE + RetryInfo, and clients
// retry. A request larger than the whole limit is still taken when the queue is empty, or it could
// never get in (the receivers' body limit bounds it).

import type { AppendBatch, SampleAppender } from '../metrics/model.ts';
import { type TranslateOptions, TranslationState } from '../metrics/translate/index.ts';
import type { DecodedExport, OtlpSignal } from '../receiver/decoded-types.ts';
import { countRecords } from '../receiver/flatten.ts';
import { type OtlpSink, SinkOverloadedError, type SinkResult } from '../receiver/sink.ts';
import type { CollectorMetrics, RefusalReason } from '../self-metrics/collector-metrics.ts';
import { type Preparation, type PreparedWrite, prepareLogs, prepareTraces } from '../store/rows.ts';
import type { WriteOutcome } from '../store/writer.ts';
import { metricsWrite, prepareMetrics } from './prepare-metrics.ts';

/** What the sink commits through: the store's writer, or a stand-in in tests. */
export interface BatchWriter {
  write(batch: readonly PreparedWrite[]): WriteOutcome;
}

export interface StoreSinkOptions {
  writer: BatchWriter;
  /** Estimated bytes of requests waiting for their commit, past which exports are refused. */
  queueLimitBytes: number;
  /** Most bytes committed in one transaction. Default 8 MiB. */
  maxBatchBytes?: number;
  /** The retry hint given to refused clients. Default 1 s. */
  retryAfterSeconds?: number;
  metrics?: CollectorMetrics;
  /**
   * Stores OTLP metrics (translated to Prometheus samples) and scraped samples; the writer must have a
   * metrics store. Without it, metric data points are answered as not stored (partial success).
   */
  storeMetrics?: boolean;
  /** How OTLP metrics become Prometheus series (promoted resource attributes, scope labels, ...). */
  translation?: TranslateOptions;
}

const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** A sink without a metrics store (storeMetrics false) receives and validates metrics but keeps none. */
const SHUTTING_DOWN = 'the collector is shutting down, retry later';

const METRICS_NOT_STORED = 'this collector does not store metrics: the data points were dropped';

// SQLite errors that pass: another connection holding the write lock, or a full disk that retention
// may clear. Clients are asked to retry rather than told their data is refused for good.
const TRANSIENT_SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL']);

interface Pending {
  write: PreparedWrite;
  bytes: number;
  /** Partial-success counts from preparing the rows, answered with the acknowledgement. */
  result: SinkResult | undefined;
  resolve: (result: SinkResult | undefined) => void;
  reject: (error: unknown) => void;
}

export class StoreSink implements OtlpSink, SampleAppender {
  private readonly writer: BatchWriter;
  private readonly limit: number;
  private readonly maxBatchBytes: number;
  private readonly retryAfterSeconds: number;
  private readonly metrics: CollectorMetrics | undefined;
  private readonly queue: Pending[] = [];
  private queued = 0;
  private peak = 0;
  private flushScheduled = false;
  private closing = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly storeMetrics: boolean;
  private readonly translation: TranslateOptions;
  /** Delta-to-cumulative totals of OTLP metrics (in memory: a restart starts them again). */
  private readonly translationState = new TranslationState();

  constructor(options: StoreSinkOptions) {
    this.writer = options.writer;
    this.limit = options.queueLimitBytes;
    this.maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.metrics = options.metrics;
    this.metrics?.queueLimitBytes.set(this.limit);
    this.storeMetrics = options.storeMetrics ?? false;
    this.translation = options.translation ?? {};
  }

  /** Estimated bytes waiting for their commit. */
  get queuedBytes(): number {
    return this.queued;
  }

  /** The most bytes ever waiting at once. */
  get peakQueuedBytes(): number {
    return this.peak;
  }

  /**
   * Refuses before decoding when the queue is full already (or the sink is closing): such a request would
   * be refused anyway, and decoding a flood of them first is what would make memory grow. Counted in
   * dss_collector_requests_refused_total, since its records are not known.
   */
  admit(signal: OtlpSignal): void {
    if (!this.closing && this.queued < this.limit) return;
    this.metrics?.requestsRefused.inc({ signal, reason: 'overloaded' });
    throw this.overloaded(this.closing ? SHUTTING_DOWN : undefined);
  }

  async consume(request: DecodedExport): Promise<SinkResult | undefined> {
    if (this.closing) throw this.refuse(request, SHUTTING_DOWN);
    if (request.signal === 'metrics' && !this.storeMetrics) {
      const records = countRecords(request);
      this.metrics?.refused.inc({ signal: 'metrics', reason: 'not_stored' }, records);
      return { rejected: records, message: METRICS_NOT_STORED };
    }
    if (this.queued >= this.limit) throw this.refuse(request);

    const preparation: Preparation =
      request.signal === 'traces'
        ? prepareTraces(request)
        : request.signal === 'logs'
          ? prepareLogs(request)
          : prepareMetrics(request, this.translationState, this.translation);
    const write = preparation.write;
    if (write && this.queued > 0 && this.queued + write.bytes > this.limit) throw this.refuse(request);
    const result =
      preparation.rejected > 0 ? { rejected: preparation.rejected, message: preparation.message } : undefined;
    if (preparation.rejected > 0) this.countRefused(request.signal, 'not_stored', preparation.rejected);
    if (!write) return result;

    return new Promise<SinkResult | undefined>((resolve, reject) => {
      this.queue.push({ write, bytes: write.bytes, result, resolve, reject });
      this.queued += write.bytes;
      this.peak = Math.max(this.peak, this.queued);
      this.metrics?.queueBytes.set(this.queued);
      this.scheduleFlush();
    });
  }

  /**
   * Appends samples that did not come through OTLP (the scraper's), through the same queue and commits.
   * Throws SinkOverloadedError when the queue is full or the sink is closing.
   */
  append(batch: AppendBatch): Promise<void> {
    if (!this.storeMetrics) return Promise.reject(new Error(METRICS_NOT_STORED));
    const write = metricsWrite([batch]);
    if (!write) return Promise.resolve();
    if (this.closing || (this.queued > 0 && this.queued + write.bytes > this.limit)) {
      this.countRefused('metrics', 'overloaded', write.records);
      return Promise.reject(
        new SinkOverloadedError(
          this.retryAfterSeconds,
          'the collector is busy, the scraped samples were dropped',
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, bytes: write.bytes, result: undefined, resolve: () => resolve(), reject });
      this.queued += write.bytes;
      this.peak = Math.max(this.peak, this.queued);
      this.metrics?.queueBytes.set(this.queued);
      this.scheduleFlush();
    });
  }

  /** Resolves once every queued request has been committed (or failed). */
  idle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new requests (retryable) and resolves once the queue is committed. */
  close(): Promise<void> {
    this.closing = true;
    return this.idle();
  }

  private refuse(request: DecodedExport, message?: string): SinkOverloadedError {
    this.countRefused(request.signal, 'overloaded', countRecords(request));
    return this.overloaded(message);
  }

  /** The retryable refusal, by default for a full queue. */
  private overloaded(message?: string): SinkOverloadedError {
    return new SinkOverloadedError(
      this.retryAfterSeconds,
      message ??
        `the collector's queue is full (${this.queued} of ${this.limit} bytes waiting to be stored), retry later`,
    );
  }

  private countRefused(signal: OtlpSignal, reason: RefusalReason, records: number): void {
    this.metrics?.refused.inc({ signal, reason }, records);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After the current I/O phase: every request decoded meanwhile joins this batch.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const batch = this.takeBatch();
    if (batch.length > 0) {
      try {
        this.commit(batch);
        for (const item of batch) item.resolve(item.result);
      } catch (error) {
        if (batch.length === 1) this.fail(batch[0] as Pending, error);
        // One bad request must not fail the others it happened to share a transaction with.
        else for (const item of batch) this.commitAlone(item);
      }
      for (const item of batch) this.queued -= item.bytes;
      this.metrics?.queueBytes.set(this.queued);
    }
    if (this.queue.length > 0) this.scheduleFlush();
    else for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private takeBatch(): Pending[] {
    let bytes = 0;
    let count = 0;
    for (const item of this.queue) {
      if (count > 0 && bytes + item.bytes > this.maxBatchBytes) break;
      bytes += item.bytes;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private commit(batch: Pending[]): void {
    const started = performance.now();
    const outcome = this.writer.write(batch.map((item) => item.write));
    this.metrics?.commitSeconds.observe((performance.now() - started) / 1000);
    if (this.metrics) {
      for (const { write } of batch) {
        if (write.signal !== 'metrics') this.metrics.accepted.inc({ signal: write.signal }, write.records);
      }
      if (outcome.samples > 0) this.metrics.accepted.inc({ signal: 'metrics' }, outcome.samples);
      if (outcome.duplicateSpans > 0) this.metrics.duplicateSpans.inc(outcome.duplicateSpans);
      if (outcome.outOfOrderSamples > 0)
        this.countRefused('metrics', 'out_of_order', outcome.outOfOrderSamples);
      if (outcome.duplicateSamples > 0) this.countRefused('metrics', 'duplicate', outcome.duplicateSamples);
      if (outcome.invalidSamples > 0) this.countRefused('metrics', 'invalid', outcome.invalidSamples);
    }
  }

  private commitAlone(item: Pending): void {
    try {
      this.commit([item]);
      item.resolve(item.result);
    } catch (error) {
      this.fail(item, error);
    }
  }

  private fail(item: Pending, error: unknown): void {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_SQLITE_CODES.has(code)) {
      this.countRefused(item.write.signal, 'overloaded', item.write.records);
      item.reject(
        new SinkOverloadedError(this.retryAfterSeconds, `the store is busy (${code}), retry later`),
      );
      return;
    }
    this.countRefused(item.write.signal, 'store_error', item.write.records);
    item.reject(error);
  }
}
