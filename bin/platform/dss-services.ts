// The DSS services that `dss-obs up` runs beside the collector, each in its own process (one OpenTelemetry
// SDK per process, and `dss.client` is a resource attribute: one intake per client): the simulator writing
// both clients' SCADA files, and an intake per client, all exporting OTLP to the collector.
import { mkdirSync } from 'node:fs';
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
  log?: (line: string) => void;
}

const servicesDir = fileURLToPath(new URL('../../services/src/', import.meta.url));

export function startDssServices(options: DssServicesOptions): {
  processes: ServiceProcess[];
  stop(): Promise<void>;
} {
  const intakeDir = join(options.dataDir, 'intake');
  for (const client of DEMO_CLIENTS) mkdirSync(join(intakeDir, client), { recursive: true });
  const telemetry = {
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    OTEL_METRIC_EXPORT_INTERVAL: '15000',
  };
  const log = options.log;
  const quiet = !options.verbose;
  const processes: ServiceProcess[] = [
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
    async stop() {
      // The simulator first, so that the intakes take its last files.
      const [simulator, ...intakes] = [...processes].reverse();
      await simulator?.stop();
      await Promise.all(intakes.map((p) => p.stop()));
    },
  };
}
