// Compaction: moves the oldest head samples (kept in memory, logged in prom_head at ~21 bytes each) into
// compressed chunks (prom_chunks, 1-2 bytes a sample), then deletes the head-log rows none of whose
// samples is left in the head.
//
// Policy, per series:
//   - full chunks: while the head holds `chunkSamples` (240) samples that are "settled", i.e. older
//     than the series' newest sample by `settleMs` (5 min), they become a chunk. 240 samples is an hour
//     at a 15 s scrape: the per-chunk overhead (row, index entry, first sample in full, ~40 bytes) stays
//     under 0.2 byte a sample, and a range query decodes at most one partial hour at each end. The
//     settle time keeps the last minutes in the head, where a late sample is still accepted.
//   - old heads: a series whose oldest head sample is older than `maxHeadAgeMs` (2 h) before now gets its
//     settled samples compacted however few (slow scrapes, series that stopped: the head must not keep
//     them for ever); a series with nothing newer than that (it stopped) gets all of them. This bounds
//     the head, in memory and in the log, to about two hours of samples.
//   - a chunk is also cut short at `chunkBytes` (900) encoded bytes: rows of a quarter page at most, so
//     that pages of the chunk table stay full (SQLite puts whole rows on a page; rows of 1-2 KB would
//     leave a third of each page empty).
//
// A chunk is inserted, and its series' floor (prom_series.floor_t) raised to its last sample, in one
// transaction; the samples leave the in-memory head when it commits, so a reader finds each sample in
// exactly one place. Transactions hold up to `chunksPerTransaction` chunks (a few milliseconds), and the
// background compactor yields to the event loop between them, so ingest and queries interleave with a
// running pass.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { encodeChunk } from '../metrics/chunks/index.ts';
import {
  headDrop,
  headMaxT,
  headMinT,
  lowerBound,
  type SeriesCatalog,
  type SeriesEntry,
} from './metrics-catalog.ts';
import type { HeadLog } from './metrics-head-log.ts';

export interface CompactionPolicy {
  /** Most samples in a chunk. Default 240. */
  chunkSamples?: number;
  /** Most encoded bytes in a chunk (a chunk holds at least one sample). Default 900. */
  chunkBytes?: number;
  /** Samples this close to their series' newest stay in the head. Default 5 min. */
  settleMs?: number;
  /** Head samples older than this are compacted even when they do not fill a chunk. Default 2 h. */
  maxHeadAgeMs?: number;
  /** Chunks written per transaction. Default 32. */
  chunksPerTransaction?: number;
}

export interface CompactionOptions {
  /** Compact every head sample, settled or not (tests, benchmarks, a final flush). */
  all?: boolean;
  /** Milliseconds since the epoch; default Date.now(). */
  now?: number;
}

export interface CompactionResult {
  chunks: number;
  samples: number;
  series: number;
  /** Head-log rows deleted. */
  logRows: number;
  durationMs: number;
}

interface ChunkWrite {
  entry: SeriesEntry;
  minT: number;
  maxT: number;
  count: number;
}

type StepOptions = CompactionOptions & { now: number };

export class HeadCompaction {
  private readonly catalog: SeriesCatalog;
  private readonly log: HeadLog;
  private readonly chunkSamples: number;
  private readonly chunkBytes: number;
  private readonly settleMs: number;
  private readonly maxHeadAgeMs: number;
  private readonly chunksPerTransaction: number;
  private readonly insertChunk: Database.Statement;
  private readonly raiseFloor: Database.Statement;
  private readonly step: (entries: readonly SeriesEntry[], at: number, options: StepOptions) => StepResult;

  constructor(db: Database.Database, catalog: SeriesCatalog, log: HeadLog, policy: CompactionPolicy = {}) {
    this.catalog = catalog;
    this.log = log;
    this.chunkSamples = policy.chunkSamples ?? 240;
    this.chunkBytes = policy.chunkBytes ?? 900;
    this.settleMs = policy.settleMs ?? 5 * 60_000;
    this.maxHeadAgeMs = policy.maxHeadAgeMs ?? 2 * 3_600_000;
    this.chunksPerTransaction = policy.chunksPerTransaction ?? 32;
    this.insertChunk = db.prepare(
      'INSERT INTO prom_chunks (series_id, min_t, max_t, count, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.raiseFloor = db.prepare('UPDATE prom_series SET floor_t = ? WHERE id = ?');
    this.step = db.transaction((entries: readonly SeriesEntry[], at: number, options: StepOptions) =>
      this.compactEntries(entries, at, options),
    );
  }

  /** Series with something to compact now. */
  candidates(options: CompactionOptions = {}): SeriesEntry[] {
    const now = options.now ?? Date.now();
    const out: SeriesEntry[] = [];
    for (const entry of this.catalog.entries()) {
      const count = entry.headT.length;
      if (count === 0) continue;
      if (options.all || count >= this.chunkSamples || headMinT(entry) < now - this.maxHeadAgeMs)
        out.push(entry);
    }
    return out;
  }

  /** Compacts everything due now, without yielding (tests, benchmarks, tools). */
  compactSync(options: CompactionOptions = {}): CompactionResult {
    const started = performance.now();
    const result: CompactionResult = { chunks: 0, samples: 0, series: 0, logRows: 0, durationMs: 0 };
    const entries = this.candidates(options);
    for (let at = 0; at < entries.length; ) at = this.runStep(entries, at, options, result);
    result.logRows = this.log.collect();
    result.durationMs = performance.now() - started;
    return result;
  }

  /** Compacts everything due now in short transactions, yielding between them; `stopped` ends it early. */
  async compact(
    options: CompactionOptions = {},
    stopped: () => boolean = () => false,
  ): Promise<CompactionResult> {
    const started = performance.now();
    const result: CompactionResult = { chunks: 0, samples: 0, series: 0, logRows: 0, durationMs: 0 };
    const entries = this.candidates(options);
    for (let at = 0; at < entries.length && !stopped(); ) {
      at = this.runStep(entries, at, options, result);
      await nextTurn();
    }
    result.logRows = this.log.collect();
    result.durationMs = performance.now() - started;
    return result;
  }

  /** One transaction from entries[at] on; the head and catalog learn its changes once it committed. */
  private runStep(
    entries: readonly SeriesEntry[],
    at: number,
    options: CompactionOptions,
    result: CompactionResult,
  ): number {
    const { writes, next } = this.step(entries, at, { ...options, now: options.now ?? Date.now() });
    const touched = new Set<SeriesEntry>();
    for (const { entry, minT, maxT, count } of writes) {
      headDrop(entry, count);
      if (minT < entry.chunkMinT) entry.chunkMinT = minT;
      if (maxT > entry.chunkMaxT) entry.chunkMaxT = maxT;
      if (maxT < entry.firstChunkMaxT) entry.firstChunkMaxT = maxT;
      if (maxT > entry.appendFloor) entry.appendFloor = maxT;
      result.chunks++;
      result.samples += count;
      touched.add(entry);
    }
    result.series += touched.size;
    return next;
  }

  private compactEntries(entries: readonly SeriesEntry[], at: number, options: StepOptions): StepResult {
    const writes: ChunkWrite[] = [];
    let next = at;
    while (next < entries.length && writes.length < this.chunksPerTransaction) {
      const entry = entries[next] as SeriesEntry;
      // A series retention removed since the candidates were listed is skipped.
      if (this.catalog.get(entry.id) !== entry || !this.compactSeries(entry, options, writes)) next++;
    }
    return { writes, next };
  }

  /**
   * Writes this series' chunks until it has nothing due or the transaction is full; true when it may
   * have more (the transaction filled up first). The head changes only after the commit: `taken` counts
   * the samples this transaction already put in chunks.
   */
  private compactSeries(entry: SeriesEntry, options: StepOptions, writes: ChunkWrite[]): boolean {
    const oldBefore = options.now - this.maxHeadAgeMs;
    const newest = headMaxT(entry);
    const upTo = options.all || newest < oldBefore ? newest : newest - this.settleMs;
    const due = lowerBound(entry.headT, upTo + 1); // settled samples: [0, due)
    let taken = 0;
    while (taken < due) {
      if (writes.length >= this.chunksPerTransaction) return true;
      const available = Math.min(this.chunkSamples, due - taken);
      const old = (entry.headT[taken] as number) < oldBefore;
      if (available < this.chunkSamples && !options.all && !old) return false;
      const { data, count } = this.encode(entry, taken, available);
      const minT = entry.headT[taken] as number;
      const maxT = entry.headT[taken + count - 1] as number;
      this.insertChunk.run(entry.id, minT, maxT, count, data);
      this.raiseFloor.run(maxT, entry.id);
      writes.push({ entry, minT, maxT, count });
      taken += count;
    }
    return false;
  }

  /** The longest run of head samples from `from` (at most `n`) that encodes within chunkBytes. */
  private encode(entry: SeriesEntry, from: number, n: number): { data: Uint8Array; count: number } {
    let count = n;
    for (;;) {
      const end = from + count;
      const data = encodeChunk({
        t: entry.headT.slice(from, end),
        v: entry.headV.slice(from, end),
        stale: entry.headStale?.slice(from, end),
      });
      if (data.length <= this.chunkBytes || count === 1) return { data, count };
      count = Math.max(1, Math.min(count - 1, Math.floor((count * this.chunkBytes) / data.length)));
    }
  }
}

interface StepResult {
  writes: ChunkWrite[];
  next: number;
}

export interface MetricsCompactorOptions {
  /** Time between passes. Default 60 s. */
  intervalMs?: number;
  onPass?: (result: CompactionResult) => void;
  /** Default console.error. */
  onError?: (error: unknown) => void;
  /** Milliseconds since the epoch (tests). */
  now?: () => number;
}

/** Runs compaction passes in the background, like Retention. */
export class MetricsCompactor {
  private readonly compaction: HeadCompaction;
  private readonly options: MetricsCompactorOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CompactionResult> | undefined;
  private stopped = false;

  constructor(compaction: HeadCompaction, options: MetricsCompactorOptions = {}) {
    this.compaction = compaction;
    this.options = options;
  }

  /** Runs a pass every intervalMs; the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.stopped = false;
    const interval = this.options.intervalMs ?? 60_000;
    const tick = () => {
      this.runPass()
        .catch(this.options.onError ?? ((error: unknown) => console.error('metrics compaction:', error)))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, interval).unref();
        });
    };
    this.timer = setTimeout(tick, interval).unref();
  }

  /** Stops the timer and waits for a running pass, which ends after its current transaction. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  runPass(): Promise<CompactionResult> {
    this.running ??= this.compaction
      .compact({ now: this.options.now?.() ?? Date.now() }, () => this.stopped)
      .then((result) => {
        this.options.onPass?.(result);
        return result;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
