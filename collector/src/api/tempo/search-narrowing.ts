// What of a TraceQL query SQL can check before the evaluator runs: for a single spanset `{ a && b && ... }`,
// equality on resource.service.name (an indexed column of resources), on the span name and on the status
// (without it, `{status=error}` reads a thousand whole traces to find twenty failing ones). A trace can only
// match if one of its spans satisfies every conjunct, so spans that fail these cannot make a trace a
// candidate. Everything else is left to evaluateTrace.
import type { FieldExpression, TraceQLQuery } from '../../query/traceql/index.ts';
import { STATUS_CODES } from '../../query/traceql/intrinsics.ts';

export interface SearchNarrowing {
  serviceName?: string;
  spanName?: string;
  /** The OTLP status code every candidate span must have. */
  statusCode?: number;
}

export function narrowingOf(query: TraceQLQuery): SearchNarrowing {
  if (query.spanset.type !== 'filter' || query.spanset.expr === null) return {};
  const narrowing: SearchNarrowing = {};
  for (const conjunct of conjuncts(query.spanset.expr)) {
    if (conjunct.type !== 'comparison' || conjunct.op !== '=') continue;
    if (
      conjunct.field.type === 'intrinsic' &&
      conjunct.field.name === 'status' &&
      conjunct.value.type === 'status'
    ) {
      narrowing.statusCode = STATUS_CODES[conjunct.value.value];
      continue;
    }
    if (conjunct.value.type !== 'string') continue;
    const { field } = conjunct;
    if (field.type === 'attribute' && field.scope === 'resource' && field.name === 'service.name') {
      narrowing.serviceName = conjunct.value.value;
    } else if (field.type === 'intrinsic' && field.name === 'name') {
      narrowing.spanName = conjunct.value.value;
    }
  }
  return narrowing;
}

function conjuncts(expr: FieldExpression): FieldExpression[] {
  return expr.type === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}
