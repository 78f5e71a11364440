// `dss-obs up` started by a test the way a user starts it (a child process on free loopback ports, its files
// in a temporary directory), and the polling those tests wait with. Shared by the platform tests and the
// dashboards' panel-query test.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../bin/platform/free-ports.ts';

const CLI = fileURLToPath(new URL('../../bin/dss-obs.ts', import.meta.url));

export interface Platform {
  readonly dir: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly queryPort: number;
  /** North's backend API; south's is the next port. */
  readonly apiPort: number;
  /** What the process printed, when started with captureOutput. */
  output(): string;
  /** Ctrl-C, up to graceMs for a clean exit, then SIGKILL; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** Kills the process if it still runs and removes the directory. */
  remove(): void;
}

export interface StartPlatformOptions {
  /** Prefix of the temporary directory's name. */
  prefix: string;
  /** More `dss-obs up` flags, given the temporary directory (files a test writes there first). */
  args?: (dir: string) => string[];
  /** Before the process starts, e.g. to write files into the directory. */
  prepare?: (dir: string) => void;
  /** Collect stdout and stderr for output(); otherwise stdout is dropped and stderr inherited. */
  captureOutput?: boolean;
}

export async function startPlatform(options: StartPlatformOptions): Promise<Platform> {
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  options.prepare?.(dir);
  let queryPort = 0;
  let apiPort = 0;
  // The second client's API takes the port after the first one's.
  do {
    [queryPort = 0, apiPort = 0] = await freePorts(2);
  } while (queryPort === apiPort + 1);
  const dataDir = join(dir, 'data');
  const child = spawn(
    process.execPath,
    [
      CLI,
      'up',
      '--grpc-port',
      '0',
      '--http-port',
      '0',
      '--query-port',
      String(queryPort),
      '--api-port',
      String(apiPort),
      '--alerts-port',
      '0',
      '--dora-port',
      '0',
      '--data-dir',
      dataDir,
      ...(options.args?.(dir) ?? []),
    ],
    { cwd: dir, stdio: options.captureOutput ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'inherit'] },
  );
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }
  return {
    dir,
    dataDir,
    child,
    queryPort,
    apiPort,
    output: () => output,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    remove() {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls fn until ok(value) or the timeout; returns the last value (undefined when fn kept failing). */
export async function eventually<T>(
  fn: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs: number,
  pollMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined as T);
    if ((value !== undefined && ok(value)) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
