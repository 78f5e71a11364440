// A metrics store on a real SQLite file in a temporary directory, and sample builders.
import type Database from 'better-sqlite3';
import type { AppendSample, Labels, SampleBlock } from '../../../src/metrics/model.ts';
import { MetricsStore, type MetricsStoreOptions } from '../../../src/store/metrics-store.ts';
import { openDatabase } from '../../../src/store/open-database.ts';
import { makeTempDir, type TempDir } from '../../support/temp-dir.ts';

export interface StoreFixture {
  dir: TempDir;
  file: string;
  db: Database.Database;
  store: MetricsStore;
  /** Closes and opens the file again, with a new store (its catalog loaded from the database). */
  reopen(options?: MetricsStoreOptions): void;
  close(): Promise<void>;
}

export async function storeFixture(options: MetricsStoreOptions = {}): Promise<StoreFixture> {
  const dir = await makeTempDir('dss-metrics-store-');
  const file = dir.file('metrics.sqlite');
  const fixture: StoreFixture = {
    dir,
    file,
    db: openDatabase(file).db,
    store: undefined as unknown as MetricsStore,
    reopen(again = options) {
      fixture.db.close();
      fixture.db = openDatabase(file).db;
      fixture.store = new MetricsStore(fixture.db, again);
    },
    async close() {
      fixture.db.close();
      await dir.remove();
    },
  };
  fixture.store = new MetricsStore(fixture.db, options);
  return fixture;
}

export const T0 = 1_760_000_000_000;
export const ALL_TIME = { startMs: -(2 ** 50), endMs: 2 ** 50 };

export const series = (name: string, labels: Record<string, string> = {}): Labels => ({
  __name__: name,
  ...labels,
});

/** Samples of one series at T0 + i * stepMs. */
export function samplesOf(
  labels: Labels,
  values: readonly number[],
  stepMs = 15_000,
  start = T0,
): AppendSample[] {
  return values.map((value, i) => ({ labels, timestampMs: start + i * stepMs, value }));
}

/** A block as plain arrays, for toEqual. */
export function plain(
  block: SampleBlock | undefined,
): { t: number[]; v: number[]; stale?: number[] } | undefined {
  if (!block) return undefined;
  const out: { t: number[]; v: number[]; stale?: number[] } = { t: [...block.t], v: [...block.v] };
  if (block.stale) out.stale = [...block.stale];
  return out;
}
