// The DSS services that `dss-obs up` runs beside the collector, each in its own process (one OpenTelemetry
// SDK per process, and `dss.client` is a resource attribute: the DSS is deployed once per client): the
// simulator writing both clients' SCADA files, and per client an intake and the backend API with its
// workers, all exporting OTLP to the collector.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServiceProcess, startServiceProcess } from './service-process.ts';

export const DEMO_CLIENTS = ['north', 'south'] as const;

export interface DssServicesOptions {
  dataDir: string;
  /** The collector's OTLP/gRPC endpoint, e.g. http://127.0.0.1:4317. */
  otlpEndpoint: string;
  /** Simulated seconds per real second. */
  accelerate: number;
  /** Simulator fault specs (services/README.md), e.g. `leak,client=north,tank=T1`. */
  faults: string[];
  /** Hours of history the simulator writes at start. */
  backfillHours: number;
  /** Print the services' info logs too (they always reach the collector). */
  verbose?: boolean;
  /** The first client's backend API port; the next clients get the next ports. */
  apiPort: number;
  log?: (line: string) => void;
}

const servicesDir = fileURLToPath(new URL('../../services/src/', import.meta.url));

export interface DssServices {
  processes: ServiceProcess[];
  /** Per client, its API URL and bearer token (for the operator traffic; never printed). */
  credentials: Record<string, { url: string; token: string }>;
  /** Per client, its backend API URL. */
  apis: Record<string, string>;
  /** The file holding the API bearer tokens (mode 600). */
  tokenFile: string;
  stop(): Promise<void>;
}

export function startDssServices(options: DssServicesOptions): DssServices {
  const intakeDir = join(options.dataDir, 'intake');
  for (const client of DEMO_CLIENTS) mkdirSync(join(intakeDir, client), { recursive: true });
  const telemetry = {
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    OTEL_METRIC_EXPORT_INTERVAL: '15000',
  };
  const log = options.log;
  const quiet = !options.verbose;
  // A bearer token per client for its API, written to a file only its owner reads, never printed.
  const tokenFile = join(options.dataDir, 'api-tokens.txt');
  const tokens = Object.fromEntries(
    DEMO_CLIENTS.map((client) => [client, randomBytes(18).toString('base64url')]),
  );
  writeFileSync(tokenFile, `${DEMO_CLIENTS.map((client) => `${client} ${tokens[client]}`).join('\n')}\n`, {
    mode: 0o600,
  });
  const apis: Record<string, string> = {};
  const apiProcesses = DEMO_CLIENTS.map((client, i) => {
    const port = options.apiPort + i;
    apis[client] = `http://127.0.0.1:${port}`;
    return startServiceProcess({
      name: `backend-api-${client}`,
      args: [
        join(servicesDir, 'backend-api/main.ts'),
        '--clients',
        client,
        '--intake-db',
        join(options.dataDir, 'intake.sqlite'),
        '--workers-db',
        join(options.dataDir, `workers-${client}.sqlite`),
        '--port',
        String(port),
      ],
      // The token goes through the environment, not the command line (visible to every user in ps).
      env: { ...telemetry, API_TOKENS: `${tokens[client]}=${client}` },
      quiet,
      ...(log ? { log } : {}),
    });
  });
  const processes: ServiceProcess[] = [
    ...apiProcesses,
    ...DEMO_CLIENTS.map((client) =>
      startServiceProcess({
        name: `intake-${client}`,
        args: [
          join(servicesDir, 'intake/main.ts'),
          '--client',
          client,
          '--dir',
          join(intakeDir, client),
          '--db',
          join(options.dataDir, 'intake.sqlite'),
        ],
        env: telemetry,
        quiet,
        ...(log ? { log } : {}),
      }),
    ),
    startServiceProcess({
      name: 'simulator',
      args: [
        join(servicesDir, 'simulator/main.ts'),
        '--dir',
        intakeDir,
        '--clients',
        DEMO_CLIENTS.join(','),
        '--accelerate',
        String(options.accelerate),
        '--backfill-hours',
        String(options.backfillHours),
        ...options.faults.flatMap((fault) => ['--fault', fault]),
      ],
      env: telemetry,
      quiet,
      ...(log ? { log } : {}),
    }),
  ];
  return {
    processes,
    credentials: Object.fromEntries(
      DEMO_CLIENTS.map((client) => [
        client,
        { url: apis[client] as string, token: tokens[client] as string },
      ]),
    ),
    apis,
    tokenFile,
    async stop() {
      // The simulator first, so that the intakes take its last files.
      const [simulator, ...rest] = [...processes].reverse();
      await simulator?.stop();
      await Promise.all(rest.map((p) => p.stop()));
    },
  };
}
