// The writer and the readers over a real database file: what is written reads back exactly, resources
// and scopes are stored once, retried spans are stored once, tenants are kept apart, and a failed
// transaction leaves nothing behind (not even a remembered resource id).

import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedLogs, DecodedTraces } from '../../src/receiver/decoded-types.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { readLogRecords } from '../../src/store/read-logs.ts';
import { readStoreStats } from '../../src/store/read-stats.ts';
import { readTrace } from '../../src/store/read-traces.ts';
import { type PreparedWrite, prepareLogs, prepareTraces } from '../../src/store/rows.ts';
import { SCHEMA_VERSION } from '../../src/store/schema.ts';
import { SPANS_OF_TRACE } from '../../src/store/trace-groups.ts';
import { StoreWriter } from '../../src/store/writer.ts';
import {
  attrs,
  EVERY_ANY_VALUE,
  logRecord,
  logsRequest,
  randomSpanId,
  randomTraceId,
  span,
  str,
  tracesRequest,
} from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir;
let db: Database.Database;
let writer: StoreWriter;

beforeAll(async () => {
  dir = await makeTempDir();
  db = openDatabase(dir.file('store.sqlite')).db;
  writer = new StoreWriter(db);
});
afterAll(async () => {
  db.close();
  await dir.remove();
});

function prepared(request: DecodedTraces | DecodedLogs): PreparedWrite {
  const { write } = request.signal === 'traces' ? prepareTraces(request) : prepareLogs(request);
  if (!write) throw new Error('nothing to write');
  return write;
}

const count = (table: string) => Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());

describe('the store', () => {
  it('reads a trace back exactly: ids, times, kinds, status, every attribute type, events, links', () => {
    const traceId = randomTraceId();
    const root = span({
      traceId,
      traceState: 'dss=1',
      flags: 257,
      attributes: EVERY_ANY_VALUE,
      droppedAttributesCount: 2,
      droppedEventsCount: 3,
      droppedLinksCount: 4,
      startTimeUnixNano: 1_700_000_000_123_456_789n,
      endTimeUnixNano: 9_223_372_036_854_775_807n,
    });
    const child = span({
      traceId,
      parentSpanId: root.spanId,
      name: 'SELECT tanks',
      kind: 3,
      startTimeUnixNano: 1_700_000_000_200_000_000n,
      status: { code: 2, message: 'deadlock' },
      events: [
        {
          timeUnixNano: 1_700_000_000_210_000_000n,
          name: 'retry',
          attributes: EVERY_ANY_VALUE,
          droppedAttributesCount: 1,
        },
        {
          timeUnixNano: 1_700_000_000_220_000_000n,
          name: 'gave up',
          attributes: [],
          droppedAttributesCount: 0,
        },
      ],
      links: [
        {
          traceId: randomTraceId(),
          spanId: randomSpanId(),
          traceState: 'k=v',
          attributes: attrs({ 'link.kind': str('follows') }),
          droppedAttributesCount: 5,
          flags: 1,
        },
      ],
    });
    const request = tracesRequest([root, child], { tenant: 'aveiro', service: 'backend-api' });
    for (const resourceSpans of request.resourceSpans) {
      resourceSpans.schemaUrl = 'https://opentelemetry.io/schemas/1.30.0';
      for (const scopeSpans of resourceSpans.scopeSpans) {
        scopeSpans.scope.attributes = attrs({ 'scope.attr': { type: 'bool', value: true } });
      }
    }
    const outcome = writer.write([prepared(request)]);
    expect(outcome).toMatchObject({ spans: 2, duplicateSpans: 0, logRecords: 0, samples: 0 });

    expect(readTrace(db, traceId)).toEqual(request.resourceSpans);
    expect(readTrace(db, traceId.toUpperCase())).toEqual(request.resourceSpans);
    expect(readTrace(db, randomTraceId())).toEqual([]);
    expect(readTrace(db, 'not-an-id')).toEqual([]);
  });

  it('stores each resource and scope once, however many requests carry them', () => {
    const before = { resources: count('resources'), scopes: count('scopes') };
    writer.write([prepared(tracesRequest([span()], { tenant: 'braga' }))]);
    const batch = Array.from({ length: 5 }, () =>
      prepared(tracesRequest([span(), span()], { tenant: 'braga' })),
    );
    writer.write(batch);
    expect(count('resources')).toBe(before.resources + 1);
    expect(count('scopes')).toBe(before.scopes + 1);
    const [resource] = db
      .prepare("SELECT tenant, service_name FROM resources WHERE tenant = 'braga'")
      .all() as { tenant: string; service_name: string }[];
    expect(resource).toEqual({ tenant: 'braga', service_name: 'backend-api' });
  });

  it('stores a span sent twice (a retried export) once', () => {
    const retried = span();
    writer.write([prepared(tracesRequest([retried]))]);
    const again = writer.write([prepared(tracesRequest([retried, span({ traceId: retried.traceId })]))]);
    expect(again).toMatchObject({ spans: 1, duplicateSpans: 1, logRecords: 0, samples: 0 });
    expect(readTrace(db, retried.traceId)[0]?.scopeSpans[0]?.spans).toHaveLength(2);
  });

  it('stores many spans by multi-row inserts in order, each event and link with its own span, retries once', () => {
    // 150 spans: chunks of 64, 64, 16, 4, 2; every third span has an event and every fifth a link, so
    // row ids must be right across chunks; then a retry with every other span already stored.
    const traceId = randomTraceId();
    const spans = Array.from({ length: 150 }, (_, i) =>
      span({
        traceId,
        name: `span ${i}`,
        startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i % 7),
        events:
          i % 3 === 0
            ? [
                {
                  timeUnixNano: 1_700_000_000_000_000_001n,
                  name: `event of ${i}`,
                  attributes: [],
                  droppedAttributesCount: 0,
                },
              ]
            : [],
        links:
          i % 5 === 0
            ? [
                {
                  traceId: randomTraceId(),
                  spanId: randomSpanId(),
                  traceState: `link of ${i}`,
                  attributes: [],
                  droppedAttributesCount: 0,
                  flags: 0,
                },
              ]
            : [],
      }),
    );
    const half = spans.filter((_, i) => i % 2 === 0);
    const first = writer.write([prepared(tracesRequest(half))]);
    expect(first).toMatchObject({ spans: 75, duplicateSpans: 0 });
    const retry = writer.write([prepared(tracesRequest(spans))]);
    expect(retry).toMatchObject({ spans: 75, duplicateSpans: 75 });
    const stored = readTrace(db, traceId)[0]?.scopeSpans[0]?.spans ?? [];
    expect(stored).toHaveLength(150);
    const byName = new Map(stored.map((s) => [s.name, s]));
    spans.forEach((sent) => {
      const got = byName.get(sent.name);
      expect(got?.events).toEqual(sent.events);
      expect(got?.links).toEqual(sent.links);
    });
    // Same start times come back in the order they were stored.
    const order = stored.filter((s) => s.startTimeUnixNano === 1_700_000_000_000_000_000n).map((s) => s.name);
    expect(order).toEqual(
      [...half, ...spans.filter((_, i) => i % 2 === 1)]
        .filter((s) => s.startTimeUnixNano === 1_700_000_000_000_000_000n)
        .map((s) => s.name),
    );
  });

  it('stores the interleaved spans of several traces as one run per trace, each trace read back whole', () => {
    const traces = Array.from({ length: 3 }, () => span().traceId);
    // Spans in the order an SDK's batch sends them: by end time, the traces mixed.
    const spans = Array.from({ length: 12 }, (_, i) =>
      span({
        traceId: traces[i % 3] as string,
        name: `span ${i}`,
        startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
      }),
    );
    const groupsBefore = Number(db.prepare('SELECT count(*) FROM trace_groups').pluck().get());
    expect(writer.write([prepared(tracesRequest(spans))])).toMatchObject({ spans: 12, duplicateSpans: 0 });
    expect(Number(db.prepare('SELECT count(*) FROM trace_groups').pluck().get()) - groupsBefore).toBe(3);
    traces.forEach((traceId, t) => {
      const names = readTrace(db, traceId)[0]?.scopeSpans[0]?.spans.map((s) => s.name);
      expect(names).toEqual(spans.filter((_, i) => i % 3 === t).map((s) => s.name));
    });
    // A later export of the same traces adds a run each; a retried span of one of them is stored once.
    const later = span({
      traceId: traces[1] as string,
      name: 'later',
      startTimeUnixNano: 1_700_000_000_000_000_100n,
    });
    expect(writer.write([prepared(tracesRequest([later, spans[4] as typeof later]))])).toMatchObject({
      spans: 1,
      duplicateSpans: 1,
    });
    expect(readTrace(db, traces[1] as string)[0]?.scopeSpans[0]?.spans.map((s) => s.name)).toEqual([
      'span 1',
      'span 4',
      'span 7',
      'span 10',
      'later',
    ]);
  });

  it('reads a trace through its groups and their row ids, also with a tenant filter', () => {
    // The plan must not depend on the data: left to itself SQLite walked every span of the tenant instead.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT s.* FROM ${SPANS_OF_TRACE}
         WHERE g.trace_id = ? AND resource_id IN (SELECT id FROM resources WHERE tenant = ?)`,
      )
      .all(Buffer.alloc(16), 'aveiro') as { detail: string }[];
    const details = plan.map((row) => row.detail).join('\n');
    expect(details).toContain('SEARCH g USING PRIMARY KEY (trace_id=?)');
    expect(details).toContain('SEARCH s USING INTEGER PRIMARY KEY');
    expect(details).not.toContain('spans_by_resource_time');
  });

  it('keeps the first of a span given twice in one request, with its own events and links only', () => {
    const event = (name: string) => ({
      timeUnixNano: 1_700_000_000_000_000_001n,
      name,
      attributes: [],
      droppedAttributesCount: 0,
    });
    const plain = span({ name: 'first, no events' });
    const withEvents = span({ name: 'first, with events', events: [event('kept')] });
    const others = Array.from({ length: 6 }, () => span({ events: [event('other')] }));
    const request = tracesRequest([
      plain,
      ...others.slice(0, 3),
      { ...plain, name: 'again', events: [event('dropped')] },
      withEvents,
      { ...withEvents, name: 'again', events: [event('dropped'), event('dropped')] },
      ...others.slice(3),
    ]);
    expect(writer.write([prepared(request)])).toMatchObject({ spans: 8, duplicateSpans: 2 });
    expect(readTrace(db, plain.traceId)[0]?.scopeSpans[0]?.spans).toEqual([plain]);
    expect(readTrace(db, withEvents.traceId)[0]?.scopeSpans[0]?.spans).toEqual([withEvents]);
    for (const other of others) {
      expect(readTrace(db, other.traceId)[0]?.scopeSpans[0]?.spans).toEqual([other]);
    }
  });

  it('keeps tenants apart: a trace read for one tenant never includes another tenant’s spans', () => {
    const traceId = randomTraceId();
    writer.write([
      prepared(tracesRequest([span({ traceId, name: 'in porto' })], { tenant: 'porto' })),
      prepared(tracesRequest([span({ traceId, name: 'in faro' })], { tenant: 'faro' })),
      prepared(tracesRequest([span({ traceId, name: 'no tenant' })])),
    ]);
    const names = (tenant?: string) =>
      readTrace(db, traceId, { tenant }).flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)),
      );
    expect(names('porto')).toEqual(['in porto']);
    expect(names('faro')).toEqual(['in faro']);
    expect(names('')).toEqual(['no tenant']);
    expect(names('lisboa')).toEqual([]);
    expect(names(undefined).sort()).toEqual(['in faro', 'in porto', 'no tenant']);
  });

  it('reads log records by time range, newest first, with bodies of every type and trace context', () => {
    const traceId = randomTraceId();
    const spanId = randomSpanId();
    const records = EVERY_ANY_VALUE.map(({ value }, i) =>
      logRecord({
        timeUnixNano: 1_800_000_000_000_000_000n + BigInt(i),
        body: value,
        attributes: EVERY_ANY_VALUE,
        traceId,
        spanId,
        flags: 1,
        eventName: `event ${i}`,
        severityNumber: 17,
        severityText: 'ERROR',
      }),
    );
    const noTime = logRecord({ timeUnixNano: 0n, observedTimeUnixNano: 1_800_000_000_000_000_500n });
    writer.write([prepared(logsRequest([...records, noTime], { tenant: 'aveiro', service: 'workers' }))]);

    const read = readLogRecords(db, {
      startNs: 1_800_000_000_000_000_000n,
      endNs: 1_800_000_000_000_001_000n,
      tenant: 'aveiro',
    });
    expect(read.map((r) => r.logRecord)).toEqual([noTime, ...[...records].reverse()]);
    expect(read[0]).toMatchObject({ tenant: 'aveiro', serviceName: 'workers', scope: { name: 'dss-test' } });
    const forward = readLogRecords(db, {
      startNs: 1_800_000_000_000_000_000n,
      endNs: 1_800_000_000_000_000_002n,
      direction: 'forward',
      limit: 5,
    });
    expect(forward.map((r) => r.logRecord)).toEqual(records.slice(0, 2));
    expect(
      readLogRecords(db, {
        startNs: 1_800_000_000_000_000_000n,
        endNs: 1_900_000_000_000_000_000n,
        tenant: 'faro',
      }),
    ).toEqual([]);
  });

  it('writes nothing of a batch whose transaction fails, and forgets the resource ids it learnt', () => {
    const before = { spans: count('spans'), resources: count('resources') };
    db.exec(`CREATE TEMP TRIGGER poison BEFORE INSERT ON spans WHEN NEW.name = 'poison'
             BEGIN SELECT RAISE(ABORT, 'poisoned span'); END`);
    const goodSpan = span({ name: 'good' });
    const good = prepared(tracesRequest([goodSpan], { tenant: 'new-tenant' }));
    const bad = prepared(tracesRequest([span({ name: 'poison' })]));
    expect(() => writer.write([good, bad])).toThrow('poisoned span');
    db.exec('DROP TRIGGER poison');
    expect({ spans: count('spans'), resources: count('resources') }).toEqual(before);

    // The resource row rolled back with the batch: writing it again must insert it again.
    writer.write([good]);
    expect(count('resources')).toBe(before.resources + 1);
    expect(readTrace(db, goodSpan.traceId)).toHaveLength(1);
  });

  it('rejects records with times a 64-bit integer cannot hold, keeping the rest', () => {
    const late = span({ endTimeUnixNano: 2n ** 64n - 1n });
    const preparation = prepareTraces(tracesRequest([late, span()]));
    expect(preparation.rejected).toBe(1);
    expect(preparation.message).toMatch(
      /the store rejected 1 spans: span [0-9a-f]{16} of trace [0-9a-f]{32}: start or end time after the year 2262/,
    );
    expect(preparation.write?.records).toBe(1);
    const logs = prepareLogs(logsRequest([logRecord({ observedTimeUnixNano: 2n ** 63n })]));
    expect(logs.rejected).toBe(1);
    expect(logs.write).toBeUndefined();
  });

  it('reports rows, time ranges and tenants', () => {
    const stats = readStoreStats(db, dir.file('store.sqlite'));
    expect(stats.schemaVersion).toBe(SCHEMA_VERSION);
    expect(stats.tables.spans?.rows).toBe(count('spans'));
    expect(stats.tables.spans?.fromNs).toBe(1_700_000_000_000_000_000n);
    expect(stats.tables.log_records?.toNs).toBe(1_800_000_000_000_000_500n);
    expect(stats.tenants.map((t) => t.tenant)).toEqual([
      '',
      'aveiro',
      'braga',
      'faro',
      'new-tenant',
      'porto',
    ]);
    expect(stats.tenants.find((t) => t.tenant === 'braga')).toEqual({
      tenant: 'braga',
      services: ['backend-api'],
      spans: 11,
      logRecords: 0,
    });
    expect(stats.fileBytes + stats.walBytes).toBeGreaterThan(0);
  });
});
