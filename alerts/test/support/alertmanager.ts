// The real Alertmanager (Debian's prometheus-alertmanager 0.25) started on a free loopback port with a given
// configuration, clustering off. Tests skip without it, except in CI where its absence is an error.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../../bin/platform/free-ports.ts';
import { waitReady } from '../../../test/support/wait-ready.ts';

export const ALERTMANAGER = process.env.ALERTMANAGER_BINARY ?? '/usr/bin/prometheus-alertmanager';
export const alertmanagerAvailable = existsSync(ALERTMANAGER);

if (!alertmanagerAvailable && process.env.CI)
  throw new Error(`the conformance test needs ${ALERTMANAGER} (Debian's prometheus-alertmanager package)`);

export interface RunningAlertmanager {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startAlertmanager(config: string): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'real-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const [port] = await freePorts(1);
  const child: ChildProcess = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady({ name: 'alertmanager', url, child, output: () => output, timeoutMs: 20_000 });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
