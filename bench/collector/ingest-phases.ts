// Per-span cost of each ingest phase, in one process without the network: protobuf decode (with
// normalisation), validation, row preparation, and the SQLite write and commit, on requests shaped like
// ingest.bench.ts's (512 spans, 8 per trace, 8 attributes). A tool for profiling the ingest path:
//   node bench/collector/ingest-phases.ts [requests=300] [requests per commit=4]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeExportRequest } from '../../collector/src/receiver/decode.ts';
import type { DecodedTraces } from '../../collector/src/receiver/decoded-types.ts';
import { validateExport } from '../../collector/src/receiver/validate.ts';
import { openDatabase } from '../../collector/src/store/open-database.ts';
import { type PreparedWrite, prepareTraces } from '../../collector/src/store/rows.ts';
import { StoreWriter } from '../../collector/src/store/writer.ts';
import { benchTraceRequest, SPANS_PER_REQUEST } from './trace-request.ts';

const REQUESTS = Number(process.argv[2] ?? 300);
const PER_COMMIT = Number(process.argv[3] ?? 4);

const bodies = Array.from({ length: REQUESTS }, () => benchTraceRequest().body);
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
const spans = REQUESTS * SPANS_PER_REQUEST;
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
