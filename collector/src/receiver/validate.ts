// Validation with partial success: records that cannot be stored are removed from the request and
// counted, and the message says what was wrong and where (resource/scope/record indexes).
import type { DecodedExport } from './decoded-types.ts';
import { SIGNALS } from './signals.ts';
import { validateLogs } from './validate-logs.ts';
import { validateMetrics } from './validate-metrics.ts';
import { validateTraces } from './validate-traces.ts';
import { ValidationProblems } from './validation-problems.ts';

export interface ValidationOutcome {
  /** Records removed (spans, data points or log records). */
  rejected: number;
  /** Records left in the request. */
  accepted: number;
  /** '' when nothing was wrong; otherwise a message naming each problem and where it is. */
  message: string;
}

/** Removes, in place, the records of `request` that cannot be stored. */
export function validateExport(request: DecodedExport): ValidationOutcome {
  const problems = new ValidationProblems();
  switch (request.signal) {
    case 'traces':
      validateTraces(request, problems);
      break;
    case 'metrics':
      validateMetrics(request, problems);
      break;
    case 'logs':
      validateLogs(request, problems);
      break;
  }
  return {
    rejected: problems.rejected,
    accepted: problems.total - problems.rejected,
    message: problems.message(SIGNALS[request.signal].recordName),
  };
}
