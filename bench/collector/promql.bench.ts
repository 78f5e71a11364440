// `npm run bench -- promql`: the DSS dashboard and alert queries over 1,000 series and 24 hours of 15 s
// samples, against the collector (SQLite metrics store + PromQL engine, over its HTTP API) and against the
// real Prometheus (Debian's package) holding the same samples, in the same run. Prints per query and overall
// the latency ratio collector / Prometheus (target: overall median at most 2) and bytes per sample on disk.
//
// Each query runs as a range query over the 24 h at a 60 s step (a Grafana panel) and as an instant query at
// the end (an alert rule evaluation); each side answers RUNS times, alternating, and the median is kept.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { prometheusRoutes } from '../../collector/src/api/prometheus/index.ts';
import { MetricsStore } from '../../collector/src/store/metrics-store.ts';
import { openDatabase } from '../../collector/src/store/open-database.ts';
import { metricStorageStats } from '../../collector/src/store/read-stats.ts';
import {
  prometheusAvailable,
  startPrometheusFromFile,
} from '../../collector/test/metrics/conformance/prometheus-process.ts';
import { percentile } from './support.ts';
import { syntheticMetrics } from './synthetic-metrics.ts';

const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STEP_MS = 15_000;
const START_MS = Date.UTC(2026, 0, 5);
const SCRAPES = (HOURS * 3_600_000) / STEP_MS;
const END_MS = START_MS + SCRAPES * STEP_MS;

/** Dashboard panels and alert rules of the DSS, over the synthetic series' names. */
export const DSS_BENCH_QUERIES = [
  'sum by (route) (rate(http_server_requests_total[5m]))',
  'sum by (instance) (rate(http_server_requests_total{status=~"5.."}[5m])) / sum by (instance) (rate(http_server_requests_total[5m]))',
  'histogram_quantile(0.95, sum by (le, route) (rate(http_server_request_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.5, sum by (le) (rate(http_server_request_duration_seconds_bucket[5m])))',
  'sum(rate(http_server_request_duration_seconds_sum[5m])) / sum(rate(http_server_request_duration_seconds_count[5m]))',
  'topk(5, sum by (route) (rate(http_server_requests_total[5m])))',
  'increase(http_server_requests_total[1h])',
  'dss_tank_level_meters',
  'avg_over_time(dss_tank_level_meters[10m])',
  'predict_linear(dss_tank_level_meters[1h], 4 * 3600) < 0.5',
  'deriv(dss_tank_level_meters[15m]) * 3600',
  'changes(dss_tank_level_meters[30m]) == 0 and on() max(dss_pump_state) > 0',
  'absent_over_time(dss_tank_level_meters{tank="T-001"}[10m])',
  'sum(dss_pump_state)',
  'max_over_time(nodejs_eventloop_lag_seconds[5m])',
  'rate(process_cpu_seconds_total[5m])',
];

function median(values: number[]): number {
  return percentile(values, 50);
}

async function timed(url: string, path: string, params: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await response.json()) as { status: string; error?: string };
  const elapsed = performance.now() - started;
  if (body.status !== 'success') throw new Error(`${url}${path} ${params.query}: ${body.error}`);
  return elapsed;
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

async function main(): Promise<void> {
  if (!prometheusAvailable()) {
    console.log(
      'promql: skipped, /usr/bin/prometheus and /usr/bin/promtool are needed (apt-get install prometheus)',
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dss-bench-promql-'));
  try {
    const synthetic = syntheticMetrics({ startMs: START_MS, scrapes: SCRAPES, scale: SCALE, jitterMs: 2 });
    const seriesCount = synthetic.series.length;
    console.log(
      `data: ${seriesCount} series x ${SCRAPES} samples (${HOURS} h at 15 s) = ${(seriesCount * SCRAPES).toLocaleString('en-US')} samples`,
    );

    // One pass over the generator fills the collector's store and keeps the values for the OpenMetrics file.
    const { db } = openDatabase(join(dir, 'collector.sqlite'));
    const store = new MetricsStore(db);
    const times = new Float64Array(SCRAPES);
    const values = synthetic.series.map(() => new Float64Array(SCRAPES));
    let loadStarted = performance.now();
    let step = 0;
    for (const batch of synthetic.batches()) {
      store.appendSync(batch);
      times[step] = batch.samples[0]?.timestampMs ?? 0;
      batch.samples.forEach((sample, i) => {
        (values[i] as Float64Array)[step] = sample.value;
      });
      step++;
    }
    store.compactSync();
    const collectorLoadS = (performance.now() - loadStarted) / 1000;
    const stats = metricStorageStats(db);

    loadStarted = performance.now();
    const openMetrics = join(dir, 'data.om');
    await writeOpenMetrics(
      openMetrics,
      synthetic.series.map((s) => s.labels),
      times,
      values,
    );
    const prometheus = await startPrometheusFromFile(openMetrics, join(dir, 'prometheus'));
    const prometheusLoadS = (performance.now() - loadStarted) / 1000;
    const promBlocksBytes = await directorySize(prometheus.dataDir);

    const app = Fastify();
    app.decorateRequest('tenant', undefined);
    prometheusRoutes(app, store);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const collectorUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    console.log(
      `load: collector ${collectorLoadS.toFixed(1)} s (append + compaction), prometheus ${prometheusLoadS.toFixed(1)} s (promtool backfill + start)`,
    );
    console.log(
      `bytes per sample on disk: collector ${stats.bytesPerSample.toFixed(2)} (${stats.samples.toLocaleString('en-US')} samples, ${(stats.bytes.total / 2 ** 20).toFixed(1)} MiB), ` +
        `prometheus ${(promBlocksBytes / (seriesCount * SCRAPES)).toFixed(2)} (${(promBlocksBytes / 2 ** 20).toFixed(1)} MiB of blocks)`,
    );

    const ratios: number[] = [];
    console.log(
      '\nquery (range 24 h step 60 s | instant at end)            collector ms   prometheus ms   ratio',
    );
    for (const query of DSS_BENCH_QUERIES) {
      for (const mode of ['range', 'instant'] as const) {
        const path = mode === 'range' ? '/api/v1/query_range' : '/api/v1/query';
        const params: Record<string, string> =
          mode === 'range'
            ? { query, start: String(START_MS / 1000), end: String(END_MS / 1000), step: '60' }
            : { query, time: String(END_MS / 1000) };
        // One warm-up each, then alternate.
        await timed(collectorUrl, path, params);
        await timed(prometheus.url, path, params);
        const ours: number[] = [];
        const theirs: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          ours.push(await timed(collectorUrl, path, params));
          theirs.push(await timed(prometheus.url, path, params));
        }
        const ratio = median(ours) / median(theirs);
        ratios.push(ratio);
        const label = `${mode === 'range' ? 'R' : 'I'} ${query}`;
        console.log(
          `${label.length > 56 ? `${label.slice(0, 53)}...` : label.padEnd(56)} ${median(ours).toFixed(1).padStart(10)} ${median(theirs).toFixed(1).padStart(14)} ${ratio.toFixed(2).padStart(8)}`,
        );
      }
    }
    console.log(
      `\noverall latency ratio collector / prometheus: median ${median(ratios).toFixed(2)}, p90 ${percentile(ratios, 90).toFixed(2)} (target: median <= 2)`,
    );
    await app.close();
    await prometheus.stop();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** OpenMetrics text, series after series (promtool wants each series' samples together, in time order). */
async function writeOpenMetrics(
  file: string,
  labels: Record<string, string>[],
  times: Float64Array,
  values: Float64Array[],
): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  const byName = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const name = l.__name__ as string;
    byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  for (const [name, indexes] of byName) {
    await write(`# TYPE ${name} unknown\n`);
    for (const i of indexes) {
      const { __name__: _name, ...rest } = labels[i] as Record<string, string>;
      const text = Object.entries(rest)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      const series = values[i] as Float64Array;
      const lines: string[] = [];
      for (let s = 0; s < times.length; s++) {
        lines.push(`${name}{${text}} ${series[s]} ${((times[s] as number) / 1000).toFixed(3)}`);
      }
      await write(`${lines.join('\n')}\n`);
    }
  }
  await write('# EOF\n');
  await new Promise<void>((resolve) => out.end(resolve));
}

await main();
