// The DSS logger: pino, writing JSON lines to stdout as before, and sending each record as an
// OTel log record too. Both carry trace_id/span_id of the active span, and both are scrubbed of
// secrets. We bridge pino here rather than through instrumentation-pino, which misses loggers
// created under ESM.
import { format } from 'node:util';
import { type AnyValue, type Attributes, logs, trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { redactText, redactValue } from '../redaction/redact.ts';
import { severityOfPinoLevel } from './severity.ts';

export type { Logger } from 'pino';

const SCOPE = '@dss/instrumentation/logger';

function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ctx = span.spanContext();
  return { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: `0${ctx.traceFlags.toString(16)}` };
}

function errorAttributes(error: Error): Attributes {
  return {
    'exception.type': error.name,
    'exception.message': redactText(error.message),
    ...(error.stack ? { 'exception.stacktrace': redactText(error.stack) } : {}),
  };
}

/** Splits pino's call arguments into (attributes, message) as pino itself reads them. */
function splitArguments(args: unknown[]): { fields: Record<string, unknown>; message: string } {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    return { fields: errorAttributes(first), message: rest.length > 0 ? format(...rest) : first.message };
  }
  if (first !== null && typeof first === 'object') {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(first)) {
      if (value instanceof Error) Object.assign(fields, errorAttributes(value));
      else fields[key] = value;
    }
    return { fields, message: rest.length > 0 ? format(...rest) : '' };
  }
  return { fields: {}, message: format(...args) };
}

function emit(level: number, bindings: Record<string, unknown>, args: unknown[]): void {
  const { fields, message } = splitArguments(args);
  const severity = severityOfPinoLevel(level);
  const { pid: _pid, hostname: _hostname, ...contextFields } = bindings;
  logs.getLogger(SCOPE).emit({
    severityNumber: severity.number,
    severityText: severity.text,
    body: redactText(message),
    attributes: redactValue({ ...contextFields, ...fields }) as Record<string, AnyValue>,
  });
}

export interface CreateLoggerOptions extends LoggerOptions {
  /** Where the JSON lines go. Default stdout. */
  destination?: DestinationStream;
}

/**
 * A pino logger whose records also go out as OTel logs, with `trace_id`/`span_id` and secrets
 * redacted. Level: `options.level`, else LOG_LEVEL, else `info`.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const { destination, ...pinoOptions } = options;
  const userMixin = pinoOptions.mixin;
  const config: LoggerOptions = {
    level: pinoOptions.level ?? process.env.LOG_LEVEL?.trim() ?? 'info',
    ...pinoOptions,
    mixin: (mergeObject, level, logger) => ({ ...userMixin?.(mergeObject, level, logger), ...traceFields() }),
    formatters: {
      ...pinoOptions.formatters,
      log: (object) =>
        redactValue(pinoOptions.formatters?.log?.(object) ?? object) as Record<string, unknown>,
    },
    hooks: {
      ...pinoOptions.hooks,
      logMethod(args, method, level) {
        // Runs synchronously in the caller, so the active span is the caller's.
        try {
          emit(level, this.bindings(), args);
        } catch {
          // Telemetry must never break logging.
        }
        const redacted = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
        return method.apply(this, redacted as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(config, destination) : pino(config);
}
