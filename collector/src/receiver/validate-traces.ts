import type { DecodedTraces, Span } from './decoded-types.ts';
import { idProblem, isAllZeroes, keepValid, type ValidationProblems } from './validation-problems.ts';

/** Drops spans that cannot be stored (in place). */
export function validateTraces(request: DecodedTraces, problems: ValidationProblems): void {
  request.resourceSpans.forEach((rs, r) => {
    rs.scopeSpans.forEach((ss, s) => {
      ss.spans = keepValid(
        ss.spans,
        spanProblem,
        (i) => `resource_spans[${r}].scope_spans[${s}].spans[${i}]`,
        problems,
      );
    });
  });
}

function spanProblem(span: Span): string | undefined {
  // Some senders mark root spans with an all-zero parent: read that as "no parent".
  if (isAllZeroes(span.parentSpanId)) span.parentSpanId = '';
  return (
    idProblem('trace_id', span.traceId, 16) ??
    idProblem('span_id', span.spanId, 8) ??
    idProblem('parent_span_id', span.parentSpanId, 8, true)
  );
}
