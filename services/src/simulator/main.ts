// The simulator as a process:
//   node services/src/simulator/main.ts --dir intake --accelerate 60 [--seed 7] [--start 2026-01-05T00:00:00Z]
//     [--backfill-hours 48] [--fault leak,client=north,tank=T1,from=2026-01-05T06:00:00Z] ...
// It writes each client's files into <dir>/<client>/ and prints the truth on SIGUSR2.
import { createLogger } from '@dss/instrumentation';
import { parseCommandLine } from '../shared/command-line.ts';
import { parseFault } from './faults.ts';
import { startSimulator } from './start-simulator.ts';
import { backfill } from './write-files.ts';

const usage = `usage: simulator --dir <intake folder> [--accelerate N] [--seed S] [--start ISO] [--clients north,south]
  [--step-seconds 60] [--file-period-seconds 300] [--backfill-hours H] [--fault SPEC]...
  fault SPEC: kind,client=C[,tank=T|pump=P|tag=TAG][,from=ISO][,until=ISO][,rate=M3H][,count=N]
  kinds: leak, stuck-sensor, missing-feed, pump-fail, bad-rows (see services/README.md)`;

const logger = createLogger({ name: 'simulator' });
const values = parseCommandLine(
  {
    dir: { type: 'string' },
    accelerate: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    clients: { type: 'string' },
    'step-seconds': { type: 'string' },
    'file-period-seconds': { type: 'string' },
    'backfill-hours': { type: 'string' },
    fault: { type: 'string', multiple: true },
  },
  usage,
);
const numberOption = (text: string | undefined, name: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0)) {
    console.error(`--${name} must be a positive number\n${usage}`);
    process.exit(2);
  }
  return value;
};
const dir = values.dir ?? process.env.INTAKE_DIR;
if (!dir) {
  console.error(usage);
  process.exit(2);
}

try {
  const stepSeconds = numberOption(values['step-seconds'], 'step-seconds');
  const filePeriodSeconds = numberOption(values['file-period-seconds'], 'file-period-seconds');
  const backfillHours = numberOption(values['backfill-hours'], 'backfill-hours');
  const accelerate = numberOption(values.accelerate, 'accelerate') ?? 1;
  const common = {
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values.clients === undefined ? {} : { clients: values.clients.split(',').map((c) => c.trim()) }),
    ...(stepSeconds === undefined ? {} : { stepSeconds }),
    ...(filePeriodSeconds === undefined ? {} : { filePeriodSeconds }),
    faults: (values.fault ?? []).map(parseFault),
  };
  const stepMs = (stepSeconds ?? 60) * 1000;
  const start = values.start ?? new Date(Math.floor(Date.now() / stepMs) * stepMs).toISOString();
  const startMs = Date.parse(start);
  if (!Number.isFinite(startMs)) throw new Error(`bad --start ${start}`);
  if (backfillHours !== undefined) {
    const from = startMs - backfillHours * 3_600_000;
    const written = backfill(dir, from, startMs, common);
    logger.info(
      { files: written, from: new Date(from).toISOString(), to: start },
      'simulator: backfill written',
    );
  }
  const simulator = startSimulator({ ...common, dir, accelerate, start, logger });
  process.on('SIGUSR2', () => logger.info({ truth: simulator.truth() }, 'simulator: truth'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      void simulator.stop().then(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
