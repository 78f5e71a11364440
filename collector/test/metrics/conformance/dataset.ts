// The conformance data set: the same samples go into a real Prometheus (backfilled with promtool from
// OpenMetrics text) and into the collector's metrics store. Deterministic (seeded), 6 hours at 15 s, with
// what the engine must get right: counters with resets, series that start and stop inside the window, a
// gap longer than the lookback, histograms, NaN and ±Inf, negative values, decimal sensor levels.
// Sample times sit 123 ms past the 15 s grid, so that no sample falls exactly on a window boundary at the
// whole-second query times (where Prometheus 2.42's closed and Prometheus 3's left-open ranges differ).
import type { AppendSample, Labels } from '../../../src/metrics/model.ts';

export const DATA_START_MS = Date.UTC(2026, 0, 5, 0, 0, 0); // a Monday
export const DATA_END_MS = DATA_START_MS + 6 * 3600_000;
export const SCRAPE_MS = 15_000;
const JITTER_MS = 123;

export interface DataSeries {
  labels: Labels;
  type: 'counter' | 'gauge' | 'histogram' | 'unknown';
  samples: { t: number; v: number }[];
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function grid(from = DATA_START_MS, to = DATA_END_MS): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t += SCRAPE_MS) out.push(t + JITTER_MS);
  return out;
}

export function buildDataset(): DataSeries[] {
  const random = rng(42);
  const out: DataSeries[] = [];
  const round3 = (x: number) => Math.round(x * 1000) / 1000;

  // Request counters, with resets (a restart every so often) on some.
  for (const instance of ['api-0:8080', 'api-1:8080']) {
    for (const method of ['GET', 'POST']) {
      for (const status of ['200', '500']) {
        let value = Math.floor(random() * 1000);
        const resets = status === '500' && method === 'GET' && instance === 'api-1:8080';
        const samples = grid().map((t, i) => {
          if (resets && i > 0 && i % 317 === 0) value = 0;
          value += Math.floor(random() * (status === '200' ? 20 : 3));
          return { t, v: value };
        });
        out.push({
          labels: {
            __name__: 'http_requests_total',
            job: 'backend-api',
            instance,
            method,
            status,
            dss_client: instance === 'api-0:8080' ? 'north' : 'south',
          },
          type: 'counter',
          samples,
        });
      }
    }
  }

  // Tank levels (metres, 3 decimals) with a daily curve, and their limits.
  for (const client of ['north', 'south']) {
    for (const tank of ['t1', 't2', 't3']) {
      const base = 2 + random() * 3;
      const samples = grid().map((t) => ({
        t,
        v: round3(base + Math.sin((t - DATA_START_MS) / 3_600_000) * 0.8 + (random() - 0.5) * 0.02),
      }));
      out.push({
        labels: { __name__: 'dss_tank_level_meters', dss_client: client, dss_tank_id: tank, job: 'intake' },
        type: 'gauge',
        samples,
      });
      out.push({
        labels: {
          __name__: 'dss_tank_min_level_meters',
          dss_client: client,
          dss_tank_id: tank,
          job: 'intake',
        },
        type: 'gauge',
        samples: grid().map((t) => ({ t, v: 1.5 })),
      });
      out.push({
        labels: {
          __name__: 'dss_tank_max_level_meters',
          dss_client: client,
          dss_tank_id: tank,
          job: 'intake',
        },
        type: 'gauge',
        samples: grid().map((t) => ({ t, v: 5.5 })),
      });
    }
    for (const pump of ['p1', 'p2']) {
      let state = 0;
      const samples = grid().map((t) => {
        if (random() < 0.02) state = 1 - state;
        return { t, v: state };
      });
      out.push({
        labels: { __name__: 'dss_pump_running', dss_client: client, dss_pump_id: pump, job: 'intake' },
        type: 'gauge',
        samples,
      });
    }
  }

  // A histogram of job durations, per job name.
  const bounds = ['0.5', '1', '2.5', '5', '10', '+Inf'];
  for (const job of ['forecast', 'optimization']) {
    const counts = bounds.map(() => 0);
    let sum = 0;
    let count = 0;
    const bucketSamples: { t: number; v: number }[][] = bounds.map(() => []);
    const sumSamples: { t: number; v: number }[] = [];
    const countSamples: { t: number; v: number }[] = [];
    for (const t of grid()) {
      const runs = Math.floor(random() * 3);
      for (let r = 0; r < runs; r++) {
        const duration = (job === 'forecast' ? 0.8 : 3) * (0.3 + random() * 2);
        sum += duration;
        count++;
        bounds.forEach((bound, i) => {
          if (duration <= Number(bound === '+Inf' ? Infinity : bound)) counts[i] = (counts[i] as number) + 1;
        });
      }
      bounds.forEach((_, i) => {
        bucketSamples[i]?.push({ t, v: counts[i] as number });
      });
      sumSamples.push({ t, v: round3(sum) });
      countSamples.push({ t, v: count });
    }
    bounds.forEach((le, i) => {
      out.push({
        labels: { __name__: 'dss_job_duration_seconds_bucket', dss_job_name: job, le, job: 'workers' },
        type: 'histogram',
        samples: bucketSamples[i] ?? [],
      });
    });
    out.push({
      labels: { __name__: 'dss_job_duration_seconds_sum', dss_job_name: job, job: 'workers' },
      type: 'histogram',
      samples: sumSamples,
    });
    out.push({
      labels: { __name__: 'dss_job_duration_seconds_count', dss_job_name: job, job: 'workers' },
      type: 'histogram',
      samples: countSamples,
    });
  }

  // A gauge with a 20-minute gap (longer than the lookback), one that starts late and one that stops early.
  const gapFrom = DATA_START_MS + 2 * 3600_000;
  const gapTo = gapFrom + 20 * 60_000;
  out.push({
    labels: { __name__: 'sensor_value', sensor: 'gappy', job: 'intake' },
    type: 'gauge',
    samples: grid()
      .filter((t) => t < gapFrom || t >= gapTo)
      .map((t) => ({ t, v: round3(10 + random() * 5) })),
  });
  out.push({
    labels: { __name__: 'sensor_value', sensor: 'late', job: 'intake' },
    type: 'gauge',
    samples: grid(DATA_START_MS + 3 * 3600_000).map((t) => ({ t, v: round3(-5 + random() * 10) })),
  });
  out.push({
    labels: { __name__: 'sensor_value', sensor: 'early', job: 'intake' },
    type: 'gauge',
    samples: grid(DATA_START_MS, DATA_START_MS + 4 * 3600_000).map((t) => ({ t, v: round3(random() * 100) })),
  });

  // A counter that starts inside the window (rate's zero-point extrapolation).
  let started = 5;
  out.push({
    labels: { __name__: 'late_counter_total', job: 'workers' },
    type: 'counter',
    samples: grid(DATA_START_MS + 3 * 3600_000 + 7 * 60_000).map((t) => {
      started += 1 + Math.floor(random() * 4);
      return { t, v: started };
    }),
  });

  // Special values.
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -1.5, 1e300];
  out.push({
    labels: { __name__: 'odd_values', job: 'intake', kind: 'special' },
    type: 'gauge',
    samples: grid().map((t, i) => ({ t, v: specials[i % specials.length] as number })),
  });

  // Job bookkeeping gauges: last success time and runs.
  for (const job of ['forecast', 'optimization', 'kpi']) {
    let last = DATA_START_MS / 1000 - 600;
    out.push({
      labels: {
        __name__: 'dss_job_last_success_timestamp_seconds',
        dss_job_name: job,
        dss_client: 'north',
        job: 'workers',
      },
      type: 'gauge',
      samples: grid().map((t) => {
        if (random() < (job === 'kpi' ? 0.002 : 0.05)) last = Math.floor(t / 1000);
        return { t, v: last };
      }),
    });
  }

  // up for every job/instance.
  for (const [job, instance] of [
    ['backend-api', 'api-0:8080'],
    ['backend-api', 'api-1:8080'],
    ['intake', 'intake:9100'],
    ['workers', 'workers:9100'],
  ] as const) {
    out.push({
      labels: { __name__: 'up', job, instance },
      type: 'gauge',
      samples: grid().map((t) => ({
        t,
        v: instance === 'intake:9100' && t > DATA_START_MS + 5 * 3600_000 ? 0 : 1,
      })),
    });
  }
  return out;
}

/** The data set as OpenMetrics text, for `promtool tsdb create-blocks-from openmetrics`. */
export function toOpenMetrics(series: DataSeries[]): string {
  // Each metric name is its own family of type unknown: PromQL does not look at types, and OpenMetrics'
  // rules for counter and histogram families (suffixes, grouped points) would only get in the way here.
  const byFamily = new Map<string, DataSeries[]>();
  for (const s of series) {
    const name = s.labels.__name__ as string;
    const list = byFamily.get(name) ?? [];
    list.push(s);
    byFamily.set(name, list);
  }
  const lines: string[] = [];
  for (const [family, members] of byFamily) {
    lines.push(`# TYPE ${family} unknown`);
    for (const s of members) {
      const { __name__: name, ...rest } = s.labels;
      const labelText = Object.entries(rest)
        .map(
          ([key, value]) =>
            `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
        )
        .join(',');
      for (const { t, v } of s.samples)
        lines.push(`${name}{${labelText}} ${formatValue(v)} ${(t / 1000).toFixed(3)}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

export function toAppendSamples(series: DataSeries[]): AppendSample[] {
  return series.flatMap((s) => s.samples.map(({ t, v }) => ({ labels: s.labels, timestampMs: t, value: v })));
}
