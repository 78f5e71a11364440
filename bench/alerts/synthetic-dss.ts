// The series the shipped alert rules read (docs/alerts-rules.md, "Metrics the rules read"), for
// alerts.bench.ts, from one seeded generator. Per client (`clients` of them, 1,000 series each):
//   - `tanks` tanks: dss_tank_level_meters (a daily curve, a 6-hour wave, millimetre noise), and the limits
//     dss_tank_min_level_meters / dss_tank_max_level_meters from another job (constant): 3 series per tank;
//   - `pumps` pumps: dss_pump_state, 0/1, switching every two hours or so;
//   - `jobs` jobs run every 5, 15 or 60 minutes: dss_job_last_success_seconds,
//     dss_job_schedule_period_seconds, dss_job_failures_total{error_type} and
//     dss_job_duration_seconds_bucket{dss_job_outcome="success"|"failure", le} (10 bounds and +Inf):
//     25 series per job.
// Some of it is abnormal, so that the alerting rules have alerts to template and hold: 2 % of the tanks are
// below their minimum for the last 40 minutes, 1 % drain 1 m/h faster than usual in the last hour, 4 % of
// the jobs stopped 3 hours before the end, 4 % run 4 times slower in the last 2 hours, and 5 % of the runs
// fail.
//
// Sample times: every `stepMs` over the last `denseMs` (every series), every `coarseMs` before that back to
// `days` days (every series), and for tank levels also every `stepMs` over the hour before the same time on
// each of the previous 6 days (what the seasonal rules read through `deriv(...[30m] offset Nd)`).
import type { AppendBatch, AppendSample, Labels } from '../../collector/src/metrics/model.ts';
import { seededRandom } from '../collector/synthetic-store.ts';

export interface DssSeriesOptions {
  /** End of the data (the last sample time), ms. */
  endMs: number;
  clients?: number;
  tanks?: number;
  pumps?: number;
  jobs?: number;
  stepMs?: number;
  denseMs?: number;
  coarseMs?: number;
  days?: number;
  seed?: number;
  /** Sample times per batch (default 1: one batch per client per sample time). */
  timesPerBatch?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BOUNDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
const PERIODS_S = [300, 900, 3600];

interface Client {
  name: string;
  /** Series of the client, each with the kind of sample times it gets. */
  series: { labels: Labels; tankLevel: boolean; value: (t: number) => number }[];
  /** Advances the jobs' state to time t (called once per sample time, before the values). */
  advance: (t: number) => void;
}

export interface DssSeries {
  seriesCount: number;
  sampleTimes: number;
  /** Batches of `timesPerBatch` sample times per client, in time order (tenant = client). */
  batches(): Generator<AppendBatch>;
}

export function dssSeries(options: DssSeriesOptions): DssSeries {
  const stepMs = options.stepMs ?? 15_000;
  const denseMs = options.denseMs ?? 3 * HOUR;
  const coarseMs = options.coarseMs ?? 15 * 60_000;
  const days = options.days ?? 7;
  const end = options.endMs;
  const random = seededRandom(options.seed ?? 7);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const clients: Client[] = [];
  for (let c = 0; c < (options.clients ?? 10); c++) {
    const client = `client-${String(c + 1).padStart(2, '0')}`;
    const series: Client['series'] = [];
    const tanks = options.tanks ?? 100;
    for (let i = 0; i < tanks; i++) {
      const tank = `T-${String(i + 1).padStart(3, '0')}`;
      const min = 0.6 + random() * 0.4;
      const max = 4.4 + random() * 0.4;
      const mid = 2.4 + random() * 0.4;
      const amplitude = 0.6 + random() * 0.6;
      const phase = random() * 2 * Math.PI;
      const below = i % 50 === 7; // 2 %
      const draining = i % 100 === 42; // 1 %
      const base = { dss_client: client, dss_tank_id: tank };
      series.push({
        tankLevel: true,
        labels: {
          __name__: 'dss_tank_level_meters',
          ...base,
          job: 'dss-intake',
          instance: `intake-${client}:9464`,
        },
        value: (t) => {
          let level =
            mid +
            amplitude * Math.sin((2 * Math.PI * t) / DAY + phase) +
            0.1 * Math.sin((2 * Math.PI * t) / (6 * HOUR) + phase) +
            0.002 * gaussian();
          if (below && t > end - 40 * 60_000) level = min - 0.2 + 0.002 * gaussian();
          if (draining && t > end - HOUR) level -= (t - (end - HOUR)) / HOUR;
          return Math.round(Math.max(0, level) * 1000) / 1000;
        },
      });
      for (const [name, limit] of [
        ['dss_tank_min_level_meters', min],
        ['dss_tank_max_level_meters', max],
      ] as const)
        series.push({
          tankLevel: false,
          labels: { __name__: name, ...base, job: 'dss-config', instance: `config-${client}:9464` },
          value: () => Math.round(limit * 100) / 100,
        });
    }
    for (let p = 0; p < (options.pumps ?? 75); p++) {
      let state = random() < 0.5 ? 1 : 0;
      let last = Number.NaN;
      series.push({
        tankLevel: false,
        labels: {
          __name__: 'dss_pump_state',
          dss_client: client,
          dss_pump_id: `P-${String(p + 1).padStart(3, '0')}`,
          job: 'dss-intake',
          instance: `intake-${client}:9464`,
        },
        value: (t) => {
          // Switches about every 2 hours, whatever the spacing of the samples.
          if (!Number.isNaN(last) && random() < (t - last) / (2 * HOUR)) state = 1 - state;
          last = t;
          return state;
        },
      });
    }
    const advancers: Array<(t: number) => void> = [];
    for (let j = 0; j < (options.jobs ?? 25); j++) {
      const name = `job-${String(j + 1).padStart(2, '0')}`;
      const periodMs = (PERIODS_S[j % PERIODS_S.length] as number) * 1000;
      const phase = Math.floor(random() * periodMs);
      const medianS = 5 + random() * 60;
      const stopped = j % 25 === 3; // 4 %
      const slow = j % 25 === 11; // 4 %
      const buckets = { success: new Array<number>(BOUNDS.length + 1).fill(0), failure: [] as number[] };
      buckets.failure = new Array<number>(BOUNDS.length + 1).fill(0);
      let failures = 0;
      let lastSuccessS = (end - days * DAY - periodMs) / 1000;
      let runsDone = Number.NaN;
      advancers.push((t) => {
        const runs = Math.floor((t - phase) / periodMs);
        if (Number.isNaN(runsDone)) runsDone = runs;
        for (let r = runsDone + 1; r <= runs; r++) {
          const at = r * periodMs + phase;
          if (stopped && at > end - 3 * HOUR) continue;
          const duration = medianS * Math.exp(0.3 * gaussian()) * (slow && at > end - 2 * HOUR ? 4 : 1);
          const failed = random() < 0.05;
          const counts = failed ? buckets.failure : buckets.success;
          for (let b = 0; b <= BOUNDS.length; b++)
            if (b === BOUNDS.length || duration <= (BOUNDS[b] as number))
              counts[b] = (counts[b] as number) + 1;
          if (failed) failures++;
          else lastSuccessS = Math.round(at + duration * 1000) / 1000;
        }
        runsDone = runs;
      });
      const base = {
        dss_client: client,
        dss_job_name: name,
        job: 'dss-worker',
        instance: `worker-${client}:9464`,
      };
      series.push(
        {
          tankLevel: false,
          labels: { __name__: 'dss_job_last_success_seconds', ...base },
          value: () => lastSuccessS,
        },
        {
          tankLevel: false,
          labels: { __name__: 'dss_job_schedule_period_seconds', ...base },
          value: () => periodMs / 1000,
        },
        {
          tankLevel: false,
          labels: { __name__: 'dss_job_failures_total', ...base, error_type: 'timeout' },
          value: () => failures,
        },
      );
      for (const outcome of ['success', 'failure'] as const)
        for (let b = 0; b <= BOUNDS.length; b++)
          series.push({
            tankLevel: false,
            labels: {
              __name__: 'dss_job_duration_seconds_bucket',
              ...base,
              dss_job_outcome: outcome,
              le: b === BOUNDS.length ? '+Inf' : String(BOUNDS[b]),
            },
            value: () => buckets[outcome][b] as number,
          });
    }
    clients.push({
      name: client,
      series,
      advance: (t) => {
        for (const a of advancers) a(t);
      },
    });
  }

  // Sample times: true = every series, false = tank levels only.
  const times = new Map<number, boolean>();
  const start = end - days * DAY;
  for (let t = end; t >= start; t -= coarseMs) times.set(t, true);
  for (let t = end; t > end - denseMs; t -= stepMs) times.set(t, true);
  for (let d = 1; d < days; d++)
    for (let t = end - d * DAY; t > end - d * DAY - HOUR; t -= stepMs) if (!times.has(t)) times.set(t, false);
  const sorted = [...times.entries()].sort((a, b) => a[0] - b[0]);

  return {
    seriesCount: clients.reduce((n, c) => n + c.series.length, 0),
    sampleTimes: sorted.length,
    *batches() {
      const per = options.timesPerBatch ?? 1;
      for (let i = 0; i < sorted.length; i += per) {
        const chunk = sorted.slice(i, i + per);
        for (const client of clients) {
          const samples: AppendSample[] = [];
          for (const [t, all] of chunk) {
            if (all) client.advance(t);
            for (const s of client.series)
              if (all || s.tankLevel) samples.push({ labels: s.labels, timestampMs: t, value: s.value(t) });
          }
          yield { tenant: client.name, samples };
        }
      }
    },
  };
}
