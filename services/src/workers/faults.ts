// Fault injection for the workers, to exercise the job alerts: runs that fail, run slow or hang.
// `--fault fail=0.3,slow=4,hang,jobs=forecast+kpi` or WORKERS_FAULTS, or `faults` in code.
import { isJobName, type JobName } from './store.ts';

export interface WorkerFaults {
  /** Probability (0 to 1) that a run throws; 1: every run fails. */
  failProbability?: number;
  /** Runs take N times as long: after the work, a sleep of (N − 1) × max(its duration, slowBaseMs). */
  slowFactor?: number;
  /** Floor of the "duration" a slow run is multiplied from, ms (the jobs take milliseconds). Default 1000. */
  slowBaseMs?: number;
  /** Runs never finish by themselves: the run timeout fails them. */
  hang?: boolean;
  /** Only runs of these jobs (default: all). */
  jobs?: readonly JobName[];
  /** For tests: the random source of failProbability. */
  random?: () => number;
}

/** A failure the fault injection caused (error.type `InjectedFault`). */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** A run stopped by the timeout (error.type `JobTimeout`). */
export class JobTimeout extends Error {
  override name = 'JobTimeout';
}

export function parseFaults(spec: string): WorkerFaults {
  const faults: WorkerFaults = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=', 2) as [string, string | undefined];
    if (key === 'fail') {
      const p = value === undefined || value === 'always' ? 1 : Number(value);
      if (!(p >= 0 && p <= 1)) throw new Error(`fault fail=${value}: a probability from 0 to 1, or "always"`);
      faults.failProbability = p;
    } else if (key === 'slow') {
      const n = Number(value);
      if (!(n >= 1)) throw new Error(`fault slow=${value}: a factor >= 1`);
      faults.slowFactor = n;
    } else if (key === 'slow-base-ms') {
      const n = Number(value);
      if (!(n >= 0)) throw new Error(`fault slow-base-ms=${value}: milliseconds >= 0`);
      faults.slowBaseMs = n;
    } else if (key === 'hang') {
      faults.hang = value === undefined || value === 'true' || value === '1';
    } else if (key === 'jobs') {
      const jobs = (value ?? '').split('+');
      const bad = jobs.find((j) => !isJobName(j));
      if (bad !== undefined) throw new Error(`fault jobs=${value}: unknown job "${bad}"`);
      faults.jobs = jobs as JobName[];
    } else {
      throw new Error(`unknown fault "${key}" (fail=p, slow=N, slow-base-ms=ms, hang, jobs=a+b)`);
    }
  }
  return faults;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Runs `work` with the faults that apply to `job`. */
export async function withFaults<T>(
  job: JobName,
  faults: WorkerFaults | undefined,
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  if (!faults || (faults.jobs && !faults.jobs.includes(job))) return work();
  if (faults.hang) {
    // Never settles by itself; the timeout (or stop) aborts it.
    await new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    );
  }
  const started = performance.now();
  const result = await work();
  if (faults.slowFactor && faults.slowFactor > 1) {
    const base = Math.max(performance.now() - started, faults.slowBaseMs ?? 1000);
    await sleep((faults.slowFactor - 1) * base, signal);
  }
  const p = faults.failProbability ?? 0;
  if (p > 0 && (faults.random ?? Math.random)() < p) {
    throw new InjectedFault(`injected failure of job ${job} (p=${p})`);
  }
  return result;
}
