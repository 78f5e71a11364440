// Label matchers as predicates over a series' labels, with Prometheus semantics: a label the series
// lacks has the value '', regexes are fully anchored RE2 in which `.` also matches newlines.

import type { LabelMatcher, Labels } from '../metrics/model.ts';
import { compileGoRegex } from '../query/go-regex.ts';

export type LabelPredicate = (labels: Labels) => boolean;

export function matcherPredicate(matcher: LabelMatcher): (value: string) => boolean {
  const { type, value } = matcher;
  switch (type) {
    case '=':
      return (actual) => actual === value;
    case '!=':
      return (actual) => actual !== value;
    case '=~': {
      const regex = compileGoRegex(value, 'anchored-dotall');
      return (actual) => regex.test(actual);
    }
    case '!~': {
      const regex = compileGoRegex(value, 'anchored-dotall');
      return (actual) => !regex.test(actual);
    }
    default:
      throw new Error(`unknown matcher type ${String(type)}`);
  }
}

/** A predicate true for label sets that every matcher accepts (true for no matchers). */
export function compileMatchers(matchers: readonly LabelMatcher[]): LabelPredicate {
  const tests = matchers.map((matcher) => ({ name: matcher.name, test: matcherPredicate(matcher) }));
  return (labels) => {
    for (const { name, test } of tests) if (!test(labels[name] ?? '')) return false;
    return true;
  };
}
