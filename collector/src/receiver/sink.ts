// The boundary between the receiver and whatever keeps the data (the store, or a test's memory).
import type { DecodedExport, OtlpSignal } from './decoded-types.ts';

export interface SinkContext {
  transport: 'grpc' | 'http';
  /** Request headers (HTTP) or metadata (gRPC), lower-case keys. Repeated values are joined with ', '. */
  headers: Record<string, string | undefined>;
}

export interface SinkResult {
  /** Records the sink could not keep (added to the partial-success count). */
  rejected?: number;
  /** Why, for the partial-success error message. */
  message?: string;
}

export interface OtlpSink {
  /**
   * Takes a validated request (invalid records already removed; never called with zero records).
   * The receiver acknowledges the export only once this resolves, so resolve after the data is
   * durable. Throw SinkOverloadedError to make the client back off and retry; any other error is
   * answered with HTTP 500 / gRPC INTERNAL (not retried by clients).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a sink with nothing to report may return nothing.
  consume(request: DecodedExport, context: SinkContext): Promise<SinkResult | undefined | void>;
  /**
   * Optional: called before a request's body is decoded. Throws SinkOverloadedError when the sink would
   * refuse any request now (its queue is full), so that a flood is refused without decoding every body:
   * a decoded request takes many times its wire size in memory.
   */
  admit?(signal: OtlpSignal): void;
}

/** Thrown by a sink that cannot take data right now: HTTP 503 + Retry-After, gRPC UNAVAILABLE + RetryInfo. */
export class SinkOverloadedError extends Error {
  override name = 'SinkOverloadedError';
  /** Whole seconds the client should wait before retrying. */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'the collector is overloaded, retry later') {
    super(message);
    this.retryAfterSeconds = Math.max(0, Math.ceil(retryAfterSeconds));
  }
}
