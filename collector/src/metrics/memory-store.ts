// Samples kept in memory behind the same interfaces as the SQLite metrics store: for tests of the PromQL
// engine and of components that append samples, where a database adds nothing.
import { matchesAll } from './matchers.ts';
import type {
  AppendBatch,
  LabelMatcher,
  Labels,
  MetricMetadata,
  MetricsReader,
  SampleAppender,
  SampleBlock,
  SeriesRef,
  TimeRange,
} from './model.ts';

interface MemorySeries {
  ref: SeriesRef;
  tenant: string;
  t: number[];
  v: number[];
  stale: number[];
}

export class MemoryMetricsStore implements MetricsReader, SampleAppender {
  private readonly series = new Map<string, MemorySeries>();
  private readonly byId: MemorySeries[] = [];
  private readonly meta = new Map<string, MetricMetadata & { tenant: string }>();

  async append(batch: AppendBatch): Promise<void> {
    this.appendSync(batch);
  }

  appendSync(batch: AppendBatch): void {
    for (const sample of batch.samples) {
      const key = `${batch.tenant}\u0000${canonical(sample.labels)}`;
      let series = this.series.get(key);
      if (!series) {
        series = {
          ref: { id: this.byId.length + 1, labels: Object.freeze({ ...sample.labels }) },
          tenant: batch.tenant,
          t: [],
          v: [],
          stale: [],
        };
        this.series.set(key, series);
        this.byId.push(series);
      }
      const last = series.t[series.t.length - 1];
      if (last !== undefined && sample.timestampMs <= last) {
        if (sample.timestampMs === last) continue;
        // Keep the arrays in time order when a test appends out of order.
        const at = series.t.findIndex((t) => t >= sample.timestampMs);
        if (series.t[at] === sample.timestampMs) continue;
        series.t.splice(at, 0, sample.timestampMs);
        series.v.splice(at, 0, sample.stale ? Number.NaN : sample.value);
        series.stale.splice(at, 0, sample.stale ? 1 : 0);
        continue;
      }
      series.t.push(sample.timestampMs);
      series.v.push(sample.stale ? Number.NaN : sample.value);
      series.stale.push(sample.stale ? 1 : 0);
    }
    for (const metadata of batch.metadata ?? [])
      this.meta.set(`${batch.tenant}\u0000${metadata.metric}`, { ...metadata, tenant: batch.tenant });
  }

  selectSeries(tenant: string | undefined, matchers: readonly LabelMatcher[], range: TimeRange): SeriesRef[] {
    const out: SeriesRef[] = [];
    for (const series of this.byId) {
      if (tenant !== undefined && series.tenant !== tenant) continue;
      if (!overlaps(series, range) || !matchesAll(series.ref.labels, matchers)) continue;
      out.push(series.ref);
    }
    return out;
  }

  readSamples(seriesIds: readonly number[], range: TimeRange): Map<number, SampleBlock> {
    const out = new Map<number, SampleBlock>();
    for (const id of seriesIds) {
      const series = this.byId[id - 1];
      if (!series) continue;
      const indexes = series.t.flatMap((t, i) => (t >= range.startMs && t <= range.endMs ? [i] : []));
      if (indexes.length === 0) continue;
      const block: SampleBlock = {
        t: Float64Array.from(indexes, (i) => series.t[i] as number),
        v: Float64Array.from(indexes, (i) => series.v[i] as number),
      };
      if (indexes.some((i) => series.stale[i]))
        block.stale = Uint8Array.from(indexes, (i) => series.stale[i] as number);
      out.set(id, block);
    }
    return out;
  }

  labelNames(
    tenant: string | undefined,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    const names = new Set<string>();
    for (const labels of this.matching(tenant, matcherSets, range))
      for (const name of Object.keys(labels)) names.add(name);
    return [...names].sort();
  }

  labelValues(
    tenant: string | undefined,
    name: string,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    const values = new Set<string>();
    for (const labels of this.matching(tenant, matcherSets, range)) {
      const value = labels[name];
      if (value) values.add(value);
    }
    return [...values].sort();
  }

  metadata(tenant: string | undefined, metric?: string): Map<string, MetricMetadata[]> {
    const out = new Map<string, MetricMetadata[]>();
    for (const { tenant: owner, ...entry } of this.meta.values()) {
      if (tenant !== undefined && owner !== tenant) continue;
      if (metric !== undefined && entry.metric !== metric) continue;
      const list = out.get(entry.metric) ?? [];
      if (!list.some((m) => m.type === entry.type && m.help === entry.help && m.unit === entry.unit))
        list.push(entry);
      out.set(entry.metric, list);
    }
    return out;
  }

  private *matching(
    tenant: string | undefined,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): Iterable<Labels> {
    for (const series of this.byId) {
      if (tenant !== undefined && series.tenant !== tenant) continue;
      if (!overlaps(series, range)) continue;
      if (matcherSets.length > 0 && !matcherSets.some((set) => matchesAll(series.ref.labels, set))) continue;
      yield series.ref.labels;
    }
  }
}

function overlaps(series: MemorySeries, range: TimeRange): boolean {
  const first = series.t[0];
  const last = series.t[series.t.length - 1];
  return first !== undefined && last !== undefined && first <= range.endMs && last >= range.startMs;
}

function canonical(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}\u0000${labels[name]}`)
    .join('\u0001');
}
