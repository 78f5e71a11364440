// Durability: a collector in its own process takes concurrent exports over OTLP/HTTP and OTLP/gRPC and
// is killed with SIGKILL in the middle of it. Reopened, the database has every span of every
// acknowledged export, no export half-stored, and no span twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.ts';
import { type ChildCollector, startChildCollector } from '../support/child-collector.ts';
import { request } from '../support/http-client.ts';
import { rawTraceClient } from '../support/raw-grpc.ts';
import { encodeTraces, traceBatch } from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const SPANS_PER_BATCH = 200;
const ACKNOWLEDGED_BEFORE_KILL = 60;

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(() => dir.remove());

describe('a collector killed with SIGKILL mid-ingest', () => {
  it('has every acknowledged span after a restart, and no half-stored export', async () => {
    const file = dir.file('kill9.sqlite');
    const collector: ChildCollector = await startChildCollector(file);
    const sent: string[] = [];
    const acknowledged: string[] = [];
    let killed = false;
    let inFlightAtKill = 0;
    let inFlight = 0;

    const send = async (transport: 'http' | 'grpc') => {
      const grpc = transport === 'grpc' ? rawTraceClient(collector.grpcPort) : undefined;
      while (!killed) {
        const batch = traceBatch(SPANS_PER_BATCH, { tenant: 'aveiro' }, transport);
        const traceId = batch.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
        const body = encodeTraces(batch);
        sent.push(traceId);
        inFlight++;
        let ok = false;
        try {
          if (grpc) ok = (await grpc.export(body)) === null;
          else {
            const response = await request(collector.httpPort, {
              path: '/v1/traces',
              headers: { 'content-type': 'application/x-protobuf' },
              body: Buffer.from(body),
            });
            ok = response.status === 200;
          }
        } catch {
          // The connection died with the process: not acknowledged.
        }
        inFlight--;
        if (ok) acknowledged.push(traceId);
      }
      grpc?.close();
    };

    const senders = [send('http'), send('http'), send('http'), send('grpc'), send('grpc'), send('grpc')];
    while (acknowledged.length < ACKNOWLEDGED_BEFORE_KILL) await new Promise((r) => setTimeout(r, 5));
    inFlightAtKill = inFlight;
    await collector.kill();
    killed = true;
    await Promise.all(senders);
    expect(inFlightAtKill).toBeGreaterThan(0); // it really was mid-ingest

    // Reopening replays the WAL; the file is sound.
    const { db } = openDatabase(file);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const spansOf = db.prepare('SELECT count(*) FROM spans WHERE trace_id = ?').pluck();
      const stored = (traceId: string) => Number(spansOf.get(Buffer.from(traceId, 'hex')));
      const missing = acknowledged.filter((traceId) => stored(traceId) !== SPANS_PER_BATCH);
      expect(missing).toEqual([]);
      // Each export is one transaction: stored whole or not at all, acknowledged or not.
      const partial = sent.filter((traceId) => ![0, SPANS_PER_BATCH].includes(stored(traceId)));
      expect(partial).toEqual([]);
      const total = Number(db.prepare('SELECT count(*) FROM spans').pluck().get());
      const distinct = Number(
        db.prepare('SELECT count(*) FROM (SELECT DISTINCT trace_id, span_id FROM spans)').pluck().get(),
      );
      expect(total).toBe(distinct);
      expect(total).toBeGreaterThanOrEqual(acknowledged.length * SPANS_PER_BATCH);
    } finally {
      db.close();
    }

    // And a collector starts again on the same file, and stops cleanly.
    const restarted = await startChildCollector(file);
    await restarted.stop();
  });
});
