// A real Prometheus (Debian's package) for the conformance test and the PromQL benchmark: the data set is
// backfilled into a fresh TSDB with promtool, then Prometheus serves it on a free loopback port.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../../../bin/platform/free-ports.ts';
import { waitReady } from '../../../../test/support/wait-ready.ts';

export const PROMETHEUS_BINARY = process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus';
export const PROMTOOL_BINARY = process.env.PROMTOOL_BINARY ?? '/usr/bin/promtool';

export function prometheusAvailable(): boolean {
  return existsSync(PROMETHEUS_BINARY) && existsSync(PROMTOOL_BINARY);
}

export interface RunningPrometheus {
  url: string;
  dataDir: string;
  version: string;
  stop(): Promise<void>;
}

/** Backfills `openMetrics` into a new TSDB and starts Prometheus on it. */
export async function startPrometheusWith(openMetrics: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'dss-prometheus-'));
  const input = join(dir, 'data.om');
  writeFileSync(input, openMetrics);
  const running = await startPrometheusFromFile(input, dir);
  return {
    ...running,
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Backfills an OpenMetrics file into a TSDB under `dir` and starts Prometheus on it. */
export async function startPrometheusFromFile(input: string, dir: string): Promise<RunningPrometheus> {
  mkdirSync(dir, { recursive: true });
  const dataDir = join(dir, 'tsdb');
  execFileSync(PROMTOOL_BINARY, ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir], {
    stdio: 'pipe',
    maxBuffer: 64 * 1024 * 1024,
  });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  evaluation_interval: 1m\nscrape_configs: []\n');
  const [port] = await freePorts(1);
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      '--query.max-samples=50000000',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady({ name: 'prometheus', url, child, output: () => stderr, timeoutMs: 30_000 });
  const info = (await (await fetch(`${url}/api/v1/status/buildinfo`)).json()) as {
    data: { version: string };
  };
  return {
    url,
    dataDir,
    version: info.data.version,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}
