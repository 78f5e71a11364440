// Collector queries over a large store: a store of DSS-like traces (synthetic-store.ts: 5-15 spans per trace,
// two tenants, three services, ~2% failing traces, start times spread over the last 24 h) written through
// the store's own writer, then the collector's query server (in a process of its own) asked over HTTP, one
// request at a time, as Grafana's Tempo data source asks:
//   - trace by id, v1 JSON and v2 protobuf, and v2 protobuf with X-Scope-OrgID (the tenant filter), for
//     seeded random traces of the store: p50/p95/p99;
//   - TraceQL search (limit 20) over a random 1 h window and over the whole 24 h, for a few typical queries;
//   - tag names (v2) and tag values.
// Prints the build (time, spans/s, file size, bytes per span), one table of latencies, and whether trace by
// id p99 is under 20 ms (the target of issue 3). Exits 1 when any request is answered other than 200.
//   BENCH_SPANS (default 5,000,000) spans in the store; BENCH_TRACE_REQUESTS (1000) per trace-by-id row;
//   BENCH_SEARCH_REQUESTS (50) per search, tags and values row; BENCH_SEED (1);
//   BENCH_STORE=<file>: build the store there and keep it, or reuse it when it exists (no build).
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../collector/src/store/open-database.ts';
import { SPANS_OF_TRACE } from '../../collector/src/store/trace-groups.ts';
import { percentile, rate, startCollectorProcess } from './support.ts';
import { buildStore, seededRandom } from './synthetic-store.ts';

const SPANS = Number(process.env.BENCH_SPANS ?? 5_000_000);
const TRACE_REQUESTS = Number(process.env.BENCH_TRACE_REQUESTS ?? 1000);
const SEARCH_REQUESTS = Number(process.env.BENCH_SEARCH_REQUESTS ?? 50);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const TARGET_P99_MS = 20;
const DAY_NS = 86_400_000_000_000n;
const HOUR_S = 3600;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const fileBytes = (file: string) =>
  statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);

// ---- the store ----

const dir = process.env.BENCH_STORE ? undefined : await mkdtemp(join(tmpdir(), 'dss-bench-query-'));
const dbPath = process.env.BENCH_STORE ?? join(dir as string, 'bench.sqlite');
const reuse = process.env.BENCH_STORE !== undefined && existsSync(dbPath);
const { db } = openDatabase(dbPath);

if (!reuse) {
  const endNs = (BigInt(Date.now()) / 1000n) * 1_000_000_000n;
  console.log(`building a store of ${rate(SPANS)} spans over 24 h in ${dbPath}`);
  const started = performance.now();
  const progress = (spans: number) => {
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `  ${rate(spans)} spans (${((100 * spans) / SPANS).toFixed(0)}%), ${rate(spans / seconds)} spans/s, ` +
        `${seconds.toFixed(0)} s, ${mib(fileBytes(dbPath))}, heap ${mib(process.memoryUsage().heapUsed)}\n`,
    );
  };
  const built = buildStore(db, {
    spans: SPANS,
    startNs: endNs - DAY_NS,
    endNs,
    seed: SEED,
    onProgress: progress,
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - started) / 1000;
  const bytes = fileBytes(dbPath);
  console.log(
    `built ${rate(built.spans)} spans in ${rate(built.traces)} traces (${rate(built.errorTraces)} failing) in ` +
      `${seconds.toFixed(0)} s (${rate(built.spans / seconds)} spans/s); file ${mib(bytes)}, ` +
      `${(bytes / built.spans).toFixed(0)} bytes per span`,
  );
}

const stored = db
  .prepare('SELECT max(id) AS spans, min(start_ns) AS startNs, max(end_ns) AS endNs FROM spans')
  .safeIntegers(true)
  .get() as { spans: bigint; startNs: bigint; endNs: bigint };
const totalSpans = Number(stored.spans);
const firstS = Number(stored.startNs / 1_000_000_000n);
const lastS = Number(stored.endNs / 1_000_000_000n) + 1;
if (reuse) console.log(`reusing ${dbPath}: ${rate(totalSpans)} spans, ${mib(fileBytes(dbPath))}`);

// Seeded random traces of the store, with their tenant and span count.
const random = seededRandom(SEED + 1);
const sampleTrace = db.prepare(
  `SELECT hex(picked.trace_id) AS id, r.tenant AS tenant,
          (SELECT count(*) FROM ${SPANS_OF_TRACE} WHERE g.trace_id = picked.trace_id) AS spans
   FROM spans picked JOIN resources r ON r.id = picked.resource_id WHERE picked.id = ?`,
);
const traces = Array.from({ length: TRACE_REQUESTS + 20 }, () => {
  const row = sampleTrace.get(1 + Math.floor(random() * totalSpans)) as {
    id: string;
    tenant: string;
    spans: number;
  };
  return { ...row, id: row.id.toLowerCase() };
});
const meanSpans = traces.reduce((sum, t) => sum + t.spans, 0) / traces.length;
db.close();

// ---- the query server ----

const server = await startCollectorProcess<{ queryPort: number }>(
  dbPath,
  fileURLToPath(new URL('./query-server-process.ts', import.meta.url)),
);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  body: Buffer;
  ms: number;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(
      { host: '127.0.0.1', port: server.ports.queryPort, path, agent, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

interface Row {
  label: string;
  latencies: number[];
  note: string;
}
const rows: Row[] = [];
const failures: string[] = [];

/**
 * `count` requests one after the other (after `warmup` unmeasured ones); `request(i)` names each,
 * `describe(answers)` sums them up for the notes column.
 */
async function measure(
  label: string,
  count: number,
  request: (i: number) => { path: string; headers?: Record<string, string> },
  describe: (answers: Answer[]) => string = () => '',
  warmup = 1,
): Promise<Row> {
  const answers: Answer[] = [];
  for (let i = -warmup; i < count; i++) {
    const { path, headers } = request(i < 0 ? count + i : i);
    const answer = await get(path, headers);
    if (answer.status !== 200) {
      failures.push(`${label}: ${path} answered ${answer.status}: ${answer.body.toString().slice(0, 200)}`);
    } else if (i >= 0) answers.push(answer);
  }
  const row = { label, latencies: answers.map((a) => a.ms), note: answers.length ? describe(answers) : '' };
  rows.push(row);
  process.stderr.write(`  ${label}: p50 ${percentile(row.latencies, 50).toFixed(1)} ms\n`);
  return row;
}

const meanBytes = (answers: Answer[]) =>
  `${rate(answers.reduce((sum, a) => sum + a.body.length, 0) / answers.length)} bytes`;

console.log(
  `queries over ${rate(totalSpans)} spans (${new Date(firstS * 1000).toISOString()} .. ` +
    `${new Date(lastS * 1000).toISOString()}), one request at a time over HTTP`,
);

// Trace by id: the first 20 sampled traces warm up, the rest are measured.
const byId = (i: number) => traces[(i + 20) % traces.length] as (typeof traces)[number];
const traceRows = [
  await measure(
    'trace by id v1 JSON',
    TRACE_REQUESTS,
    (i) => ({ path: `/api/traces/${byId(i).id}` }),
    (a) => `${meanSpans.toFixed(1)} spans, ${meanBytes(a)}`,
    20,
  ),
  await measure(
    'trace by id v2 protobuf',
    TRACE_REQUESTS,
    (i) => ({ path: `/api/v2/traces/${byId(i).id}`, headers: { accept: 'application/protobuf' } }),
    meanBytes,
    20,
  ),
  await measure(
    'trace by id v2 protobuf, tenant',
    TRACE_REQUESTS,
    (i) => ({
      path: `/api/v2/traces/${byId(i).id}`,
      headers: { accept: 'application/protobuf', 'x-scope-orgid': byId(i).tenant },
    }),
    () => 'X-Scope-OrgID of the trace',
    20,
  ),
];

// Search: each 1 h window ends at a seeded random time of the store's day; the 24 h window is all of it.
const windows = {
  '1 h': Array.from({ length: SEARCH_REQUESTS }, () => {
    const end = firstS + HOUR_S + Math.floor(random() * (lastS - firstS - HOUR_S));
    return { start: end - HOUR_S, end };
  }),
  '24 h': Array.from({ length: SEARCH_REQUESTS }, () => ({ start: firstS, end: lastS })),
};
const searches = [
  '{resource.service.name="backend-api"}',
  '{status=error}',
  '{resource.service.name="workers" && name="job forecast" && duration>1s}',
  '{}',
];
const searchNote = (answers: Answer[]) => {
  let found = 0;
  let inspected = 0;
  for (const answer of answers) {
    const body = JSON.parse(answer.body.toString()) as {
      traces: unknown[];
      metrics: { inspectedTraces?: number };
    };
    found += body.traces.length;
    inspected += body.metrics.inspectedTraces ?? 0;
  }
  return `${(found / answers.length).toFixed(0)} found, ${rate(inspected / answers.length)} inspected`;
};
for (const [name, ranges] of Object.entries(windows)) {
  for (const q of searches) {
    await measure(
      `search ${name} ${q}`,
      SEARCH_REQUESTS,
      (i) => {
        const { start, end } = ranges[i] as { start: number; end: number };
        return { path: `/api/search?q=${encodeURIComponent(q)}&start=${start}&end=${end}&limit=20` };
      },
      searchNote,
    );
  }
}

// Tags and tag values (what Grafana's search builder and autocomplete ask).
const count = (key: string) => (answers: Answer[]) => {
  const body = JSON.parse((answers[0] as Answer).body.toString()) as Record<string, unknown[]>;
  const list = key === 'scopes' ? (body.scopes as { tags: unknown[] }[]).flatMap((s) => s.tags) : body[key];
  return `${list?.length ?? 0} ${key === 'scopes' ? 'tags' : 'values'}`;
};
for (const [name, ranges] of Object.entries(windows)) {
  await measure(
    `tags v2 ${name}`,
    SEARCH_REQUESTS,
    (i) => {
      const { start, end } = ranges[i] as { start: number; end: number };
      return { path: `/api/v2/search/tags?start=${start}&end=${end}` };
    },
    count('scopes'),
  );
}
for (const tag of ['resource.service.name', 'name', 'span.http.route']) {
  await measure(
    `tag values v2 24 h ${tag}`,
    SEARCH_REQUESTS,
    () => ({ path: `/api/v2/search/tag/${encodeURIComponent(tag)}/values?start=${firstS}&end=${lastS}` }),
    count('tagValues'),
  );
}

agent.destroy();
const report = await server.stop();

// ---- the figures ----

const width = Math.max(...rows.map((row) => row.label.length));
const header = `${'request'.padEnd(width)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  notes`;
console.log(`\n${header}\n${'-'.repeat(header.length + 24)}`);
for (const row of rows) {
  const ms = (p: number) => percentile(row.latencies, p).toFixed(1).padStart(8);
  console.log(
    `${row.label.padEnd(width)} ${String(row.latencies.length).padStart(5)} ${ms(50)} ${ms(95)} ${ms(99)} ${ms(100)}  ${row.note}`,
  );
}
console.log(`\nquery server peak resident memory: ${mib(report.maxRssBytes)}`);
const worst = Math.max(...traceRows.map((row) => percentile(row.latencies, 99)));
console.log(
  `trace by id p99 < ${TARGET_P99_MS} ms over ${rate(totalSpans)} spans: ${worst < TARGET_P99_MS ? 'met' : 'NOT met'} ` +
    `(worst p99 ${worst.toFixed(1)} ms)`,
);

if (dir) await rm(dir, { recursive: true, force: true });
if (failures.length > 0) {
  console.error(`${failures.length} requests failed; the first:\n  ${failures.slice(0, 5).join('\n  ')}`);
  process.exit(1);
}
