// OTLP/HTTP specifics: encodings, status codes, error bodies, limits, partial success, back-pressure.
import { gzipSync } from 'node:zlib';
import protojson from 'protobufjs/ext/protojson.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type OtlpSink,
  otlpTypes,
  type RunningReceiver,
  SinkOverloadedError,
  startOtlpHttpReceiver,
} from '../src/receiver/index.ts';
import { request } from './support/http-client.ts';
import { ScriptedSink } from './support/scripted-sink.ts';
import { exportWith, logExporter, recordLogs, recordSpans, traceExporter } from './support/sdk-telemetry.ts';

const MAX_BODY_BYTES = 64 * 1024;
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const JSON_TYPE = { 'Content-Type': 'application/json' };
const PROTOBUF_TYPE = { 'Content-Type': 'application/x-protobuf' };

const spansJson = (...spans: object[]) =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
        scopeSpans: [{ spans }],
      },
    ],
  });
const goodSpan = (name: string, spanId = 'eee19b7ec3c1b174') => ({ traceId: TRACE_ID, spanId, name });

const metricsJson = JSON.stringify({
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
      scopeMetrics: [
        {
          scope: { name: 'manual' },
          metrics: [
            {
              name: 'dss.job.duration',
              unit: 's',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    attributes: [{ key: 'dss.job.name', value: { stringValue: 'nightly' } }],
                    startTimeUnixNano: '1700000000000000000',
                    timeUnixNano: '1700000060000000000',
                    count: '4',
                    sum: 12.5,
                    bucketCounts: ['1', '2', '1'],
                    explicitBounds: [1, 5],
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
});

const decodeStatus = (body: Buffer) => otlpTypes.Status.toObject(otlpTypes.Status.decode(body));

describe('the OTLP/HTTP receiver', () => {
  const sink = new ScriptedSink();
  const onError = vi.fn();
  let receiver: RunningReceiver;
  const post = (path: string, headers: Record<string, string>, body?: Buffer | string | Buffer[]) =>
    request(receiver.port, { path, headers, body });

  beforeAll(async () => {
    receiver = await startOtlpHttpReceiver({
      host: '127.0.0.1',
      port: 0,
      sink,
      maxBodyBytes: MAX_BODY_BYTES,
      onError,
    });
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    sink.memory.clear();
    sink.calls = 0;
    onError.mockClear();
  });

  describe('on success', () => {
    it('answers JSON requests with a JSON Export*ServiceResponse, without partial_success', async () => {
      const response = await post('/v1/metrics', JSON_TYPE, metricsJson);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      expect(JSON.parse(response.body.toString())).toEqual({});
      const metric = sink.memory.allMetrics()[0]?.metric;
      expect(metric).toMatchObject({
        name: 'dss.job.duration',
        type: 'histogram',
        dataPoints: [{ count: 4, sum: 12.5, bucketCounts: [1, 2, 1], explicitBounds: [1, 5] }],
      });
    });

    it('answers protobuf requests with a protobuf response', async () => {
      const body = otlpTypes.ExportTraceServiceRequest.encode(
        protojson.fromJson(otlpTypes.ExportTraceServiceRequest, {
          resourceSpans: [
            {
              scopeSpans: [
                { spans: [{ traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=', name: 'p' }] },
              ],
            },
          ],
        }),
      ).finish();
      const response = await post('/v1/traces', PROTOBUF_TYPE, Buffer.from(body));
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-protobuf');
      expect(otlpTypes.ExportTraceServiceResponse.decode(response.body).toJSON()).toEqual({});
      expect(sink.memory.allSpans()[0]?.span).toMatchObject({
        traceId: TRACE_ID,
        spanId: 'eee19b7ec3c1b174',
        name: 'p',
      });
    });

    it('accepts gzip bodies, media type parameters and a query string', async () => {
      const response = await post(
        '/v1/traces?tenant=x',
        { 'Content-Type': 'application/json; charset=utf-8', 'Content-Encoding': 'gzip' },
        gzipSync(spansJson(goodSpan('zipped'))),
      );
      expect(response.status).toBe(200);
      expect(sink.memory.allSpans().map((s) => s.span.name)).toEqual(['zipped']);
    });

    it('gives the sink the request headers', async () => {
      await post('/v1/traces', { ...JSON_TYPE, 'X-Scope-OrgID': 'aveiro' }, spansJson(goodSpan('a')));
      expect(sink.memory.received[0]?.context).toMatchObject({
        transport: 'http',
        headers: { 'x-scope-orgid': 'aveiro', 'content-type': 'application/json' },
      });
    });

    it('acknowledges an empty request without calling the sink', async () => {
      const response = await post('/v1/logs', JSON_TYPE, '{}');
      expect(response.status).toBe(200);
      expect(sink.calls).toBe(0);
    });

    it('answers only after the sink has resolved', async () => {
      let release = () => {};
      sink.queue(() => new Promise((resolve) => (release = () => resolve(undefined))));
      let answered = false;
      const pending = post('/v1/traces', JSON_TYPE, spansJson(goodSpan('slow'))).then((r) => {
        answered = true;
        return r;
      });
      await vi.waitFor(() => expect(sink.calls).toBe(1));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(answered).toBe(false);
      release();
      expect((await pending).status).toBe(200);
    });
  });

  describe('partial success', () => {
    it('drops invalid spans, stores the rest and reports count and message (JSON)', async () => {
      const response = await post(
        '/v1/traces',
        JSON_TYPE,
        spansJson(
          goodSpan('kept 1'),
          { traceId: TRACE_ID.slice(4), spanId: 'eee19b7ec3c1b174' },
          goodSpan('kept 2'),
        ),
      );
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString())).toEqual({
        partialSuccess: {
          rejectedSpans: '1', // int64 is a string in (OTLP) JSON
          errorMessage:
            'rejected 1 of 3 spans: resource_spans[0].scope_spans[0].spans[1]: trace_id must be 16 bytes, got 14',
        },
      });
      expect(sink.memory.allSpans().map((s) => s.span.name)).toEqual(['kept 1', 'kept 2']);
    });

    it('adds what the sink rejects (protobuf)', async () => {
      sink.queue(() => ({ rejected: 2, message: 'duplicate spans' }));
      const body = Buffer.from(
        otlpTypes.ExportTraceServiceRequest.encode(
          protojson.fromJson(otlpTypes.ExportTraceServiceRequest, {
            resourceSpans: [
              {
                scopeSpans: [
                  {
                    spans: [
                      { traceId: 'AAAA', spanId: 'AAAAAAAAAAA=' },
                      { traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=' },
                    ],
                  },
                ],
              },
            ],
          }),
        ).finish(),
      );
      const response = await post('/v1/traces', PROTOBUF_TYPE, body);
      expect(response.status).toBe(200);
      const decoded = otlpTypes.ExportTraceServiceResponse.toObject(
        otlpTypes.ExportTraceServiceResponse.decode(response.body),
        { longs: Number },
      );
      expect(decoded).toEqual({
        partialSuccess: {
          rejectedSpans: 3,
          errorMessage:
            'rejected 1 of 2 spans: resource_spans[0].scope_spans[0].spans[0]: trace_id must be 16 bytes, got 3; duplicate spans',
        },
      });
    });
  });

  describe('undecodable bodies: 400 with a google.rpc.Status in the request encoding', () => {
    it('malformed protobuf', async () => {
      const response = await post('/v1/traces', PROTOBUF_TYPE, Buffer.from([0x0a, 0xff, 0xff, 0x01]));
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe('application/x-protobuf');
      expect(decodeStatus(response.body)).toMatchObject({
        code: 3,
        message: expect.stringMatching(/^invalid protobuf/),
      });
    });

    it('malformed JSON', async () => {
      const response = await post('/v1/logs', JSON_TYPE, '{"resourceLogs": [}');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe('application/json');
      expect(JSON.parse(response.body.toString())).toMatchObject({
        code: 3,
        message: expect.stringMatching(/^invalid JSON/),
      });
    });

    it('JSON of the wrong shape', async () => {
      const response = await post('/v1/metrics', JSON_TYPE, '{"resourceMetrics": [{"scopeMetrics": 7}]}');
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body.toString()).message).toMatch(/expected array/);
    });

    it('a body that is not gzip though it says so', async () => {
      const response = await post('/v1/traces', { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, spansJson());
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body.toString()).message).toMatch(/cannot gunzip/);
      expect(sink.calls).toBe(0);
    });
  });

  describe('413 for bodies over maxBodyBytes', () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);

    it('when Content-Length says so', async () => {
      const response = await post('/v1/traces', JSON_TYPE, big);
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body.toString()).message).toBe(
        'request body of 65537 bytes (Content-Length) exceeds the limit of 65536 bytes',
      );
    });

    it('when a chunked body grows past the limit while streaming', async () => {
      const chunks = Array.from({ length: 40 }, () => Buffer.alloc(4096, 0x20));
      const response = await post('/v1/traces', JSON_TYPE, chunks);
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body.toString()).message).toBe(
        'request body exceeds the limit of 65536 bytes',
      );
    });

    it('when the gzip body inflates past the limit (a gzip bomb)', async () => {
      const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)); // 50 MiB of spaces in ~50 KiB
      expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
      const response = await post('/v1/traces', { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, bomb);
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body.toString()).message).toMatch(/decompressed request body exceeds/);
    });

    it('and keeps serving afterwards', async () => {
      expect((await post('/v1/traces', JSON_TYPE, spansJson(goodSpan('after')))).status).toBe(200);
    });
  });

  describe('other client errors', () => {
    it('415 for an unsupported content type', async () => {
      const response = await post('/v1/traces', { 'Content-Type': 'text/plain' }, 'hello');
      expect(response.status).toBe(415);
      expect(JSON.parse(response.body.toString()).message).toMatch(
        /application\/x-protobuf or application\/json/,
      );
    });

    it('415 for an unsupported content encoding', async () => {
      const response = await post(
        '/v1/traces',
        { ...PROTOBUF_TYPE, 'Content-Encoding': 'br' },
        Buffer.alloc(1),
      );
      expect(response.status).toBe(415);
      expect(response.headers['accept-encoding']).toBe('gzip');
      expect(decodeStatus(response.body).message).toMatch(/content encoding/);
    });

    it('404 for an unknown path', async () => {
      const response = await post('/v1/profiles', JSON_TYPE, '{}');
      expect(response.status).toBe(404);
    });

    it('405 for another method than POST', async () => {
      const response = await request(receiver.port, { method: 'GET', path: '/v1/traces' });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
    });
  });

  describe('when the sink is overloaded', () => {
    it('answers 503 with Retry-After', async () => {
      sink.queue(() => {
        throw new SinkOverloadedError(7);
      });
      const response = await post('/v1/traces', JSON_TYPE, spansJson(goodSpan('refused')));
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(JSON.parse(response.body.toString())).toMatchObject({
        code: 14,
        message: expect.stringMatching(/overloaded/),
      });
      expect(sink.memory.allSpans()).toHaveLength(0);
    });

    it('makes the SDK exporters (http/protobuf, http/json) back off, retry and deliver', async () => {
      sink.queue(
        () => {
          throw new SinkOverloadedError(1);
        },
        () => {
          throw new SinkOverloadedError(1);
        },
      );
      const started = Date.now();
      const [traces, logs] = await Promise.all([
        exportWith(traceExporter('http/protobuf', receiver.port), await recordSpans()),
        exportWith(logExporter('http/json', receiver.port), (await recordLogs()).records),
      ]);
      expect(traces.code).toBe(0);
      expect(logs.code).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // Retry-After: 1 was honoured
      expect(sink.calls).toBe(4);
      expect(sink.memory.allSpans()).toHaveLength(2);
      expect(sink.memory.allLogRecords()).toHaveLength(2);
    });
  });

  describe('when the sink fails', () => {
    it('answers 500 (not retryable), reports the error and keeps serving', async () => {
      const failure = new Error('disk full');
      sink.queue(() => {
        throw failure;
      });
      const failed = await post('/v1/traces', JSON_TYPE, spansJson(goodSpan('lost')));
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.body.toString())).toMatchObject({
        code: 13,
        message: expect.stringMatching(/could not store/),
      });
      expect(onError).toHaveBeenCalledWith(failure);
      expect((await post('/v1/traces', JSON_TYPE, spansJson(goodSpan('next')))).status).toBe(200);
      expect(sink.memory.allSpans().map((s) => s.span.name)).toEqual(['next']);
    });
  });
});

describe('a receiver whose sink never throws', () => {
  it('can bind port 0 twice and close both', async () => {
    const sink: OtlpSink = { consume: async () => undefined };
    const a = await startOtlpHttpReceiver({ port: 0, sink });
    const b = await startOtlpHttpReceiver({ port: 0, sink });
    expect(a.port).not.toBe(b.port);
    await Promise.all([a.close(), b.close()]);
  });
});
