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

export class CountingSpanExporter implements SpanExporter {
  private readonly inner: SpanExporter;
  private readonly settlement: Settlement;
  constructor(inner: SpanExporter, settlement: Settlement) {
    this.inner = inner;
    this.settlement = settlement;
  }
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      settle(this.settlement, 'traces', spans.length, result);
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

export class CountingLogRecordExporter implements LogRecordExporter {
  private readonly inner: LogRecordExporter;
  private readonly settlement: Settlement;
  constructor(inner: LogRecordExporter, settlement: Settlement) {
    this.inner = inner;
    this.settlement = settlement;
  }
  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    this.inner.export(records, (result) => {
      settle(this.settlement, 'logs', records.length, result);
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
