// End to end: the simulator (accelerated) writes north's files → the intake, a real process started
// as deployed (telemetry first, dss.client=north), stores them → its telemetry reaches a real collector
// over OTLP/gRPC → PromQL shows the tank levels, and the trace store holds one trace per file.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  METRIC_INTAKE_FILES,
  METRIC_TANK_LEVEL,
  METRIC_TANK_MAX_LEVEL,
  METRIC_TANK_MIN_LEVEL,
} from '@dss/instrumentation/conventions';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../../collector/src/collector/index.ts';
import { instantQuery } from '../../collector/src/query/promql/index.ts';
import { startSimulator } from '../src/simulator/index.ts';
import { removeTempDirs, tempDir, waitFor } from './support/helpers.ts';

const INTAKE_MAIN = join(import.meta.dirname, '..', 'src', 'intake', 'main.ts');
const FILES = 8;

describe('simulator → intake → collector', () => {
  let collector: RunningCollector;
  let intake: ChildProcess;
  let output = '';
  let root: string;
  let intakeDb: string;
  let files: string[] = [];

  beforeAll(async () => {
    root = tempDir();
    intakeDb = join(root, 'intake.sqlite');
    collector = await startCollector({
      dbPath: join(root, 'collector.sqlite'),
      grpcPort: 0,
      httpPort: 0,
      queryPort: 0,
      onError: (error) => {
        output += `collector: ${String(error)}\n`;
      },
    });
    intake = spawn(
      process.execPath,
      [
        INTAKE_MAIN,
        '--client',
        'north',
        '--dir',
        join(root, 'in', 'north'),
        '--db',
        intakeDb,
        '--scan-interval',
        '200',
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
    intake.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    intake.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    await waitFor(() => output.includes('"msg":"intake started"'), 20_000, `the intake to start:\n${output}`);

    const simulator = startSimulator({
      dir: join(root, 'in'),
      clients: ['north'],
      accelerate: 1200, // a 5-minute file every 0.25 s
      start: '2026-01-05T06:00:00Z',
      seed: 'e2e',
      onFile: (file) => files.push(file.name),
    });
    await waitFor(() => files.length >= FILES, 20_000, 'the simulator');
    await simulator.stop();
    files = files.slice();
    await waitFor(
      () => countRows('SELECT count(*) AS n FROM files WHERE moved_at IS NOT NULL') === files.length,
      20_000,
      `the intake to take every file:\n${output}`,
    );
  });

  afterAll(async () => {
    if (intake && intake.exitCode === null && intake.signalCode === null) {
      const exited = once(intake, 'exit');
      intake.kill('SIGTERM');
      await exited;
    }
    await collector?.close();
    removeTempDirs();
  });

  function countRows(sql: string): number {
    try {
      const db = new Database(intakeDb, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare(sql).get() as { n: number }).n;
      } finally {
        db.close();
      }
    } catch {
      return -1;
    }
  }

  function query(promql: string): Array<Record<string, string>> {
    const data = instantQuery({ reader: collector.metricsStore, tenant: 'north' }, promql, Date.now());
    if (data.resultType !== 'vector') throw new Error(`not a vector: ${data.resultType}`);
    return data.result.map((s) => ({ ...s.metric, value: s.value[1] }));
  }

  it('stored every file once', () => {
    expect(countRows('SELECT count(*) AS n FROM files')).toBe(files.length);
    expect(countRows('SELECT count(*) AS n FROM readings')).toBe(files.length * 105);
  });

  it('shows the newest tank level in PromQL, under dss_client="north"', async () => {
    const db = new Database(intakeDb, { readonly: true });
    const newest = db
      .prepare(
        "SELECT value FROM readings WHERE client = 'north' AND tag = 'T1.LEVEL' ORDER BY ts DESC LIMIT 1",
      )
      .get() as { value: number };
    db.close();
    const name = METRIC_TANK_LEVEL.prometheusName;
    expect(name).toBe('dss_tank_level_meters');
    const series = await waitFor(
      () => {
        const result = query(`${name}{dss_client="north",dss_tank_id="T1"}`);
        return result.length === 1 && Number(result[0]?.value) === newest.value && result;
      },
      15_000,
      `${name} = ${newest.value}:\n${output}`,
    );
    expect(series[0]).toMatchObject({
      job: 'intake',
      dss_client: 'north',
      deployment_environment_name: 'test',
    });
    expect(
      query(`${name}{dss_client="north"}`)
        .map((s) => s.dss_tank_id)
        .sort(),
    ).toEqual(['T1', 'T2', 'T3']);
    expect(
      query('dss_pump_state{dss_client="north"}')
        .map((s) => s.dss_pump_id)
        .sort(),
    ).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(query('dss_tank_fill_ratio{dss_tank_id="T1"}')).toHaveLength(1);
    // The operating band, from the network configuration (north T1: 1 to 5 m).
    expect(query(`${METRIC_TANK_MIN_LEVEL.prometheusName}{dss_tank_id="T1"}`)[0]?.value).toBe('1');
    expect(query(`${METRIC_TANK_MAX_LEVEL.prometheusName}{dss_tank_id="T1"}`)[0]?.value).toBe('5');
    // Another tenant sees none of it.
    expect(instantQuery({ reader: collector.metricsStore, tenant: 'south' }, name, Date.now())).toEqual({
      resultType: 'vector',
      result: [],
    });
  });

  it('counts the files it processed', async () => {
    await waitFor(
      () =>
        query(`${METRIC_INTAKE_FILES.prometheusName}{dss_intake_outcome="processed"}`)[0]?.value ===
        String(files.length),
      15_000,
      'dss_intake_files_total',
    );
    expect(query('dss_intake_rows_stored_total')[0]?.value).toBe(String(files.length * 105));
    expect(Number(query('dss_intake_last_reading_seconds')[0]?.value)).toBeGreaterThan(
      Date.parse('2026-01-05T06:30:00Z') / 1000,
    );
  });

  it('has one trace per file: intake.file with its parse, store and move spans', async () => {
    type SpanRow = {
      trace: string;
      span: string;
      parent: string | null;
      name: string;
      file: string | null;
      tenant: string;
      rows: number | null;
    };
    const spans = await waitFor(
      () => {
        const rows = collector.db
          .prepare(
            `SELECT hex(s.trace_id) AS trace, hex(s.span_id) AS span, hex(s.parent_span_id) AS parent, s.name,
                    json_extract(s.attributes, '$."file.name".stringValue') AS file,
                    json_extract(s.attributes, '$."dss.intake.rows".intValue') AS rows, r.tenant
             FROM spans s JOIN resources r ON r.id = s.resource_id
             WHERE r.service_name = 'intake' AND s.name LIKE 'intake.%'`,
          )
          .all() as SpanRow[];
        return (
          rows.filter((r) => r.name === 'intake.file').length >= files.length &&
          rows.length >= 4 * files.length &&
          rows
        );
      },
      15_000,
      'the spans',
    );
    const roots = spans.filter((s) => s.name === 'intake.file');
    expect(roots.map((s) => s.file).sort()).toEqual([...files].sort());
    expect(new Set(roots.map((s) => s.trace)).size).toBe(files.length);
    for (const root of roots) {
      expect(root.parent || null).toBeNull();
      expect(root.tenant).toBe('north');
      expect(root.rows).toBe(105);
      const children = spans.filter((s) => s.trace === root.trace && s.span !== root.span);
      expect(children.map((c) => c.name).sort()).toEqual(['intake.move', 'intake.parse', 'intake.store']);
      for (const child of children) expect(child.parent).toBe(root.span);
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = once(intake, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    intake.kill('SIGTERM');
    const [code] = await exited;
    expect(code, output).toBe(0);
    expect(output).toContain('"msg":"intake stopped"');
  });
});
