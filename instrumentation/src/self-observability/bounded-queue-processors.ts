// The batch processors drop what overflows their queue with only a debug log. These wrappers
// keep the same bound in front of them, so that every item lost to a full queue (the collector
// down or slow for long enough) is counted like an export failure, and memory stays bounded.
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Signal } from '../config/read-env.ts';
import type { DropAccounting } from './drop-accounting.ts';

/**
 * Items handed to one batch processor and not yet settled by its exporter (the counting exporter
 * of the same pipeline calls `settle`). Past the limit, an item is dropped and counted.
 */
export class Outstanding {
  private readonly accounting: DropAccounting;
  private readonly signal: Signal;
  private readonly limit: number;
  private pending = 0;

  constructor(accounting: DropAccounting, signal: Signal, limit: number) {
    this.accounting = accounting;
    this.signal = signal;
    this.limit = limit;
  }

  admit(): boolean {
    if (this.pending >= this.limit) {
      this.accounting.recordDropped(
        this.signal,
        1,
        `${this.signal} queue full (${this.limit} items waiting)`,
      );
      return false;
    }
    this.pending++;
    return true;
  }

  settle(count: number): void {
    this.pending = Math.max(0, this.pending - count);
  }
}

export class BoundedSpanProcessor implements SpanProcessor {
  private readonly inner: SpanProcessor;
  private readonly outstanding: Outstanding;
  constructor(inner: SpanProcessor, outstanding: Outstanding) {
    this.inner = inner;
    this.outstanding = outstanding;
  }
  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & 1 && this.outstanding.admit()) this.inner.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

export class BoundedLogRecordProcessor implements LogRecordProcessor {
  private readonly inner: LogRecordProcessor;
  private readonly outstanding: Outstanding;
  constructor(inner: LogRecordProcessor, outstanding: Outstanding) {
    this.inner = inner;
    this.outstanding = outstanding;
  }
  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    if (this.outstanding.admit()) this.inner.onEmit(record, context);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
