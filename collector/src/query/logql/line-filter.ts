// Line filters: `|=` contains, `!=` does not contain, `|~` matches the regular expression anywhere in the
// line (Go's regexp.MatchString, unanchored), `!~` does not. With `or`, a line passes `|=`/`|~` when it
// contains or matches any of the values, and `!=`/`!~` when it contains or matches none of them.
import { compileGoRegex } from '../go-regex.ts';
import type { LineFilter } from './ast.ts';

export function matchesLineFilter(filter: LineFilter, line: string): boolean {
  switch (filter.op) {
    case '|=':
      return filter.values.some((value) => line.includes(value));
    case '!=':
      return !filter.values.some((value) => line.includes(value));
    case '|~':
      return filter.values.some((value) => compileGoRegex(value, 'search').test(line));
    case '!~':
      return !filter.values.some((value) => compileGoRegex(value, 'search').test(line));
  }
}
