// The workers of one client as a process: `node services/src/workers/main.ts --client north
// --intake-db .data/intake.sqlite --db .data/workers.sqlite`. Telemetry starts first (dss.client = the
// client on every signal), then the workers. SIGTERM / SIGINT: stop the scheduler, wait for running
// jobs, flush telemetry, exit 0.
import { startTelemetry } from '@dss/instrumentation';
import { parseCommandLine } from '../shared/command-line.ts';
import { stopOnSignals } from '../shared/stop-on-signals.ts';

const usage = `usage: workers --client <id> --intake-db <sqlite file> --db <sqlite file>
  [--concurrency N] [--timeout-ms ms] [--fault fail=p,slow=N,hang,jobs=a+b] [--no-schedule]
  [--forecast-period s] [--optimization-period s] [--kpi-period s] [--optimization-offset s]
  environment: DSS_CLIENT, INTAKE_DB, WORKERS_DB, WORKERS_FAULTS; OTEL_* as in instrumentation/README.md`;

const values = parseCommandLine(
  {
    client: { type: 'string' },
    'intake-db': { type: 'string' },
    db: { type: 'string' },
    concurrency: { type: 'string' },
    'timeout-ms': { type: 'string' },
    fault: { type: 'string' },
    'no-schedule': { type: 'boolean' },
    'forecast-period': { type: 'string' },
    'optimization-period': { type: 'string' },
    'optimization-offset': { type: 'string' },
    'kpi-period': { type: 'string' },
  },
  usage,
);
const client = values.client ?? process.env.DSS_CLIENT;
const intakeDbPath = values['intake-db'] ?? process.env.INTAKE_DB;
const dbPath = values.db ?? process.env.WORKERS_DB;
if (!client || !intakeDbPath || !dbPath) {
  console.error(usage);
  process.exit(2);
}

const telemetry = startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'workers', client });
const { createLogger } = await import('@dss/instrumentation');
const { startWorkers, parseFaults, DEFAULT_SCHEDULE } = await import('./index.ts');
const logger = createLogger({ name: 'workers' });

const seconds = (value: string | undefined, fallbackMs: number) => {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`not a positive number of seconds: ${value}`);
  return n * 1000;
};

let workers: Awaited<ReturnType<typeof startWorkers>>;
try {
  const faultSpec = values.fault ?? process.env.WORKERS_FAULTS;
  workers = await startWorkers({
    client,
    intakeDbPath,
    dbPath,
    logger,
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values['timeout-ms'] ? { timeoutMs: Number(values['timeout-ms']) } : {}),
    ...(faultSpec ? { faults: parseFaults(faultSpec) } : {}),
    schedule: values['no-schedule']
      ? false
      : {
          forecast: {
            ...DEFAULT_SCHEDULE.forecast,
            periodMs: seconds(values['forecast-period'], DEFAULT_SCHEDULE.forecast.periodMs),
          },
          optimization: {
            periodMs: seconds(values['optimization-period'], DEFAULT_SCHEDULE.optimization.periodMs),
            offsetMs: seconds(values['optimization-offset'], DEFAULT_SCHEDULE.optimization.offsetMs),
          },
          kpi: {
            ...DEFAULT_SCHEDULE.kpi,
            periodMs: seconds(values['kpi-period'], DEFAULT_SCHEDULE.kpi.periodMs),
          },
        },
  });
} catch (error) {
  logger.fatal({ err: error }, 'workers: cannot start');
  await telemetry.shutdown();
  process.exit(1);
}

stopOnSignals(async () => {
  await workers.stop();
  await telemetry.shutdown();
});
