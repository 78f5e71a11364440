// The simulator as a service: the same steps as simulate(), paced by the wall clock (or faster),
// writing each client's files into the intake folder as the simulated time reaches the end of
// their period.
import type { Logger } from '@dss/instrumentation';
import type { ClientTruth } from './network.ts';
import {
  type SimulatedFile,
  Simulation,
  type SimulationOptions,
  type TimeInput,
  toMs,
} from './simulation.ts';
import { writeSimulatedFile } from './write-files.ts';

export interface SimulatorOptions extends SimulationOptions {
  /** The intake folder: files go to `<dir>/<client>/`. */
  dir: string;
  /** Simulated seconds per real second. Default 1 (real time). */
  accelerate?: number;
  /** Simulated start time. Default now, rounded down to the step. */
  start?: TimeInput;
  /** Called after each file is written (tests, logs). */
  onFile?: (file: SimulatedFile, path: string) => void;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface SimulatorTruth {
  /** Simulated time of the latest sample. */
  time: Date;
  clients: Record<string, ClientTruth>;
  /** Files written so far. */
  filesWritten: number;
}

export interface RunningSimulator {
  /** The network's true state as of the latest sample: levels, pump states, energy. */
  truth(): SimulatorTruth;
  /** Simulated time now (the time of the next sample). */
  now(): Date;
  /** Stops the clock; files already written stay, a period in progress is not written. */
  stop(): Promise<void>;
}

/** Most steps run in one tick, so that a huge acceleration still lets the event loop breathe. */
const MAX_STEPS_PER_TICK = 5_000;

export function startSimulator(options: SimulatorOptions): RunningSimulator {
  const accelerate = options.accelerate ?? 1;
  if (!(accelerate > 0)) throw new Error('accelerate must be > 0');
  const stepMs = (options.stepSeconds ?? 60) * 1000;
  const startMs =
    options.start === undefined ? Math.floor(Date.now() / stepMs) * stepMs : toMs(options.start);
  const simulation = new Simulation(startMs, options);
  const realStart = performance.now();
  let filesWritten = 0;
  let stopped = false;

  const tick = () => {
    if (stopped) return;
    const simulatedNow = startMs + (performance.now() - realStart) * accelerate;
    for (let i = 0; i < MAX_STEPS_PER_TICK && simulation.timeMs <= simulatedNow; i++) {
      for (const file of simulation.step().files) {
        try {
          const path = writeSimulatedFile(options.dir, file);
          filesWritten++;
          options.onFile?.(file, path);
        } catch (error) {
          // A full disk or a removed folder must not stop the clock: the file is lost, as it would be.
          options.logger?.error({ err: error, file: file.name }, 'simulator: could not write a file');
        }
      }
    }
  };
  // Tick often enough that a file appears close to when its period ends, in real time.
  const tickMs = Math.min(1000, Math.max(10, stepMs / accelerate / 2));
  const timer = setInterval(tick, tickMs);
  tick();
  options.logger?.info(
    { clients: simulation.clients, start: new Date(startMs).toISOString(), accelerate, dir: options.dir },
    'simulator started',
  );

  return {
    truth() {
      const last = simulation.last();
      const clients: Record<string, ClientTruth> = {};
      for (const [client, value] of Object.entries(last?.clients ?? {})) clients[client] = value.truth;
      return { time: new Date(last?.timeMs ?? startMs), clients, filesWritten };
    },
    now: () => new Date(simulation.timeMs),
    async stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
