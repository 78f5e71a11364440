// What a whole TraceQL query means for one trace, independently of SQL: which of its spans it returns, or
// null when the trace does not match. Spanset operators follow Tempo: `A && B` keeps the spans of both
// when each matched at least one span of the trace, `A || B` the spans of either.

import { compareOrdered } from '../compare-ordered.ts';
import type { NumericOperator, SpansetExpression, TraceQLQuery } from './ast.ts';
import { matchesSpan } from './match-span.ts';
import type { SpanView } from './span-view.ts';

/** The matching spans of the trace, in their input order, or null when the trace does not match. */
export function evaluateTrace<S extends SpanView>(query: TraceQLQuery, spans: readonly S[]): S[] | null {
  let matched = evaluateSpanset(query.spanset, spans);
  for (const stage of query.pipeline) {
    if (matched.length === 0) return null;
    switch (stage.type) {
      case 'filter':
        matched = matched.filter((span) => matchesSpan(stage.expr, span));
        break;
      case 'count':
        if (!compareNumbers(matched.length, stage.op, stage.value)) return null;
        break;
      case 'select':
        break; // chooses the attributes shown with each span, not which spans match
    }
  }
  return matched.length > 0 ? matched : null;
}

function evaluateSpanset<S extends SpanView>(expr: SpansetExpression, spans: readonly S[]): S[] {
  if (expr.type === 'filter') return spans.filter((span) => matchesSpan(expr.expr, span));
  const left = evaluateSpanset(expr.left, spans);
  const right = evaluateSpanset(expr.right, spans);
  const keep =
    expr.type === 'spansetAnd' ? left.length > 0 && right.length > 0 : left.length > 0 || right.length > 0;
  if (!keep) return [];
  const union = new Set<S>([...left, ...right]);
  return spans.filter((span) => union.has(span));
}

export function compareNumbers(actual: number, op: NumericOperator, expected: number): boolean {
  if (op === '=') return actual === expected;
  if (op === '!=') return actual !== expected;
  return compareOrdered(actual, op, expected);
}
