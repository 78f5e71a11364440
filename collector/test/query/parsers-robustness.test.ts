// Malformed input never escapes as anything but a QueryError: every prefix and every one-character deletion
// of real queries either parses or is rejected with a position inside the query.
import { describe, expect, it } from 'vitest';
import { parseLogQL } from '../../src/query/logql/parse-logql.ts';
import { QueryError } from '../../src/query/query-error.ts';
import { parseTraceQL } from '../../src/query/traceql/parse-traceql.ts';

const TRACEQL = [
  '{resource.service.name="x" && name="y" && duration>100ms && status=error}',
  '{ (span.a = "x" || span.a = "y") && kind = server } | count() > 2 | select(span.a)',
  '{ .a = -3 && !(.b != nil) } >> { span."q x" =~ `a.*` }',
  '({ .a = 1 } && { .b = 2 }) || {} with (most_recent=true)',
];
const LOGQL = [
  'sum by (level, detected_level) (count_over_time({service_name="api"} |= "x" [1m]))',
  '{a="b", c=~"d.*"} |= "x" or "y" != "z" |~ `re` | json | logfmt --strict | level="error" or status >= 500 and dur > 5s | line_format "{{.msg}}" | drop __error__',
  'vector(1)+vector(1)',
  'sum without (x) (rate({a="b"} | size > 1KB [5m]))',
];

function variants(query: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= query.length; i++) out.push(query.slice(0, i));
  for (let i = 0; i < query.length; i++) out.push(query.slice(0, i) + query.slice(i + 1));
  return out;
}

function check(parse: (query: string) => unknown, query: string): void {
  try {
    parse(query);
  } catch (error) {
    expect(error, `${JSON.stringify(query)}: ${String(error)}`).toBeInstanceOf(QueryError);
    const position = (error as QueryError).position;
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThanOrEqual(query.length);
  }
}

describe('parser robustness', () => {
  it('TraceQL', () => {
    for (const query of TRACEQL) for (const variant of variants(query)) check(parseTraceQL, variant);
  });

  it('LogQL', () => {
    for (const query of LOGQL) for (const variant of variants(query)) check(parseLogQL, variant);
  });
});
