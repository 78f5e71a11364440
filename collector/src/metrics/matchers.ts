// Prometheus label matching: `=`, `!=`, `=~`, `!~`, regexes fully anchored with `.` matching newlines
// (Prometheus 3), and a label a series lacks compared as ''.
import { compileGoRegex } from '../query/go-regex.ts';
import type { LabelMatcher, Labels } from './model.ts';

export function matches(labels: Labels, matcher: LabelMatcher): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.type) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return compileGoRegex(matcher.value, 'anchored-dotall').test(value);
    case '!~':
      return !compileGoRegex(matcher.value, 'anchored-dotall').test(value);
  }
}

export function matchesAll(labels: Labels, matchers: readonly LabelMatcher[]): boolean {
  for (const matcher of matchers) if (!matches(labels, matcher)) return false;
  return true;
}
