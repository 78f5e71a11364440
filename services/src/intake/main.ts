// The intake as a process: `node services/src/intake/main.ts --client north --dir intake/north --db data/intake.sqlite`.
// Telemetry starts first (with `dss.client` = the client on every signal), then the intake, so
// that libraries loaded by it are instrumented. SIGTERM / SIGINT stop it cleanly, flushing telemetry.
import { startTelemetry } from '@dss/instrumentation';
import { parseCommandLine } from '../shared/command-line.ts';
import { stopOnSignals } from '../shared/stop-on-signals.ts';

const usage = `usage: intake --client <id> --dir <upload folder> --db <sqlite file> [--scan-interval <ms>]
  environment: DSS_CLIENT, INTAKE_DIR, INTAKE_DB, INTAKE_SCAN_INTERVAL_MS; OTEL_* as in instrumentation/README.md`;

const values = parseCommandLine(
  {
    client: { type: 'string' },
    dir: { type: 'string' },
    db: { type: 'string' },
    'scan-interval': { type: 'string' },
  },
  usage,
);
const client = values.client ?? process.env.DSS_CLIENT;
const dir = values.dir ?? process.env.INTAKE_DIR;
const dbPath = values.db ?? process.env.INTAKE_DB;
const scanIntervalMs = Number(values['scan-interval'] ?? process.env.INTAKE_SCAN_INTERVAL_MS ?? 5000);
if (!client || !dir || !dbPath || !(scanIntervalMs > 0)) {
  console.error(usage);
  process.exit(2);
}

const telemetry = startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'intake', client });
const { createLogger } = await import('@dss/instrumentation');
const { startIntake } = await import('./start-intake.ts');
const { DEFAULT_NETWORK } = await import('../simulator/config.ts');

const logger = createLogger({ name: 'intake' });
// Tank heights for the fill ratio: the client's network as the DSS knows it (the demo networks here).
const network = DEFAULT_NETWORK.find((c) => c.client === client);
const tankCapacityMeters = Object.fromEntries((network?.tanks ?? []).map((t) => [t.id, t.heightM]));
const tankLevelLimits = Object.fromEntries(
  (network?.tanks ?? []).map((t) => [t.id, { minM: t.minLevelM, maxM: t.maxLevelM }]),
);

let intake: Awaited<ReturnType<typeof startIntake>>;
try {
  intake = await startIntake({
    dir,
    dbPath,
    client,
    scanIntervalMs,
    logger,
    tankCapacityMeters,
    tankLevelLimits,
  });
} catch (error) {
  logger.fatal({ err: error }, 'intake: cannot start');
  await telemetry.shutdown();
  process.exit(1);
}

stopOnSignals(async () => {
  await intake.stop();
  await telemetry.shutdown();
});
