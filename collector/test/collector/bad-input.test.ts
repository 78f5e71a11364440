// Bad input against a real collector (receivers → store sink → SQLite): a seeded fuzz loop of a few
// thousand malformed OTLP/HTTP bodies (random bytes, truncated and mutated protobuf, invalid ids, OTLP/JSON
// with wrong types, bad gzip), a smaller one over gRPC, 10 MB attribute values, deeply nested attribute
// maps and unsupported content types. Every answer is a clear 4xx or a 200 (with a partial success naming
// what was dropped), never a 5xx or a hang; the collector keeps serving, nothing it accepted before is
// lost or overwritten, and what it accepted from the fuzz cases is stored and readable.

import { gunzipSync, gzipSync } from 'node:zlib';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../../src/collector/index.ts';
import { findAttribute } from '../../src/receiver/attributes.ts';
import { decodeExportRequest, type OtlpEncoding } from '../../src/receiver/decode.ts';
import type { AnyValue, DecodedTraces, ResourceSpans, Span } from '../../src/receiver/decoded-types.ts';
import { OtlpDecodeError } from '../../src/receiver/errors.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../src/receiver/grpc-server.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/receiver/http-server.ts';
import { otlpTypes } from '../../src/receiver/otlp-schema.ts';
import { validateExport } from '../../src/receiver/validate.ts';
import { readTrace } from '../../src/store/read-traces.ts';
import { prepareTraces } from '../../src/store/rows.ts';
import {
  mutateBytes,
  nestedKvlistJson,
  nestedKvlistValue,
  Prng,
  randomBody,
  traceRequestToJson,
  traceRequestWithRawAttribute,
  truncate,
  wrongTypes,
} from '../support/bad-bodies.ts';
import { request } from '../support/http-client.ts';
import { rawTraceClient } from '../support/raw-grpc.ts';
import {
  attrs,
  EVERY_ANY_VALUE,
  encodeTraces,
  span,
  str,
  tracesRequest,
} from '../support/telemetry-builders.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const SEED = 0x0b5e55ed;
const HTTP_CASES = 3000;
const GRPC_CASES = 400;
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 5_000;
/** Status of a request that got no answer in time (fails the test). */
const TIMED_OUT = -1;

const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

let dir: TempDir;
let collector: RunningCollector;
const unexpectedErrors: unknown[] = [];
const rng = new Prng(SEED);

beforeAll(async () => {
  dir = await makeTempDir();
  collector = await startCollector({
    dbPath: dir.file('bad-input.sqlite'),
    grpcPort: 0,
    httpPort: 0,
    onError: (error) => unexpectedErrors.push(error),
  });
});
afterAll(async () => {
  await collector?.close();
  await dir?.remove();
});

// ---- the sentinel: a valid export stored first, and the base every mutation starts from ----

function sentinelRequest(): DecodedTraces {
  const traceId = rng.hexId(16);
  const rootId = rng.hexId(8);
  const start = 1_700_000_000_000_000_000n;
  return tracesRequest(
    [
      span({
        traceId,
        spanId: rootId,
        name: 'POST /intake',
        startTimeUnixNano: start,
        endTimeUnixNano: start + 9_000_000n,
        attributes: EVERY_ANY_VALUE,
        events: [
          {
            timeUnixNano: start + 1_000_000n,
            name: 'exception',
            attributes: attrs({ 'exception.type': str('Deadlock') }),
            droppedAttributesCount: 0,
          },
        ],
        links: [
          {
            traceId: rng.hexId(16),
            spanId: rng.hexId(8),
            traceState: 'dss=1',
            flags: 1,
            attributes: attrs({ 'link.reason': str('batch') }),
            droppedAttributesCount: 0,
          },
        ],
        status: { code: 2, message: 'deadlock detected' },
      }),
      span({
        traceId,
        spanId: rng.hexId(8),
        parentSpanId: rootId,
        name: 'INSERT readings',
        kind: 3,
        startTimeUnixNano: start + 2_000_000n,
        endTimeUnixNano: start + 5_000_000n,
      }),
    ],
    { service: 'bad-input-sentinel', tenant: 'utility-a' },
  );
}

const SENTINEL = sentinelRequest();
const SENTINEL_BODY = encodeTraces(SENTINEL);
const SENTINEL_JSON = traceRequestToJson(SENTINEL_BODY);
const SENTINEL_JSON_TEXT = JSON.stringify(SENTINEL_JSON);
const SENTINEL_TRACE_ID = SENTINEL.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
const SENTINEL_SPAN_IDS = new Set(
  SENTINEL.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))),
);

/** A trace's stored spans restricted to some span ids (resources and scopes left empty removed). */
function onlySpans(resourceSpans: ResourceSpans[], spanIds: Set<string>): ResourceSpans[] {
  return resourceSpans
    .map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans
        .map((ss) => ({ ...ss, spans: ss.spans.filter((s) => spanIds.has(s.spanId)) }))
        .filter((ss) => ss.spans.length > 0),
    }))
    .filter((rs) => rs.scopeSpans.length > 0);
}

const sentinelAsStored = () => onlySpans(readTrace(collector.db, SENTINEL_TRACE_ID), SENTINEL_SPAN_IDS);

// ---- the cases ----

interface BadCase {
  kind: string;
  encoding: OtlpEncoding;
  gzip: boolean;
  body: Buffer;
}

/** Spans whose ids are random: valid, of a wrong length, all zeroes or absent (and bad parents). */
function invalidIdSpans(): Span[] {
  const id = (length: number) => {
    switch (rng.int(4)) {
      case 0:
        return rng.hexId(length); // valid
      case 1:
        return '00'.repeat(length);
      case 2:
        return '';
      default: {
        let wrong = rng.int(21);
        if (wrong === length) wrong++;
        return rng.hexId(wrong);
      }
    }
  };
  return Array.from({ length: 1 + rng.int(4) }, (_, i) =>
    span({
      traceId: id(16),
      spanId: id(8),
      parentSpanId: rng.chance(0.5) ? '' : id(8),
      name: `ids ${i}`,
    }),
  );
}

/** OTLP/JSON spans whose ids are not hex, base64, odd-length or of the wrong type. */
function invalidJsonIds(): string {
  const document = structuredClone(SENTINEL_JSON) as {
    resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };
  const spans = document.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
  const target = rng.pick(spans);
  const key = rng.pick(['traceId', 'spanId', 'parentSpanId']);
  target[key] = rng.pick<unknown>([
    Buffer.from(rng.hexId(16), 'hex').toString('base64'),
    `${rng.hexId(15)}zz`,
    rng.hexId(15).slice(1),
    rng.hexId(rng.int(24)),
    '00'.repeat(key === 'traceId' ? 16 : 8),
    12345,
    ['ab'],
    { hex: 'ab' },
  ]);
  return JSON.stringify(document);
}

/** 21 MiB of zeroes, gzipped to ~20 KiB: refused once inflated past the limit (413). */
const GZIP_BOMB = gzipSync(Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 1024 * 1024));

function protobufCase(): BadCase {
  const pick = rng.int(4);
  const make = (kind: string, body: Buffer): BadCase => ({ kind, encoding: 'protobuf', gzip: false, body });
  if (pick === 0) return make('random bytes', randomBody(rng));
  if (pick === 1) return make('truncated', truncate(rng, SENTINEL_BODY));
  if (pick === 2) return make('mutated', mutateBytes(rng, SENTINEL_BODY));
  return make('invalid ids', Buffer.from(encodeTraces(tracesRequest(invalidIdSpans()))));
}

function httpCase(): BadCase {
  const pick = rng.int(100);
  const json = (kind: string, body: Buffer | string): BadCase => ({
    kind: `json ${kind}`,
    encoding: 'json',
    gzip: false,
    body: Buffer.from(body),
  });
  if (pick < 45) {
    const c = protobufCase();
    return { ...c, kind: `protobuf ${c.kind}` };
  }
  if (pick < 50) return json('random bytes', randomBody(rng));
  if (pick < 55) return json('truncated', truncate(rng, Buffer.from(SENTINEL_JSON_TEXT)));
  if (pick < 62) return json('mutated', mutateBytes(rng, Buffer.from(SENTINEL_JSON_TEXT)));
  if (pick < 72) return json('invalid ids', invalidJsonIds());
  if (pick < 92) return json('wrong types', wrongTypes(rng, SENTINEL_JSON));
  const encoding: OtlpEncoding = rng.chance(0.5) ? 'protobuf' : 'json';
  const valid = encoding === 'protobuf' ? SENTINEL_BODY : Buffer.from(SENTINEL_JSON_TEXT);
  const gzip = (kind: string, body: Buffer): BadCase => ({
    kind: `gzip ${kind}`,
    encoding,
    gzip: true,
    body,
  });
  if (pick < 94) return gzip('random bytes', randomBody(rng));
  if (pick < 96) return gzip('truncated', truncate(rng, gzipSync(valid)));
  if (pick < 98) return gzip('mutated content', gzipSync(mutateBytes(rng, valid)));
  if (pick < 99) return gzip('mutated stream', mutateBytes(rng, gzipSync(valid)));
  return gzip('bomb', GZIP_BOMB);
}

// ---- what the collector should answer: the receiver's own decoder and validator run here ----

type Expected =
  | { status: 400; message: RegExp | string }
  | { status: 413 }
  | { status: 200; rejected: number; accepted: { traceId: Buffer; spanId: Buffer }[] }
  | { status: 500; error: unknown };

function expectedFor(c: BadCase): Expected {
  let body = c.body;
  if (c.gzip) {
    try {
      body = gunzipSync(body, { maxOutputLength: DEFAULT_MAX_BODY_BYTES });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { status: 413 };
      return { status: 400, message: /^cannot gunzip the request body: / };
    }
  }
  try {
    const request = decodeExportRequest('traces', body, c.encoding) as DecodedTraces;
    const validation = validateExport(request);
    if (validation.accepted === 0) return { status: 200, rejected: validation.rejected, accepted: [] };
    const prepared = prepareTraces(request);
    const accepted = (prepared.write?.signal === 'traces' ? prepared.write.groups : []).flatMap((group) =>
      group.rows.map((row) => ({ traceId: row.traceId, spanId: row.spanId })),
    );
    return { status: 200, rejected: validation.rejected + prepared.rejected, accepted };
  } catch (error) {
    if (error instanceof OtlpDecodeError) return { status: 400, message: error.message };
    return { status: 500, error };
  }
}

interface HttpAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

async function post(
  body: Buffer | string,
  headers: Record<string, string>,
  path = '/v1/traces',
): Promise<HttpAnswer> {
  try {
    const response = await fetch(`http://127.0.0.1:${collector.httpPort}${path}`, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: Buffer.from(await response.arrayBuffer()),
    };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      return { status: TIMED_OUT, contentType: '', body: Buffer.alloc(0) };
    throw error;
  }
}

const sendCase = (c: BadCase) =>
  post(c.body, {
    'Content-Type': CONTENT_TYPES[c.encoding],
    ...(c.gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });

function decodeStatus(answer: HttpAnswer): { code: number; message: string } {
  if (answer.contentType === 'application/json') return JSON.parse(answer.body.toString()) as never;
  return otlpTypes.Status.toObject(otlpTypes.Status.decode(answer.body)) as never;
}

function decodeResponse(answer: HttpAnswer): { rejected: number; message: string } {
  const response =
    answer.contentType === 'application/json'
      ? (JSON.parse(answer.body.toString()) as Record<string, unknown>)
      : otlpTypes.ExportTraceServiceResponse.toObject(
          otlpTypes.ExportTraceServiceResponse.decode(answer.body),
          {
            longs: Number,
          },
        );
  const partial = response.partialSuccess as
    | { rejectedSpans?: number | string; errorMessage?: string }
    | undefined;
  return { rejected: Number(partial?.rejectedSpans ?? 0), message: partial?.errorMessage ?? '' };
}

/** Runs `work` over the items with `concurrency` in flight, results in order. */
async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T);
      }
    }),
  );
  return results;
}

function histogram(labels: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of [...labels].sort()) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

const spanStored = (traceId: Buffer, spanId: Buffer) =>
  collector.db.prepare('SELECT 1 FROM spans WHERE trace_id = ? AND span_id = ?').get(traceId, spanId) !==
  undefined;

/** A fresh valid export over OTLP/HTTP protobuf, read back exactly: the collector still serves. */
async function expectStillServing(): Promise<void> {
  const fresh = tracesRequest([
    span({ traceId: rng.hexId(16), spanId: rng.hexId(8), name: 'still serving' }),
  ]);
  const answer = await post(Buffer.from(encodeTraces(fresh)), { 'Content-Type': CONTENT_TYPES.protobuf });
  expect(answer.status).toBe(200);
  expect(decodeResponse(answer)).toEqual({ rejected: 0, message: '' });
  const traceId = fresh.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
  expect(readTrace(collector.db, traceId)).toEqual(fresh.resourceSpans);
}

describe('a collector fed bad input', () => {
  it('stores the sentinel export first', async () => {
    const answer = await post(Buffer.from(SENTINEL_BODY), { 'Content-Type': CONTENT_TYPES.protobuf });
    expect(answer.status).toBe(200);
    expect(decodeResponse(answer)).toEqual({ rejected: 0, message: '' });
    expect(sentinelAsStored()).toEqual(SENTINEL.resourceSpans);
  });

  it(`answers ${HTTP_CASES} fuzzed OTLP/HTTP bodies with 200, 400 or 413, as its decoder predicts`, async () => {
    const cases = Array.from({ length: HTTP_CASES }, httpCase);
    const started = performance.now();
    const answers = await pool(cases, CONCURRENCY, sendCase);
    const elapsed = performance.now() - started;

    const labels: string[] = [];
    const byKind: Record<string, Record<string, number>> = {};
    const failures: string[] = [];
    const acceptedIds: { traceId: Buffer; spanId: Buffer }[] = [];
    cases.forEach((c, i) => {
      const answer = answers[i] as HttpAnswer;
      const expected = expectedFor(c);
      const partial = answer.status === 200 ? decodeResponse(answer) : undefined;
      const label = partial && partial.rejected > 0 ? '200 partial' : String(answer.status);
      labels.push(label);
      const kind = byKind[c.kind] ?? {};
      byKind[c.kind] = kind;
      kind[label] = (kind[label] ?? 0) + 1;

      const where = `case ${i} (${c.kind}, seed ${SEED})`;
      if (expected.status === 500) {
        failures.push(
          `${where}: answered ${answer.status}; the receiver's decoder throws ${String(expected.error)}`,
        );
        return;
      }
      if (answer.status !== expected.status) {
        const detail = answer.body.toString().slice(0, 200);
        failures.push(`${where}: answered ${answer.status}, expected ${expected.status}: ${detail}`);
        return;
      }
      if (!answer.contentType.startsWith(CONTENT_TYPES[c.encoding])) {
        failures.push(`${where}: answered in ${answer.contentType}, not in the request's encoding`);
      }
      if (expected.status === 400) {
        const status = decodeStatus(answer);
        const clear =
          status.code === GrpcStatus.INVALID_ARGUMENT &&
          (typeof expected.message === 'string'
            ? status.message === expected.message
            : expected.message.test(status.message));
        if (!clear)
          failures.push(`${where}: 400 with ${JSON.stringify(status)}, expected ${expected.message}`);
      } else if (expected.status === 413) {
        const status = decodeStatus(answer);
        if (!/exceeds the limit of \d+ bytes/.test(status.message)) {
          failures.push(`${where}: 413 with ${JSON.stringify(status)}`);
        }
      } else if (expected.status === 200 && partial) {
        if (partial.rejected !== expected.rejected) {
          failures.push(`${where}: rejected ${partial.rejected} spans, expected ${expected.rejected}`);
        }
        if (partial.rejected > 0 && !/trace_id|span_id|parent_span_id|2262/.test(partial.message)) {
          failures.push(`${where}: partial success does not name the problem: ${partial.message}`);
        }
        acceptedIds.push(...expected.accepted);
      }
    });

    console.log(
      `bad input, OTLP/HTTP: ${HTTP_CASES} cases (seed ${SEED}) in ${Math.round(elapsed)} ms;`,
      `statuses ${JSON.stringify(histogram(labels))}; spans accepted ${acceptedIds.length}`,
    );
    console.table(byKind);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(unexpectedErrors).toEqual([]);
    // Every status of the loop is one the OTLP spec allows for a bad request; no 5xx, no hang.
    expect(
      Object.keys(histogram(labels)).filter((l) => !['200', '200 partial', '400', '413'].includes(l)),
    ).toEqual([]);
    // The mix really exercised each answer.
    expect(labels.filter((l) => l === '400').length).toBeGreaterThan(HTTP_CASES / 4);
    expect(labels.filter((l) => l.startsWith('200')).length).toBeGreaterThan(HTTP_CASES / 10);
    expect(labels).toContain('200 partial');
    expect(labels).toContain('413');

    // What was acknowledged is stored, and every trace it touched reads back.
    const missing = acceptedIds.filter(({ traceId, spanId }) => !spanStored(traceId, spanId));
    expect(missing.length).toBe(0);
    const traceIds = new Set(acceptedIds.map(({ traceId }) => traceId.toString('hex')));
    for (const traceId of traceIds) expect(readTrace(collector.db, traceId).length).toBeGreaterThan(0);
    console.log(
      `bad input, OTLP/HTTP: ${acceptedIds.length} accepted spans in ${traceIds.size} traces, all stored`,
    );
  });

  it(`answers ${GRPC_CASES} fuzzed gRPC messages with OK or INVALID_ARGUMENT, as its decoder predicts`, async () => {
    const cases = Array.from({ length: GRPC_CASES }, protobufCase);
    const client = rawTraceClient(collector.grpcPort);
    const started = performance.now();
    const answers = await pool(cases, CONCURRENCY, (c) =>
      Promise.race([
        client.export(c.body).then((error) => ({ error, timedOut: false })),
        new Promise<{ error: ServiceError | null; timedOut: boolean }>((resolve) =>
          setTimeout(() => resolve({ error: null, timedOut: true }), REQUEST_TIMEOUT_MS).unref(),
        ),
      ]),
    );
    const elapsed = performance.now() - started;
    client.close();

    const labels: string[] = [];
    const failures: string[] = [];
    let accepted = 0;
    cases.forEach((c, i) => {
      const { error, timedOut } = answers[i] ?? { error: null, timedOut: true };
      const code = error === null ? GrpcStatus.OK : error.code;
      labels.push(timedOut ? 'TIMED_OUT' : (GrpcStatus[code] ?? String(code)));
      if (timedOut) {
        failures.push(`gRPC case ${i} (${c.kind}, seed ${SEED}): no answer in ${REQUEST_TIMEOUT_MS} ms`);
        return;
      }
      const expected = expectedFor(c);
      const where = `gRPC case ${i} (${c.kind}, seed ${SEED})`;
      if (expected.status === 200) {
        if (error !== null) failures.push(`${where}: ${GrpcStatus[code]} ${error.details}, expected OK`);
        for (const { traceId, spanId } of expected.accepted) {
          accepted++;
          if (!spanStored(traceId, spanId))
            failures.push(`${where}: span ${spanId.toString('hex')} not stored`);
        }
      } else if (expected.status === 400) {
        if (code !== GrpcStatus.INVALID_ARGUMENT || error?.details !== expected.message) {
          failures.push(`${where}: ${code} ${error?.details}, expected INVALID_ARGUMENT ${expected.message}`);
        }
      } else {
        const cause =
          expected.status === 500 ? `; the receiver's decoder throws ${String(expected.error)}` : '';
        failures.push(`${where}: answered ${code}, expected ${expected.status}${cause}`);
      }
    });
    console.log(
      `bad input, OTLP/gRPC: ${GRPC_CASES} cases in ${Math.round(elapsed)} ms;`,
      `statuses ${JSON.stringify(histogram(labels))}; spans accepted ${accepted}`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(labels.filter((l) => l !== 'OK' && l !== 'INVALID_ARGUMENT')).toEqual([]);
    expect(labels).toContain('OK');
    expect(labels).toContain('INVALID_ARGUMENT');
    expect(unexpectedErrors).toEqual([]);
  });

  it('still holds the sentinel exactly, and still accepts a valid export', async () => {
    expect(sentinelAsStored()).toEqual(SENTINEL.resourceSpans);
    await expectStillServing();
  });

  it('stores a 10 MB attribute value and reads it back exactly (HTTP/protobuf and gRPC)', async () => {
    const tenMegabytes = 10 * 1024 * 1024;
    const pattern = 'tank T1 niveau ✓ 3.2 m; ';
    const big = pattern.repeat(Math.ceil(tenMegabytes / pattern.length)).slice(0, tenMegabytes);
    const make = (name: string) =>
      tracesRequest([
        span({
          traceId: rng.hexId(16),
          spanId: rng.hexId(8),
          name,
          attributes: attrs({ 'dss.payload': str(big) }),
        }),
      ]);
    const overHttp = make('10 MB over HTTP');
    const httpBody = Buffer.from(encodeTraces(overHttp));
    expect(httpBody.length).toBeLessThan(DEFAULT_MAX_BODY_BYTES);
    const answer = await post(httpBody, { 'Content-Type': CONTENT_TYPES.protobuf });
    expect(answer.status).toBe(200);
    expect(decodeResponse(answer)).toEqual({ rejected: 0, message: '' });

    const overGrpc = make('10 MB over gRPC');
    const client = rawTraceClient(collector.grpcPort);
    expect(await client.export(encodeTraces(overGrpc))).toBeNull();
    client.close();

    for (const sent of [overHttp, overGrpc]) {
      const traceId = sent.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId as string;
      const stored = readTrace(collector.db, traceId);
      const value = findAttribute(stored[0]?.scopeSpans[0]?.spans[0]?.attributes ?? [], 'dss.payload');
      expect(value?.type === 'string' && value.value.length).toBe(tenMegabytes);
      expect(value?.type === 'string' && value.value === big).toBe(true);
      expect(stored).toEqual(sent.resourceSpans);
    }
  });

  it('refuses attribute values over the body limit with 413 / RESOURCE_EXHAUSTED and a clear message', async () => {
    // startCollector has no body-limit option: its receivers keep their defaults (HTTP 20 MiB,
    // gRPC 16 MiB), so the refusal is tested just past those.
    const huge = 'x'.repeat(DEFAULT_MAX_BODY_BYTES + 1024);
    const body = Buffer.from(
      encodeTraces(
        tracesRequest([
          span({
            traceId: rng.hexId(16),
            spanId: rng.hexId(8),
            attributes: attrs({ 'dss.payload': str(huge) }),
          }),
        ]),
      ),
    );
    const declared = await request(collector.httpPort, {
      path: '/v1/traces',
      headers: { 'Content-Type': CONTENT_TYPES.protobuf },
      body,
    });
    expect(declared.status).toBe(413);
    expect(otlpTypes.Status.toObject(otlpTypes.Status.decode(declared.body))).toEqual({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      message: `request body of ${body.length} bytes (Content-Length) exceeds the limit of ${DEFAULT_MAX_BODY_BYTES} bytes`,
    });

    const chunks = Array.from({ length: Math.ceil(body.length / (1024 * 1024)) }, (_, i) =>
      body.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024),
    );
    const chunked = await request(collector.httpPort, {
      path: '/v1/traces',
      headers: { 'Content-Type': CONTENT_TYPES.protobuf },
      body: chunks,
    });
    expect(chunked.status).toBe(413);
    expect(otlpTypes.Status.toObject(otlpTypes.Status.decode(chunked.body))).toEqual({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      message: `request body exceeds the limit of ${DEFAULT_MAX_BODY_BYTES} bytes`,
    });

    expect(body.length).toBeGreaterThan(DEFAULT_MAX_MESSAGE_BYTES);
    const client = rawTraceClient(collector.grpcPort);
    const error = await client.export(body);
    client.close();
    expect(error?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(error?.details).toMatch(/larger than max/);

    await expectStillServing();
  });

  describe('deeply nested attribute maps', () => {
    const deepSpan = (name: string) => ({ traceId: rng.hexId(16), spanId: rng.hexId(8), name });

    /** The AnyValue `nestedKvlistValue(depth)` encodes. */
    function nestedValue(depth: number): AnyValue {
      let value: AnyValue = str('leaf');
      for (let i = 0; i < depth; i++) value = { type: 'kvlist', value: attrs({ k: value }) };
      return value;
    }

    it('stores a kvlist nested 25 deep and reads it back exactly', async () => {
      const s = deepSpan('nested 25');
      const answer = await post(traceRequestWithRawAttribute(s, nestedKvlistValue(25)), {
        'Content-Type': CONTENT_TYPES.protobuf,
      });
      expect(answer.status).toBe(200);
      expect(decodeResponse(answer)).toEqual({ rejected: 0, message: '' });
      const stored = readTrace(collector.db, s.traceId)[0]?.scopeSpans[0]?.spans[0];
      expect(findAttribute(stored?.attributes ?? [], 'deep')).toEqual(nestedValue(25));

      const jsonSpan = deepSpan('nested 25 JSON');
      const jsonAnswer = await post(nestedKvlistJson(jsonSpan, 25), { 'Content-Type': CONTENT_TYPES.json });
      expect(jsonAnswer.status).toBe(200);
      const jsonStored = readTrace(collector.db, jsonSpan.traceId)[0]?.scopeSpans[0]?.spans[0];
      expect(findAttribute(jsonStored?.attributes ?? [], 'deep')).toEqual(nestedValue(25));
    });

    for (const depth of [200, 10_000, 100_000]) {
      it(`refuses a kvlist nested ${depth} deep with a clear 400 / INVALID_ARGUMENT, and keeps serving`, async () => {
        const s = deepSpan(`nested ${depth}`);
        const protobuf = traceRequestWithRawAttribute(s, nestedKvlistValue(depth));
        const answer = await post(protobuf, { 'Content-Type': CONTENT_TYPES.protobuf });
        expect(answer.status).toBe(400);
        expect(decodeStatus(answer)).toEqual({
          code: GrpcStatus.INVALID_ARGUMENT,
          message: 'invalid protobuf: max depth exceeded',
        });

        const json = await post(nestedKvlistJson(s, depth), { 'Content-Type': CONTENT_TYPES.json });
        expect(json.status).toBe(400);
        expect(decodeStatus(json)).toEqual({
          code: GrpcStatus.INVALID_ARGUMENT,
          message: 'invalid OTLP/JSON: max depth exceeded',
        });

        const client = rawTraceClient(collector.grpcPort);
        const error = await client.export(protobuf);
        client.close();
        expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
        expect(error?.details).toBe('invalid protobuf: max depth exceeded');

        expect(readTrace(collector.db, s.traceId)).toEqual([]);
        expect(unexpectedErrors).toEqual([]);
        await expectStillServing();
      });
    }
  });

  it('answers unsupported content types and encodings with 415 naming what to use', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { 'Content-Type': 'text/plain' },
        /unsupported content type "text\/plain", use application\/x-protobuf or application\/json/,
      ],
      [{ 'Content-Type': 'application/grpc' }, /unsupported content type "application\/grpc"/],
      [
        { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'br' },
        /unsupported content encoding "br", use gzip or none/,
      ],
    ];
    for (const [headers, message] of cases) {
      const answer = await post(Buffer.from(SENTINEL_BODY), headers);
      expect(answer.status).toBe(415);
      expect(decodeStatus(answer)).toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        message: expect.stringMatching(message),
      });
    }
    // No content type at all.
    const bare = await request(collector.httpPort, { path: '/v1/traces', body: Buffer.from(SENTINEL_BODY) });
    expect(bare.status).toBe(415);
  });

  it('has lost nothing it acknowledged, reported no internal error, and still serves', async () => {
    expect(sentinelAsStored()).toEqual(SENTINEL.resourceSpans);
    expect(unexpectedErrors).toEqual([]);
    await expectStillServing();
  });
});
