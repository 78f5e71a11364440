// Reads Prometheus series and samples: series and label queries from the in-memory catalog, samples
// from the series' chunks then its head (in memory). A series' head samples are all newer than its
// chunks (append refuses samples at or before the newest compacted one, compaction moves the oldest head
// samples and updates the head once its transaction committed), so the two concatenate without
// duplicates at any time.
import type Database from 'better-sqlite3';
import { decodeChunk } from '../metrics/chunks/index.ts';
import type {
  LabelMatcher,
  MetricKind,
  MetricMetadata,
  MetricsReader,
  SampleBlock,
  SeriesRef,
  TimeRange,
} from '../metrics/model.ts';
import { lowerBound, overlaps, type SeriesCatalog, type SeriesEntry } from './metrics-catalog.ts';

/** Sample arrays of a known capacity (the chunks' sample counts plus the head's), filled in order. */
class SampleBuilder {
  readonly t: Float64Array;
  readonly v: Float64Array;
  private stale: Uint8Array | undefined;
  length = 0;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  private staleArray(): Uint8Array {
    this.stale ??= new Uint8Array(this.t.length);
    return this.stale;
  }

  /** Appends samples [from, to) of a decoded chunk. */
  addChunk(chunk: SampleBlock, from: number, to: number): void {
    if (to <= from) return;
    this.t.set(chunk.t.subarray(from, to), this.length);
    this.v.set(chunk.v.subarray(from, to), this.length);
    const stale = chunk.stale?.subarray(from, to);
    if (stale?.includes(1)) this.staleArray().set(stale, this.length);
    this.length += to - from;
  }

  add(t: number, v: number, stale: boolean): void {
    this.t[this.length] = t;
    this.v[this.length] = v;
    if (stale) this.staleArray()[this.length] = 1;
    this.length++;
  }

  /** The samples added (views of the arrays when the range cut chunks short). */
  finish(): SampleBlock {
    const whole = this.length === this.t.length;
    const block: SampleBlock = {
      t: whole ? this.t : this.t.subarray(0, this.length),
      v: whole ? this.v : this.v.subarray(0, this.length),
    };
    if (this.stale) block.stale = whole ? this.stale : this.stale.subarray(0, this.length);
    return block;
  }
}

/**
 * Decoded chunks, most recently used last, up to a budget of samples: dashboards refresh and alert rules
 * re-read the same recent chunks every evaluation, and decoding costs about 100 ns a sample. Chunks never
 * change once written (retention deletes whole chunks, whose entries then age out), so an entry is keyed
 * by its series, first timestamp and sample count.
 */
class DecodedChunkCache {
  private readonly entries = new Map<string, SampleBlock>();
  private samples = 0;
  private readonly maxSamples: number;

  constructor(maxSamples: number) {
    this.maxSamples = maxSamples;
  }

  get(seriesId: number, minT: number, count: number, data: Buffer): SampleBlock {
    const key = `${seriesId}:${minT}:${count}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const decoded = decodeChunk(data);
    this.entries.set(key, decoded);
    this.samples += decoded.t.length;
    for (const [oldest, block] of this.entries) {
      if (this.samples <= this.maxSamples) break;
      this.entries.delete(oldest);
      this.samples -= block.t.length;
    }
    return decoded;
  }
}

/** 2 million samples: 32 MiB of decoded times and values. */
const DEFAULT_CACHED_SAMPLES = 2_000_000;

export class MetricsStoreReader implements MetricsReader {
  private readonly db: Database.Database;
  private readonly catalog: SeriesCatalog;
  private readonly chunksOf: Database.Statement;
  private readonly cache: DecodedChunkCache;

  constructor(db: Database.Database, catalog: SeriesCatalog, cachedSamples = DEFAULT_CACHED_SAMPLES) {
    this.db = db;
    this.catalog = catalog;
    this.cache = new DecodedChunkCache(cachedSamples);
    // One statement for every series of a query (a statement per series costs ~25 µs each).
    this.chunksOf = db
      .prepare(
        `SELECT series_id, min_t, count, data FROM prom_chunks
         WHERE series_id IN (SELECT value FROM json_each(?)) AND max_t >= ? AND min_t <= ?
         ORDER BY series_id, max_t`,
      )
      .raw();
  }

  /** The chunks of the series overlapping the range, decoded, by series in time order. */
  private chunksIn(entries: SeriesEntry[], range: TimeRange): Map<number, SampleBlock[]> {
    const out = new Map<number, SampleBlock[]>();
    const ids = entries
      .filter((entry) => entry.chunkMaxT >= range.startMs && entry.chunkMinT <= range.endMs)
      .map((entry) => entry.id);
    if (ids.length === 0) return out;
    const rows = this.chunksOf.all(JSON.stringify(ids), range.startMs, range.endMs) as [
      number,
      number,
      number,
      Buffer,
    ][];
    for (const [id, minT, count, data] of rows) {
      const chunk = this.cache.get(id, minT, count, data);
      const list = out.get(id);
      if (list) list.push(chunk);
      else out.set(id, [chunk]);
    }
    return out;
  }

  selectSeries(tenant: string | undefined, matchers: readonly LabelMatcher[], range: TimeRange): SeriesRef[] {
    return this.catalog.select(tenant, matchers, range).map(({ id, labels }) => ({ id, labels }));
  }

  readSamples(seriesIds: readonly number[], range: TimeRange): Map<number, SampleBlock> {
    const out = new Map<number, SampleBlock>();
    const { startMs, endMs } = range;
    const entries: SeriesEntry[] = [];
    const seen = new Set<number>();
    for (const id of seriesIds) {
      const entry = this.catalog.get(id);
      if (!entry || seen.has(id) || !overlaps(entry, range)) continue;
      seen.add(id);
      entries.push(entry);
    }
    const chunksById = this.chunksIn(entries, range);
    for (const entry of entries) {
      const chunks = (chunksById.get(entry.id) ?? []).map((chunk) => ({
        chunk,
        from: lowerBound(chunk.t, startMs),
        to: lowerBound(chunk.t, endMs + 1),
      }));
      const { headT, headV, headStale } = entry;
      const headFrom = lowerBound(headT, startMs);
      const headTo = lowerBound(headT, endMs + 1, headFrom);
      let capacity = headTo - headFrom;
      for (const { from, to } of chunks) capacity += Math.max(0, to - from);
      const builder = new SampleBuilder(capacity);
      for (const { chunk, from, to } of chunks) builder.addChunk(chunk, from, to);
      for (let i = headFrom; i < headTo; i++) {
        builder.add(headT[i] as number, headV[i] as number, headStale?.[i] === 1);
      }
      if (builder.length > 0) out.set(entry.id, builder.finish());
    }
    return out;
  }

  labelNames(
    tenant: string | undefined,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    const names = new Set<string>();
    for (const entry of this.seriesOfSets(tenant, matcherSets, range)) {
      for (const name of Object.keys(entry.labels)) names.add(name);
    }
    return [...names].sort();
  }

  labelValues(
    tenant: string | undefined,
    name: string,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    const values = new Set<string>();
    for (const entry of this.seriesOfSets(tenant, matcherSets, range)) {
      const value = entry.labels[name];
      if (value) values.add(value);
    }
    return [...values].sort();
  }

  metadata(tenant: string | undefined, metric?: string): Map<string, MetricMetadata[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (tenant !== undefined) {
      where.push('tenant = ?');
      params.push(tenant);
    }
    if (metric !== undefined) {
      where.push('metric = ?');
      params.push(metric);
    }
    const rows = this.db
      .prepare(
        `SELECT DISTINCT metric, type, help, unit FROM prom_metadata
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY metric, type, help, unit`,
      )
      .all(...params) as { metric: string; type: MetricKind; help: string; unit: string }[];
    const out = new Map<string, MetricMetadata[]>();
    for (const row of rows) {
      const list = out.get(row.metric);
      const entry: MetricMetadata = { metric: row.metric, type: row.type, help: row.help, unit: row.unit };
      if (list) list.push(entry);
      else out.set(row.metric, [entry]);
    }
    return out;
  }

  /** Series matching any matcher set (every series when there is none), each once. */
  private seriesOfSets(
    tenant: string | undefined,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): Iterable<SeriesEntry> {
    if (matcherSets.length === 0) return this.catalog.select(tenant, [], range);
    const seen = new Map<number, SeriesEntry>();
    for (const matchers of matcherSets) {
      for (const entry of this.catalog.select(tenant, matchers, range)) seen.set(entry.id, entry);
    }
    return seen.values();
  }
}
