// What a TraceQL filter means for one span, independently of SQL. Follows Tempo's evaluation rules:
//
// - A comparison with a missing attribute is false whatever the operator, `!=` included: `{ .a != "x" }`
//   does not match spans without `.a` (Tempo compares with nil, and nil matches nothing). Only `= nil` and
//   `!= nil` test for absence and presence.
// - Unscoped `.x` is the span attribute `x` when the span has one, else the resource attribute.
// - Types must agree: strings with strings, numbers (int, double, duration) with numbers, booleans with
//   booleans; a mismatch (`.code = "200"` against an int attribute) is false, not an error.
// - Strings order lexicographically for `>`, `<`...; regular expressions are fully anchored, as in
//   Tempo since 2.x and Prometheus ("api" does not match "payment-api"; write ".*api.*").
// - Our choice for array attributes, where the docs say little: `=`, `=~`, `>`... hold when some element
//   satisfies them; `!=` and `!~` hold when the array has elements of the compared type and none of them
//   is equal / matches. kvlist and bytes attributes match nothing.
import type { AnyValue } from '../../receiver/decoded-types.ts';
import { compareOrdered } from '../compare-ordered.ts';
import { compileGoRegex } from '../go-regex.ts';
import type { Comparison, ComparisonOperator, Field, FieldExpression, StaticValue } from './ast.ts';
import { KIND_CODES, STATUS_CODES } from './intrinsics.ts';
import type { SpanView } from './span-view.ts';

/** Whether the span satisfies the expression of `{ expr }`; a null expression (`{}`) matches every span. */
export function matchesSpan(expr: FieldExpression | null, span: SpanView): boolean {
  if (expr === null) return true;
  switch (expr.type) {
    case 'and':
      return matchesSpan(expr.left, span) && matchesSpan(expr.right, span);
    case 'or':
      return matchesSpan(expr.left, span) || matchesSpan(expr.right, span);
    case 'not':
      return !matchesSpan(expr.expr, span);
    case 'comparison':
      return compareField(expr, span);
  }
}

function compareField({ field, op, value }: Comparison, span: SpanView): boolean {
  if (field.type === 'attribute') return compareAttribute(attribute(field, span), op, value);
  switch (field.name) {
    case 'name':
      return compareScalar(span.name, op, value);
    case 'statusMessage':
      return compareScalar(span.statusMessage, op, value);
    case 'rootName':
      return compareScalar(span.rootName, op, value);
    case 'rootServiceName':
      return compareScalar(span.rootServiceName, op, value);
    case 'duration':
      return compareScalar(span.durationNanos, op, value);
    case 'traceDuration':
      return compareScalar(span.traceDurationNanos, op, value);
    case 'status':
      return value.type === 'status' && equality(span.statusCode === STATUS_CODES[value.value], op);
    case 'kind':
      return value.type === 'kind' && equality(span.kind === KIND_CODES[value.value], op);
  }
}

function attribute(field: Field & { type: 'attribute' }, span: SpanView): AnyValue | undefined {
  const value =
    field.scope === 'resource'
      ? span.resourceAttributes.get(field.name)
      : field.scope === 'span'
        ? span.attributes.get(field.name)
        : (span.attributes.get(field.name) ?? span.resourceAttributes.get(field.name));
  return value?.type === 'empty' ? undefined : value;
}

function compareAttribute(actual: AnyValue | undefined, op: ComparisonOperator, value: StaticValue): boolean {
  if (value.type === 'nil') return op === '=' ? actual === undefined : actual !== undefined;
  if (actual === undefined) return false;
  if (actual.type !== 'array') {
    const scalar = plain(actual);
    return scalar !== undefined && compareScalar(scalar, op, value);
  }
  const elements = actual.value.map(plain).filter((e): e is Scalar => e !== undefined && sameType(e, value));
  if (op === '!=' || op === '!~') {
    const positive = op === '!=' ? '=' : '=~';
    return elements.length > 0 && !elements.some((element) => compareScalar(element, positive, value));
  }
  return elements.some((element) => compareScalar(element, op, value));
}

type Scalar = string | number | boolean;

function plain(value: AnyValue): Scalar | undefined {
  switch (value.type) {
    case 'string':
    case 'bool':
    case 'double':
      return value.value;
    case 'int':
      return Number(value.value);
    default:
      return undefined;
  }
}

function sameType(actual: Scalar, value: StaticValue): boolean {
  switch (value.type) {
    case 'string':
      return typeof actual === 'string';
    case 'int':
    case 'float':
    case 'duration':
      return typeof actual === 'number';
    case 'bool':
      return typeof actual === 'boolean';
    default:
      return false;
  }
}

function compareScalar(actual: Scalar, op: ComparisonOperator, value: StaticValue): boolean {
  if (!sameType(actual, value)) return false;
  const expected = value.type === 'duration' ? value.nanos : (value as { value: Scalar }).value;
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '=~':
      return compileGoRegex(expected as string, 'anchored').test(actual as string);
    case '!~':
      return !compileGoRegex(expected as string, 'anchored').test(actual as string);
    default:
      return compareOrdered(actual, op, expected);
  }
}

function equality(equal: boolean, op: ComparisonOperator): boolean {
  return op === '=' ? equal : op === '!=' ? !equal : false;
}
