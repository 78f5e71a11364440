// Runs the fixture service in a child process, as a real deployment would run it, and stops it
// with SIGTERM: the only honest way to test `--import` start-up and flush-on-exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { FIXTURE_APP } from './paths.ts';

export interface RunningService {
  port: number;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then waits for exit; how long the exit took is measured. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stopMillis: number }>;
}

export async function startService(options: {
  style: 'register' | 'code' | 'none';
  env: Record<string, string>;
  script?: string;
}): Promise<RunningService> {
  const args = options.style === 'register' ? ['--import', '@dss/instrumentation/register'] : [];
  const child = spawn(process.execPath, [...args, options.script ?? FIXTURE_APP], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      START_STYLE: options.style,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${stdout}\n${stderr}`)), 20_000);
    const check = () => {
      const match = /LISTENING (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${stdout}\n${stderr}`));
    });
  });
  return {
    port,
    child,
    stderr: () => stderr,
    async stop() {
      const started = performance.now();
      if (child.exitCode !== null || child.signalCode !== null) {
        return { code: child.exitCode, signal: child.signalCode, stopMillis: 0 };
      }
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      return { code, signal, stopMillis: performance.now() - started };
    },
  };
}

/** GETs a path, returning status and how long it took. */
export async function timedGet(
  port: number,
  path: string,
): Promise<{ status: number; millis: number; body: string }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const body = await response.text();
  return { status: response.status, millis: performance.now() - started, body };
}
