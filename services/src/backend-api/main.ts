// The backend API and the workers of the configured clients, in one process (a POST /jobs is an
// in-process call): `node services/src/backend-api/main.ts --clients north --intake-db ... --workers-db ...`.
// Telemetry starts first. With one client, `dss.client` is on the resource as everywhere; with several,
// it cannot be (one resource per process), so job metrics of different clients would merge: run one
// process per client where the job alerts matter.
import { startTelemetry } from '@dss/instrumentation';
import { parseCommandLine } from '../shared/command-line.ts';
import { stopOnSignals } from '../shared/stop-on-signals.ts';

const usage = `usage: backend-api --clients north[,south] --intake-db <sqlite> --workers-db <sqlite>
  [--port 8080] [--host 127.0.0.1] [--tokens tok=north,tok2=*] [--no-schedule] [--fault spec]
  environment: DSS_CLIENTS, INTAKE_DB, WORKERS_DB, API_PORT, API_HOST, API_TOKENS, WORKERS_FAULTS; OTEL_*`;

const values = parseCommandLine(
  {
    clients: { type: 'string' },
    'intake-db': { type: 'string' },
    'workers-db': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    tokens: { type: 'string' },
    'no-schedule': { type: 'boolean' },
    fault: { type: 'string' },
  },
  usage,
);
const clients = (values.clients ?? process.env.DSS_CLIENTS ?? process.env.DSS_CLIENT ?? '')
  .split(',')
  .map((c) => c.trim())
  .filter(Boolean);
const intakeDbPath = values['intake-db'] ?? process.env.INTAKE_DB;
const workersDbPath = values['workers-db'] ?? process.env.WORKERS_DB;
const port = Number(values.port ?? process.env.API_PORT ?? 8080);
const tokenSpec = values.tokens ?? process.env.API_TOKENS;
if (clients.length === 0 || !intakeDbPath || !workersDbPath || !Number.isInteger(port) || !tokenSpec) {
  console.error(usage);
  process.exit(2);
}

const telemetry = startTelemetry({
  serviceName: process.env.OTEL_SERVICE_NAME ?? 'backend-api',
  ...(clients.length === 1 ? { client: clients[0] } : {}),
});
const { createLogger } = await import('@dss/instrumentation');
const { startBackendApi, parseTokens } = await import('./index.ts');
const { startWorkers, parseFaults } = await import('../workers/index.ts');
const logger = createLogger({ name: 'backend-api' });

const workers: Record<string, Awaited<ReturnType<typeof startWorkers>>> = {};
let api: Awaited<ReturnType<typeof startBackendApi>>;
try {
  const faultSpec = values.fault ?? process.env.WORKERS_FAULTS;
  for (const client of clients) {
    workers[client] = await startWorkers({
      client,
      intakeDbPath,
      dbPath: workersDbPath,
      logger: logger.child({ component: 'workers', client }),
      ...(values['no-schedule'] ? { schedule: false as const } : {}),
      ...(faultSpec ? { faults: parseFaults(faultSpec) } : {}),
    });
  }
  api = await startBackendApi({
    port,
    host: values.host ?? process.env.API_HOST ?? '127.0.0.1',
    tokens: parseTokens(tokenSpec),
    workers,
    intakeDbPath,
    workersDbPath,
    logger,
  });
} catch (error) {
  logger.fatal({ err: error }, 'backend-api: cannot start');
  await Promise.all(Object.values(workers).map((w) => w.stop()));
  await telemetry.shutdown();
  process.exit(1);
}

stopOnSignals(async () => {
  await api.close();
  await Promise.all(Object.values(workers).map((w) => w.stop()));
  await telemetry.shutdown();
});
