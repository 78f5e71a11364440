// Which literal each field may be compared with, and how. Tempo checks these types when it parses a query
// (a mismatch is a 400); we do the same, so the store and the evaluator only ever see sensible comparisons.
//
// Choices where Tempo's documentation is vague:
// - An attribute compared with `ok` or `server` is rejected here: attribute values are never statuses or
//   kinds, so Tempo would accept the query and match nothing; an error says why.
// - `nil` only goes with `=` / `!=` on attributes: `!= nil` is "the attribute exists", `= nil` "it does not".
// - Durations compare with numbers as nanoseconds (Tempo treats int, float and duration as one numeric type).
import { compileGoRegex } from '../go-regex.ts';
import { invalid } from '../query-error.ts';
import type { Comparison, ComparisonOperator, Field, StaticValue } from './ast.ts';
import { INTRINSIC_TYPES } from './intrinsics.ts';

const REGEX_OPS: readonly ComparisonOperator[] = ['=~', '!~'];
const EQUALITY_OPS: readonly ComparisonOperator[] = ['=', '!='];

export function checkComparison(comparison: Comparison, position: number): Comparison {
  const { field, op, value } = comparison;
  const fail = (detail: string) => invalid('TraceQL', `${describeField(field)} ${detail}`, position);
  const numeric = value.type === 'int' || value.type === 'float' || value.type === 'duration';

  if (value.type === 'nil') {
    if (field.type !== 'attribute') throw fail('cannot be compared with nil');
    if (!EQUALITY_OPS.includes(op)) throw fail(`cannot be compared with nil using '${op}' (use = or !=)`);
    return comparison;
  }
  if (REGEX_OPS.includes(op)) {
    if (value.type !== 'string')
      throw fail(`'${op}' needs a string regular expression, got ${describeValue(value)}`);
    try {
      compileGoRegex(value.value, 'anchored');
    } catch (error) {
      throw invalid(
        'TraceQL',
        `bad regular expression ${JSON.stringify(value.value)}: ${(error as Error).message}`,
        position,
      );
    }
  }

  if (field.type === 'intrinsic') {
    switch (INTRINSIC_TYPES[field.name]) {
      case 'string':
        if (value.type !== 'string') throw fail(`is a string, compared with ${describeValue(value)}`);
        return comparison;
      case 'duration':
        if (!numeric) throw fail(`is a duration, compared with ${describeValue(value)}`);
        return comparison;
      case 'status':
        if (value.type !== 'status')
          throw fail(`can only be compared with ok, error or unset, got ${describeValue(value)}`);
        if (!EQUALITY_OPS.includes(op)) throw fail(`can only be compared with = or !=, not '${op}'`);
        return comparison;
      case 'kind':
        if (value.type !== 'kind') {
          throw fail(
            `can only be compared with unspecified, internal, server, client, producer or consumer, got ${describeValue(value)}`,
          );
        }
        if (!EQUALITY_OPS.includes(op)) throw fail(`can only be compared with = or !=, not '${op}'`);
        return comparison;
    }
  }

  if (value.type === 'status' || value.type === 'kind')
    throw fail(`is an attribute, compared with ${describeValue(value)}`);
  if (value.type === 'bool' && !EQUALITY_OPS.includes(op))
    throw fail(`compared with a boolean using '${op}' (use = or !=)`);
  return comparison;
}

export function describeField(field: Field): string {
  if (field.type === 'intrinsic') return field.name;
  const prefix = field.scope === 'unscoped' ? '' : field.scope;
  return `'${prefix}.${field.name}'`;
}

export function describeValue(value: StaticValue): string {
  switch (value.type) {
    case 'string':
      return `the string ${JSON.stringify(value.value)}`;
    case 'int':
    case 'float':
      return `the number ${value.value}`;
    case 'duration':
      return `a duration`;
    case 'bool':
      return `${value.value}`;
    case 'status':
    case 'kind':
      return `'${value.value}'`;
    case 'nil':
      return 'nil';
  }
}
