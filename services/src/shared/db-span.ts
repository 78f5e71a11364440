// A client span around a piece of SQLite work (better-sqlite3 is synchronous and has no
// auto-instrumentation), so that a trace shows which database reads a request or job made and how
// long they took. Named `<operation> <table>` with the OTel database attributes.
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
} from '@dss/instrumentation/conventions';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

export const SERVICES_SCOPE = '@dss/services';

/** Runs `fn` (synchronous database work) under a span `SELECT readings`. Errors are recorded and rethrown. */
export function withDbSpan<T>(operation: string, table: string, fn: () => T, database = 'sqlite'): T {
  return trace.getTracer(SERVICES_SCOPE).startActiveSpan(
    `${operation} ${table}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_DB_SYSTEM_NAME]: database,
        [ATTR_DB_OPERATION_NAME]: operation,
        [ATTR_DB_COLLECTION_NAME]: table,
      },
    },
    (span) => {
      try {
        return fn();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
