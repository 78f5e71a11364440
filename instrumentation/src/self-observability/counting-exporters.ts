// Exporter wrappers that tell the drop accounting what was delivered and what was lost. They
// change nothing else: the result reaches the processor exactly as the real exporter gave it.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type {
  AggregationTemporality,
  AggregationTemporalitySelector,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { Signal } from '../config/read-env.ts';
import type { Outstanding } from './bounded-queue-processors.ts';
import type { DropAccounting } from './drop-accounting.ts';

/** Who hears of each settled export: the drop accounting, and the queue bound of the pipeline. */
export interface Settlement {
  accounting: DropAccounting;
  outstanding?: Outstanding;
}

function settle(settlement: Settlement, signal: Signal, count: number, result: ExportResult): void {
  const { accounting, outstanding } = settlement;
  outstanding?.settle(count);
  if (result.code === ExportResultCode.SUCCESS) accounting.recordDelivered(signal, count);
  else accounting.recordDropped(signal, count, result.error ?? 'export failed');
}

/** The shape span and log-record exporters share: a batch in, one result out. */
interface BatchExporter<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

class CountingBatchExporter<T> implements BatchExporter<T> {
  private readonly signal: Signal;
  private readonly inner: BatchExporter<T>;
  private readonly settlement: Settlement;
  constructor(signal: Signal, inner: BatchExporter<T>, settlement: Settlement) {
    this.signal = signal;
    this.inner = inner;
    this.settlement = settlement;
  }
  export(items: T[], done: (result: ExportResult) => void): void {
    this.inner.export(items, (result) => {
      settle(this.settlement, this.signal, items.length, result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export function countingSpanExporter(inner: SpanExporter, settlement: Settlement): SpanExporter {
  return new CountingBatchExporter<ReadableSpan>('traces', inner, settlement);
}

export function countingLogRecordExporter(
  inner: LogRecordExporter,
  settlement: Settlement,
): LogRecordExporter {
  return new CountingBatchExporter<ReadableLogRecord>('logs', inner, settlement);
}

export function countDataPoints(metrics: ResourceMetrics): number {
  let points = 0;
  for (const scope of metrics.scopeMetrics)
    for (const metric of scope.metrics) points += metric.dataPoints.length;
  return points;
}

export class CountingMetricExporter implements PushMetricExporter {
  private readonly inner: PushMetricExporter;
  private readonly settlement: Settlement;
  readonly selectAggregationTemporality?: AggregationTemporalitySelector;
  constructor(inner: PushMetricExporter, settlement: Settlement) {
    this.inner = inner;
    this.settlement = settlement;
    // The reader asks the exporter which temporality and aggregation it wants: pass the question on.
    if (inner.selectAggregationTemporality) {
      const select = inner.selectAggregationTemporality.bind(inner);
      this.selectAggregationTemporality = (type: InstrumentType): AggregationTemporality => select(type);
    }
    if (inner.selectAggregation) this.selectAggregation = inner.selectAggregation.bind(inner);
  }
  selectAggregation?: PushMetricExporter['selectAggregation'];
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    const points = countDataPoints(metrics);
    this.inner.export(metrics, (result) => {
      settle(this.settlement, 'metrics', points, result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
}
