// Stream selectors and string matchers, with Prometheus semantics: a missing label has the value '', and
// regular expressions match the whole value (^(?s:re)$).
import { compileGoRegex } from '../go-regex.ts';
import type { LabelMatcher, MatchOperator } from './ast.ts';

export function matchesSelector(
  selector: readonly LabelMatcher[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return selector.every((m) => matchesValue(m.op, m.value, labels[m.name] ?? ''));
}

export function matchesValue(op: MatchOperator, expected: string, actual: string): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '=~':
      return compileGoRegex(expected, 'anchored-dotall').test(actual);
    case '!~':
      return !compileGoRegex(expected, 'anchored-dotall').test(actual);
  }
}
