// Metrics storage: simulator-like Prometheus data (synthetic-metrics.ts: 1,000 series, one scrape of
// all of them every 15 s for 24 h, 5.76 million samples) appended to a MetricsStore on a temp file one
// scrape per transaction, as the ingest path does, with a compaction pass every 10 minutes of data.
// Prints: samples, append rate, compaction time, bytes on disk per sample (pages of the metric tables,
// dbstat) after the run and after flushing the head, bytes per sample by kind of series, and the time
// to read all samples of 100 series over the 24 h.
//   BENCH_HOURS (default 24), BENCH_SCALE (default 1: 1,000 series), BENCH_JITTER_MS (default 0).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsStore } from '../../collector/src/store/metrics-store.ts';
import { openDatabase } from '../../collector/src/store/open-database.ts';
import { fileSizes, metricStorageStats } from '../../collector/src/store/read-stats.ts';
import { percentile, rate } from './support.ts';
import { syntheticMetrics } from './synthetic-metrics.ts';

const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const JITTER_MS = Number(process.env.BENCH_JITTER_MS ?? 0);
const STEP_MS = 15_000;
const COMPACT_EVERY = 40; // scrapes: 10 minutes of data

const dir = await mkdtemp(join(tmpdir(), 'dss-bench-metrics-'));
const file = join(dir, 'metrics.sqlite');
const { db } = openDatabase(file);
const store = new MetricsStore(db);
const startMs = Date.UTC(2026, 0, 12);
const data = syntheticMetrics({
  startMs,
  scrapes: (HOURS * 3_600_000) / STEP_MS,
  stepMs: STEP_MS,
  jitterMs: JITTER_MS,
  scale: SCALE,
});
console.log(
  `metrics storage: ${data.series.length} series, a scrape every ${STEP_MS / 1000} s for ${HOURS} h` +
    `${JITTER_MS ? ` (${JITTER_MS} ms jitter)` : ''}, compaction every ${(COMPACT_EVERY * STEP_MS) / 60_000} min of data`,
);

let samples = 0;
let appendMs = 0;
let compactMs = 0;
let generateMs = 0;
let scrape = 0;
const appendLatencies: number[] = [];
let lastTime = startMs;
let mark = performance.now();
for (const batch of data.batches()) {
  generateMs += performance.now() - mark;
  const started = performance.now();
  const outcome = store.appendSync(batch);
  const took = performance.now() - started;
  appendMs += took;
  appendLatencies.push(took);
  if (outcome.appended !== batch.samples.length) throw new Error(`appended ${JSON.stringify(outcome)}`);
  samples += outcome.appended;
  lastTime = batch.samples[0]?.timestampMs ?? lastTime;
  if (++scrape % COMPACT_EVERY === 0) {
    const compactStarted = performance.now();
    store.compactSync({ now: lastTime });
    compactMs += performance.now() - compactStarted;
  }
  mark = performance.now();
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const report = (label: string) => {
  const stats = metricStorageStats(db);
  console.log(
    `${label}: ${stats.samples.toLocaleString('en-US')} samples (${stats.headSamples.toLocaleString('en-US')} in the head), ` +
      `${stats.chunks.toLocaleString('en-US')} chunks, ${mb(stats.bytes.total)} of pages: ` +
      `${stats.bytesPerSample.toFixed(2)} bytes/sample ` +
      `(chunks ${mb(stats.bytes.prom_chunks)} = ${(stats.bytes.prom_chunks / stats.chunkSamples).toFixed(2)} bytes/compacted sample, ` +
      `head ${mb(stats.bytes.prom_head)}, series ${mb(stats.bytes.prom_series)})`,
  );
};

console.log(
  `append: ${samples.toLocaleString('en-US')} samples in ${(appendMs / 1000).toFixed(1)} s: ${rate((samples / appendMs) * 1000)} samples/s ` +
    `(one scrape of ${data.series.length} per transaction: p50 ${percentile(appendLatencies, 50).toFixed(2)} ms, ` +
    `p99 ${percentile(appendLatencies, 99).toFixed(2)} ms); generating the data took ${(generateMs / 1000).toFixed(1)} s`,
);
console.log(
  `compaction: ${(compactMs / 1000).toFixed(2)} s in ${Math.floor(scrape / COMPACT_EVERY)} passes ` +
    `(${((compactMs * 1e6) / samples).toFixed(0)} ns/sample)`,
);
report('after the run');
const flushStarted = performance.now();
const flushed = store.compactSync({ all: true });
console.log(
  `flushing the head: ${flushed.samples.toLocaleString('en-US')} samples, ${flushed.chunks} chunks in ${(performance.now() - flushStarted).toFixed(0)} ms`,
);
report('after the flush');

// Per kind of series: encoded bytes of its chunks per sample, and the share of decimal chunks.
const seriesKind = new Map(data.series.map((s) => [JSON.stringify(s.labels), s.kind]));
const byKind = new Map<string, { bytes: number; samples: number; chunks: number; decimal: number }>();
for (const row of db
  .prepare(
    `SELECT s.labels AS labels, sum(length(c.data)) AS bytes, sum(c.count) AS samples, count(*) AS chunks,
       sum(unicode(substr(c.data, 1, 1)) = 2) AS decimal
     FROM prom_chunks c JOIN prom_series s ON s.id = c.series_id GROUP BY c.series_id`,
  )
  .all() as { labels: string; bytes: number; samples: number; chunks: number; decimal: number }[]) {
  const labels = JSON.parse(row.labels) as Record<string, string>;
  const sorted = Object.fromEntries(
    data.series.find((s) => s.labels.__name__ === labels.__name__) ? Object.entries(labels) : [],
  );
  const kind =
    seriesKind.get(JSON.stringify(sorted)) ??
    data.series.find((s) => Object.entries(s.labels).every(([k, v]) => labels[k] === v))?.kind ??
    'other';
  const entry = byKind.get(kind) ?? { bytes: 0, samples: 0, chunks: 0, decimal: 0 };
  entry.bytes += row.bytes;
  entry.samples += row.samples;
  entry.chunks += row.chunks;
  entry.decimal += row.decimal;
  byKind.set(kind, entry);
}
console.log('kind           series-samples  encoded bytes/sample  decimal chunks');
for (const [kind, entry] of byKind) {
  console.log(
    `${kind.padEnd(15)}${entry.samples.toLocaleString('en-US').padStart(14)}  ${(entry.bytes / entry.samples).toFixed(2).padStart(20)}  ${`${Math.round((100 * entry.decimal) / entry.chunks)}%`.padStart(14)}`,
  );
}

// Reads: every sample of 100 series (every tenth) over the whole period.
const refs = store.selectSeries('aveiro', [], { startMs, endMs: lastTime });
const ids = refs
  .filter((_, i) => i % Math.max(1, Math.floor(refs.length / 100)) === 0)
  .slice(0, 100)
  .map((r) => r.id);
const readTimes: number[] = [];
let read = 0;
for (let i = 0; i < 10; i++) {
  const started = performance.now();
  const blocks = store.readSamples(ids, { startMs, endMs: lastTime });
  readTimes.push(performance.now() - started);
  read = [...blocks.values()].reduce((n, b) => n + b.t.length, 0);
}
console.log(
  `read ${ids.length} series × ${HOURS} h: ${read.toLocaleString('en-US')} samples, first ${readTimes[0]?.toFixed(1)} ms, ` +
    `median of 10 ${percentile(readTimes, 50).toFixed(1)} ms (${rate((read / percentile(readTimes, 50)) * 1000)} samples/s)`,
);
db.pragma('wal_checkpoint(TRUNCATE)');
const { fileBytes } = fileSizes(file);
console.log(
  `database file after a checkpoint: ${mb(fileBytes)} (${(fileBytes / samples).toFixed(2)} bytes/sample, free pages included)`,
);
db.close();
await rm(dir, { recursive: true, force: true });
