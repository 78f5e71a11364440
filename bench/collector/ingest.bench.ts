// Collector ingest: a collector in its own process (store on a temp file) loaded with export requests of
// 512 spans by a fixed number of concurrent senders, over OTLP/HTTP protobuf, then over OTLP/gRPC
// (one connection, then one per sender).
// Prints, per protocol: spans/s acknowledged (accepted) and spans/s found in the database (committed),
// export latency p50/p99, refusals, the cores the collector process kept busy (all its threads, from /proc)
// and the committed rate per core (divided by the cores used, or by one when it used less); then the
// collector's peak resident memory, bytes on disk per span, and trace-by-id read latency over the resulting
// store.
//   BENCH_SECONDS (default 60) per protocol, BENCH_CONCURRENCY (default 8) senders.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { openDatabase } from '../../collector/src/store/open-database.ts';
import { readTrace } from '../../collector/src/store/read-traces.ts';
import { type RawTraceClient, rawTraceClient } from '../../collector/test/support/raw-grpc.ts';
import { cpuSecondsOf, percentile, rate, startCollectorProcess } from './support.ts';
import { benchTraceRequest, SPANS_PER_REQUEST, SPANS_PER_TRACE } from './trace-request.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

// ---- the request: one encoded template, its trace ids replaced for every send ----

function templateRequest(): { body: Buffer; offsets: number[][] } {
  const { body, traceIds } = benchTraceRequest();
  const offsets = traceIds.map((id) => {
    const found: number[] = [];
    for (let at = body.indexOf(id); at !== -1; at = body.indexOf(id, at + 1)) found.push(at);
    return found;
  });
  return { body, offsets };
}

const template = templateRequest();
let traceCounter = 0n;
const base = randomBytes(8);

/** The template with fresh trace ids: every send stores new spans (the store drops repeated span ids). */
function nextBody(): Buffer {
  const body = Buffer.from(template.body);
  for (const offsets of template.offsets) {
    const id = Buffer.alloc(16);
    base.copy(id, 0);
    id.writeBigUInt64BE(++traceCounter, 8);
    for (const at of offsets) id.copy(body, at);
  }
  return body;
}

// ---- senders ----

type Send = (body: Buffer) => Promise<'ok' | 'refused'>;

function httpSender(port: number): { send: Send; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const send: Send = (body) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/traces',
          agent,
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode === 200) resolve('ok');
            else if (response.statusCode === 503) resolve('refused');
            else reject(new Error(`HTTP ${response.statusCode}`));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** `connections` grpc-js clients, each its own HTTP/2 connection, sends spread over them in turn. */
function grpcSender(port: number, connections: number): { send: Send; close(): void } {
  const clients = Array.from({ length: connections }, () => rawTraceClient(port, { ownConnection: true }));
  let next = 0;
  const send: Send = async (body) => {
    const error = await (clients[next++ % connections] as RawTraceClient).export(body);
    if (!error) return 'ok';
    if (error.code === grpc.status.UNAVAILABLE) return 'refused';
    throw error;
  };
  return {
    send,
    close: () => {
      for (const client of clients) client.close();
    },
  };
}

interface PhaseResult {
  acknowledged: number;
  refused: number;
  seconds: number;
  latenciesMs: number[];
}

async function load(send: Send, seconds: number): Promise<PhaseResult> {
  const result: PhaseResult = { acknowledged: 0, refused: 0, seconds, latenciesMs: [] };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const sender = async () => {
    while (performance.now() < deadline) {
      const body = nextBody();
      const sent = performance.now();
      const outcome = await send(body);
      result.latenciesMs.push(performance.now() - sent);
      if (outcome === 'ok') result.acknowledged++;
      else {
        result.refused++;
        await new Promise((r) => setTimeout(r, 100)); // a real client waits longer (Retry-After)
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

// ---- run ----

const dir = await mkdtemp(join(tmpdir(), 'dss-bench-collector-'));
const dbPath = join(dir, 'bench.sqlite');
const collector = await startCollectorProcess<{ grpcPort: number; httpPort: number }>(dbPath);
const reader = openDatabase(dbPath).db;
const countSpans = () => Number(reader.prepare('SELECT count(*) FROM spans').pluck().get());

console.log(
  `collector ingest: ${SPANS_PER_REQUEST} spans per export (${SPANS_PER_TRACE} per trace, 8 attributes each, ` +
    `${template.body.length} bytes), ${CONCURRENCY} concurrent senders, ${SECONDS} s per protocol`,
);
console.log(
  'protocol               accepted spans/s  committed spans/s  p50 ms  p99 ms  refused  collector cores  spans/s per core',
);
// One gRPC connection is what one SDK exporter (one service) opens; several are several services.
for (const [name, make] of [
  ['http/protobuf', () => httpSender(collector.ports.httpPort)],
  ['grpc, 1 connection', () => grpcSender(collector.ports.grpcPort, 1)],
  [`grpc, ${CONCURRENCY} connections`, () => grpcSender(collector.ports.grpcPort, CONCURRENCY)],
] as const) {
  const sender = make();
  const before = countSpans();
  const cpuBefore = cpuSecondsOf(collector.child.pid);
  const result = await load(sender.send, SECONDS);
  const cpuAfter = cpuSecondsOf(collector.child.pid);
  const committed = countSpans() - before;
  // Cores the collector process kept busy (every thread: the event loop, the checkpoint worker, libuv).
  const cores =
    cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / result.seconds;
  sender.close();
  console.log(
    [
      name.padEnd(21),
      rate((result.acknowledged * SPANS_PER_REQUEST) / result.seconds).padStart(17),
      rate(committed / result.seconds).padStart(18),
      percentile(result.latenciesMs, 50).toFixed(1).padStart(7),
      percentile(result.latenciesMs, 99).toFixed(1).padStart(7),
      String(result.refused).padStart(8),
      (cores === undefined ? 'n/a' : cores.toFixed(2)).padStart(16),
      (cores === undefined ? 'n/a' : rate(committed / result.seconds / Math.max(cores, 1))).padStart(17),
    ].join(' '),
  );
}

const totalSpans = countSpans();
reader.close();
const report = await collector.stop();
const { db } = openDatabase(dbPath);
const bytesOnDisk = statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0);
console.log(`collector peak resident memory: ${(report.maxRssBytes / 1024 / 1024).toFixed(0)} MiB`);
console.log(
  `collector peak queue: ${((report.peakQueuedBytes ?? 0) / 1024 / 1024).toFixed(1)} MiB (limit 32 MiB)`,
);
console.log(
  `on disk: ${(bytesOnDisk / 1024 / 1024).toFixed(0)} MiB for ${rate(totalSpans)} spans, ${(bytesOnDisk / totalSpans).toFixed(0)} bytes per span`,
);

// Trace by id over what was stored.
const traceIds = db
  .prepare(`SELECT trace_id FROM spans WHERE id IN (SELECT abs(random()) % ? + 1 FROM spans LIMIT 1000)`)
  .pluck()
  .all(totalSpans) as Buffer[];
const readLatencies = traceIds.map((id) => {
  const started = performance.now();
  readTrace(db, id.toString('hex'));
  return performance.now() - started;
});
console.log(
  `trace by id (${SPANS_PER_TRACE} spans) over ${rate(totalSpans)} spans: p50 ${percentile(readLatencies, 50).toFixed(2)} ms, p99 ${percentile(readLatencies, 99).toFixed(2)} ms`,
);
db.close();
await rm(dir, { recursive: true, force: true });
