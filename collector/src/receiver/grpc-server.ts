// OTLP/gRPC: the three unary Export methods. grpc-js moves raw Buffers (identity serialisers, as the
// OTel exporters do on their side) and we decode with protobufjs in the handler, so a bad message
// becomes INVALID_ARGUMENT with our message rather than grpc-js' generic deserialisation error.
// grpc-js itself handles grpc-encoding: gzip and enforces maxMessageBytes, also after decompression.
import * as grpc from '@grpc/grpc-js';
import { type AuthConfig, AuthError } from '../auth/tokens.ts';
import type { OtlpSignal } from './decoded-types.ts';
import { OtlpDecodeError } from './errors.ts';
import { CONNECTION_WINDOW_BYTES, widenReceiveWindows } from './grpc-flow-control.ts';
import { handleExport } from './handle-export.ts';
import {
  encodeExportResponse,
  encodeStatusWithRetryInfo,
  GrpcCode,
  SINK_FAILURE_MESSAGE,
} from './responses.ts';
import type { RunningReceiver } from './running-receiver.ts';
import { SIGNAL_NAMES, SIGNALS } from './signals.ts';
import { type OtlpSink, SinkOverloadedError } from './sink.ts';

/** Larger than gRPC's 4 MiB default: one batch from a busy SDK can exceed it. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** How long close() lets in-flight calls finish before cutting connections. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface OtlpGrpcReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4317; 0 picks a free port. */
  port?: number;
  sink: OtlpSink;
  /** Largest accepted message, compressed or decompressed (RESOURCE_EXHAUSTED above it). */
  maxMessageBytes?: number;
  /** Called with unexpected errors, e.g. the sink failing other than with SinkOverloadedError. Default: console.error. */
  onError?: (error: unknown) => void;
  /** Bearer tokens: when set, every export needs one, and a tenant token writes only its tenant. */
  auth?: AuthConfig;
}

export async function startOtlpGrpcReceiver(options: OtlpGrpcReceiverOptions): Promise<RunningReceiver> {
  const onError = options.onError ?? ((error: unknown) => console.error('OTLP/gRPC receiver:', error));
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    // Read by grpc-js servers once grpc/grpc-node#3058 is released; widenReceiveWindows() does it until then.
    'grpc-node.flow_control_window': CONNECTION_WINDOW_BYTES,
  });
  for (const signal of SIGNAL_NAMES) {
    server.addService(serviceDefinition(signal), {
      Export: exportHandler(signal, options.sink, onError, options.auth),
    });
  }
  const host = options.host ?? '127.0.0.1';
  const address = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 4317}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
  widenReceiveWindows(server);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

function serviceDefinition(signal: OtlpSignal): grpc.ServiceDefinition {
  const identity = (buffer: Buffer) => buffer;
  return {
    Export: {
      path: SIGNALS[signal].grpcPath,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'export',
    },
  };
}

function exportHandler(
  signal: OtlpSignal,
  sink: OtlpSink,
  onError: (error: unknown) => void,
  auth: AuthConfig | undefined,
): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    handleExport(
      signal,
      call.request,
      'protobuf',
      sink,
      { transport: 'grpc', headers: metadataToHeaders(call.metadata) },
      auth,
    )
      .then((outcome) => Buffer.from(encodeExportResponse(signal, outcome, 'protobuf')))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error, onError)),
      );
  };
}

function toServiceError(error: unknown, onError: (error: unknown) => void): Partial<grpc.StatusObject> {
  if (error instanceof OtlpDecodeError) return { code: GrpcCode.INVALID_ARGUMENT, details: error.message };
  if (error instanceof AuthError) {
    return {
      code: error.status === 401 ? GrpcCode.UNAUTHENTICATED : GrpcCode.PERMISSION_DENIED,
      details: error.message,
    };
  }
  if (error instanceof SinkOverloadedError) {
    // UNAVAILABLE is retryable by itself; RetryInfo tells clients that honour it how long to wait.
    const metadata = new grpc.Metadata();
    metadata.set(
      'grpc-status-details-bin',
      Buffer.from(encodeStatusWithRetryInfo(GrpcCode.UNAVAILABLE, error.message, error.retryAfterSeconds)),
    );
    return { code: GrpcCode.UNAVAILABLE, details: error.message, metadata };
  }
  onError(error);
  return { code: GrpcCode.INTERNAL, details: SINK_FAILURE_MESSAGE };
}

function metadataToHeaders(metadata: grpc.Metadata): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    headers[key] = values
      .map((value) => (typeof value === 'string' ? value : value.toString('base64')))
      .join(', ');
  }
  return headers;
}
