// LogQL queries as Grafana sends them, each to its exact AST.
import { describe, expect, it } from 'vitest';
import type { LabelFilter, LogQuery, MetricQuery, PipelineStage } from '../../src/query/logql/ast.ts';
import { parseLogQL } from '../../src/query/logql/parse-logql.ts';

const eq = (name: string, value: string) => ({ name, op: '=' as const, value });
const log = (selector: LogQuery['selector'], pipeline: PipelineStage[] = []): LogQuery => ({
  type: 'log',
  selector,
  pipeline,
});
const labelFilter = (filter: LabelFilter): PipelineStage => ({ type: 'labelFilter', filter });
const str = (name: string, op: '=' | '!=' | '=~' | '!~', value: string): LabelFilter => ({
  type: 'string',
  name,
  op,
  value,
});

describe('LogQL queries Grafana sends', () => {
  it("Explore's log volume", () => {
    expect(
      parseLogQL('sum by (level, detected_level) (count_over_time({service_name="api"} |= "x" [1m]))'),
    ).toStrictEqual({
      type: 'vectorAggregation',
      op: 'sum',
      grouping: { mode: 'by', labels: ['level', 'detected_level'] },
      expr: {
        type: 'rangeAggregation',
        fn: 'count_over_time',
        rangeMs: 60_000,
        query: log([eq('service_name', 'api')], [{ type: 'lineFilter', op: '|=', values: ['x'] }]),
      },
    } satisfies MetricQuery);
  });

  it('log volume of a query with a parser (Grafana adds drop __error__)', () => {
    expect(
      parseLogQL(
        'sum by (level, detected_level) (count_over_time({service_name="api"} | json | drop __error__[30s]))',
      ),
    ).toStrictEqual({
      type: 'vectorAggregation',
      op: 'sum',
      grouping: { mode: 'by', labels: ['level', 'detected_level'] },
      expr: {
        type: 'rangeAggregation',
        fn: 'count_over_time',
        rangeMs: 30_000,
        query: log(
          [eq('service_name', 'api')],
          [{ type: 'json' }, { type: 'drop', labels: [{ name: '__error__' }] }],
        ),
      },
    } satisfies MetricQuery);
  });

  it('trace to logs', () => {
    expect(parseLogQL('{service_name="api"} | trace_id = "abc"')).toStrictEqual(
      log([eq('service_name', 'api')], [labelFilter(str('trace_id', '=', 'abc'))]),
    );
  });

  it('trace to logs with the tags of the span (otel-lgtm)', () => {
    expect(
      parseLogQL(
        '{service_name="api", dss_client="utility-a"} | trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"',
      ),
    ).toStrictEqual(
      log(
        [eq('service_name', 'api'), eq('dss_client', 'utility-a')],
        [labelFilter(str('trace_id', '=', '4bf92f3577b34da6a3ce929d0e0e4736'))],
      ),
    );
  });

  it("the query builder's default empty line filter", () => {
    expect(parseLogQL('{service_name="api"} |= ``')).toStrictEqual(
      log([eq('service_name', 'api')], [{ type: 'lineFilter', op: '|=', values: [''] }]),
    );
  });

  it('a level filter after json', () => {
    expect(parseLogQL('{service_name=~"api|worker", level!="debug"} | json | level="error"')).toStrictEqual(
      log(
        [
          { name: 'service_name', op: '=~', value: 'api|worker' },
          { name: 'level', op: '!=', value: 'debug' },
        ],
        [{ type: 'json' }, labelFilter(str('level', '=', 'error'))],
      ),
    );
  });

  it("Grafana's health check", () => {
    expect(parseLogQL('vector(1)+vector(1)')).toStrictEqual({
      type: 'binary',
      op: '+',
      left: { type: 'vector', value: 1 },
      right: { type: 'vector', value: 1 },
    } satisfies MetricQuery);
  });
});

describe('LogQL stream selectors', () => {
  it('every matcher operator', () => {
    expect(parseLogQL('{a="1", b!="2", c=~"3.*", d!~"4"}')).toStrictEqual(
      log([
        { name: 'a', op: '=', value: '1' },
        { name: 'b', op: '!=', value: '2' },
        { name: 'c', op: '=~', value: '3.*' },
        { name: 'd', op: '!~', value: '4' },
      ]),
    );
  });

  it('escapes in strings and raw strings', () => {
    expect(parseLogQL('{a="x\\"y\\\\z", b=~`\\d+`}')).toStrictEqual(
      log([
        { name: 'a', op: '=', value: 'x"y\\z' },
        { name: 'b', op: '=~', value: '\\d+' },
      ]),
    );
  });

  it('parentheses and comments', () => {
    expect(parseLogQL('(({a="b"})) # all of them')).toStrictEqual(log([eq('a', 'b')]));
  });
});

describe('LogQL pipelines', () => {
  it('line filters, with or', () => {
    expect(parseLogQL('{a="b"} |= "x" or "y" != "z" |~ `re.*` !~ "a" or "b"')).toStrictEqual(
      log(
        [eq('a', 'b')],
        [
          { type: 'lineFilter', op: '|=', values: ['x', 'y'] },
          { type: 'lineFilter', op: '!=', values: ['z'] },
          { type: 'lineFilter', op: '|~', values: ['re.*'] },
          { type: 'lineFilter', op: '!~', values: ['a', 'b'] },
        ],
      ),
    );
  });

  it('parsers', () => {
    expect(
      parseLogQL('{a="b"} | json | logfmt | logfmt --strict | logfmt --keep-empty --strict'),
    ).toStrictEqual(
      log(
        [eq('a', 'b')],
        [
          { type: 'json' },
          { type: 'logfmt', strict: false, keepEmpty: false },
          { type: 'logfmt', strict: true, keepEmpty: false },
          { type: 'logfmt', strict: true, keepEmpty: true },
        ],
      ),
    );
  });

  it('label filters: strings, numbers, durations, bytes; and binds tighter than or', () => {
    expect(
      parseLogQL('{a="b"} | level="error" or status >= 500 and latency > 250ms, size <= 1KiB'),
    ).toStrictEqual(
      log(
        [eq('a', 'b')],
        [
          labelFilter({
            type: 'or',
            left: str('level', '=', 'error'),
            right: {
              type: 'and',
              left: {
                type: 'and',
                left: { type: 'number', name: 'status', op: '>=', value: 500 },
                right: { type: 'duration', name: 'latency', op: '>', nanos: 250_000_000 },
              },
              right: { type: 'bytes', name: 'size', op: '<=', bytes: 1024 },
            },
          }),
        ],
      ),
    );
  });

  it('numeric filter operators; = and == are the same', () => {
    expect(
      parseLogQL('{a="b"} | x = 1 | x == -1.5e3 | x != 0x10 | x < 2 | x > 3 | x <= 4 | x >= 5'),
    ).toStrictEqual(
      log(
        [eq('a', 'b')],
        [
          labelFilter({ type: 'number', name: 'x', op: '==', value: 1 }),
          labelFilter({ type: 'number', name: 'x', op: '==', value: -1500 }),
          labelFilter({ type: 'number', name: 'x', op: '!=', value: 16 }),
          labelFilter({ type: 'number', name: 'x', op: '<', value: 2 }),
          labelFilter({ type: 'number', name: 'x', op: '>', value: 3 }),
          labelFilter({ type: 'number', name: 'x', op: '<=', value: 4 }),
          labelFilter({ type: 'number', name: 'x', op: '>=', value: 5 }),
        ],
      ),
    );
  });

  it('string label filters, in parentheses', () => {
    expect(parseLogQL('{a="b"} | (x =~ "a.*" or y !~ "b") and __error__ = ""')).toStrictEqual(
      log(
        [eq('a', 'b')],
        [
          labelFilter({
            type: 'and',
            left: { type: 'or', left: str('x', '=~', 'a.*'), right: str('y', '!~', 'b') },
            right: str('__error__', '=', ''),
          }),
        ],
      ),
    );
  });

  it('line_format keeps its template; drop takes names and matchers', () => {
    expect(
      parseLogQL(
        '{a="b"} | logfmt | line_format "{{.level}}: {{ .msg }}" | drop __error__, __error_details__, x="y"',
      ),
    ).toStrictEqual(
      log(
        [eq('a', 'b')],
        [
          { type: 'logfmt', strict: false, keepEmpty: false },
          { type: 'lineFormat', template: '{{.level}}: {{ .msg }}' },
          {
            type: 'drop',
            labels: [
              { name: '__error__' },
              { name: '__error_details__' },
              { name: 'x', op: '=', value: 'y' },
            ],
          },
        ],
      ),
    );
  });
});

describe('LogQL metric queries', () => {
  const range = (
    fn: 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate',
    rangeMs: number,
    pipeline: PipelineStage[] = [],
  ) => ({
    type: 'rangeAggregation' as const,
    fn,
    rangeMs,
    query: log([eq('a', 'b')], pipeline),
  });

  it.each([
    ['count_over_time({a="b"}[5m])', range('count_over_time', 300_000)],
    ['rate({a="b"}[1h30m])', range('rate', 5_400_000)],
    [
      'bytes_over_time({a="b"} |= "x" [10s])',
      range('bytes_over_time', 10_000, [{ type: 'lineFilter', op: '|=', values: ['x'] }]),
    ],
    ['bytes_rate({a="b"}[250ms])', range('bytes_rate', 250)],
    ['count_over_time({a="b"} [1m] | json)', range('count_over_time', 60_000, [{ type: 'json' }])],
    ['count_over_time(({a="b"} | json)[1m])', range('count_over_time', 60_000, [{ type: 'json' }])],
  ])('%s', (query, expected) => {
    expect(parseLogQL(query)).toStrictEqual(expected);
  });

  it('sum with grouping before or after, by or without', () => {
    const inner = range('rate', 60_000);
    expect(parseLogQL('sum(rate({a="b"}[1m]))')).toStrictEqual({
      type: 'vectorAggregation',
      op: 'sum',
      grouping: null,
      expr: inner,
    });
    expect(parseLogQL('sum(rate({a="b"}[1m])) by (x)')).toStrictEqual({
      type: 'vectorAggregation',
      op: 'sum',
      grouping: { mode: 'by', labels: ['x'] },
      expr: inner,
    });
    expect(parseLogQL('sum without (x, y) (rate({a="b"}[1m]))')).toStrictEqual({
      type: 'vectorAggregation',
      op: 'sum',
      grouping: { mode: 'without', labels: ['x', 'y'] },
      expr: inner,
    });
    expect(parseLogQL('sum by () (sum by (x) (rate({a="b"}[1m])))')).toStrictEqual({
      type: 'vectorAggregation',
      op: 'sum',
      grouping: { mode: 'by', labels: [] },
      expr: { type: 'vectorAggregation', op: 'sum', grouping: { mode: 'by', labels: ['x'] }, expr: inner },
    });
  });

  it('constant arithmetic with PromQL precedence', () => {
    expect(parseLogQL('1 + 2 * 3')).toStrictEqual({
      type: 'binary',
      op: '+',
      left: { type: 'literal', value: 1 },
      right: {
        type: 'binary',
        op: '*',
        left: { type: 'literal', value: 2 },
        right: { type: 'literal', value: 3 },
      },
    });
    expect(parseLogQL('(1 + 2) * -3')).toStrictEqual({
      type: 'binary',
      op: '*',
      left: {
        type: 'binary',
        op: '+',
        left: { type: 'literal', value: 1 },
        right: { type: 'literal', value: 2 },
      },
      right: { type: 'literal', value: -3 },
    });
    expect(parseLogQL('2 ^ 3 ^ 2')).toStrictEqual({
      type: 'binary',
      op: '^',
      left: { type: 'literal', value: 2 },
      right: {
        type: 'binary',
        op: '^',
        left: { type: 'literal', value: 3 },
        right: { type: 'literal', value: 2 },
      },
    });
  });
});
