// Short constructors for expected TraceQL ASTs in tests.
import type {
  Comparison,
  ComparisonOperator,
  Field,
  FieldExpression,
  Intrinsic,
  KindValue,
  SpansetExpression,
  StaticValue,
  StatusValue,
  TraceQLQuery,
} from '../../src/query/traceql/ast.ts';

export const span = (name: string): Field => ({ type: 'attribute', scope: 'span', name });
export const resource = (name: string): Field => ({ type: 'attribute', scope: 'resource', name });
export const unscoped = (name: string): Field => ({ type: 'attribute', scope: 'unscoped', name });
export const intrinsic = (name: Intrinsic): Field => ({ type: 'intrinsic', name });

export const str = (value: string): StaticValue => ({ type: 'string', value });
export const int = (value: number): StaticValue => ({ type: 'int', value });
export const float = (value: number): StaticValue => ({ type: 'float', value });
export const duration = (nanos: number): StaticValue => ({ type: 'duration', nanos });
export const bool = (value: boolean): StaticValue => ({ type: 'bool', value });
export const status = (value: StatusValue): StaticValue => ({ type: 'status', value });
export const kind = (value: KindValue): StaticValue => ({ type: 'kind', value });
export const nil: StaticValue = { type: 'nil' };

export const cmp = (field: Field, op: ComparisonOperator, value: StaticValue): Comparison => ({
  type: 'comparison',
  field,
  op,
  value,
});
export const and = (left: FieldExpression, right: FieldExpression): FieldExpression => ({
  type: 'and',
  left,
  right,
});
export const or = (left: FieldExpression, right: FieldExpression): FieldExpression => ({
  type: 'or',
  left,
  right,
});
export const not = (expr: FieldExpression): FieldExpression => ({ type: 'not', expr });

/** Left-nested `a && b && c`, as the parser builds it. */
export const allOf = (...exprs: FieldExpression[]): FieldExpression =>
  exprs.reduce((left, right) => and(left, right));
export const anyOf = (...exprs: FieldExpression[]): FieldExpression =>
  exprs.reduce((left, right) => or(left, right));

export const filter = (expr: FieldExpression | null): SpansetExpression => ({ type: 'filter', expr });
export const query = (spanset: SpansetExpression, pipeline: TraceQLQuery['pipeline'] = []): TraceQLQuery => ({
  spanset,
  pipeline,
});
