// Metrics under retention (by age and by size, through the store so its catalog follows), storage
// statistics, and upgrading a version 3 database.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricsStore } from '../../../src/store/metrics-store.ts';
import { openDatabase } from '../../../src/store/open-database.ts';
import { metricStorageStats, pageUsage } from '../../../src/store/read-stats.ts';
import { readTrace } from '../../../src/store/read-traces.ts';
import { Retention } from '../../../src/store/retention.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/store/schema.ts';
import { writeSpansAsBeforeVersion6 } from '../../support/old-store-writes.ts';
import { span } from '../../support/telemetry-builders.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { ALL_TIME, type StoreFixture, samplesOf, series, storeFixture } from './support.ts';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const STEP = 60_000;

let fx: StoreFixture;
beforeEach(async () => {
  fx = await storeFixture();
});
afterEach(() => fx.close());

const count = (table: string) => Number(fx.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
const ids = (name: string) =>
  fx.store.selectSeries(undefined, [{ name: '__name__', type: '=', value: name }], ALL_TIME).map((r) => r.id);

/** `minutes` samples a minute apart from `start` (a counter, or random floats), then compacted. */
function fill(name: string, start: number, minutes: number, random = false, labels = series(name)): void {
  for (let done = 0; done < minutes; done += 240) {
    const n = Math.min(240, minutes - done);
    const values = Array.from({ length: n }, (_, i) => (random ? Math.random() : done + i));
    fx.store.appendSync({ tenant: '', samples: samplesOf(labels, values, STEP, start + done * STEP) });
  }
  fx.store.compactSync({ now: NOW });
}

describe('retention by age', () => {
  it('deletes old chunks, old head samples and series left empty, and the catalog follows', async () => {
    fill('old', NOW - 3 * DAY, 600); // 10 h, three days ago
    fill('across', NOW - DAY - 5 * 3_600_000, 10 * 60); // 10 h straddling the cutoff
    fx.store.appendSync({
      tenant: '',
      samples: samplesOf(series('old_head'), [1, 2, 3], STEP, NOW - 2 * DAY),
    });
    // Old and new head samples in one batch (one head-log row): retention deletes the old ones.
    fx.store.appendSync({
      tenant: '',
      samples: [
        { labels: series('split_head'), timestampMs: NOW - 2 * DAY, value: 1 },
        { labels: series('split_head'), timestampMs: NOW - 1000, value: 2 },
      ],
    });
    fill('recent', NOW - 3_600_000, 50);
    const acrossBefore = fx.store.readSamples(ids('across'), ALL_TIME).get(ids('across')[0] as number);
    const passes: unknown[] = [];
    const retention = new Retention(fx.db, {
      maxAgeMs: DAY,
      chunkRows: 2, // chunks per transaction: several rounds
      now: () => NOW,
      metrics: fx.store,
      onPass: (pass) => passes.push(pass),
    });
    const pass = await retention.runPass();
    expect(pass).toMatchObject({ spans: 0, logRecords: 0, metricSeries: 2 });
    expect(ids('old')).toEqual([]);
    expect(ids('old_head')).toEqual([]);
    expect(fx.store.selectSeries(undefined, [], ALL_TIME).map((r) => r.labels.__name__)).toEqual([
      'across',
      'split_head',
      'recent',
    ]);
    const split = () => [
      ...(fx.store.readSamples(ids('split_head'), ALL_TIME).get(ids('split_head')[0] as number)?.v ?? []),
    ];
    expect(split()).toEqual([2]);
    // Whole chunks only: the chunk holding the cutoff stays, with its older samples.
    const across = fx.store.readSamples(ids('across'), ALL_TIME).get(ids('across')[0] as number);
    const cutoff = NOW - DAY;
    expect(across?.t.at(-1)).toBe(acrossBefore?.t.at(-1));
    expect(across?.t[0]).toBeLessThan(cutoff);
    expect(across?.t[0]).toBeGreaterThan(cutoff - 240 * STEP);
    const deletedAcross = (acrossBefore?.t.length ?? 0) - (across?.t.length ?? 0);
    expect(pass.metricSamples).toBe(600 + 3 + 1 + deletedAcross);
    expect(
      Number(fx.db.prepare('SELECT count(*) FROM prom_chunks WHERE max_t < ?').pluck().get(cutoff)),
    ).toBe(0);
    expect(count('prom_series')).toBe(3);
    // Selection by time uses the new bounds; reopening agrees with the catalog.
    expect(fx.store.selectSeries(undefined, [], { startMs: 0, endMs: cutoff - 240 * STEP })).toEqual([]);
    // A new sample of a deleted series makes a new series.
    fx.store.appendSync({ tenant: '', samples: samplesOf(series('old'), [1], STEP, NOW) });
    expect(ids('old')).toHaveLength(1);
    expect(count('prom_series')).toBe(4);
    expect(await retention.runPass()).toMatchObject({ metricSamples: 0, metricSeries: 0 });
    expect(passes).toHaveLength(2);
    const catalog = fx.store.selectSeries(undefined, [], ALL_TIME);
    fx.reopen();
    expect(fx.store.selectSeries(undefined, [], ALL_TIME)).toEqual(catalog);
    // The deleted head sample does not come back from the head log, and is refused if sent again.
    expect(split()).toEqual([2]);
    const again = fx.store.appendSync({
      tenant: '',
      samples: samplesOf(series('split_head'), [1], STEP, NOW - 2 * DAY),
    });
    expect(again.outOfOrder).toBe(1);
  });
});

describe('retention by size', () => {
  it('deletes the oldest metric data, chunks straddling included, until the data fits', async () => {
    // Six days of ten series of random floats (8 bytes a sample: ~1.1 MB), the oldest day first.
    for (let day = 6; day >= 1; day--) {
      for (let i = 0; i < 10; i++)
        fill(`day${day}`, NOW - day * DAY, 12 * 60, true, series(`day${day}`, { i: `${i}` }));
    }
    const full = pageUsage(fx.db).usedBytes;
    const limit = Math.floor(full * 0.7);
    const pass = await new Retention(fx.db, { maxBytes: limit, chunkRows: 10, metrics: fx.store }).runPass();
    expect(pageUsage(fx.db).usedBytes).toBeLessThanOrEqual(limit);
    expect(pass.metricSamples).toBeGreaterThan(0);
    // Oldest first: the six-days-old series went first.
    expect(ids('day6')).toEqual([]);
    expect(ids('day5')).toEqual([]);
    expect(ids('day1')).toHaveLength(10);
    expect(ids('day2')).toHaveLength(10);
  });
});

describe('metricStorageStats', () => {
  it('counts samples in the head and in chunks, and the pages of the metric tables', () => {
    fill('a', NOW - DAY, 1000);
    fx.store.appendSync({ tenant: '', samples: samplesOf(series('b'), [1, 2, 3], STEP, NOW) });
    const stats = metricStorageStats(fx.db);
    expect(stats).toMatchObject({ series: 2, headSamples: 3, chunkSamples: 1000, samples: 1003 });
    expect(stats.chunks).toBeGreaterThanOrEqual(5);
    expect(stats.bytes.prom_chunks).toBeGreaterThan(0);
    expect(stats.bytes.total).toBe(
      stats.bytes.prom_series + stats.bytes.prom_head + stats.bytes.prom_chunks + stats.bytes.prom_metadata,
    );
    expect(stats.bytesPerSample).toBeCloseTo(stats.bytes.total / 1003);
  });
});

describe('migration', () => {
  it('upgrades a version 3 database, keeping its data, and stores metrics in it', async () => {
    const dir = await makeTempDir();
    try {
      const file = dir.file('v3.sqlite');
      const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 3) });
      expect(old.db.pragma('user_version', { simple: true })).toBe(3);
      const stored = span({ name: 'written by version 3' });
      writeSpansAsBeforeVersion6(old.db, [stored]);
      old.db.close();

      const { db, migration } = openDatabase(file);
      expect(migration).toEqual({ from: 3, to: SCHEMA_VERSION });
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
      expect(readTrace(db, stored.traceId)[0]?.scopeSpans[0]?.spans).toEqual([stored]);
      const store = new MetricsStore(db);
      expect(store.appendSync({ tenant: 'aveiro', samples: samplesOf(series('up'), [1]) }).appended).toBe(1);
      expect(store.selectSeries('aveiro', [], ALL_TIME)).toHaveLength(1);
      db.close();
      // A version 3 collector would refuse the upgraded file rather than corrupt it.
      const raw = new Database(file);
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      raw.close();
    } finally {
      await dir.remove();
    }
  });
});
