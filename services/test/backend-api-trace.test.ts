// Trace continuity, as deployed: backend-api/main.ts (API + north's workers, telemetry first) in a
// child process exporting to a real collector (ports 0). A POST /jobs request and the job run it
// triggers share one trace: the job span is a child of the request's server span, and the job's
// database reads are spans under it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../../collector/src/collector/index.ts';
import { removeTempDirs, tempDir, waitFor } from './support/helpers.ts';
import { seedIntakeDb } from './support/seed.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'backend-api', 'main.ts');

describe('POST /jobs → job run: one trace', () => {
  let collector: RunningCollector;
  let child: ChildProcess;
  let output = '';
  let url = '';

  beforeAll(async () => {
    const root = tempDir();
    const intakeDb = join(root, 'intake.sqlite');
    seedIntakeDb(intakeDb, {
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-12T00:00:00Z',
      clients: ['north'],
      seed: 'trace',
      stepSeconds: 300,
    });
    collector = await startCollector({
      dbPath: join(root, 'collector.sqlite'),
      grpcPort: 0,
      httpPort: 0,
      queryPort: 0,
      onError: (error) => {
        output += `collector: ${String(error)}\n`;
      },
    });
    child = spawn(
      process.execPath,
      [
        MAIN,
        '--clients',
        'north',
        '--intake-db',
        intakeDb,
        '--workers-db',
        join(root, 'workers.sqlite'),
        '--port',
        '0',
        '--tokens',
        'secret=north',
        '--no-schedule',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.grpcPort}`,
          OTEL_METRIC_EXPORT_INTERVAL: '300',
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_BLRP_SCHEDULE_DELAY: '100',
          DSS_ENVIRONMENT: 'test',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    const port = await waitFor(
      () => /"msg":"backend api listening"/.test(output) && /"port":(\d+)/.exec(output)?.[1],
      20_000,
      `the API:\n${output}`,
    );
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await collector?.close();
    removeTempDirs();
  });

  it('the job span is a child of the request span, with its DB reads below', async () => {
    const response = await fetch(`${url}/clients/north/jobs`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
      body: JSON.stringify({ job: 'forecast' }),
    });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    type SpanRow = {
      trace: string;
      span: string;
      parent: string | null;
      name: string;
      run: string | null;
      service: string;
    };
    const spans = await waitFor(
      () => {
        const rows = collector.db
          .prepare(
            `SELECT hex(s.trace_id) AS trace, hex(s.span_id) AS span, hex(s.parent_span_id) AS parent, s.name,
                    json_extract(s.attributes, '$."dss.job.run_id".stringValue') AS run, r.service_name AS service
             FROM spans s JOIN resources r ON r.id = s.resource_id`,
          )
          .all() as SpanRow[];
        const job = rows.find((r) => r.run === runId);
        const server = rows.find((r) => r.name.startsWith('POST') && !r.parent);
        return (
          job &&
          server &&
          rows.some((r) => r.parent === job.span && r.name === 'SELECT readings') && { rows, job, server }
        );
      },
      20_000,
      `the spans:\n${output}`,
    );
    const { job, server, rows } = spans;
    expect(server.name).toBe('POST /clients/:client/jobs');
    expect(server.service).toBe('backend-api');
    expect(job.name).toBe('job forecast');
    expect(job.trace).toBe(server.trace);
    expect(job.parent).toBe(server.span);
    const reads = rows.filter((r) => r.parent === job.span && r.name === 'SELECT readings');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.trace === server.trace)).toBe(true);
    expect(rows.some((r) => r.parent === job.span && r.name === 'INSERT forecasts')).toBe(true);
  });
});
