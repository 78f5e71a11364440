// Appends Prometheus samples: one transaction per batch, which writes the new series and one head-log
// row holding the accepted samples (metrics-head-log.ts); the samples go into the in-memory head at the
// same time, and come out again if the transaction fails. When append() returns, the batch is committed
// and survives a killed process. Metadata is upserted when it changed.
//
// What is not appended, and counted (the caller reports a partial success):
//   - out of order: a sample at or before its series' floor, the newest time already compacted into a
//     chunk (Prometheus refuses out-of-order samples too), unless that chunk holds the same sample;
//   - duplicate: a sample whose timestamp is stored with another value ("duplicate sample for timestamp");
//   - invalid: a timestamp that is not an integer within ±2^50 ms.
// A sample stored already with the same value (a retried batch) is ignored silently, whether it is in
// the head or in a chunk. Values compare bit for bit, except that every NaN equals every NaN.
import type Database from 'better-sqlite3';
import { decodeChunk } from '../metrics/chunks/index.ts';
import type { AppendBatch, Labels, MetricMetadata } from '../metrics/model.ts';
import {
  CHUNK_BOUNDS,
  type ChunkBoundsRow,
  emptyEntry,
  headInsert,
  headRemove,
  lowerBound,
  type SeriesCatalog,
  type SeriesEntry,
  setChunkBounds,
} from './metrics-catalog.ts';
import { type HeadLog, LogBatch } from './metrics-head-log.ts';
import { type CanonicalLabels, canonicalLabels, seriesHash, seriesKey } from './metrics-labels.ts';

export interface AppendOutcome {
  appended: number;
  outOfOrder: number;
  duplicates: number;
  invalid: number;
}

const MAX_TIMESTAMP = 2 ** 50;
/** Entries of the label-string → series-key cache before it starts over. */
const MAX_CACHED_KEYS = 200_000;

interface TransactionResult {
  outcome: AppendOutcome;
  row: ReturnType<HeadLog['write']>;
}

const sameSample = (storedValue: number, storedStale: boolean, value: number, stale: boolean): boolean =>
  storedStale === stale &&
  (stale || Object.is(storedValue, value) || (Number.isNaN(storedValue) && Number.isNaN(value)));

export class MetricsAppender {
  private readonly db: Database.Database;
  private readonly catalog: SeriesCatalog;
  private readonly log: HeadLog;
  private readonly insertSeries: Database.Statement;
  private readonly seriesByHash: Database.Statement;
  private readonly chunkAt: Database.Statement;
  private readonly upsertMetadata: Database.Statement;
  private readonly transaction: (batch: AppendBatch) => TransactionResult;
  /** tenant NUL JSON.stringify(labels as given) → canonical key: labels arrive in the same order each scrape. */
  private readonly keyCache = new Map<string, { key: string; canonical: CanonicalLabels }>();
  /** Metadata last written, by tenant NUL metric. */
  private readonly metadataWritten = new Map<string, string>();
  // The batch in progress: what to undo if it rolls back, what to remember once it commits.
  private created: SeriesEntry[] = [];
  private inserted: [SeriesEntry, number][] = [];
  private metadataChanges = new Map<string, string>();

  constructor(db: Database.Database, catalog: SeriesCatalog, log: HeadLog) {
    this.db = db;
    this.catalog = catalog;
    this.log = log;
    this.insertSeries = db.prepare(
      'INSERT INTO prom_series (hash, tenant, name, labels) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING',
    );
    this.seriesByHash = db.prepare('SELECT id, floor_t FROM prom_series WHERE hash = ?').raw();
    this.chunkAt = db
      .prepare(
        'SELECT data FROM prom_chunks WHERE series_id = ? AND max_t >= ? AND min_t <= ? ORDER BY max_t LIMIT 1',
      )
      .pluck();
    this.upsertMetadata = db.prepare(
      `INSERT INTO prom_metadata (tenant, metric, type, help, unit) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, metric) DO UPDATE SET type = excluded.type, help = excluded.help, unit = excluded.unit`,
    );
    this.transaction = db.transaction((batch: AppendBatch) => this.appendInTransaction(batch));
  }

  append(batch: AppendBatch): AppendOutcome {
    this.created = [];
    this.inserted = [];
    this.metadataChanges = new Map();
    let result: TransactionResult;
    try {
      result = this.transaction(batch);
    } catch (error) {
      // Rolled back: take the batch's samples and series out of memory again.
      for (const [entry, t] of this.inserted.reverse()) headRemove(entry, t);
      for (const entry of this.created) this.catalog.remove(entry);
      throw error;
    }
    this.log.committed(result.row);
    for (const [key, value] of this.metadataChanges) this.metadataWritten.set(key, value);
    return result.outcome;
  }

  private appendInTransaction(batch: AppendBatch): TransactionResult {
    const outcome: AppendOutcome = { appended: 0, outOfOrder: 0, duplicates: 0, invalid: 0 };
    for (const metadata of batch.metadata ?? []) this.writeMetadata(batch.tenant, metadata);
    const logged = new LogBatch();
    let decoded: { id: number; chunk: ReturnType<typeof decodeChunk> } | undefined;
    for (const sample of batch.samples) {
      const t = sample.timestampMs;
      if (!Number.isInteger(t) || t > MAX_TIMESTAMP || t < -MAX_TIMESTAMP) {
        outcome.invalid++;
        continue;
      }
      const stale = sample.stale === true;
      const value = stale ? Number.NaN : sample.value;
      if (typeof value !== 'number') throw new TypeError(`sample value ${String(value)} is not a number`);
      const entry = this.seriesOf(batch.tenant, sample.labels);
      if (t <= entry.appendFloor) {
        // Behind the floor: only a retry of a compacted sample is acceptable. Consecutive samples of a
        // retried batch often fall in the same chunk, so the last one decoded is kept.
        const chunk = decoded?.id === entry.id ? decoded.chunk : undefined;
        if (!chunk || t < (chunk.t[0] as number) || t > (chunk.t.at(-1) as number)) {
          const data = this.chunkAt.get(entry.id, t, t) as Buffer | undefined;
          decoded = data ? { id: entry.id, chunk: decodeChunk(data) } : undefined;
        }
        const at = decoded ? lowerBound(decoded.chunk.t, t) : -1;
        if (!decoded || decoded.chunk.t[at] !== t) outcome.outOfOrder++;
        else if (!sameSample(decoded.chunk.v[at] as number, decoded.chunk.stale?.[at] === 1, value, stale))
          outcome.duplicates++;
        continue;
      }
      const existing = headInsert(entry, t, value, stale);
      if (existing >= 0) {
        if (!sameSample(entry.headV[existing] as number, entry.headStale?.[existing] === 1, value, stale)) {
          outcome.duplicates++;
        }
        continue;
      }
      this.inserted.push([entry, t]);
      logged.add(entry.id, t, value, stale);
      outcome.appended++;
    }
    return { outcome, row: this.log.write(logged) };
  }

  /** The series of these labels, created (in the current transaction) when new. */
  private seriesOf(tenant: string, labels: Labels): SeriesEntry {
    const raw = `${tenant}\u0000${JSON.stringify(labels)}`;
    let cached = this.keyCache.get(raw);
    if (!cached) {
      const canonical = canonicalLabels(labels);
      cached = { key: seriesKey(tenant, canonical.json), canonical };
      if (this.keyCache.size >= MAX_CACHED_KEYS) this.keyCache.clear();
      this.keyCache.set(raw, cached);
    }
    const known = this.catalog.getByKey(cached.key);
    if (known) return known;
    const { labels: canonical, json, name } = cached.canonical;
    const hash = seriesHash(cached.key);
    const inserted = this.insertSeries.run(hash, tenant, name, json);
    let entry: SeriesEntry;
    if (inserted.changes === 1) {
      entry = emptyEntry(Number(inserted.lastInsertRowid), tenant, name, canonical, cached.key);
    } else {
      // A row the catalog does not know: another store wrote the file since this one opened (one store
      // per file is what works: the other's head is not in this one's memory). Take its chunks and floor.
      const [id, floor] = this.seriesByHash.get(hash) as [number, number | null];
      entry = emptyEntry(id, tenant, name, canonical, cached.key);
      setChunkBounds(entry, this.db.prepare(CHUNK_BOUNDS).raw().get({ id }) as ChunkBoundsRow);
      entry.appendFloor = Math.max(floor ?? Number.NEGATIVE_INFINITY, entry.chunkMaxT);
    }
    this.catalog.add(entry);
    this.created.push(entry);
    return entry;
  }

  private writeMetadata(tenant: string, metadata: MetricMetadata): void {
    const key = `${tenant}\u0000${metadata.metric}`;
    const value = JSON.stringify([metadata.type, metadata.help, metadata.unit]);
    if ((this.metadataChanges.get(key) ?? this.metadataWritten.get(key)) === value) return;
    this.upsertMetadata.run(tenant, metadata.metric, metadata.type, metadata.help, metadata.unit);
    this.metadataChanges.set(key, value);
  }
}
