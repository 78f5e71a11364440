// The head's write-ahead log (prom_head): every append batch writes its accepted samples as one row, a
// blob of columns (little-endian):
//   u32 count | count × u32 series id | count × f64 time (ms) | count × f64 value | count × u8 stale
// The head itself lives in memory (the catalog's series entries); this log is what makes an appended
// batch durable, and what rebuilds the head when the store opens. A row is deleted once none of its
// samples is still in the head: all of a row's samples are older than `collectBefore`, the oldest
// head sample of any series, once compaction or retention moved the head past its newest one.
import type Database from 'better-sqlite3';
import { headInsert, type SeriesCatalog, type SeriesEntry } from './metrics-catalog.ts';

/** Samples of one batch, as the log stores them. */
export class LogBatch {
  ids: number[] = [];
  t: number[] = [];
  v: number[] = [];
  stale: number[] = [];

  get length(): number {
    return this.ids.length;
  }

  add(id: number, t: number, v: number, stale: boolean): void {
    this.ids.push(id);
    this.t.push(t);
    this.v.push(v);
    this.stale.push(stale ? 1 : 0);
  }
}

export function encodeLogBatch(batch: LogBatch): Buffer {
  const n = batch.length;
  const data = Buffer.alloc(4 + n * 21);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  view.setUint32(0, n, true);
  const tAt = 4 + n * 4;
  const vAt = tAt + n * 8;
  const staleAt = vAt + n * 8;
  for (let i = 0; i < n; i++) {
    view.setUint32(4 + i * 4, batch.ids[i] as number, true);
    view.setFloat64(tAt + i * 8, batch.t[i] as number, true);
    view.setFloat64(vAt + i * 8, batch.v[i] as number, true);
    data[staleAt + i] = batch.stale[i] as number;
  }
  return data;
}

/** Calls `each` for every sample of a log row. */
export function forEachLogSample(
  data: Uint8Array,
  each: (id: number, t: number, v: number, stale: boolean) => void,
): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = view.getUint32(0, true);
  if (data.byteLength !== 4 + n * 21)
    throw new Error(`prom_head row of ${data.byteLength} bytes for ${n} samples`);
  const tAt = 4 + n * 4;
  const vAt = tAt + n * 8;
  const staleAt = vAt + n * 8;
  for (let i = 0; i < n; i++) {
    each(
      view.getUint32(4 + i * 4, true),
      view.getFloat64(tAt + i * 8, true),
      view.getFloat64(vAt + i * 8, true),
      data[staleAt + i] === 1,
    );
  }
}

interface LogRow {
  id: number;
  maxT: number;
}

export class HeadLog {
  private readonly db: Database.Database;
  private readonly catalog: SeriesCatalog;
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;
  /** Rows in the table, oldest first. */
  private rows: LogRow[] = [];

  constructor(db: Database.Database, catalog: SeriesCatalog) {
    this.db = db;
    this.catalog = catalog;
    this.insert = db.prepare('INSERT INTO prom_head (min_t, max_t, count, data) VALUES (?, ?, ?, ?)');
    this.remove = db.prepare('DELETE FROM prom_head WHERE id IN (SELECT value FROM json_each(?))');
  }

  /** Writes a batch's samples (inside the append transaction); returns the row to remember once committed. */
  write(batch: LogBatch): LogRow | undefined {
    if (batch.length === 0) return undefined;
    let minT = Number.POSITIVE_INFINITY;
    let maxT = Number.NEGATIVE_INFINITY;
    for (const t of batch.t) {
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
    }
    const { lastInsertRowid } = this.insert.run(minT, maxT, batch.length, encodeLogBatch(batch));
    return { id: Number(lastInsertRowid), maxT };
  }

  committed(row: LogRow | undefined): void {
    if (row) this.rows.push(row);
  }

  /** Rebuilds the series' heads from the log: samples after their series' floor. */
  load(): void {
    this.rows = [];
    const select = this.db.prepare('SELECT id, max_t, data FROM prom_head ORDER BY id').raw();
    let entry: SeriesEntry | undefined;
    for (const [id, maxT, data] of select.iterate() as IterableIterator<[number, number, Buffer]>) {
      this.rows.push({ id, maxT });
      forEachLogSample(data, (seriesId, t, v, stale) => {
        if (entry?.id !== seriesId) entry = this.catalog.get(seriesId);
        if (entry && t > entry.appendFloor) headInsert(entry, t, v, stale);
      });
    }
  }

  /** Deletes the rows whose samples have all left the head (one transaction). Returns the rows deleted. */
  collect(): number {
    let before = Number.POSITIVE_INFINITY;
    for (const entry of this.catalog.entries()) {
      const first = entry.headT[0];
      if (first !== undefined && first < before) before = first;
    }
    const gone = this.rows.filter((row) => row.maxT < before);
    if (gone.length === 0) return 0;
    this.remove.run(JSON.stringify(gone.map((row) => row.id)));
    this.rows = this.rows.filter((row) => row.maxT >= before);
    return gone.length;
  }
}
