// Assembles the export pipeline of each signal from the options and the OTEL_* environment:
// redaction first, then a bounded queue in front of the batch processor, then the exporter,
// wrapped so that what it delivers and what it loses is counted.
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  type LogRecordProcessor,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  ConsoleMetricExporter,
  type IMetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { TelemetryOptions } from '../config/options.ts';
import { readExporters, readMillis, readProtocol } from '../config/read-env.ts';
import { RedactingLogRecordProcessor } from '../processors/redacting-log-processor.ts';
import { RedactingSpanProcessor } from '../processors/redacting-span-processor.ts';
import {
  BoundedLogRecordProcessor,
  BoundedSpanProcessor,
  Outstanding,
} from '../self-observability/bounded-queue-processors.ts';
import {
  CountingMetricExporter,
  countingLogRecordExporter,
  countingSpanExporter,
} from '../self-observability/counting-exporters.ts';
import type { DropAccounting } from '../self-observability/drop-accounting.ts';
import {
  createLogExporter,
  createMetricExporter,
  createSpanExporter,
  exporterUrl,
} from './otlp-exporters.ts';

type Env = Record<string, string | undefined>;

export interface Pipeline {
  spanProcessors: SpanProcessor[];
  metricReaders: IMetricReader[];
  logRecordProcessors: LogRecordProcessor[];
  /** The scrape endpoint, when one was asked for. */
  prometheus?: { host: string; port: number };
}

const DEFAULT_METRIC_INTERVAL_MS = 15_000;
const DEFAULT_METRIC_TIMEOUT_MS = 10_000;

function batchSettings(env: Env, prefix: 'OTEL_BSP' | 'OTEL_BLRP', defaultDelay: number) {
  const maxQueueSize = readMillis(env, `${prefix}_MAX_QUEUE_SIZE`) || 2048;
  const maxExportBatchSize = Math.min(
    readMillis(env, `${prefix}_MAX_EXPORT_BATCH_SIZE`) || 512,
    maxQueueSize,
  );
  return {
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: readMillis(env, `${prefix}_SCHEDULE_DELAY`) ?? defaultDelay,
    exportTimeoutMillis: readMillis(env, `${prefix}_EXPORT_TIMEOUT`) ?? 30_000,
  };
}

function prometheusSetting(options: TelemetryOptions, env: Env, fromEnv: boolean) {
  if (options.prometheus === false) return undefined;
  if (options.prometheus === undefined && !fromEnv) return undefined;
  const given = typeof options.prometheus === 'object' ? options.prometheus : {};
  return {
    host: given.host ?? env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() ?? '127.0.0.1',
    port: given.port ?? readMillis(env, 'OTEL_EXPORTER_PROMETHEUS_PORT') ?? 9464,
  };
}

export function buildPipeline(
  options: TelemetryOptions,
  accounting: DropAccounting,
  env: Env = process.env,
): Pipeline {
  const spanProcessors: SpanProcessor[] = [new RedactingSpanProcessor()];
  for (const kind of readExporters(env, 'traces')) {
    if (kind === 'console') {
      spanProcessors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
      continue;
    }
    const protocol = readProtocol(env, 'traces', options.protocol);
    const settings = batchSettings(env, 'OTEL_BSP', 2_000);
    const outstanding = new Outstanding(accounting, 'traces', settings.maxQueueSize);
    const exporter = countingSpanExporter(
      createSpanExporter(protocol, exporterUrl('traces', protocol, options.endpoint, env)),
      { accounting, outstanding },
    );
    spanProcessors.push(
      new BoundedSpanProcessor(new BatchSpanProcessor({ exporter, ...settings }), outstanding),
    );
  }

  const metricKinds = readExporters(env, 'metrics');
  const metricReaders: IMetricReader[] = [];
  const exportIntervalMillis =
    options.metricExportIntervalMillis ??
    readMillis(env, 'OTEL_METRIC_EXPORT_INTERVAL') ??
    DEFAULT_METRIC_INTERVAL_MS;
  // A timeout longer than the interval makes exports pile up (opentelemetry-js#5550).
  const exportTimeoutMillis = Math.min(
    readMillis(env, 'OTEL_METRIC_EXPORT_TIMEOUT') ?? DEFAULT_METRIC_TIMEOUT_MS,
    exportIntervalMillis,
  );
  for (const kind of metricKinds) {
    if (kind === 'prometheus') continue;
    const protocol = readProtocol(env, 'metrics', options.protocol);
    const exporter =
      kind === 'console'
        ? new ConsoleMetricExporter()
        : new CountingMetricExporter(
            createMetricExporter(protocol, exporterUrl('metrics', protocol, options.endpoint, env)),
            { accounting },
          );
    metricReaders.push(
      new PeriodicExportingMetricReader({ exporter, exportIntervalMillis, exportTimeoutMillis }),
    );
  }
  const prometheus = prometheusSetting(options, env, metricKinds.includes('prometheus'));
  if (prometheus) metricReaders.push(new PrometheusExporter({ ...prometheus }));

  const logRecordProcessors: LogRecordProcessor[] = [new RedactingLogRecordProcessor()];
  for (const kind of readExporters(env, 'logs')) {
    if (kind === 'console') {
      logRecordProcessors.push(new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }));
      continue;
    }
    const protocol = readProtocol(env, 'logs', options.protocol);
    const settings = batchSettings(env, 'OTEL_BLRP', 1_000);
    const outstanding = new Outstanding(accounting, 'logs', settings.maxQueueSize);
    const exporter = countingLogRecordExporter(
      createLogExporter(protocol, exporterUrl('logs', protocol, options.endpoint, env)),
      { accounting, outstanding },
    );
    logRecordProcessors.push(
      new BoundedLogRecordProcessor(new BatchLogRecordProcessor({ exporter, ...settings }), outstanding),
    );
  }

  return { spanProcessors, metricReaders, logRecordProcessors, ...(prometheus ? { prometheus } : {}) };
}
