// The whole simulated world: one network per client stepped on one clock, and the CSV files the
// clients' SCADA systems would upload. `simulate()` and `simulateFiles()` run it as fast as the CPU
// allows (tests, backfill); `startSimulator()` runs the same steps against the wall clock.
import { type CsvReading, csvFileName, formatCsv, formatRow } from '../scada-csv/format.ts';
import { type ClientNetworkConfig, DEFAULT_NETWORK, validateNetwork } from './config.ts';
import { checkFault, type Fault, faultActive } from './faults.ts';
import { ClientNetwork, type ClientTruth } from './network.ts';
import { Random } from './random.ts';

export interface SimulationOptions {
  /** The networks. Default DEFAULT_NETWORK (north and south). */
  network?: readonly ClientNetworkConfig[];
  /** Only these clients of the network. Default all. */
  clients?: readonly string[];
  /** Same seed, same start, same options: same data, to the last digit. Default 'dss'. */
  seed?: string | number;
  faults?: readonly Fault[];
  /** Physics step and sampling interval, seconds. Default 60. */
  stepSeconds?: number;
  /** Each file covers this many seconds (aligned on the epoch: 06:00, 06:05, ...). Default 300. */
  filePeriodSeconds?: number;
  /** Build the CSV files. Default true; simulate() turns it off. */
  files?: boolean;
}

export type TimeInput = Date | string | number;

export function toMs(time: TimeInput): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new Error(`bad time ${JSON.stringify(time)}`);
  return ms;
}

/** One sampling instant: every client's truth and sensor readings. */
export interface SimulationSample {
  timeMs: number;
  clients: Record<string, { truth: ClientTruth; readings: CsvReading[] }>;
}

/** One CSV file, as a client would upload it. */
export interface SimulatedFile {
  client: string;
  /** `north_20260105T060000Z.csv` */
  name: string;
  periodStartMs: number;
  content: string;
  /** Data rows (malformed ones included). */
  rows: number;
}

interface PendingFile {
  periodStartMs: number;
  readings: CsvReading[];
}

/** Malformed variants of a good row, for the bad-rows fault. Each breaks one rule of the format. */
const BAD_ROW_VARIANTS: ReadonlyArray<(r: string[]) => string> = [
  (r) => ['2026-13-45T25:61:00Z', ...r.slice(1)].join(','), // impossible timestamp
  (r) => [...r.slice(0, 3), 'n/a', ...r.slice(4)].join(','), // value not a number
  (r) => [r[0], r[1], `${r[2]}..X`, ...r.slice(3)].join(','), // tag syntax
  (r) => [...r.slice(0, 4), 'kPa', r[5]].join(','), // unit of another kind
  (r) => [...r.slice(0, 5), 'MAYBE'].join(','), // unknown quality
  (r) => r.slice(0, 4).join(','), // missing columns
  (r) => [r[0], 'nowhere', ...r.slice(2)].join(','), // unknown site
  (r) => `"${r.join(',')}`, // unclosed quote
];

export class Simulation {
  readonly stepMs: number;
  readonly filePeriodMs: number;
  readonly #networks: ClientNetwork[];
  readonly #faults: readonly Fault[];
  readonly #badRowRandom = new Map<string, Random>();
  readonly #pending = new Map<string, PendingFile>();
  readonly #files: boolean;
  #timeMs: number;
  #last: SimulationSample | undefined;

  constructor(startMs: number, options: SimulationOptions = {}) {
    const network = options.network ?? DEFAULT_NETWORK;
    validateNetwork(network);
    const chosen = options.clients ? network.filter((c) => options.clients?.includes(c.client)) : network;
    for (const client of options.clients ?? []) {
      if (!network.some((c) => c.client === client)) throw new Error(`unknown client ${client}`);
    }
    const faults = options.faults ?? [];
    const known = chosen.map((c) => ({
      client: c.client,
      tanks: c.tanks.map((t) => t.id),
      pumps: c.pumps.map((p) => p.id),
    }));
    for (const fault of faults) checkFault(fault, known);
    this.#faults = faults;
    this.stepMs = (options.stepSeconds ?? 60) * 1000;
    this.filePeriodMs = (options.filePeriodSeconds ?? 300) * 1000;
    if (!(this.stepMs > 0 && this.filePeriodMs >= this.stepMs))
      throw new Error('need 0 < stepSeconds <= filePeriodSeconds');
    const seed = String(options.seed ?? 'dss');
    this.#networks = chosen.map((c) => new ClientNetwork(c, seed, faults));
    for (const c of chosen) this.#badRowRandom.set(c.client, new Random(`${seed}/${c.client}/bad-rows`));
    this.#files = options.files ?? true;
    this.#timeMs = startMs;
  }

  /** The time of the next sample. */
  get timeMs(): number {
    return this.#timeMs;
  }

  get clients(): string[] {
    return this.#networks.map((n) => n.config.client);
  }

  /**
   * Samples every client at the current time and advances the clock by one step. Returns the sample
   * and the files whose period ended with this step (missing-feed files are dropped here).
   */
  step(): { sample: SimulationSample; files: SimulatedFile[] } {
    const timeMs = this.#timeMs;
    const sample: SimulationSample = { timeMs, clients: {} };
    for (const network of this.#networks) {
      const result = network.step(timeMs, this.stepMs / 1000);
      sample.clients[network.config.client] = result;
      if (!this.#files) continue;
      const periodStartMs = Math.floor(timeMs / this.filePeriodMs) * this.filePeriodMs;
      let pending = this.#pending.get(network.config.client);
      if (!pending || pending.periodStartMs !== periodStartMs) {
        pending = { periodStartMs, readings: [] };
        this.#pending.set(network.config.client, pending);
      }
      pending.readings.push(...result.readings);
    }
    this.#timeMs += this.stepMs;
    this.#last = sample;

    const files: SimulatedFile[] = [];
    for (const [client, pending] of this.#pending) {
      if (pending.periodStartMs + this.filePeriodMs > this.#timeMs) continue;
      this.#pending.delete(client);
      const file = this.#buildFile(client, pending);
      if (file) files.push(file);
    }
    return { sample, files };
  }

  /** The latest sample (undefined before the first step). */
  last(): SimulationSample | undefined {
    return this.#last;
  }

  #buildFile(client: string, pending: PendingFile): SimulatedFile | undefined {
    const active = (kind: Fault['kind'], at: number) =>
      this.#faults.filter((f) => f.client === client && f.kind === kind && faultActive(f, at));
    if (
      active('missing-feed', pending.periodStartMs).some(
        (f) => f.kind === 'missing-feed' && f.tag === undefined,
      )
    )
      return undefined;
    const rows: string[] = [];
    for (const reading of pending.readings) {
      const missing = active('missing-feed', reading.timestampMs).some(
        (f) => f.kind === 'missing-feed' && f.tag === reading.tag,
      );
      if (!missing) rows.push(formatRow(reading));
    }
    const badRows = active('bad-rows', pending.periodStartMs).reduce(
      (n, f) => n + (f.kind === 'bad-rows' ? (f.count ?? 3) : 0),
      0,
    );
    const random = this.#badRowRandom.get(client) as Random;
    for (let i = 0; i < badRows && rows.length > 0; i++) {
      const model = (rows[random.int(rows.length)] as string).split(',');
      const variant = BAD_ROW_VARIANTS[random.int(BAD_ROW_VARIANTS.length)] as (r: string[]) => string;
      rows.splice(random.int(rows.length + 1), 0, variant(model));
    }
    return {
      client,
      name: csvFileName(client, pending.periodStartMs),
      periodStartMs: pending.periodStartMs,
      content: formatCsv(rows),
      rows: rows.length,
    };
  }
}

/** Every sample from `from` (included) to `to` (excluded), one per step. */
export function* simulate(
  from: TimeInput,
  to: TimeInput,
  options: SimulationOptions = {},
): Generator<SimulationSample, void, undefined> {
  const end = toMs(to);
  const simulation = new Simulation(toMs(from), { ...options, files: false });
  while (simulation.timeMs < end) yield simulation.step().sample;
}

/** Every file whose period ends by `to`, in time order (all clients of a period together). */
export function* simulateFiles(
  from: TimeInput,
  to: TimeInput,
  options: SimulationOptions = {},
): Generator<SimulatedFile, void, undefined> {
  const end = toMs(to);
  const simulation = new Simulation(toMs(from), options);
  while (simulation.timeMs < end) yield* simulation.step().files;
}
