// The samples of one rule test group, behind the collector's MetricsReader so that its PromQL engine reads
// them: input series plus what the rules write back. Two things MemoryMetricsStore does not do, and this
// does: reads are binary searches (a week of one-minute samples is evaluated thousands of times; the memory
// store scans every sample of a series per read), and a visibility cut-off, because promtool loads input
// samples only up to the evaluation time (a negative offset must not see the future).
import {
  type LabelMatcher,
  type Labels,
  type MetricMetadata,
  type MetricsReader,
  matchesAll,
  type SampleBlock,
  type SeriesRef,
  type TimeRange,
} from '@dss/collector/metrics';
import { labelsKey } from '../evaluation/index.ts';

class Series {
  readonly ref: SeriesRef;
  t = new Float64Array(16);
  v = new Float64Array(16);
  stale = new Uint8Array(16);
  length = 0;
  hasStale = false;

  constructor(ref: SeriesRef) {
    this.ref = ref;
  }

  append(timestampMs: number, value: number, stale: boolean): void {
    const last = this.length > 0 ? (this.t[this.length - 1] as number) : Number.NEGATIVE_INFINITY;
    if (timestampMs <= last) {
      // Out of order: rare (a rule writing a series the input also has); keep order, last write wins.
      const at = this.lowerBound(timestampMs);
      if (this.t[at] === timestampMs) {
        this.v[at] = stale ? Number.NaN : value;
        this.stale[at] = stale ? 1 : 0;
        this.hasStale ||= stale;
        return;
      }
      this.grow();
      this.t.copyWithin(at + 1, at, this.length);
      this.v.copyWithin(at + 1, at, this.length);
      this.stale.copyWithin(at + 1, at, this.length);
      this.put(at, timestampMs, value, stale);
      this.length++;
      return;
    }
    this.grow();
    this.put(this.length, timestampMs, value, stale);
    this.length++;
  }

  private put(i: number, timestampMs: number, value: number, stale: boolean): void {
    this.t[i] = timestampMs;
    this.v[i] = stale ? Number.NaN : value;
    this.stale[i] = stale ? 1 : 0;
    this.hasStale ||= stale;
  }

  private grow(): void {
    if (this.length < this.t.length) return;
    const size = this.t.length * 2;
    const t = new Float64Array(size);
    t.set(this.t);
    const v = new Float64Array(size);
    v.set(this.v);
    const stale = new Uint8Array(size);
    stale.set(this.stale);
    this.t = t;
    this.v = v;
    this.stale = stale;
  }

  /** First index with t >= x. */
  lowerBound(x: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.t[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class TestStorage implements MetricsReader {
  private readonly byKey = new Map<string, Series>();
  private readonly byName = new Map<string, Series[]>();
  private readonly all: Series[] = [];
  /** Samples after this time are invisible. */
  private visibleUntilMs = Number.POSITIVE_INFINITY;

  append(labels: Labels, timestampMs: number, value: number, stale = false): void {
    const key = labelsKey(labels);
    let series = this.byKey.get(key);
    if (!series) {
      series = new Series({ id: this.all.length + 1, labels: Object.freeze({ ...labels }) });
      this.byKey.set(key, series);
      this.all.push(series);
      const name = labels.__name__ ?? '';
      const list = this.byName.get(name) ?? [];
      list.push(series);
      this.byName.set(name, list);
    }
    series.append(timestampMs, value, stale);
  }

  /** Hides samples after `timeMs` (Infinity shows all). */
  setVisibleUntil(timeMs: number): void {
    this.visibleUntilMs = timeMs;
  }

  private clamp(range: TimeRange): TimeRange {
    return { startMs: range.startMs, endMs: Math.min(range.endMs, this.visibleUntilMs) };
  }

  private candidates(matchers: readonly LabelMatcher[]): readonly Series[] {
    const byName = matchers.find((m) => m.name === '__name__' && m.type === '=');
    return byName ? (this.byName.get(byName.value) ?? []) : this.all;
  }

  private overlaps(series: Series, range: TimeRange): boolean {
    if (series.length === 0 || range.endMs < range.startMs) return false;
    const i = series.lowerBound(range.startMs);
    return i < series.length && (series.t[i] as number) <= range.endMs;
  }

  selectSeries(
    _tenant: string | undefined,
    matchers: readonly LabelMatcher[],
    range: TimeRange,
  ): SeriesRef[] {
    const visible = this.clamp(range);
    return this.candidates(matchers)
      .filter((s) => this.overlaps(s, visible) && matchesAll(s.ref.labels, matchers))
      .map((s) => s.ref);
  }

  readSamples(seriesIds: readonly number[], range: TimeRange): Map<number, SampleBlock> {
    const visible = this.clamp(range);
    const out = new Map<number, SampleBlock>();
    for (const id of seriesIds) {
      const series = this.all[id - 1];
      if (!series) continue;
      const from = series.lowerBound(visible.startMs);
      const to = series.lowerBound(visible.endMs + 1);
      if (to <= from) continue;
      const block: SampleBlock = { t: series.t.subarray(from, to), v: series.v.subarray(from, to) };
      if (series.hasStale) block.stale = series.stale.subarray(from, to);
      out.set(id, block);
    }
    return out;
  }

  labelNames(
    _tenant: string | undefined,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    const names = new Set<string>();
    for (const labels of this.matching(matcherSets, range))
      for (const name of Object.keys(labels)) names.add(name);
    return [...names].sort();
  }

  labelValues(
    _tenant: string | undefined,
    name: string,
    matcherSets: readonly (readonly LabelMatcher[])[],
    range: TimeRange,
  ): string[] {
    const values = new Set<string>();
    for (const labels of this.matching(matcherSets, range)) {
      const value = labels[name];
      if (value) values.add(value);
    }
    return [...values].sort();
  }

  metadata(): Map<string, MetricMetadata[]> {
    return new Map();
  }

  private *matching(matcherSets: readonly (readonly LabelMatcher[])[], range: TimeRange): Iterable<Labels> {
    const visible = this.clamp(range);
    for (const series of this.all) {
      if (!this.overlaps(series, visible)) continue;
      if (matcherSets.length > 0 && !matcherSets.some((set) => matchesAll(series.ref.labels, set))) continue;
      yield series.ref.labels;
    }
  }
}
