// Retention by age and by size, in the background. Every pass deletes in small transactions (a chunk of
// the oldest records each) and yields to the event loop between them, so ingest commits interleave
// with it and never wait behind one long delete. Pages freed by the deletes are then handed back to the
// file system a few at a time (incremental vacuum).
//
// Age is measured on the records' own times (span start, log timestamp, sample time). Size is the bytes
// in pages that hold data (page_count - freelist_count): the main file, not the WAL, which checkpoints
// keep near its 64 MiB journal_size_limit.
//
// Prometheus metrics (metrics-store.ts) follow the same policy through the store, which owns an
// in-memory catalog of its series and must learn of every deletion: retention calls its deleteBefore()
// rather than deleting rows itself. By age, chunks that end before the cutoff and older head samples go
// (a chunk straddling the cutoff stays until it is all old, as Prometheus keeps whole blocks); by size,
// the oldest quarter hour of samples at a time, chunks included, competing with spans and logs on age.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { pageUsage } from './read-stats.ts';
import { DELETE_DEAD_TRACE_GROUPS } from './trace-groups.ts';

export interface RetentionPolicy {
  /** Delete records older than this many milliseconds. */
  maxAgeMs?: number;
  /** Delete the oldest records while the data pages take more than this many bytes. */
  maxBytes?: number;
}

/** What retention needs of the metrics store (MetricsStore implements it). */
export interface MetricsRetentionTarget {
  /** Time (ms) of the oldest sample, undefined when there is none. */
  oldestSampleMs(): number | undefined;
  /**
   * One short transaction: deletes samples before cutoffMs (whole chunks only unless `partial`), at most
   * `limit` chunks, and series left without samples. `more`: call again.
   */
  deleteBefore(
    cutoffMs: number,
    limit: number,
    partial?: boolean,
  ): { samples: number; series: number; more: boolean };
}

export interface RetentionOptions extends RetentionPolicy {
  /** Time between passes. Default 60 s. */
  intervalMs?: number;
  /** Records deleted per transaction. Default 2000 (a few milliseconds of work). */
  chunkRows?: number;
  /** Pages released per incremental-vacuum step. Default 1024 (4 MiB). */
  vacuumPages?: number;
  /**
   * Delete resources no record uses any more (default true). Only the process that writes may: its
   * writer caches resource ids, and must be told through onResourcesDeleted.
   */
  deleteUnusedResources?: boolean;
  /** The metrics store, whose samples follow the same limits. */
  metrics?: MetricsRetentionTarget;
  /** Called after resources were deleted, inside no transaction: the writer must forget their ids. */
  onResourcesDeleted?: () => void;
  onPass?: (result: RetentionPassResult) => void;
  /** Default console.error. */
  onError?: (error: unknown) => void;
  /** Milliseconds since the epoch (tests). */
  now?: () => number;
}

export interface RetentionPassResult {
  spans: number;
  logRecords: number;
  resources: number;
  /** Prometheus samples deleted, and series left without samples deleted with them. */
  metricSamples: number;
  metricSeries: number;
  /** Pages returned to the file system. */
  releasedPages: number;
  durationMs: number;
}

type Table = 'spans' | 'log_records';
/** Size retention deletes this much of the oldest metric data per step. */
const METRICS_SIZE_STEP_MS = 15 * 60_000;
const TIME_COLUMN: Record<Table, string> = { spans: 'start_ns', log_records: 'timestamp_ns' };

export class Retention {
  private readonly db: Database.Database;
  private readonly options: RetentionOptions;
  private readonly chunkRows: number;
  private readonly oldestIds: Record<Table, Database.Statement>;
  private readonly idsBefore: Record<Table, Database.Statement>;
  private readonly deleteSpans: (ids: string) => void;
  private readonly deleteLogs: (ids: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionPassResult> | undefined;
  private stopped = false;

  constructor(db: Database.Database, options: RetentionOptions) {
    this.db = db;
    this.options = options;
    this.chunkRows = options.chunkRows ?? 2_000;
    const select = (table: Table, where: string) =>
      db
        .prepare(
          `SELECT json_group_array(id) FROM (SELECT id FROM ${table} ${where} ORDER BY ${TIME_COLUMN[table]}, id LIMIT ${this.chunkRows})`,
        )
        .pluck();
    this.oldestIds = { spans: select('spans', ''), log_records: select('log_records', '') };
    this.idsBefore = {
      spans: select('spans', 'WHERE start_ns < ?'),
      log_records: select('log_records', 'WHERE timestamp_ns < ?'),
    };
    // Ids travel as one JSON array: one statement per table whatever the chunk size.
    const inIds = 'IN (SELECT value FROM json_each(?))';
    const events = db.prepare(`DELETE FROM span_events WHERE span_row ${inIds}`);
    const links = db.prepare(`DELETE FROM span_links WHERE span_row ${inIds}`);
    const spans = db.prepare(`DELETE FROM spans WHERE id ${inIds}`);
    const traceGroups = db.prepare(DELETE_DEAD_TRACE_GROUPS);
    const logs = db.prepare(`DELETE FROM log_records WHERE id ${inIds}`);
    this.deleteSpans = db.transaction((ids: string) => {
      events.run(ids);
      links.run(ids);
      spans.run(ids);
      traceGroups.run();
    });
    this.deleteLogs = db.transaction((ids: string) => {
      logs.run(ids);
    });
  }

  get enabled(): boolean {
    return this.options.maxAgeMs !== undefined || this.options.maxBytes !== undefined;
  }

  /** Runs a pass now and then every intervalMs; the timer does not keep the process alive. */
  start(): void {
    if (!this.enabled || this.timer) return;
    const tick = () => {
      this.runPass()
        .catch(this.options.onError ?? ((error: unknown) => console.error('retention:', error)))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 60_000).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops the timer and waits for a running pass, which ends after its current chunk. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass: age, then size, then resources no record uses, then release free pages. */
  runPass(): Promise<RetentionPassResult> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<RetentionPassResult> {
    const started = performance.now();
    const result: RetentionPassResult = {
      spans: 0,
      logRecords: 0,
      resources: 0,
      metricSamples: 0,
      metricSeries: 0,
      releasedPages: 0,
      durationMs: 0,
    };
    const { maxAgeMs, maxBytes } = this.options;
    if (maxAgeMs !== undefined) {
      const cutoffNs = BigInt(Math.floor((this.options.now?.() ?? Date.now()) - maxAgeMs)) * 1_000_000n;
      for (const table of ['spans', 'log_records'] as const) {
        while (!this.stopped) {
          const deleted = this.deleteChunk(table, this.idsBefore[table].get(cutoffNs) as string);
          this.count(result, table, deleted);
          if (deleted < this.chunkRows) break;
          await nextTurn();
        }
      }
      const metrics = this.options.metrics;
      while (metrics && !this.stopped) {
        const deleted = metrics.deleteBefore(Number(cutoffNs / 1_000_000n), this.chunkRows);
        result.metricSamples += deleted.samples;
        result.metricSeries += deleted.series;
        if (!deleted.more) break;
        await nextTurn();
      }
    }
    if (maxBytes !== undefined) {
      while (!this.stopped && pageUsage(this.db).usedBytes > maxBytes) {
        const table = this.oldestTable();
        if (!table) break;
        if (table === 'metrics') {
          const metrics = this.options.metrics as MetricsRetentionTarget;
          const oldest = metrics.oldestSampleMs() as number;
          const deleted = metrics.deleteBefore(oldest + METRICS_SIZE_STEP_MS, this.chunkRows, true);
          result.metricSamples += deleted.samples;
          result.metricSeries += deleted.series;
        } else {
          this.count(result, table, this.deleteChunk(table, this.oldestIds[table].get() as string));
        }
        await nextTurn();
      }
    }
    const deleteResources = this.options.deleteUnusedResources ?? true;
    if (deleteResources && result.spans + result.logRecords > 0 && !this.stopped) {
      result.resources = this.deleteUnusedResources();
      await nextTurn();
    }
    result.releasedPages = await this.releaseFreePages();
    result.durationMs = performance.now() - started;
    this.options.onPass?.(result);
    return result;
  }

  private count(result: RetentionPassResult, table: Table, deleted: number): void {
    if (table === 'spans') result.spans += deleted;
    else result.logRecords += deleted;
  }

  private deleteChunk(table: Table, ids: string): number {
    if (ids === '[]') return 0;
    if (table === 'spans') this.deleteSpans(ids);
    else this.deleteLogs(ids);
    return (JSON.parse(ids) as number[]).length;
  }

  /** The table (or the metrics store) whose oldest record is the oldest of all; undefined when all are empty. */
  private oldestTable(): Table | 'metrics' | undefined {
    const oldest = (table: Table) =>
      this.db.prepare(`SELECT min(${TIME_COLUMN[table]}) FROM ${table}`).pluck().safeIntegers(true).get() as
        | bigint
        | null;
    const metricsMs = this.options.metrics?.oldestSampleMs();
    const candidates: [Table | 'metrics', bigint | null][] = [
      ['spans', oldest('spans')],
      ['log_records', oldest('log_records')],
      ['metrics', metricsMs === undefined ? null : BigInt(metricsMs) * 1_000_000n],
    ];
    let found: Table | 'metrics' | undefined;
    let foundNs: bigint | undefined;
    for (const [table, ns] of candidates) {
      if (ns !== null && (foundNs === undefined || ns < foundNs)) {
        found = table;
        foundNs = ns;
      }
    }
    return found;
  }

  private deleteUnusedResources(): number {
    const { changes } = this.db
      .prepare(
        `DELETE FROM resources WHERE NOT EXISTS (SELECT 1 FROM spans WHERE resource_id = resources.id)
           AND NOT EXISTS (SELECT 1 FROM log_records WHERE resource_id = resources.id)
           AND NOT EXISTS (SELECT 1 FROM metric_series WHERE resource_id = resources.id)`,
      )
      .run();
    if (changes > 0) this.options.onResourcesDeleted?.();
    return changes;
  }

  private async releaseFreePages(): Promise<number> {
    if ((this.db.pragma('auto_vacuum', { simple: true }) as number) !== 2) return 0; // not INCREMENTAL
    const step = this.options.vacuumPages ?? 1024;
    let released = 0;
    while (!this.stopped) {
      const free = this.db.pragma('freelist_count', { simple: true }) as number;
      if (free === 0) break;
      this.db.pragma(`incremental_vacuum(${Math.min(step, free)})`);
      released += Math.min(step, free);
      await nextTurn();
    }
    return released;
  }
}
