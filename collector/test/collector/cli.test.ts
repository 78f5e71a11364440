// `dss-obs collector` as a user runs it: serve (endpoints printed, data stored, /metrics served, clean
// stop), stats, vacuum, and the exit codes for failures (1) and bad usage (2).

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/schema.ts';
import { request } from '../support/http-client.ts';
import { encodeTraces, traceBatch } from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../../bin/dss-obs.ts', import.meta.url));

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(() => dir.remove());

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'collector', ...args], {
    encoding: 'utf8',
    cwd: dir.path,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Resolves with the output once `pattern` appears in it. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve(output);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}: ${output}`)));
  });
}

describe('dss-obs collector', () => {
  it('serves: prints its endpoints, stores what it receives, serves /metrics, stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'collector',
        '--grpc-port',
        '0',
        '--http-port',
        '0',
        '--query-port',
        '0',
        '--data',
        'served.sqlite',
      ],
      { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = await waitForOutput(child, /Ctrl-C to stop/);
    expect(output).toContain(`storing in ${dir.file('served.sqlite')}`);
    expect(output).toMatch(/Retention: records older than 7d, at most 2\.00 GiB/);
    expect(output).toMatch(/No authentication/);
    const port = (name: string) =>
      Number(new RegExp(`${name}\\s+http://127\\.0\\.0\\.1:(\\d+)`).exec(output)?.[1]);

    const response = await request(port('OTLP/HTTP'), {
      path: '/v1/traces',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from(encodeTraces(traceBatch(25, { tenant: 'aveiro' }))),
    });
    expect(response.status).toBe(200);
    const metrics = await request(port('Query API'), { method: 'GET', path: '/metrics' });
    expect(metrics.body.toString()).toMatch(/dss_collector_records_accepted_total\{signal="traces"\} 25/);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('stats: rows, time range and tenants, as text or JSON', () => {
    const text = run('stats', '--data', 'served.sqlite');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^spans\s+25\s+2023-11-14T22:13:20\.000Z/m);
    expect(text.stdout).toMatch(/^aveiro\s+25\s+0\s+backend-api$/m);
    const json = JSON.parse(run('stats', '--data', 'served.sqlite', '--json').stdout);
    expect(json).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      tables: { spans: { rows: 25, fromNs: '1700000000000000000' } },
    });
  });

  it('vacuum: applies the retention it is given, then rebuilds the file', () => {
    const result = run('vacuum', '--data', 'served.sqlite', '--max-age', '1d');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/retention: deleted 25 spans and 0 log records/);
    expect(run('stats', '--data', 'served.sqlite').stdout).toMatch(/^spans\s+0$/m);
  });

  it('exits 1 on failure and 2 on bad usage', () => {
    const missing = run('stats', '--data', 'missing.sqlite');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no collector database at .*missing\.sqlite/);
    expect(run('--grpc-port', 'seventeen').status).toBe(2);
    expect(run('vacuum', '--max-age', 'forever').status).toBe(2);
    const exposed = run('--host', '0.0.0.0', '--data', 'x.sqlite');
    expect(exposed.status).toBe(2);
    expect(exposed.stderr).toMatch(/refusing to bind 0\.0\.0\.0 without authentication/);
  });
});
