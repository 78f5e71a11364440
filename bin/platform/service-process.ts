// One DSS service as a child process of `dss-obs up`: its output prefixed with its name, restarted with a
// growing delay when it dies unexpectedly (at most 5 times a minute, then left down and reported), and
// stopped with SIGTERM (it flushes its telemetry), SIGKILL after a grace period.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceProcessOptions {
  name: string;
  /** The script and its arguments, run with this Node. */
  args: string[];
  env?: Record<string, string>;
  /** Where output lines go. Default console.log. */
  log?: (line: string) => void;
  /** Milliseconds between SIGTERM and SIGKILL. Default 10 s. */
  graceMs?: number;
  /**
   * Print only warnings and errors of the service's JSON (pino) log lines; the rest still reaches the
   * collector through the OpenTelemetry log bridge. Default true.
   */
  quiet?: boolean;
}

export interface ServiceProcess {
  readonly name: string;
  stop(): Promise<void>;
}

const MAX_RESTARTS_PER_MINUTE = 5;

export function startServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const log = options.log ?? ((line: string) => console.log(line));
  const prefix = `[${options.name}]`;
  let child: ChildProcess | undefined;
  let stopping = false;
  const restarts: number[] = [];

  const start = () => {
    const started = spawn(process.execPath, options.args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    for (const stream of [started.stdout, started.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        if (options.quiet !== false && belowWarning(line)) return;
        log(`${prefix} ${line}`);
      });
    }
    started.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while ((restarts[0] ?? now) < now - 60_000) restarts.shift();
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        log(`${prefix} exited (${signal ?? code}) ${restarts.length} times in a minute: left down`);
        return;
      }
      const delay = 500 * 2 ** (restarts.length - 1);
      log(`${prefix} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (!stopping) start();
      }, delay).unref();
    });
  };
  start();

  return {
    name: options.name,
    async stop() {
      stopping = true;
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), options.graceMs ?? 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A pino JSON line below level 40 (warn). Anything else (plain text, a stack trace) is shown. */
function belowWarning(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' && level < 40;
  } catch {
    return false;
  }
}
