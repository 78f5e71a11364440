// Starts collector-process.ts in a child process and talks to it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./collector-process.ts', import.meta.url));

export interface ChildCollector {
  child: ChildProcess;
  grpcPort: number;
  httpPort: number;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, and what the child reported on its way out. */
  stop(): Promise<{ peakQueuedBytes: number; maxRssBytes: number }>;
  /** SIGKILL: no warning, no cleanup. Resolves once the process is gone. */
  kill(): Promise<void>;
}

export function startChildCollector(dbPath: string, queueLimitBytes?: number): Promise<ChildCollector> {
  const args = [SCRIPT, dbPath, ...(queueLimitBytes === undefined ? [] : [String(queueLimitBytes)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = new RegExp(`^${prefix} (.*)$`, 'm').exec(stdout);
        if (match) {
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
          resolve(match[1] as string);
        }
      };
      const onData = (chunk: Buffer) => {
        stdout += chunk.toString();
        check();
      };
      const onExit = (code: number | null) =>
        reject(new Error(`collector process exited (${code}) before ${prefix}: ${stderr}`));
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
      check();
    });

  return line('READY').then((ready) => {
    const ports = JSON.parse(ready) as { grpcPort: number; httpPort: number };
    return {
      child,
      ...ports,
      stderr: () => stderr,
      stop: async () => {
        const stopped = line('STOPPED');
        child.kill('SIGTERM');
        const report = JSON.parse(await stopped) as { peakQueuedBytes: number; maxRssBytes: number };
        await exited;
        return report;
      },
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  });
}
