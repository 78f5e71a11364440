import type { DecodedLogs, LogRecord } from './decoded-types.ts';
import { idProblem, isAllZeroes, keepValid, type ValidationProblems } from './validation-problems.ts';

/** Drops log records that cannot be stored (in place). */
export function validateLogs(request: DecodedLogs, problems: ValidationProblems): void {
  request.resourceLogs.forEach((rl, r) => {
    rl.scopeLogs.forEach((sl, s) => {
      sl.logRecords = keepValid(
        sl.logRecords,
        logRecordProblem,
        (i) => `resource_logs[${r}].scope_logs[${s}].log_records[${i}]`,
        problems,
      );
    });
  });
}

// Trace context is optional on log records; all-zero ids (what some SDKs send outside a span) mean none.
function logRecordProblem(record: LogRecord): string | undefined {
  if (isAllZeroes(record.traceId)) record.traceId = '';
  if (isAllZeroes(record.spanId)) record.spanId = '';
  return idProblem('trace_id', record.traceId, 16, true) ?? idProblem('span_id', record.spanId, 8, true);
}
