// The metrics store on a real SQLite file: appends are read back from the head, from chunks and from
// both; compaction keeps every sample exactly once, also while appends and reads interleave with it;
// out-of-order and duplicate samples are refused and counted, retries ignored; values (stale markers,
// NaN, -0, ±Inf) survive bit for bit; the catalog reloads when the file is opened again.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppendSample } from '../../../src/metrics/model.ts';
import { MetricsStore } from '../../../src/store/metrics-store.ts';
import { openDatabase } from '../../../src/store/open-database.ts';
import { metricStorageStats } from '../../../src/store/read-stats.ts';
import { ALL_TIME, plain, type StoreFixture, samplesOf, series, storeFixture, T0 } from './support.ts';

let fx: StoreFixture;
beforeEach(async () => {
  fx = await storeFixture();
});
afterEach(() => fx.close());

const count = (table: string) => Number(fx.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
const headSamples = () => metricStorageStats(fx.db).headSamples;
const NOW = T0 + 86_400_000; // "now" for compaction: a day after the data

describe('append and read back', () => {
  const up = series('up', { job: 'api' });
  const values = Array.from({ length: 500 }, (_, i) => Math.round(Math.sin(i / 10) * 1000) / 1000);

  it('from the head', () => {
    expect(fx.store.appendSync({ tenant: 'a', samples: samplesOf(up, values) })).toEqual({
      appended: 500,
      outOfOrder: 0,
      duplicates: 0,
      invalid: 0,
    });
    const [ref] = fx.store.selectSeries('a', [], ALL_TIME);
    expect(ref?.labels).toEqual(up);
    const block = plain(fx.store.readSamples([ref?.id as number], ALL_TIME).get(ref?.id as number));
    expect(block).toEqual({ t: values.map((_, i) => T0 + i * 15_000), v: values });
    expect(count('prom_chunks')).toBe(0);
  });

  it('from chunks only, and from chunks and head mixed, with the same result', () => {
    fx.store.appendSync({ tenant: 'a', samples: samplesOf(up, values) });
    const id = fx.store.selectSeries('a', [], ALL_TIME)[0]?.id as number;
    const expected = plain(fx.store.readSamples([id], ALL_TIME).get(id));

    // Settled samples (older than the newest by 5 min) in full chunks of 240: 2 chunks, 20 left in head.
    const partial = fx.store.compactSync({ now: T0 });
    expect(partial).toMatchObject({ chunks: 2, samples: 480, series: 1 });
    expect(headSamples()).toBe(20);
    expect(count('prom_head')).toBe(1); // the log row of the batch: 20 of its samples are still in the head
    expect(plain(fx.store.readSamples([id], ALL_TIME).get(id))).toEqual(expected);

    fx.store.compactSync({ all: true });
    expect(headSamples()).toBe(0);
    expect(count('prom_head')).toBe(0); // log rows go once all their samples are compacted
    expect(count('prom_chunks')).toBe(3);
    expect(plain(fx.store.readSamples([id], ALL_TIME).get(id))).toEqual(expected);

    // Ranges cut inside chunks, both ends inclusive.
    const range = { startMs: T0 + 100 * 15_000, endMs: T0 + 300 * 15_000 };
    const cut = plain(fx.store.readSamples([id], range).get(id));
    expect(cut?.t).toEqual(expected?.t.slice(100, 301));
    expect(cut?.v).toEqual(expected?.v.slice(100, 301));
    expect(fx.store.readSamples([id], { startMs: T0 - 10, endMs: T0 - 1 }).size).toBe(0);
    expect(fx.store.readSamples([id, 999], { startMs: T0, endMs: T0 }).get(id)?.v).toEqual(
      Float64Array.of(values[0] as number),
    );
  });

  it('keeps staleness markers, NaN, -0 and ±Inf bit for bit, in the head and in chunks', () => {
    const special = [1.5, Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2.25, 7];
    const samples: AppendSample[] = special.map((value, i) => ({
      labels: up,
      timestampMs: T0 + i * 1000,
      value,
      stale: i === 6,
    }));
    fx.store.appendSync({ tenant: '', samples });
    const id = fx.store.selectSeries(undefined, [], ALL_TIME)[0]?.id as number;
    const check = () => {
      const block = fx.store.readSamples([id], ALL_TIME).get(id);
      expect(block?.stale && [...block.stale]).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
      const v = [...(block?.v ?? [])];
      expect(v[1]).toBeNaN();
      expect(Object.is(v[2], -0)).toBe(true);
      expect(Object.is(v[3], 0)).toBe(true);
      expect(v.slice(4, 6)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      expect(v[6]).toBeNaN();
      expect(v[7]).toBe(7);
    };
    check();
    fx.store.compactSync({ all: true });
    expect(headSamples()).toBe(0);
    expect(count('prom_head')).toBe(0); // log rows go once all their samples are compacted
    check();
    // No stale array when there is no marker.
    fx.store.appendSync({ tenant: '', samples: samplesOf(series('other'), [1, 2]) });
    const other = fx.store.selectSeries(
      undefined,
      [{ name: '__name__', type: '=', value: 'other' }],
      ALL_TIME,
    );
    expect(fx.store.readSamples([other[0]?.id as number], ALL_TIME).get(other[0]?.id as number)?.stale).toBe(
      undefined,
    );
    // Nor when the range leaves the markers of a chunk out.
    const before = { startMs: T0, endMs: T0 + 5000 };
    expect(fx.store.readSamples([id], before).get(id)?.stale).toBe(undefined);
  });

  it('accepts samples out of order within the head, and returns them in time order', () => {
    fx.store.appendSync({ tenant: '', samples: samplesOf(up, [3, 4], 1000, T0 + 2000) });
    fx.store.appendSync({ tenant: '', samples: samplesOf(up, [1, 2], 1000, T0) });
    const id = fx.store.selectSeries('', [], ALL_TIME)[0]?.id as number;
    expect(plain(fx.store.readSamples([id], ALL_TIME).get(id))).toEqual({
      t: [T0, T0 + 1000, T0 + 2000, T0 + 3000],
      v: [1, 2, 3, 4],
    });
  });

  it('drops empty labels: {a="", b="x"} is the series {b="x"}', () => {
    fx.store.appendSync({
      tenant: '',
      samples: [{ labels: { __name__: 'm', a: '', b: 'x' }, timestampMs: T0, value: 1 }],
    });
    fx.store.appendSync({
      tenant: '',
      samples: [{ labels: { b: 'x', __name__: 'm' }, timestampMs: T0 + 1, value: 2 }],
    });
    const refs = fx.store.selectSeries('', [], ALL_TIME);
    expect(refs).toEqual([{ id: refs[0]?.id, labels: { __name__: 'm', b: 'x' } }]);
  });
});

describe('out-of-order, duplicate and retried samples', () => {
  const m = series('m');

  it('counts them and stores nothing for them', () => {
    fx.store.appendSync({
      tenant: '',
      samples: samplesOf(
        m,
        Array.from({ length: 300 }, (_, i) => i),
      ),
    });
    fx.store.compactSync({ now: T0 }); // 240 samples into a chunk: times T0 .. T0 + 239 * 15 s
    const id = fx.store.selectSeries('', [], ALL_TIME)[0]?.id as number;
    const before = plain(fx.store.readSamples([id], ALL_TIME).get(id));
    const at = (i: number) => T0 + i * 15_000;
    const outcome = fx.store.appendSync({
      tenant: '',
      samples: [
        { labels: m, timestampMs: at(10), value: 10 }, // retry of a compacted sample: ignored
        { labels: m, timestampMs: at(11), value: 99 }, // another value at a compacted time: duplicate
        { labels: m, timestampMs: at(12) + 1, value: 1 }, // between compacted samples: out of order
        { labels: m, timestampMs: T0 - 1, value: 1 }, // before every chunk: out of order
        { labels: m, timestampMs: at(250), value: 250 }, // retry of a head sample: ignored
        { labels: m, timestampMs: at(251), value: -1 }, // another value at a head time: duplicate
        { labels: m, timestampMs: at(252), value: 252, stale: true }, // a marker where a value is: duplicate
        { labels: m, timestampMs: 1.5, value: 1 }, // not an integer
        { labels: m, timestampMs: Number.NaN, value: 1 },
        { labels: m, timestampMs: at(400), value: 400 }, // new
        { labels: m, timestampMs: at(400), value: 400 }, // repeated within the batch: ignored
        { labels: m, timestampMs: at(400), value: 401 }, // different within the batch: duplicate
      ],
    });
    expect(outcome).toEqual({ appended: 1, outOfOrder: 2, duplicates: 4, invalid: 2 });
    const after = plain(fx.store.readSamples([id], ALL_TIME).get(id));
    expect(after?.t).toEqual([...(before?.t ?? []), at(400)]);
    expect(after?.v).toEqual([...(before?.v ?? []), 400]);
  });

  it('ignores a retried staleness marker and NaN, in the head and in chunks', () => {
    const samples: AppendSample[] = [
      { labels: m, timestampMs: T0, value: Number.NaN },
      { labels: m, timestampMs: T0 + 1, value: 0, stale: true },
    ];
    fx.store.appendSync({ tenant: '', samples });
    expect(fx.store.appendSync({ tenant: '', samples })).toMatchObject({ appended: 0, duplicates: 0 });
    fx.store.compactSync({ all: true });
    expect(fx.store.appendSync({ tenant: '', samples })).toMatchObject({
      appended: 0,
      duplicates: 0,
      outOfOrder: 0,
    });
  });

  it('rolls back a failing batch whole, catalog included', () => {
    const bad: AppendSample[] = [
      ...samplesOf(series('fresh'), [1, 2]),
      { labels: m, timestampMs: T0, value: Symbol('not a number') as unknown as number }, // cannot be bound
    ];
    expect(() => fx.store.appendSync({ tenant: '', samples: bad })).toThrow();
    expect(count('prom_series')).toBe(0);
    expect(fx.store.selectSeries(undefined, [], ALL_TIME)).toEqual([]);
    expect(fx.store.appendSync({ tenant: '', samples: samplesOf(series('fresh'), [1, 2]) }).appended).toBe(2);
    expect(fx.store.selectSeries(undefined, [], ALL_TIME)).toHaveLength(1);
  });
});

describe('compaction', () => {
  it('keeps every sample exactly once while appends and reads go on', async () => {
    const names = Array.from({ length: 20 }, (_, i) => series('g', { i: String(i) }));
    const expected = new Map<string, number[]>();
    let time = T0;
    const appendRound = () => {
      const samples = names.map((labels, i) => ({
        labels,
        timestampMs: time,
        value: (time - T0) / 1000 + i,
      }));
      fx.store.appendSync({ tenant: 't', samples });
      for (const s of samples)
        expected.set(s.labels.i as string, [...(expected.get(s.labels.i as string) ?? []), s.value]);
      time += 10_000;
    };
    for (let r = 0; r < 600; r++) appendRound();
    // Small transactions, appends and reads between them.
    let rounds = 0;
    const check = () => {
      const refs = fx.store.selectSeries('t', [], ALL_TIME);
      const blocks = fx.store.readSamples(
        refs.map((r) => r.id),
        ALL_TIME,
      );
      for (const ref of refs)
        expect([...(blocks.get(ref.id)?.v ?? [])]).toEqual(expected.get(ref.labels.i as string));
    };
    const interleave = async () => {
      for (let i = 0; i < 30; i++) {
        appendRound();
        check();
        rounds++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const [result] = await Promise.all([fx.store.compact({ now: time }), interleave()]);
    expect(rounds).toBe(30);
    expect(result.chunks).toBeGreaterThanOrEqual(40);
    check();
    fx.store.compactSync({ all: true });
    check();
    const total = [...expected.values()].reduce((n, v) => n + v.length, 0);
    expect(Number(fx.db.prepare('SELECT sum(count) FROM prom_chunks').pluck().get())).toBe(total);
  });

  it('compacts short heads when old, leaves recent ones, cuts chunks at the byte limit', async () => {
    await fx.close();
    fx = await storeFixture({ compaction: { chunkBytes: 200 } });
    const slow = series('slow');
    const noisy = series('noisy');
    fx.store.appendSync({ tenant: '', samples: samplesOf(slow, [1, 2, 3, 4, 5, 6], 60_000) });
    fx.store.appendSync({
      tenant: '',
      samples: samplesOf(
        noisy,
        Array.from({ length: 240 }, (_, i) => Math.sin(i) * Math.PI),
      ),
    });
    // Recent: nothing is due yet for the slow series; the noisy one fills chunks of at most 200 bytes.
    fx.store.compactSync({ now: T0 + 6 * 60_000 });
    const chunkRows = () =>
      fx.db
        .prepare(
          'SELECT s.name, c.count, length(c.data) AS bytes FROM prom_chunks c JOIN prom_series s ON s.id = c.series_id',
        )
        .all() as {
        name: string;
        count: number;
        bytes: number;
      }[];
    expect(chunkRows().filter((r) => r.name === 'slow')).toEqual([]);
    // 240 samples are due only when 240 are settled: the last 5 minutes of the noisy one are not.
    expect(chunkRows().filter((r) => r.name === 'noisy')).toEqual([]);
    // Two hours later both heads are old: the slow series stopped (all of it), the noisy one too.
    fx.store.compactSync({ now: T0 + 3 * 3_600_000 });
    const rows = chunkRows();
    expect(rows.filter((r) => r.name === 'slow').map((r) => r.count)).toEqual([6]);
    const noisyRows = rows.filter((r) => r.name === 'noisy');
    expect(noisyRows.length).toBeGreaterThan(5);
    expect(noisyRows.every((r) => r.bytes <= 200)).toBe(true);
    expect(noisyRows.reduce((n, r) => n + r.count, 0)).toBe(240);
    expect(headSamples()).toBe(0);
    expect(count('prom_head')).toBe(0); // log rows go once all their samples are compacted
  });
});

describe('background compactor', () => {
  it('runs passes on its timer until stopped', async () => {
    fx.store.appendSync({
      tenant: '',
      samples: samplesOf(
        series('m'),
        Array.from({ length: 600 }, (_, i) => i),
      ),
    });
    const passes: number[] = [];
    const compactor = fx.store.compactor({
      intervalMs: 5,
      now: () => NOW,
      onPass: (pass) => passes.push(pass.samples),
    });
    compactor.start();
    while (passes.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await compactor.stop();
    const after = passes.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(passes.length).toBe(after);
    expect(passes[0]).toBe(600); // old: everything, in chunks of 240, 240 and 120
    expect(count('prom_chunks')).toBe(3);
    expect(count('prom_head')).toBe(0);
  });
});

describe('reopening', () => {
  it('reloads the catalog: series, bounds, and the out-of-order floor', () => {
    const m = series('m', { k: 'v' });
    fx.store.appendSync({
      tenant: 'a',
      samples: samplesOf(
        m,
        Array.from({ length: 300 }, (_, i) => i),
      ),
    });
    fx.store.compactSync({ now: NOW });
    fx.store.appendSync({ tenant: 'a', samples: samplesOf(m, [1000], 1, T0 + 300 * 15_000) });
    const before = fx.store.selectSeries('a', [], ALL_TIME);
    const samples = fx.store.readSamples([before[0]?.id as number], ALL_TIME);
    fx.reopen();
    expect(fx.store.selectSeries('a', [], ALL_TIME)).toEqual(before);
    expect(fx.store.readSamples([before[0]?.id as number], ALL_TIME)).toEqual(samples);
    expect(fx.store.selectSeries('a', [], { startMs: T0 + 301 * 15_000, endMs: ALL_TIME.endMs })).toEqual([]);
    expect(fx.store.appendSync({ tenant: 'a', samples: samplesOf(m, [5], 1, T0 + 1) }).outOfOrder).toBe(1);
    // The same labels are the same series.
    expect(
      fx.store.appendSync({ tenant: 'a', samples: samplesOf(m, [5], 1, T0 + 400 * 15_000) }).appended,
    ).toBe(1);
    expect(count('prom_series')).toBe(1);
  });
});

describe('durability', () => {
  it('rebuilds the head from its log, without the samples already compacted', () => {
    const m = series('m');
    // One batch: 300 samples in one log row; compaction takes 240 of them into a chunk.
    fx.store.appendSync({
      tenant: '',
      samples: samplesOf(
        m,
        Array.from({ length: 300 }, (_, i) => i),
      ),
    });
    fx.store.compactSync({ now: T0 });
    expect(count('prom_head')).toBe(1);
    const id = fx.store.selectSeries('', [], ALL_TIME)[0]?.id as number;
    const before = plain(fx.store.readSamples([id], ALL_TIME).get(id));
    expect(before?.t).toHaveLength(300);
    fx.reopen();
    expect(plain(fx.store.readSamples([id], ALL_TIME).get(id))).toEqual(before);
    expect(headSamples()).toBe(60);
    // Compacting the rest empties the log.
    fx.store.compactSync({ all: true });
    expect(count('prom_head')).toBe(0);
    fx.reopen();
    expect(plain(fx.store.readSamples([id], ALL_TIME).get(id))).toEqual(before);
  });

  it('keeps every acknowledged batch of a process killed with SIGKILL', async () => {
    const script = fileURLToPath(new URL('./append-process.ts', import.meta.url));
    const child = spawn(process.execPath, [script, fx.file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acknowledged = -1;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`exit ${code}`)),
      );
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const acks = [...output.matchAll(/^ACK (\d+)$/gm)];
        acknowledged = Number(acks.at(-1)?.[1] ?? -1);
        if (acknowledged >= 400 && child.exitCode === null) child.kill('SIGKILL');
      });
    });
    fx.db.close();
    fx.db = openDatabase(fx.file).db;
    const store = new MetricsStore(fx.db);
    const refs = store.selectSeries('', [], ALL_TIME);
    expect(refs).toHaveLength(100);
    for (const block of store
      .readSamples(
        refs.map((r) => r.id),
        ALL_TIME,
      )
      .values()) {
      // Every acknowledged scrape is there, each once and in order (perhaps a few more, committed
      // before their ACK was read).
      const v = [...block.v];
      expect(v.length).toBeGreaterThanOrEqual(acknowledged + 1);
      expect(v).toEqual(v.map((_, i) => i));
    }
    expect(Number(fx.db.prepare('SELECT count(*) FROM prom_chunks').pluck().get())).toBeGreaterThan(0);
  });
});
