// Overload: a collector in its own process with a small queue limit, flooded by concurrent senders.
// Past the limit they are refused with a retry hint (HTTP 503 + Retry-After, gRPC UNAVAILABLE +
// RetryInfo) instead of the queue growing; the queue never holds more than the limit; everything that
// was acknowledged, first time or after retries, is stored, and stored once.
import type { ServiceError } from '@grpc/grpc-js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedTraces } from '../../src/receiver/decoded-types.ts';
import { otlpTypes } from '../../src/receiver/otlp-schema.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { type ChildCollector, startChildCollector } from '../support/child-collector.ts';
import { postTogether, request } from '../support/http-client.ts';
import { rawTraceClient } from '../support/raw-grpc.ts';
import { exportWith, recordSpans, traceExporter } from '../support/sdk-telemetry.ts';
import { encodeTraces, traceBatch } from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const QUEUE_LIMIT = 512 * 1024; // about two 512-span batches
const BATCH_SPANS = 512;
const CONCURRENT = 48;

let dir: TempDir;
let collector: ChildCollector;
/** Trace ids of every batch acknowledged (each batch is one trace of BATCH_SPANS spans). */
const acknowledged: string[] = [];

beforeAll(async () => {
  dir = await makeTempDir();
  collector = await startChildCollector(dir.file('overload.sqlite'), QUEUE_LIMIT);
});
afterAll(async () => {
  if (collector.child.exitCode === null) await collector.kill();
  await dir.remove();
});

const traceIdOf = (batch: DecodedTraces) =>
  batch.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
const batches = (n: number) =>
  Array.from({ length: n }, () => {
    const batch = traceBatch(BATCH_SPANS);
    return { traceId: traceIdOf(batch), body: encodeTraces(batch) };
  });

const post = (body: Uint8Array) =>
  request(collector.httpPort, {
    path: '/v1/traces',
    headers: { 'content-type': 'application/x-protobuf' },
    body: Buffer.from(body),
  });
/** Every body arriving at once: a collector fast enough to commit each before the next arrives is not flooded. */
const postAll = (bodies: Uint8Array[]) =>
  postTogether(
    collector.httpPort,
    '/v1/traces',
    { 'content-type': 'application/x-protobuf' },
    bodies.map((body) => Buffer.from(body)),
  );

describe('a collector with a small queue, flooded', () => {
  it('answers OTLP/HTTP with 503 + Retry-After past the limit; retried exports get in', async () => {
    // Two dozen exports arriving together are twelve times the queue limit.
    let pending = batches(CONCURRENT / 2);
    const first = await postAll(pending.map(({ body }) => body));
    const statuses = first.map((r) => r.status);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const refused = first.find((r) => r.status === 503);
    expect(refused?.headers['retry-after']).toBe('1');
    expect(otlpTypes.Status.decode(refused?.body ?? Buffer.alloc(0))).toMatchObject({
      code: 14, // UNAVAILABLE
      message: expect.stringMatching(/queue is full/),
    });

    // Retry what was refused, as clients do, until everything is in.
    let responses = first;
    for (let round = 0; pending.length > 0 && round < 100; round++) {
      pending.forEach((batch, i) => {
        if (responses[i]?.status === 200) acknowledged.push(batch.traceId);
      });
      pending = pending.filter((_, i) => responses[i]?.status !== 200);
      responses = await Promise.all(pending.map(({ body }) => post(body)));
    }
    expect(pending).toEqual([]);
  });

  it('answers OTLP/gRPC with UNAVAILABLE and a RetryInfo past the limit', async () => {
    // One connection per export, as many services would have: their requests arrive together.
    const clients = Array.from({ length: CONCURRENT }, () =>
      rawTraceClient(collector.grpcPort, { ownConnection: true }),
    );
    const sent = batches(CONCURRENT);
    const errors = await Promise.all(sent.map(({ body }, i) => clients[i]?.export(body) ?? null));
    for (const client of clients) client.close();
    sent.forEach((batch, i) => {
      if (errors[i] === null) acknowledged.push(batch.traceId);
    });
    const refusals = errors.filter((e): e is ServiceError => e !== null);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((e) => e.code === GrpcStatus.UNAVAILABLE)).toBe(true);
    const details = refusals[0]?.metadata.get('grpc-status-details-bin')[0] as Buffer;
    const status = otlpTypes.Status.decode(details) as unknown as {
      details: { typeUrl: string; value: Uint8Array }[];
    };
    expect(status.details[0]?.typeUrl).toBe('type.googleapis.com/google.rpc.RetryInfo');
    const retryInfo = otlpTypes.RetryInfo.toObject(
      otlpTypes.RetryInfo.decode(status.details[0]?.value as Uint8Array),
      {
        longs: Number,
      },
    );
    expect(retryInfo).toEqual({ retryDelay: { seconds: 1 } });
  });

  it('gets the exports of SDK exporters sending into the flood stored (they retry when refused)', async () => {
    const spans = await recordSpans();
    const flood = batches(CONCURRENT).map(async ({ traceId, body }) => {
      if ((await post(body)).status === 200) acknowledged.push(traceId);
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        exportWith(traceExporter('http/protobuf', collector.httpPort, { timeoutMillis: 30_000 }), spans),
      ),
    );
    await Promise.all(flood);
    expect(results.map((r) => r.code)).toEqual(results.map(() => 0));
  });

  it('kept its queue under the limit, and stored every acknowledged span once', async () => {
    const report = await collector.stop();
    expect(report.peakQueuedBytes).toBeGreaterThan(0);
    expect(report.peakQueuedBytes).toBeLessThanOrEqual(QUEUE_LIMIT);
    // Resident memory of the whole process (runtime, gRPC, SQLite cache, request buffers) stayed modest.
    expect(report.maxRssBytes).toBeLessThan(400 * 1024 * 1024);

    const { db } = openDatabase(dir.file('overload.sqlite'));
    try {
      const spansOf = db.prepare('SELECT count(*) FROM spans WHERE trace_id = ?').pluck();
      const incomplete = acknowledged.filter(
        (id) => Number(spansOf.get(Buffer.from(id, 'hex'))) !== BATCH_SPANS,
      );
      expect(incomplete).toEqual([]);
      const total = Number(db.prepare('SELECT count(*) FROM spans').pluck().get());
      // The flood batches, plus the SDK's two spans, stored once whatever the number of exports.
      expect(total).toBe(acknowledged.length * BATCH_SPANS + 2);
    } finally {
      db.close();
    }
  });
});
