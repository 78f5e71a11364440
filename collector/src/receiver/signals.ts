// Everything that differs between the three OTLP signals, in one table.
import type protobuf from 'protobufjs';
import type { OtlpSignal } from './decoded-types.ts';
import { otlpTypes } from './otlp-schema.ts';

export interface SignalInfo {
  requestType: protobuf.Type;
  responseType: protobuf.Type;
  /** The `Export<Signal>PartialSuccess` counter field. */
  rejectedField: 'rejectedSpans' | 'rejectedDataPoints' | 'rejectedLogRecords';
  /** What the records are called in error messages. */
  recordName: string;
  httpPath: string;
  /** The full gRPC method path, e.g. `/opentelemetry.proto.collector.trace.v1.TraceService/Export`. */
  grpcPath: string;
}

const grpcExportPath = (service: protobuf.Service) => `/${service.fullName.replace(/^\./, '')}/Export`;

export const SIGNALS: Record<OtlpSignal, SignalInfo> = {
  traces: {
    requestType: otlpTypes.ExportTraceServiceRequest,
    responseType: otlpTypes.ExportTraceServiceResponse,
    rejectedField: 'rejectedSpans',
    recordName: 'spans',
    httpPath: '/v1/traces',
    grpcPath: grpcExportPath(otlpTypes.TraceService),
  },
  metrics: {
    requestType: otlpTypes.ExportMetricsServiceRequest,
    responseType: otlpTypes.ExportMetricsServiceResponse,
    rejectedField: 'rejectedDataPoints',
    recordName: 'data points',
    httpPath: '/v1/metrics',
    grpcPath: grpcExportPath(otlpTypes.MetricsService),
  },
  logs: {
    requestType: otlpTypes.ExportLogsServiceRequest,
    responseType: otlpTypes.ExportLogsServiceResponse,
    rejectedField: 'rejectedLogRecords',
    recordName: 'log records',
    httpPath: '/v1/logs',
    grpcPath: grpcExportPath(otlpTypes.LogsService),
  },
};

export const SIGNAL_NAMES: readonly OtlpSignal[] = ['traces', 'metrics', 'logs'];
