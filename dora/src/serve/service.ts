// What `dora serve` computes from: for each range of time a request needs (a report's weeks ± the lookback,
// the trailing window of /metrics), the store's rows in that range and each client's links (changes →
// deployments, failures), kept in a small cache until a sync changes the data (`invalidate`).
import {
  type ComputeOptions,
  computeMetrics,
  type Metrics,
  prepare,
  prepareClient,
} from '../metrics/compute.ts';
import { LOOKBACK_DAYS, type LoadRange, loadDataset, reportRange } from '../metrics/load.ts';
import type { Dataset } from '../metrics/model.ts';
import type { Window } from '../metrics/time.ts';
import { type Prepared, type WeeklyReport, weeklyReport } from '../report/weekly.ts';
import type { Db } from '../store/db.ts';

const DAY = 86_400_000;
const CACHED_RANGES = 4;

interface Entry {
  ds: Dataset;
  prepared: Map<string | null, Prepared>;
}

export class DoraService {
  readonly db: Db;
  readonly hotfixLabel: string;
  readonly lookbackDays: number;
  readonly #cache = new Map<string, Entry>();
  /** Incremented by every invalidation (each sync that wrote). */
  version = 0;

  constructor(db: Db, options: { hotfixLabel?: string; lookbackDays?: number } = {}) {
    this.db = db;
    this.hotfixLabel = options.hotfixLabel ?? 'hotfix';
    this.lookbackDays = options.lookbackDays ?? LOOKBACK_DAYS;
  }

  invalidate(): void {
    this.#cache.clear();
    this.version++;
  }

  clients(): string[] {
    return (
      this.db.prepare('SELECT DISTINCT client FROM projects ORDER BY client').all() as { client: string }[]
    ).map((r) => r.client);
  }

  #entry(range: LoadRange): Entry {
    const key = `${range.start}:${range.end}`;
    let entry = this.#cache.get(key);
    if (entry) {
      this.#cache.delete(key); // most recently used last
    } else {
      entry = { ds: loadDataset(this.db, { range }), prepared: new Map() };
      if (this.#cache.size >= CACHED_RANGES) this.#cache.delete(this.#cache.keys().next().value as string);
    }
    this.#cache.set(key, entry);
    return entry;
  }

  #prepared(entry: Entry, client: string | null): Prepared {
    let p = entry.prepared.get(client);
    if (!p) {
      p = client
        ? prepareClient(this.#prepared(entry, null), client)
        : prepare(entry.ds, { hotfixLabel: this.hotfixLabel });
      entry.prepared.set(client, p);
    }
    return p;
  }

  /** The rows around a window: `lookbackDays` before and after, snapped to days. */
  rangeOf(window: Window): LoadRange {
    const day = (t: number) => Math.floor(t / DAY) * DAY;
    return {
      start: day(window.start - this.lookbackDays * DAY),
      end: day(window.end + this.lookbackDays * DAY) + DAY,
    };
  }

  metrics(window: Window, client: string | null, timeZone: string): Metrics {
    const entry = this.#entry(this.rangeOf(window));
    const o: ComputeOptions = { window, timeZone, hotfixLabel: this.hotfixLabel };
    if (client) o.client = client;
    return computeMetrics(entry.ds, o, this.#prepared(entry, client));
  }

  report(week: string, client: string | null, timeZone: string, now: Date): WeeklyReport {
    const entry = this.#entry(reportRange(week, timeZone, 12, this.lookbackDays));
    return weeklyReport(entry.ds, {
      week,
      timeZone,
      now,
      hotfixLabel: this.hotfixLabel,
      prepared: (c) => this.#prepared(entry, c),
      ...(client ? { client } : {}),
    });
  }

  /** Every project (for the clients endpoint). */
  projects(): Dataset['projects'] {
    return loadDataset(this.db, { range: { start: 0, end: 0 } }).projects;
  }
}
