// Opening databases: a new file gets the current schema and the durability settings; an older one is
// upgraded in place with its data; a newer one, or a file that is not the collector's, is refused.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreVersionError } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { readTrace } from '../../src/store/read-traces.ts';
import { prepareTraces } from '../../src/store/rows.ts';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.ts';
import { StoreWriter } from '../../src/store/writer.ts';
import { writeSpansAsBeforeVersion6 } from '../support/old-store-writes.ts';
import { span, tracesRequest } from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(() => dir.remove());

const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

const spanIndexes = (db: Database.Database) =>
  db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'spans' AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all();

describe('openDatabase', () => {
  it('creates a file (and its directory) at the current version, in WAL mode with incremental vacuum', () => {
    const file = dir.file('new/collector.sqlite');
    const upgrades: number[] = [];
    const { db, migration } = openDatabase(file, { onUpgrade: (m) => upgrades.push(m.version) });
    expect(upgrades).toEqual([]); // a new file is created, not upgraded
    expect(migration).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); // INCREMENTAL
    expect(tables(db)).toEqual([
      'log_records',
      'metric_samples',
      'metric_series',
      'prom_chunks',
      'prom_head',
      'prom_metadata',
      'prom_series',
      'resources',
      'scopes',
      'span_events',
      'span_links',
      'spans',
      'sqlite_sequence', // prom_series ids are AUTOINCREMENT
      'trace_groups',
    ]);
    db.close();
    // Reopening an up-to-date file changes nothing.
    const again = openDatabase(file);
    expect(again.migration).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    again.db.close();
  });

  it('upgrades a version 1 database in place, keeping its data', () => {
    const file = dir.file('v1.sqlite');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) });
    expect(old.db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(old.db)).not.toContain('metric_series');
    const stored = span({ name: 'written by version 1' });
    writeSpansAsBeforeVersion6(old.db, [stored]);
    old.db.close();

    const { db, migration } = openDatabase(file);
    expect(migration).toEqual({ from: 1, to: SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(db)).toContain('metric_series');
    expect(spanIndexes(db)).toEqual(['spans_by_error', 'spans_by_resource_time', 'spans_by_time']);
    expect(readTrace(db, stored.traceId)[0]?.scopeSpans[0]?.spans).toEqual([stored]);
    db.close();
  });

  it('upgrades a version 4 database: failed spans indexed by a partial index, which error searches use', () => {
    const file = dir.file('v4.sqlite');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 4) });
    expect(spanIndexes(old.db)).toContain('spans_by_status');
    const failed = span({ name: 'failed', status: { code: 2, message: 'boom' } });
    const fine = span({ name: 'fine', status: { code: 1, message: '' } });
    writeSpansAsBeforeVersion6(old.db, [failed, fine]);
    old.db.close();

    const { db, migration } = openDatabase(file);
    expect(migration).toEqual({ from: 4, to: SCHEMA_VERSION });
    expect(spanIndexes(db)).not.toContain('spans_by_status');
    expect(spanIndexes(db)).toContain('spans_by_error');
    const errors = db
      .prepare('SELECT name FROM spans INDEXED BY spans_by_error WHERE status_code = 2')
      .pluck();
    expect(errors.all()).toEqual(['failed']);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT id FROM spans WHERE start_ns >= 0 AND status_code = 2 ORDER BY start_ns DESC, id DESC',
      )
      .all() as { detail: string }[];
    expect(plan.map((row) => row.detail).join('\n')).toContain('spans_by_error');
    db.close();
  });

  it('upgrades a version 5 database: its spans found by trace through trace_groups, retries still stored once', () => {
    const file = dir.file('v5.sqlite');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 5) });
    expect(spanIndexes(old.db)).toContain('spans_by_trace');
    const traceId = span().traceId;
    const first = span({ traceId, name: 'first' });
    const second = span({ traceId, name: 'second', startTimeUnixNano: first.startTimeUnixNano + 1n });
    const other = span({ name: 'another trace' });
    writeSpansAsBeforeVersion6(old.db, [first, second, other]);
    old.db.close();

    const upgrades: number[] = [];
    const { db, migration } = openDatabase(file, { onUpgrade: (m) => upgrades.push(m.version) });
    expect(migration).toEqual({ from: 5, to: SCHEMA_VERSION });
    expect(upgrades).toEqual(MIGRATIONS.slice(5).map((m) => m.version));
    expect(spanIndexes(db)).not.toContain('spans_by_trace');
    expect(db.prepare('SELECT count(*) FROM trace_groups').pluck().get()).toBe(3);
    expect(readTrace(db, traceId)[0]?.scopeSpans[0]?.spans.map((s) => s.name)).toEqual(['first', 'second']);
    // An exporter retrying an export from before the upgrade, plus one new span of the same trace.
    const third = span({ traceId, name: 'third', startTimeUnixNano: first.startTimeUnixNano + 2n });
    const retry = prepareTraces(tracesRequest([second, third], { tenant: 'aveiro' })).write;
    if (!retry) throw new Error('nothing to write');
    const outcome = new StoreWriter(db).write([retry]);
    expect(outcome).toMatchObject({ spans: 1, duplicateSpans: 1 });
    const names = readTrace(db, traceId).flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) => ss.spans.map((x) => x.name)),
    );
    expect(names.sort()).toEqual(['first', 'second', 'third']);
    db.close();
  });

  it('refuses a database newer than this collector, naming the file and both versions', () => {
    const file = dir.file('future.sqlite');
    openDatabase(file).db.close();
    const raw = new Database(file);
    raw.pragma('user_version = 7');
    raw.close();
    expect(() => openDatabase(file)).toThrow(StoreVersionError);
    expect(() => openDatabase(file)).toThrow(
      `${file} has schema version 7, newer than the version ${SCHEMA_VERSION} this collector knows`,
    );
    // Refusing did not touch it.
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(7);
    check.close();
  });

  it('refuses an SQLite file that is not a collector database', () => {
    const file = dir.file('other.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY)');
    raw.close();
    expect(() => openDatabase(file)).toThrow(
      `${file} is an SQLite database, but not one of this collector's`,
    );
  });

  it('rolls a failed migration back and stays at the last good version', () => {
    const file = dir.file('failing.sqlite');
    const broken = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        description: 'broken',
        sql: 'CREATE TABLE half (x); SELECT * FROM missing;',
      },
    ];
    expect(() => openDatabase(file, { migrations: broken })).toThrow(/no such table: missing/);
    const { db } = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('with upgrade: false, refuses an older database instead of changing it (read-only tools)', () => {
    const file = dir.file('old-readonly.sqlite');
    openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) }).db.close();
    expect(() => openDatabase(file, { upgrade: false })).toThrow(
      `${file} has schema version 1, older than this collector's ${SCHEMA_VERSION}`,
    );
    expect(() => openDatabase(dir.file('absent.sqlite'), { create: false })).toThrow();
  });
});
