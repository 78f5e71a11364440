// The intake service, in process (telemetry off): files in, readings stored, each file exactly once,
// bad input quarantined or rejected with a reason, never a crash.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type IntakeOptions, type RunningIntake, startIntake } from '../src/intake/index.ts';
import { type SimulatedFile, simulateFiles, writeFileAtomic } from '../src/simulator/index.ts';
import { memoryLogger, removeTempDirs, tempDir, waitFor } from './support/helpers.ts';

afterAll(removeTempDirs);

const running: RunningIntake[] = [];
afterEach(async () => {
  for (const intake of running.splice(0)) await intake.stop();
});

const HEADER = 'timestamp,site,tag,value,unit,quality';

function northFiles(count: number, seed = 1): SimulatedFile[] {
  return [
    ...simulateFiles('2026-01-05T06:00:00Z', Date.parse('2026-01-05T06:00:00Z') + count * 300_000, {
      seed,
      clients: ['north'],
    }),
  ];
}

function setup(overrides: Partial<IntakeOptions> = {}) {
  const root = tempDir();
  const dir = join(root, 'north');
  mkdirSync(dir, { recursive: true });
  const { logger, lines } = memoryLogger();
  const options: IntakeOptions = {
    dir,
    dbPath: join(root, 'db', 'intake.sqlite'),
    client: 'north',
    scanIntervalMs: 60_000,
    logger,
    ...overrides,
  };
  const start = async (more: Partial<IntakeOptions> = {}) => {
    const intake = await startIntake({ ...options, ...more });
    running.push(intake);
    return intake;
  };
  const drop = (name: string, content: string | Buffer) => writeFileAtomicBuffer(join(dir, name), content);
  const ls = (sub = '') =>
    readdirSync(join(dir, sub))
      .filter((n) => !['processed', 'rejected'].includes(n))
      .sort();
  return { root, dir, options, lines, start, drop, ls };
}

function writeFileAtomicBuffer(path: string, content: string | Buffer): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

function count(dbPath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('intake', () => {
  it('stores the readings of each file and moves it to processed/', async () => {
    const env = setup();
    const files = northFiles(3);
    for (const f of files) env.drop(f.name, f.content);
    const intake = await env.start();
    expect(env.ls()).toEqual([]);
    expect(env.ls('processed')).toEqual(files.map((f) => f.name));
    for (const f of files) expect(readFileSync(join(env.dir, 'processed', f.name), 'utf8')).toBe(f.content);
    expect(intake.stats()).toMatchObject({
      processed: 3,
      rejected: 0,
      duplicate: 0,
      errors: 0,
      rowsStored: 315,
    });

    const db = intake.store.db;
    expect((db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n).toBe(315);
    const first = db
      .prepare(
        "SELECT r.client, r.tag, r.ts, r.value, r.quality, f.name FROM readings r JOIN files f ON f.id = r.file_id WHERE tag = 'T1.LEVEL' ORDER BY ts LIMIT 1",
      )
      .get();
    const line = (files[0] as SimulatedFile).content
      .split('\n')
      .find((l) => l.includes(',T1.LEVEL,')) as string;
    expect(first).toEqual({
      client: 'north',
      tag: 'T1.LEVEL',
      ts: Date.parse('2026-01-05T06:00:00Z'),
      value: Number(line.split(',')[3]),
      quality: 'GOOD',
      name: files[0]?.name,
    });
    expect(db.prepare('SELECT count(*) AS n FROM files WHERE moved_at IS NOT NULL').get()).toEqual({ n: 3 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('picks up a file dropped later through fs.watch, and ignores .tmp files', async () => {
    const env = setup();
    const intake = await env.start();
    const [file] = northFiles(1);
    writeFileSync(join(env.dir, 'upload.csv.tmp'), 'half a fi');
    env.drop((file as SimulatedFile).name, (file as SimulatedFile).content);
    await waitFor(() => intake.stats().processed === 1, 5_000, 'the watcher');
    expect(env.ls()).toEqual(['upload.csv.tmp']);
  });

  it('picks up files by the periodic scan alone when watching is off', async () => {
    const env = setup({ watch: false, scanIntervalMs: 100 });
    const intake = await env.start();
    for (const f of northFiles(2)) env.drop(f.name, f.content);
    await waitFor(() => intake.stats().processed === 2, 5_000, 'the scan');
  });

  it('quarantines bad rows with file, line and reason, and stores the good ones', async () => {
    const env = setup();
    env.drop(
      'north_bad.csv',
      [
        HEADER,
        '2026-01-05T06:00:00Z,north,T1.LEVEL,3.2,m,GOOD',
        '2026-01-05T06:01:00Z,north,T1.LEVEL,abc,m,GOOD',
        '2026-01-05T06:02:00Z,north,T1.LEVEL,3.3,kPa,GOOD',
        '2026-01-05T06:03:00Z,north,T1.LEVEL,3.4,m,GOOD',
        '',
      ].join('\n'),
    );
    const intake = await env.start();
    expect(intake.stats()).toMatchObject({ processed: 1, rowsStored: 2, rowsQuarantined: 2 });
    const db = intake.store.db;
    expect(
      db.prepare('SELECT file_name, line, reason, raw FROM quarantined_rows ORDER BY line').all(),
    ).toEqual([
      {
        file_name: 'north_bad.csv',
        line: 3,
        reason: 'value',
        raw: '2026-01-05T06:01:00Z,north,T1.LEVEL,abc,m,GOOD',
      },
      {
        file_name: 'north_bad.csv',
        line: 4,
        reason: 'unit',
        raw: '2026-01-05T06:02:00Z,north,T1.LEVEL,3.3,kPa,GOOD',
      },
    ]);
    expect(db.prepare('SELECT value FROM readings ORDER BY ts').all()).toEqual([
      { value: 3.2 },
      { value: 3.4 },
    ]);
    const report = readFileSync(join(env.dir, 'processed', 'north_bad.csv.quarantine.txt'), 'utf8');
    expect(report).toContain('north_bad.csv:3: value: value "abc" is not a number');
    expect(report).toContain('north_bad.csv:4: unit: unit "kPa" does not fit T1.LEVEL (expected m)');
    expect(env.lines.some((l) => l.msg === 'intake: rows quarantined' && l.file === 'north_bad.csv')).toBe(
      true,
    );
  });

  it.each([
    ['empty.csv', 'empty', ''],
    ['photo.csv', 'binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48])],
    ['letter.txt', 'header', 'Hello,\nhere are the data you asked for.\n'],
    ['header-only.csv', 'no-valid-row', `${HEADER}\n`],
    ['all-bad.csv', 'no-valid-row', `${HEADER}\nyesterday,north,T1.LEVEL,3,m,GOOD\n`],
  ])('rejects %s with a reason beside it (%s), storing nothing', async (name, reason, content) => {
    const env = setup();
    env.drop(name, content);
    const intake = await env.start();
    expect(env.ls()).toEqual([]);
    expect(readdirSync(join(env.dir, 'rejected')).sort()).toEqual([name, `${name}.reason.txt`]);
    const why = readFileSync(join(env.dir, 'rejected', `${name}.reason.txt`), 'utf8');
    expect(why).toContain(`file: ${name}`);
    expect(why).toContain(`reason: ${reason}`);
    if (name === 'all-bad.csv') expect(why).toContain('all-bad.csv:2: timestamp:');
    expect(intake.stats()).toMatchObject({ processed: 0, rejected: 1, rowsStored: 0 });
    expect(intake.store.db.prepare('SELECT count(*) AS n FROM readings').get()).toEqual({ n: 0 });
    expect(intake.store.db.prepare('SELECT status, reason FROM files').get()).toEqual({
      status: 'rejected',
      reason,
    });
  });

  it('stores a file dropped twice once; the copy goes to rejected/ as a duplicate', async () => {
    const env = setup();
    const intake = await env.start();
    const [file] = northFiles(1) as [SimulatedFile];
    env.drop(file.name, file.content);
    await intake.scanNow();
    env.drop(file.name, file.content); // the same upload again
    await intake.scanNow();
    env.drop('renamed-copy.csv', file.content); // same content, another name
    await intake.scanNow();
    expect(intake.stats()).toMatchObject({ processed: 1, duplicate: 2, rowsStored: 105 });
    expect(intake.store.db.prepare('SELECT count(*) AS n FROM readings').get()).toEqual({ n: 105 });
    expect(intake.store.db.prepare('SELECT count(*) AS n FROM files').get()).toEqual({ n: 1 });
    expect(env.ls('processed')).toEqual([file.name]);
    const rejected = readdirSync(join(env.dir, 'rejected')).sort();
    expect(rejected).toHaveLength(4);
    const reasons = rejected
      .filter((n) => n.endsWith('.reason.txt'))
      .map((n) => readFileSync(join(env.dir, 'rejected', n), 'utf8'));
    for (const why of reasons)
      expect(why).toMatch(new RegExp(`reason: duplicate\\nsame content .* as ${file.name}`));
  });

  it('takes a corrected file of the same name as a new file', async () => {
    const env = setup();
    const intake = await env.start();
    const [file] = northFiles(1) as [SimulatedFile];
    env.drop(file.name, file.content);
    await intake.scanNow();
    env.drop(file.name, file.content.replace(',GOOD\n', ',UNCERTAIN\n'));
    await intake.scanNow();
    expect(intake.stats()).toMatchObject({ processed: 2, duplicate: 0 });
    expect(env.ls('processed')).toHaveLength(2);
  });

  it('survives a file removed while read, and goes on with the next', async () => {
    const env = setup({
      hooks: {
        beforeRead: (path) => {
          if (path.endsWith('a-vanishing.csv')) unlinkSync(path);
        },
      },
    });
    env.drop('a-vanishing.csv', `${HEADER}\n`);
    const [file] = northFiles(1) as [SimulatedFile];
    env.drop(file.name, file.content);
    const intake = await env.start();
    expect(intake.stats()).toMatchObject({ processed: 1, errors: 1 });
    expect(env.lines.find((l) => l.file === 'a-vanishing.csv')).toMatchObject({
      reason: 'vanished',
      level: 40,
    });
  });

  it('retries an unreadable file, then sets it aside in rejected/ with the reason', async () => {
    let attempts = 0;
    const env = setup({
      maxAttempts: 3,
      hooks: {
        beforeRead: (path) => {
          if (!path.endsWith('locked.csv')) return;
          attempts++;
          throw Object.assign(new Error("EACCES: permission denied, open 'locked.csv'"), { code: 'EACCES' });
        },
      },
    });
    env.drop('locked.csv', `${HEADER}\n`);
    const intake = await env.start();
    expect(env.ls()).toEqual(['locked.csv']);
    await intake.scanNow();
    await intake.scanNow();
    expect(attempts).toBe(3);
    expect(env.ls()).toEqual([]);
    expect(readFileSync(join(env.dir, 'rejected', 'locked.csv.reason.txt'), 'utf8')).toContain(
      'reason: unreadable',
    );
    expect(intake.stats()).toMatchObject({ errors: 3, rejected: 1 });
  });

  it('keeps going when its folder disappears, and takes files again once it is back', async () => {
    const env = setup({ scanIntervalMs: 50 });
    const intake = await env.start();
    const { rmSync } = await import('node:fs');
    rmSync(env.dir, { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    mkdirSync(env.dir);
    const [file] = northFiles(1) as [SimulatedFile];
    writeFileAtomic(join(env.dir, file.name), file.content);
    await waitFor(() => intake.stats().processed === 1, 5_000, 'the file after the folder came back');
    expect(env.lines.some((l) => l.msg === 'intake: cannot list the folder')).toBe(true);
    expect(env.ls('processed')).toEqual([file.name]);
    expect(env.lines.some((l) => l.msg === 'intake: the folder is back')).toBe(true);
  });
});

describe('intake exactly once across a crash', () => {
  async function crashAt(point: 'in-transaction' | 'after-commit') {
    const env = setup();
    const [file] = northFiles(1) as [SimulatedFile];
    env.drop(file.name, file.content);
    const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'crashing-intake.ts')], {
      env: {
        ...process.env,
        CRASH_AT: point,
        INTAKE_DIR: env.dir,
        INTAKE_DB: env.options.dbPath,
        OTEL_SDK_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }, output).toEqual({ code: null, signal: 'SIGKILL' });
    return { env, file };
  }

  it('killed after storing, before the move: the restart only moves the file', async () => {
    const { env, file } = await crashAt('after-commit');
    const db = env.options.dbPath;
    expect(env.ls()).toEqual([file.name]); // not moved
    expect(count(db, 'SELECT count(*) AS n FROM readings')).toBe(105);
    expect(count(db, 'SELECT count(*) AS n FROM files WHERE moved_at IS NULL')).toBe(1);

    const intake = await env.start();
    expect(env.ls()).toEqual([]);
    expect(env.ls('processed')).toEqual([file.name]);
    expect(count(db, 'SELECT count(*) AS n FROM readings')).toBe(105);
    expect(count(db, 'SELECT count(*) AS n FROM files WHERE moved_at IS NOT NULL')).toBe(1);
    expect(intake.stats()).toMatchObject({ processed: 1, duplicate: 0, errors: 0 });
    expect(env.lines.some((l) => l.msg === 'intake: file already stored; finishing its move')).toBe(true);
  });

  it('killed inside the transaction: nothing was stored, the restart stores it once', async () => {
    const { env, file } = await crashAt('in-transaction');
    const db = env.options.dbPath;
    expect(env.ls()).toEqual([file.name]);
    expect(count(db, 'SELECT count(*) AS n FROM readings')).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM files')).toBe(0);

    const intake = await env.start();
    expect(env.ls('processed')).toEqual([file.name]);
    expect(count(db, 'SELECT count(*) AS n FROM readings')).toBe(105);
    expect(intake.stats()).toMatchObject({ processed: 1, rowsStored: 105 });
  });

  it('a move done but not confirmed is confirmed at start, and a later copy is a duplicate', async () => {
    const { env, file } = await crashAt('after-commit');
    // Simulate a crash between the rename and the confirmation: the file is already in processed/.
    renameSync(join(env.dir, file.name), join(env.dir, 'processed', file.name));
    env.drop(file.name, file.content);
    const intake = await env.start();
    expect(count(env.options.dbPath, 'SELECT count(*) AS n FROM files WHERE moved_at IS NULL')).toBe(0);
    expect(intake.stats()).toMatchObject({ duplicate: 1 });
    expect(count(env.options.dbPath, 'SELECT count(*) AS n FROM readings')).toBe(105);
    expect(existsSync(join(env.dir, 'processed', file.name))).toBe(true);
  });
});
