// `dss-obs up` (what `npm start` runs) as a user runs it: the collector and the DSS services on simulated
// data; both clients' tank levels reach the Prometheus API, the intake's traces the Tempo API, and Ctrl-C
// stops everything cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../support/free-ports.ts';

const CLI = fileURLToPath(new URL('../../bin/dss-obs.ts', import.meta.url));

async function eventually<T>(
  fn: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined as T);
    if ((value !== undefined && ok(value)) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('dss-obs up', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let queryPort: number;
  let apiPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dss-up-'));
    // The API of the second client takes the port after the first one's: check that one is free too.
    do {
      [queryPort = 0, apiPort = 0] = await freePorts(2);
    } while (queryPort === apiPort + 1);
    child = spawn(
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
        '--data-dir',
        join(dir, 'data'),
        '--accelerate',
        '600',
        '--backfill-hours',
        '1',
        '--api-port',
        String(apiPort),
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (path: string) =>
    (await fetch(`http://127.0.0.1:${queryPort}${path}`)).json() as Promise<Record<string, never>>;

  it('runs the collector with the services, whose telemetry reaches the query APIs', async () => {
    const levels = await eventually(
      async () =>
        (await api(
          `/api/v1/query?${new URLSearchParams({ query: 'count by (dss_client) (dss_tank_level_meters)' })}`,
        )) as { data?: { result?: { metric: { dss_client: string } }[] } },
      (body) => (body.data?.result?.length ?? 0) === 2,
    );
    expect(levels.data?.result?.map((s) => s.metric.dss_client).sort()).toEqual(['north', 'south']);
    const search = (await eventually(
      () => api(`/api/search?${new URLSearchParams({ q: '{ name = "intake.file" }', limit: '5' })}`),
      (body) => ((body as { traces?: unknown[] }).traces?.length ?? 0) > 0,
    )) as { traces?: { rootServiceName: string }[] };
    expect(search.traces?.[0]?.rootServiceName).toBe('intake');
    expect(output).toMatch(
      /DSS services \(backend-api-north, backend-api-south, intake-north, intake-south, simulator\)/,
    );
    // The backend API answers with the token from the token file, and never prints it.
    const tokens = Object.fromEntries(
      readFileSync(join(dir, 'data', 'api-tokens.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ')),
    ) as Record<string, string>;
    const jobs = await eventually(
      async () =>
        fetch(`http://127.0.0.1:${apiPort}/clients/north/jobs`, {
          headers: { authorization: `Bearer ${tokens.north}` },
        }),
      (response) => response.status === 200,
    );
    expect(jobs?.status).toBe(200);
    expect(output).toContain(`Backend API (north)  http://127.0.0.1:${apiPort}`);
    // DORA on its sample history: last week's report written at start.
    const dora = /DORA: sample history in \S+; report of (\d{4}-W\d{2}) in (\S+)/.exec(output);
    expect(dora).not.toBeNull();
    expect(readFileSync(dora?.[2] ?? '', 'utf8')).toContain(`# DORA weekly report, ${dora?.[1]}`);
    expect(output).not.toContain(tokens.north);
    expect(output).toContain(`Prometheus URL http://127.0.0.1:${queryPort}`);
  }, 90_000);

  it('stops everything on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('dss-obs up: stopping');
  }, 30_000);
});
