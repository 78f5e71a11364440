import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

/** What `startTelemetry()` takes. Every field is optional: the `OTEL_*` environment fills the rest. */
export interface TelemetryOptions {
  /** `service.name`. Default: OTEL_SERVICE_NAME, then the `name` of the app's package.json. */
  serviceName?: string;
  /** `service.version`. Default: the `version` of the app's package.json. */
  serviceVersion?: string;
  /** `dss.client`, the water utility. Default: DSS_CLIENT, or `dss.client` in OTEL_RESOURCE_ATTRIBUTES. */
  client?: string;
  /** `deployment.environment.name`. Default: DSS_ENVIRONMENT, then NODE_ENV, then `development`. */
  environment?: string;
  /** More resource attributes, merged over the detected ones. */
  resourceAttributes?: Attributes;
  /** OTLP endpoint for every signal (overrides OTEL_EXPORTER_OTLP_ENDPOINT). gRPC: `http://host:4317`; HTTP: `http://host:4318`. */
  endpoint?: string;
  /** OTLP protocol (overrides OTEL_EXPORTER_OTLP_PROTOCOL). Default `grpc`. */
  protocol?: OtlpProtocol;
  /**
   * Also expose metrics for scraping, on `http://host:port/metrics`. `true` means 127.0.0.1:9464.
   * OTEL_METRICS_EXPORTER=prometheus (with OTEL_EXPORTER_PROMETHEUS_HOST/PORT) does the same.
   */
  prometheus?: boolean | { host?: string; port?: number };
  /** Per-instrumentation options for `@opentelemetry/auto-instrumentations-node`, merged over the DSS defaults. */
  instrumentations?: InstrumentationConfigMap;
  /** Runtime metrics (event loop, GC, heap, CPU, handles). Default true. */
  runtimeMetrics?: boolean;
  /** How often metrics are pushed. Default OTEL_METRIC_EXPORT_INTERVAL, then 15 000 ms. */
  metricExportIntervalMillis?: number;
  /** Upper bound on `shutdown()`, even with the collector down. Default 5 000 ms. */
  shutdownTimeoutMillis?: number;
  /** How often dropped telemetry is reported on stderr (at most). Default 60 000 ms. */
  dropReportIntervalMillis?: number;
  /** Register SIGTERM/SIGINT handlers that flush and exit. Default: true for `--import .../register`, false for `startTelemetry()`. */
  handleSignals?: boolean;
}
