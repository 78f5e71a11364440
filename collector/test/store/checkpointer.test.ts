// The background checkpointer: a worker thread's connection copies committed WAL pages into the database
// file while the writer keeps committing, the writer keeps a higher wal_autocheckpoint as a backstop, and
// a worker that cannot run hands checkpointing back to the writer.
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  BackgroundCheckpointer,
  type CheckpointPass,
} from '../../src/store/checkpointer.ts';
import { openDatabase, WAL_AUTOCHECKPOINT_PAGES } from '../../src/store/open-database.ts';
import { fileSizes } from '../../src/store/read-stats.ts';
import { prepareTraces } from '../../src/store/rows.ts';
import { StoreWriter } from '../../src/store/writer.ts';
import { attrs, span, str, tracesRequest } from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir;
let db: Database.Database;

beforeEach(async () => {
  dir = await makeTempDir();
  db = openDatabase(dir.file('store.sqlite')).db;
});
afterEach(async () => {
  if (db.open) db.close();
  await dir.remove();
});

function writeSpans(n: number): void {
  const spans = Array.from({ length: n }, () =>
    span({ attributes: attrs({ payload: str('x'.repeat(500)) }) }),
  );
  const write = prepareTraces(tracesRequest(spans)).write;
  if (!write) throw new Error('nothing to write');
  new StoreWriter(db).write([write]);
}

function nextPass(passes: CheckpointPass[], timeoutMs = 10_000): Promise<CheckpointPass> {
  const seen = passes.length;
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const pass = passes[seen];
      if (pass) resolve(pass);
      else if (Date.now() > deadline) reject(new Error('no checkpoint pass within the timeout'));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('BackgroundCheckpointer', () => {
  it('copies committed pages into the database file while the writer goes on', async () => {
    const passes: CheckpointPass[] = [];
    const errors: Error[] = [];
    const checkpointer = new BackgroundCheckpointer(db, dir.file('store.sqlite'), {
      intervalMs: 20,
      onPass: (pass) => passes.push(pass),
      onError: (error) => errors.push(error),
    });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
    const mainBefore = fileSizes(dir.file('store.sqlite')).fileBytes;
    writeSpans(2_000);
    let pass = await nextPass(passes);
    while (pass.checkpointedPages < pass.walPages) pass = await nextPass(passes);
    expect(pass.walPages).toBeGreaterThan(100);
    expect(fileSizes(dir.file('store.sqlite')).fileBytes).toBeGreaterThan(mainBefore + 100 * 4096);
    // The writer commits beside the worker, and the next pass copies that too.
    writeSpans(500);
    const after = await nextPass(passes);
    expect(after.walPages).toBeGreaterThan(0);
    await checkpointer.stop();
    expect(errors).toEqual([]);
    expect(Number(db.prepare('SELECT count(*) FROM spans').pluck().get())).toBe(2_500);
  });

  it('hands checkpointing back to the writer when its worker cannot run', async () => {
    const errors: Error[] = [];
    const checkpointer = new BackgroundCheckpointer(db, dir.file('no-such.sqlite'), {
      onError: (error) => errors.push(error),
    });
    const deadline = Date.now() + 10_000;
    while (!errors.some((e) => /checkpoint worker stopped/.test(e.message)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(errors.map((e) => e.message).join('\n')).toMatch(/no-such\.sqlite|unable to open/i);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/the writer checkpoints itself/);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    await checkpointer.stop();
  });
});
