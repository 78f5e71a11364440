// Retention by age and by size: what is deleted (old records with their events and links, resources no
// record uses), what is kept, and that ingest commits run between its chunks rather than after it.
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Span } from '../../src/receiver/decoded-types.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { fileSizes, pageUsage } from '../../src/store/read-stats.ts';
import { Retention } from '../../src/store/retention.ts';
import { prepareLogs, prepareTraces } from '../../src/store/rows.ts';
import { StoreWriter } from '../../src/store/writer.ts';
import {
  attrs,
  logRecord,
  logsRequest,
  randomSpanId,
  span,
  str,
  tracesRequest,
} from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const NOW_MS = 1_800_000_000_000;
const DAY_NS = 86_400_000_000_000n;
const nowNs = BigInt(NOW_MS) * 1_000_000n;

let dir: TempDir;
let db: Database.Database;
let writer: StoreWriter;

beforeEach(async () => {
  dir = await makeTempDir();
  db = openDatabase(dir.file('retention.sqlite')).db;
  writer = new StoreWriter(db);
});
afterEach(async () => {
  db.close();
  await dir.remove();
});

const count = (table: string, where = '') =>
  Number(db.prepare(`SELECT count(*) FROM ${table} ${where}`).pluck().get());

function writeSpans(n: number, startNs: bigint, service: string, extra: Partial<Span> = {}): void {
  const spans = Array.from({ length: n }, (_, i) =>
    span({
      startTimeUnixNano: startNs + BigInt(i),
      endTimeUnixNano: startNs + BigInt(i) + 1000n,
      attributes: attrs({ payload: str('x'.repeat(200)) }),
      ...extra,
    }),
  );
  const write = prepareTraces(tracesRequest(spans, { service })).write;
  if (write) writer.write([write]);
}

function writeLogs(n: number, timeNs: bigint, service: string): void {
  const records = Array.from({ length: n }, (_, i) => logRecord({ timeUnixNano: timeNs + BigInt(i) }));
  const write = prepareLogs(logsRequest(records, { service })).write;
  if (write) writer.write([write]);
}

describe('retention by age', () => {
  it('deletes records older than the limit with their events and links, and resources left unused', async () => {
    const withChildren: Partial<Span> = {
      events: [{ timeUnixNano: 1n, name: 'e', attributes: [], droppedAttributesCount: 0 }],
      links: [
        {
          traceId: 'ab'.repeat(16),
          spanId: randomSpanId(),
          traceState: '',
          attributes: [],
          droppedAttributesCount: 0,
          flags: 0,
        },
      ],
    };
    writeSpans(2_500, nowNs - 3n * DAY_NS, 'old-only', withChildren);
    writeSpans(300, nowNs - DAY_NS / 2n, 'recent', withChildren);
    writeLogs(1_200, nowNs - 2n * DAY_NS, 'old-only');
    writeLogs(100, nowNs - 1000n, 'recent');
    const onResourcesDeleted = vi.fn();
    const retention = new Retention(db, {
      maxAgeMs: 86_400_000,
      chunkRows: 400,
      now: () => NOW_MS,
      onResourcesDeleted,
    });

    const pass = await retention.runPass();
    expect(pass).toMatchObject({ spans: 2_500, logRecords: 1_200, resources: 1 });
    expect(count('spans')).toBe(300);
    expect(count('span_events')).toBe(300);
    expect(count('span_links')).toBe(300);
    expect(count('log_records')).toBe(100);
    expect(count('spans', `WHERE start_ns < ${nowNs - DAY_NS}`)).toBe(0);
    // The trace index lost the entries of the deleted spans (each span here is a trace of its own).
    expect(count('trace_groups')).toBe(300);
    expect(count('trace_groups', 'WHERE last_row < (SELECT min(id) FROM spans)')).toBe(0);
    expect(db.prepare('SELECT service_name FROM resources').pluck().all()).toEqual(['recent']);
    expect(onResourcesDeleted).toHaveBeenCalledTimes(1);
    // The freed pages went back to the file system.
    expect(pass.releasedPages).toBeGreaterThan(0);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);

    expect(await retention.runPass()).toMatchObject({ spans: 0, logRecords: 0, resources: 0 });
  });

  it('deletes in small transactions: ingest commits run between the chunks', async () => {
    writeSpans(4_000, nowNs - 3n * DAY_NS, 'old');
    const retention = new Retention(db, { maxAgeMs: 86_400_000, chunkRows: 250, now: () => NOW_MS });
    let commitsDuringPass = 0;
    let passDone = false;
    const ingest = () => {
      if (passDone) return;
      writeSpans(10, nowNs, 'live');
      commitsDuringPass++;
      setImmediate(ingest);
    };
    setImmediate(ingest);
    await retention.runPass();
    passDone = true;
    expect(count('spans', `WHERE start_ns < ${nowNs}`)).toBe(0);
    expect(commitsDuringPass).toBeGreaterThanOrEqual(16); // 4000 / 250 chunks, a commit after each
    expect(count('spans')).toBe(commitsDuringPass * 10);
  });
});

describe('retention by size', () => {
  it('deletes the oldest records, spans and logs alike, until the data fits, and shrinks the file', async () => {
    for (let day = 10; day >= 1; day--) {
      writeSpans(1_000, nowNs - BigInt(day) * DAY_NS, 'api');
      writeLogs(500, nowNs - BigInt(day) * DAY_NS + 1n, 'api');
    }
    const full = pageUsage(db).usedBytes;
    const limit = Math.floor(full / 2);
    const retention = new Retention(db, { maxBytes: limit, chunkRows: 500 });

    const pass = await retention.runPass();
    expect(pageUsage(db).usedBytes).toBeLessThanOrEqual(limit);
    expect(pass.spans).toBeGreaterThan(3_000);
    expect(pass.logRecords).toBeGreaterThan(1_500);
    // Oldest first: what is left is the most recent days, in both tables.
    expect(count('spans', `WHERE start_ns >= ${nowNs - DAY_NS}`)).toBe(1_000);
    expect(count('log_records', `WHERE timestamp_ns >= ${nowNs - DAY_NS}`)).toBe(500);
    const oldestSpan = db
      .prepare('SELECT min(start_ns) FROM spans')
      .pluck()
      .safeIntegers(true)
      .get() as bigint;
    const oldestLog = db
      .prepare('SELECT min(timestamp_ns) FROM log_records')
      .pluck()
      .safeIntegers(true)
      .get() as bigint;
    expect(oldestSpan > nowNs - 10n * DAY_NS).toBe(true);
    expect(oldestLog > nowNs - 10n * DAY_NS).toBe(true);

    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fileSizes(dir.file('retention.sqlite')).fileBytes).toBeLessThanOrEqual(limit + 64 * 1024);
  });

  it('does nothing when neither limit is set', async () => {
    writeSpans(10, 0n, 'api');
    const retention = new Retention(db, {});
    expect(retention.enabled).toBe(false);
    retention.start(); // no timer
    await retention.stop();
    expect(count('spans')).toBe(10);
  });
});
