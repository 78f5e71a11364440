// The scheduler (what Celery beat did): each job on a period with a start offset, slots aligned on the
// Unix epoch (period 1 h, offset 5 min: 00:05, 01:05, ...). A slot missed while the process was down
// is run once at start (the latest one; never once per missed slot). Records dss.job.schedule_period.
import { ATTR_DSS_JOB_NAME } from '@dss/instrumentation/conventions';
import type { JobName } from './store.ts';
import { workersInstruments } from './telemetry.ts';

export interface JobSchedule {
  periodMs: number;
  /** Slots are at offset + k · period from the epoch. */
  offsetMs: number;
}

/** Forecast hourly, optimization hourly 5 minutes after it, KPIs every 15 minutes. */
export const DEFAULT_SCHEDULE: Readonly<Record<JobName, JobSchedule>> = {
  forecast: { periodMs: 3_600_000, offsetMs: 0 },
  optimization: { periodMs: 3_600_000, offsetMs: 5 * 60_000 },
  kpi: { periodMs: 15 * 60_000, offsetMs: 2 * 60_000 },
};

/** The latest slot at or before `nowMs`. */
export function slotAtOrBefore(schedule: JobSchedule, nowMs: number): number {
  return Math.floor((nowMs - schedule.offsetMs) / schedule.periodMs) * schedule.periodMs + schedule.offsetMs;
}

export interface SchedulerOptions {
  schedule: Readonly<Partial<Record<JobName, JobSchedule>>>;
  /** Queue a run of `job` for the slot `scheduledAt` (Unix ms). */
  fire: (job: JobName, scheduledAt: number) => void;
  /** The latest slot already run (from the job_runs table), for missed runs at start. */
  lastSlot: (job: JobName) => number | undefined;
  /** Run the latest missed slot at start (default true; also when the job never ran). */
  runMissedOnStart?: boolean;
  now?: () => number;
}

export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #timers = new Map<JobName, NodeJS.Timeout>();
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  start(): void {
    const now = this.#now();
    for (const [job, schedule] of Object.entries(this.#options.schedule) as Array<[JobName, JobSchedule]>) {
      this.#recordPeriod(job, schedule);
      const due = slotAtOrBefore(schedule, now);
      const last = this.#options.lastSlot(job);
      if ((this.#options.runMissedOnStart ?? true) && (last === undefined || last < due)) {
        this.#options.fire(job, due);
      }
      this.#arm(job, schedule, due + schedule.periodMs);
    }
  }

  #recordPeriod(job: JobName, schedule: JobSchedule): void {
    workersInstruments().schedulePeriod.record(schedule.periodMs / 1000, { [ATTR_DSS_JOB_NAME]: job });
  }

  #arm(job: JobName, schedule: JobSchedule, slot: number): void {
    if (this.#stopped) return;
    // Timers are capped (and re-armed) so a long period or a clock change cannot overflow or drift far.
    const wait = Math.min(Math.max(0, slot - this.#now()), 60 * 60_000);
    const timer = setTimeout(() => {
      if (this.#stopped) return;
      const now = this.#now();
      if (now < slot) {
        this.#arm(job, schedule, slot);
        return;
      }
      // Late by more than a period (the machine slept): only the latest slot runs.
      const due = slotAtOrBefore(schedule, now);
      this.#recordPeriod(job, schedule);
      this.#options.fire(job, due);
      this.#arm(job, schedule, due + schedule.periodMs);
    }, wait);
    this.#timers.set(job, timer);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
