// The store sink on a real database: batching, acknowledgement after commit, the queue limit, commit
// failures (one bad request, a locked database), metrics requests, shutdown, and its self-metrics.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/ingest/store-sink.ts';
import type { DecodedMetrics } from '../../src/receiver/decoded-types.ts';
import { SinkOverloadedError } from '../../src/receiver/sink.ts';
import { type CollectorMetrics, createCollectorMetrics } from '../../src/self-metrics/collector-metrics.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import type { PreparedWrite } from '../../src/store/rows.ts';
import { StoreWriter } from '../../src/store/writer.ts';
import { logRecord, logsRequest, span, traceBatch, tracesRequest } from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir;
let db: Database.Database;
let metrics: CollectorMetrics;
/** Every batch the writer was given, as request counts. */
let batches: number[];

function makeSink(queueLimitBytes: number, writer = new StoreWriter(db)): StoreSink {
  return new StoreSink({
    writer: {
      write(batch: readonly PreparedWrite[]) {
        batches.push(batch.length);
        return writer.write(batch);
      },
    },
    queueLimitBytes,
    metrics,
  });
}

beforeEach(async () => {
  dir = await makeTempDir();
  db = openDatabase(dir.file('sink.sqlite'), { busyTimeoutMs: 50 }).db;
  metrics = createCollectorMetrics({ processMetrics: false });
  batches = [];
});
afterEach(async () => {
  db.close();
  await dir.remove();
});

const spanCount = () => Number(db.prepare('SELECT count(*) FROM spans').pluck().get());
const metricValue = async (name: string, labels: Record<string, string> = {}) => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
  );
  return value?.value ?? 0;
};

describe('StoreSink', () => {
  it('commits requests that arrive together in one transaction and acknowledges each after the commit', async () => {
    const sink = makeSink(64 * 1024 * 1024);
    const seenAtAck: number[] = [];
    const acks = Array.from({ length: 5 }, (_, i) =>
      sink.consume(traceBatch(10 + i)).then((result) => {
        seenAtAck.push(spanCount());
        return result;
      }),
    );
    expect(spanCount()).toBe(0); // nothing is written before the batch runs
    expect(sink.queuedBytes).toBeGreaterThan(0);
    expect(await Promise.all(acks)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(batches).toEqual([5]);
    expect(seenAtAck).toEqual([60, 60, 60, 60, 60]); // every acknowledgement saw all 60 spans stored
    expect(sink.queuedBytes).toBe(0);
    expect(await metricValue('dss_collector_records_accepted_total', { signal: 'traces' })).toBe(60);
    expect(await metricValue('dss_collector_queue_bytes')).toBe(0);
  });

  it('admits a request before it is decoded only while the queue has room', async () => {
    const sink = makeSink(1);
    expect(() => sink.admit('traces')).not.toThrow(); // empty: room for one
    const first = sink.consume(traceBatch(10)); // queued until the next turn's commit
    expect(() => sink.admit('traces')).toThrow(SinkOverloadedError);
    expect(() => sink.admit('logs')).toThrow(/queue is full/);
    expect(
      await metricValue('dss_collector_requests_refused_total', { signal: 'traces', reason: 'overloaded' }),
    ).toBe(1);
    expect(
      await metricValue('dss_collector_requests_refused_total', { signal: 'logs', reason: 'overloaded' }),
    ).toBe(1);
    await first;
    expect(() => sink.admit('traces')).not.toThrow(); // committed: room again
  });

  it('refuses with a retry hint past the queue limit, and never holds more than the limit', async () => {
    const one = traceBatch(100);
    const sink = makeSink(1); // any request fills it
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => sink.consume(traceBatch(100))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    const refusal = (results[1] as PromiseRejectedResult).reason;
    expect(refusal).toBeInstanceOf(SinkOverloadedError);
    expect(refusal).toMatchObject({ retryAfterSeconds: 1, message: expect.stringMatching(/queue is full/) });
    expect(
      await metricValue('dss_collector_records_refused_total', { signal: 'traces', reason: 'overloaded' }),
    ).toBe(300);
    // A request bigger than the whole limit still gets in when nothing else waits.
    await sink.consume(one);
    expect(spanCount()).toBe(200);

    const bounded = makeSink(200_000);
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, () => bounded.consume(traceBatch(100))),
    );
    const accepted = settled.filter((r) => r.status === 'fulfilled').length;
    expect(accepted).toBeGreaterThan(1);
    expect(accepted).toBeLessThan(20);
    expect(bounded.peakQueuedBytes).toBeLessThanOrEqual(200_000);
    expect(spanCount()).toBe(200 + accepted * 100);
  });

  it('fails only the request whose rows the database refuses, not the others of its batch', async () => {
    db.exec(`CREATE TEMP TRIGGER poison BEFORE INSERT ON spans WHEN NEW.name = 'poison'
             BEGIN SELECT RAISE(ABORT, 'poisoned span'); END`);
    const sink = makeSink(64 * 1024 * 1024);
    const results = await Promise.allSettled([
      sink.consume(tracesRequest([span({ name: 'before' })])),
      sink.consume(tracesRequest([span({ name: 'poison' }), span({ name: 'innocent bystander' })])),
      sink.consume(logsRequest([logRecord()])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER' });
    expect(db.prepare('SELECT name FROM spans').pluck().all()).toEqual(['before']);
    expect(batches).toEqual([3, 1, 1, 1]); // the batch, then each request alone
    expect(
      await metricValue('dss_collector_records_refused_total', { signal: 'traces', reason: 'store_error' }),
    ).toBe(2);
    // And it keeps going.
    await sink.consume(tracesRequest([span({ name: 'after' })]));
    expect(spanCount()).toBe(2);
  });

  it('asks clients to retry when another connection holds the write lock', async () => {
    const other = new Database(dir.file('sink.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    const sink = makeSink(64 * 1024 * 1024);
    const refused = sink.consume(traceBatch(3));
    await expect(refused).rejects.toBeInstanceOf(SinkOverloadedError);
    await expect(refused).rejects.toThrow(/the store is busy \(SQLITE_BUSY\)/);
    other.exec('ROLLBACK');
    other.close();
    await sink.consume(traceBatch(3));
    expect(spanCount()).toBe(3);
  });

  it('answers metrics with a partial success: received, not stored yet', async () => {
    const sink = makeSink(1024);
    const request: DecodedMetrics = {
      signal: 'metrics',
      resourceMetrics: [
        {
          resource: { attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          scopeMetrics: [
            {
              scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
              schemaUrl: '',
              metrics: [
                {
                  type: 'gauge',
                  name: 'dss.tank.level',
                  description: '',
                  unit: 'm',
                  metadata: [],
                  dataPoints: [1, 2].map((value) => ({
                    attributes: [],
                    startTimeUnixNano: 0n,
                    timeUnixNano: 1n,
                    flags: 0,
                    value,
                    exemplars: [],
                  })),
                },
              ],
            },
          ],
        },
      ],
    };
    expect(await sink.consume(request)).toEqual({
      rejected: 2,
      message: expect.stringMatching(/does not store metrics/),
    });
    expect(
      await metricValue('dss_collector_records_refused_total', { signal: 'metrics', reason: 'not_stored' }),
    ).toBe(2);
  });

  it('on close, commits what it accepted and refuses what comes after (retryable)', async () => {
    const sink = makeSink(64 * 1024 * 1024);
    const accepted = sink.consume(traceBatch(7));
    const closed = sink.close();
    await expect(sink.consume(traceBatch(1))).rejects.toThrow(/shutting down/);
    await closed;
    await accepted;
    expect(spanCount()).toBe(7);
  });

  it('records commit latency', async () => {
    const sink = makeSink(64 * 1024 * 1024);
    await sink.consume(traceBatch(5));
    await sink.consume(traceBatch(5));
    const histogram = (await metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'dss_collector_commit_duration_seconds',
    );
    const countValue = histogram?.values.find(
      (v) => (v as { metricName?: string }).metricName === 'dss_collector_commit_duration_seconds_count',
    );
    expect(countValue?.value).toBe(2);
  });
});
