// The workers' own SQLite database: job runs (what the API lists), forecasts, pump schedules and
// KPIs. Separate from the intake database, which the workers only read.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { withDbSpan } from '../shared/db-span.ts';

export const JOB_NAMES = ['forecast', 'optimization', 'kpi'] as const;
export type JobName = (typeof JOB_NAMES)[number];
export type JobTrigger = 'schedule' | 'api';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export const isJobName = (value: unknown): value is JobName =>
  typeof value === 'string' && (JOB_NAMES as readonly string[]).includes(value);

export interface JobRun {
  id: string;
  client: string;
  job: JobName;
  trigger: JobTrigger;
  status: JobStatus;
  /** The scheduler's slot (ISO) for a scheduled run, null for an API run. */
  scheduledAt: string | null;
  queuedAt: string;
  started: string | null;
  finished: string | null;
  error: string | null;
  result: unknown;
}

export interface ForecastRecord {
  id: number;
  client: string;
  runId: string;
  createdAt: string;
  /** Start of the first forecast hour (ISO); one value per hour from there. */
  start: string;
  hours: number;
  method: string;
  /** m³/h per tank, one per hour. */
  demand: Record<string, number[]>;
  backtest: unknown;
  mae: number | null;
  mape: number | null;
  naiveMae: number | null;
  naiveMape: number | null;
}

export interface ScheduleRecord {
  id: number;
  client: string;
  runId: string;
  forecastId: number;
  createdAt: string;
  start: string;
  hours: number;
  method: string;
  expectedCostEur: number;
  baselineCostEur: number;
  plan: unknown;
}

export interface KpiRecord {
  client: string;
  day: string;
  energyKwh: number;
  costEur: number;
  pumpedM3: number;
  kwhPerM3: number | null;
  forecastMae: number | null;
  forecastMape: number | null;
  computedAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job_runs (
  id TEXT PRIMARY KEY,
  client TEXT NOT NULL,
  job TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'api')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  scheduled_at TEXT,
  queued_at TEXT NOT NULL,
  started TEXT,
  finished TEXT,
  error TEXT,
  result TEXT
);
CREATE INDEX IF NOT EXISTS job_runs_by_client ON job_runs (client, queued_at);
CREATE INDEX IF NOT EXISTS job_runs_by_slot ON job_runs (client, job, trigger, scheduled_at);
CREATE TABLE IF NOT EXISTS forecasts (
  id INTEGER PRIMARY KEY,
  client TEXT NOT NULL,
  run_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  start_ts INTEGER NOT NULL,
  hours INTEGER NOT NULL,
  method TEXT NOT NULL,
  demand TEXT NOT NULL,
  backtest TEXT NOT NULL,
  mae REAL,
  mape REAL,
  naive_mae REAL,
  naive_mape REAL
);
CREATE INDEX IF NOT EXISTS forecasts_by_client ON forecasts (client, id);
CREATE TABLE IF NOT EXISTS pump_schedules (
  id INTEGER PRIMARY KEY,
  client TEXT NOT NULL,
  run_id TEXT NOT NULL,
  forecast_id INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  start_ts INTEGER NOT NULL,
  hours INTEGER NOT NULL,
  method TEXT NOT NULL,
  expected_cost_eur REAL NOT NULL,
  baseline_cost_eur REAL NOT NULL,
  plan TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pump_schedules_by_client ON pump_schedules (client, id);
CREATE TABLE IF NOT EXISTS kpis (
  client TEXT NOT NULL,
  day TEXT NOT NULL,
  energy_kwh REAL NOT NULL,
  cost_eur REAL NOT NULL,
  pumped_m3 REAL NOT NULL,
  kwh_per_m3 REAL,
  forecast_mae REAL,
  forecast_mape REAL,
  computed_at TEXT NOT NULL,
  PRIMARY KEY (client, day)
);
`;

interface JobRunRow {
  id: string;
  client: string;
  job: JobName;
  trigger: JobTrigger;
  status: JobStatus;
  scheduled_at: string | null;
  queued_at: string;
  started: string | null;
  finished: string | null;
  error: string | null;
  result: string | null;
}

const toRun = (r: JobRunRow): JobRun => ({
  id: r.id,
  client: r.client,
  job: r.job,
  trigger: r.trigger,
  status: r.status,
  scheduledAt: r.scheduled_at,
  queuedAt: r.queued_at,
  started: r.started,
  finished: r.finished,
  error: r.error,
  result: r.result === null ? null : JSON.parse(r.result),
});

interface ForecastRow {
  id: number;
  client: string;
  run_id: string;
  created_at: string;
  start_ts: number;
  hours: number;
  method: string;
  demand: string;
  backtest: string;
  mae: number | null;
  mape: number | null;
  naive_mae: number | null;
  naive_mape: number | null;
}

const toForecast = (r: ForecastRow): ForecastRecord => ({
  id: r.id,
  client: r.client,
  runId: r.run_id,
  createdAt: r.created_at,
  start: new Date(r.start_ts).toISOString(),
  hours: r.hours,
  method: r.method,
  demand: JSON.parse(r.demand),
  backtest: JSON.parse(r.backtest),
  mae: r.mae,
  mape: r.mape,
  naiveMae: r.naive_mae,
  naiveMape: r.naive_mape,
});

interface ScheduleRow {
  id: number;
  client: string;
  run_id: string;
  forecast_id: number;
  created_at: string;
  start_ts: number;
  hours: number;
  method: string;
  expected_cost_eur: number;
  baseline_cost_eur: number;
  plan: string;
}

const toSchedule = (r: ScheduleRow): ScheduleRecord => ({
  id: r.id,
  client: r.client,
  runId: r.run_id,
  forecastId: r.forecast_id,
  createdAt: r.created_at,
  start: new Date(r.start_ts).toISOString(),
  hours: r.hours,
  method: r.method,
  expectedCostEur: r.expected_cost_eur,
  baselineCostEur: r.baseline_cost_eur,
  plan: JSON.parse(r.plan),
});

const now = () => new Date().toISOString();

export class WorkersStore {
  readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  // --- job runs ---

  insertRun(run: {
    id: string;
    client: string;
    job: JobName;
    trigger: JobTrigger;
    scheduledAt?: string | undefined;
  }): void {
    withDbSpan('INSERT', 'job_runs', () =>
      this.db
        .prepare(
          `INSERT INTO job_runs (id, client, job, trigger, status, scheduled_at, queued_at)
           VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
        )
        .run(run.id, run.client, run.job, run.trigger, run.scheduledAt ?? null, now()),
    );
  }

  markRunning(id: string): void {
    this.db.prepare(`UPDATE job_runs SET status = 'running', started = ? WHERE id = ?`).run(now(), id);
  }

  markFinished(id: string, outcome: { error?: string; result?: unknown }): void {
    this.db
      .prepare('UPDATE job_runs SET status = ?, finished = ?, error = ?, result = ? WHERE id = ?')
      .run(
        outcome.error === undefined ? 'succeeded' : 'failed',
        now(),
        outcome.error ?? null,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        id,
      );
  }

  /** Runs left queued or running by a process that died: failed, so the API does not show them pending forever. */
  failInterrupted(client: string): number {
    return this.db
      .prepare(
        `UPDATE job_runs SET status = 'failed', finished = ?, error = 'interrupted: the workers stopped'
         WHERE client = ? AND status IN ('queued', 'running')`,
      )
      .run(now(), client).changes;
  }

  getRun(client: string, id: string): JobRun | undefined {
    const row = withDbSpan('SELECT', 'job_runs', () =>
      this.db.prepare('SELECT * FROM job_runs WHERE client = ? AND id = ?').get(client, id),
    ) as JobRunRow | undefined;
    return row && toRun(row);
  }

  listRuns(client: string, limit: number): JobRun[] {
    const rows = withDbSpan('SELECT', 'job_runs', () =>
      this.db
        .prepare('SELECT * FROM job_runs WHERE client = ? ORDER BY queued_at DESC, rowid DESC LIMIT ?')
        .all(client, limit),
    ) as JobRunRow[];
    return rows.map(toRun);
  }

  /** The latest slot a scheduled run of this job was queued for (to detect missed runs on start). */
  lastScheduledSlot(client: string, job: JobName): number | undefined {
    const row = this.db
      .prepare(
        `SELECT max(scheduled_at) AS slot FROM job_runs WHERE client = ? AND job = ? AND trigger = 'schedule'`,
      )
      .get(client, job) as { slot: string | null };
    return row.slot === null ? undefined : Date.parse(row.slot);
  }

  // --- forecasts ---

  insertForecast(f: Omit<ForecastRecord, 'id' | 'createdAt' | 'start'> & { startMs: number }): number {
    return Number(
      withDbSpan('INSERT', 'forecasts', () =>
        this.db
          .prepare(
            `INSERT INTO forecasts (client, run_id, created_at, start_ts, hours, method, demand, backtest, mae, mape,
               naive_mae, naive_mape) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            f.client,
            f.runId,
            now(),
            f.startMs,
            f.hours,
            f.method,
            JSON.stringify(f.demand),
            JSON.stringify(f.backtest),
            f.mae,
            f.mape,
            f.naiveMae,
            f.naiveMape,
          ),
      ).lastInsertRowid,
    );
  }

  latestForecast(client: string): ForecastRecord | undefined {
    const row = withDbSpan('SELECT', 'forecasts', () =>
      this.db.prepare('SELECT * FROM forecasts WHERE client = ? ORDER BY id DESC LIMIT 1').get(client),
    ) as ForecastRow | undefined;
    return row && toForecast(row);
  }

  /** Forecasts whose hours overlap [fromMs, toMs), oldest first. */
  forecastsOverlapping(client: string, fromMs: number, toMs: number): ForecastRecord[] {
    const rows = withDbSpan('SELECT', 'forecasts', () =>
      this.db
        .prepare(
          `SELECT * FROM forecasts WHERE client = ? AND start_ts < ? AND start_ts + hours * 3600000 > ?
           ORDER BY start_ts, id`,
        )
        .all(client, toMs, fromMs),
    ) as ForecastRow[];
    return rows.map(toForecast);
  }

  // --- pump schedules ---

  insertSchedule(s: Omit<ScheduleRecord, 'id' | 'createdAt' | 'start'> & { startMs: number }): number {
    return Number(
      withDbSpan('INSERT', 'pump_schedules', () =>
        this.db
          .prepare(
            `INSERT INTO pump_schedules (client, run_id, forecast_id, created_at, start_ts, hours, method,
               expected_cost_eur, baseline_cost_eur, plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            s.client,
            s.runId,
            s.forecastId,
            now(),
            s.startMs,
            s.hours,
            s.method,
            s.expectedCostEur,
            s.baselineCostEur,
            JSON.stringify(s.plan),
          ),
      ).lastInsertRowid,
    );
  }

  latestSchedule(client: string): ScheduleRecord | undefined {
    const row = withDbSpan('SELECT', 'pump_schedules', () =>
      this.db.prepare('SELECT * FROM pump_schedules WHERE client = ? ORDER BY id DESC LIMIT 1').get(client),
    ) as ScheduleRow | undefined;
    return row && toSchedule(row);
  }

  // --- KPIs ---

  upsertKpi(k: KpiRecord): void {
    withDbSpan('UPSERT', 'kpis', () =>
      this.db
        .prepare(
          `INSERT INTO kpis (client, day, energy_kwh, cost_eur, pumped_m3, kwh_per_m3, forecast_mae, forecast_mape,
             computed_at) VALUES (@client, @day, @energyKwh, @costEur, @pumpedM3, @kwhPerM3, @forecastMae,
             @forecastMape, @computedAt)
           ON CONFLICT (client, day) DO UPDATE SET energy_kwh = excluded.energy_kwh, cost_eur = excluded.cost_eur,
             pumped_m3 = excluded.pumped_m3, kwh_per_m3 = excluded.kwh_per_m3,
             forecast_mae = excluded.forecast_mae, forecast_mape = excluded.forecast_mape,
             computed_at = excluded.computed_at`,
        )
        .run(k),
    );
  }

  kpis(client: string, limit = 30): KpiRecord[] {
    return (
      this.db
        .prepare(
          `SELECT client, day, energy_kwh AS energyKwh, cost_eur AS costEur, pumped_m3 AS pumpedM3,
             kwh_per_m3 AS kwhPerM3, forecast_mae AS forecastMae, forecast_mape AS forecastMape,
             computed_at AS computedAt FROM kpis WHERE client = ? ORDER BY day DESC LIMIT ?`,
        )
        .all(client, limit) as KpiRecord[]
    ).reverse();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
