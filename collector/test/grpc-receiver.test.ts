// OTLP/gRPC specifics, with a raw grpc-js client (bytes in, bytes out, as the OTel exporters do).
import * as grpc from '@grpc/grpc-js';
import protojson from 'protobufjs/ext/protojson.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InMemorySink,
  otlpTypes,
  type RunningReceiver,
  SinkOverloadedError,
  startOtlpGrpcReceiver,
} from '../src/receiver/index.ts';
import { ScriptedSink } from './support/scripted-sink.ts';
import { exportWith, recordSpans, traceExporter } from './support/sdk-telemetry.ts';

const TRACES_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOGS_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

type ExportCallback = (error: grpc.ServiceError | null, response?: Buffer) => void;
type RawClient = grpc.Client & {
  Export(body: Buffer, metadata: grpc.Metadata, callback: ExportCallback): void;
};

function rawClient(port: number, path: string, options: grpc.ClientOptions = {}): RawClient {
  const identity = (buffer: Buffer) => buffer;
  const Client = grpc.makeGenericClientConstructor(
    {
      Export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    'RawOtlpClient',
  );
  return new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), options) as unknown as RawClient;
}

async function call(client: RawClient, body: Uint8Array, metadata = new grpc.Metadata()) {
  return new Promise<{ error: grpc.ServiceError | null; response?: Buffer }>((resolve) => {
    client.Export(Buffer.from(body), metadata, (error, response) => resolve({ error, response }));
  });
}

/** A trace request from OTLP/JSON-ish input with base64 ids (ProtoJSON's bytes encoding). */
const traceRequest = (...spans: object[]) =>
  otlpTypes.ExportTraceServiceRequest.encode(
    protojson.fromJson(otlpTypes.ExportTraceServiceRequest, { resourceSpans: [{ scopeSpans: [{ spans }] }] }),
  ).finish();
const span = (name: string) => ({ traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=', name });

describe('the OTLP/gRPC receiver', () => {
  const sink = new ScriptedSink();
  const onError = vi.fn();
  let receiver: RunningReceiver;
  let traces: RawClient;

  beforeAll(async () => {
    receiver = await startOtlpGrpcReceiver({
      host: '127.0.0.1',
      port: 0,
      sink,
      onError,
      maxMessageBytes: 64 * 1024,
    });
    traces = rawClient(receiver.port, TRACES_PATH);
  });
  afterAll(async () => {
    traces.close();
    await receiver.close();
  });
  beforeEach(() => {
    sink.memory.clear();
    sink.calls = 0;
    onError.mockClear();
  });

  it('answers a full success with an empty response and passes the metadata to the sink', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-scope-orgid', 'aveiro');
    const { error, response } = await call(traces, traceRequest(span('ok')), metadata);
    expect(error).toBeNull();
    expect(otlpTypes.ExportTraceServiceResponse.decode(response ?? Buffer.alloc(0)).toJSON()).toEqual({});
    expect(sink.memory.received[0]?.context).toMatchObject({
      transport: 'grpc',
      headers: { 'x-scope-orgid': 'aveiro' },
    });
    expect(sink.memory.allSpans()[0]?.span).toMatchObject({
      name: 'ok',
      traceId: '5b8efff798038103d269b633813fc60c',
    });
  });

  it('serves every signal on its own method', async () => {
    const logs = rawClient(receiver.port, LOGS_PATH);
    const body = otlpTypes.ExportLogsServiceRequest.encode(
      otlpTypes.ExportLogsServiceRequest.fromObject({
        resourceLogs: [
          { scopeLogs: [{ logRecords: [{ body: { stringValue: 'hello' }, timeUnixNano: '1' }] }] },
        ],
      }),
    ).finish();
    const { error } = await call(logs, body);
    logs.close();
    expect(error).toBeNull();
    expect(sink.memory.allLogRecords()[0]?.logRecord.body).toEqual({ type: 'string', value: 'hello' });
  });

  it('answers UNIMPLEMENTED for a service it does not serve', async () => {
    const profiles = rawClient(
      receiver.port,
      '/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export',
    );
    const { error } = await call(profiles, Buffer.alloc(0));
    profiles.close();
    expect(error?.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  it('reports partial success', async () => {
    const { error, response } = await call(
      traces,
      traceRequest(span('kept'), { ...span('bad'), spanId: 'AAAAAAAAAAA=' }),
    );
    expect(error).toBeNull();
    const decoded = otlpTypes.ExportTraceServiceResponse.toObject(
      otlpTypes.ExportTraceServiceResponse.decode(response ?? Buffer.alloc(0)),
      { longs: Number },
    );
    expect(decoded).toEqual({
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage:
          'rejected 1 of 2 spans: resource_spans[0].scope_spans[0].spans[1]: span_id is all zeroes',
      },
    });
    expect(sink.memory.allSpans().map((s) => s.span.name)).toEqual(['kept']);
  });

  it('answers INVALID_ARGUMENT to an undecodable message', async () => {
    const { error } = await call(traces, Buffer.from([0x0a, 0xff, 0xff, 0x01]));
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/^invalid protobuf/);
    expect(sink.calls).toBe(0);
  });

  it('answers RESOURCE_EXHAUSTED to a message over maxMessageBytes, also when it only inflates past it', async () => {
    const { error } = await call(traces, traceRequest(span('x'.repeat(70 * 1024))));
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);

    const gzipping = rawClient(receiver.port, TRACES_PATH, { 'grpc.default_compression_algorithm': 2 });
    const bomb = await call(gzipping, traceRequest(span('x'.repeat(1024 * 1024))));
    const zipped = await call(gzipping, traceRequest(span('zipped')));
    gzipping.close();
    expect(bomb.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(bomb.error?.details).toMatch(/decompresses to a size larger/);
    expect(zipped.error).toBeNull();
    expect(sink.memory.allSpans().map((s) => s.span.name)).toEqual(['zipped']);
  });

  it('answers UNAVAILABLE with a RetryInfo detail when the sink is overloaded', async () => {
    sink.queue(() => {
      throw new SinkOverloadedError(3, 'store queue full');
    });
    const { error } = await call(traces, traceRequest(span('refused')));
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(error?.details).toBe('store queue full');
    const [details] = error?.metadata.get('grpc-status-details-bin') ?? [];
    const status = otlpTypes.Status.toObject(otlpTypes.Status.decode(details as Buffer), { longs: Number });
    expect(status).toMatchObject({ code: grpc.status.UNAVAILABLE, message: 'store queue full' });
    expect(status.details[0].typeUrl).toBe('type.googleapis.com/google.rpc.RetryInfo');
    expect(
      otlpTypes.RetryInfo.toObject(otlpTypes.RetryInfo.decode(status.details[0].value), { longs: Number }),
    ).toEqual({
      retryDelay: { seconds: 3 },
    });
  });

  it('answers INTERNAL when the sink fails, reports the error and keeps serving', async () => {
    const failure = new Error('disk full');
    sink.queue(() => {
      throw failure;
    });
    const failed = await call(traces, traceRequest(span('lost')));
    expect(failed.error?.code).toBe(grpc.status.INTERNAL);
    expect(onError).toHaveBeenCalledWith(failure);
    const next = await call(traces, traceRequest(span('next')));
    expect(next.error).toBeNull();
    expect(sink.memory.allSpans().map((s) => s.span.name)).toEqual(['next']);
  });

  it('is what the JS SDK gRPC exporter sees when overloaded (it does not retry gRPC errors itself)', async () => {
    sink.queue(() => {
      throw new SinkOverloadedError(1);
    });
    const result = await exportWith(traceExporter('grpc', receiver.port), await recordSpans());
    expect(result.code).toBe(1); // FAILED
    expect((result.error as grpc.ServiceError | undefined)?.code).toBe(grpc.status.UNAVAILABLE);
    expect(sink.calls).toBe(1);
  });
});

describe('closing a gRPC receiver', () => {
  it('waits for an in-flight export to be answered', async () => {
    let release = () => {};
    let started = false;
    const memory = new InMemorySink();
    const receiver = await startOtlpGrpcReceiver({
      port: 0,
      sink: {
        consume: async (request, context) => {
          started = true;
          await new Promise<void>((resolve) => (release = resolve));
          return memory.consume(request, context);
        },
      },
    });
    const client = rawClient(receiver.port, TRACES_PATH);
    const pending = call(client, traceRequest(span('in flight')));
    await vi.waitFor(() => expect(started).toBe(true));
    const closed = receiver.close();
    release();
    expect((await pending).error).toBeNull();
    await closed;
    client.close();
    expect(memory.allSpans()).toHaveLength(1);
  });
});
