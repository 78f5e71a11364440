// Deleting old Prometheus data, for Retention (retention.ts): chunks and head samples before a cutoff,
// and series left without data, in transactions of a bounded number of chunks. The catalog says which
// series have data before the cutoff, so no query scans the chunk table; it learns the new bounds (and
// the series removed) once each transaction has committed. Head samples are deleted by raising their
// series' floor past them (the head log keeps them until its rows are collected, and the floor keeps
// them from coming back when the store reopens).
import type Database from 'better-sqlite3';
import {
  CHUNK_BOUNDS,
  type ChunkBoundsRow,
  headDrop,
  headMinT,
  lowerBound,
  type SeriesCatalog,
  type SeriesEntry,
  seriesMinT,
  setChunkBounds,
} from './metrics-catalog.ts';
import type { HeadLog } from './metrics-head-log.ts';

export interface MetricsDeletion {
  /** Samples deleted (chunk samples and head samples). */
  samples: number;
  chunks: number;
  /** Series removed because no sample was left. */
  series: number;
  /** The chunk limit stopped this call before everything due was deleted: call again. */
  more: boolean;
}

/** Series visited per transaction at most. */
const SERIES_PER_TRANSACTION = 256;

interface Change {
  entry: SeriesEntry;
  chunks: ChunkBoundsRow;
  /** Head samples deleted (the first ones). */
  headDeleted: number;
  floor: number;
  removed: boolean;
}

export class MetricsRetention {
  private readonly catalog: SeriesCatalog;
  private readonly log: HeadLog;
  private readonly deleteChunksBefore: Database.Statement;
  private readonly deleteChunkAcross: Database.Statement;
  private readonly chunkBounds: Database.Statement;
  private readonly raiseFloor: Database.Statement;
  private readonly deleteSeries: Database.Statement;
  private readonly step: (
    entries: readonly SeriesEntry[],
    cutoffMs: number,
    limit: number,
    partial: boolean,
  ) => { deletion: MetricsDeletion; changes: Change[] };

  constructor(db: Database.Database, catalog: SeriesCatalog, log: HeadLog) {
    this.catalog = catalog;
    this.log = log;
    this.deleteChunksBefore = db
      .prepare(
        `DELETE FROM prom_chunks WHERE id IN
           (SELECT id FROM prom_chunks WHERE series_id = ? AND max_t < ? ORDER BY max_t LIMIT ?)
         RETURNING count, max_t`,
      )
      .raw();
    // The one chunk that may straddle the cutoff (chunks of a series do not overlap).
    this.deleteChunkAcross = db
      .prepare(
        `DELETE FROM prom_chunks WHERE id =
           (SELECT id FROM prom_chunks WHERE series_id = :id AND max_t >= :cutoff ORDER BY max_t LIMIT 1)
           AND min_t < :cutoff
         RETURNING count, max_t`,
      )
      .raw();
    this.chunkBounds = db.prepare(CHUNK_BOUNDS).raw();
    this.raiseFloor = db.prepare(
      'UPDATE prom_series SET floor_t = max(coalesce(floor_t, :floor), :floor) WHERE id = :id',
    );
    this.deleteSeries = db.prepare('DELETE FROM prom_series WHERE id = ?');
    this.step = db.transaction((entries, cutoffMs, limit, partial) =>
      this.deleteInTransaction(entries, cutoffMs, limit, partial),
    );
  }

  /** Time of the oldest sample in the store (ms), undefined when it holds none. */
  oldestSampleMs(): number | undefined {
    let oldest = Number.POSITIVE_INFINITY;
    for (const entry of this.catalog.entries()) {
      const min = seriesMinT(entry);
      if (min < oldest) oldest = min;
    }
    return Number.isFinite(oldest) ? oldest : undefined;
  }

  /**
   * One transaction: deletes head samples before `cutoffMs` and chunks that end before it (with
   * `partial`, also the chunk that straddles it: size-based retention must make progress), up to
   * `limit` chunks, and series left empty. Then collects the head log.
   */
  deleteBefore(cutoffMs: number, limit: number, partial = false): MetricsDeletion {
    const due: SeriesEntry[] = [];
    for (const entry of this.catalog.entries()) {
      const oldest = partial ? entry.chunkMinT : entry.firstChunkMaxT;
      if (oldest < cutoffMs || headMinT(entry) < cutoffMs) due.push(entry);
    }
    if (due.length === 0) return { samples: 0, chunks: 0, series: 0, more: false };
    const { deletion, changes } = this.step(due, cutoffMs, Math.max(1, limit), partial);
    let headChanged = false;
    for (const change of changes) {
      const { entry } = change;
      if (change.removed) {
        this.catalog.remove(entry);
        continue;
      }
      setChunkBounds(entry, change.chunks);
      headDrop(entry, change.headDeleted);
      headChanged ||= change.headDeleted > 0;
      if (change.floor > entry.appendFloor) entry.appendFloor = change.floor;
    }
    if (headChanged || deletion.series > 0) this.log.collect();
    return deletion;
  }

  private deleteInTransaction(
    entries: readonly SeriesEntry[],
    cutoffMs: number,
    limit: number,
    partial: boolean,
  ): { deletion: MetricsDeletion; changes: Change[] } {
    const deletion: MetricsDeletion = { samples: 0, chunks: 0, series: 0, more: false };
    const changes: Change[] = [];
    for (const [visited, entry] of entries.entries()) {
      const room = limit - deletion.chunks;
      if (room <= 0 || visited >= SERIES_PER_TRANSACTION) {
        deletion.more = true;
        break;
      }
      let chunks = 0;
      let samples = 0;
      let floor = Number.NEGATIVE_INFINITY;
      if (entry.chunkMinT < cutoffMs) {
        // Whole chunks that end before the cutoff first, up to the room left.
        const deleted = this.deleteChunksBefore.all(entry.id, cutoffMs, room) as [number, number][];
        if (deleted.length === room)
          deletion.more = true; // maybe more in this series
        else if (partial)
          deleted.push(
            ...(this.deleteChunkAcross.all({ id: entry.id, cutoff: cutoffMs }) as [number, number][]),
          );
        for (const [count, maxT] of deleted) {
          chunks++;
          samples += count;
          if (maxT > floor) floor = maxT;
        }
      }
      const headDeleted = lowerBound(entry.headT, cutoffMs);
      if (headDeleted > 0) {
        samples += headDeleted;
        floor = Math.max(floor, entry.headT[headDeleted - 1] as number);
      }
      deletion.chunks += chunks;
      deletion.samples += samples;
      if (samples === 0) continue;
      const chunkBounds = this.chunkBounds.get({ id: entry.id }) as ChunkBoundsRow;
      const removed = chunkBounds === undefined && headDeleted === entry.headT.length;
      if (removed) {
        this.deleteSeries.run(entry.id);
        deletion.series++;
      } else if (floor > entry.appendFloor) {
        this.raiseFloor.run({ floor, id: entry.id });
      }
      changes.push({ entry, chunks: chunkBounds, headDeleted, floor, removed });
    }
    return { deletion, changes };
  }
}
