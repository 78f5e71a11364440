// OTLP/HTTP: POST /v1/traces, /v1/metrics, /v1/logs with protobuf or JSON bodies, optionally gzipped.
// Status codes follow the OTLP specification: 200 (possibly with partial_success), 400 undecodable,
// 413 too large, 415 unsupported media type or content coding, 404 unknown path, 405 not POST,
// 503 + Retry-After when the sink is overloaded (retryable), 500 when the sink fails (not retryable).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthConfig, AuthError } from '../auth/tokens.ts';
import type { OtlpEncoding } from './decode.ts';
import type { OtlpSignal } from './decoded-types.ts';
import { OtlpDecodeError } from './errors.ts';
import { handleExport } from './handle-export.ts';
import {
  BodyEncodingError,
  BodyTooLargeError,
  ClientGoneError,
  type ContentCoding,
  readRequestBody,
} from './http-body.ts';
import { encodeExportResponse, encodeStatus, GrpcCode, SINK_FAILURE_MESSAGE } from './responses.ts';
import type { RunningReceiver } from './running-receiver.ts';
import { SIGNAL_NAMES, SIGNALS } from './signals.ts';
import { type OtlpSink, SinkOverloadedError } from './sink.ts';

/** The OpenTelemetry Collector's default `max_request_body_size`. */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface OtlpHttpReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4318; 0 picks a free port. */
  port?: number;
  sink: OtlpSink;
  /** Limit for the body, checked on the bytes received and again after gunzip. */
  maxBodyBytes?: number;
  /** Called with unexpected errors, e.g. the sink failing other than with SinkOverloadedError. Default: console.error. */
  onError?: (error: unknown) => void;
  /** Bearer tokens: when set, every export needs one, and a tenant token writes only its tenant. */
  auth?: AuthConfig;
}

/** How long close() lets in-flight exports finish before cutting connections. */
const SHUTDOWN_GRACE_MS = 5_000;

const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

const SIGNAL_BY_PATH = new Map<string, OtlpSignal>(
  SIGNAL_NAMES.map((signal) => [SIGNALS[signal].httpPath, signal]),
);

export async function startOtlpHttpReceiver(options: OtlpHttpReceiverOptions): Promise<RunningReceiver> {
  const settings = {
    sink: options.sink,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    auth: options.auth,
    onError: options.onError ?? ((error: unknown) => console.error('OTLP/HTTP receiver:', error)),
  };
  const server = http.createServer((request, response) => {
    handleRequest(request, response, settings).catch((error: unknown) => {
      // Only reachable through a bug in this file; never let it take the process down.
      settings.onError(error);
      if (!response.headersSent)
        respond(response, 500, 'json', encodeStatus(GrpcCode.INTERNAL, 'internal error', 'json'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4318, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // In-flight exports get a grace period to be answered; idle keep-alive connections go now.
        const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

interface Settings {
  sink: OtlpSink;
  auth?: AuthConfig;
  maxBodyBytes: number;
  onError: (error: unknown) => void;
}

async function handleRequest(request: IncomingMessage, response: ServerResponse, settings: Settings) {
  const encoding = encodingOf(request.headers['content-type']);
  // Errors are answered in the request's encoding; JSON when the request has none we know.
  const fail = (status: number, code: number, message: string, headers: http.OutgoingHttpHeaders = {}) =>
    respond(response, status, encoding ?? 'json', encodeStatus(code, message, encoding ?? 'json'), headers);

  const signal = SIGNAL_BY_PATH.get(new URL(request.url ?? '/', 'http://receiver').pathname);
  if (signal === undefined) return fail(404, GrpcCode.NOT_FOUND, `no OTLP endpoint at ${request.url}`);
  if (request.method !== 'POST') {
    return fail(405, GrpcCode.UNIMPLEMENTED, `${request.method} is not allowed, use POST`, { Allow: 'POST' });
  }
  if (encoding === undefined) {
    return fail(
      415,
      GrpcCode.INVALID_ARGUMENT,
      `unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}, use application/x-protobuf or application/json`,
    );
  }
  const coding = contentCodingOf(request.headers['content-encoding']);
  if (coding === undefined) {
    return fail(
      415,
      GrpcCode.INVALID_ARGUMENT,
      `unsupported content encoding ${JSON.stringify(request.headers['content-encoding'])}, use gzip or none`,
      { 'Accept-Encoding': 'gzip' },
    );
  }
  const declaredLength = Number(request.headers['content-length']);
  if (declaredLength > settings.maxBodyBytes) {
    const message = `request body of ${declaredLength} bytes (Content-Length) exceeds the limit of ${settings.maxBodyBytes} bytes`;
    return fail(413, GrpcCode.RESOURCE_EXHAUSTED, message, { Connection: 'close' });
  }

  let body: Buffer;
  try {
    body = await readRequestBody(request, coding, settings.maxBodyBytes);
  } catch (error) {
    if (error instanceof ClientGoneError) return;
    if (error instanceof BodyTooLargeError) {
      // The rest of the body is discarded as it arrives; close rather than wait for it.
      return fail(413, GrpcCode.RESOURCE_EXHAUSTED, error.message, { Connection: 'close' });
    }
    if (error instanceof BodyEncodingError) return fail(400, GrpcCode.INVALID_ARGUMENT, error.message);
    throw error;
  }

  try {
    const outcome = await handleExport(
      signal,
      body,
      encoding,
      settings.sink,
      { transport: 'http', headers: flattenHeaders(request.headers) },
      settings.auth,
    );
    respond(response, 200, encoding, encodeExportResponse(signal, outcome, encoding));
  } catch (error) {
    if (error instanceof OtlpDecodeError) return fail(400, GrpcCode.INVALID_ARGUMENT, error.message);
    if (error instanceof AuthError) {
      const code = error.status === 401 ? GrpcCode.UNAUTHENTICATED : GrpcCode.PERMISSION_DENIED;
      return fail(error.status, code, error.message);
    }
    if (error instanceof SinkOverloadedError) {
      return fail(503, GrpcCode.UNAVAILABLE, error.message, {
        'Retry-After': String(error.retryAfterSeconds),
      });
    }
    settings.onError(error);
    return fail(500, GrpcCode.INTERNAL, SINK_FAILURE_MESSAGE);
  }
}

function respond(
  response: ServerResponse,
  status: number,
  encoding: OtlpEncoding,
  body: Uint8Array,
  headers: http.OutgoingHttpHeaders = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPES[encoding],
    'Content-Length': body.length,
    ...headers,
  });
  response.end(body);
}

function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

function contentCodingOf(contentEncoding: string | undefined): ContentCoding | undefined {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return 'identity';
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  return undefined;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers))
    result[key] = Array.isArray(value) ? value.join(', ') : value;
  return result;
}
