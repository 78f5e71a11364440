// Prometheus samples like the DSS simulator and its services produce, for the metrics benchmarks: scrapes
// of every series at one timestamp each, in time order, drawn from one seeded generator (the same options
// give the same data). The mix, for 1,000 series (`scale` multiplies every group):
//   - 200 tank levels (dss_tank_level_meters): metres with 3 decimals, a daily curve plus a 6-hour wave
//     and millimetre noise;
//   - 100 pump states (dss_pump_state): 0/1, switching every two hours or so;
//   - 200 request counters (http_server_requests_total): monotonic, rates from 0.1 to 50/s following
//     the day, a reset (process restart) about once a day per series;
//   - 20 request-duration histograms (http_server_request_duration_seconds): 15 cumulative buckets, _sum
//     (a float with full noise) and _count: 340 series;
//   - 40 Node.js processes with prom-client's defaults, 160 series: heap bytes (an integer sawtooth),
//     resident memory (4 KiB pages), CPU seconds (a counter in microseconds) and event-loop lag (seconds,
//     full float noise).
// Timestamps are every `stepMs` with `jitterMs` of jitter (a push exporter's timer; Prometheus itself
// aligns scrape times within 2 ms).
import type { AppendBatch, AppendSample, Labels, MetricMetadata } from '../../collector/src/metrics/model.ts';
import { seededRandom } from './synthetic-store.ts';

export interface SyntheticMetricsOptions {
  startMs: number;
  /** Scrapes: samples per series. */
  scrapes: number;
  /** Default 15 s. */
  stepMs?: number;
  /** Timestamps land up to this many ms after the step. Default 0. */
  jitterMs?: number;
  /** Multiplies the number of series of each kind. Default 1 (1,000 series). */
  scale?: number;
  seed?: number;
  /** Default 'aveiro'. */
  tenant?: string;
}

export type SeriesKind = 'tank level' | 'pump state' | 'counter' | 'histogram' | 'process gauge';

interface Generated {
  labels: Labels;
  kind: SeriesKind;
  /** The value at scrape `step` (time `t`, ms). */
  next: (step: number, t: number) => number;
}

const DAY = 86_400_000;
const HISTOGRAM_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const ROUTES = ['/tanks/:id/readings', '/tanks', '/pumps/:id', '/forecast', '/alerts'];
const STATUSES = ['200', '201', '304', '404', '500'];

export const SYNTHETIC_METADATA: MetricMetadata[] = [
  {
    metric: 'dss_tank_level_meters',
    type: 'gauge',
    help: 'Water level of a tank, in metres above its floor.',
    unit: 'meters',
  },
  { metric: 'dss_pump_state', type: 'gauge', help: 'Whether a pump runs: 1 on, 0 off.', unit: '' },
  { metric: 'http_server_requests', type: 'counter', help: 'HTTP requests served.', unit: '' },
  {
    metric: 'http_server_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of HTTP server requests.',
    unit: 'seconds',
  },
  {
    metric: 'nodejs_heap_size_used_bytes',
    type: 'gauge',
    help: 'Process heap size used from Node.js in bytes.',
    unit: 'bytes',
  },
  {
    metric: 'process_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory size in bytes.',
    unit: 'bytes',
  },
  {
    metric: 'process_cpu_seconds',
    type: 'counter',
    help: 'Total user and system CPU time spent in seconds.',
    unit: 'seconds',
  },
  {
    metric: 'nodejs_eventloop_lag_seconds',
    type: 'gauge',
    help: 'Lag of event loop in seconds.',
    unit: 'seconds',
  },
];

/** The daily load shape: low at night, high in the afternoon, in 0.2..1. */
const daily = (t: number) => 0.6 - 0.4 * Math.cos((2 * Math.PI * ((t % DAY) - 4 * 3_600_000)) / DAY);

function buildSeries(random: () => number, scale: number, stepMs: number): Generated[] {
  const out: Generated[] = [];
  const gaussian = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const instance = (i: number) => `backend-api-${i}:9464`;

  for (let i = 0; i < 200 * scale; i++) {
    const base = 1.5 + random() * 3;
    const amplitude = 0.3 + random() * 1.2;
    const phase = random() * 2 * Math.PI;
    out.push({
      kind: 'tank level',
      labels: {
        __name__: 'dss_tank_level_meters',
        job: 'simulator',
        tank: `T-${String(i).padStart(3, '0')}`,
      },
      next: (_, t) => {
        const level =
          base +
          amplitude * Math.sin((2 * Math.PI * t) / DAY + phase) +
          0.1 * Math.sin((2 * Math.PI * t) / (6 * 3_600_000) + phase) +
          0.002 * gaussian();
        return Math.round(Math.max(0, level) * 1000) / 1000;
      },
    });
  }
  for (let i = 0; i < 100 * scale; i++) {
    let state = random() < 0.5 ? 1 : 0;
    const switchProbability = stepMs / (2 * 3_600_000);
    out.push({
      kind: 'pump state',
      labels: { __name__: 'dss_pump_state', job: 'simulator', pump: `P-${i}` },
      next: () => {
        if (random() < switchProbability) state = 1 - state;
        return state;
      },
    });
  }
  const instances = 40 * scale;
  for (let i = 0; i < 200 * scale; i++) {
    const rate = 0.1 * 500 ** random(); // 0.1 .. 50 per second
    let value = Math.floor(random() * 1e5);
    const resetProbability = stepMs / DAY;
    out.push({
      kind: 'counter',
      labels: {
        __name__: 'http_server_requests_total',
        job: 'backend-api',
        instance: instance(i % instances),
        route: ROUTES[i % ROUTES.length] as string,
        status: STATUSES[Math.floor(i / instances) % STATUSES.length] as string,
      },
      next: (_, t) => {
        if (random() < resetProbability) value = 0;
        value += Math.max(0, Math.round(rate * daily(t) * (stepMs / 1000) * (1 + 0.3 * gaussian())));
        return value;
      },
    });
  }
  for (let h = 0; h < 20 * scale; h++) {
    // Log-normal durations: median 20-200 ms.
    const mu = Math.log(0.02 + random() * 0.18);
    const sigma = 0.6 + random() * 0.6;
    const cdf = (x: number) => 0.5 * (1 + erf((Math.log(x) - mu) / (sigma * Math.SQRT2)));
    const fractions = HISTOGRAM_BOUNDS.map(cdf);
    const rate = 0.5 + random() * 20;
    const buckets = new Array<number>(HISTOGRAM_BOUNDS.length + 1).fill(0);
    let sum = 0;
    let count = 0;
    let lastStep = -1;
    const advance = (step: number, t: number) => {
      if (step === lastStep) return;
      lastStep = step;
      const n = Math.max(0, Math.round(rate * daily(t) * (stepMs / 1000) * (1 + 0.2 * gaussian())));
      let cumulative = 0;
      for (let b = 0; b <= HISTOGRAM_BOUNDS.length; b++) {
        const target =
          b < HISTOGRAM_BOUNDS.length ? Math.round(n * (fractions[b] as number) + 0.5 * gaussian()) : n;
        cumulative = Math.min(n, Math.max(cumulative, target));
        buckets[b] = (buckets[b] as number) + cumulative;
      }
      count += n;
      sum += n * Math.exp(mu + (sigma * sigma) / 2) * (0.9 + 0.2 * random());
    };
    const labels = {
      job: 'backend-api',
      instance: instance(h % instances),
      route: ROUTES[h % ROUTES.length] as string,
    };
    const name = 'http_server_request_duration_seconds';
    HISTOGRAM_BOUNDS.forEach((le, b) => {
      out.push({
        kind: 'histogram',
        labels: { __name__: `${name}_bucket`, ...labels, le: String(le) },
        next: (step, t) => {
          advance(step, t);
          return buckets[b] as number;
        },
      });
    });
    out.push({
      kind: 'histogram',
      labels: { __name__: `${name}_bucket`, ...labels, le: '+Inf' },
      next: (step, t) => {
        advance(step, t);
        return buckets[HISTOGRAM_BOUNDS.length] as number;
      },
    });
    out.push({
      kind: 'histogram',
      labels: { __name__: `${name}_sum`, ...labels },
      next: (step, t) => {
        advance(step, t);
        return sum;
      },
    });
    out.push({
      kind: 'histogram',
      labels: { __name__: `${name}_count`, ...labels },
      next: (step, t) => {
        advance(step, t);
        return count;
      },
    });
  }
  for (let p = 0; p < instances; p++) {
    const labels = { job: 'backend-api', instance: instance(p) };
    const heapBase = 40e6 + random() * 40e6;
    let heap = heapBase;
    let rss = 150e6 + Math.floor(random() * 50e6);
    let cpu = random() * 1000;
    const lagBase = 0.005 + random() * 0.01;
    out.push({
      kind: 'process gauge',
      labels: { __name__: 'nodejs_heap_size_used_bytes', ...labels },
      next: () => {
        heap = heap > heapBase * 1.6 ? heapBase + random() * 2e6 : heap + 50_000 + random() * 500_000;
        return Math.floor(heap);
      },
    });
    out.push({
      kind: 'process gauge',
      labels: { __name__: 'process_resident_memory_bytes', ...labels },
      next: () => {
        if (random() < 0.3) rss += 4096 * Math.round(200 * gaussian());
        return rss;
      },
    });
    out.push({
      kind: 'process gauge',
      labels: { __name__: 'process_cpu_seconds_total', ...labels },
      next: (_, t) => {
        cpu = Math.round((cpu + (stepMs / 1000) * daily(t) * (0.05 + 0.2 * random())) * 1e6) / 1e6;
        return cpu;
      },
    });
    out.push({
      kind: 'process gauge',
      labels: { __name__: 'nodejs_eventloop_lag_seconds', ...labels },
      next: () => lagBase + -Math.log(1 - random()) * 0.002,
    });
  }
  return out;
}

/** Abramowitz-Stegun 7.1.26 (error < 1.5e-7): enough for bucket fractions. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return sign * y;
}

export interface SyntheticMetrics {
  /** Every series, with its kind, in the order of each batch's samples. */
  series: { labels: Labels; kind: SeriesKind }[];
  /** One batch per scrape, in time order (metadata on the first). */
  batches(): Generator<AppendBatch>;
}

export function syntheticMetrics(options: SyntheticMetricsOptions): SyntheticMetrics {
  const stepMs = options.stepMs ?? 15_000;
  const random = seededRandom(options.seed ?? 1);
  const generated = buildSeries(random, options.scale ?? 1, stepMs);
  const tenant = options.tenant ?? 'aveiro';
  return {
    series: generated.map(({ labels, kind }) => ({ labels, kind })),
    *batches() {
      for (let step = 0; step < options.scrapes; step++) {
        const t = options.startMs + step * stepMs + Math.floor(random() * ((options.jitterMs ?? 0) + 1));
        const samples: AppendSample[] = generated.map((series) => ({
          labels: series.labels,
          timestampMs: t,
          value: series.next(step, t),
        }));
        yield step === 0 ? { tenant, samples, metadata: SYNTHETIC_METADATA } : { tenant, samples };
      }
    },
  };
}
