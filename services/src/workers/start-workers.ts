// The workers of one client: the scheduler, the job queue and the three jobs. A run goes through
// trackJob (span `job <name>`, dss.job.duration / failures / last_success / schedule_delay) and is
// stored in `job_runs`. `trigger()` queues a run now (the backend API calls it in process); the
// caller's trace context travels with the queued run (propagation.inject into a carrier, extracted
// when the run starts), so the job span is a child of the request that asked for it.
import { randomUUID } from 'node:crypto';
import { createLogger, type Logger, trackJob } from '@dss/instrumentation';
import { ATTR_DSS_JOB_NAME, ATTR_DSS_JOB_TRIGGER } from '@dss/instrumentation/conventions';
import { type Context, context as otelContext, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { IntakeReader } from '../shared/intake-reader.ts';
import { type ClientNetworkConfig, DEFAULT_NETWORK } from '../simulator/config.ts';
import type { JobContext, JobTable } from './context.ts';
import { JobTimeout, type WorkerFaults, withFaults } from './faults.ts';
import { runForecast } from './forecast-job.ts';
import { runKpi } from './kpi-job.ts';
import { runOptimization } from './optimization-job.ts';
import { type EnqueueResult, JobQueue, type QueuedRun } from './queue.ts';
import { DEFAULT_SCHEDULE, type JobSchedule, Scheduler } from './scheduler.ts';
import { type JobName, type JobTrigger, WorkersStore } from './store.ts';
import { workersInstruments } from './telemetry.ts';

export const DEFAULT_JOBS: JobTable = {
  forecast: runForecast,
  optimization: runOptimization,
  kpi: runKpi,
};

export interface WorkersOptions {
  client: string;
  /** The intake's database (read only). */
  intakeDbPath: string;
  /** The workers' database (job_runs, forecasts, pump_schedules, kpis); created with its folder. */
  dbPath: string;
  /** The client's network; default: the client's entry of DEFAULT_NETWORK. */
  network?: ClientNetworkConfig;
  /** Periods and offsets per job (merged over DEFAULT_SCHEDULE); `false`: no scheduler, trigger() only. */
  schedule?: Partial<Record<JobName, JobSchedule>> | false;
  /** Run a slot missed while the process was down once at start (default true). */
  runMissedOnStart?: boolean;
  /** Runs at once (default 2). */
  concurrency?: number;
  /** A run longer than this fails with a JobTimeout (default 15 min). */
  timeoutMs?: number;
  /** How long stop() waits for running jobs (default 30 s). */
  stopTimeoutMs?: number;
  faults?: WorkerFaults;
  /** Replace job implementations (tests). */
  jobs?: Partial<JobTable>;
  logger?: Logger;
}

export interface WorkersStats {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

export interface RunningWorkers {
  readonly client: string;
  /** Queues a run now (trigger `api` by default); `context`: the trace context to continue (default: the active one). */
  trigger(job: JobName, context?: Context, trigger?: JobTrigger): EnqueueResult;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  stats(): WorkersStats;
  readonly store: WorkersStore;
  /** Stops the scheduler, drops queued runs (failed, "cancelled"), waits for running ones (stopTimeoutMs). */
  stop(): Promise<void>;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function startWorkers(options: WorkersOptions): Promise<RunningWorkers> {
  const { client } = options;
  const network = options.network ?? DEFAULT_NETWORK.find((n) => n.client === client);
  if (!network) throw new Error(`no network configuration for client ${client}`);
  const log = options.logger ?? createLogger({ name: 'workers' });
  const store = new WorkersStore(options.dbPath);
  const intake = new IntakeReader(options.intakeDbPath);
  const jobs: JobTable = { ...DEFAULT_JOBS, ...options.jobs };
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const stats: WorkersStats = { queued: 0, running: 0, succeeded: 0, failed: 0, skipped: 0 };
  const controllers = new Map<string, AbortController>();
  let stopping = false;

  const interrupted = store.failInterrupted(client);
  if (interrupted > 0)
    log.warn({ runs: interrupted }, 'workers: runs left unfinished by the previous process marked failed');

  async function execute(run: QueuedRun): Promise<void> {
    const runLog = log.child({
      [ATTR_DSS_JOB_NAME]: run.job,
      'dss.job.run_id': run.id,
      [ATTR_DSS_JOB_TRIGGER]: run.trigger,
    });
    const controller = new AbortController();
    controllers.set(run.id, controller);
    store.markRunning(run.id);
    const parent = propagation.extract(ROOT_CONTEXT, run.carrier);
    try {
      const result = await otelContext.with(parent, () =>
        trackJob(
          run.job,
          async (span) => {
            span.setAttribute(ATTR_DSS_JOB_TRIGGER, run.trigger);
            runLog.info('job started');
            const jobContext: JobContext = {
              client,
              network: network as ClientNetworkConfig,
              intake,
              store,
              runId: run.id,
              log: runLog,
              signal: controller.signal,
            };
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                const error = new JobTimeout(`job ${run.job} timed out after ${timeoutMs} ms`);
                controller.abort(error);
                reject(error);
              }, timeoutMs);
            });
            try {
              return await Promise.race([
                withFaults(run.job, options.faults, controller.signal, () => jobs[run.job](jobContext)),
                timeout,
              ]);
            } finally {
              clearTimeout(timer);
            }
          },
          { runId: run.id, ...(run.scheduledAt === undefined ? {} : { scheduledAt: run.scheduledAt }) },
        ),
      );
      stats.succeeded++;
      if (store.db.open) store.markFinished(run.id, { result });
      runLog.info({ result }, 'job succeeded');
    } catch (error) {
      stats.failed++;
      if (store.db.open) store.markFinished(run.id, { error: errorMessage(error) });
      runLog.error({ err: error }, 'job failed');
    } finally {
      controllers.delete(run.id);
    }
  }

  const queue = new JobQueue({
    concurrency: options.concurrency ?? 2,
    execute,
    dependsOn: { optimization: ['forecast'] },
    onChange: (queued, running) => {
      stats.queued = queued;
      stats.running = running;
      workersInstruments().queueDepth.record(queued);
    },
  });

  function enqueue(job: JobName, trigger: JobTrigger, carrier: Record<string, string>, scheduledAt?: number) {
    const id = randomUUID();
    const existing = queue.active(job);
    if (existing) {
      stats.skipped++;
      workersInstruments().skipped.add(1, { [ATTR_DSS_JOB_NAME]: job, [ATTR_DSS_JOB_TRIGGER]: trigger });
      log.info(
        { [ATTR_DSS_JOB_NAME]: job, existing: existing.id, trigger },
        'job skipped: a run is already queued or running',
      );
      return { status: 'skipped', runId: existing.id } as const;
    }
    store.insertRun({
      id,
      client,
      job,
      trigger,
      scheduledAt: scheduledAt === undefined ? undefined : new Date(scheduledAt).toISOString(),
    });
    return queue.enqueue({ id, job, trigger, scheduledAt, carrier });
  }

  let scheduler: Scheduler | undefined;
  if (options.schedule !== false) {
    scheduler = new Scheduler({
      schedule: { ...DEFAULT_SCHEDULE, ...options.schedule },
      runMissedOnStart: options.runMissedOnStart ?? true,
      lastSlot: (job) => store.lastScheduledSlot(client, job),
      fire: (job, scheduledAt) => {
        if (!stopping) enqueue(job, 'schedule', {}, scheduledAt);
      },
    });
    scheduler.start();
  }
  log.info({ client, dbPath: options.dbPath, intakeDbPath: options.intakeDbPath }, 'workers started');

  return {
    client,
    store,
    trigger(job, context = otelContext.active(), trigger = 'api') {
      if (stopping) throw new Error('the workers are stopping');
      const carrier: Record<string, string> = {};
      propagation.inject(context, carrier);
      return enqueue(job, trigger, carrier);
    },
    idle: () => queue.idle(),
    stats: () => ({ ...stats }),
    async stop() {
      if (stopping) return;
      stopping = true;
      scheduler?.stop();
      for (const run of queue.close()) {
        store.markFinished(run.id, { error: 'cancelled: the workers stopped before it started' });
      }
      const finished = await queue.drain(options.stopTimeoutMs ?? 30_000);
      if (!finished) {
        const ids = queue.runningIds();
        for (const id of ids) {
          controllers.get(id)?.abort(new JobTimeout('the workers stopped'));
          store.markFinished(id, { error: 'interrupted: the workers stopped' });
        }
        log.warn({ runs: ids }, 'workers: runs still going at stop, abandoned');
      }
      intake.close();
      store.close();
      log.info({ client }, 'workers stopped');
    },
  };
}
