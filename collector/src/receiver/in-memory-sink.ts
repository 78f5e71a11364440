// A sink that keeps what it receives in memory: with a receiver on port 0 it makes an in-process
// OTLP endpoint for tests (`await sink.waitFor((s) => s.allSpans().find(...))`).
import type { DecodedExport, DecodedLogs, DecodedMetrics, DecodedTraces } from './decoded-types.ts';
import {
  countRecords,
  flattenLogRecords,
  flattenMetrics,
  flattenSpans,
  type LogRecordInContext,
  type MetricInContext,
  type SpanInContext,
} from './flatten.ts';
import type { OtlpSink, SinkContext } from './sink.ts';

export interface InMemorySinkOptions {
  /** false: only count what arrives (for benchmarks). Default true. */
  keep?: boolean;
}

export interface InMemorySinkCounts {
  requests: number;
  spans: number;
  dataPoints: number;
  logRecords: number;
}

export class InMemorySink implements OtlpSink {
  /** Every request kept, in arrival order, with the transport and headers it came with. */
  readonly received: { request: DecodedExport; context: SinkContext }[] = [];
  readonly traces: DecodedTraces[] = [];
  readonly metrics: DecodedMetrics[] = [];
  readonly logs: DecodedLogs[] = [];
  private readonly keep: boolean;
  private readonly tally: InMemorySinkCounts = { requests: 0, spans: 0, dataPoints: 0, logRecords: 0 };
  private readonly listeners = new Set<() => void>();

  constructor(options: InMemorySinkOptions = {}) {
    this.keep = options.keep ?? true;
  }

  async consume(request: DecodedExport, context: SinkContext): Promise<undefined> {
    this.tally.requests++;
    const records = countRecords(request);
    if (request.signal === 'traces') this.tally.spans += records;
    else if (request.signal === 'metrics') this.tally.dataPoints += records;
    else this.tally.logRecords += records;
    if (this.keep) {
      this.received.push({ request, context });
      if (request.signal === 'traces') this.traces.push(request);
      else if (request.signal === 'metrics') this.metrics.push(request);
      else this.logs.push(request);
    }
    for (const listener of [...this.listeners]) listener();
    return undefined;
  }

  /** The requests kept, in arrival order. */
  requests(): DecodedExport[] {
    return this.received.map(({ request }) => request);
  }

  /** What arrived since the start (or the last clear()), kept or not. */
  counts(): InMemorySinkCounts {
    return { ...this.tally };
  }

  allSpans(): SpanInContext[] {
    return this.traces.flatMap(flattenSpans);
  }

  allMetrics(): MetricInContext[] {
    return this.metrics.flatMap(flattenMetrics);
  }

  allLogRecords(): LogRecordInContext[] {
    return this.logs.flatMap(flattenLogRecords);
  }

  clear(): void {
    Object.assign(this.tally, { requests: 0, spans: 0, dataPoints: 0, logRecords: 0 });
    this.received.length = 0;
    this.traces.length = 0;
    this.metrics.length = 0;
    this.logs.length = 0;
  }

  /**
   * Resolves with the first truthy value `predicate` returns, checking now and after every request;
   * rejects after `timeoutMs`.
   */
  waitFor<T>(predicate: (sink: InMemorySink) => T | undefined | null | false, timeoutMs = 5_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      const check = () => {
        try {
          const value = predicate(this);
          if (value) {
            stop();
            resolve(value);
          }
        } catch (error) {
          stop();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        stop();
        const got = `${this.traces.length} trace, ${this.metrics.length} metric and ${this.logs.length} log requests`;
        reject(new Error(`InMemorySink.waitFor: condition not met within ${timeoutMs} ms (received ${got})`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }
}
