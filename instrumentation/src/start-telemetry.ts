// startTelemetry(): the one call that turns on traces, metrics and logs for a DSS service.
// It must never hurt the host: any failure here leaves the service running without telemetry,
// with one line on stderr saying why.
import { logs, metrics, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TelemetryOptions } from './config/options.ts';
import { readBoolean, readSampler } from './config/read-env.ts';
import { createSampler } from './config/sampler.ts';
import { info, warnOnce } from './config/warnings.ts';
import { METRIC_TELEMETRY_DROPPED } from './conventions/metrics.ts';
import { createInstrumentations, instrumentedModuleNames } from './instrumentations/auto-instrumentations.ts';
import {
  registerEsmLoaderHookAfterInstrumentations,
  registerEsmLoaderHookBeforeInstrumentations,
} from './instrumentations/esm-loader-hook.ts';
import { buildPipeline } from './pipeline/build-pipeline.ts';
import { dssViews } from './pipeline/views.ts';
import { buildResource } from './resource/dss-resource.ts';
import { registerProcessMetrics } from './runtime/process-metrics.ts';
import { INSTRUMENTATION_SCOPE } from './scope.ts';
import { DropAccounting, type TelemetryStats } from './self-observability/drop-accounting.ts';

export interface Telemetry {
  /** False when OTEL_SDK_DISABLED=true or start-up failed: every helper then records nothing. */
  readonly enabled: boolean;
  /** The scrape endpoint, when metrics are also exposed for Prometheus. */
  readonly prometheus?: { host: string; port: number };
  /** Exports everything buffered now. Bounded like shutdown(). */
  forceFlush(): Promise<void>;
  /** Flushes and stops. Returns within `shutdownTimeoutMillis` even with the collector down. */
  shutdown(): Promise<void>;
  /** What was delivered and what was dropped since start, per signal. */
  stats(): TelemetryStats;
}

const ACTIVE = Symbol.for('dss.instrumentation.telemetry');
type Registry = typeof globalThis & { [ACTIVE]?: Telemetry };

function disabledTelemetry(): Telemetry {
  const accounting = new DropAccounting(0);
  return {
    enabled: false,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    stats: () => accounting.stats(),
  };
}

/** Resolves when `work` settles or after `millis`, whichever comes first; true if it settled. */
async function within(work: Promise<unknown>, millis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), millis);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type Flushable = { forceFlush?: () => Promise<void>; getDelegate?: () => unknown };

/** NodeSDK has no forceFlush: flush the three global providers it registered. */
function flushProviders(): Promise<unknown> {
  const tracerProvider = trace.getTracerProvider() as Flushable;
  const providers = [
    (tracerProvider.getDelegate?.() ?? tracerProvider) as Flushable,
    metrics.getMeterProvider() as Flushable,
    logs.getLoggerProvider() as Flushable,
  ];
  return Promise.all(providers.map((provider) => provider.forceFlush?.()));
}

function installSignalHandlers(shutdown: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown().finally(() => {
        // Re-raise: with no other listener left, Node exits as the signal demands; an app with
        // its own handler keeps control of how it stops.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
  process.once('beforeExit', () => void shutdown());
}

export function startTelemetry(options: TelemetryOptions = {}): Telemetry {
  const registry = globalThis as Registry;
  const existing = registry[ACTIVE];
  if (existing) {
    warnOnce('startTelemetry() was called twice; the first configuration stays in force.');
    return existing;
  }
  if (readBoolean(process.env, 'OTEL_SDK_DISABLED') === true) {
    registry[ACTIVE] = disabledTelemetry();
    return registry[ACTIVE];
  }
  try {
    const telemetry = start(options);
    registry[ACTIVE] = telemetry;
    return telemetry;
  } catch (error) {
    warnOnce(
      `telemetry could not start (${error instanceof Error ? error.message : String(error)}); ` +
        'the service runs without it.',
    );
    registry[ACTIVE] = disabledTelemetry();
    return registry[ACTIVE];
  }
}

function start(options: TelemetryOptions): Telemetry {
  const shutdownTimeoutMillis = options.shutdownTimeoutMillis ?? 5_000;
  const accounting = new DropAccounting(options.dropReportIntervalMillis ?? 60_000);

  registerEsmLoaderHookBeforeInstrumentations();
  const runtimeMetrics = options.runtimeMetrics ?? true;
  const instrumentations = createInstrumentations({
    ...(runtimeMetrics ? {} : { '@opentelemetry/instrumentation-runtime-node': { enabled: false } }),
    ...options.instrumentations,
  });
  registerEsmLoaderHookAfterInstrumentations(instrumentedModuleNames(instrumentations));

  const pipeline = buildPipeline(options, accounting);
  const exporting = pipeline.spanProcessors.length > 1;
  const sdk = new NodeSDK({
    resource: buildResource(options),
    autoDetectResources: false,
    instrumentations,
    sampler: createSampler(readSampler(process.env)),
    // Only the redaction processor means no trace exporter: no tracer provider at all then.
    spanProcessors: exporting ? pipeline.spanProcessors : [],
    metricReaders: pipeline.metricReaders,
    logRecordProcessors: pipeline.logRecordProcessors.length > 1 ? pipeline.logRecordProcessors : [],
    views: dssViews(),
  });
  sdk.start();

  const meter = metrics.getMeter(INSTRUMENTATION_SCOPE);
  if (runtimeMetrics) registerProcessMetrics(meter);
  const dropped = meter.createCounter(METRIC_TELEMETRY_DROPPED.name, {
    unit: METRIC_TELEMETRY_DROPPED.unit,
    description: METRIC_TELEMETRY_DROPPED.description,
  });
  accounting.onDropped((signal, count) => dropped.add(count, { signal }));
  if (pipeline.prometheus) {
    info(
      `metrics exposed for scraping on http://${pipeline.prometheus.host}:${pipeline.prometheus.port}/metrics`,
    );
  }

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      const settled = await within(sdk.shutdown(), shutdownTimeoutMillis);
      if (!settled)
        warnOnce(`shutdown took over ${shutdownTimeoutMillis} ms; telemetry not yet sent is dropped.`);
      accounting.stop();
      delete (globalThis as Registry)[ACTIVE];
    })();
    return stopping;
  };
  if (options.handleSignals) installSignalHandlers(shutdown);

  return {
    enabled: true,
    ...(pipeline.prometheus ? { prometheus: pipeline.prometheus } : {}),
    forceFlush: async () => {
      await within(flushProviders(), shutdownTimeoutMillis);
    },
    shutdown,
    stats: () => accounting.stats(),
  };
}
