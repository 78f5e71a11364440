// The OTLP exporters for each signal and protocol. The exporters read OTEL_EXPORTER_OTLP_* (endpoint,
// headers, timeout, compression, certificates) themselves; we pass a URL only when the code gave
// one, or when the environment's is unusable and the default must stand in.
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as HttpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as HttpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpProtocol } from '../config/options.ts';
import { invalidEndpointFor, type Signal } from '../config/read-env.ts';
import { warnOnce } from '../config/warnings.ts';

export const DEFAULT_GRPC_ENDPOINT = 'http://localhost:4317';
export const DEFAULT_HTTP_ENDPOINT = 'http://localhost:4318';

type Env = Record<string, string | undefined>;

/** The `url` option for an exporter, or undefined to let it read the environment. */
export function exporterUrl(
  signal: Signal,
  protocol: OtlpProtocol,
  endpointFromCode: string | undefined,
  env: Env,
): string | undefined {
  const base = (endpoint: string) =>
    protocol === 'grpc' ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
  if (endpointFromCode !== undefined) return base(endpointFromCode);
  const invalid = invalidEndpointFor(env, signal);
  if (invalid === undefined) return undefined;
  const fallback = protocol === 'grpc' ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT;
  warnOnce(`${invalid} is not an http(s) URL with a host; ${signal} go to ${fallback} instead.`);
  return base(fallback);
}

export function createSpanExporter(protocol: OtlpProtocol, url: string | undefined): SpanExporter {
  const config = url === undefined ? {} : { url };
  if (protocol === 'grpc') return new GrpcTraceExporter(config);
  if (protocol === 'http/json') return new HttpJsonTraceExporter(config);
  return new ProtoTraceExporter(config);
}

export function createMetricExporter(protocol: OtlpProtocol, url: string | undefined): PushMetricExporter {
  const config = url === undefined ? {} : { url };
  if (protocol === 'grpc') return new GrpcMetricExporter(config);
  if (protocol === 'http/json') return new HttpJsonMetricExporter(config);
  return new ProtoMetricExporter(config);
}

export function createLogExporter(protocol: OtlpProtocol, url: string | undefined): LogRecordExporter {
  const config = url === undefined ? {} : { url };
  if (protocol === 'grpc') return new GrpcLogExporter(config);
  if (protocol === 'http/json') return new HttpJsonLogExporter(config);
  return new ProtoLogExporter(config);
}
