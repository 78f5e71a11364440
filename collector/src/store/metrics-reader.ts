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

export class MetricsStoreReader implements MetricsReader {
  private readonly db: Database.Database;
  private readonly catalog: SeriesCatalog;
  private readonly chunksIn: Database.Statement;

  constructor(db: Database.Database, catalog: SeriesCatalog) {
    this.db = db;
    this.catalog = catalog;
    this.chunksIn = db
      .prepare(
        'SELECT count, data FROM prom_chunks WHERE series_id = ? AND max_t >= ? AND min_t <= ? ORDER BY max_t',
      )
      .raw();
  }

  selectSeries(tenant: string | undefined, matchers: readonly LabelMatcher[], range: TimeRange): SeriesRef[] {
    return this.catalog.select(tenant, matchers, range).map(({ id, labels }) => ({ id, labels }));
  }

  readSamples(seriesIds: readonly number[], range: TimeRange): Map<number, SampleBlock> {
    const out = new Map<number, SampleBlock>();
    const { startMs, endMs } = range;
    for (const id of seriesIds) {
      const entry = this.catalog.get(id);
      if (!entry || out.has(id) || !overlaps(entry, range)) continue;
      const chunks =
        entry.chunkMaxT >= startMs && entry.chunkMinT <= endMs
          ? (this.chunksIn.all(id, startMs, endMs) as [number, Buffer][])
          : [];
      const { headT, headV, headStale } = entry;
      const headFrom = lowerBound(headT, startMs);
      const headTo = lowerBound(headT, endMs + 1, headFrom);
      let capacity = headTo - headFrom;
      for (const [count] of chunks) capacity += count;
      const builder = new SampleBuilder(capacity);
      for (const [, data] of chunks) {
        const chunk = decodeChunk(data);
        builder.addChunk(chunk, lowerBound(chunk.t, startMs), lowerBound(chunk.t, endMs + 1));
      }
      for (let i = headFrom; i < headTo; i++) {
        builder.add(headT[i] as number, headV[i] as number, headStale?.[i] === 1);
      }
      if (builder.length > 0) out.set(id, builder.finish());
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
