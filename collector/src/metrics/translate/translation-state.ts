// Running totals of delta series, so that delta sums and histograms can be written as the cumulative series
// Prometheus expects (OTel data model, "Sums: Delta-to-Cumulative"). One total per series identity
// (tenant, metric name and type, label set). Following the specification's guidance, a point is added even
// when its start time is not the previous point's time (a gap, or a restarted producer): only a point that
// is not later than the last one added is refused, which also keeps a retried request from counting twice.
// The state is bounded: series not updated for `forgetAfterMs` are forgotten, and past `maxSeries` the least
// recently updated go first. A forgotten series starts again from zero, which PromQL reads as a reset.
import { addHistograms, type ExponentialHistogram } from './exponential-histogram.ts';

export interface TranslationStateOptions {
  /** Forget a series whose last point was added longer ago than this (wall clock). Default 1 h. */
  forgetAfterMs?: number;
  /** Most series kept. Default 100 000. */
  maxSeries?: number;
  /** The wall clock, in ms (tests). */
  now?: () => number;
}

export interface AccumulatedHistogram {
  bounds: readonly number[];
  counts: number[];
  count: number;
  sum: number | null;
}

type Kind = 'sum' | 'histogram' | 'exponential';

interface Entry {
  lastTimeNs: bigint;
  seenMs: number;
  value: unknown;
}

const sameBounds = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((bound, i) => bound === b[i]);

export class TranslationState {
  readonly #forgetAfterMs: number;
  readonly #maxSeries: number;
  readonly #now: () => number;
  /** In order of last update, oldest first (an updated entry is deleted and set again). */
  readonly #entries = new Map<string, Entry>();

  constructor(options: TranslationStateOptions = {}) {
    this.#forgetAfterMs = options.forgetAfterMs ?? 3_600_000;
    this.#maxSeries = options.maxSeries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Series currently tracked. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops the series not updated within `forgetAfterMs`. */
  forgetStale(): void {
    const oldest = this.#now() - this.#forgetAfterMs;
    for (const [key, entry] of this.#entries) {
      if (entry.seenMs >= oldest) break;
      this.#entries.delete(key);
    }
  }

  /** The running total of a delta sum after adding `delta`; undefined when the point is not new. */
  addSum(key: string, timeNs: bigint, delta: number): number | undefined {
    return this.#add<number>(key, 'sum', timeNs, (total) => (total ?? 0) + delta);
  }

  /**
   * The running totals of a delta histogram after adding the point. When the bounds change, the totals
   * start again from this point (a reset).
   */
  addHistogram(key: string, timeNs: bigint, point: AccumulatedHistogram): AccumulatedHistogram | undefined {
    return this.#add<AccumulatedHistogram>(key, 'histogram', timeNs, (total) => {
      if (
        total === undefined ||
        !sameBounds(total.bounds, point.bounds) ||
        total.counts.length !== point.counts.length
      ) {
        return { bounds: point.bounds, counts: [...point.counts], count: point.count, sum: point.sum };
      }
      return {
        bounds: total.bounds,
        counts: total.counts.map((count, i) => count + (point.counts[i] as number)),
        count: total.count + point.count,
        sum: total.sum === null || point.sum === null ? null : total.sum + point.sum,
      };
    });
  }

  /** The running total of a delta exponential histogram (at the lowest scale seen) after adding the point. */
  addExponential(key: string, timeNs: bigint, point: ExponentialHistogram): ExponentialHistogram | undefined {
    return this.#add<ExponentialHistogram>(key, 'exponential', timeNs, (total) =>
      total === undefined ? point : addHistograms(total, point),
    );
  }

  #add<T>(key: string, kind: Kind, timeNs: bigint, next: (total: T | undefined) => T): T | undefined {
    const fullKey = `${kind}\u0002${key}`;
    const entry = this.#entries.get(fullKey);
    if (entry !== undefined && timeNs <= entry.lastTimeNs) return undefined;
    const value = next(entry?.value as T | undefined);
    this.#entries.delete(fullKey);
    this.#entries.set(fullKey, { lastTimeNs: timeNs, seenMs: this.#now(), value });
    if (this.#entries.size > this.#maxSeries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return value;
  }
}
