// Per-span cost of each ingest phase, in one process without the network: protobuf decode (with
// normalisation), validation, row preparation, and the SQLite write and commit, on requests shaped like
// ingest.bench.ts's (512 spans, 8 per trace, 8 attributes). A tool for profiling the ingest path:
//   node bench/collector/ingest-phases.ts [requests=300] [requests per commit=4]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeExportRequest } from '../../collector/src/receiver/decode.ts';
import type { DecodedTraces } from '../../collector/src/receiver/decoded-types.ts';
import { otlpTypes } from '../../collector/src/receiver/otlp-schema.ts';
import { validateExport } from '../../collector/src/receiver/validate.ts';
import { openDatabase } from '../../collector/src/store/open-database.ts';
import { type PreparedWrite, prepareTraces } from '../../collector/src/store/rows.ts';
import { StoreWriter } from '../../collector/src/store/writer.ts';

const REQUESTS = Number(process.argv[2] ?? 300);
const PER_COMMIT = Number(process.argv[3] ?? 4);
const SPANS = 512;
const PER_TRACE = 8;

function body(): Buffer {
  const start = BigInt(Date.now()) * 1_000_000n;
  const str = (stringValue: string) => ({ stringValue });
  const spans = Array.from({ length: SPANS / PER_TRACE }, (_, t) => {
    const traceId = randomBytes(16);
    const spanIds = Array.from({ length: PER_TRACE }, () => randomBytes(8));
    return spanIds.map((spanId, i) => ({
      traceId,
      spanId,
      parentSpanId: i === 0 ? undefined : spanIds[0],
      name: i === 0 ? 'GET /tanks/:id/readings' : `SELECT readings ${i}`,
      kind: i === 0 ? 2 : 3,
      startTimeUnixNano: (start + BigInt(t * 1_000_000 + i * 1000)).toString(),
      endTimeUnixNano: (start + BigInt(t * 1_000_000 + i * 1000 + 250_000)).toString(),
      attributes: [
        { key: 'http.request.method', value: str('GET') },
        { key: 'http.route', value: str('/tanks/:id/readings') },
        { key: 'url.path', value: str(`/tanks/T-${t}/readings`) },
        { key: 'http.response.status_code', value: { intValue: 200 } },
        { key: 'server.address', value: str('backend-api.dss.internal') },
        { key: 'dss.tank.id', value: str(`T-${t}`) },
        { key: 'db.system.name', value: str('postgresql') },
        {
          key: 'db.query.text',
          value: str('SELECT level, taken_at FROM readings WHERE tank_id = $1 LIMIT 100'),
        },
      ],
      events: i === 1 ? [{ timeUnixNano: start.toString(), name: 'cache miss', attributes: [] }] : [],
      status: { code: 0 },
    }));
  }).flat();
  const message = {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: str('backend-api') },
            { key: 'service.version', value: str('1.4.2') },
            { key: 'deployment.environment.name', value: str('bench') },
            { key: 'dss.client', value: str('aveiro') },
            { key: 'host.name', value: str('dss-app-01') },
            { key: 'telemetry.sdk.language', value: str('nodejs') },
          ],
        },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.300.0' }, spans }],
      },
    ],
  };
  const type = otlpTypes.ExportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(message)).finish());
}

const bodies = Array.from({ length: REQUESTS }, body);
const dir = await mkdtemp(join(tmpdir(), 'dss-ingest-phases-'));
const { db } = openDatabase(join(dir, 'phases.sqlite'));
if (process.env.EXTRA_SQL) db.exec(process.env.EXTRA_SQL);
const writer = new StoreWriter(db);
const time = { decode: 0, validate: 0, prepare: 0, write: 0 };
let pending: PreparedWrite[] = [];
const commits: number[] = [];
const flush = () => {
  const t = performance.now();
  writer.write(pending);
  const ms = performance.now() - t;
  time.write += ms;
  commits.push(ms);
  pending = [];
};
for (const b of bodies) {
  let t = performance.now();
  const request = decodeExportRequest('traces', b, 'protobuf') as DecodedTraces;
  time.decode += performance.now() - t;
  t = performance.now();
  validateExport(request);
  time.validate += performance.now() - t;
  t = performance.now();
  const { write } = prepareTraces(request);
  time.prepare += performance.now() - t;
  if (write) pending.push(write);
  if (pending.length >= PER_COMMIT) flush();
}
if (pending.length > 0) flush();
const spans = REQUESTS * SPANS;
const us = (ms: number) => ((ms * 1000) / spans).toFixed(2).padStart(6);
const total = time.decode + time.validate + time.prepare + time.write;
console.log(`${spans} spans, ${PER_COMMIT} requests per commit: µs per span`);
console.log(
  `decode ${us(time.decode)}  validate ${us(time.validate)}  prepare ${us(time.prepare)}  write ${us(time.write)}  total ${us(total)}  => ${Math.round(spans / (total / 1000))} spans/s`,
);
const sorted = [...commits].sort((a, b) => b - a);
const slow = sorted.filter((ms) => ms > 5 * (sorted[Math.floor(sorted.length / 2)] ?? 0));
console.log(
  `commits: ${commits.length}, median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)} ms; ${slow.length} over 5× the median (checkpoints) take ${((slow.reduce((a, b) => a + b, 0) / time.write) * 100).toFixed(0)}% of the write time`,
);
db.close();
await rm(dir, { recursive: true, force: true });
