// Every Prometheus series of the store, in memory: id → labels, per-tenant postings by metric name, each
// series' chunk time bounds, and its head: the samples not compacted yet, in time order (the durable copy
// is the head log, metrics-head-log.ts). Loaded when the store opens, kept current by append,
// compaction and retention (each applies its changes to the catalog once its transaction committed, or
// undoes them when it rolled back), so that series and label queries, duplicate checks and head reads
// never touch SQLite. About 300 bytes a series, plus 16-24 bytes a head sample.
import type Database from 'better-sqlite3';
import { type LabelMatcher, type Labels, METRIC_NAME_LABEL, type TimeRange } from '../metrics/model.ts';
import { seriesKey } from './metrics-labels.ts';
import { compileMatchers, matcherPredicate } from './metrics-matchers.ts';

export interface SeriesEntry {
  readonly id: number;
  readonly tenant: string;
  readonly name: string;
  readonly labels: Labels;
  /** seriesKey(tenant, canonical labels JSON). */
  readonly key: string;
  /** Oldest and newest chunk time; +Inf and -Inf when the series has no chunk. */
  chunkMinT: number;
  chunkMaxT: number;
  /** End of the oldest chunk (+Inf when none): retention by age deletes whole chunks only. */
  firstChunkMaxT: number;
  /**
   * Samples at or before this time are not appended to the head (prom_series.floor_t): the newest time
   * compacted into a chunk, or a retention cutoff. -Inf when none.
   */
  appendFloor: number;
  /** The head, in time order, all after appendFloor. headStale is absent while no marker is in it. */
  headT: number[];
  headV: number[];
  headStale: number[] | undefined;
}

export const headMinT = (entry: SeriesEntry): number => entry.headT[0] ?? Number.POSITIVE_INFINITY;
export const headMaxT = (entry: SeriesEntry): number => entry.headT.at(-1) ?? Number.NEGATIVE_INFINITY;
export const seriesMinT = (entry: SeriesEntry): number => Math.min(entry.chunkMinT, headMinT(entry));
export const seriesMaxT = (entry: SeriesEntry): number => Math.max(entry.chunkMaxT, headMaxT(entry));

export function overlaps(entry: SeriesEntry, range: TimeRange): boolean {
  return seriesMinT(entry) <= range.endMs && seriesMaxT(entry) >= range.startMs;
}

/** First index of `times` at or after t. */
export function lowerBound(times: ArrayLike<number>, t: number, from = 0): number {
  let lo = from;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Puts a sample into the head in time order. Returns -1 when it went in, else the index of the sample
 * already at that time (nothing changed).
 */
export function headInsert(entry: SeriesEntry, t: number, v: number, stale: boolean): number {
  const { headT, headV } = entry;
  const last = headT.length - 1;
  let at = headT.length;
  if (last >= 0 && t <= (headT[last] as number)) {
    at = lowerBound(headT, t);
    if (headT[at] === t) return at;
  }
  if (stale && !entry.headStale) entry.headStale = new Array<number>(headT.length).fill(0);
  if (at === headT.length) {
    headT.push(t);
    headV.push(v);
    entry.headStale?.push(stale ? 1 : 0);
  } else {
    headT.splice(at, 0, t);
    headV.splice(at, 0, v);
    entry.headStale?.splice(at, 0, stale ? 1 : 0);
  }
  return -1;
}

/** Takes the sample at time t out of the head (undoing an insert). */
export function headRemove(entry: SeriesEntry, t: number): void {
  const at = lowerBound(entry.headT, t);
  if (entry.headT[at] !== t) return;
  entry.headT.splice(at, 1);
  entry.headV.splice(at, 1);
  entry.headStale?.splice(at, 1);
}

/** Drops the first n samples of the head. */
export function headDrop(entry: SeriesEntry, n: number): void {
  if (n <= 0) return;
  entry.headT.splice(0, n);
  entry.headV.splice(0, n);
  entry.headStale?.splice(0, n);
  if (entry.headStale && !entry.headStale.includes(1)) entry.headStale = undefined;
}

export function emptyEntry(
  id: number,
  tenant: string,
  name: string,
  labels: Labels,
  key: string,
): SeriesEntry {
  return {
    id,
    tenant,
    name,
    labels,
    key,
    chunkMinT: Number.POSITIVE_INFINITY,
    chunkMaxT: Number.NEGATIVE_INFINITY,
    firstChunkMaxT: Number.POSITIVE_INFINITY,
    appendFloor: Number.NEGATIVE_INFINITY,
    headT: [],
    headV: [],
    headStale: undefined,
  };
}

/**
 * min_t and max_t of the oldest chunk and max_t of the newest of a series (no row when it has none).
 * Bind the series id as `id` (better-sqlite3 takes named parameters, not ?1 twice).
 */
export const CHUNK_BOUNDS = `SELECT min_t, max_t, (SELECT max(max_t) FROM prom_chunks WHERE series_id = :id)
  FROM prom_chunks WHERE series_id = :id ORDER BY max_t LIMIT 1`;
export type ChunkBoundsRow = [number, number, number] | undefined;

export function setChunkBounds(entry: SeriesEntry, row: ChunkBoundsRow): void {
  entry.chunkMinT = row ? row[0] : Number.POSITIVE_INFINITY;
  entry.firstChunkMaxT = row ? row[1] : Number.POSITIVE_INFINITY;
  entry.chunkMaxT = row ? row[2] : Number.NEGATIVE_INFINITY;
}

export class SeriesCatalog {
  private readonly byId = new Map<number, SeriesEntry>();
  private readonly byKey = new Map<string, SeriesEntry>();
  /** tenant → metric name → series. */
  private readonly byTenant = new Map<string, Map<string, Set<SeriesEntry>>>();

  get size(): number {
    return this.byId.size;
  }

  get(id: number): SeriesEntry | undefined {
    return this.byId.get(id);
  }

  getByKey(key: string): SeriesEntry | undefined {
    return this.byKey.get(key);
  }

  entries(): IterableIterator<SeriesEntry> {
    return this.byId.values();
  }

  add(entry: SeriesEntry): void {
    this.byId.set(entry.id, entry);
    this.byKey.set(entry.key, entry);
    let names = this.byTenant.get(entry.tenant);
    if (!names) {
      names = new Map();
      this.byTenant.set(entry.tenant, names);
    }
    let series = names.get(entry.name);
    if (!series) {
      series = new Set();
      names.set(entry.name, series);
    }
    series.add(entry);
  }

  remove(entry: SeriesEntry): void {
    if (this.byId.get(entry.id) !== entry) return;
    this.byId.delete(entry.id);
    this.byKey.delete(entry.key);
    const names = this.byTenant.get(entry.tenant);
    const series = names?.get(entry.name);
    series?.delete(entry);
    if (series?.size === 0) names?.delete(entry.name);
    if (names?.size === 0) this.byTenant.delete(entry.tenant);
  }

  /**
   * Series of `tenant` (every tenant when undefined) with a sample in `range` that every matcher
   * accepts, in id order. Matchers on the metric name pick postings lists first.
   */
  select(tenant: string | undefined, matchers: readonly LabelMatcher[], range: TimeRange): SeriesEntry[] {
    const nameTests = matchers.filter((m) => m.name === METRIC_NAME_LABEL).map(matcherPredicate);
    const exactName = matchers.find((m) => m.name === METRIC_NAME_LABEL && m.type === '=')?.value;
    const accepts = compileMatchers(matchers);
    const out: SeriesEntry[] = [];
    const tenants =
      tenant === undefined
        ? [...this.byTenant.values()]
        : [this.byTenant.get(tenant)].filter((t) => t !== undefined);
    for (const names of tenants) {
      const lists =
        exactName !== undefined
          ? [names.get(exactName)]
          : [...names].filter(([name]) => nameTests.every((test) => test(name))).map(([, series]) => series);
      for (const series of lists) {
        if (!series) continue;
        for (const entry of series) if (overlaps(entry, range) && accepts(entry.labels)) out.push(entry);
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Loads every series and its chunk bounds from the database (the head log fills the heads). */
  static load(db: Database.Database): SeriesCatalog {
    const catalog = new SeriesCatalog();
    const rows = db.prepare('SELECT id, tenant, name, labels, floor_t FROM prom_series').raw().all() as [
      number,
      string,
      string,
      string,
      number | null,
    ][];
    // An index seek or two per series: the chunk table itself is never scanned.
    const chunkBounds = db.prepare(CHUNK_BOUNDS).raw();
    for (const [id, tenant, name, json, floor] of rows) {
      const entry = emptyEntry(
        id,
        tenant,
        name,
        Object.freeze(JSON.parse(json)) as Labels,
        seriesKey(tenant, json),
      );
      setChunkBounds(entry, chunkBounds.get({ id }) as ChunkBoundsRow);
      entry.appendFloor = Math.max(floor ?? Number.NEGATIVE_INFINITY, entry.chunkMaxT);
      catalog.add(entry);
    }
    return catalog;
  }
}
