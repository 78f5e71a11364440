// Helpers shared by the collector benchmarks: percentiles, number formatting, and a collector running in
// a process of its own (so that the benchmark's client and the collector use separate cores).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

export const rate = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * CPU seconds (user + system, every thread) a process has used so far, from /proc (Linux); undefined
 * elsewhere. Read at the start and end of a phase, it says how many cores the collector kept busy.
 */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CollectorProcess<Ports> {
  child: ChildProcess;
  ports: Ports;
  stop(): Promise<{ maxRssBytes: number; peakQueuedBytes?: number }>;
}

/**
 * Starts `script` (by default the collector process of the collector's tests) on `dbPath`: a process that
 * prints `READY <json ports>` once listening and, on SIGTERM, closes and prints `STOPPED <json stats>`.
 */
export async function startCollectorProcess<Ports>(
  dbPath: string,
  script = fileURLToPath(new URL('../../collector/test/support/collector-process.ts', import.meta.url)),
): Promise<CollectorProcess<Ports>> {
  const child = spawn(process.execPath, [script, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = new RegExp(`^${prefix} (.*)$`, 'm').exec(output);
        if (match) {
          child.stdout?.off('data', onData);
          resolve(match[1] as string);
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`collector exited (${code}) before ${prefix}`)));
    });
  const ports = JSON.parse(await line('READY')) as Ports;
  return {
    child,
    ports,
    stop: async () => {
      const stopped = line('STOPPED');
      child.kill('SIGTERM');
      return JSON.parse(await stopped);
    },
  };
}
